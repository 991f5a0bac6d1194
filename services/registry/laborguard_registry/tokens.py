"""API tokens with roles, stored as SHA-256 digests (the tokens are random, so no slow hash is
needed); the settings' admin bootstrap token lets a fresh install create the first ones."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from laborguard_registry.errors import (
    AuthenticationError,
    PermissionDeniedError,
    TokenExistsError,
    TokenNotFoundError,
)
from laborguard_registry.store import AuditEntry, OrderStore
from laborguard_registry.tables import api_tokens

BOOTSTRAP_ADMIN = "bootstrap-admin"
MAX_CACHED = 10_000
ACTIVE_TOKEN = select(api_tokens.c.name, api_tokens.c.role).where(
    api_tokens.c.token_hash == bindparam("token_hash"), api_tokens.c.revoked_at.is_(None)
)


class Role(StrEnum):
    VIEWER = "viewer"  # reads orders, history and the audit log
    OFFICER = "officer"  # also issues, amends, revokes and imports orders
    ADMIN = "admin"  # also manages tokens and republishes

    @property
    def rank(self) -> int:
        return list(Role).index(self)


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role

    def require(self, role: Role) -> None:
        if self.role.rank < role.rank:
            raise PermissionDeniedError(
                f"{self.name} is a {self.role.value}; this needs {role.value}"
            )


class TokenInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    role: Role
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenBook:
    """Resolves tokens to principals. A token found in the database is remembered for
    `cache_seconds` (0: never): a revocation reaches this process at once, other API worker
    processes within that delay."""

    def __init__(
        self, engine: Engine, store: OrderStore, admin_token: str = "", cache_seconds: float = 0.0
    ) -> None:
        self._engine = engine
        self._store = store
        self._admin_digest = digest(admin_token) if admin_token else None
        self._cache_seconds = cache_seconds
        self._known: dict[str, tuple[Principal, float]] = {}

    def cached(self, token: str | None) -> Principal | None:
        """The principal if it is known without asking the database, else None."""
        if not token:
            return None
        hashed = digest(token)
        if self._admin_digest and hmac.compare_digest(hashed, self._admin_digest):
            return Principal(BOOTSTRAP_ADMIN, Role.ADMIN)
        known = self._known.get(hashed)
        return known[0] if known is not None and known[1] > time.monotonic() else None

    def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise AuthenticationError("an API token is required (Authorization: Bearer <token>)")
        known = self.cached(token)
        if known is not None:
            return known
        hashed = digest(token)
        with self._engine.connect() as connection:
            row = connection.execute(ACTIVE_TOKEN, {"token_hash": hashed}).one_or_none()
        if row is None:
            raise AuthenticationError("unknown or revoked API token")
        principal = Principal(row.name, Role(row.role))
        if self._cache_seconds > 0:
            if len(self._known) >= MAX_CACHED:
                self._known.clear()
            self._known[hashed] = (principal, time.monotonic() + self._cache_seconds)
        return principal

    def issue(self, by: Principal, name: str, role: Role, reason: str) -> str:
        by.require(Role.ADMIN)
        token = "lg_" + secrets.token_urlsafe(32)
        row = {
            "name": name,
            "role": role.value,
            "token_hash": digest(token),
            "created_at": datetime.now(UTC),
            "created_by": by.name,
        }
        entry = AuditEntry(by.name, "token_issued", reason, {"name": name, "role": role.value})
        try:
            with self._store.unit() as unit:
                unit.connection.execute(insert(api_tokens).values(row))
                unit.record(entry)
        except IntegrityError as exc:
            raise TokenExistsError(f"a token named {name} exists", "name") from exc
        return token

    def revoke(self, by: Principal, name: str, reason: str) -> None:
        by.require(Role.ADMIN)
        statement = (
            update(api_tokens)
            .where(api_tokens.c.name == name, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        with self._store.unit() as unit:
            if unit.connection.execute(statement).rowcount != 1:
                raise TokenNotFoundError(f"no active token named {name}", "name")
            self._known.clear()
            unit.record(AuditEntry(by.name, "token_revoked", reason, {"name": name}))

    def list(self) -> list[TokenInfo]:
        query = select(api_tokens).order_by(api_tokens.c.created_at)
        with self._engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [TokenInfo.model_validate(dict(row)) for row in rows]
