"""Constrained field types shared by the contracts."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt, StringConstraints

from laborguard_contracts.base import SCHEMA_VERSION


def _hts_digits(value: str) -> str:
    return value.replace(".", "")


# Written [0-9], never \d: pydantic's regex engine matches every Unicode digit with \d, and an
# HTS code in Arabic-Indic or fullwidth digits would validate yet never match a filed one.
# HTS code as filed: 6 to 10 digits, dots optional ("6109.10.0012"); stored as digits only.
HtsCode = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}(\.?[0-9]{2}){1,3}$"),
    AfterValidator(_hts_digits),
]
# HTS heading prefix an order covers: 2 to 10 digits, dots optional; stored as digits only.
HtsPrefix = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{2}([0-9]{2})?(\.?[0-9]{2}){0,3}$"),
    AfterValidator(_hts_digits),
]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
# ISO 3166-2 subdivision, e.g. CN-XJ for the Xinjiang Uyghur Autonomous Region.
RegionCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")]
# A region as a filer writes it: "CN-XJ", "CN-65", "Xinjiang", "XUAR", "新疆"... (see regions.py).
RegionText = Annotated[str, StringConstraints(min_length=1, max_length=512)]
PortCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
Mid = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[A-Z0-9]{1,13}$")]
# No control characters (NUL above all: PostgreSQL cannot store it in text, SQLite can, so the
# two backends would disagree); free text keeps tab and line breaks.
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
TEXT_CONTROL_FREE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Name = Annotated[str, StringConstraints(min_length=1, max_length=512, pattern=NO_CONTROL)]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=NO_CONTROL)]
# An order id is a lowercase slug: it appears in URL paths, topic keys and audit rows, so ids
# that differ only by case, invisible or right-to-left characters, or hold a "/" are refused.
ORDER_ID_PATTERN = r"^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$"
OrderId = Annotated[str, StringConstraints(max_length=128, pattern=ORDER_ID_PATTERN)]
Text = Annotated[str, StringConstraints(max_length=4000, pattern=TEXT_CONTROL_FREE)]
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_only(value: Any) -> Any:
    """Dates as ISO text (or date objects): lax pydantic also reads numbers as epoch days."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
# The wire format's version: this code reads versions 1..SCHEMA_VERSION, nothing else.
SchemaVersion = Annotated[StrictInt, Field(ge=1, le=SCHEMA_VERSION)]
# Versions: a JSON integer, never true/false, a float or a string of digits.
Version = Annotated[StrictInt, Field(ge=1)]
