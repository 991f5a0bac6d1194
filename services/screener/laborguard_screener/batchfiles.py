"""Files the batch command reads: orders (JSON array or JSONL) and shipments (JSONL, .gz too)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from laborguard_contracts import ContractError, Order, ShipmentEvent
from laborguard_contracts.codec import decode, loads


class BatchInputError(Exception):
    """An input file the batch cannot use; the message names the file, the line and the reason."""


@dataclass(frozen=True, slots=True)
class Rejected:
    line_number: int
    field: str
    reason: str
    raw: str


def read_orders(path: Path) -> list[Order]:
    data = _open(path).read()
    if data.lstrip().startswith(b"["):
        documents = _json_array(path, data)
        return [_order(path, f"[{i}]", document) for i, document in enumerate(documents)]
    return [
        _decode_order(path, number, line)
        for number, line in enumerate(data.splitlines(), start=1)
        if line.strip()
    ]


def read_shipments(path: Path) -> Iterator[tuple[int, ShipmentEvent | Rejected]]:
    """Every non-blank line, numbered from 1: the event, or why it was rejected."""
    number = 0
    try:
        with _open(path) as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield number, _shipment(number, line)
    except (OSError, EOFError) as error:
        raise BatchInputError(f"{path}:{number + 1}: unreadable: {error}") from error


def _shipment(number: int, line: bytes) -> ShipmentEvent | Rejected:
    try:
        return decode(ShipmentEvent, line)
    except ContractError as error:
        raw = line.decode("utf-8", errors="replace").rstrip("\n")
        return Rejected(number, error.field, error.reason, raw)


def _open(path: Path) -> IO[bytes] | gzip.GzipFile:
    try:
        if path.suffix == ".gz":
            return gzip.open(path, "rb")
        return path.open("rb")
    except OSError as error:
        raise BatchInputError(f"{path}: cannot open: {error.strerror}") from error


def _json_array(path: Path, data: bytes) -> list[object]:
    try:
        documents = loads(data)
    except ValueError as error:
        raise BatchInputError(f"{path}: not valid JSON: {error}") from error
    if not isinstance(documents, list):
        raise BatchInputError(f"{path}: expected a JSON array of orders")
    return documents


def _order(path: Path, where: str, document: object) -> Order:
    try:
        return Order.model_validate(document)
    except ValidationError as exc:
        error = ContractError.from_validation(exc)
        raise BatchInputError(f"{path}{where}: {error.field}: {error.reason}") from exc


def _decode_order(path: Path, number: int, line: bytes) -> Order:
    try:
        return decode(Order, line)
    except ContractError as error:
        raise BatchInputError(f"{path}:{number}: {error.field}: {error.reason}") from error
