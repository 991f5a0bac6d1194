"""Path and query parameters with strict forms: what cannot be stored or compared is a 422."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Path, Request, Response
from pydantic import AfterValidator, AwareDatetime, BeforeValidator

from laborguard_contracts.types import ORDER_ID_PATTERN

ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}.*")
MAX_ROW_ID = 2**63 - 1  # BIGINT on PostgreSQL, INTEGER on SQLite


def _iso_text(value: Any) -> Any:
    # Lax pydantic reads a number (even 2.2e-313) as seconds since the epoch.
    if isinstance(value, datetime) or (isinstance(value, str) and ISO_DATETIME.fullmatch(value)):
        return value
    raise ValueError("a moment is written YYYY-MM-DDTHH:MM:SS with a UTC offset")


def _utc_representable(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # 9999-12-31T23:00-14:00 is past year 9999 in UTC
        raise ValueError("out of range once converted to UTC") from exc


Moment = Annotated[AwareDatetime, BeforeValidator(_iso_text), AfterValidator(_utc_representable)]
OrderIdPath = Annotated[
    str, Path(max_length=128, pattern=ORDER_ID_PATTERN, description="a lowercase slug")
]


def link_next(request: Request, response: Response, after: str | int) -> None:
    """Point to the next page (RFC 8288), relative: never built from the Host header."""
    params = {**request.query_params, "after": str(after)}
    response.headers["Link"] = f'<{request.url.path}?{urlencode(params)}>; rel="next"'
