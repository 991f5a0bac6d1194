from __future__ import annotations

import re
from collections import Counter
from itertools import islice
from pathlib import Path
from random import Random

import pytest

from laborguard_contracts import ShipmentEvent
from laborguard_contracts.seed import load_seed
from laborguard_replay import history
from laborguard_replay.generator.identifiers import check_digit, entry_number, mid
from laborguard_replay.generator.listed import listed_targets
from laborguard_replay.generator.shipments import plan
from laborguard_replay.generator.stream import HistorySpec, entry_time, events
from laborguard_replay.generator.variants import romanise, swap_legal_form, typo
from laborguard_replay.samples import SAMPLE_PATH, SAMPLE_SPEC

pytestmark = pytest.mark.unit


def test_regenerating_the_sample_with_its_seed_gives_identical_bytes(tmp_path: Path) -> None:
    again = tmp_path / SAMPLE_PATH.name
    history.write(again, events(SAMPLE_SPEC))
    assert again.read_bytes() == SAMPLE_PATH.read_bytes()


def test_another_seed_gives_another_history() -> None:
    first = [e.shipment_id for e in islice(events(HistorySpec(seed=1, count=50)), 20)]
    second = [e.shipment_id for e in islice(events(HistorySpec(seed=2, count=50)), 20)]
    assert first != second


def test_bundled_sample_is_small() -> None:
    assert SAMPLE_PATH.stat().st_size < 2_000_000


def test_sample_is_in_event_time_order_within_2019_to_2025(sample: list[ShipmentEvent]) -> None:
    times = [e.event_time for e in sample]
    assert times == sorted(times)
    assert times[0].year == 2019 and times[-1].year == 2025


def test_event_ids_are_unique_and_shipments_have_several_events(
    sample: list[ShipmentEvent],
) -> None:
    assert len({e.event_id for e in sample}) == len(sample)
    per_shipment = Counter(e.shipment_id for e in sample)
    assert len(per_shipment) == SAMPLE_SPEC.count
    assert max(per_shipment.values()) == 3


def test_shipment_ids_are_entry_numbers_with_valid_check_digits(
    sample: list[ShipmentEvent],
) -> None:
    for event in sample[:500]:
        sid = event.shipment_id
        assert re.fullmatch(r"[A-Z0-9]{3}\d{8}", sid)
        assert int(sid[-1]) == check_digit(sid[:3], sid[3:10])


def test_entry_number_check_digit_catches_a_changed_digit() -> None:
    number = entry_number("EG4", 1234567)
    assert number[:10] == "EG41234567"
    assert check_digit("EG4", "1234568") != int(number[-1])


def test_mid_follows_the_cbp_construction() -> None:
    assert mid("Hetian Taida Apparel Co., Ltd.", "No. 8 Beijing Road", "Hotan", "CN") == (
        "CNHETTAI8HOT"
    )
    assert mid("The Lop County Mill", "Lot 12 and 1500", "Lop", "CN") == "CNLOPCOU1500LOP"


def test_listed_entities_appear_at_a_realistic_low_rate() -> None:
    targets = listed_targets(load_seed())
    spec = HistorySpec(seed=11, count=4000)
    risks: Counter[str] = Counter()
    for index in range(spec.count):
        rng = Random(f"{spec.seed}/shipment/{index}")
        risks[plan(rng, spec.seed, index, entry_time(spec, index, rng), targets).risk[:6]] += 1
    assert 0.005 <= risks["listed"] / spec.count <= 0.02
    assert risks["xinjia"] > 0 and risks["decoy"] > 0


def test_sample_carries_xinjiang_postal_codes_and_upstream_cotton(
    sample: list[ShipmentEvent],
) -> None:
    postal = [
        line.manufacturer.address.postal_code
        for e in sample
        for line in e.lines
        if line.manufacturer.address and line.manufacturer.address.postal_code
    ]
    assert any(code[:2] in ("83", "84") and len(code) == 6 for code in postal)
    made_elsewhere_from_xj = [
        line
        for e in sample
        for line in e.lines
        if line.country_of_origin in ("VN", "BD", "KH")
        and any(
            i.origin_region == "CN-XJ"
            or (
                i.producer
                and i.producer.address
                and i.producer.address.postal_code
                and i.producer.address.postal_code.startswith(("83", "84"))
            )
            for i in line.inputs
        )
    ]
    assert made_elsewhere_from_xj


def test_sample_names_real_listed_entities_among_manufacturers(
    sample: list[ShipmentEvent],
) -> None:
    listed = {entity.name for order in load_seed() for entity in order.entities}
    named = {line.manufacturer.name for e in sample for line in e.lines}
    assert named & listed


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hetian Taida Apparel Co., Ltd.", "Hotan Taida Apparel Co., Ltd."),
        ("Lop County Hair Product Industrial Park", "Luopu County Hair Product Industrial Park"),
    ],
)
def test_romanisation_variants_swap_place_spellings(name: str, expected: str) -> None:
    assert romanise(Random(1), name) == expected


def test_legal_form_variant_keeps_the_stem() -> None:
    varied = swap_legal_form(Random(3), "Xinjiang Zhongtai Chemical Co., Ltd.")
    assert varied.startswith("Xinjiang Zhongtai Chemical ")


def test_typo_changes_one_place_and_never_the_first_letter() -> None:
    for seed in range(20):
        varied = typo(Random(seed), "Hoshine Silicon Industry")
        assert varied != "Hoshine Silicon Industry" and varied[0] == "H"
        assert abs(len(varied) - len("Hoshine Silicon Industry")) <= 1
