"""The public name-matching benchmark (OpenSanctions' name_bench) through the public screening path.

    .venv/bin/python bench/name_bench.py [path/to/name_bench] [--misses]

Each labelled pair (name1, name2) becomes an order listing name2 (an in-force WRO with no HTS
scope) and a shipment whose manufacturer is name1; the pair is predicted a match when `screen`
detains the shipment. Prints precision, recall and F1 for organisations (Company, Organization,
LegalEntity), for Company alone and for persons, with nomenklatura logic-v2's figures (at 0.70,
from `logicv2-frozen.csv`) beside them. `--misses` lists the organisation pairs we get wrong.

The data directory defaults to `../shared/data/name_bench/` relative to the repository root.
"""

from __future__ import annotations

import csv
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from laborguard_contracts import Order, Outcome, ShipmentEvent
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import screen

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "name_bench"
DECIDED_AT = datetime(2026, 1, 1, tzinfo=UTC)
ORGANISATIONS = frozenset({"Company", "Organization", "LegalEntity"})
GROUPS = (
    ("organisations", ORGANISATIONS),
    ("Company only", frozenset({"Company"})),
    ("persons", frozenset({"Person"})),
)


def _order(name: str) -> Order:
    return Order.model_validate(
        {
            "order_id": "bench-order",
            "version": 1,
            "kind": "wro",
            "title": "name bench",
            "entities": [{"name": name}],
            "timeline": [{"kind": "in_force", "effective": "2020-01-01"}],
        }
    )


def _shipment(name: str) -> ShipmentEvent:
    line = {
        "line_number": 1,
        "hts_code": "6109100012",
        "country_of_origin": "CN",
        "value_usd": "1000.00",
        "manufacturer": {"name": name},
    }
    return ShipmentEvent.model_validate(
        {
            "event_id": "bench-1",
            "shipment_id": "BENCH-1",
            "event_type": "entry_filed",
            "event_time": "2024-03-01T10:00:00+00:00",
            "port_code": "2704",
            "importer_of_record": {"name": "Harbor Retail Imports LLC"},
            "lines": [line],
        }
    )


def predict(name1: str, name2: str) -> bool:
    book = OrderBook.of([_order(name2)])
    decision = screen(_shipment(name1), book, decided_at=DECIDED_AT)
    return decision.outcome is Outcome.DETAIN


def _prf(rows: list[tuple[bool, bool]]) -> tuple[float, float, float, int]:
    tp = sum(1 for want, got in rows if want and got)
    fp = sum(1 for want, got in rows if got and not want)
    fn = sum(1 for want, got in rows if want and not got)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(rows)


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    data = Path(args[0]) if args else DEFAULT_DATA
    with (data / "cases.csv").open(encoding="utf-8") as handle:
        cases = list(csv.DictReader(handle))
    with (data / "logicv2-frozen.csv").open(encoding="utf-8") as handle:
        frozen = list(csv.DictReader(handle))
    started = time.process_time()
    ours: list[tuple[str, bool, bool, dict[str, str]]] = []
    for case in cases:
        got = predict(case["name1"], case["name2"])
        ours.append((case["schema"], case["is_match"] == "true", got, case))
    elapsed = time.process_time() - started
    print(f"name_bench: {len(cases)} pairs from {data} ({elapsed:.1f} CPU-s)")
    print(f"  {'rows':<16}{'n':>5}  {'laborguard P / R / F1':<24}  logic-v2 (0.70) P / R / F1")
    for label, schemas in GROUPS:
        mine = _prf([(want, got) for schema, want, got, _ in ours if schema in schemas])
        theirs = _prf(
            [
                (row["is_match"] == "true", row["predicted_match"] == "true")
                for row in frozen
                if row["schema"] in schemas
            ]
        )
        print(
            f"  {label:<16}{mine[3]:>5}  {mine[0]:.3f} / {mine[1]:.3f} / {mine[2]:.3f}     "
            f"{theirs[0]:.3f} / {theirs[1]:.3f} / {theirs[2]:.3f} (n={theirs[3]})"
        )
    if "--misses" in argv:
        for schema, want, got, case in ours:
            if schema in ORGANISATIONS and want != got:
                kind = "FN" if want else "FP"
                print(f"  {kind} {case['name1']!r} / {case['name2']!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
