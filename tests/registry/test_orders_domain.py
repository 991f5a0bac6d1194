from __future__ import annotations

from datetime import date

import pytest

from laborguard_contracts import LegalAction, Order, OrderKind
from laborguard_contracts.seed import load_seed
from laborguard_registry import orders
from laborguard_registry.errors import InvalidChangeError, StaleVersionError
from laborguard_registry.orders import OrderStatus

pytestmark = pytest.mark.unit


def seed_order(order_id: str) -> Order:
    return next(order for order in load_seed() if order.order_id == order_id)


def test_amendment_makes_a_new_version_with_a_modified_event() -> None:
    order = seed_order("wro-2020-hefei-bitland")
    amended = orders.amend(order, {"hts_prefixes": ["8471"]}, 1, date(2023, 1, 5), "scope")
    assert amended.version == 2
    assert amended.hts_prefixes == ("8471",)
    assert amended.timeline[-1].kind.value == "modified"
    assert order.version == 1  # the input is untouched


def test_amendment_against_a_stale_version_is_refused() -> None:
    order = seed_order("wro-2020-hefei-bitland")
    with pytest.raises(StaleVersionError):
        orders.amend(order, {"notes": "x"}, expected_version=2, effective=date(2023, 1, 1))


@pytest.mark.parametrize("field", ["order_id", "version", "kind", "timeline", "updated_at"])
def test_amendment_cannot_touch_identity_or_history(field: str) -> None:
    order = seed_order("wro-2020-hefei-bitland")
    with pytest.raises(InvalidChangeError) as caught:
        orders.amend(order, {field: "x"}, 1, date(2023, 1, 1))
    assert caught.value.field == f"changes.{field}"


def test_amendment_producing_an_invalid_order_names_the_field() -> None:
    order = seed_order("wro-2020-hefei-bitland")
    with pytest.raises(InvalidChangeError) as caught:
        orders.amend(order, {"hts_prefixes": ["61x"]}, 1, date(2023, 1, 1))
    assert caught.value.field == "changes.hts_prefixes.0"


def test_editorial_amendment_changes_the_version_but_not_the_timeline() -> None:
    order = seed_order("wro-2020-hefei-bitland")
    amended = orders.amend(order, {"notes": "typo fixed"}, 1, date(2023, 1, 5))
    assert amended.version == 2 and amended.timeline == order.timeline


def test_back_dated_event_keeps_the_timeline_in_date_order() -> None:
    order = seed_order("wro-2020-top-glove")  # in force 2020-07-15, modified 2021-03-29, revoked
    amended = orders.amend(order, {"hts_prefixes": ["4015"]}, 1, date(2020, 12, 1))
    dates = [event.effective for event in amended.timeline]
    assert dates == sorted(dates) and date(2020, 12, 1) in dates


@pytest.mark.parametrize(
    ("at", "status"),
    [
        (date(2019, 9, 29), OrderStatus.PENDING),
        (date(2019, 9, 30), OrderStatus.IN_FORCE),
        (date(2024, 2, 29), OrderStatus.IN_FORCE),
        (date(2024, 3, 1), OrderStatus.REVOKED),
    ],
)
def test_status_across_a_revocation(at: date, status: OrderStatus) -> None:
    order = seed_order("wro-2019-hetian-taida-apparel")
    revoked = orders.revoke(order, 1, date(2024, 3, 1), note="lifted")
    assert orders.status_at(revoked, at) is status


def test_revoking_a_revoked_order_is_refused() -> None:
    order = seed_order("wro-2020-top-glove")
    with pytest.raises(InvalidChangeError):
        orders.revoke(order, 1, date(2022, 1, 1))


def test_exemption_covers_one_party_until_it_ends() -> None:
    order = seed_order("wro-2020-hefei-bitland")
    granted = orders.grant_exemption(order, 1, "Acme Importers", date(2022, 1, 1))
    ended = orders.end_exemption(granted, 2, "acme importers", date(2023, 1, 1))
    assert orders.exempted_parties(ended, date(2022, 6, 1)) == ("Acme Importers",)
    assert orders.exempted_parties(ended, date(2023, 6, 1)) == ()
    assert orders.status_at(ended, date(2022, 6, 1)) is OrderStatus.IN_FORCE


def test_ending_an_exemption_nobody_holds_is_refused() -> None:
    order = seed_order("wro-2020-hefei-bitland")
    with pytest.raises(InvalidChangeError) as caught:
        orders.end_exemption(order, 1, "Nobody Ltd", date(2022, 1, 1))
    assert caught.value.field == "party"


def test_escalating_a_wro_begins_a_finding_that_seizes() -> None:
    wro = seed_order("wro-2020-hefei-bitland")
    updated, finding = orders.escalate(wro, 1, "finding-hefei-bitland", date(2023, 5, 1), ("4015",))
    assert updated.version == 2 and updated.timeline[-1].kind.value == "modified"
    assert finding.kind is OrderKind.FINDING and finding.action is LegalAction.SEIZE
    assert finding.escalated_from == wro.order_id and finding.version == 1
    assert finding.entities == wro.entities and finding.hts_prefixes == ("4015",)


def test_only_a_wro_can_be_escalated() -> None:
    with pytest.raises(InvalidChangeError):
        orders.escalate(seed_order("uflpa-xpcc"), 1, "finding-x", date(2023, 5, 1))


def test_entity_filter_matches_aliases_case_insensitively() -> None:
    assert orders.names_entity(seed_order("uflpa-xpcc"), "production and construction")
    assert not orders.names_entity(seed_order("uflpa-xpcc"), "top glove")


def test_an_event_before_the_order_took_effect_is_refused() -> None:
    order = seed_order("wro-2020-hefei-bitland")
    with pytest.raises(InvalidChangeError) as caught:
        orders.revoke(order, 1, date(2019, 1, 1))
    assert caught.value.field == "effective"
