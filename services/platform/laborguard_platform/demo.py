"""`laborguard send-shipment` and `laborguard decision`: one shipment by hand, and its decision.

    laborguard send-shipment --manufacturer "Some Factory Co., Ltd." --hts 9503000073
    laborguard decision SHIPMENT_ID

send-shipment files one `entry_filed` event to `shipments` (event time: now), then waits for its
decision and shows it with the evidence; decision reads `decisions` from the start and shows the
latest decision on that shipment. Kafka: --bootstrap, else LABORGUARD_KAFKA_BOOTSTRAP, else
127.0.0.1:9092.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import sys
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from laborguard_contracts import ContractError, Decision, ShipmentEvent, topics
from laborguard_contracts.codec import decode, encode

EXIT_NOT_DECIDED = 1
HTS = re.compile(r"^\d{4}(\.?\d{2}){1,3}$")


def shipment_event(
    shipment_id: str, manufacturer: str, hts: str, country: str, when: datetime
) -> ShipmentEvent:
    return ShipmentEvent.model_validate(
        {
            "event_id": f"{shipment_id}-entry",
            "shipment_id": shipment_id,
            "event_type": "entry_filed",
            "event_time": when,
            "port_code": "2704",
            "importer_of_record": {"name": "Try It Imports LLC"},
            "lines": [
                {
                    "line_number": 1,
                    "hts_code": hts,
                    "country_of_origin": country,
                    "value_usd": "1000.00",
                    "manufacturer": {"name": manufacturer},
                }
            ],
        }
    )


async def send(bootstrap: str, event: ShipmentEvent, topic: str = topics.SHIPMENTS.name) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, encode(event), key=event.shipment_id.encode())
    finally:
        await producer.stop()


async def latest_decision(
    bootstrap: str,
    shipment_id: str,
    *,
    event_id: str | None = None,
    wait_seconds: float = 30.0,
    topic: str = topics.DECISIONS.name,
) -> Decision | None:
    """The latest decision on the shipment (on that event, if given) once the topic is read to
    its end; None if there is none within `wait_seconds`."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=100,  # the embedded broker answers a waiting fetch only at its end
    )
    await consumer.start()
    try:
        partitions = await _partitions(consumer, topic)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        return await _scan(consumer, shipment_id.encode(), event_id, wait_seconds)
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    await consumer.topics()  # fetches the cluster's metadata
    numbers = consumer.partitions_for_topic(topic)
    if not numbers:
        numbers = set(range(topics.DECISIONS.partitions))
    return [TopicPartition(topic, number) for number in sorted(numbers)]


async def _scan(
    consumer: AIOKafkaConsumer, key: bytes, event_id: str | None, wait_seconds: float
) -> Decision | None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    found: Decision | None = None
    while loop.time() < deadline:
        batches = await consumer.getmany(timeout_ms=300, max_records=10_000)
        if not batches and found is not None:
            return found  # read to the end: this is the latest
        for records in batches.values():
            for record in records:
                if record.key == key and record.value is not None:
                    found = _readable(record.value, event_id) or found
    return found


def _readable(value: bytes, event_id: str | None) -> Decision | None:
    try:
        decision = decode(Decision, value)
    except ContractError:
        return None
    return decision if event_id in (None, decision.event_id) else None


def render(decision: Decision) -> str:
    lines = [
        f"{decision.shipment_id}: {decision.outcome.value}  (event {decision.event_id}, "
        f"decided {decision.decided_at:%Y-%m-%d %H:%M:%S}Z against "
        f"{decision.orders_in_state} orders)"
    ]
    for match in decision.matches:
        lines.append(
            f"  {match.order_id} v{match.order_version} ({match.kind.value}, {match.action.value})"
        )
        for evidence in match.evidence:
            score = f" score {evidence.score:.0f}" if evidence.score is not None else ""
            lines.append(
                f"    line {evidence.line_number} {evidence.rule.value}{score}: "
                f"{evidence.subject} {evidence.observed!r} matched {evidence.matched!r}"
            )
    if not decision.matches:
        lines.append("  no order covers it")
    return "\n".join(lines)


def _bootstrap(value: str | None) -> str:
    return value or os.environ.get("LABORGUARD_KAFKA_BOOTSTRAP") or "127.0.0.1:9092"


def _hts(text: str) -> str:
    if not HTS.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an HTS code (e.g. 9503000073)")
    return text


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bootstrap", help="Kafka (default: LABORGUARD_KAFKA_BOOTSTRAP)")
    parser.add_argument(
        "--wait", type=_seconds, default=30.0, help="seconds to wait for the decision (30)"
    )
    parser.add_argument("--json", action="store_true", help="print the decision as JSON")


def _show(decision: Decision | None, shipment_id: str, as_json: bool, waited: float) -> int:
    if decision is None:
        print(f"no decision on {shipment_id} within {waited:g}s", file=sys.stderr)
        return EXIT_NOT_DECIDED
    print(encode(decision).decode() if as_json else render(decision), flush=True)
    return 0


def send_shipment_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="laborguard send-shipment",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--shipment-id", help="default: TRY-<random>")
    parser.add_argument("--manufacturer", required=True, help="the manufacturer's name")
    parser.add_argument("--hts", type=_hts, required=True, help="HTS code of the one line")
    parser.add_argument("--country", default="CN", help="country of origin (default CN)")
    parser.add_argument("--no-wait", action="store_true", help="send only")
    _common(parser)
    args = parser.parse_args(argv)
    shipment_id = args.shipment_id or f"TRY-{secrets.token_hex(3).upper()}"
    try:
        event = shipment_event(
            shipment_id, args.manufacturer, args.hts, args.country, datetime.now(UTC)
        )
    except ValueError as error:  # pydantic's ValidationError: a field the contract refuses
        parser.error(str(error))
    bootstrap = _bootstrap(args.bootstrap)
    asyncio.run(send(bootstrap, event))
    print(f"sent {shipment_id} to {topics.SHIPMENTS.name} on {bootstrap}", flush=True)
    if args.no_wait:
        return 0
    decision = asyncio.run(
        latest_decision(bootstrap, shipment_id, event_id=event.event_id, wait_seconds=args.wait)
    )
    return _show(decision, shipment_id, args.json, args.wait)


def decision_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="laborguard decision",
        description="Shows the latest decision on a shipment, with its evidence.",
    )
    parser.add_argument("shipment_id")
    _common(parser)
    args = parser.parse_args(argv)
    bootstrap = _bootstrap(args.bootstrap)
    decision = asyncio.run(latest_decision(bootstrap, args.shipment_id, wait_seconds=args.wait))
    return _show(decision, args.shipment_id, args.json, args.wait)
