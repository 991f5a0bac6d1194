"""The project's seed: 94 real public orders (WROs, Findings, UFLPA entries, region orders).

Converted once from the shared reference file by scripts/convert_reference_orders.py; every order
keeps its sources. Loaded by tests, the demo and the registry's import.
"""

from __future__ import annotations

from pathlib import Path

from laborguard_contracts.codec import loads
from laborguard_contracts.order import Order

SEED_PATH = Path(__file__).resolve().parent / "data" / "orders_seed.json"


def load_orders(path: Path = SEED_PATH) -> tuple[Order, ...]:
    """Orders from a JSON array or a JSONL file of order documents."""
    text = path.read_bytes()
    if text.lstrip().startswith(b"["):
        documents = loads(text)
    else:
        documents = [loads(line) for line in text.splitlines() if line.strip()]
    return tuple(Order.model_validate(document) for document in documents)


def load_seed() -> tuple[Order, ...]:
    return load_orders(SEED_PATH)
