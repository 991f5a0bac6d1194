"""The what-if's pictures: flips per month as a PNG (matplotlib, Agg) and a one-page HTML."""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from laborguard_replay.diffing import TO_DETAIN, TO_RELEASE


def flips_png(by_month: Mapping[str, Mapping[str, int]], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    from matplotlib import pyplot

    months = sorted(by_month)
    to_detain = [by_month[m].get(TO_DETAIN, 0) for m in months]
    to_release = [-by_month[m].get(TO_RELEASE, 0) for m in months]
    figure, axes = pyplot.subplots(figsize=(11, 4.2), dpi=100)
    positions = range(len(months))
    axes.bar(positions, to_detain, color="#c0392b", label="RELEASE -> DETAIN")
    axes.bar(positions, to_release, color="#2e86c1", label="DETAIN -> RELEASE")
    axes.axhline(0, color="black", linewidth=0.6)
    step = max(1, len(months) // 24)
    axes.set_xticks(list(positions)[::step], months[::step], rotation=60, fontsize=8)
    axes.set_ylabel("events that flip")
    axes.set_title(title, fontsize=10)
    axes.legend(loc="upper right", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    pyplot.close(figure)


def _rows(counts: Mapping[str, Mapping[str, int]]) -> str:
    return "".join(
        f"<tr><td>{html.escape(name)}</td><td>{by.get(TO_DETAIN, 0)}</td>"
        f"<td>{by.get(TO_RELEASE, 0)}</td></tr>"
        for name, by in counts.items()
    )


def _section(title: str, key: str, counts: Mapping[str, Mapping[str, int]]) -> str:
    return (
        f"<h2>{html.escape(title)}</h2><table><tr><th>{key}</th><th>to DETAIN</th>"
        f"<th>to RELEASE</th></tr>{_rows(counts)}</table>"
    )


# Flipped events listed on the page (all of them are in flips.jsonl).
LISTED_FLIPS = 500


def _flip_table(rows: Sequence[Mapping[str, Any]]) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "event",
            "shipment",
            "month",
            "port",
            "HTS chapters",
            "outcome",
            "orders added",
            "orders removed",
        )
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(cell))}</td>"
            for cell in (
                row["event_id"],
                row["shipment_id"],
                row["month"],
                row["port"],
                " ".join(row["hts_chapters"]),
                f"{row['before']} -> {row['after']}",
                " ".join(row["orders_added"]),
                " ".join(row["orders_removed"]),
            )
        )
        + "</tr>"
        for row in rows[:LISTED_FLIPS]
    )
    more = (
        f"<p>... and {len(rows) - LISTED_FLIPS} more in flips.jsonl</p>"
        if len(rows) > LISTED_FLIPS
        else ""
    )
    return f"<h2>Events that flip</h2><table><tr>{head}</tr>{body}</table>{more}"


def flips_html(
    summary: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    png: Path,
    title: str,
    path: Path,
) -> None:
    image = base64.b64encode(png.read_bytes()).decode()
    flips = summary["flips"]
    body = (
        f"<h1>{html.escape(title)}</h1><p>{html.escape(summary['headline'])}</p>"
        f'<img alt="flips by month" src="data:image/png;base64,{image}">'
        + _section("By order added or dropped", "order", flips["by_order"])
        + _section("By port", "port", flips["by_port"])
        + _section("By month", "month", flips["by_month"])
        + _flip_table(rows)
    )
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
        "td:first-child{text-align:left}"
    )
    path.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>{body}</body></html>\n",
        encoding="utf-8",
    )
