"""An optional Prometheus for the local stack (`--prometheus-port`): the Debian/upstream binary
with a generated config that scrapes the stack's ports and loads the repository's alert rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
    return json.dumps(document, indent=2)  # JSON is YAML: no YAML library needed at run time


def command(binary: str, config_path: Path, data_dir: Path, port: int) -> list[str]:
    return [
        binary,
        f"--config.file={config_path}",
        f"--storage.tsdb.path={data_dir}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
