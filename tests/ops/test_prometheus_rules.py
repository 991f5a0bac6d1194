"""The Prometheus config and alert rules pass promtool, and every alert is unit-tested."""

from __future__ import annotations

import re

import pytest

from ops.promtool import promtool
from ops.rules import PROMETHEUS_DIR, ROOT, RULE_FILES, RULE_TEST_FILES, alerts

pytestmark = pytest.mark.unit

OPS_DOC = ROOT / "docs" / "ops.md"


def test_prometheus_config_passes_promtool_check_config() -> None:
    result = promtool("check", "config", "prometheus.yml", cwd=PROMETHEUS_DIR)
    assert result.returncode == 0, result.stdout + result.stderr


def test_alert_rules_pass_promtool_check_rules() -> None:
    assert RULE_FILES
    result = promtool("check", "rules", *map(str, RULE_FILES), cwd=PROMETHEUS_DIR)
    assert result.returncode == 0, result.stdout + result.stderr


def test_alert_rules_pass_their_promtool_unit_tests() -> None:
    assert RULE_TEST_FILES
    result = promtool("test", "rules", *map(str, RULE_TEST_FILES), cwd=PROMETHEUS_DIR)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_has_a_unit_test() -> None:
    tested = set()
    for path in RULE_TEST_FILES:
        tested |= set(re.findall(r"alertname: (\w+)", path.read_text()))
    assert {rule["alert"] for rule in alerts()} <= tested


@pytest.mark.parametrize("rule", alerts(), ids=lambda rule: rule["alert"])
def test_every_alert_has_a_severity_and_a_runbook_in_the_ops_guide(rule: dict[str, str]) -> None:
    assert rule["labels"]["severity"] in {"critical", "warning"}
    anchor = rule["annotations"]["runbook"].split("#", 1)[1]
    headings = re.findall(r"^#+ (.+)$", OPS_DOC.read_text(), flags=re.MULTILINE)
    assert anchor in {re.sub(r"[^a-z0-9-]", "", h.lower().replace(" ", "-")) for h in headings}
