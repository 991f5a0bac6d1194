"""Replication follows the cluster's size; the launcher's broker settings for 1 and 3 nodes."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from laborguard_contracts.topics import ORDERS, SHIPMENTS, replicated_configs, replication_for
from laborguard_platform.apache_kafka import ApacheKafka, Node, cluster_id

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("brokers", "replicas", "min_insync"), [(1, 1, "1"), (2, 2, "1"), (3, 3, "2"), (5, 3, "2")]
)
def test_topics_get_up_to_three_replicas_and_two_in_sync_from_three_on(
    brokers: int, replicas: int, min_insync: str
) -> None:
    assert replication_for(brokers) == replicas
    assert replicated_configs(ORDERS, replicas) == {
        "cleanup.policy": "compact",
        "min.insync.replicas": min_insync,
    }
    assert replicated_configs(SHIPMENTS, replicas) == {
        "retention.ms": str(60 * 24 * 3600 * 1000),  # open shipments read their events back
        "min.insync.replicas": min_insync,
    }


def test_a_cluster_id_is_sixteen_bytes_in_url_safe_base64() -> None:
    assert len(base64.urlsafe_b64decode(cluster_id() + "==")) == 16


def test_three_nodes_share_one_quorum_and_replicate_internal_topics_three_times() -> None:
    cluster = ApacheKafka(brokers=3, overrides={"min.insync.replicas": "2"})
    cluster.nodes = [Node(i, 9000 + i, 9100 + i, Path(f"/tmp/n{i}")) for i in (1, 2, 3)]
    properties = cluster.broker_properties(cluster.node(2))
    assert properties["node.id"] == "2"
    assert properties["controller.quorum.voters"] == (
        "1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103"
    )
    assert properties["advertised.listeners"] == "PLAINTEXT://127.0.0.1:9002"
    assert properties["offsets.topic.replication.factor"] == "3"
    assert properties["transaction.state.log.min.isr"] == "2"
    assert properties["min.insync.replicas"] == "2"
