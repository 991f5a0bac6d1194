"""Values that validate must be values that can work: ASCII digits in HTS codes, order ids a
registry can route, bounded versions, no control characters (issue 12, finding 2)."""

from __future__ import annotations

from typing import Any

import pytest

from laborguard_contracts import ContractError, Order, ShipmentEvent
from laborguard_contracts.codec import decode, dumps, encode
from laborguard_contracts.seed import load_seed

pytestmark = pytest.mark.unit

ORDER = load_seed()[0]


def order_with(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = ORDER.model_dump(mode="json")
    document.update(changes)
    return document


@pytest.mark.parametrize("prefix", ["٨٤٧١", "８４７１", "84٧1", "8471\u00b2"])
def test_hts_prefixes_in_non_ascii_digits_are_refused(prefix: str) -> None:
    with pytest.raises(ContractError) as refused:
        decode(Order, dumps(order_with(hts_prefixes=[prefix])))
    assert refused.value.field == "hts_prefixes.0"


@pytest.mark.parametrize("code", ["٦٧٠٤.٢٠.٠٠٠٠", "６７０４.２０.００００"])
def test_shipment_hts_codes_in_non_ascii_digits_are_refused(code: str) -> None:
    line = {
        "line_number": 1,
        "hts_code": code,
        "country_of_origin": "CN",
        "value_usd": "1.00",
        "manufacturer": {"name": "Acme"},
    }
    event = {
        "event_id": "evt-1",
        "shipment_id": "ABC1",
        "event_type": "entry_filed",
        "event_time": "2020-10-01T08:00:00-07:00",
        "port_code": "2704",
        "importer_of_record": {"name": "Acme Imports LLC"},
        "lines": [line],
    }
    with pytest.raises(ContractError) as refused:
        decode(ShipmentEvent, dumps(event))
    assert refused.value.field == "lines.0.hts_code"


@pytest.mark.parametrize(
    "order_id",
    ["a/b-1", "WRO-1", "wro-1\x00", "wro\u200b-1", "wro-\u202e1", "wro 1", "-wro", "ｗｒｏ", ""],
)
def test_order_ids_are_lowercase_slugs(order_id: str) -> None:
    with pytest.raises(ContractError) as refused:
        decode(Order, dumps(order_with(order_id=order_id)))
    assert refused.value.field == "order_id"


def test_every_seed_order_id_is_a_slug() -> None:
    for order in load_seed():
        assert decode(Order, encode(order)) == order


@pytest.mark.parametrize(
    ("field", "value"),
    [
        *(("schema_version", value) for value in (999, 2, -1, 0, True, "1", 1.0)),
        *(("version", value) for value in (-1, 0, True, "1", 1.0)),
    ],
)
def test_versions_are_bounded_strict_integers(field: str, value: object) -> None:
    with pytest.raises(ContractError) as refused:
        decode(Order, dumps(order_with(**{field: value})))
    assert refused.value.field == field


@pytest.mark.parametrize("text", ["a\x00b", "bell\x07", "esc\x1b[31m", "del\x7f"])
def test_control_characters_are_refused_in_names_and_text(text: str) -> None:
    for field in ("title", "notes"):
        with pytest.raises(ContractError) as refused:
            decode(Order, dumps(order_with(**{field: text})))
        assert refused.value.field == field


def test_line_breaks_stay_allowed_in_free_text() -> None:
    assert decode(Order, dumps(order_with(notes="first\nsecond\tthird"))).notes


def test_timeline_dates_are_iso_text_not_numbers() -> None:
    timeline = [{"kind": "in_force", "effective": 0}]
    with pytest.raises(ContractError) as refused:
        decode(Order, dumps(order_with(timeline=timeline)))
    assert refused.value.field == "timeline.0.effective"
