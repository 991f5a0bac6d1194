"""`laborguard screen`: decide a file of shipment events against a file of orders, as the screener
would.

    laborguard screen shipments.jsonl[.gz] [--orders orders.json] [--as-of 2024-06-01T00:00:00Z]
           [--out decisions.jsonl] [--keep-going] [--rejects rejects.jsonl]

A bad shipment line stops the run with its line number and reason (exit 2); with --keep-going it
goes to the rejects file instead (written afresh every run) and the run goes on. The summary, and
progress when stderr is a terminal, go to stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from tqdm import tqdm

from laborguard_contracts import ShipmentEvent
from laborguard_contracts.codec import dumps, encode
from laborguard_contracts.seed import SEED_PATH
from laborguard_screener.batchfiles import BatchInputError, Rejected, read_orders, read_shipments
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import ScreeningPolicy, screen
from laborguard_screener.summary import Summary

_Item = tuple[int, ShipmentEvent | Rejected]
EXIT_BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        summary = run(args)
    except BatchInputError as error:
        print(f"laborguard screen: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(summary.render(), file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> Summary:
    book = OrderBook.of(read_orders(args.orders))
    policy = ScreeningPolicy(fuzzy_threshold=args.threshold)
    decided_at = args.decided_at or datetime.now(UTC)
    summary = Summary(orders=len(book), order_state_version=book.version)
    with ExitStack() as files:
        out = _output(files, args.out)
        # opened up front: a run without rejects must not leave an earlier run's file behind
        rejects = _writable(files, args.rejects) if args.keep_going else None
        for number, item in _progress(read_shipments(args.shipments)):
            if isinstance(item, Rejected):
                if rejects is None:
                    raise BatchInputError(f"{args.shipments}:{number}: {item.field}: {item.reason}")
                rejects.write(dumps(_reject_document(item)) + b"\n")
                summary.reject()
                continue
            decision = screen(item, book, decided_at=decided_at, as_of=args.as_of, policy=policy)
            out.write(encode(decision) + b"\n")
            summary.count(decision)
    return summary


def _reject_document(rejected: Rejected) -> dict[str, object]:
    return {
        "line": rejected.line_number,
        "field": rejected.field,
        "reason": rejected.reason,
        "raw": rejected.raw,
    }


def _output(files: ExitStack, path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdout.buffer
    return _writable(files, Path(path))


def _writable(files: ExitStack, path: Path) -> IO[bytes]:
    """The file, truncated, its directory created if missing; BatchInputError if it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return files.enter_context(path.open("wb"))
    except OSError as error:
        raise BatchInputError(f"{path}: cannot write: {error.strerror or error}") from error


def _progress(items: Iterator[_Item]) -> Iterator[_Item]:
    """A live count on stderr when it is a terminal (any input size); nothing in a pipe or a log."""
    if not sys.stderr.isatty():
        return items
    return iter(tqdm(items, desc="screening", unit=" shipments", mininterval=0.5))


def _aware(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date-time: use ISO 8601 with a time zone, "
            "e.g. 2024-06-01T00:00:00Z or 2024-06-01T08:00:00+08:00"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a time zone, e.g. 2024-06-01T00:00:00Z")
    return moment


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 100") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is outside 0-100")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="laborguard screen", description=__doc__.split("\n\n")[0])
    parser.add_argument("shipments", type=Path, help="shipment events, JSONL (.gz accepted)")
    parser.add_argument(
        "--orders", type=Path, default=SEED_PATH, help="JSON or JSONL orders (default: the seed)"
    )
    parser.add_argument("--as-of", type=_aware, help="decide as of this time (default: event time)")
    parser.add_argument("--out", default="-", help="decisions JSONL (default: stdout)")
    parser.add_argument("--keep-going", action="store_true", help="reject bad lines and go on")
    parser.add_argument(
        "--rejects", type=Path, default=Path("rejects.jsonl"), help="where --keep-going writes"
    )
    parser.add_argument(
        "--threshold",
        type=_percent,
        default=ScreeningPolicy().fuzzy_threshold,
        help="fuzzy name similarity threshold, 0-100 (default: %(default)s)",
    )
    parser.add_argument(
        "--decided-at", type=_aware, help="stamp decisions with this time (default: now)"
    )
    return parser
