"""A run's decisions file: one Decision a line; a redelivered event keeps its last decision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from laborguard_contracts import Decision
from laborguard_replay import history


@dataclass(frozen=True)
class Run:
    decisions: dict[str, Decision]  # by event id
    duplicates: int  # lines that repeated an event id already seen


def of(decisions: list[Decision]) -> Run:
    by_event: dict[str, Decision] = {}
    for decision in decisions:
        by_event[decision.event_id] = decision
    return Run(by_event, len(decisions) - len(by_event))


def load(path: Path) -> Run:
    return of([record.message for record in history.read(path, Decision)])
