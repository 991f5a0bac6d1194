"""Three brokers, replication 3, min.insync.replicas=2: the broker leading most shipments and
decisions partitions is SIGKILLed mid-stream; nothing acknowledged is lost. (The issue's full
size, 20,000 shipments at 1,000/s, is bench/failover_bench.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from testbed.failover import kill_leader_mid_stream, report, screening_cluster

pytestmark = pytest.mark.integration


def test_killing_the_leading_broker_of_three_loses_no_acknowledged_shipment(
    tmp_path: Path, unique_name: str
) -> None:
    with screening_cluster(tmp_path, unique_name) as (cluster, topics, workers):
        run, victim = kill_leader_mid_stream(cluster, topics, rate=300, seconds=10, kill_at=3)
        print(report(run, f"broker {victim}, leader of most shipments/decisions partitions"))
        assert len(run.sent) > 2000
        assert not run.lost(), [w.log() for w in workers]
        assert run.workers_after(run.moments["kill"]) == {"w1", "w2"}  # both kept deciding
