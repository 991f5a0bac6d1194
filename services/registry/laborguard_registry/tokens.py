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
from sqlalchemy import Engine, bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from laborguard_registry.errors import (
    AuthenticationError,
    InvalidChangeError,
    PermissionDeniedError,
    TokenExistsError,
    TokenNotFoundError,
)
from laborguard_registry.store import AuditEntry, OrderStore
from laborguard_registry.tables import api_tokens

BOOTSTRAP_ADMIN = "bootstrap-admin"
SEEDER = "seed-import"
# Names the registry itself acts under: a token named so would make audit actors ambiguous.
RESERVED_NAMES = frozenset({BOOTSTRAP_ADMIN, SEEDER})
TOKEN_NAME_PATTERN = r"^[A-Za-z0-9_.@-]+$"
MAX_CACHED = 10_000
ACTIVE_TOKEN = select(api_tokens.c.name, api_tokens.c.role, api_tokens.c.expires_at).where(
    api_tokens.c.token_hash == bindparam("token_hash"),
    api_tokens.c.revoked_at.is_(None),
    or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > bindparam("now")),
)
# The bootstrap token is revoked by a row holding its digest (revoked_at set).
BOOTSTRAP_REVOKED = select(api_tokens.c.name).where(
    api_tokens.c.token_hash == bindparam("token_hash"), api_tokens.c.revoked_at.is_not(None)
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
    expires_at: datetime | None = None


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
        known = self._known.get(digest(token))
        return known[0] if known is not None and known[1] > time.monotonic() else None

    def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise AuthenticationError("an API token is required (Authorization: Bearer <token>)")
        known = self.cached(token)
        if known is not None:
            return known
        hashed = digest(token)
        now = datetime.now(UTC)
        if self._admin_digest and hmac.compare_digest(hashed, self._admin_digest):
            return self._bootstrap(hashed)
        with self._engine.connect() as connection:
            found = {"token_hash": hashed, "now": now}
            row = connection.execute(ACTIVE_TOKEN, found).one_or_none()
        if row is None:
            raise AuthenticationError("unknown, expired or revoked API token")
        principal = Principal(row.name, Role(row.role))
        if self._cache_seconds > 0:
            if len(self._known) >= MAX_CACHED:
                self._known.clear()
            until = time.monotonic() + self._cache_seconds
            if row.expires_at is not None:  # never trusted past its expiry
                until = min(until, time.monotonic() + (row.expires_at - now).total_seconds())
            self._known[hashed] = (principal, until)
        return principal

    def _bootstrap(self, hashed: str) -> Principal:
        # Asked every time (rarely used): a revocation holds in every process at once.
        with self._engine.connect() as connection:
            revoked = connection.execute(BOOTSTRAP_REVOKED, {"token_hash": hashed}).first()
        if revoked is not None:
            raise AuthenticationError("unknown, expired or revoked API token")
        return Principal(BOOTSTRAP_ADMIN, Role.ADMIN)

    def issue(
        self,
        by: Principal,
        name: str,
        role: Role,
        reason: str,
        expires_at: datetime | None = None,
    ) -> str:
        by.require(Role.ADMIN)
        if name.casefold() in RESERVED_NAMES:
            raise InvalidChangeError(f"{name} is a name the registry acts under", "name")
        if expires_at is not None and expires_at <= datetime.now(UTC):
            raise InvalidChangeError("a token cannot expire in the past", "expires_at")
        token = "lg_" + secrets.token_urlsafe(32)
        row = {
            "name": name,
            "role": role.value,
            "token_hash": digest(token),
            "created_at": datetime.now(UTC),
            "created_by": by.name,
            "expires_at": expires_at,
        }
        detail = {"name": name, "role": role.value}
        if expires_at is not None:
            detail["expires_at"] = expires_at.astimezone(UTC).isoformat()
        entry = AuditEntry(by.name, "token_issued", reason, detail)
        try:
            with self._store.unit() as unit:
                unit.connection.execute(insert(api_tokens).values(row))
                unit.record(entry)
        except IntegrityError as exc:
            raise TokenExistsError(f"a token named {name} exists", "name") from exc
        return token

    def revoke(self, by: Principal, name: str, reason: str) -> None:
        by.require(Role.ADMIN)
        entry = AuditEntry(by.name, "token_revoked", reason, {"name": name})
        if name == BOOTSTRAP_ADMIN:
            self._revoke_bootstrap(entry)
            return
        statement = (
            update(api_tokens)
            .where(api_tokens.c.name == name, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        with self._store.unit() as unit:
            if unit.connection.execute(statement).rowcount != 1:
                raise TokenNotFoundError(f"no active token named {name}", "name")
            self._known.clear()
            unit.record(entry)

    def _revoke_bootstrap(self, entry: AuditEntry) -> None:
        if self._admin_digest is None:
            raise TokenNotFoundError("no bootstrap admin token is configured", "name")
        now = datetime.now(UTC)
        row = {"token_hash": self._admin_digest, "revoked_at": now}
        named = api_tokens.c.name == BOOTSTRAP_ADMIN
        with self._store.unit() as unit:
            if unit.connection.execute(update(api_tokens).where(named).values(row)).rowcount == 0:
                unit.connection.execute(
                    insert(api_tokens).values(
                        name=BOOTSTRAP_ADMIN,
                        role=Role.ADMIN.value,
                        created_at=now,
                        created_by=entry.actor,
                        **row,
                    )
                )
            unit.record(entry)

    def list(self) -> list[TokenInfo]:
        query = select(api_tokens).order_by(api_tokens.c.created_at)
        with self._engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [TokenInfo.model_validate(dict(row)) for row in rows]
