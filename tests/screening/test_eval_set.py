"""Every labelled case of the evaluation set decides as labelled (data/eval_set.jsonl)."""

from __future__ import annotations

import pytest

from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import screen

from .builders import DECIDED_AT
from .evalset import LabelledCase, eval_book, load_cases

pytestmark = pytest.mark.unit

CASES = load_cases()


@pytest.fixture(scope="module")
def book() -> OrderBook:
    return eval_book()


def test_evaluation_set_is_large_and_balanced() -> None:
    outcomes = [case.expected_outcome for case in CASES]
    assert len(CASES) >= 300
    assert outcomes.count("DETAIN") >= 100 and outcomes.count("RELEASE") >= 100


@pytest.mark.parametrize("case", CASES, ids=[case.case for case in CASES])
def test_labelled_case(case: LabelledCase, book: OrderBook) -> None:
    decision = screen(case.event, book, decided_at=DECIDED_AT)
    matched = frozenset(match.order_id for match in decision.matches)
    rules = {e.rule.value for match in decision.matches for e in match.evidence}
    assert (decision.outcome.value, matched) == (case.expected_outcome, case.expected_orders)
    assert case.expected_rules <= rules
