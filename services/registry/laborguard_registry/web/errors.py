"""The one boundary where errors become HTTP responses. No stack trace ever leaves the process."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match

from laborguard_registry.errors import (
    AuthenticationError,
    ConflictError,
    InvalidChangeError,
    NotFoundError,
    OrderExistsError,
    PermissionDeniedError,
    RegistryError,
    RequestTooLargeError,
    StaleVersionError,
    TokenExistsError,
    TooManyAttemptsError,
)

log = logging.getLogger(__name__)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
STATUS: tuple[tuple[type[RegistryError], int, str], ...] = (
    (InvalidChangeError, 422, "invalid"),
    (NotFoundError, 404, "not_found"),
    (StaleVersionError, 409, "stale_version"),
    (OrderExistsError, 409, "exists"),
    (TokenExistsError, 409, "exists"),
    (ConflictError, 409, "conflict"),
    (TooManyAttemptsError, 429, "too_many_attempts"),
    (AuthenticationError, 401, "unauthenticated"),
    (PermissionDeniedError, 403, "forbidden"),
    (RequestTooLargeError, 413, "too_large"),
)


class ErrorBody(BaseModel):
    """Every error response: a code, a message, and the field at fault when there is one."""

    error: str
    message: str
    field: str | None


DESCRIPTIONS = {
    400: "a body that cannot be parsed (not UTF-8, not JSON)",
    401: "no, an unknown, expired or revoked token",
    403: "the token's role does not allow this",
    404: "no such order or token",
    405: "method not allowed (the Allow header lists the allowed ones)",
    409: "stale expected_version, an id that exists, or an import that differs",
    413: "request body too large",
    422: "invalid input; `field` names it",
    429: "too many failed authentications from this address (Retry-After)",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer, with the error body."""
    return {
        status: {"model": ErrorBody, "description": DESCRIPTIONS[status]} for status in statuses
    }


# What an authenticated route can answer besides its success.
API_ERRORS = responses(400, 401, 403, 404, 409, 413, 422, 429)


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {"error": code, "message": message, "field": field}
    headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return JSONResponse(body, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RegistryError, _registry_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


async def _registry_error(_request: Request, exc: RegistryError) -> JSONResponse:
    for kind, status, code in STATUS:
        if isinstance(exc, kind):
            retry = getattr(exc, "retry_after", None)
            headers = {"Retry-After": str(retry)} if retry is not None else None
            return error_response(status, code, exc.message, exc.field, headers)
    return error_response(400, "bad_request", exc.message, exc.field)


async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    field = ".".join(str(part) for part in first["loc"] if part != "body") or "body"
    more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
    return error_response(422, "invalid", f"{field}: {first['msg']}{more}", field)


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    headers = exc.headers
    if exc.status_code == 405:  # Starlette's Allow names one route's methods: name the path's
        headers = {**(headers or {}), "Allow": ", ".join(_allowed(request))}
    return error_response(exc.status_code, "http_error", str(exc.detail), headers=headers)


def _allowed(request: Request) -> list[str]:
    """The methods the OpenAPI document gives the most specific template matching the path
    (`/orders/amendments` before `/orders/{order_id}`); else those routing would accept."""
    path = request.url.path
    matching = [
        (template.count("{"), methods)
        for template, methods in request.app.openapi()["paths"].items()
        if re.fullmatch(re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)), path)
    ]
    if matching:
        fewest = min(parameters for parameters, _ in matching)
        documented = {m.upper() for n, methods in matching if n == fewest for m in methods}
        return sorted(documented)
    return [method for method in METHODS if _routed(request, method)]


def _routed(request: Request, method: str) -> bool:
    scope = {**request.scope, "method": method}
    return any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error serving %s %s", request.method, request.url.path)
    return error_response(500, "internal", "internal error; the registry logged the details")
