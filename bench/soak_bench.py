"""Soak: a steady stream through 2 screener workers for minutes, on either broker.

    .venv/bin/python bench/soak_bench.py --broker apache|embedded [--minutes 10] [--rate 1000]

Prints, per minute: shipments sent, send-to-decision latency p50/p99 (ms), the broker's CPU
(share of one core, from /proc) and resident memory; at the end lost and duplicate decisions.
Takes the minutes it is asked for plus start-up: a bench, never part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from laborguard_contracts.codec import encode  # noqa: E402
from laborguard_contracts.seed import load_seed  # noqa: E402
from laborguard_contracts.topics import ScreeningTopics as Topics  # noqa: E402
from laborguard_platform.apache_kafka import running_kafka  # noqa: E402
from laborguard_platform.embedded_broker import running_broker  # noqa: E402
from testbed.harness import Worker, produce  # noqa: E402
from testbed.streaming import percentile, stream, warm_up  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class BrokerSampler(threading.Thread):
    """Every 5 s: (monotonic time, CPU seconds, RSS MB) summed over the broker's processes."""

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        super().__init__(daemon=True)
        self.pids, self.samples, self.stop = pids, [], threading.Event()
        self.samples: list[tuple[float, float, float]]

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                pids = self.pids()
                cpu = sum(_cpu_seconds(pid) for pid in pids)
                rss = sum(_rss_mb(pid) for pid in pids)
                self.samples.append((time.monotonic(), cpu, rss))
            except (OSError, ValueError):
                pass
            self.stop.wait(5.0)

    def minute(self, start: float, end: float) -> tuple[float, float]:
        inside = [s for s in self.samples if start <= s[0] <= end]
        if len(inside) < 2:
            return float("nan"), float("nan")
        (t0, c0, _), (t1, c1, _) = inside[0], inside[-1]
        return (c1 - c0) / (t1 - t0), max(s[2] for s in inside)


@contextmanager
def broker(kind: str) -> Iterator[tuple[str, Callable[[], list[int]]]]:
    if kind == "apache":
        with running_kafka(1) as cluster:
            yield cluster.bootstrap, cluster.pids
    else:
        with running_broker(port=0) as embedded:
            yield embedded.bootstrap, lambda: [embedded.pid] if embedded.pid else []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--broker", choices=("apache", "embedded"), required=True)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=1000)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="soak-") as workdir,
        broker(args.broker) as (
            bootstrap,
            pids,
        ),
    ):
        name = f"soak{uuid.uuid4().hex[:8]}"
        topics = Topics.named(name)
        asyncio.run(topics.create(bootstrap))
        seed = [(o.order_id.encode(), encode(o)) for o in load_seed()]
        asyncio.run(produce(bootstrap, topics.orders, seed))
        workers = [
            Worker(bootstrap, topics, f"{name}-group", f"w{i}", Path(workdir)).start()
            for i in (1, 2)
        ]
        sampler = BrokerSampler(pids)
        try:
            for worker in workers:
                worker.wait_ready(120)
            asyncio.run(warm_up(bootstrap, topics, len(workers)))
            sampler.start()
            print(f"soak on the {args.broker} broker: {args.rate}/s for {args.minutes} min, "
                  f"2 workers, load average {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
            seconds = args.minutes * 60
            idempotent = args.broker == "apache"  # the embedded broker refuses producer ids
            run = asyncio.run(
                stream(bootstrap, topics, args.rate, seconds, settle=120, idempotent=idempotent)
            )
        finally:
            sampler.stop.set()
            for worker in workers:
                worker.stop()
    print("minute  sent  p50 ms  p99 ms  broker CPU (cores)  broker RSS MB")
    for minute in range(int(args.minutes + 0.999)):
        start = run.started + 60 * minute
        window = run.latencies(start, start + 60)
        cpu, rss = sampler.minute(start, start + 60)
        print(f"{minute + 1:>6}  {len(window):>5}  {percentile(window, 50) * 1000:>6.0f}  "
              f"{percentile(window, 99) * 1000:>6.0f}  {cpu:>18.2f}  {rss:>13.0f}")  # fmt: skip
    load = os.getloadavg()[0]
    print(f"acknowledged {len(run.sent)}, not {dict(run.unacknowledged)}, lost {len(run.lost())},"
          f" duplicates {run.duplicates()}, load average {load:.1f} at the end")  # fmt: skip


if __name__ == "__main__":
    main()
