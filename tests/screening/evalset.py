"""The labelled evaluation set: its cases and the order state they are labelled against."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from laborguard_contracts import Order, ShipmentEvent
from laborguard_contracts.codec import loads
from laborguard_contracts.seed import load_orders, load_seed
from laborguard_screener.engine.orderbook import OrderBook

DATA = Path(__file__).resolve().parent / "data"
EVAL_SET = DATA / "eval_set.jsonl"
OVERLAY = DATA / "eval_orders_overlay.jsonl"


@dataclass(frozen=True)
class LabelledCase:
    case: str
    category: str
    expected_outcome: str
    expected_orders: frozenset[str]
    expected_rules: frozenset[str]
    event: ShipmentEvent


def load_cases(path: Path = EVAL_SET) -> list[LabelledCase]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        raw = loads(line)
        cases.append(
            LabelledCase(
                raw["case"],
                raw["category"],
                raw["expected_outcome"],
                frozenset(raw["expected_orders"]),
                frozenset(raw["expected_rules"]),
                ShipmentEvent.model_validate(raw["event"]),
            )
        )
    return cases


def eval_orders() -> list[Order]:
    """The seed, then the overlay's newer versions (illustrative MIDs)."""
    return [*load_seed(), *load_orders(OVERLAY)]


def eval_book() -> OrderBook:
    return OrderBook.of(eval_orders())
