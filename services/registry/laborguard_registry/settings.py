"""The registry's settings: one frozen object, read once from the environment (LABORGUARD_*)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(name: str) -> AliasChoices:
    """Accept the field name (tests build settings directly) or the documented variable."""
    return AliasChoices(name, f"LABORGUARD_REGISTRY_{name.upper()}")


class RegistrySettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    # SQLAlchemy URL: the SQLite file is the embedded default; PostgreSQL via postgresql+psycopg://.
    database_url: str = Field(
        "sqlite:///var/registry.sqlite3", validation_alias=_env("database_url")
    )
    # PostgreSQL: the tables' owner, for migrations only (empty: database_url migrates). When
    # set, the application's role (database_url's user) gets INSERT and SELECT only on the
    # audit log and the order versions.
    migration_database_url: str = Field("", validation_alias=_env("migration_database_url"))
    # Shared with every service, hence no REGISTRY in its name.
    kafka_bootstrap: str = Field(
        "127.0.0.1:9092",
        validation_alias=AliasChoices("kafka_bootstrap", "LABORGUARD_KAFKA_BOOTSTRAP"),
    )
    host: str = Field("127.0.0.1", validation_alias=_env("host"))
    port: int = Field(8080, ge=0, le=65535, validation_alias=_env("port"))
    # API worker processes; above 1 the relay runs in the parent and polls for commits.
    api_workers: int = Field(1, ge=1, le=64, validation_alias=_env("api_workers"))
    # Token accepted as an admin so a fresh install can create the first tokens; empty = none.
    admin_token: str = Field("", validation_alias=_env("admin_token"))
    # Topic the relay publishes to; only tests and benchmarks change it.
    orders_topic: str = Field("orders", min_length=1, validation_alias=_env("orders_topic"))
    # Unset: the relay's producer is idempotent where the broker grants producer ids (Apache
    # Kafka), not on the embedded broker, which rejects them (asked at each connect).
    idempotent_producer: bool | None = Field(None, validation_alias=_env("idempotent_producer"))
    # How often the relay looks for unsent rows when no commit woke it up.
    relay_poll_seconds: float = Field(0.2, gt=0, le=60, validation_alias=_env("relay_poll_seconds"))
    # Rows published per produce request; one request is in flight at a time to keep order.
    relay_batch_size: int = Field(500, ge=1, le=10_000, validation_alias=_env("relay_batch_size"))
    # Pause after a partial batch so commits arriving together are published together.
    relay_linger_seconds: float = Field(
        0.02, ge=0, le=1, validation_alias=_env("relay_linger_seconds")
    )
    # Upper bound of the relay's back-off while the broker is unreachable.
    relay_max_backoff_seconds: float = Field(
        2.0, gt=0, le=300, validation_alias=_env("relay_max_backoff_seconds")
    )
    # Request bodies above this size get 413 (the seed file is ~200 KB).
    max_request_bytes: int = Field(
        5 * 1024 * 1024, ge=1024, validation_alias=_env("max_request_bytes")
    )
    # A token found in the database is trusted this long without asking again (0: never);
    # a revocation reaches other API worker processes within this delay.
    token_cache_seconds: float = Field(
        5.0, ge=0, le=300, validation_alias=_env("token_cache_seconds")
    )
    # Failed authentications allowed per client address per minute; past it: 429.
    auth_failures_per_minute: int = Field(
        30, ge=1, le=100_000, validation_alias=_env("auth_failures_per_minute")
    )
    # Import the bundled seed of 94 orders when the database holds no order yet.
    seed_on_start: bool = Field(False, validation_alias=_env("seed_on_start"))
    log_level: str = Field("info", validation_alias=_env("log_level"))

    @field_validator("admin_token")
    @classmethod
    def _admin_token_is_long(cls, value: str) -> str:
        if value and len(value) < 16:
            raise ValueError("an admin bootstrap token needs at least 16 characters")
        return value

    @property
    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        return Path(self.database_url.removeprefix(prefix))
