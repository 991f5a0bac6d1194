"""laborguard generate: writes a deterministic synthetic shipment history (JSONL, .gz)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from laborguard_contracts import ShipmentEvent
from laborguard_replay import history
from laborguard_replay.cli import run
from laborguard_replay.generator.stream import HistorySpec, events


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="laborguard generate", description=__doc__)
    parser.add_argument("--count", type=int, default=300_000, help="shipments (default 300000)")
    parser.add_argument("--seed", type=int, default=7, help="same seed, same bytes (default 7)")
    parser.add_argument("--out", type=Path, default=Path("shipments.jsonl.gz"))
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _progress(stream: Iterator[ShipmentEvent], quiet: bool) -> Iterator[ShipmentEvent]:
    yield from tqdm(stream, unit=" events", disable=quiet, mininterval=0.5, file=sys.stderr)


def _generate(argv: list[str] | None) -> None:
    args = _parser().parse_args(argv)
    spec = HistorySpec(seed=args.seed, count=args.count)
    started = time.perf_counter()
    written = history.write(args.out, _progress(events(spec), args.quiet))
    seconds = time.perf_counter() - started
    print(
        f"{args.out}: {args.count} shipments, {written} events in {seconds:.1f}s "
        f"({args.count / seconds:,.0f} shipments/s, {written / seconds:,.0f} events/s)",
        file=sys.stderr,
    )


def main(argv: list[str] | None = None) -> None:
    run(lambda: _generate(argv), "laborguard generate")
