"""Templates and the small helpers pages share."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from laborguard_registry.tokens import Principal, Role

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def _when(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


templates.env.filters["when"] = _when


def render(
    request: Request, name: str, user: Principal | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        name,
        {
            "user": user,
            "can_act": user is not None and user.role.rank >= Role.OFFICER.rank,
            "is_admin": user is not None and user.role is Role.ADMIN,
            "today": datetime.now(UTC).date().isoformat(),
            "done": request.query_params.get("done", ""),
            **context,
        },
        status_code=status_code,
    )


def today() -> date:
    return datetime.now(UTC).date()
