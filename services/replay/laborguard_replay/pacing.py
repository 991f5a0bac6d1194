"""Pure timing rules of a replay: which events fall in the window, when each one is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from laborguard_replay.errors import TimeWindowError


@dataclass(frozen=True)
class Window:
    """Event times from `since` (inclusive) to `until` (exclusive); None leaves a side open."""

    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.until <= self.since:
            raise TimeWindowError(f"empty window: --until {self.until} is not after {self.since}")

    def contains(self, moment: datetime) -> bool:
        after_start = self.since is None or moment >= self.since
        return after_start and (self.until is None or moment < self.until)

    def is_past(self, moment: datetime) -> bool:
        """True once a time-ordered history has left the window for good."""
        return self.until is not None and moment >= self.until


@dataclass(frozen=True)
class Pace:
    """Original pacing times `speed` (2.0 = twice as fast); speed None = as fast as possible."""

    speed: float | None

    def __post_init__(self) -> None:
        if self.speed is not None and self.speed <= 0:
            raise TimeWindowError(f"--speed must be positive, got {self.speed}")

    def offset(self, first: datetime, moment: datetime) -> float:
        """Seconds after the replay's start at which an event of time `moment` is due."""
        if self.speed is None:
            return 0.0
        return max(0.0, (moment - first).total_seconds() / self.speed)


def wait_before(due: float, elapsed: float) -> float:
    """How long to sleep before sending an event due at `due` when `elapsed` have passed."""
    return max(0.0, due - elapsed)


def moment(text: str) -> datetime:
    """A --since/--until value: an ISO date or date-time; without an offset it is UTC."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise TimeWindowError(f"not an ISO date or date-time: {text!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
