"""Region signals in an address, as a decision table."""

from __future__ import annotations

from typing import Any

import pytest

from laborguard_contracts import Address
from laborguard_screener.engine.regions import address_signals

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("address", "rules"),
    [
        ({"region": "CN-XJ"}, {"region_field"}),
        ({"postal_code": "830017", "country": "CN"}, {"postal_code"}),
        ({"postal_code": "844801"}, {"postal_code"}),
        ({"city": "Urumqi", "country": "CN"}, {"place_name"}),
        ({"city": "Wulumuqi"}, {"place_name"}),
        (
            {"city": "Hetian", "postal_code": "848000", "country": "CN"},
            {"place_name", "postal_code"},
        ),
        ({"province": "Xinjiang Uygur Autonomous Region"}, {"place_name"}),
        ({"city": "乌鲁木齐市", "province": "新疆维吾尔自治区"}, {"place_name"}),
        ({"city": "Luopu", "country": "CN"}, {"place_name"}),
        (
            {"street": "200 Wulumuqi Middle Road", "city": "Shanghai", "postal_code": "200040"},
            set(),
        ),
        ({"city": "Boise", "postal_code": "83702", "country": "US"}, set()),
        ({"postal_code": "830017", "country": "KZ"}, set()),
        ({"city": "Altay", "country": "MN"}, set()),
        ({"city": "Guangzhou", "postal_code": "510000", "country": "CN"}, set()),
        ({"postal_code": "8300170"}, set()),
    ],
)
def test_xinjiang_signals_in_an_address(address: dict[str, Any], rules: set[str]) -> None:
    found = address_signals(Address.model_validate(address))
    assert {signal.rule.value for signal in found} == rules
    assert all(signal.region == "CN-XJ" for signal in found)


def test_explicit_region_field_names_any_region() -> None:
    (signal,) = address_signals(Address(region="CN-GD"))
    assert (signal.region, signal.rule.value) == ("CN-GD", "region_field")
