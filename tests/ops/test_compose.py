"""docker-compose.yml is valid Compose and wires the stack the way the services expect.

No Docker engine runs here, so the file is checked against the Compose Specification's JSON Schema
(vendored in tests/ops/data) and against what the rest of the repository declares.
"""

from __future__ import annotations

import copy
import tomllib
from typing import Any

import jsonschema
import pytest
from pydantic_settings import BaseSettings

from laborguard_contracts import topics
from laborguard_platform.apache_kafka import kafka_version
from laborguard_platform.cli import SUBCOMMANDS
from laborguard_registry.decisions.settings import StoreSettings
from laborguard_registry.settings import RegistrySettings
from laborguard_screener.settings import ScreenerSettings
from ops.compose import ROOT, bind_sources, load_compose, load_schema, services
from ops.settings_vars import variables_read_by

pytestmark = pytest.mark.unit

LONG_RUNNING = (
    "kafka-1",
    "kafka-2",
    "kafka-3",
    "postgres",
    "registry",
    "screener-1",
    "screener-2",
    "decisions-store",
    "prometheus",
    "grafana",
)


def _errors(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft201909Validator(load_schema())
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def test_compose_file_satisfies_the_compose_specification_schema() -> None:
    assert _errors(load_compose()) == []


def test_schema_check_rejects_a_misspelt_service_key() -> None:
    broken = copy.deepcopy(load_compose())
    broken["services"]["registry"]["helthcheck"] = broken["services"]["registry"]["healthcheck"]
    assert any("helthcheck" in error for error in _errors(broken))


def test_runs_kafka_in_kraft_mode_from_the_official_image() -> None:
    for node in ("kafka-1", "kafka-2", "kafka-3"):
        kafka = services(load_compose())[node]
        assert kafka["image"].startswith("apache/kafka:")
        assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_runs_two_screener_workers_from_the_project_image() -> None:
    found = services(load_compose())
    screeners = [s for name, s in found.items() if name.startswith("screener")]
    assert len(screeners) == 2
    assert all(s["command"] == ["laborguard", "screener"] for s in screeners)
    assert all(s["build"]["dockerfile"] == "Dockerfile" for s in screeners)
    assert (ROOT / "Dockerfile").is_file()


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_long_running_service_has_a_healthcheck(name: str) -> None:
    assert services(load_compose())[name]["healthcheck"]["test"]


def test_services_wait_for_topics_to_be_created() -> None:
    found = services(load_compose())
    for name in ("registry", "screener-1", "screener-2"):
        condition = found[name]["depends_on"]["kafka-init"]["condition"]
        assert condition == "service_completed_successfully", name


def test_every_dependency_names_a_defined_service() -> None:
    found = services(load_compose())
    for name, service in found.items():
        assert set(service.get("depends_on", ())) <= set(found), name


def test_every_bind_mounted_path_exists_in_the_repository() -> None:
    for name, service in services(load_compose()).items():
        for source in bind_sources(service):
            assert (ROOT / source).exists(), f"{name} mounts missing {source}"


def test_services_get_the_shared_settings_names() -> None:
    found = services(load_compose())
    for name in ("registry", "screener-1", "screener-2"):
        bootstrap = found[name]["environment"]["LABORGUARD_KAFKA_BOOTSTRAP"]
        assert bootstrap == "kafka-1:9092,kafka-2:9092,kafka-3:9092"
    assert found["registry"]["environment"]["LABORGUARD_REGISTRY_DATABASE_URL"].startswith(
        "postgresql+psycopg://"
    )
    assert found["screener-1"]["environment"]["LABORGUARD_SCREENER_WEB_PORT"] == "6066"


def test_topic_creation_script_matches_the_topic_catalogue() -> None:
    script = (ROOT / "deploy" / "kafka" / "create-topics.sh").read_text()
    created = [line.split() for line in script.splitlines() if line.startswith("create ")]
    declared = {spec.name: spec for spec in topics.ALL_TOPICS}
    assert {words[1] for words in created} == set(declared)
    for words in created:
        spec = declared[words[1]]
        assert int(words[2]) == spec.partitions, spec.name
        configs = dict(arg.split("=", 1) for arg in words[3:] if "=" in arg)
        assert configs == spec.configs, spec.name


@pytest.mark.parametrize(
    ("service", "settings"),
    [
        ("registry", RegistrySettings),
        ("screener-1", ScreenerSettings),
        ("screener-2", ScreenerSettings),
        ("decisions-store", StoreSettings),
    ],
)
def test_every_laborguard_variable_is_a_setting_the_service_reads(
    service: str, settings: type[BaseSettings]
) -> None:
    environment = services(load_compose())[service]["environment"]
    ours = {name for name in environment if name.startswith("LABORGUARD_")}
    assert ours - variables_read_by(settings) == set()


def test_project_image_services_run_declared_subcommands() -> None:
    scripts = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"])
    assert scripts == {"laborguard"}
    for name, service in services(load_compose()).items():
        if "build" in service:
            command = service["command"]
            assert command[0] in scripts | {"python"}, f"{name} runs {command}"
            if command[0] == "laborguard":
                assert command[1] in SUBCOMMANDS, f"{name} runs {command}"


def test_kafka_is_three_kraft_nodes_of_the_tested_version_replicating_three_times() -> None:
    found = services(load_compose())
    nodes = {name: service for name, service in found.items() if name.startswith("kafka-")}
    nodes.pop("kafka-init")
    assert sorted(nodes) == ["kafka-1", "kafka-2", "kafka-3"]
    for service in [*nodes.values(), found["kafka-init"]]:
        assert service["image"] == f"apache/kafka:{kafka_version()}"
    for name, service in nodes.items():
        environment = service["environment"]
        assert environment["KAFKA_NODE_ID"] == name.rsplit("-", 1)[1]
        assert environment["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert environment["KAFKA_CONTROLLER_QUORUM_VOTERS"].count("@") == 3
        assert environment["KAFKA_DEFAULT_REPLICATION_FACTOR"] == "3"
        assert environment["KAFKA_MIN_INSYNC_REPLICAS"] == "2"
        assert environment["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3"
        assert environment["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "2"
    script = (ROOT / "deploy" / "kafka" / "create-topics.sh").read_text()
    assert 'replication="${LABORGUARD_TOPIC_REPLICATION:-3}"' in script
    assert topics.replicated_configs(topics.ORDERS, 3)["min.insync.replicas"] == "2"
