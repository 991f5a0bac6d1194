"""Plain-text tables for the terminal: outcome counts and flip counts by a grouping."""

from __future__ import annotations

from collections.abc import Mapping

from laborguard_replay.diffing import TO_DETAIN, TO_RELEASE


def _rule(widths: list[int]) -> str:
    return "  ".join("-" * width for width in widths)


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = [title, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append(_rule(widths))
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    return "\n".join(lines) + "\n"


def outcomes(title: str, key: str, counts: Mapping[str, Mapping[str, int]]) -> str:
    rows = []
    for name, by_outcome in counts.items():
        detain, release = by_outcome.get("DETAIN", 0), by_outcome.get("RELEASE", 0)
        refer = by_outcome.get("REFER", 0)
        share = 100 * detain / max(detain + release + refer, 1)
        rows.append([name, str(detain), str(release), str(refer), f"{share:.2f}%"])
    return table(title, [key, "DETAIN", "RELEASE", "REFER", "detain %"], rows)


def flips(title: str, key: str, counts: Mapping[str, Mapping[str, int]]) -> str:
    rows = [
        [name, str(by.get(TO_DETAIN, 0)), str(by.get(TO_RELEASE, 0))] for name, by in counts.items()
    ]
    return table(title, [key, "to DETAIN", "to RELEASE"], rows)


def ranking(title: str, key: str, counts: Mapping[str, int]) -> str:
    return table(title, [key, "events"], [[name, str(n)] for name, n in counts.items()])
