"""Who is calling: a bearer token resolved to a principal (role checks live in the service)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from laborguard_registry.tokens import Principal, TokenBook

bearer = HTTPBearer(auto_error=False, description="an API token issued by an admin")


async def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    # Async: a cached token costs no threadpool hop; only a database lookup goes to a thread.
    tokens: TokenBook = request.app.state.tokens
    token = credentials.credentials if credentials else None
    known = tokens.cached(token)
    return known if known is not None else await run_in_threadpool(tokens.authenticate, token)


Caller = Annotated[Principal, Depends(caller)]
