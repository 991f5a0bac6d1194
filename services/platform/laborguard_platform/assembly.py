"""The stack's parts and their wiring: the composition root of `laborguard-stack`."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from aiokafka.errors import KafkaError

from laborguard_platform import local_prometheus
from laborguard_platform.children import Child
from laborguard_platform.embedded_broker import EmbeddedBroker
from laborguard_platform.errors import StackError
from laborguard_platform.ports import claim
from laborguard_platform.stack_settings import StackSettings
from laborguard_platform.topics import ensure_topics


@dataclass(frozen=True)
class Endpoint:
    child: Child
    port: int
    ready_path: str = "/readyz"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Stack:
    settings: StackSettings
    broker: EmbeddedBroker | None
    bootstrap: str
    registry: Endpoint
    screeners: list[Endpoint]
    admin_token: str
    prometheus: Endpoint | None = None

    @property
    def must_republish(self) -> bool:
        """A database of the user's own has published its orders to some other broker."""
        return self.broker is not None and bool(self.settings.registry_database_url)

    @property
    def services(self) -> list[Endpoint]:
        """Every child process: the registry, the screeners, and Prometheus if asked for."""
        monitors = [self.prometheus] if self.prometheus else []
        return [self.registry, *self.screeners, *monitors]

    def start(self) -> None:
        """Broker, topics, then the services; every child is started before any thread."""
        if self.broker is not None:
            self.broker.start()
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
            self.broker.stop()


def build(settings: StackSettings) -> Stack:
    """Claims the ports and describes every process; nothing is started yet."""
    run_dir = settings.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    broker = None
    bootstrap = settings.kafka_bootstrap
    if settings.embedded_broker:
        broker = EmbeddedBroker(
            port=claim(settings.broker_port, "embedded broker"), log_path=run_dir / "broker.log"
        )
        bootstrap = broker.bootstrap
        _fresh_database(settings)
    token = os.environ.get("LABORGUARD_REGISTRY_ADMIN_TOKEN") or secrets.token_urlsafe(24)
    registry = _registry(settings, bootstrap, claim(settings.registry_port, "registry"), token)
    screeners = _screeners(settings, bootstrap)
    prometheus = _prometheus(settings, registry, screeners)
    return Stack(settings, broker, bootstrap, registry, screeners, token, prometheus)


def _fresh_database(settings: StackSettings) -> None:
    """A new broker holds no orders: the registry starts empty and publishes its seed again."""
    if not settings.registry_database_url:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{settings.sqlite_path}{suffix}").unlink(missing_ok=True)


def _registry(settings: StackSettings, bootstrap: str, port: int, token: str) -> Endpoint:
    env = {
        "LABORGUARD_REGISTRY_ADMIN_TOKEN": token,
        "LABORGUARD_KAFKA_BOOTSTRAP": bootstrap,
        "LABORGUARD_REGISTRY_DATABASE_URL": settings.database_url,
        "LABORGUARD_REGISTRY_HOST": "127.0.0.1",
        "LABORGUARD_REGISTRY_PORT": str(port),
        "LABORGUARD_REGISTRY_SEED_ON_START": "true",
    }
    argv = _command("laborguard-registry", "laborguard_registry.main")
    child = Child("registry", argv, settings.run_dir / "registry.log", env)
    return Endpoint(child, port)


def _screeners(settings: StackSettings, bootstrap: str) -> list[Endpoint]:
    first = settings.screener_web_port
    endpoints = []
    for number in range(1, settings.workers + 1):
        name = f"screener-{number}"
        port = claim(first and first + number - 1, name)
        env = {
            "LABORGUARD_KAFKA_BOOTSTRAP": bootstrap,
            "LABORGUARD_SCREENER_WEB_HOST": "127.0.0.1",
            "LABORGUARD_SCREENER_WEB_PORT": str(port),
            "LABORGUARD_SCREENER_WORKER_ID": name,
            "LABORGUARD_SCREENER_DATA_DIR": str(settings.run_dir / name),
        }
        argv = _command("laborguard-screener", "laborguard_screener.main")
        endpoints.append(Endpoint(Child(name, argv, settings.run_dir / f"{name}.log", env), port))
    return endpoints


def _prometheus(
    settings: StackSettings, registry: Endpoint, screeners: list[Endpoint]
) -> Endpoint | None:
    if settings.prometheus_port is None:
        return None
    binary = shutil.which(settings.prometheus_binary)
    if binary is None:
        raise StackError(
            f"--prometheus-port needs {settings.prometheus_binary!r} on PATH "
            "(Debian: apt-get install prometheus)"
        )
    port = claim(settings.prometheus_port, "Prometheus")
    config_path = settings.run_dir / "prometheus.yml"
    config_path.write_text(local_prometheus.config(registry.port, [s.port for s in screeners]))
    argv = local_prometheus.command(binary, config_path, settings.run_dir / "prometheus", port)
    child = Child("prometheus", argv, settings.run_dir / "prometheus.log")
    return Endpoint(child, port, ready_path="/-/ready")


def _command(script: str, module: str) -> list[str]:
    """The console script beside this interpreter (a readable `ps`), else the module's main()."""
    beside = Path(sys.executable).parent / script
    if beside.is_file():
        return [str(beside)]
    return [sys.executable, "-c", f"import sys; from {module} import main; sys.exit(main())"]
