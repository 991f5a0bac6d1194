"""Every screener metric, declared once; the names are shared with dashboards and alerts."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from laborguard_contracts import OrderKind, Outcome, ReferralReason
from laborguard_screener.deadletter import DeadLetterReason
from laborguard_screener.loophistogram import LoopHistogram

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_PROCESSING_BUCKETS = (1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 1e-2, 0.1)

EVENTS_CONSUMED = Counter("screener_events_consumed", "Shipment records read from Kafka")
DECISIONS = Counter("screener_decisions", "Decisions emitted", ["outcome"])
MATCHES = Counter("screener_matches", "Order matches in emitted decisions", ["order_kind"])
DEAD_LETTERS = Counter("screener_dead_letters", "Records sent to the dead-letter topic", ["reason"])
# Observed per shipment on the event loop: lock-free histograms (loophistogram.py).
PROCESSING_SECONDS = LoopHistogram(
    "screener_processing_seconds",
    "Decode, screen and encode time per event",
    buckets=_PROCESSING_BUCKETS,
)
EVENT_TO_DECISION_SECONDS = LoopHistogram(
    "screener_event_to_decision_seconds",
    "From the shipment's event_time to its decision",
    buckets=_LATENCY_BUCKETS,
)
# How late a probe woke that asked to every 0.25 s: how long the event loop was held (loopwatch.py).
EVENT_LOOP_STALL_SECONDS = LoopHistogram(
    "screener_event_loop_stall_seconds",
    "How much later than asked a probe of the event loop woke (every 0.25 s): the loop held",
    buckets=_LATENCY_BUCKETS,
)
ORDERS_IN_FORCE = Gauge("screener_orders_in_force", "Orders in force now in the order state")
ORDER_STATE_ORDERS = Gauge("screener_order_state_orders", "Orders held in the order state")
ORDER_STATE_UPDATED = Gauge(
    "screener_order_state_updated_timestamp_seconds", "Unix time of the last applied order update"
)
ORDER_APPLY_SECONDS = Histogram(
    "screener_order_apply_seconds",
    "From the registry's commit (updated_at) to the order applied here",
    buckets=_LATENCY_BUCKETS,
)
CONSUMER_LAG = Gauge(
    "screener_consumer_lag", "Records behind the high watermark", ["topic", "partition"]
)
READY = Gauge("screener_ready", "1 once the order state is complete, else 0")
REFERRALS = Counter("screener_referrals", "REFER decisions emitted", ["reason"])
# Ongoing screening (open shipments re-decided when orders change).
OPEN_SHIPMENTS = Gauge("screener_open_shipments", "Open shipments held by this worker")
RESCREENS = Counter("screener_rescreens", "Open shipments re-decided after an order update")
RESCREEN_FAILURES = Counter("screener_rescreen_failures", "Re-decisions the engine failed on")
SUPERSEDED = Counter(
    "screener_decisions_superseded", "Superseding decisions emitted, by new outcome", ["outcome"]
)
OPEN_INDEX_BACKLOG = Gauge(
    "screener_open_index_backlog",
    "Index work for the open shipments not done yet: shipments to file or (revoked) to take out,"
    " parties to index (filed before an update's look-up, or once 50,000 wait)",
)
OPEN_PARTITIONS = Counter(
    "screener_open_partitions",
    "Partitions assigned to this worker, by how their open shipments came: restored from the"
    " changelog, or kept from the assignment before (the same worker, the next generation)",
    ["how"],
)
RESCREEN_BACKLOG = Gauge(
    "screener_rescreen_backlog", "Open shipments found affected by an update, not yet re-decided"
)
RESCREEN_COMMIT_TO_DECISION_SECONDS = Histogram(
    "screener_rescreen_commit_to_decision_seconds",
    "From an order's commit to the last superseding decision of its re-screen, delivered",
    buckets=_LATENCY_BUCKETS,
)


def _initialise_known_labels() -> None:
    """Every label value we know exists from the start at 0, so rate() sees the first increment
    and dashboards show 0 rather than "No data"."""
    for outcome in Outcome:
        DECISIONS.labels(outcome=outcome.value)
    for kind in OrderKind:
        MATCHES.labels(order_kind=kind.value)
    for reason in DeadLetterReason:
        DEAD_LETTERS.labels(reason=reason.value)
    for outcome in Outcome:
        SUPERSEDED.labels(outcome=outcome.value)
    for how in ("kept", "restored"):
        OPEN_PARTITIONS.labels(how=how)
    for referral in ReferralReason:
        REFERRALS.labels(reason=referral.value)


_initialise_known_labels()
