"""Every registry metric, declared once (names are shared with dashboards and alerts)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "registry_http_requests", "HTTP requests by route template", ["route", "method", "status"]
)
HTTP_SECONDS = Histogram(
    "registry_http_request_seconds",
    "HTTP request duration by route template",
    ["route", "method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
ORDERS = Gauge("registry_orders", "Current orders by kind and status today", ["kind", "status"])
OUTBOX_BACKLOG = Gauge("registry_outbox_backlog", "Outbox rows not yet published")
OUTBOX_OLDEST_AGE = Gauge(
    "registry_outbox_oldest_unsent_age_seconds", "Age of the oldest unpublished outbox row"
)
OUTBOX_PUBLISHED = Counter("registry_outbox_published", "Outbox rows published and acknowledged")
PUBLISH_ERRORS = Counter("registry_publish_errors", "Failed attempts to publish outbox rows")
