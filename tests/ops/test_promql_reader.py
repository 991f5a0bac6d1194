"""The reader that finds the metric names dashboards and alerts query."""

from __future__ import annotations

import pytest

from ops.promql import metric_names

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ("up == 0", {"up"}),
        (
            'sum by (outcome) (rate(screener_decisions_total{outcome="DETAIN", x=~"a(b)"}[5m]))',
            {"screener_decisions_total"},
        ),
        (
            "histogram_quantile(0.99, sum by (le) (rate(screener_processing_seconds_bucket"
            '{instance=~"$instance"}[$__rate_interval])))',
            {"screener_processing_seconds_bucket"},
        ),
        (
            "time() - screener_order_state_updated_timestamp_seconds > 1500 and on () "
            "(sum(increase(registry_outbox_published_total[20m] offset 5m)) > 0)",
            {"screener_order_state_updated_timestamp_seconds", "registry_outbox_published_total"},
        ),
        ("topic:screener_consumer_lag:sum > 1e3", {"topic:screener_consumer_lag:sum"}),
        ("(sum(rate(a_total[1h])) or vector(0)) / b_total", {"a_total", "b_total"}),
        ("label_values(screener_ready, instance)", {"screener_ready"}),
    ],
)
def test_finds_the_metric_names_an_expression_reads(expr: str, names: set[str]) -> None:
    assert metric_names(expr) == names
