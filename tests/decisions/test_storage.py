"""The decisions store's storage: idempotent, indexed for the console (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from laborguard_registry.decisions.consumer import to_batch
from laborguard_registry.decisions.records import Batch, Source, read_decision
from laborguard_registry.decisions.storage import DecisionStorage
from laborguard_registry.decisions.tables import decision_orders, decisions, store_rejects

from .documents import decision, shipment

pytestmark = pytest.mark.integration
DECISIONS, SHIPMENTS = "decisions", "shipments"


class FakeRecord:
    def __init__(self, topic: str, partition: int, offset: int, value: bytes) -> None:
        self.topic, self.partition, self.offset, self.value = topic, partition, offset, value


class Partition:
    def __init__(self, topic: str, partition: int) -> None:
        self.topic, self.partition = topic, partition


def batch_of(*records: tuple[str, bytes], first_offset: int = 0) -> Batch:
    """Records as one fetched batch of partition 0 of their topics."""
    by_topic: dict[str, list[FakeRecord]] = {}
    for topic, value in records:
        items = by_topic.setdefault(topic, [])
        items.append(FakeRecord(topic, 0, first_offset + len(items), value))
    return to_batch({Partition(t, 0): items for t, items in by_topic.items()}, DECISIONS)  # type: ignore[misc]


def count(engine: Engine, table: object) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_a_redelivered_batch_stores_nothing_twice(storage: DecisionStorage, engine: Engine) -> None:
    batch = batch_of(
        (DECISIONS, decision("shp-1")), (DECISIONS, decision("shp-1")),  # a screener duplicate
        (DECISIONS, decision("shp-2", "RELEASE")), (SHIPMENTS, shipment("shp-1")),
    )  # fmt: skip
    first = storage.write(batch, "store")
    again = storage.write(batch, "store")
    assert (first.decisions, first.shipments) == (2, 1)
    assert (again.decisions, again.shipments, again.rejects) == (0, 0, 0)
    assert count(engine, decisions) == 2
    assert count(engine, decision_orders) == 1


def test_offsets_are_stored_with_the_rows(storage: DecisionStorage) -> None:
    storage.write(batch_of((DECISIONS, decision("shp-1")), (DECISIONS, decision("shp-2"))), "a")
    storage.write(batch_of((DECISIONS, decision("shp-3")), first_offset=2), "a")
    assert storage.offsets("a") == {(DECISIONS, 0): 3}
    assert storage.offsets("b") == {}


def test_the_work_queue_holds_shipments_whose_latest_decision_detains_or_refers(
    storage: DecisionStorage,
) -> None:
    storage.write(batch_of(
        (DECISIONS, decision("shp-released-later", "DETAIN", minute=1)),
        (DECISIONS, decision("shp-released-later", "RELEASE", minute=5, state="s2",
                             supersedes="shp-released-later-e1")),
        (DECISIONS, decision("shp-referred", "REFER", minute=2)),
        (DECISIONS, decision("shp-detained", "DETAIN", minute=3)),
        (DECISIONS, decision("shp-released", "RELEASE", minute=4)),
    ), "store")  # fmt: skip
    queue = storage.queue()
    assert [(d.shipment_id, d.outcome) for d in queue] == [
        ("shp-detained", "DETAIN"),
        ("shp-referred", "REFER"),
    ]
    history = storage.history("shp-released-later")
    assert [d.outcome for d in history] == ["DETAIN", "RELEASE"]
    assert history[1].document["supersedes"] == "shp-released-later-e1"
    assert history[0].document["matches"][0]["evidence"][0]["observed"] == "Lop Hair Works"


def test_an_order_lists_the_shipments_it_detained_and_importers_are_searchable(
    storage: DecisionStorage,
) -> None:
    storage.write(batch_of(
        (DECISIONS, decision("shp-1", orders=(("wro-a", 2),))),
        (DECISIONS, decision("shp-2", orders=(("wro-a", 3), ("wro-b", 1)), minute=1)),
        (DECISIONS, decision("shp-3", orders=(("wro-b", 1),), minute=2)),
        (SHIPMENTS, shipment("shp-2", importer="Lop County Imports")),
    ), "store")  # fmt: skip
    assert [d.shipment_id for d in storage.detained_by("wro-a")] == ["shp-2", "shp-1"]
    assert [d.shipment_id for d in storage.search(importer="Lop County Imports")] == ["shp-2"]
    assert [d.shipment_id for d in storage.search(order_id="wro-b")] == ["shp-3", "shp-2"]
    assert storage.counts() == {"DETAIN": 3}
    assert list(storage.events("shp-2")) == ["shp-2-e1"]


def test_records_that_cannot_be_indexed_are_kept_with_the_reason(
    storage: DecisionStorage, engine: Engine
) -> None:
    batch = batch_of(
        (DECISIONS, b"{not json"), (DECISIONS, b'{"shipment_id": "shp-9"}'),
        (SHIPMENTS, b"[]"), (DECISIONS, decision("shp-1")),
    )  # fmt: skip
    assert sorted(r.reason.split(":")[0] for r in batch.rejects) == [
        "decision", "expected a JSON object", "not valid JSON",
    ]  # fmt: skip
    written = storage.write(batch, "store")
    storage.write(batch, "store")
    assert (written.decisions, written.rejects) == (1, 3)
    assert count(engine, store_rejects) == 3
    assert storage.offsets("store") == {(DECISIONS, 0): 3, (SHIPMENTS, 0): 1}


@pytest.mark.unit
def test_a_decision_is_identified_by_shipment_event_order_state_and_what_it_supersedes() -> None:
    source = Source(DECISIONS, 0, 0)

    def key(document: bytes) -> str:
        return read_decision(document, source).decision_key

    assert key(decision("s")) == key(decision("s", minute=7))  # redelivered, decided again
    assert key(decision("s")) != key(decision("s", state="s2"))
    assert key(decision("s")) != key(decision("s", supersedes="x"))
    assert key(decision("s")) != key(decision("s", event="s-e2"))
