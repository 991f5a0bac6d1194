"""laborguard replay: publishes a shipment history to `shipments`; laborguard collect: `decisions`.

laborguard replay FILE (--speed X | --as-fast-as-possible) [--since D] [--until D]
laborguard collect --out run.jsonl [--count N] [--idle S]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from laborguard_replay import history
from laborguard_replay.cli import run
from laborguard_replay.collecting import Collected, collect
from laborguard_replay.errors import ReplayError
from laborguard_replay.pacing import Pace, Window, moment
from laborguard_replay.publishing import publish
from laborguard_replay.schedule import Tally, records, sends
from laborguard_replay.settings import ReplaySettings


@dataclass(frozen=True)
class ReplayResult:
    published: int
    tally: Tally
    seconds: float


async def replay_file(
    settings: ReplaySettings,
    path: Path,
    *,
    pace: Pace,
    window: Window | None = None,
    skip_invalid: bool = False,
    reencode: bool = False,
    validate: bool = True,
    quiet: bool = True,
) -> ReplayResult:
    """Publishes the file's events in the window at the pace; the library entry point."""
    tally = Tally()
    total = None if quiet else sum(1 for _ in history.raw_lines(path))
    started = time.perf_counter()
    with tqdm(total=total, unit=" events", disable=quiet, file=sys.stderr) as bar:
        items = records(path, tally, skip_invalid=skip_invalid, validate=validate)
        planned = sends(items, window or Window(), pace, tally, reencode=reencode)
        # the bar follows the lines read, so it ends at 100% even when a window skips some
        published = await publish(settings, planned, lambda _: bar.update(tally.read - bar.n))
    return ReplayResult(published, tally, time.perf_counter() - started)


def _settings(args: argparse.Namespace) -> ReplaySettings:
    overrides = {
        name: value
        for name, value in (
            ("kafka_bootstrap", args.bootstrap),
            ("shipments_topic", getattr(args, "topic", None)),
            ("decisions_topic", getattr(args, "decisions_topic", None)),
        )
        if value
    }
    return ReplaySettings(**overrides)


def _publish_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laborguard replay",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("history", type=Path, help="shipment events, JSONL or JSONL.gz")
    pacing = parser.add_mutually_exclusive_group(required=True)
    pacing.add_argument(
        "--speed",
        type=float,
        help="original pacing times this factor (86400 = a day of history per second)",
    )
    pacing.add_argument("--as-fast-as-possible", action="store_true")
    parser.add_argument("--since", type=moment, help="first event time (ISO date/time, UTC)")
    parser.add_argument("--until", type=moment, help="event times before this (exclusive)")
    parser.add_argument("--bootstrap", help="overrides LABORGUARD_KAFKA_BOOTSTRAP")
    parser.add_argument("--topic", help="overrides LABORGUARD_SHIPMENTS_TOPIC")
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="report bad lines and go on (default: stop at the first)",
    )
    parser.add_argument(
        "--reencode",
        action="store_true",
        help="publish the codec's encoding instead of the original line bytes",
    )
    parser.add_argument(
        "--no-validate",
        action="store_true",
        help="check only shipment_id and event_time (faster; the screener's "
        "dead-letter topic then catches bad events)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _collect_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laborguard collect", description="Writes the decisions topic to a JSONL file."
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, help="stop after this many decisions")
    parser.add_argument(
        "--idle",
        type=float,
        default=10.0,
        help="stop after this many seconds without a decision (default 10)",
    )
    parser.add_argument(
        "--latest",
        action="store_true",
        help="only decisions published from now on (start collect before the replay)",
    )
    parser.add_argument("--bootstrap", help="overrides LABORGUARD_KAFKA_BOOTSTRAP")
    parser.add_argument("--decisions-topic", help="overrides LABORGUARD_DECISIONS_TOPIC")
    parser.add_argument("--quiet", action="store_true")
    return parser


def _replay(argv: list[str]) -> None:
    args = _publish_parser().parse_args(argv)
    if args.reencode and args.no_validate:
        raise ReplayError("--reencode needs validated events: drop --no-validate")
    pace = Pace(None if args.as_fast_as_possible else args.speed)
    result = asyncio.run(
        replay_file(
            _settings(args),
            args.history,
            pace=pace,
            window=Window(args.since, args.until),
            skip_invalid=args.skip_invalid,
            reencode=args.reencode,
            quiet=args.quiet,
        )
    )
    tally = result.tally
    print(
        f"published {result.published} of {tally.read} events in {result.seconds:.1f}s "
        f"({result.published / max(result.seconds, 1e-9):,.0f}/s); "
        f"{tally.outside_window} outside the window, {len(tally.invalid)} invalid",
        file=sys.stderr,
    )


def _collect(argv: list[str]) -> None:
    args = _collect_parser().parse_args(argv)
    with (
        open(args.out, "wb") as out,
        tqdm(unit=" decisions", disable=args.quiet, file=sys.stderr) as bar,
    ):
        result: Collected = asyncio.run(
            collect(
                _settings(args),
                out,
                count=args.count,
                idle_seconds=args.idle,
                from_start=not args.latest,
                progress=bar.update,
            )
        )
    why = "topic idle" if result.idle_stop else "count reached"
    print(
        f"{args.out}: {result.written} decisions ({result.invalid} invalid skipped; {why})",
        file=sys.stderr,
    )


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["collect"]:
        run(lambda: _collect(argv[1:]), "laborguard collect")
    else:
        run(lambda: _replay(argv), "laborguard replay")
