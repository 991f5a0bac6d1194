"""laborguard report: a run's decisions by month, order, port and HTS chapter, or two runs' diff.

laborguard report run.jsonl [--shipments history.jsonl.gz] [--json report.json]
laborguard report before.jsonl --diff after.jsonl [--shipments ...] [--json diff.json]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from laborguard_contracts.codec import pretty
from laborguard_replay import decisions, history, tables
from laborguard_replay.attributes import Attributes, index
from laborguard_replay.cli import run
from laborguard_replay.diffing import TO_DETAIN, TO_RELEASE, RunDiff, diff, tally_flips
from laborguard_replay.tallies import Tallies, tally


def render_tallies(result: Tallies) -> str:
    document = result.document()
    head = (
        f"{result.events} decisions: {result.outcomes['DETAIN']} DETAIN, "
        f"{result.outcomes['RELEASE']} RELEASE, {result.outcomes['REFER']} REFER; "
        f"shipments {result.shipments}, "
        f"detained {result.shipments_detained}\n\n"
    )
    return "\n".join(
        [
            head + tables.outcomes("By month", "month", document["by_month"]),
            tables.ranking("By order (events detained citing it)", "order", document["by_order"]),
            tables.outcomes("By port", "port", document["by_port"]),
            tables.outcomes("By HTS chapter", "chapter", document["by_hts_chapter"]),
        ]
    )


def diff_document(result: RunDiff, attributes: dict[str, Attributes]) -> dict[str, Any]:
    return {
        "changed": len(result.changes),
        "flipped": len(result.flips),
        "orders_changed_same_outcome": len(result.changes) - len(result.flips),
        "only_in_first": list(result.only_before),
        "only_in_second": list(result.only_after),
        "flips": tally_flips(result.flips, attributes).document(),
        "changes": [change.document() for change in result.changes],
    }


def render_diff(document: dict[str, Any], listed: int) -> str:
    flips = document["flips"]
    head = (
        f"{document['changed']} events changed: {document['flipped']} flipped outcome "
        f"({flips['events'].get(TO_DETAIN, 0)} {TO_DETAIN}, "
        f"{flips['events'].get(TO_RELEASE, 0)} {TO_RELEASE}), "
        f"{document['orders_changed_same_outcome']} matched other orders "
        f"with the same outcome; {len(document['only_in_first'])} only in the first run, "
        f"{len(document['only_in_second'])} only in the second\n"
    )
    sample = [
        [
            c["event_id"],
            f"{c['before']}->{c['after']}",
            ",".join(c["orders_added"]) or "-",
            ",".join(c["orders_removed"]) or "-",
        ]
        for c in document["changes"][:listed]
    ]
    return "\n".join(
        [
            head,
            tables.flips("Flips by month", "month", flips["by_month"]),
            tables.flips("Flips by order added or dropped", "order", flips["by_order"]),
            tables.flips("Flips by port", "port", flips["by_port"]),
            tables.table(
                f"First {len(sample)} changes",
                ["event", "outcome", "orders added", "orders removed"],
                sample,
            ),
        ]
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laborguard report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("decisions", type=Path, help="decisions JSONL (laborguard collect)")
    parser.add_argument(
        "--shipments",
        type=Path,
        help="the replayed history, for port and HTS chapter (month is known)",
    )
    parser.add_argument("--diff", type=Path, metavar="OTHER", help="compare with another run")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the report as JSON")
    parser.add_argument("--list", type=int, default=20, help="changes listed in a diff's text")
    return parser


def _report(argv: list[str] | None) -> None:
    args = _parser().parse_args(argv)
    attributes = index(history.read_events(args.shipments)) if args.shipments else {}
    first = decisions.load(args.decisions)
    if args.diff:
        document = diff_document(
            diff(first.verdicts, decisions.load(args.diff).verdicts), attributes
        )
        text = render_diff(document, args.list)
    else:
        result = tally(first.verdicts, attributes)
        document = result.document() | {"duplicates": first.duplicates}
        text = render_tallies(result)
    print(text)
    if args.json:
        args.json.write_text(pretty(document), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    run(lambda: _report(argv), "laborguard report")
