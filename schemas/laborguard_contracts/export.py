"""Writes the published JSON Schemas (schemas/*.schema.json) from the models."""

from __future__ import annotations

import argparse
from pathlib import Path

from pydantic import BaseModel

from laborguard_contracts.codec import pretty
from laborguard_contracts.decision import Decision
from laborguard_contracts.order import Order
from laborguard_contracts.shipment import ShipmentEvent

PUBLISHED: dict[str, type[BaseModel]] = {
    "shipment_event": ShipmentEvent,
    "order": Order,
    "decision": Decision,
}
SCHEMA_DIR = Path(__file__).resolve().parent.parent


def schema_text(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return pretty(schema)


def write_all(directory: Path = SCHEMA_DIR) -> list[Path]:
    written = []
    for name, model in PUBLISHED.items():
        path = directory / f"{name}.schema.json"
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="laborguard schemas", description=__doc__)
    parser.add_argument("--dir", type=Path, default=SCHEMA_DIR)
    for path in write_all(parser.parse_args(argv).dir):
        print(path)
