"""The topic catalogue: names, partitions and configs are part of the wire contract.

Topics are created up front: the embedded broker would otherwise auto-create them with four
partitions and no config, and Apache Kafka may have auto-creation off.
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
SHIPMENTS = TopicSpec("shipments", 4)  # key: shipment id
DECISIONS = TopicSpec("decisions", 4)  # key: shipment id
SHIPMENTS_DLQ = TopicSpec("shipments.dlq", 1)  # original bytes, reason in headers
ALL_TOPICS = (ORDERS, SHIPMENTS, DECISIONS, SHIPMENTS_DLQ)


async def ensure_topics(
    bootstrap: str, specs: tuple[TopicSpec, ...] = ALL_TOPICS, replication: int = 1
) -> None:
    """Create the topics that are missing; existing ones are left as they are."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        # inside the try: a start that cannot reach the broker still closes the client
        await admin.start()
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(spec.name, spec.partitions, replication, topic_configs=spec.configs)
            for spec in specs
            if spec.name not in existing
        ]
        if missing:
            # another service may create one between our list and create
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()
