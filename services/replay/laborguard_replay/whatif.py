"""laborguard whatif: screens a history offline against the baseline orders and a candidate set.

  laborguard whatif [HISTORY] [--candidate orders.json] [--drop ORDER_ID] [--out DIR]

Defaults: the bundled sample and the region-wide Xinjiang ban considered in September 2020, as
if issued on 2020-09-14. Writes DIR/summary.json, flips.jsonl, flips.png and flips.html.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from tqdm import tqdm

from laborguard_contracts import ShipmentEvent
from laborguard_contracts.codec import dumps, encode, pretty
from laborguard_contracts.seed import load_seed
from laborguard_replay import charts, history
from laborguard_replay.candidates import read_orders
from laborguard_replay.cli import run
from laborguard_replay.diffing import Change
from laborguard_replay.offline import Paired
from laborguard_replay.pacing import Window, moment
from laborguard_replay.report import diff_document, render_diff
from laborguard_replay.samples import SAMPLE_PATH, XUAR_BAN_2020_PATH
from laborguard_replay.scenarios import WhatIf, what_if
from laborguard_screener.engine.screening import ScreeningPolicy


def _windowed(events: Iterator[ShipmentEvent], window: Window) -> Iterator[ShipmentEvent]:
    return (event for event in events if window.contains(event.event_time))


def flip_row(result: WhatIf, change: Change) -> dict[str, Any]:
    where = result.attributes[change.event_id]
    return change.document() | {
        "month": where.month,
        "port": where.port,
        "hts_chapters": list(where.chapters),
    }


def write_outputs(result: WhatIf, title: str, out: Path) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {
        "title": title,
        "headline": result.headline(),
        "baseline": dict(result.baseline),
        "candidate": dict(result.candidate),
    }
    summary |= diff_document(result.diff, result.attributes)
    (out / "summary.json").write_text(pretty(summary), encoding="utf-8")
    rows = [flip_row(result, change) for change in result.diff.flips]
    (out / "flips.jsonl").write_bytes(b"".join(dumps(row) + b"\n" for row in rows))
    by_month: dict[str, dict[str, int]] = summary["flips"]["by_month"]
    axis = {month: by_month.get(month, {}) for month in sorted(result.months | by_month.keys())}
    charts.flips_png(axis, title, out / "flips.png")
    charts.flips_html(summary, rows, out / "flips.png", title, out / "flips.html")
    return summary


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laborguard whatif",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("history", type=Path, nargs="?", default=SAMPLE_PATH)
    parser.add_argument("--baseline", type=Path, help="baseline orders (default: the seed)")
    parser.add_argument(
        "--candidate",
        type=Path,
        default=XUAR_BAN_2020_PATH,
        help="orders added or changed (newer versions) in the candidate set",
    )
    parser.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="ORDER_ID",
        help="remove a baseline order from the candidate set (repeatable)",
    )
    parser.add_argument("--since", type=moment)
    parser.add_argument("--until", type=moment)
    parser.add_argument("--threshold", type=float, default=90.0, help="fuzzy name threshold")
    parser.add_argument("--out", type=Path, default=Path("whatif-report"))
    parser.add_argument("--list", type=int, default=20, help="changes listed in the text")
    parser.add_argument(
        "--write-decisions",
        action="store_true",
        help="also write every decision of both runs to DIR/baseline.jsonl, candidate.jsonl",
    )
    parser.add_argument("--quiet", action="store_true")
    return parser


def _decision_writer(files: ExitStack, out: Path) -> Callable[[Paired], object]:
    out.mkdir(parents=True, exist_ok=True)
    first = files.enter_context((out / "baseline.jsonl").open("wb"))
    second = files.enter_context((out / "candidate.jsonl").open("wb"))

    def write(pair: Paired) -> None:
        first.write(encode(pair.baseline) + b"\n")
        second.write(encode(pair.candidate) + b"\n")

    return write


def _what_if(argv: list[str] | None) -> None:
    args = _parser().parse_args(argv)
    baseline = read_orders(args.baseline) if args.baseline else load_seed()
    events = _windowed(history.read_events(args.history), Window(args.since, args.until))
    progress = tqdm(events, unit=" events", disable=args.quiet, file=sys.stderr)
    with ExitStack() as files:
        keep = _decision_writer(files, args.out) if args.write_decisions else (lambda pair: None)
        result = what_if(
            progress,
            baseline,
            read_orders(args.candidate),
            drop=args.drop,
            policy=ScreeningPolicy(fuzzy_threshold=args.threshold),
            keep=keep,
        )
    title = f"What-if: {args.candidate.name} over {args.history.name}"
    summary = write_outputs(result, title, args.out)
    print(result.headline() + "\n")
    print(render_diff(summary, args.list))
    print(f"wrote {args.out}/summary.json, flips.jsonl, flips.png, flips.html", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    run(lambda: _what_if(argv), "laborguard whatif")
