"""The one boundary where errors become HTTP responses. No stack trace ever leaves the process."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from laborguard_registry.errors import (
    AuthenticationError,
    InvalidChangeError,
    NotFoundError,
    OrderExistsError,
    PermissionDeniedError,
    RegistryError,
    RequestTooLargeError,
    StaleVersionError,
    TokenExistsError,
)

log = logging.getLogger(__name__)
STATUS: tuple[tuple[type[RegistryError], int, str], ...] = (
    (InvalidChangeError, 422, "invalid"),
    (NotFoundError, 404, "not_found"),
    (StaleVersionError, 409, "stale_version"),
    (OrderExistsError, 409, "exists"),
    (TokenExistsError, 409, "exists"),
    (AuthenticationError, 401, "unauthenticated"),
    (PermissionDeniedError, 403, "forbidden"),
    (RequestTooLargeError, 413, "too_large"),
)


def error_response(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    body = {"error": code, "message": message, "field": field}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RegistryError, _registry_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


async def _registry_error(_request: Request, exc: RegistryError) -> JSONResponse:
    for kind, status, code in STATUS:
        if isinstance(exc, kind):
            return error_response(status, code, exc.message, exc.field)
    return error_response(400, "bad_request", exc.message, exc.field)


async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    field = ".".join(str(part) for part in first["loc"] if part != "body") or "body"
    more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
    return error_response(422, "invalid", f"{field}: {first['msg']}{more}", field)


async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
    return error_response(exc.status_code, "http_error", str(exc.detail))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error serving %s %s", request.method, request.url.path)
    return error_response(500, "internal", "internal error; the registry logged the details")
