"""CBP's published WRO/Findings table (CSV) read into orders.

Columns: Country, Entity, Merchandise, Industry, Status, WRO/Finding, Effective Date, Remarks,
Press Release. The order id is derived from the row's content so a re-import finds the same ids.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from laborguard_contracts import LegalAction, Order, OrderKind, TimelineEventKind
from laborguard_contracts.errors import ContractError
from laborguard_registry.errors import ImportFormatError

COLUMNS = (
    "Country",
    "Entity",
    "Merchandise",
    "Industry",
    "Status",
    "WRO/Finding",
    "Effective Date",
    "Remarks",
    "Press Release",
)
DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y")
ENDED_STATUSES = frozenset({"inactive", "revoked", "lifted", "modified - inactive"})
DATE_IN_TEXT = re.compile(r"\b(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\b")
# Country names as CBP writes them; unknown names keep the entity's country empty.
COUNTRIES = {
    "brazil": "BR",
    "burma": "MM",
    "china": "CN",
    "democratic republic of the congo": "CD",
    "dominican republic": "DO",
    "fiji": "FJ",
    "india": "IN",
    "japan": "JP",
    "kenya": "KE",
    "kiribati": "KI",
    "malawi": "MW",
    "malaysia": "MY",
    "mexico": "MX",
    "nepal": "NP",
    "samoa": "WS",
    "south korea": "KR",
    "taiwan": "TW",
    "thailand": "TH",
    "turkmenistan": "TM",
    "uzbekistan": "UZ",
    "vanuatu": "VU",
    "vietnam": "VN",
    "zimbabwe": "ZW",
}


def parse_cbp_csv(text: str) -> tuple[Order, ...]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
    except csv.Error as exc:
        raise ImportFormatError(f"unreadable CSV header: {exc}", "header") from exc
    if missing:
        raise ImportFormatError(f"missing column(s): {', '.join(missing)}", "header")
    return tuple(_order(line, row) for line, row in _rows(reader))


def _rows(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str | None]]]:
    """(line, row) of every non-blank row; a row csv cannot read, or with more fields than the
    header names, is refused naming its line."""
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a field over csv's 131,072-character limit
            raise ImportFormatError(f"unreadable row: {exc}", f"line {line}") from exc
        if reader.restkey in row:
            message = f"{len(COLUMNS)} columns expected, the row has more"
            raise ImportFormatError(message, f"line {reader.line_num}")
        values: dict[str, str | None] = {key: value for key, value in row.items() if key}
        if any((value or "").strip() for value in values.values()):
            yield reader.line_num, values


def _order(line: int, raw: dict[str, str | None]) -> Order:
    row = {column: (raw.get(column) or "").strip() for column in COLUMNS}
    kind = _kind(line, row["WRO/Finding"])
    effective = _date(line, "Effective Date", row["Effective Date"])
    document: dict[str, Any] = {
        "order_id": _order_id(kind, effective, row),
        "version": 1,
        "kind": kind,
        "title": f"{'WRO' if kind is OrderKind.WRO else 'Finding'}: {row['Entity']}",
        "merchandise_scope": row["Merchandise"],
        "entities": [{"name": row["Entity"], "country": _country(row["Country"])}],
        "action": LegalAction.DETAIN if kind is OrderKind.WRO else LegalAction.SEIZE,
        "timeline": _timeline(line, effective, row),
        "source": row["Press Release"],
        "notes": _notes(row),
    }
    try:
        return Order.model_validate(document)
    except ValidationError as exc:
        error = ContractError.from_validation(exc)
        raise ImportFormatError(error.reason, f"line {line}: {error.field}") from exc


def _kind(line: int, text: str) -> OrderKind:
    value = text.casefold()
    if value.startswith("wro") or value.startswith("withhold"):
        return OrderKind.WRO
    if value.startswith("finding"):
        return OrderKind.FINDING
    raise ImportFormatError(f"expected WRO or Finding, got {text!r}", f"line {line}: WRO/Finding")


def _date(line: int, column: str, text: str) -> date:
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ImportFormatError(f"not a date: {text!r} (MM/DD/YYYY expected)", f"line {line}: {column}")


def _timeline(line: int, effective: date, row: dict[str, str]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = [
        {"kind": TimelineEventKind.IN_FORCE, "effective": effective, "note": row["Status"]}
    ]
    if row["Status"].casefold() in ENDED_STATUSES:
        found = DATE_IN_TEXT.search(row["Remarks"])
        if found is None:
            reason = f"status {row['Status']!r} needs the end date in Remarks (MM/DD/YYYY)"
            raise ImportFormatError(reason, f"line {line}: Remarks")
        ended = _date(line, "Remarks", found.group(1))
        events.append(
            {"kind": TimelineEventKind.REVOKED, "effective": ended, "note": row["Remarks"]}
        )
    return events


def _country(name: str) -> str | None:
    if re.fullmatch(r"[A-Z]{2}", name):
        return name
    return COUNTRIES.get(name.casefold())


def _notes(row: dict[str, str]) -> str:
    parts = [f"Country: {row['Country']}", f"Industry: {row['Industry']}", row["Remarks"]]
    return "; ".join(part for part in parts if part and not part.endswith(": "))


def _order_id(kind: OrderKind, effective: date, row: dict[str, str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", row["Entity"].casefold()).strip("-")[:60]
    basis = "|".join((kind.value, effective.isoformat(), row["Entity"], row["Merchandise"]))
    digest = hashlib.sha256(basis.encode()).hexdigest()[:8]
    return f"cbp-{kind.value}-{effective.year}-{slug}-{digest}"
