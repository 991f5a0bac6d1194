"""Failover on Apache Kafka: 3 brokers, replication 3, min.insync.replicas=2, 2 screener workers
deciding a steady stream; at --kill-at seconds either the broker leading most shipments/decisions
partitions (--kill broker) or one worker (--kill worker) is SIGKILLed.

    .venv/bin/python bench/failover_bench.py [--shipments 20000] [--rate 1000] [--kill broker]

Prints acknowledged / lost / duplicate decisions, send-to-decision latency p50/p99 before and
in the 15 s after the kill, the longest pause in new decisions, and (worker kill) the takeover
time: from the kill to the first decision by the survivor for a partition the victim held.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import asyncio  # noqa: E402

from testbed.failover import leaders, report, screening_cluster  # noqa: E402
from testbed.streaming import Run, stream  # noqa: E402


def takeover(run: Run, victim: str) -> float:
    kill = run.moments["kill"]
    held = {source[0] for when, worker, source in run.arrivals if worker == victim and when < kill}
    after = [
        when
        for when, worker, source in run.arrivals
        if worker != victim and when > kill and source[0] in held
    ]
    return min(after) - kill if after else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipments", type=int, default=20_000)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--kill", choices=("broker", "worker"), default="broker")
    parser.add_argument("--kill-at", type=float, default=5.0)
    args = parser.parse_args()
    seconds = args.shipments / args.rate
    with tempfile.TemporaryDirectory(prefix="failover-") as workdir:
        name = f"fo{uuid.uuid4().hex[:8]}"
        with screening_cluster(Path(workdir), name) as (cluster, topics, workers):
            if args.kill == "broker":
                led = asyncio.run(leaders(cluster.bootstrap, [topics.shipments, topics.decisions]))
                victim_id = led.most_common(1)[0][0]
                action = (args.kill_at, "kill", lambda: cluster.kill(victim_id))
            else:
                victim_id = -1
                action = (args.kill_at, "kill", workers[0].kill)
            load = os.getloadavg()[0]
            started = time.monotonic()
            run = asyncio.run(stream(cluster.bootstrap, topics, args.rate, seconds, [action]))
            took = time.monotonic() - started
            print(f"{args.shipments} shipments at {args.rate}/s, kill {args.kill} at "
                  f"{args.kill_at:.0f} s; load average {load:.1f} before, "
                  f"{os.getloadavg()[0]:.1f} after; {took:.0f} s")  # fmt: skip
            victim = f"broker {victim_id} (leads most partitions)" if victim_id > 0 else "worker w1"
            print(report(run, victim))
            if args.kill == "worker":
                print(f"takeover of the victim's partitions: {takeover(run, 'w1'):.1f} s")


if __name__ == "__main__":
    main()
