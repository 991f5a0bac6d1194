from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from laborguard_contracts.seed import load_seed
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import screen

from .builders import DECIDED_AT, order, shipment

pytestmark = pytest.mark.unit


def test_holds_every_seed_order() -> None:
    book = OrderBook.of(load_seed())
    assert len(book) == len(load_seed())
    assert book.get("uflpa-xpcc") is not None


def test_newer_version_replaces_and_stale_or_duplicate_is_ignored() -> None:
    book = OrderBook.of([order(version=2)])
    assert book.apply(order(version=1)) is False
    assert book.apply(order(version=2)) is False
    assert book.apply(order(version=3)) is True
    held = book.get("wro-test")
    assert held is not None and held.version == 3


def test_version_digest_does_not_depend_on_update_order() -> None:
    updates = [order("a"), order("b"), order("a", version=2), order("c")]
    forwards = OrderBook.of(updates)
    backwards = OrderBook.of(reversed(updates))
    assert forwards.version == backwards.version
    assert forwards.version != OrderBook.of(updates[:2]).version


def test_version_digest_of_empty_book_differs_from_any_held_state() -> None:
    assert OrderBook().version != OrderBook.of([order()]).version


def test_replaced_version_no_longer_matches_its_dropped_name() -> None:
    book = OrderBook.of([order(entities=({"name": "Old Zephyrine Widgets Co."},))])
    book.apply(order(version=2, entities=({"name": "New Quillmore Widgets Co."},)))
    old = screen(shipment("Old Zephyrine Widgets Co."), book, decided_at=DECIDED_AT)
    new = screen(shipment("New Quillmore Widgets Co."), book, decided_at=DECIDED_AT)
    assert (old.outcome, new.outcome) == ("RELEASE", "DETAIN")


def test_counts_orders_in_force_on_a_date() -> None:
    revoked = order(
        "b",
        timeline=(
            {"kind": "in_force", "effective": "2020-01-01"},
            {"kind": "revoked", "effective": "2021-01-01"},
        ),
    )
    book = OrderBook.of([order("a"), revoked])
    assert book.in_force_count(datetime(2020, 6, 1, tzinfo=UTC)) == 2
    assert book.in_force_count(datetime(2021, 6, 1, tzinfo=UTC)) == 1
    assert book.in_force_count(datetime(2019, 6, 1, tzinfo=UTC)) == 0


def test_incremental_updates_decide_like_a_book_built_from_the_final_state() -> None:
    seed = list(load_seed())
    streamed = OrderBook.of(seed)
    final = {o.order_id: o for o in seed}
    for n, original in enumerate(seed[::3]):
        renamed = order(
            original.order_id,
            version=original.version + 1,
            entities=({"name": f"Renamed Quillmore {n} Works Co.", "aliases": ["Hetian Taida"]},),
        )
        streamed.apply(renamed)
        final[original.order_id] = renamed
    rebuilt = OrderBook.of(final.values())
    assert streamed.version == rebuilt.version
    makers: list[str | dict[str, Any]] = [
        "Renamed Quillmore 4 Works Co.",
        "Renamed Quilmore 4 Works Co.",
        "Hetian Taida",
        "Hetian Taida Apparel Co., Ltd.",
        "Hoshine Silicon Industry Co., Ltd.",
        "Lop County Hair Product Industrial Park",
        "新疆生产建设兵团",
        {"name": "Acme", "address": {"city": "Kashgar"}},
    ]
    for maker in makers:
        event = shipment(maker, when="2024-06-01T00:00:00Z")
        assert screen(event, streamed, decided_at=DECIDED_AT) == screen(
            event, rebuilt, decided_at=DECIDED_AT
        )


def test_empty_book_releases_everything_with_the_empty_digest() -> None:
    decision = screen(
        shipment("Hetian Taida Apparel Co., Ltd."), OrderBook(), decided_at=DECIDED_AT
    )
    assert (decision.outcome, decision.orders_in_state) == ("RELEASE", 0)
    assert decision.order_state_version == "0" * 16


def test_decisions_stay_correct_when_the_name_memo_evicts(monkeypatch: pytest.MonkeyPatch) -> None:
    from laborguard_screener.engine import matching

    monkeypatch.setattr(matching, "_MEMO_LIMIT", 4)
    book = OrderBook.of([order(entities=({"name": "Quillmore Widget Co."},))])
    outcomes = [
        screen(shipment(name), book, decided_at=DECIDED_AT).outcome
        for name in ["Quillmore Widget Co.", "A Co", "B Co", "C Co", "D Co", "Quillmore Widget Co."]
    ]
    assert outcomes == ["DETAIN", *["RELEASE"] * 4, "DETAIN"]
