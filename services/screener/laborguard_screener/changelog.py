"""The open-shipments changelog: one record per open shipment, keyed by shipment id.

Written to the same partition number as the `shipments` record it follows (not by the key's
hash: port systems may partition with another hash), so a worker restores exactly the open
shipments of the partitions it is assigned. A closed or expired shipment gets a tombstone (null
value). On Apache Kafka the topic is compacted, so a restore reads about one record per open
shipment; the embedded broker accepts `cleanup.policy=compact` but never compacts, so there a
restore reads the topic's whole history (see docs/screener.md).

A record names its event by reference: `source_offset`, the offset of the event's record in the
same partition of `shipments`, which a restore reads back. The event's bytes are in Kafka once
already; writing them again with every open shipment made the changelog record six times the
size, and its production cost the worker about a fifth of its throughput (docs/screener.md).
A record without `source_offset` carries the event inline (`event`): a shipment restored from
such a record, whose source offset is not known, is written that way again.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import AwareDatetime, ConfigDict

from laborguard_contracts import Outcome, ShipmentEvent
from laborguard_contracts.base import Contract
from laborguard_contracts.codec import decode, dumps, encode
from laborguard_contracts.types import Identifier
from laborguard_screener.openshipments import OpenShipment, OpenShipments

log = logging.getLogger(__name__)


class OpenShipmentRecord(Contract):
    # Fields this version does not know are a newer worker's (a rolling deploy moves partitions
    # between versions): read without them, not skipped with the whole record. Fields are only
    # ever added with a meaning an older reader may go without (each one's comment says how).
    model_config = ConfigDict(extra="ignore")

    shipment_id: Identifier
    partition: int
    decision_id: str
    outcome: Outcome
    matched: tuple[str, ...] = ()
    order_state_version: str
    source_offset: int | None = None  # of the event in `shipments` (partition `partition`)
    event: ShipmentEvent | None = None  # inline, when the source offset is not known
    as_of: AwareDatetime | None = None  # of the decision, when not the event's own time
    # The event's time: a worker taking the partition over screens new events of a shipment
    # before its event is read back, and an older event must not replace the one held. Records
    # written before it was added lack it: their partitions wait for the whole restore.
    event_time: AwareDatetime | None = None
    # The orders topic's position its decision's book had reached: a restore re-decides it only
    # for the orders read since (through the indexes), not for every order update since.
    checked_to: int | None = None
    # As of when a date's re-check last left its decision unchanged (later than the decision):
    # a restore's look-back starts there, not at the decision.
    dates_checked: AwareDatetime | None = None
    # The writer's stream time, on a record written off the stream's path (a re-decision, a
    # re-check), which may come long after its event: with its write time it tells a restore
    # whether the stream was live (a quiet live stream's time follows the clock; a replay's
    # stays in its history's). The stream's own records leave it out: their event's time is it.
    stream_time: AwareDatetime | None = None

    def held_time(self) -> datetime | None:
        """The time of the event the record holds, when the record says it."""
        if self.event_time is not None:
            return self.event_time
        return self.event.event_time if self.event is not None else None


def encode_open(shipment: OpenShipment, stream_time: datetime | None = None) -> bytes:
    """The shipment's changelog record (`stream_time`: the writer's, off the stream's path)."""
    # A plain document (the same JSON the record reads back; a round-trip test holds them equal):
    # building the model to serialise it cost a few microseconds per shipment on the hot path.
    head: dict[str, object] = {
        "shipment_id": shipment.shipment_id,
        "partition": shipment.partition,
        "decision_id": shipment.decision_id,
        "outcome": shipment.outcome,  # a str enum: written as its value
        "matched": sorted(shipment.matched),
        "order_state_version": shipment.order_state_version,
        "event_time": shipment.event_time,
    }
    if shipment.decided_as_of != shipment.event_time:
        head["as_of"] = shipment.as_of
    if shipment.checked_to is not None:
        head["checked_to"] = shipment.checked_to
    if shipment.dates_checked is not None:
        head["dates_checked"] = shipment.dates_checked
    if stream_time is not None:
        head["stream_time"] = stream_time
    if shipment.offset is not None:
        head["source_offset"] = shipment.offset
        return dumps(head)
    # The event's own bytes, spliced in as they were validated: no second encoding.
    return dumps(head)[:-1] + b',"event":' + shipment.event + b"}"


def decode_open(value: bytes) -> OpenShipmentRecord:
    return decode(OpenShipmentRecord, value)


def restored(record: OpenShipmentRecord, value: bytes, event: ShipmentEvent) -> OpenShipment:
    """The open shipment a changelog record describes, given its event (`value`: its bytes)."""
    return OpenShipment(
        shipment_id=record.shipment_id,
        partition=record.partition,
        event=value,
        event_time=event.event_time,
        decision_id=record.decision_id,
        outcome=record.outcome,
        matched=frozenset(record.matched),
        order_state_version=record.order_state_version,
        checked_version=record.order_state_version,
        checked_to=record.checked_to,
        event_id=event.event_id,
        offset=record.source_offset,
        as_of=record.as_of,
        dates_checked=record.dates_checked,
    )


@dataclass
class Restored:
    shipments: list[tuple[OpenShipment, ShipmentEvent]] = field(default_factory=list)
    missing: int = 0  # records whose event is not at its source offset (gone by retention)
    unreadable: int = 0


def wanted_sources(records: list[OpenShipmentRecord]) -> dict[int, set[int]]:
    """The `shipments` offsets, by partition, that the records name their events by."""
    wanted: dict[int, set[int]] = {}
    for record in records:
        if record.event is None and record.source_offset is not None:
            wanted.setdefault(record.partition, set()).add(record.source_offset)
    return wanted


def restore(records: list[OpenShipmentRecord], sources: dict[tuple[int, int], bytes]) -> Restored:
    """The open shipments the records describe, their events inline or read back from
    `sources` ((partition, offset) -> the `shipments` record's value)."""
    result = Restored()
    for record in records:
        try:
            if record.event is not None:
                event = record.event
                result.shipments.append((restored(record, encode(event), event), event))
                continue
            if record.source_offset is None:
                raise ValueError("the record names no event")
            value = sources.get((record.partition, record.source_offset))
            if value is None:
                result.missing += 1
                continue
            event = decode(ShipmentEvent, value)
            if event.shipment_id != record.shipment_id:
                raise ValueError(f"offset {record.source_offset} holds {event.shipment_id}")
            result.shipments.append((restored(record, value, event), event))
        except Exception as exc:  # a bad record costs that shipment's re-screens, not all
            log.error("skipping open shipment %s: %s", record.shipment_id, exc)
            result.unreadable += 1
    return result


def track_restored(
    state: OpenShipments,
    records: list[OpenShipmentRecord],
    sources: dict[tuple[int, int], bytes],
    partitions: Collection[int],
) -> tuple[list[OpenShipment], int]:
    """Restores the records' shipments and tracks in `state` those of `partitions` within the
    window, as the stream time their events give advances: the shipments tracked, and how many
    records' events are gone. A worker calls it a chunk at a time, so a chunk's decoded events
    are dropped before the next."""
    found = restore(records, sources)
    tracked = []
    for shipment, event in found.shipments:
        state.advance(shipment.event_time)
        if shipment.partition in partitions and state.within_window(shipment.event_time):
            state.track(shipment, event)
            tracked.append(shipment)
    return tracked, found.missing
