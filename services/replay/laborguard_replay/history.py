"""History files: one JSON message per line, plain or gzip; read lazily, written byte-stably."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from laborguard_contracts import ContractError, ShipmentEvent
from laborguard_contracts.codec import decode, encode
from laborguard_replay.errors import HistoryError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Record(Generic[M]):
    line: int
    raw: bytes  # the line as stored, without its newline: replay publishes these bytes
    message: M


@contextmanager
def _open_read(path: Path) -> Iterator[io.BufferedIOBase]:
    with open(path, "rb") as file:
        if path.suffix == ".gz":
            with gzip.GzipFile(fileobj=file, mode="rb") as unzipped:
                yield unzipped
        else:
            yield file


@contextmanager
def _open_write(path: Path) -> Iterator[io.BufferedIOBase]:
    with open(path, "wb") as file:
        if path.suffix == ".gz":
            with gzip.GzipFile(filename="", fileobj=file, mode="wb", compresslevel=9, mtime=0) as z:
                yield z
        else:
            yield file


def raw_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of every non-blank line."""
    with _open_read(path) as file:
        for number, line in enumerate(file, 1):
            stripped = line.strip()
            if stripped:
                yield number, stripped


def parse(path: Path, number: int, raw: bytes, model: type[M]) -> Record[M]:
    try:
        return Record(number, raw, decode(model, raw))
    except ContractError as exc:
        raise HistoryError(str(path), number, exc.field, exc.reason) from exc


def read(path: Path, model: type[M]) -> Iterator[Record[M]]:
    """Every message of the file, validated; the first bad line raises HistoryError."""
    for number, raw in raw_lines(path):
        yield parse(path, number, raw, model)


def read_events(path: Path) -> Iterator[ShipmentEvent]:
    return (record.message for record in read(path, ShipmentEvent))


def write(path: Path, messages: Iterable[BaseModel]) -> int:
    """Writes JSONL (gzip when the name ends in .gz, with no timestamp so bytes are stable)."""
    count = 0
    with _open_write(path) as sink:
        chunk: list[bytes] = []
        for message in messages:
            chunk.append(encode(message))
            count += 1
            if len(chunk) == 1000:
                sink.write(b"\n".join(chunk) + b"\n")
                chunk.clear()
        if chunk:
            sink.write(b"\n".join(chunk) + b"\n")
    return count
