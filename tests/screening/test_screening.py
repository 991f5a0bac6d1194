"""screen(): which orders reach a shipment, on what evidence, and what stays out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from laborguard_contracts import Decision
from laborguard_contracts.seed import load_seed
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import ENGINE_VERSION, ScreeningPolicy, screen

from .builders import DECIDED_AT, order, shipment

pytestmark = pytest.mark.unit

SEED = OrderBook.of(load_seed())
UFLPA = "region-2022-uflpa-xuar-presumption"


def decide(*args: object, book: OrderBook = SEED, **kwargs: object) -> Decision:
    return screen(shipment(*args, **kwargs), book, decided_at=DECIDED_AT)  # type: ignore[arg-type]


def orders_of(decision: Decision) -> set[str]:
    return {match.order_id for match in decision.matches}


def test_detains_hair_products_from_lop_county_park_with_evidence() -> None:
    decision = decide("Luopu County Hair Products Industrial Park", hts="6704.20.0000")
    assert decision.outcome == "DETAIN"
    match = next(m for m in decision.matches if m.order_id.startswith("wro-"))
    (evidence,) = match.evidence
    assert evidence.subject == "lines[0].manufacturer.name"
    assert evidence.observed == "Luopu County Hair Products Industrial Park"
    assert evidence.matched == "Lop County Hair Product Industrial Park"
    assert evidence.rule == "exact_name" and evidence.line_number == 1


def test_fuzzy_match_reports_its_score_and_respects_the_threshold() -> None:
    typo = "Hetian Tiada Apparel Co., Ltd."
    decision = decide(typo, when="2020-01-10T00:00:00+00:00")
    (evidence,) = decision.matches[0].evidence
    assert evidence.rule == "fuzzy_name" and evidence.score is not None
    assert 90 <= evidence.score < 100
    strict = screen(
        shipment(typo, when="2020-01-10T00:00:00+00:00"),
        SEED,
        decided_at=DECIDED_AT,
        policy=ScreeningPolicy(fuzzy_threshold=99.0),
    )
    assert strict.outcome == "RELEASE" and strict.fuzzy_threshold == 99.0


@pytest.mark.parametrize(
    "name",
    [
        "Xinjiang",
        "XUAR",
        "Xinjiang Uyghur Autonomous Region (XUAR)",
        "Xinjiang Cotton Textile Group Co., Ltd.",
        "China Cotton Group Xinjiang Cotton Trading Co.",
        "Hotan Cotton Trading Import Export Co.",
    ],
)
def test_generic_words_never_carry_a_match_even_at_a_low_threshold(name: str) -> None:
    lenient = ScreeningPolicy(fuzzy_threshold=50.0)
    decision = screen(shipment(name), SEED, decided_at=DECIDED_AT, policy=lenient)
    assert decision.outcome == "RELEASE", decision.matches


def test_upstream_producer_evidence_names_the_input_path() -> None:
    yarn = {"material": "yarn", "producer": {"name": "Xinjiang Production and Construction Corps"}}
    decision = decide("Saigon Knit JSC", country="VN", inputs=(yarn,), when="2021-06-01T00:00:00Z")
    (match,) = decision.matches
    (evidence,) = match.evidence
    assert match.order_id == "wro-2020-xpcc-cotton"
    assert (evidence.rule, evidence.subject) == (
        "upstream_producer",
        "lines[0].inputs[0].producer.name",
    )


def test_upstream_input_hts_brings_a_car_seat_into_the_cotton_order_scope() -> None:
    cotton = {"material": "cotton", "hts_code": "5201001200", "origin_region": "CN-XJ"}
    decision = decide("Monterrey Asientos SA", hts="9401200000", country="MX", inputs=(cotton,))
    assert orders_of(decision) == {"region-2021-xuar-cotton-tomato", UFLPA}
    assert {e.rule for m in decision.matches for e in m.evidence} == {"upstream_origin"}


def test_mid_city_part_alone_does_not_detain() -> None:
    maker = {"name": "Golden Harvest Silk Mill", "mid": "CNGOLHAR12HOT"}
    assert decide(maker).outcome == "RELEASE"


def test_listed_mid_detains_whatever_the_name() -> None:
    listed = order(entities=({"name": "Quillmore Widget Co.", "mids": ["CNQUIWID88SHA"]},))
    book = OrderBook.of([listed])
    decision = decide({"name": "QW Export Dept.", "mid": "CNQUIWID88SHA"}, book=book)
    assert [e.rule for e in decision.matches[0].evidence] == ["mid"]


def test_exemption_matches_the_party_through_name_normalisation() -> None:
    exempting = order(
        timeline=(
            {"kind": "in_force", "effective": "2020-01-01"},
            {"kind": "exemption_granted", "effective": "2021-01-01", "party": "Acme Refining Ltd."},
            {"kind": "exemption_ended", "effective": "2023-01-01", "party": "Acme Refining Ltd."},
        )
    )
    book = OrderBook.of([exempting])
    maker = "Listed Example Widget Co., Ltd."
    kwargs = {"importer": "ACME REFINING LIMITED"}
    assert decide(maker, when="2020-06-01T00:00:00Z", book=book, **kwargs).outcome == "DETAIN"
    assert decide(maker, when="2022-06-01T00:00:00Z", book=book, **kwargs).outcome == "RELEASE"
    assert decide(maker, when="2023-06-01T00:00:00Z", book=book, **kwargs).outcome == "DETAIN"


def test_as_of_overrides_the_event_time() -> None:
    event = shipment("Hetian Taida Apparel Co., Ltd.", when="2019-01-01T00:00:00Z")
    assert screen(event, SEED, decided_at=DECIDED_AT).outcome == "RELEASE"
    later = datetime(2020, 1, 1, tzinfo=UTC)
    decision = screen(event, SEED, decided_at=DECIDED_AT, as_of=later)
    assert (decision.outcome, decision.as_of) == ("DETAIN", later)


def test_decision_records_state_engine_and_times() -> None:
    event = shipment("Acme Widget Factory")
    decision = screen(event, SEED, decided_at=DECIDED_AT)
    assert decision.order_state_version == SEED.version
    assert decision.orders_in_state == len(SEED)
    assert decision.engine_version == ENGINE_VERSION
    assert (decision.event_time, decision.as_of, decision.decided_at) == (
        event.event_time,
        event.event_time,
        DECIDED_AT,
    )
    assert (decision.shipment_id, decision.event_id) == (event.shipment_id, event.event_id)


def test_duplicate_event_yields_identical_decision() -> None:
    maker = {"name": "Hetian Tiada Apparel", "address": {"city": "Hotan", "postal_code": "848000"}}
    event = shipment(maker, when="2023-01-05T00:00:00Z")
    first = screen(event, SEED, decided_at=DECIDED_AT)
    version = SEED.version
    assert screen(event, SEED, decided_at=DECIDED_AT) == first
    assert SEED.version == version
    assert [m.order_id for m in first.matches] == sorted(m.order_id for m in first.matches)
    for match in first.matches:
        subjects = [(e.line_number, e.subject) for e in match.evidence]
        assert subjects == sorted(subjects)


def test_region_orders_are_not_matched_by_their_entity_names() -> None:
    assert decide("Xinjiang Uyghur Autonomous Region (XUAR)").outcome == "RELEASE"
    assert decide({"name": "Acme", "address": {"region": "CN-XJ"}}).outcome == "DETAIN"


@pytest.mark.parametrize(
    ("filed", "outcome"),
    [
        ("Nanjing Chenxuann Food Co., Ltd.", "DETAIN"),  # typo, same city
        ("Tianjin Chenxuan Food Co., Ltd.", "RELEASE"),  # same words, another city
        ("Nanjing Chenxuan Food Trading Import Export Co.", "RELEASE"),  # too far from the name
    ],
)
def test_similar_names_in_different_cities_are_different_companies(
    filed: str, outcome: str
) -> None:
    book = OrderBook.of([order(entities=({"name": "Nanjing Chenxuan Food Co., Ltd."},))])
    assert decide(filed, book=book).outcome == outcome


def test_mid_city_part_supports_a_region_match_found_another_way() -> None:
    maker = {"name": "Acme Knitting", "mid": "CNACMKNI12HOT", "address": {"postal_code": "848000"}}
    decision = decide(maker)
    (match,) = [m for m in decision.matches if m.order_id == UFLPA]
    subjects = {e.subject: e.rule for e in match.evidence}
    assert subjects == {
        "lines[0].manufacturer.address.postal_code": "postal_code",
        "lines[0].manufacturer.mid": "place_name",
    }
