from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from laborguard_contracts import OrderKind, Outcome
from laborguard_screener import metrics
from laborguard_screener.deadletter import DeadLetterReason

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("name", "label", "values"),
    [
        ("screener_decisions_total", "outcome", [o.value for o in Outcome]),
        ("screener_matches_total", "order_kind", [k.value for k in OrderKind]),
        ("screener_dead_letters_total", "reason", [r.value for r in DeadLetterReason]),
    ],
)
def test_every_known_label_value_is_exported_before_its_first_event(
    name: str, label: str, values: list[str]
) -> None:
    assert metrics.DECISIONS is not None  # the module declares and initialises on import
    for value in values:
        assert REGISTRY.get_sample_value(name, {label: value}) is not None, (name, value)
