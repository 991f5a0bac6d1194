"""The topic catalogue: names, partitions, keys and configs are part of the wire contract, so
it lives with the contracts: the registry, the screener and the launcher all read it from here.

Topics are created up front: the embedded broker would otherwise auto-create them with four
partitions and no config, and Apache Kafka may have auto-creation off. Replication follows the
cluster: min(3, brokers) replicas and `min.insync.replicas` = 2 from three replicas on (1 below),
so an `acks=all` write survives the loss of one broker of three, and a lone broker still accepts
writes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    configs: dict[str, str] = field(default_factory=dict)


ORDERS = TopicSpec("orders", 1, {"cleanup.policy": "compact"})  # key: order id
# key: shipment id. Kept 60 days: the screener restores an open shipment (45-day window by
# default) by reading its event back from here, so retention must cover the window.
SHIPMENTS = TopicSpec("shipments", 4, {"retention.ms": str(60 * 24 * 3600 * 1000)})
DECISIONS = TopicSpec("decisions", 4)  # key: shipment id
SHIPMENTS_DLQ = TopicSpec("shipments.dlq", 1)  # original bytes, reason in headers
# The screener's open shipments (key: shipment id), partitioned exactly like `shipments`.
OPEN_SHIPMENTS = TopicSpec("shipments.open", SHIPMENTS.partitions, {"cleanup.policy": "compact"})
ALL_TOPICS = (ORDERS, SHIPMENTS, DECISIONS, SHIPMENTS_DLQ, OPEN_SHIPMENTS)


MAX_REPLICATION = 3


def replication_for(brokers: int) -> int:
    return max(1, min(MAX_REPLICATION, brokers))


def replicated_configs(spec: TopicSpec, replication: int) -> dict[str, str]:
    """The spec's configs plus `min.insync.replicas` for this replication factor."""
    return {**spec.configs, "min.insync.replicas": "2" if replication >= 3 else "1"}


async def partition_ids(bootstrap: str, topic: str) -> list[int]:
    """A topic's partition numbers. A consumer with no subscription holds no partition metadata
    on Apache Kafka, whose metadata answers name only the topics asked for: the admin client asks
    (only for a topic known to exist: describing a missing one makes the embedded broker create
    it)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await admin.start()
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(partition["partition"] for partition in described["partitions"])


async def ensure_topics(
    bootstrap: str, specs: tuple[TopicSpec, ...] = ALL_TOPICS, replication: int | None = None
) -> None:
    """Create the topics that are missing; existing ones are left as they are. `replication`
    None: as many replicas as the cluster has brokers, at most three."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        # inside the try: a start that cannot reach the broker still closes the client
        await admin.start()
        if replication is None:
            replication = replication_for(len((await admin.describe_cluster())["brokers"]))
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(
                spec.name,
                spec.partitions,
                replication,
                topic_configs=replicated_configs(spec, replication),
            )
            for spec in specs
            if spec.name not in existing
        ]
        if missing:
            # another service may create one between our list and create
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


@dataclass(frozen=True)
class ScreeningTopics:
    """The topics one screening deployment uses, by name; tests and benchmarks prefix them."""

    orders: str = ORDERS.name
    shipments: str = SHIPMENTS.name
    decisions: str = DECISIONS.name
    dead_letters: str = SHIPMENTS_DLQ.name
    open_shipments: str = OPEN_SHIPMENTS.name

    @classmethod
    def named(cls, prefix: str) -> ScreeningTopics:
        return cls(
            f"{prefix}-orders",
            f"{prefix}-shipments",
            f"{prefix}-decisions",
            f"{prefix}-dlq",
            f"{prefix}-open",
        )

    def specs(self) -> tuple[TopicSpec, ...]:
        return (
            TopicSpec(self.orders, ORDERS.partitions, ORDERS.configs),
            TopicSpec(self.shipments, SHIPMENTS.partitions, SHIPMENTS.configs),
            TopicSpec(self.decisions, DECISIONS.partitions),
            TopicSpec(self.dead_letters, SHIPMENTS_DLQ.partitions),
            TopicSpec(self.open_shipments, OPEN_SHIPMENTS.partitions, OPEN_SHIPMENTS.configs),
        )

    async def create(self, bootstrap: str) -> None:
        await ensure_topics(bootstrap, self.specs())
