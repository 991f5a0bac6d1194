"""Order lifecycles: in force, revoked (optionally by production date), exemptions."""

from __future__ import annotations

from datetime import date

import pytest

from laborguard_screener.engine.lifecycle import Lifecycle

from .builders import order

pytestmark = pytest.mark.unit

GLOVES = Lifecycle.of(
    order(
        timeline=(
            {"kind": "in_force", "effective": "2019-09-30"},
            {"kind": "revoked", "effective": "2020-03-23", "produced_after": "2020-03-16"},
        )
    )
)
REIMPOSED = Lifecycle.of(
    order(
        timeline=(
            {"kind": "in_force", "effective": "2020-01-01"},
            {"kind": "modified", "effective": "2020-06-01"},
            {"kind": "revoked", "effective": "2021-01-01"},
            {"kind": "in_force", "effective": "2022-01-01"},
        )
    )
)
EXEMPTING = Lifecycle.of(
    order(
        timeline=(
            {"kind": "in_force", "effective": "2019-09-30"},
            {
                "kind": "exemption_granted",
                "effective": "2020-05-28",
                "party": "Chambers Federation",
            },
            {"kind": "exemption_ended", "effective": "2022-01-01", "party": "Chambers Federation"},
        )
    )
)


@pytest.mark.parametrize(
    ("on", "produced", "covered"),
    [
        (date(2019, 9, 29), None, False),  # before it takes effect
        (date(2019, 9, 30), None, True),  # from its first day
        (date(2020, 3, 22), date(2020, 3, 20), True),  # revocation not yet effective
        (date(2020, 3, 23), None, False),  # no production date: ended at the revocation
        (date(2020, 4, 15), date(2020, 3, 10), True),  # made before the cut-off: still covered
        (date(2020, 4, 15), date(2020, 3, 16), True),  # made on the cut-off day
        (date(2020, 4, 15), date(2020, 3, 17), False),  # made after the cut-off
    ],
)
def test_revocation_by_production_date(on: date, produced: date | None, covered: bool) -> None:
    assert GLOVES.in_force(on, produced) is covered


@pytest.mark.parametrize(
    ("on", "covered"),
    [
        (date(2019, 12, 31), False),
        (date(2020, 7, 1), True),  # modified keeps it in force
        (date(2021, 1, 1), False),  # revoked on its day
        (date(2021, 12, 31), False),
        (date(2022, 1, 1), True),  # back in force
    ],
)
def test_revoked_then_back_in_force(on: date, covered: bool) -> None:
    assert REIMPOSED.in_force(on) is covered


@pytest.mark.parametrize(
    ("on", "parties", "covered"),
    [
        (date(2020, 5, 27), {"chambers federation"}, True),  # exemption not yet granted
        (date(2020, 5, 28), {"chambers federation"}, False),  # exempt from its day
        (date(2021, 6, 1), {"other miner"}, True),  # everyone else stays covered
        (date(2021, 6, 1), {"other miner", "chambers federation"}, False),
        (date(2022, 1, 1), {"chambers federation"}, True),  # exemption ended
    ],
)
def test_exemption_for_one_party(on: date, parties: set[str], covered: bool) -> None:
    assert EXEMPTING.covers(on, None, frozenset(parties)) is covered
