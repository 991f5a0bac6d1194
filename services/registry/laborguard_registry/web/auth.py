"""Who is calling: a bearer token resolved to a principal (role checks live in the service).
Failed authentications are logged (never the token) and throttled per client address."""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from laborguard_registry.errors import AuthenticationError, TooManyAttemptsError
from laborguard_registry.tokens import Principal, TokenBook

log = logging.getLogger(__name__)
bearer = HTTPBearer(auto_error=False, description="an API token issued by an admin")
WINDOW_SECONDS = 60.0
MAX_ADDRESSES = 10_000


class FailedAuthentications:
    """Failures per client address over the last minute; past `limit` the address waits."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._failures: dict[str, deque[float]] = {}

    def check(self, address: str) -> None:
        failures = self._failures.get(address)
        now = time.monotonic()
        while failures and failures[0] <= now - WINDOW_SECONDS:
            failures.popleft()
        if failures is not None and len(failures) >= self._limit:
            wait = int(failures[0] + WINDOW_SECONDS - now) + 1
            raise TooManyAttemptsError(f"too many failed authentications; retry in {wait} s", wait)

    def record(self, address: str) -> None:
        if len(self._failures) >= MAX_ADDRESSES and address not in self._failures:
            self._failures.clear()
        self._failures.setdefault(address, deque()).append(time.monotonic())


async def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    # Async: a cached token costs no threadpool hop; only a database lookup goes to a thread.
    tokens: TokenBook = request.app.state.tokens
    token = credentials.credentials if credentials else None
    known = tokens.cached(token)
    if known is not None:
        return known
    failed: FailedAuthentications = request.app.state.failed_authentications
    address = request.client.host if request.client else "unknown"
    failed.check(address)
    try:
        return await run_in_threadpool(tokens.authenticate, token)
    except AuthenticationError as exc:
        failed.record(address)
        log.warning("failed authentication from %s on %r: %s", address, request.url.path, exc)
        raise


Caller = Annotated[Principal, Depends(caller)]
