from __future__ import annotations

from pathlib import Path

import pytest

from laborguard_contracts import ContractError, MalformedJsonError, Order, ShipmentEvent
from laborguard_contracts.codec import decode, encode, loads
from laborguard_contracts.export import PUBLISHED, SCHEMA_DIR, schema_text
from laborguard_contracts.seed import load_seed

pytestmark = pytest.mark.unit

SHIPMENT = {
    "event_id": "evt-1",
    "shipment_id": "ABC12345678",
    "event_type": "entry_filed",
    "event_time": "2020-10-01T08:00:00-07:00",
    "port_code": "2704",
    "importer_of_record": {"name": "Acme Imports LLC"},
    "lines": [
        {
            "line_number": 1,
            "hts_code": "6704.20.0000",
            "country_of_origin": "CN",
            "value_usd": "1200.00",
            "manufacturer": {
                "name": "Lop County Hair Product Industrial Park",
                "address": {"city": "Lop", "postal_code": "848200", "country": "CN"},
            },
        }
    ],
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_schema_file_matches_its_model(name: str) -> None:
    path: Path = SCHEMA_DIR / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == schema_text(PUBLISHED[name]), (
        f"{path.name} drifted from its model: run `laborguard schemas`"
    )


def test_shipment_round_trips_through_the_codec() -> None:
    event = decode(ShipmentEvent, encode(ShipmentEvent.model_validate(SHIPMENT)))
    assert event.lines[0].hts_code == "6704200000"
    assert event == ShipmentEvent.model_validate(SHIPMENT)


def test_encoding_is_json_of_the_json_mode_dump_without_nulls() -> None:
    messages = [ShipmentEvent.model_validate(SHIPMENT), *load_seed()[:20]]
    for message in messages:
        encoded = encode(message)
        assert encoded.startswith(b'{"') and b"\n" not in encoded
        assert loads(encoded) == message.model_dump(mode="json", exclude_none=True)
        assert decode(type(message), encoded) == message


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"port_code": "LAX"}, "port_code"),
        ({"event_time": "2020-10-01T08:00:00"}, "event_time"),
        ({"lines": []}, "lines"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_invalid_shipment_error_names_the_field(patch: dict[str, object], field: str) -> None:
    with pytest.raises(ContractError) as caught:
        decode(ShipmentEvent, encode_raw({**SHIPMENT, **patch}))
    assert caught.value.field == field


def test_bad_hts_code_is_named_with_its_path() -> None:
    lines: list[dict[str, object]] = SHIPMENT["lines"]  # type: ignore[assignment]
    line = {**lines[0], "hts_code": "61A9"}
    with pytest.raises(ContractError) as caught:
        decode(ShipmentEvent, encode_raw({**SHIPMENT, "lines": [line]}))
    assert caught.value.field == "lines.0.hts_code"


def test_non_json_bytes_are_a_malformed_json_error() -> None:
    with pytest.raises(MalformedJsonError, match="not valid JSON"):
        decode(ShipmentEvent, b"\xff\x00not json")


def test_json_that_is_not_an_object_is_a_contract_error_not_malformed_json() -> None:
    with pytest.raises(ContractError, match="expected a JSON object") as caught:
        decode(ShipmentEvent, b"[1, 2]")
    assert not isinstance(caught.value, MalformedJsonError)


def test_seed_holds_the_94_reference_orders_with_sources() -> None:
    orders = load_seed()
    assert len(orders) == 94
    assert len({o.order_id for o in orders}) == 94
    assert all(o.source for o in orders)


def test_seed_records_the_wrp_revocation_by_production_date() -> None:
    wrp = next(o for o in load_seed() if o.order_id == "wro-2019-wrp-asia-pacific-gloves")
    revoked = wrp.timeline[-1]
    assert (revoked.kind, str(revoked.effective), str(revoked.produced_after)) == (
        "revoked",
        "2020-03-23",
        "2020-03-16",
    )


def test_order_without_any_scope_is_refused() -> None:
    seed = load_seed()[0].model_dump()
    with pytest.raises(ValueError, match="covered entities or a covered region"):
        Order.model_validate({**seed, "entities": [], "region": None})


def encode_raw(document: dict[str, object]) -> bytes:
    from laborguard_contracts.codec import dumps

    return dumps(document)
