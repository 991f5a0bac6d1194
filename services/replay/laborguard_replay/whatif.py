"""laborguard-whatif: screens a history offline against the baseline orders and a candidate set.

  laborguard-whatif [HISTORY] [--candidate orders.json] [--drop ORDER_ID] [--out DIR]

Defaults: the bundled sample and the region-wide Xinjiang ban considered in September 2020, as
if issued on 2020-09-14. Writes DIR/summary.json, flips.jsonl, flips.png and flips.html.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from laborguard_contracts import Order, ShipmentEvent
from laborguard_contracts.codec import dumps, encode, pretty
from laborguard_contracts.seed import load_seed
from laborguard_replay import charts, history
from laborguard_replay.attributes import Attributes, attributes_of
from laborguard_replay.candidates import candidate_book, read_orders
from laborguard_replay.cli import run
from laborguard_replay.diffing import Change, RunDiff, change_between
from laborguard_replay.offline import Paired, screen_both
from laborguard_replay.pacing import Window, moment
from laborguard_replay.report import diff_document, render_diff
from laborguard_replay.samples import SAMPLE_PATH, XUAR_BAN_2020_PATH
from laborguard_replay.verdicts import Verdict
from laborguard_screener.orderbook import OrderBook
from laborguard_screener.screening import ScreeningPolicy


@dataclass
class WhatIf:
    events: int = 0
    baseline: Counter[str] = field(default_factory=Counter)  # outcomes
    candidate: Counter[str] = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)
    attributes: dict[str, Attributes] = field(default_factory=dict)  # of changed events
    months: set[str] = field(default_factory=set)  # every month screened, for the chart's axis

    @property
    def diff(self) -> RunDiff:
        return RunDiff(tuple(self.changes), (), ())

    def headline(self) -> str:
        flips = self.diff.flips
        to_detain = sum(1 for f in flips if f.after.value == "DETAIN")
        return (
            f"{self.events} events screened: baseline {self.baseline['DETAIN']} DETAIN, "
            f"candidate {self.candidate['DETAIN']} DETAIN; {len(flips)} flip "
            f"({to_detain} to DETAIN, {len(flips) - to_detain} to RELEASE) on "
            f"{len({f.shipment_id for f in flips})} shipments"
        )


def what_if(
    events: Iterable[ShipmentEvent],
    baseline: Iterable[Order],
    changes: Iterable[Order],
    *,
    drop: Iterable[str] = (),
    policy: ScreeningPolicy | None = None,
    keep: Callable[[Paired], object] = lambda pair: None,
) -> WhatIf:
    """Both order sets over the same events, keeping only the events whose decision differs.

    `keep` sees every pair of decisions (to write both runs out for laborguard-report).
    """
    baseline = tuple(baseline)
    result = WhatIf()
    candidate = candidate_book(baseline, changes, drop)
    pairs = screen_both(events, OrderBook.of(baseline), candidate, policy or ScreeningPolicy())
    for pair in pairs:
        keep(pair)
        result.events += 1
        result.baseline[pair.baseline.outcome.value] += 1
        result.candidate[pair.candidate.outcome.value] += 1
        result.months.add(pair.event.event_time.strftime("%Y-%m"))
        change = change_between(
            pair.event.event_id, Verdict.of(pair.baseline), Verdict.of(pair.candidate)
        )
        if change:
            result.changes.append(change)
            result.attributes[change.event_id] = attributes_of(pair.event)
    return result


def _windowed(events: Iterator[ShipmentEvent], window: Window) -> Iterator[ShipmentEvent]:
    return (event for event in events if window.contains(event.event_time))


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
    with open(out / "flips.jsonl", "wb") as flips:
        for change in result.diff.flips:
            where = result.attributes[change.event_id]
            row = change.document() | {
                "month": where.month,
                "port": where.port,
                "hts_chapters": list(where.chapters),
            }
            flips.write(dumps(row) + b"\n")
    by_month: dict[str, dict[str, int]] = summary["flips"]["by_month"]
    axis = {month: by_month.get(month, {}) for month in sorted(result.months | by_month.keys())}
    charts.flips_png(axis, title, out / "flips.png")
    charts.flips_html(summary, out / "flips.png", title, out / "flips.html")
    return summary


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laborguard-whatif",
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
    run(lambda: _what_if(argv))
