"""Regions as filed: any spelling is accepted and kept, with the ISO 3166-2 code it names."""

from __future__ import annotations

import pytest

from laborguard_contracts import Address, ShipmentEvent, UpstreamInput
from laborguard_contracts.codec import decode, encode
from laborguard_contracts.regions import region_code

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("filed", "code"),
    [
        ("CN-XJ", "CN-XJ"),
        ("cn-xj", "CN-XJ"),
        ("CN-65", "CN-XJ"),  # China's former numeric code
        ("CN 65", "CN-XJ"),
        ("Xinjiang", "CN-XJ"),
        ("XINJIANG", "CN-XJ"),
        ("XUAR", "CN-XJ"),
        ("Xinjiang Uyghur Autonomous Region", "CN-XJ"),
        ("Xinjiang Uygur Autonomous Region", "CN-XJ"),
        ("Xinjiang Uygur Zizhiqu", "CN-XJ"),  # the ISO 3166-2 name itself
        ("Xinjiang Province", "CN-XJ"),
        ("Sinkiang", "CN-XJ"),
        ("East Turkestan", "CN-XJ"),
        ("新疆", "CN-XJ"),
        ("新疆维吾尔自治区", "CN-XJ"),
        ("Guangdong", "CN-GD"),  # ISO name "Guangdong Sheng", administrative word dropped
        ("Guangdong Province", "CN-GD"),
        ("Ningxia Hui Autonomous Region", "CN-NX"),
        ("Bayern", "DE-BY"),
        ("Ile-de-France", "FR-IDF"),  # accents folded: "Île-de-France"
        ("Atlantis", None),
        ("CN-ZZ", None),  # shaped like a code, names nothing
        ("Punjab", None),  # India and Pakistan both have one: the country must say which
    ],
)
def test_a_region_is_recognised_however_it_is_spelled(filed: str, code: str | None) -> None:
    assert region_code(filed) == code


def test_the_country_settles_a_region_name_several_countries_share() -> None:
    assert region_code("Punjab", "PK") == "PK-PB"
    assert region_code("Punjab", "IN") == "IN-PB"


@pytest.mark.parametrize("filed", ["Xinjiang", "XUAR", "新疆", "CN-65", "Atlantis", "  Hotan  "])
def test_an_address_keeps_the_region_as_filed_and_never_rejects_its_spelling(filed: str) -> None:
    address = Address.model_validate({"region": filed, "country": "CN"})
    assert address.region == filed.strip()
    assert address.region_code == region_code(filed)


def test_an_upstream_input_keeps_its_origin_as_filed_with_the_code_beside_it() -> None:
    item = UpstreamInput.model_validate(
        {"material": "cotton", "origin_country": "CN", "origin_region": "Xinjiang Uygur A.R."}
    )
    assert (item.origin_region, item.origin_region_code) == ("Xinjiang Uygur A.R.", None)
    item = UpstreamInput.model_validate({"material": "cotton", "origin_region": "XUAR"})
    assert (item.origin_region, item.origin_region_code) == ("XUAR", "CN-XJ")


def test_a_blank_region_is_no_region() -> None:
    assert Address.model_validate({"region": "   "}).region is None


def test_a_stated_code_stays_when_the_text_names_no_region_we_know() -> None:
    address = Address.model_validate({"region": "Region 7", "region_code": "CN-XJ"})
    assert (address.region, address.region_code) == ("Region 7", "CN-XJ")


def test_a_recognised_region_replaces_a_stated_code_but_not_a_malformed_one() -> None:
    address = Address.model_validate({"region": "Xinjiang", "region_code": "CN-GD"})
    assert address.region_code == "CN-XJ"
    with pytest.raises(ValueError, match="region_code"):
        Address.model_validate({"region": "Xinjiang", "region_code": "Xinjiang"})


def test_the_recognised_code_is_set_and_the_address_stays_frozen() -> None:
    address = decode(Address, b'{"region": "XUAR"}')
    assert address.region_code == "CN-XJ"
    assert address.model_fields_set == {"region", "region_code"}
    with pytest.raises(ValueError, match="frozen"):
        address.region_code = "CN-GD"  # type: ignore[misc]


def test_a_wrong_type_of_region_is_still_an_error_naming_the_field() -> None:
    with pytest.raises(ValueError, match="region"):
        Address.model_validate({"region": 65})


def test_region_and_code_survive_the_wire() -> None:
    event = ShipmentEvent.model_validate(
        {
            "event_id": "e-1",
            "shipment_id": "S-1",
            "event_type": "entry_filed",
            "event_time": "2024-03-01T10:00:00+00:00",
            "port_code": "2704",
            "importer_of_record": {"name": "Harbor Retail Imports LLC"},
            "lines": [
                {
                    "line_number": 1,
                    "hts_code": "6109100012",
                    "country_of_origin": "CN",
                    "value_usd": "10.00",
                    "manufacturer": {"name": "Acme", "address": {"region": "新疆"}},
                    "inputs": [{"material": "cotton", "origin_region": "Xinjiang"}],
                }
            ],
        }
    )
    again = decode(ShipmentEvent, encode(event))
    assert again == event
    assert again.lines[0].manufacturer.address is not None
    assert again.lines[0].manufacturer.address.region_code == "CN-XJ"
    assert again.lines[0].inputs[0].origin_region_code == "CN-XJ"
