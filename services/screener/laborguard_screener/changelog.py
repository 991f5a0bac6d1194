"""The open-shipments changelog: one record per open shipment, keyed by shipment id.

Written to the same partition number as the `shipments` record it follows (not by the key's
hash: port systems may partition with another hash), so a worker restores exactly the open
shipments of the partitions it is assigned. A closed or expired shipment gets a tombstone (null
value). On Apache Kafka the topic is compacted, so a restore reads about one record per open
shipment; the embedded broker accepts `cleanup.policy=compact` but never compacts, so there a
restore reads the topic's whole history (see docs/screener.md).
"""

from __future__ import annotations

from laborguard_contracts import Outcome, ShipmentEvent
from laborguard_contracts.base import Contract
from laborguard_contracts.codec import decode, dumps, encode
from laborguard_contracts.types import Identifier
from laborguard_screener.openshipments import OpenShipment


class _Head(Contract):
    shipment_id: Identifier
    partition: int
    decision_id: str
    outcome: Outcome
    matched: tuple[str, ...] = ()
    order_state_version: str


class OpenShipmentRecord(_Head):
    event: ShipmentEvent


def encode_open(shipment: OpenShipment) -> bytes:
    # A plain document (the same JSON `_Head` reads back; a round-trip test holds them equal):
    # building the model to serialise it cost a few microseconds per shipment on the hot path.
    head = dumps(
        {
            "shipment_id": shipment.shipment_id,
            "partition": shipment.partition,
            "decision_id": shipment.decision_id,
            "outcome": shipment.outcome.value,
            "matched": sorted(shipment.matched),
            "order_state_version": shipment.order_state_version,
        }
    )
    # The event's own bytes, spliced in as they were validated: no second encoding per event.
    return head[:-1] + b',"event":' + shipment.event + b"}"


def decode_open(value: bytes) -> tuple[OpenShipment, ShipmentEvent]:
    record = decode(OpenShipmentRecord, value)
    event = record.event
    shipment = OpenShipment(
        shipment_id=record.shipment_id,
        partition=record.partition,
        event=encode(event),
        event_time=event.event_time,
        decision_id=record.decision_id,
        outcome=record.outcome,
        matched=frozenset(record.matched),
        order_state_version=record.order_state_version,
        checked_version=record.order_state_version,
        event_id=event.event_id,
    )
    return shipment, event
