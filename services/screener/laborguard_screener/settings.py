"""The screener's settings: one frozen object, read once from `LABORGUARD_SCREENER_*` variables."""

from __future__ import annotations

import socket

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ScreenerSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LABORGUARD_SCREENER_", frozen=True, populate_by_name=True, extra="ignore"
    )

    # Shared by every service, hence the shorter variable name.
    kafka_bootstrap: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("kafka_bootstrap", "LABORGUARD_KAFKA_BOOTSTRAP"),
    )
    # Port of /metrics, /healthz and /readyz.
    web_port: int = Field(default=6066, ge=1, le=65535)
    web_host: str = "127.0.0.1"
    # Workers sharing a group id split the shipment partitions between them.
    group_id: str = "laborguard-screener"
    # Names this process in logs and in the `worker` header of every record it produces.
    worker_id: str = Field(default_factory=socket.gethostname)
    # faust keeps its small local state here (one directory per worker).
    data_dir: str = "var/screener"

    orders_topic: str = "orders"
    shipments_topic: str = "shipments"
    decisions_topic: str = "decisions"
    dead_letter_topic: str = "shipments.dlq"
    # The open-shipments changelog (compacted, partitioned like shipments): ongoing screening.
    open_shipments_topic: str = "shipments.open"
    # Create the topic catalogue at start-up (the broker would auto-create them without config).
    create_topics: bool = True

    # Most records decided against one order book before order updates may apply: a fetched
    # batch is screened in chunks of this many (no wait for a batch to fill: a fetch is a batch).
    batch_size: int = Field(default=1000, ge=1, le=100_000)
    # faust hard-codes a 1.5 s fetch wait; this broker answers a waiting fetch only at its end.
    fetch_wait_ms: int = Field(default=10, ge=0, le=5000)
    # Orders change rarely and the apply target is 1 s: a longer wait saves idle wake-ups.
    orders_fetch_wait_ms: int = Field(default=100, ge=0, le=5000)
    # Short: fewer duplicate decisions after a crash (each commit also flushes the producer).
    commit_interval_seconds: float = Field(default=0.5, gt=0)
    # A crashed worker is taken over once its session expires (~6-9 s measured on Apache Kafka;
    # the embedded broker completes the join only after half the timeout more).
    session_timeout_seconds: float = Field(default=6.0, ge=2.0)
    heartbeat_interval_seconds: float = Field(default=1.0, gt=0)
    producer_linger_ms: int = Field(default=5, ge=0, le=1000)
    producer_batch_bytes: int = Field(default=256 * 1024, ge=16 * 1024)
    fetch_max_bytes: int = Field(default=4 * 1024 * 1024, ge=64 * 1024)

    # Decisions, dead letters and consumed offsets of each batch in one Kafka transaction
    # (transactional.py): read_committed consumers see each decision once, also after a crash.
    # Apache Kafka only: the worker refuses to start on a broker that grants no producer ids.
    exactly_once: bool = False
    # A dead worker's open transaction holds read_committed readers back this long at most.
    transaction_timeout_seconds: float = Field(default=10.0, ge=1.0, le=900.0)

    fuzzy_threshold: float = Field(default=90.0, ge=0, le=100)
    # Near matches this far below the threshold go to an officer (REFER); 0: off.
    review_band: float = Field(default=0.0, ge=0, le=100)
    # Ongoing screening: open shipments (filed, no final event yet, within this many days of
    # the latest event time seen) are re-decided when orders change. 0 turns it off.
    open_window_days: float = Field(default=45.0, ge=0, le=3650)
    # A quiet stream's time (its dates, its window) follows the wall clock only when it is live:
    # its latest event was decided within this many hours of its time (a replay of history is
    # not). 0: never.
    clock_dates_lag_hours: float = Field(default=24.0, ge=0, le=24 * 3650)
    log_level: str = "WARNING"
