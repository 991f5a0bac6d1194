"""Replay tool figures: generation rate, file size, publish rate, what-if rate.

    .venv/bin/python bench/replay_bench.py                 # everything, 20,000 shipments
    .venv/bin/python bench/replay_bench.py generate 100000 # or one part, with a count

generate  shipments/s and events/s of laborguard generate (validate + encode + gzip), bytes
publish   events/s that replay publishes as fast as possible to a fresh embedded broker
          (4-partition topic), and the same read+validate loop without Kafka for comparison
whatif    events/s screened by the what-if (two order books, the screener's engine)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from laborguard_contracts.seed import load_seed
from laborguard_contracts.topics import TopicSpec, ensure_topics
from laborguard_platform.embedded_broker import running_broker
from laborguard_replay import history
from laborguard_replay.candidates import read_orders
from laborguard_replay.generator.stream import HistorySpec, events
from laborguard_replay.pacing import Pace, Window
from laborguard_replay.replay import replay_file
from laborguard_replay.samples import SAMPLE_PATH, XUAR_BAN_2020_PATH
from laborguard_replay.scenarios import what_if
from laborguard_replay.schedule import Tally, records, sends
from laborguard_replay.settings import ReplaySettings


def bench_generate(count: int, out: Path) -> None:
    started = time.perf_counter()
    written = history.write(out, events(HistorySpec(seed=7, count=count)))
    seconds = time.perf_counter() - started
    size = out.stat().st_size
    print(
        f"generate  {count:,} shipments, {written:,} events in {seconds:.1f}s: "
        f"{count / seconds:,.0f} shipments/s, {written / seconds:,.0f} events/s, "
        f"{size / 1e6:.1f} MB gz ({size / written:.0f} B/event)"
    )


def bench_read(path: Path) -> None:
    tally = Tally()
    started = time.perf_counter()
    count = sum(
        1 for _ in sends(records(path, tally, skip_invalid=False), Window(), Pace(None), tally)
    )
    seconds = time.perf_counter() - started
    print(
        f"read      {count:,} events read+validated (no Kafka) in {seconds:.1f}s: "
        f"{count / seconds:,.0f} events/s"
    )


async def _publish(path: Path) -> None:
    with running_broker() as broker:
        for validate in (True, False):
            topic = f"bench-shipments-{validate}"
            await ensure_topics(broker.bootstrap, (TopicSpec(topic, 4),))
            settings = ReplaySettings(kafka_bootstrap=broker.bootstrap, shipments_topic=topic)
            result = await replay_file(settings, path, pace=Pace(None), validate=validate)
            how = "validated" if validate else "--no-validate"
            print(
                f"publish   {result.published:,} events in {result.seconds:.1f}s: "
                f"{result.published / result.seconds:,.0f} events/s to the embedded broker "
                f"({how})"
            )


def bench_whatif(path: Path) -> None:
    started = time.perf_counter()
    result = what_if(history.read_events(path), load_seed(), read_orders(XUAR_BAN_2020_PATH))
    seconds = time.perf_counter() - started
    print(
        f"whatif    {result.events:,} events x 2 order sets in {seconds:.1f}s: "
        f"{result.events / seconds:,.0f} events/s ({result.headline()})"
    )


def main() -> None:
    part = sys.argv[1] if len(sys.argv) > 1 else "all"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.jsonl.gz"
        if part in ("all", "generate", "publish"):
            bench_generate(count, path)
        if part in ("all", "publish"):
            bench_read(path)
            asyncio.run(_publish(path))
        if part in ("all", "whatif"):
            bench_whatif(SAMPLE_PATH)


if __name__ == "__main__":
    main()
