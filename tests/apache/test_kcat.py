"""A non-Python client: Debian's kcat (librdkafka) files a shipment and reads its decision.

The embedded broker refuses kcat's connection ("ApiVersionRequest failed"); port systems use
many clients, and production is Apache Kafka.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import Callable

import pytest

from laborguard_contracts.codec import encode
from laborguard_contracts.seed import load_seed
from laborguard_contracts.topics import ScreeningTopics as Topics
from laborguard_platform.apache_kafka import ApacheKafka
from testbed.factory import shipment
from testbed.harness import Worker, produce

pytestmark = pytest.mark.integration


def _kcat(*args: str, stdin: bytes = b"", timeout: float = 30.0) -> bytes:
    kcat = shutil.which("kcat")
    assert kcat, "kcat is not installed (make system-deps installs Debian's kcat)"
    done = subprocess.run(
        [kcat, *args], input=stdin, capture_output=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_kcat_files_a_shipment_and_reads_the_decision_made_for_it(
    apache_kafka: ApacheKafka, apache_topics: Topics, workers: Callable[..., Worker]
) -> None:
    bootstrap = apache_kafka.bootstrap
    seed = [(order.order_id.encode(), encode(order)) for order in load_seed()]
    asyncio.run(produce(bootstrap, apache_topics.orders, seed))
    workers(bootstrap, apache_topics, "kcat-worker").wait_ready()
    event = shipment(7001, manufacturer="Hetian Taida Apparel Co., Ltd.", country="CN")

    # key and value separated by a tab; -X acks=all as the platform's own producers
    line = b"shp-7001\t" + encode(event) + b"\n"
    _kcat("-b", bootstrap, "-P", "-t", apache_topics.shipments, "-K", "\t", "-X", "acks=all",
          stdin=line)  # fmt: skip
    out = _kcat("-b", bootstrap, "-C", "-t", apache_topics.decisions, "-o", "beginning",
                "-c", "1", "-f", "%k\t%s\n", "-m", "30")  # fmt: skip

    key, value = out.decode().rstrip("\n").split("\t", 1)
    decision = json.loads(value)
    assert key == "shp-7001"
    assert decision["shipment_id"] == "shp-7001"
    assert decision["outcome"] == "DETAIN"
