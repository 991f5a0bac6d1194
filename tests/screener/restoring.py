"""A takeover's restore with the stream going on: one scenario, run with the restore's Kafka
reads faked (test_ongoing_logic.py, the events read back only when the scenario lets them) and
against the broker (test_ongoing.py, the reads real); and the producer double both give the
edge's `Outbox`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from laborguard_contracts import Decision, Outcome, ShipmentEvent, ShipmentEventType
from laborguard_contracts.codec import decode, encode
from laborguard_screener.changelog import decode_open, encode_open
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import DEFAULT_POLICY, Trace, screen
from laborguard_screener.intake import Screened, take_in
from laborguard_screener.ongoing import OngoingScreening
from laborguard_screener.openshipments import OpenShipment
from laborguard_screener.outbox import Outbox
from laborguard_screener.settings import ScreenerSettings
from testbed.factory import EVENT_TIME, shipment, synthetic_name

from .fleet import LISTED, wro

DECIDED = datetime(2026, 12, 1, tzinfo=UTC)


def held_events() -> dict[int, ShipmentEvent]:
    """The open shipments the last worker held on partition 0 (1 and 5 made by the company the
    scenario's WRO lists), by number."""
    return {
        n: shipment(n, LISTED if n in (1, 5) else synthetic_name(n), country="CN")
        for n in range(1, 7)
    }


def changelog_values(held: dict[int, ShipmentEvent], offsets: dict[int, int]) -> dict[str, bytes]:
    """Their changelog records as the last worker wrote them: decided with no order in force,
    each naming its event's offset in `shipments` partition 0."""
    return {
        event.shipment_id: encode_open(
            OpenShipment.of(
                0, encode(event), event, screen(event, OrderBook(), decided_at=DECIDED), offsets[n]
            )
        )
        for n, event in held.items()
    }


async def screen_while_restoring(
    ongoing: OngoingScreening,
    sent: SentRecords,
    held: dict[int, ShipmentEvent],
    offsets: dict[int, int],
    read_back: Callable[[], None],
) -> None:
    """A takeover screens a partition's new events while the events of its open shipments are
    still reading back (`read_back` lets them finish). The stream's word wins over a record not
    yet restored: a replay of the event a record holds restores it at once and is amended (here
    superseded: a WRO came meanwhile); a final event closes it (a tombstone, not restored
    later); a newer event replaces it; an older one does not. The rest are restored, and the
    restore's re-decision reaches those decided against another order state, each once."""
    issued = wro(committed_at=DECIDED)
    ongoing.feed.book.apply(issued)
    ongoing.feed.latest_commit = DECIDED
    ongoing.feed.ready.set()
    first_decision = decode_open(changelog_values(held, offsets)["shp-1"]).decision_id

    def decide(event: ShipmentEvent, at: int) -> tuple[Decision, tuple[bytes | None] | None]:
        value = encode(event)
        taken = take_in(value, ongoing.feed.book, DEFAULT_POLICY, DECIDED, trace=Trace())
        assert isinstance(taken, Screened)
        taken = ongoing.amend(taken, 0, at, value)
        return taken.decision, ongoing.follow(0, at, value, taken)

    ongoing.assigned([0], 1)
    await asyncio.wait_for(ongoing.wait_screenable([0]), 10)
    # No await from here to `read_back`: the restore cannot go on meanwhile.
    assert not ongoing._restored[0].is_set()  # screened before it is restored
    replay, _ = decide(held[1], offsets[1])
    assert (replay.outcome, replay.supersedes) == (Outcome.DETAIN, first_decision)
    closing = shipment(2).model_copy(
        update={"event_id": "evt-2-final", "event_type": ShipmentEventType.ENTRY_SUMMARY_FILED}
    )
    assert decide(closing, 1_000)[1] == (None,)
    older = held[3].model_copy(
        update={"event_id": "evt-3-old", "event_time": EVENT_TIME - timedelta(days=1)}
    )
    assert decide(older, 1_001)[1] is None
    newer = held[4].model_copy(
        update={"event_id": "evt-4-new", "event_time": EVENT_TIME + timedelta(hours=1)}
    )
    assert decide(newer, 1_002)[1] is not None
    assert decide(shipment(9), 1_003)[1] is not None

    read_back()
    await asyncio.wait_for(ongoing.wait_restored([0]), 30)
    await ongoing._restoring[0]  # the re-decision after the restore
    events = {s.shipment_id: s.event_id for s in ongoing.state}
    assert events == {
        "shp-1": "evt-1",
        "shp-3": "evt-3",
        "shp-4": "evt-4-new",
        "shp-5": "evt-5",
        "shp-6": "evt-6",
        "shp-9": "evt-9",
    }
    assert ongoing._pending == {}
    # The restore's re-decision: shp-5 only (shp-1 was amended already, as it was replayed).
    assert [(d.shipment_id, d.outcome) for d in sent.decisions()] == [("shp-5", Outcome.DETAIN)]


class SentRecords:
    """A producer for a real `Outbox`: keeps the records it is handed, and the tombstones'
    keys."""

    def __init__(self) -> None:
        self.tombstones: list[bytes] = []
        self.records: list[tuple[str, bytes | None, bytes | None]] = []

    def decisions(self) -> list[Decision]:
        return [
            decode(Decision, v)
            for t, _, v in self.records
            if t == ScreenerSettings().decisions_topic and v
        ]

    async def outbox(self) -> Outbox[Any]:
        outbox: Outbox[Any] = Outbox(self, lambda sources: None)
        await outbox.know_partitions(ScreenerSettings().decisions_topic)
        return outbox

    async def partitions_for(self, topic: str) -> set[int]:
        return {0, 1, 2, 3}

    def create_batch(self) -> _Batch:
        return _Batch()

    async def send_batch(self, batch: Any, topic: str, partition: int) -> asyncio.Future[None]:
        self.tombstones += [key for key, value in batch.records if value is None]
        self.records += [(topic, key, value) for key, value in batch.records]
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


class _Batch:
    def __init__(self) -> None:
        self.records: list[tuple[bytes | None, bytes | None]] = []

    def append(
        self, *, timestamp: None, key: bytes | None, value: bytes | None, headers: Any
    ) -> _Batch:
        self.records.append((key, value))
        return self
