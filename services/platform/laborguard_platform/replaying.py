"""The stack's use of laborguard_replay: which history to replay, and replaying it."""

from __future__ import annotations

import itertools
from pathlib import Path

from laborguard_replay import history
from laborguard_replay.pacing import Pace
from laborguard_replay.replay import ReplayResult, replay_file
from laborguard_replay.samples import SAMPLE_PATH
from laborguard_replay.settings import ReplaySettings


def history_to_replay(path: Path | None, limit: int, run_dir: Path) -> Path:
    """The history file, or a copy of its first `limit` events written to run_dir."""
    source = path or SAMPLE_PATH
    if not limit:
        return source
    target = run_dir / f"replay-first-{limit}.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        for _, raw in itertools.islice(history.raw_lines(source), limit):
            out.write(raw + b"\n")
    return target


async def replay(bootstrap: str, path: Path, speed: float) -> ReplayResult:
    """Publishes the history to `shipments`; speed 0 means as fast as possible."""
    settings = ReplaySettings(kafka_bootstrap=bootstrap)
    return await replay_file(settings, path, pace=Pace(speed or None), skip_invalid=True)
