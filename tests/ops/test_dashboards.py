"""The Grafana dashboards are provisioned, well formed, cover what ops watches, and parse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ops.compose import load_compose, services
from ops.promtool import promtool
from ops.rules import DASHBOARD_FILES, ROOT, dashboard_queries, load_dashboard, panels

pytestmark = pytest.mark.unit

PROVISIONING = ROOT / "deploy" / "grafana" / "provisioning"
# What the dashboards must show (issue 5), as words a panel title carries.
REQUIRED_PANELS = (
    "throughput",
    "detain rate",
    "p50 / p99",
    "lag",
    "dead letters",
    "orders in force",
    "outbox backlog",
    "registry api",
)


def _datasource_uid() -> str:
    document = yaml.safe_load((PROVISIONING / "datasources" / "prometheus.yml").read_text())
    (datasource,) = document["datasources"]
    uid: str = datasource["uid"]
    return uid


def test_dashboards_exist_with_unique_uids() -> None:
    uids = [load_dashboard(path)["uid"] for path in DASHBOARD_FILES]
    assert len(uids) >= 2
    assert len(set(uids)) == len(uids)


@pytest.mark.parametrize("subject", REQUIRED_PANELS)
def test_a_dashboard_panel_shows(subject: str) -> None:
    titles = [p["title"].lower() for path in DASHBOARD_FILES for p in panels(load_dashboard(path))]
    assert any(subject in title for title in titles), subject


@pytest.mark.parametrize("path", DASHBOARD_FILES, ids=lambda p: p.name)
def test_every_panel_queries_the_provisioned_datasource(path: Path) -> None:
    dashboard = load_dashboard(path)
    ids = [p["id"] for p in panels(dashboard)]
    assert len(set(ids)) == len(ids)
    for panel in panels(dashboard):
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] == _datasource_uid(), panel["title"]
        assert panel["targets"], panel["title"]


def test_provider_loads_the_directory_compose_mounts_the_dashboards_at() -> None:
    document = yaml.safe_load((PROVISIONING / "dashboards" / "laborguard.yml").read_text())
    path = document["providers"][0]["options"]["path"]
    mounts = services(load_compose())["grafana"]["volumes"]
    assert f"./deploy/grafana/dashboards:{path}:ro" in mounts
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in mounts


def _as_promql(query: str) -> str:
    """Grafana's variables replaced by values Prometheus accepts."""
    query = query.replace("$__rate_interval", "5m").replace("$__interval", "1m")
    return re.sub(r"\$\w+", ".*", query)


def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    queries = [
        _as_promql(q)
        for path in DASHBOARD_FILES
        for q in dashboard_queries(load_dashboard(path))
        if not q.startswith("label_values(")
    ]
    rules = [{"record": f"dashboard:query_{i}", "expr": q} for i, q in enumerate(queries)]
    file = tmp_path / "dashboard_queries.yml"
    file.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))
    result = promtool("check", "rules", str(file), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", DASHBOARD_FILES, ids=lambda p: p.name)
def test_panels_fit_the_grid_without_overlapping(path: Path) -> None:
    cells: dict[tuple[int, int], str] = {}
    for panel in panels(load_dashboard(path)):
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                assert (x, y) not in cells, f"{panel['title']} overlaps {cells[(x, y)]}"
                cells[(x, y)] = panel["title"]
