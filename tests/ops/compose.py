"""Reading docker-compose.yml and the files it mounts, for the ops tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "compose-spec.json"


def load_compose(path: Path = COMPOSE_FILE) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text())
    return document


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text())
    return schema


def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


def bind_sources(service: dict[str, Any]) -> list[str]:
    """Host paths of the service's bind mounts (short syntax `./host:/container[:mode]`)."""
    volumes = service.get("volumes", [])
    return [v.split(":", 1)[0] for v in volumes if isinstance(v, str) and v.startswith(".")]
