"""A run's decisions file: one Decision a line; a redelivered event keeps its last decision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from laborguard_contracts import Decision
from laborguard_replay import history
from laborguard_replay.verdicts import Verdict


@dataclass(frozen=True)
class Run:
    verdicts: dict[str, Verdict]  # by event id
    duplicates: int  # lines that repeated an event id already seen


def of(decisions: Iterable[Decision]) -> Run:
    by_event: dict[str, Verdict] = {}
    lines = 0
    for decision in decisions:
        by_event[decision.event_id] = Verdict.of(decision)
        lines += 1
    return Run(by_event, lines - len(by_event))


def load(path: Path) -> Run:
    return of(record.message for record in history.read(path, Decision))
