"""The name memo survives order churn without ever changing a decision.

An order update evicts only the memoised look-ups it could change; these tests stream random
adds, replacements and removals of listed names (sharing tokens, one-edit spellings, native-name
substrings and MIDs with the screened parties) between screenings, and compare every decision
with the decision of a book freshly built from the same orders, whose memo is empty.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from laborguard_contracts import Order
from laborguard_screener.engine import matching
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import ScreeningPolicy, screen

from .builders import DECIDED_AT, order, shipment

pytestmark = pytest.mark.unit

DISTINCTIVE = [
    "Quillmore",
    "Quilmore",
    "Quillmora",
    "Zephyrine",
    "Zephyrin",
    "Tarnvale",
    "Harwick",
    "Harwik",
    "Hawirck",  # two edits from "Harwick", one deletion from it shared: a candidate, no partner
    "Oskarby",
]
GENERIC = ["Textile Co., Ltd.", "Silicon Industry Co.", "Apparel Group", "Cotton Co.", ""]
CITIES = ["Kashgar", "Hotan", ""]
NATIVE = [
    "新疆生产建设兵团",
    "生产建设兵团",
    "建设兵团第一师",
    "喀什纺织有限公司",
    "纺织有限",
    "和田棉业",
]
MIDS = ["CNQUILMOR1KAS", "CNQUILMOR2KAS", "CNZEPHYR88HOT"]
ORDER_IDS = [f"wro-churn-{n}" for n in range(10)]
POLICIES = [ScreeningPolicy(), ScreeningPolicy(fuzzy_threshold=80.0)]


def _name(rng: random.Random) -> str:
    words = rng.sample(DISTINCTIVE, rng.choice([1, 1, 2]))
    return " ".join([rng.choice(CITIES), *words, rng.choice(GENERIC)]).strip()


def _entity(rng: random.Random) -> dict[str, Any]:
    entity: dict[str, Any] = {"name": _name(rng)}
    if rng.random() < 0.5:
        entity["aliases"] = [_name(rng)]
    if rng.random() < 0.4:
        entity["native_names"] = [rng.choice(NATIVE)]
    if rng.random() < 0.3:
        entity["mids"] = [rng.choice(MIDS)]
    return entity


def _party(rng: random.Random) -> dict[str, Any]:
    party: dict[str, Any] = {"name": rng.choice([_name(rng), rng.choice(NATIVE)])}
    if rng.random() < 0.3:
        party["native_name"] = rng.choice([*NATIVE, "新疆生产建设兵团第一师"])
    if rng.random() < 0.2:
        party["mid"] = rng.choice(MIDS)
    return party


def _update(rng: random.Random, held: dict[str, Order]) -> Order:
    order_id = rng.choice(ORDER_IDS)
    version = held[order_id].version + 1 if order_id in held else 1
    if rng.random() < 0.25:  # no names any more: its listings leave the index
        return order(order_id, version=version, kind="region_order", entities=(), region="CN-XJ")
    entities = tuple(_entity(rng) for _ in range(rng.choice([1, 1, 2])))
    return order(order_id, version=version, entities=entities)


@pytest.mark.parametrize("seed", [3, 17, 2026])
@pytest.mark.parametrize("invalidations", [None, 3])  # 3: the whole memo dropped every few
def test_decisions_under_order_churn_equal_a_fresh_books(
    seed: int, invalidations: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if invalidations is not None:
        monkeypatch.setattr(matching, "_INVALIDATIONS_PER_MEMO", invalidations)
    rng = random.Random(seed)
    parties = [_party(rng) for _ in range(24)]
    events = [shipment(party, when="2024-06-01T00:00:00Z") for party in parties]
    held: dict[str, Order] = {}
    streamed = OrderBook()
    detained = 0
    for _ in range(150):
        update = _update(rng, held)
        assert streamed.apply(update)
        held[update.order_id] = update
        fresh = OrderBook.of(held.values())
        for event in rng.sample(events, 8):
            policy = rng.choice(POLICIES)
            decision = screen(event, streamed, decided_at=DECIDED_AT, policy=policy)
            assert decision == screen(event, fresh, decided_at=DECIDED_AT, policy=policy)
            detained += decision.outcome == "DETAIN"
    assert 0 < detained < 150 * 8  # the stream both adds and drops matches


def test_adding_a_one_edit_spelling_reaches_a_name_screened_before() -> None:
    book = OrderBook.of([order("a", entities=({"name": "Tarnvale Textile Co."},))])
    event = shipment("Quilmore Textile Co.")
    assert screen(event, book, decided_at=DECIDED_AT).outcome == "RELEASE"
    book.apply(order("b", entities=({"name": "Quillmore Textile Co."},)))
    assert screen(event, book, decided_at=DECIDED_AT).outcome == "DETAIN"


def test_adding_a_native_name_inside_a_screened_name_reaches_it() -> None:
    book = OrderBook.of([order("a", entities=({"name": "Tarnvale Textile Co."},))])
    event = shipment("新疆生产建设兵团第一师")
    assert screen(event, book, decided_at=DECIDED_AT).outcome == "RELEASE"
    book.apply(order("b", entities=({"name": "XPCC", "native_names": ["生产建设兵团"]},)))
    assert screen(event, book, decided_at=DECIDED_AT).outcome == "DETAIN"


def test_removing_a_listing_releases_a_name_screened_before() -> None:
    book = OrderBook.of([order("a", entities=({"name": "Quillmore Textile Co."},))])
    event = shipment("Quilmore Textile Co.")
    assert screen(event, book, decided_at=DECIDED_AT).outcome == "DETAIN"
    book.apply(order("a", version=2, kind="region_order", entities=(), region="CN-XJ"))
    assert screen(event, book, decided_at=DECIDED_AT).outcome == "RELEASE"


def test_adding_a_spelling_reaches_a_name_in_letters_besides_a_to_z_screened_before() -> None:
    """A name without transliteration keeps its own letters: the memo's eviction spells with
    the letters its tokens hold (here a Khmer letter the listed token lacks)."""
    book = OrderBook.of([order("a", entities=({"name": "Tarnvale Textile Co."},))])
    event = shipment("កខគឃងជ Textile Co.")
    assert screen(event, book, decided_at=DECIDED_AT).outcome == "RELEASE"
    book.apply(order("b", entities=({"name": "កខគឃងច Textile Co."},)))
    assert screen(event, book, decided_at=DECIDED_AT).outcome == "DETAIN"
