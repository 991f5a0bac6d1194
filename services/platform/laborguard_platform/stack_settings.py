"""Settings of `laborguard stack`, read once from the environment; command-line options override.

The shared variables keep their shared names: setting LABORGUARD_KAFKA_BOOTSTRAP points the stack
at that Kafka instead of starting the embedded broker, and LABORGUARD_REGISTRY_DATABASE_URL at that
database instead of a fresh SQLite file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _shared(name: str) -> AliasChoices:
    return AliasChoices(name, f"LABORGUARD_{name.upper()}")


class StackSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LABORGUARD_STACK_", frozen=True, populate_by_name=True, extra="ignore"
    )

    # Empty: start the embedded broker. Otherwise "host:port[,host:port]" of a running Kafka.
    kafka_bootstrap: str = Field("", validation_alias=_shared("kafka_bootstrap"))
    # The broker started when no bootstrap is given: the embedded one (default, in memory), or a
    # local Apache Kafka (the pinned version, one node, data in run_dir/kafka, made afresh).
    kafka: Literal["embedded", "apache"] = "embedded"
    # Port of the local broker; 0 picks a free one.
    broker_port: int = Field(9092, ge=0, le=65535)
    # Empty: a fresh SQLite file in run_dir. An embedded broker forgets everything on exit, so
    # the registry must start from a database that has published nothing to it yet.
    registry_database_url: str = Field("", validation_alias=_shared("registry_database_url"))
    # HTTP port of the registry; 0 picks a free one.
    registry_port: int = Field(8080, ge=0, le=65535, validation_alias=_shared("registry_port"))
    # Web port (/metrics) of the first screener worker; worker i listens on port + i. 0: free ports.
    screener_web_port: int = Field(
        6066, ge=0, le=65535, validation_alias=_shared("screener_web_port")
    )
    # Screener workers in one consumer group (shipments has 4 partitions: more than 4 idle).
    workers: int = Field(2, ge=1, le=8)
    # Replay the history file through the stack once it is ready.
    replay: bool = True
    # History to replay (JSONL, .gz): empty means the bundled sample.
    replay_path: Path | None = None
    # Replay pacing: 0 = as fast as possible, else original pacing times this factor.
    replay_speed: float = Field(0.0, ge=0)
    # Replay only the first N events (0 = all): quick runs and tests.
    replay_limit: int = Field(0, ge=0)
    # Stop everything once every replayed event is decided (or dead-lettered); with no replay,
    # once everything is ready.
    exit_after_replay: bool = False
    # Also run Prometheus (with the alert rules) on this port; unset: no Prometheus, 0: free port.
    prometheus_port: int | None = Field(None, ge=0, le=65535)
    # The Prometheus binary (Debian's `prometheus` package installs /usr/bin/prometheus).
    prometheus_binary: str = "prometheus"
    # Logs of every child, the SQLite file and the screeners' local state.
    run_dir: Path = Path("var/stack")
    # How long the services may take to report ready.
    ready_timeout_seconds: float = Field(120.0, gt=0)
    # After the replay, how long the decision count may stand still before the stack gives up.
    settle_timeout_seconds: float = Field(60.0, gt=0)

    @property
    def local_broker(self) -> bool:
        """The stack starts its own broker (embedded or Apache Kafka)."""
        return not self.kafka_bootstrap

    @property
    def embedded_broker(self) -> bool:
        return self.local_broker and self.kafka == "embedded"

    @property
    def sqlite_path(self) -> Path:
        return self.run_dir / "registry.sqlite3"

    @property
    def database_url(self) -> str:
        return self.registry_database_url or f"sqlite:///{self.sqlite_path}"
