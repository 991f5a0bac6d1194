"""The replay tools' settings, read once from LABORGUARD_* environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReplaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LABORGUARD_", frozen=True, extra="ignore")

    # Kafka-protocol bootstrap servers ("host:port[,host:port]").
    kafka_bootstrap: str = "127.0.0.1:9092"
    # Topic replay publishes shipment events to (key = shipment id).
    shipments_topic: str = "shipments"
    # Topic `collect` reads decisions from.
    decisions_topic: str = "decisions"
    # Sends in flight before the publisher waits for their acknowledgements.
    replay_batch_size: int = Field(default=2000, ge=1)
    # Producer linger: a few milliseconds lets one request carry many events.
    replay_linger_ms: int = Field(default=5, ge=0)
    # Producer batch size per partition, bytes.
    replay_max_batch_bytes: int = Field(default=256 * 1024, ge=1024)
