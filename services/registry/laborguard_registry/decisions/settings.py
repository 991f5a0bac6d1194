"""The decisions store's settings: one frozen object, read once (LABORGUARD_DECISIONS_STORE_*)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, f"LABORGUARD_DECISIONS_STORE_{name.upper()}")


class StoreSettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    # The registry's database (the console reads the decisions from it); same variable.
    database_url: str = Field(
        "sqlite:///var/registry.sqlite3",
        validation_alias=AliasChoices("database_url", "LABORGUARD_REGISTRY_DATABASE_URL"),
    )
    kafka_bootstrap: str = Field(
        "127.0.0.1:9092",
        validation_alias=AliasChoices("kafka_bootstrap", "LABORGUARD_KAFKA_BOOTSTRAP"),
    )
    decisions_topic: str = Field(
        "decisions", min_length=1, validation_alias=_env("decisions_topic")
    )
    # The shipment events, for the importer and the lines a decision's evidence points at.
    shipments_topic: str = Field(
        "shipments", min_length=1, validation_alias=_env("shipments_topic")
    )
    # Names this consumer's offsets in `store_offsets` (kept in the database, with the rows).
    consumer_name: str = Field(
        "decisions-store", min_length=1, max_length=128, validation_alias=_env("consumer_name")
    )
    # Records per transaction.
    batch_size: int = Field(2000, ge=1, le=50_000, validation_alias=_env("batch_size"))
    # /metrics and /readyz; 0 picks a free port.
    port: int = Field(6070, ge=0, le=65535, validation_alias=_env("port"))
    host: str = Field("127.0.0.1", validation_alias=_env("host"))
    log_level: str = Field("info", validation_alias=_env("log_level"))
