"""The replay tools' settings: one frozen object, read once from `LABORGUARD_REPLAY_*` variables."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReplaySettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LABORGUARD_REPLAY_", frozen=True, populate_by_name=True, extra="ignore"
    )

    # Kafka-protocol bootstrap servers; shared by every service, hence the shorter variable name.
    kafka_bootstrap: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("kafka_bootstrap", "LABORGUARD_KAFKA_BOOTSTRAP"),
    )
    # Topic replay publishes shipment events to (key = shipment id).
    shipments_topic: str = "shipments"
    # Topic `collect` reads decisions from.
    decisions_topic: str = "decisions"
    # Sends in flight before the publisher waits for their acknowledgements.
    batch_size: int = Field(default=2000, ge=1)
    # Producer linger: a few milliseconds lets one request carry many events.
    linger_ms: int = Field(default=5, ge=0)
    # Producer batch size per partition, bytes.
    max_batch_bytes: int = Field(default=256 * 1024, ge=1024)
