"""The stack's parts and their wiring: the composition root of `laborguard stack`."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from aiokafka.errors import KafkaError

from laborguard_contracts.topics import ensure_topics
from laborguard_platform import local_prometheus
from laborguard_platform.broker_process import (
    apache_child,
    broker_child,
    start_apache_broker,
    start_broker,
)
from laborguard_platform.children import Child
from laborguard_platform.endpoints import Endpoint
from laborguard_platform.errors import StackError
from laborguard_platform.ports import claim
from laborguard_platform.services import (
    decisions_store_endpoint,
    registry_endpoint,
    screener_endpoints,
)
from laborguard_platform.stack_settings import StackSettings


@dataclass
class Stack:
    settings: StackSettings
    broker: Endpoint | None  # the stack's own broker; None with an external Kafka
    bootstrap: str
    registry: Endpoint
    screeners: list[Endpoint]
    admin_token: str
    prometheus: Endpoint | None = None
    decisions_store: Endpoint | None = None  # stores decisions for the registry's console

    @property
    def must_republish(self) -> bool:
        """A database of the user's own has published its orders to some other broker."""
        return self.broker is not None and bool(self.settings.registry_database_url)

    @property
    def services(self) -> list[Endpoint]:
        """Every child process: the registry, the screeners, and Prometheus if asked for."""
        monitors = [self.prometheus] if self.prometheus else []
        store = [self.decisions_store] if self.decisions_store else []
        return [self.registry, *store, *self.screeners, *monitors]

    @property
    def children(self) -> list[Child]:
        """Every process the stack runs and must keep alive, the broker included."""
        broker = [self.broker.child] if self.broker else []
        return broker + [endpoint.child for endpoint in self.services]

    def start(self) -> None:
        """Broker, topics, then the services; every child is started before any thread."""
        for child in self.children:
            child.fresh_log()
        if self.broker is not None and self.settings.embedded_broker:
            start_broker(self.broker.child, self.broker.port)
        elif self.broker is not None:
            start_apache_broker(self.broker.child)
        try:
            asyncio.run(ensure_topics(self.bootstrap))
        except (KafkaError, OSError) as exc:
            raise StackError(
                f"cannot create the topics on Kafka at {self.bootstrap}: {exc!r}"
            ) from exc
        for endpoint in self.services:
            endpoint.child.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Services first (they flush to the broker on the way out), the broker last."""
        for endpoint in self.services:
            endpoint.child.terminate()
        deadline = time.monotonic() + timeout
        for endpoint in self.services:
            endpoint.child.stop(max(0.1, deadline - time.monotonic()))
        if self.broker is not None:
            self.broker.child.stop()


def build(settings: StackSettings) -> Stack:
    """Claims the ports and describes every process; nothing is started yet."""
    run_dir = settings.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    broker = None
    bootstrap = settings.kafka_bootstrap
    if settings.local_broker:
        port = claim(settings.broker_port, f"{settings.kafka} broker")
        child = broker_child if settings.embedded_broker else apache_child
        broker = Endpoint(child(port, run_dir), port)
        bootstrap = f"127.0.0.1:{port}"
        _fresh_state(settings)
    token = os.environ.get("LABORGUARD_REGISTRY_ADMIN_TOKEN") or secrets.token_urlsafe(24)
    registry = registry_endpoint(
        settings, bootstrap, claim(settings.registry_port, "registry"), token
    )
    screeners = screener_endpoints(settings, bootstrap)
    prometheus = local_prometheus.endpoint(settings, registry, screeners)
    store = decisions_store_endpoint(settings, bootstrap)
    return Stack(settings, broker, bootstrap, registry, screeners, token, prometheus, store)


def _fresh_state(settings: StackSettings) -> None:
    """A new local broker holds nothing: state derived from an earlier one is stale. The
    registry starts from an empty SQLite file (and seeds it), the screeners without local state."""
    if not settings.registry_database_url:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{settings.sqlite_path}{suffix}").unlink(missing_ok=True)
    for state in settings.run_dir.glob("screener-*"):
        if state.is_dir():
            shutil.rmtree(state)
