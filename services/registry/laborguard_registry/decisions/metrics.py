"""The decisions store's metrics (declared here, recorded only by the consumer)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

ROWS_WRITTEN = Counter(
    "decisions_store_rows_written_total",
    "Rows inserted (redelivered records insert nothing)",
    ["table"],
)
RECORDS_READ = Counter("decisions_store_records_read_total", "Records read", ["topic"])
REJECTED = Counter("decisions_store_rejected_total", "Records kept in store_rejects", ["topic"])
LAG = Gauge("decisions_store_lag", "Records on the topic not yet stored", ["topic", "partition"])
BATCH_SECONDS = Gauge("decisions_store_last_batch_seconds", "Time to write the last batch")
