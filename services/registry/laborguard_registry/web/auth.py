"""Who is calling: a bearer token resolved to a principal (role checks live in the service)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from laborguard_registry.tokens import Principal, TokenBook

bearer = HTTPBearer(auto_error=False, description="an API token issued by an admin")


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    tokens: TokenBook = request.app.state.tokens
    return tokens.authenticate(credentials.credentials if credentials else None)


Caller = Annotated[Principal, Depends(caller)]
