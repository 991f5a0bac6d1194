"""An optional Prometheus for the local stack (`--prometheus-port`): the Debian/upstream binary
with a generated config that scrapes the stack's ports and loads the repository's alert rules."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from laborguard_contracts.codec import pretty
from laborguard_platform.children import Child
from laborguard_platform.endpoints import Endpoint
from laborguard_platform.errors import StackError
from laborguard_platform.ports import claim
from laborguard_platform.stack_settings import StackSettings

# deploy/ ships with the repository, not with the wheel: without it Prometheus runs rule-less.
RULES_DIR = Path(__file__).resolve().parents[3] / "deploy" / "prometheus" / "rules"


def config(registry_port: int, screener_ports: list[int], rules_dir: Path = RULES_DIR) -> str:
    def job(name: str, ports: list[int]) -> dict[str, Any]:
        targets = [f"127.0.0.1:{port}" for port in ports]
        return {"job_name": name, "static_configs": [{"targets": targets}]}

    document: dict[str, Any] = {
        "global": {"scrape_interval": "5s", "evaluation_interval": "5s"},
        "scrape_configs": [job("registry", [registry_port]), job("screener", screener_ports)],
    }
    if rules_dir.is_dir():
        document["rule_files"] = [str(rules_dir / "*.yml")]
    return pretty(document)  # JSON is YAML: no YAML library needed at run time


def command(binary: str, config_path: Path, data_dir: Path, port: int) -> list[str]:
    return [
        binary,
        f"--config.file={config_path}",
        f"--storage.tsdb.path={data_dir}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]


def endpoint(
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
    config_path.write_text(config(registry.port, [s.port for s in screeners]))
    argv = command(binary, config_path, settings.run_dir / "prometheus", port)
    child = Child("prometheus", argv, settings.run_dir / "prometheus.log")
    return Endpoint(child, port, ready_path="/-/ready")
