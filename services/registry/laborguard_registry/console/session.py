"""Who is using the console: the API token entered once at sign-in, kept in an HttpOnly,
SameSite=Strict cookie and resolved exactly like a bearer token (same roles, same cache)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from laborguard_registry.errors import AuthenticationError, PermissionDeniedError
from laborguard_registry.tokens import Principal, TokenBook

COOKIE = "laborguard_console"
PATH = "/console"


class SignInRequired(Exception):
    """No valid token in the cookie: the console answers with its sign-in page."""


async def principal_of(tokens: TokenBook, token: str | None) -> Principal:
    known = tokens.cached(token)
    return known if known is not None else await run_in_threadpool(tokens.authenticate, token)


async def console_user(request: Request) -> Principal:
    tokens: TokenBook = request.app.state.tokens
    try:
        return await principal_of(tokens, request.cookies.get(COOKIE))
    except AuthenticationError as exc:
        raise SignInRequired from exc


async def same_origin(request: Request) -> None:
    """Writes only from the console's own pages (the cookie is SameSite=Strict as well)."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise PermissionDeniedError("a console form must be sent from the console itself")


User = Annotated[Principal, Depends(console_user)]
SameOrigin = Depends(same_origin)
