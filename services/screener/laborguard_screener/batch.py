"""`screen`: decide a file of shipment events against a file of orders, as the screener would.

    screen shipments.jsonl[.gz] [--orders orders.json] [--as-of 2024-06-01T00:00:00Z]
           [--out decisions.jsonl] [--keep-going] [--rejects rejects.jsonl]

A bad shipment line stops the run with its line number and reason (exit 1); with --keep-going it
goes to the rejects file instead and the run goes on. The summary goes to stderr.
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
from laborguard_screener.orderbook import OrderBook
from laborguard_screener.screening import ScreeningPolicy, screen
from laborguard_screener.summary import Summary

_Item = tuple[int, ShipmentEvent | Rejected]
# Inputs larger than this get a progress bar (when stderr is a terminal).
PROGRESS_BYTES = 1_000_000


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        summary = run(args)
    except BatchInputError as error:
        print(f"screen: {error}", file=sys.stderr)
        return 1
    print(summary.render(), file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> Summary:
    book = OrderBook.of(read_orders(args.orders))
    policy = ScreeningPolicy(fuzzy_threshold=args.threshold)
    decided_at = args.decided_at or datetime.now(UTC)
    summary = Summary(orders=len(book), order_state_version=book.version)
    with ExitStack() as files:
        out = _output(files, args.out)
        rejects: IO[bytes] | None = None
        for number, item in _progress(args.shipments, read_shipments(args.shipments)):
            if isinstance(item, Rejected):
                if not args.keep_going:
                    raise BatchInputError(f"{args.shipments}:{number}: {item.field}: {item.reason}")
                rejects = rejects or files.enter_context(args.rejects.open("wb"))
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
    return files.enter_context(Path(path).open("wb"))


def _progress(path: Path, items: Iterator[_Item]) -> Iterator[_Item]:
    show = sys.stderr.isatty() and path.is_file() and path.stat().st_size > PROGRESS_BYTES
    if not show:
        return items
    return iter(tqdm(items, desc="screening", unit=" shipments"))


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a time zone, e.g. 2024-06-01T00:00:00Z")
    return moment


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="screen", description=__doc__.split("\n\n")[0])
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
        type=float,
        default=ScreeningPolicy().fuzzy_threshold,
        help="fuzzy name similarity threshold, 0-100 (default: %(default)s)",
    )
    parser.add_argument(
        "--decided-at", type=_aware, help="stamp decisions with this time (default: now)"
    )
    return parser
