"""`laborguard stack` as a newcomer uses it: the printed "try it" block, followed literally,
detains the shipment; and a worker killed under a steady flow is restarted while the other takes
over, the stack running on and every shipment decided."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator

import pytest
from aiokafka import AIOKafkaProducer

from e2e.conftest import StackUnderTest, start_stack
from e2e.processes import processes_mentioning
from laborguard_contracts import ShipmentEvent, topics
from laborguard_contracts.codec import decode, loads
from laborguard_replay import history
from laborguard_replay.samples import SAMPLE_PATH
from testbed.topic_reading import settled_event_ids

pytestmark = pytest.mark.e2e

FLOW_PER_SECOND = 250
FLOW_EVENTS = 6_000  # 24 s of steady flow
KILL_AFTER_EVENTS = 1_500


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackUnderTest]:
    under_test = start_stack(tmp_path_factory.mktemp("try-it"), "--no-replay", workers=2)
    try:
        under_test.running.wait_for("laborguard is running", timeout=120)
        under_test.running.wait_for("Try it:", timeout=30)
        yield under_test
    finally:
        under_test.running.stop()


def try_it_commands(output: str) -> list[str]:
    """The block's three command lines, exactly as printed."""
    lines = output.split("Try it:", 1)[1].splitlines()[1:4]
    assert lines[0].startswith("  export LABORGUARD_TOKEN=")
    return [line.removeprefix("  ") for line in lines]


def test_following_the_try_it_block_literally_detains_the_shipment(stack: StackUnderTest) -> None:
    commands = try_it_commands(stack.running.output)
    done = subprocess.run(
        ["bash", "-e", "-c", "\n".join(commands)],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shipment_id = re.search(r"--shipment-id (TRY-\w+)", commands[2])
    assert shipment_id is not None
    assert f"{shipment_id[1]}: DETAIN" in done.stdout
    assert re.search(r"wro-try-it-\w+ v1 \(wro, detain\)", done.stdout)
    assert "exact_name: lines[0].manufacturer.name" in done.stdout


def test_a_killed_worker_is_restarted_and_every_shipment_is_decided(
    stack: StackUnderTest,
) -> None:
    events = [raw for _, raw in history.raw_lines(SAMPLE_PATH)][:FLOW_EVENTS]
    event_ids = {loads(raw)["event_id"] for raw in events}
    victim = stack.run_dir / "screener-1"
    (pid,) = processes_mentioning(f"LABORGUARD_SCREENER_DATA_DIR={victim}")
    asyncio.run(_steady_flow(stack.bootstrap, events, lambda: os.kill(pid, signal.SIGKILL)))
    outputs = [topics.DECISIONS.name, topics.SHIPMENTS_DLQ.name]
    settled = asyncio.run(settled_event_ids(stack.bootstrap, outputs, event_ids, within=150))
    assert settled == event_ids, f"{len(event_ids - settled)} never decided"
    output = stack.running.output
    assert "screener-1 exited with status -9; restarting it in 1s" in output
    assert "screener-1 restarted" in output
    assert stack.running.process.poll() is None, output
    (restarted,) = processes_mentioning(f"LABORGUARD_SCREENER_DATA_DIR={victim}")
    assert restarted != pid


async def _steady_flow(bootstrap: str, events: list[bytes], kill: Callable[[], None]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    try:
        began = time.monotonic()
        for number, raw in enumerate(events):
            key = decode(ShipmentEvent, raw).shipment_id.encode()
            await producer.send(topics.SHIPMENTS.name, raw, key=key)
            if number == KILL_AFTER_EVENTS:
                kill()
            ahead = began + number / FLOW_PER_SECOND - time.monotonic()
            if ahead > 0:
                await asyncio.sleep(ahead)
        await producer.flush()
    finally:
        await producer.stop()
