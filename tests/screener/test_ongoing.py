"""Ongoing screening through real workers: open shipments re-decided when an order changes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from prometheus_client.parser import text_string_to_metric_families

from laborguard_contracts import Decision, Order, Outcome
from laborguard_contracts.codec import decode, encode
from laborguard_contracts.topics import SHIPMENTS
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import DEFAULT_POLICY
from laborguard_screener.ongoing import OngoingScreening, _read_changelog
from laborguard_screener.orderstate import OrderFeed
from laborguard_screener.settings import ScreenerSettings
from testbed.factory import shipment
from testbed.harness import Topics, Worker, produce, read_until

from .fleet import fleet, wro
from .restoring import SentRecords, changelog_values, held_events, screen_while_restoring

pytestmark = pytest.mark.integration

Records = list[ConsumerRecord[bytes, bytes]]


def _decisions(records: Records) -> list[Decision]:
    return [decode(Decision, r.value) for r in records]


def _released(records: Records) -> dict[str, set[str]]:
    """The ids of each shipment's RELEASE decisions that supersede nothing: those a date's
    DETAIN may supersede (a shipment's decision is repeated, with the new order state's id,
    when a rebalance redelivers its event after the order's commit)."""
    found: dict[str, set[str]] = {}
    for decision in _decisions(records):
        if decision.supersedes is None and decision.outcome is Outcome.RELEASE:
            found.setdefault(decision.shipment_id, set()).add(decision.decision_id or "")
    return found


def _superseding(records: Records) -> list[tuple[ConsumerRecord[bytes, bytes], Decision]]:
    found = [(r, decode(Decision, r.value)) for r in records]
    return [(r, d) for r, d in found if d.supersedes is not None]


def _open_shipments(workers: list[Worker]) -> int:
    total = 0
    for worker in workers:
        if worker.process is None or worker.process.poll() is not None:
            continue
        _, text = worker.get("/metrics")
        for family in text_string_to_metric_families(text):
            if family.name == "screener_open_shipments":
                total += int(family.samples[0].value)
    return total


def _wait_open(workers: list[Worker], count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while (held := _open_shipments(workers)) != count:
        assert time.monotonic() < deadline, f"{held} of {count} open\n{workers[0].log()}"
        time.sleep(0.3)


def _wait_assigned(workers: list[Worker], timeout: float = 60.0) -> None:
    """Until every worker has been assigned partitions of `shipments`: the generation the last
    of them joined holds them all (ready says only that a worker read the orders; a worker slow
    to join once left the other holding every partition and re-deciding every shipment)."""
    deadline = time.monotonic() + timeout
    while not all(_partitions(worker)["restored"] for worker in workers):
        assert time.monotonic() < deadline, [_partitions(worker) for worker in workers]
        time.sleep(0.3)


def _file(
    bootstrap: str, topics: Topics, count: int, covered: int, at: datetime | None = None
) -> tuple[dict[str, str], set[str]]:
    """Files `count` shipments (filed at `at`, if given) and waits for their decisions; their
    decision ids, the covered."""
    events, hit = fleet(count, covered)
    if at is not None:
        events = [e.model_copy(update={"event_time": at}) for e in events]
    records = [(e.shipment_id.encode(), encode(e)) for e in events]
    asyncio.run(produce(bootstrap, topics.shipments, records))
    # Until every shipment has one (a rebalance as the two workers settle repeats some).
    decided = asyncio.run(
        read_until(
            bootstrap, [topics.decisions], lambda got: len({r.key for r in got}) >= count, 120.0
        )
    )
    firsts = {d.shipment_id: d.decision_id or "" for d in _decisions(decided)}
    print(f"{len(decided) - len(firsts)} decisions repeated while filing {count}")
    assert len(firsts) == count
    return firsts, hit


def _wro_over_open(
    bootstrap: str, topics: Topics, start_worker: Callable[..., Worker], count: int, covered: int
) -> tuple[list[Worker], dict[str, str], set[str], Order]:
    """Two workers holding `count` open shipments, `covered` of them named by the WRO then
    published: the workers, the first decision ids, the covered shipments, the WRO."""
    workers = [start_worker("a"), start_worker("b")]
    for worker in workers:
        worker.wait_ready()
    _wait_assigned(workers)
    firsts, hit = _file(bootstrap, topics, count, covered)
    _wait_open(workers, count)
    issued = wro(committed_at=datetime.now(UTC))
    _publish(bootstrap, topics, issued)
    return workers, firsts, hit, issued


def _publish(bootstrap: str, topics: Topics, order: Order) -> None:
    asyncio.run(produce(bootstrap, topics.orders, [(order.order_id.encode(), encode(order))]))


def _read_superseding(
    bootstrap: str, topics: Topics, count: int, settle: float = 2.0
) -> list[tuple[ConsumerRecord[bytes, bytes], Decision]]:
    """Every superseding decision, read to the end once `count` have arrived and nothing more
    came for `settle` s (anything extra would have arrived by then)."""
    return _superseding(asyncio.run(_read_all(bootstrap, topics.decisions, count, settle)))


async def _read_all(bootstrap: str, topic: str, count: int, settle: float) -> Records:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    records: Records = []
    deadline, quiet_since = time.monotonic() + 90.0, time.monotonic()
    try:
        while time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            fresh = [record for batch in batches.values() for record in batch]
            records.extend(fresh)
            if fresh:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= settle and len(_superseding(records)) >= count:
                break
    finally:
        await consumer.stop()
    return records


def test_new_wro_supersedes_exactly_the_150_open_shipments_it_covers_then_revoking_releases_them(
    bootstrap: str, topics: Topics, start_worker: Callable[..., Worker]
) -> None:
    _, firsts, covered, issued = _wro_over_open(bootstrap, topics, start_worker, 10_000, 150)
    detained = _read_superseding(bootstrap, topics, 150)

    assert sorted(d.shipment_id for _, d in detained) == sorted(covered)
    assert {d.outcome for _, d in detained} == {Outcome.DETAIN}
    assert all(d.supersedes == firsts[d.shipment_id] for _, d in detained)
    assert {(d.cause.order_id, d.cause.order_version) for _, d in detained if d.cause} == {
        ("wro-korvanti", 1)
    }
    assert len({r.headers[0][1] for r, _ in detained}) == 2  # both workers re-decided theirs
    _print_latency("new WRO", issued, detained)

    revoked = wro(2, datetime.now(UTC), revoked=datetime.now(UTC).date())
    _publish(bootstrap, topics, revoked)
    both = _read_superseding(bootstrap, topics, 300)
    released = [(r, d) for r, d in both if d.outcome is Outcome.RELEASE]

    assert len(both) == 300
    assert sorted(d.shipment_id for _, d in released) == sorted(covered)
    by_shipment = {d.shipment_id: d.decision_id for _, d in detained}
    assert all(d.supersedes == by_shipment[d.shipment_id] for _, d in released)
    _print_latency("revocation", revoked, released)


@pytest.mark.embedded_too  # the keeping rests on each broker numbering its generations
def test_a_worker_keeps_the_open_shipments_of_the_partitions_it_keeps_when_another_joins(
    bootstrap: str, topics: Topics, start_worker: Callable[..., Worker]
) -> None:
    """A second worker joins one that holds 4,000 open shipments: the first keeps those of the
    partitions it keeps (no restore: the next generation gives them back to it), the second
    restores the rest; a new WRO then reaches exactly the covered ones, once each."""
    first = start_worker("a")
    first.wait_ready()
    firsts, covered = _file(bootstrap, topics, 4_000, 60)
    _wait_open([first], 4_000)
    assert _partitions(first) == {"kept": 0, "restored": SHIPMENTS.partitions}
    second = start_worker("b")
    second.wait_ready()
    deadline = time.monotonic() + 60.0
    while _partitions(second)["restored"] == 0:
        assert time.monotonic() < deadline, second.log()
        time.sleep(0.3)
    _wait_open([first, second], 4_000)
    kept, restored = _partitions(first), _partitions(second)
    assert kept["kept"] > 0 and restored["restored"] > 0
    assert kept["kept"] + restored["restored"] == SHIPMENTS.partitions
    assert kept["restored"] == SHIPMENTS.partitions  # the first assignment's only

    _publish(bootstrap, topics, wro(committed_at=datetime.now(UTC)))
    detained = _read_superseding(bootstrap, topics, 60)

    assert sorted(d.shipment_id for _, d in detained) == sorted(covered)
    assert {d.outcome for _, d in detained} == {Outcome.DETAIN}
    assert all(d.supersedes == firsts[d.shipment_id] for _, d in detained)
    assert len({r.headers[0][1] for r, _ in detained}) == 2  # both workers re-decided theirs


@pytest.mark.embedded_too  # the changelog is read to each broker's fetched high watermark
async def test_a_partition_taken_over_is_screened_once_its_changelog_is_read_from_the_broker(
    bootstrap: str, topics: Topics
) -> None:
    """`screen_while_restoring` (restoring.py) with the restore reading the broker: the stream's
    steps run once the changelog is read, while the restore waits on its fetch of the events
    (the scenario does not await between them); the decisions go to a recording producer."""
    held = held_events()
    events = [(event.shipment_id.encode(), encode(event)) for event in held.values()]
    placed = await produce(bootstrap, topics.shipments, events, partition=0)
    offsets = {n: offset for n, (_, offset) in zip(held, placed, strict=True)}
    changelog = [(k.encode(), v) for k, v in changelog_values(held, offsets).items()]
    await produce(bootstrap, topics.open_shipments, changelog, partition=0)
    settings = ScreenerSettings(
        kafka_bootstrap=bootstrap,
        shipments_topic=topics.shipments,
        open_shipments_topic=topics.open_shipments,
        batch_size=100,
        open_window_days=45,
    )
    sent = SentRecords()
    feed = OrderFeed(settings, OrderBook())
    ongoing = OngoingScreening(settings, feed, DEFAULT_POLICY, sent.outbox)
    await screen_while_restoring(ongoing, sent, held, offsets, lambda: None)


@pytest.mark.embedded_too  # the record timestamps as each broker keeps them
async def test_the_changelog_read_says_when_its_newest_open_record_was_written(
    bootstrap: str, topics: Topics
) -> None:
    """A restore reads the changelog to the end: the latest value per key, and when the newest
    record that is not a tombstone was written (a tombstone is written when its shipment
    closes, however long after its decision): whether the stream was live (`quiet`)."""
    # In the past: Apache Kafka refuses a record stamped more than an hour ahead of its clock.
    decided = (datetime.now(UTC) - timedelta(days=4)).replace(microsecond=0)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for key, value, at in (
            (b"shp-1", b"{}", decided - timedelta(minutes=5)),
            (b"shp-2", b"{}", decided),
            (b"shp-1", None, decided + timedelta(days=3)),  # closed by the window's sweep
        ):
            timestamp = int(at.timestamp() * 1000)
            await producer.send_and_wait(
                topics.open_shipments, value, key=key, partition=0, timestamp_ms=timestamp
            )
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        read = await _read_changelog(consumer, topics.open_shipments, [0])
    finally:
        await consumer.stop()

    assert read.latest == {"shp-1": None, "shp-2": b"{}"}
    assert read.written == decided


def _partitions(worker: Worker) -> dict[str, int]:
    """`screener_open_partitions_total` by how: kept across a rebalance, or restored."""
    _, text = worker.get("/metrics")
    found = {"kept": 0, "restored": 0}
    for family in text_string_to_metric_families(text):
        if family.name == "screener_open_partitions":
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    found[sample.labels["how"]] = int(sample.value)
    return found


def _print_latency(
    what: str, order: Order, found: list[tuple[ConsumerRecord[bytes, bytes], Decision]]
) -> None:
    assert order.updated_at is not None
    last = max(r.timestamp for r, _ in found) / 1000.0
    print(
        f"{what}: commit -> last superseding decision {last - order.updated_at.timestamp():.3f} s"
    )


# 0.0: killed as the order lands (its successor re-decides all its shipments after takeover);
# 0.6: killed while, or just after, it re-decides its own (duplicates possible, identical).
@pytest.mark.parametrize("kill_after", [0.0, 0.6])
def test_worker_killed_during_a_re_screen_every_affected_shipment_gets_its_superseding_decision(
    bootstrap: str, topics: Topics, start_worker: Callable[..., Worker], kill_after: float
) -> None:
    workers, firsts, covered, _ = _wro_over_open(bootstrap, topics, start_worker, 4_000, 1_000)
    time.sleep(kill_after)
    workers[0].kill()  # while it re-screens (or just before: its successor must finish it)
    found = _read_superseding(bootstrap, topics, 1_000, settle=3.0)

    by_shipment: dict[str, list[Decision]] = {}
    for _, decision in found:
        by_shipment.setdefault(decision.shipment_id, []).append(decision)
    missing = covered - set(by_shipment)
    assert not missing, (len(missing), sorted(missing)[:5])
    for decisions in by_shipment.values():
        first = decisions[0]
        assert first.outcome is Outcome.DETAIN and first.supersedes == firsts[first.shipment_id]
        # a repeat is the same decision; one taken from a redelivered event (a takeover replays
        # uncommitted records) is as of the event's time rather than the order's commit
        same = {"decided_at": first.decided_at, "as_of": first.as_of}
        assert all(d.model_copy(update=same) == first for d in decisions)
    duplicates = len(found) - len(by_shipment)
    by_worker: dict[str, int] = {}
    for record, _ in found:
        worker_id = dict(record.headers)["worker"].decode()
        by_worker[worker_id] = by_worker.get(worker_id, 0) + 1
    print(
        f"kill -9 during a re-screen: {len(by_shipment)} superseded, {duplicates} duplicates"
        f" (identical), by worker {by_worker}"
    )


def _reach(
    bootstrap: str, topics: Topics, day: date, number: int, partitions: int = SHIPMENTS.partitions
) -> datetime:
    """One shipment filed an hour into `day` on each of the first `partitions` partitions (by
    default every one: every worker's stream time reaches the day). The day's start."""
    moment = datetime.combine(day, clock.min, UTC)
    for partition in range(partitions):
        event = shipment(number + partition, event_time=moment + timedelta(hours=1))
        record = (event.shipment_id.encode(), encode(event))
        asyncio.run(produce(bootstrap, topics.shipments, [record], partition=partition))
    return moment


def test_an_order_committed_ahead_of_its_date_reaches_the_open_shipments_when_the_date_comes(
    bootstrap: str, topics: Topics, start_worker: Callable[..., Worker]
) -> None:
    """Announced for tomorrow, a WRO changes nothing at its commit; the first events of tomorrow
    (the stream time) bring the superseding DETAINs; a revocation dated ahead, the RELEASEs."""
    worker = start_worker("a")
    worker.wait_ready()
    now = datetime.now(UTC)
    firsts, covered = _file(bootstrap, topics, 1_000, 10, now)
    _wait_open([worker], 1_000)

    in_force = (now + timedelta(days=1)).date()
    revoked = in_force + timedelta(days=2)
    _publish(bootstrap, topics, wro(1, now, in_force=in_force))
    time.sleep(2.0)  # the commit's re-screen: as of now the order is not in force, nothing changes
    moment = _reach(bootstrap, topics, in_force, 100_000)
    detained = _read_superseding(bootstrap, topics, 10)

    assert sorted(d.shipment_id for _, d in detained) == sorted(covered)
    assert {d.outcome for _, d in detained} == {Outcome.DETAIN}
    assert all(d.supersedes == firsts[d.shipment_id] for _, d in detained)
    assert {d.as_of for _, d in detained} == {moment}
    assert all((d.decision_id or "").endswith(f"@{in_force.isoformat()}") for _, d in detained)

    revoking = wro(2, datetime.now(UTC), revoked=revoked, in_force=in_force)
    _publish(bootstrap, topics, revoking)
    time.sleep(2.0)  # as of its commit (before the detentions' date) nothing may go back
    _reach(bootstrap, topics, revoked, 200_000)
    both = _read_superseding(bootstrap, topics, 20)
    released = [d for _, d in both if d.outcome is Outcome.RELEASE]

    assert len(both) == 20
    assert sorted(d.shipment_id for d in released) == sorted(covered)
    by_shipment = {d.shipment_id: d.decision_id for _, d in detained}
    assert all(d.supersedes == by_shipment[d.shipment_id] for d in released)


def test_a_date_comes_on_the_clock_while_no_shipment_comes(
    bootstrap: str, topics: Topics, start_worker: Callable[..., Worker]
) -> None:
    """A quiet stream (an importer's few filings a day): shipments filed an hour before a WRO's
    in-force date (today, UTC) are released as of their own time; no event after the date
    comes, but the clock has passed it, and the worker supersedes the covered ones. (Decided up
    to 25 hours after their time, late in the day: the stream counts as live within 48.)"""
    moment, firsts, covered = _filed_before_today(
        bootstrap, topics, start_worker("a", clock_dates_lag_hours="48")
    )
    detained = _read_superseding(bootstrap, topics, 10)

    assert sorted(d.shipment_id for _, d in detained) == sorted(covered)
    assert {d.outcome for _, d in detained} == {Outcome.DETAIN}
    assert all(d.supersedes == firsts[d.shipment_id] for _, d in detained)
    assert {d.as_of for _, d in detained} == {moment}


def test_a_worker_restarted_on_a_quiet_stream_meets_a_date_on_the_clock(
    bootstrap: str, topics: Topics, start_worker: Callable[..., Worker]
) -> None:
    """A deploy restarts the worker of a quiet stream: the new one restores the open shipments
    and no shipment comes. The old one's changelog records, written within the lag of their
    stream time, say the stream is live, so the WRO's in-force date (today, UTC) that the clock
    has passed is acted on by the new worker. (The old one never acts on dates by the clock:
    lag 0.)"""
    old = start_worker("a", clock_dates_lag_hours="0")
    moment, firsts, covered = _filed_before_today(bootstrap, topics, old)
    _wait_open([old], 200)
    old.stop()
    new = start_worker("b", clock_dates_lag_hours="48")
    detained = _read_superseding(bootstrap, topics, 10)

    assert sorted(d.shipment_id for _, d in detained) == sorted(covered)
    assert {(d.outcome, d.as_of) for _, d in detained} == {(Outcome.DETAIN, moment)}
    assert all(d.supersedes == firsts[d.shipment_id] for _, d in detained)
    assert {r.headers[0][1] for r, _ in detained} == {b"b"}, new.log()[-2000:]


def _filed_before_today(
    bootstrap: str, topics: Topics, worker: Worker
) -> tuple[datetime, dict[str, str], set[str]]:
    """Once `worker` is ready: a WRO in force from today (00:00 UTC) is published, then 200
    shipments filed an hour before, 10 of them covered, are decided. The in-force moment, the
    first decision ids, the covered."""
    worker.wait_ready()
    in_force = datetime.now(UTC).date()
    moment = datetime.combine(in_force, clock.min, UTC)
    _publish(bootstrap, topics, wro(1, moment - timedelta(days=2), in_force=in_force))
    firsts, covered = _file(bootstrap, topics, 200, 10, moment - timedelta(hours=1))
    return moment, firsts, covered


def test_a_quiet_stream_closes_its_shipments_as_the_clock_takes_them_out_of_the_window(
    bootstrap: str, topics: Topics, start_worker: Callable[..., Worker]
) -> None:
    """A window of 43 s, 50 shipments filed 30 s ago, then nothing: the worker's window goes on
    with the clock, and its sweep closes them and writes their tombstones (before, they stayed
    open until the next shipment came)."""
    worker = start_worker("a", open_window_days="0.0005")
    worker.wait_ready()
    firsts, _ = _file(bootstrap, topics, 50, 1, datetime.now(UTC) - timedelta(seconds=30))
    _wait_open([worker], 50)
    _wait_open([worker], 0, timeout=75.0)  # the sweep runs every 30 s

    def closed(records: Records) -> bool:
        return len({r.key for r in records if r.value is None}) >= 50

    changelog = asyncio.run(read_until(bootstrap, [topics.open_shipments], closed, 30.0))
    assert {r.key.decode() for r in changelog if r.key and r.value is None} == set(firsts)


# 0.0: killed as the date's first events arrive (its successor may see them, or restore them
# and look back); 0.5: killed while, or just after, it re-decides its own.
@pytest.mark.parametrize("kill_after", [0.0, 0.5])
def test_worker_killed_as_a_date_comes_every_covered_shipment_gets_its_superseding_decision(
    bootstrap: str, topics: Topics, start_worker: Callable[..., Worker], kill_after: float
) -> None:
    workers = [start_worker("a"), start_worker("b")]
    for worker in workers:
        worker.wait_ready()
    _wait_assigned(workers)
    now = datetime.now(UTC)
    _, covered = _file(bootstrap, topics, 4_000, 400, now)
    _wait_open(workers, 4_000)
    in_force = (now + timedelta(days=1)).date()
    _publish(bootstrap, topics, wro(1, now, in_force=in_force))
    time.sleep(2.0)
    moment = _reach(bootstrap, topics, in_force, 100_000)
    time.sleep(kill_after)
    workers[0].kill()
    records = asyncio.run(_read_all(bootstrap, topics.decisions, 400, 3.0))
    found, released = _superseding(records), _released(records)

    by_shipment: dict[str, list[Decision]] = {}
    for _, decision in found:
        by_shipment.setdefault(decision.shipment_id, []).append(decision)
    assert set(by_shipment) == covered, (len(covered - set(by_shipment)), workers[1].log()[-2000:])
    for decisions in by_shipment.values():
        first = decisions[0]
        assert first.outcome is Outcome.DETAIN and first.supersedes in released[first.shipment_id]
        assert first.as_of == moment
        # a repeat (the successor's look-back, or a redelivered event) is the same decision
        assert all(
            d.model_copy(update={"decided_at": first.decided_at}) == first for d in decisions
        )
    duplicates = len(found) - len(by_shipment)
    print(f"kill -9 as a date came: {len(by_shipment)} superseded, {duplicates} duplicates")


def test_a_worker_taking_over_partitions_looks_back_for_a_date_their_worker_never_reached(
    bootstrap: str, topics: Topics, start_worker: Callable[..., Worker]
) -> None:
    """Only partition 0 gets an event of the WRO's date: its worker re-decides its own covered
    shipments. The other worker, whose stream never reached the date, is killed: the survivor
    restores its open shipments and, its own stream time past the date, re-decides them."""
    workers = {worker_id: start_worker(worker_id) for worker_id in ("a", "b")}
    for worker in workers.values():
        worker.wait_ready()
    _wait_assigned(list(workers.values()))
    now = datetime.now(UTC)
    _, covered = _file(bootstrap, topics, 2_000, 200, now)
    _wait_open(list(workers.values()), 2_000)
    in_force = (now + timedelta(days=1)).date()
    _publish(bootstrap, topics, wro(1, now, in_force=in_force))
    time.sleep(2.0)
    moment = _reach(bootstrap, topics, in_force, 100_000, partitions=1)
    own = _read_superseding(bootstrap, topics, 1, settle=2.0)
    (reached,) = {dict(r.headers)["worker"].decode() for r, _ in own}
    assert 0 < len(own) < len(covered)  # the other worker's covered shipments wait

    (victim,) = set(workers) - {reached}
    workers[victim].kill()
    records = asyncio.run(_read_all(bootstrap, topics.decisions, len(covered), 3.0))
    found, released = _superseding(records), _released(records)

    assert {d.shipment_id for _, d in found} == covered
    assert {dict(r.headers)["worker"].decode() for r, _ in found} == {reached}
    assert all(d.outcome is Outcome.DETAIN and d.as_of == moment for _, d in found)
    assert all(d.supersedes in released[d.shipment_id] for _, d in found)
    assert len(found) == len(covered)  # each once: nothing was re-decided twice
