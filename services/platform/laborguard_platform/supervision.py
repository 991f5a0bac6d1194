"""Keeping the stack's services running, as compose's `restart: unless-stopped` would.

A service that exits after the stack was ready is restarted after a delay that doubles with each
crash in a row (1 s, 2 s, 4 s, ... at most 30 s; back to 1 s once it has stayed up a minute), and
each exit and restart is said on screen. Meanwhile the other screener workers take over the dead
one's partitions (the consumer group rebalances). Only the broker's death ends the run: it holds
every topic, so nothing can go on without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

from laborguard_platform.children import Child
from laborguard_platform.readiness import check_alive


@dataclass(frozen=True)
class Backoff:
    first_seconds: float = 1.0
    longest_seconds: float = 30.0
    stable_seconds: float = 60.0  # up this long: the next crash waits first_seconds again

    def after(self, previous: float | None) -> float:
        if previous is None:
            return self.first_seconds
        return min(previous * 2, self.longest_seconds)


@dataclass
class _Restart:
    delay: float | None = None  # the last delay, None before the first crash or once stable
    due: float | None = None  # when the pending restart is due
    started: float = 0.0  # when it was last (re)started
    count: int = 0


@dataclass
class Supervisor:
    essential: list[Child]  # their death ends the run (the broker)
    restartable: list[Child]  # restarted with backoff (registry, screeners, Prometheus)
    out: TextIO
    backoff: Backoff = Backoff()
    _restarts: dict[str, _Restart] = field(default_factory=dict)

    def check(self, now: float) -> None:
        """Called every half second or so: ServiceExitedError if an essential child died;
        otherwise restarts what is due and schedules a restart for what just exited."""
        for child in self.essential:
            check_alive(child)
        for child in self.restartable:
            state = self._restarts.setdefault(child.name, _Restart(started=now))
            self._supervise(child, state, now)

    def restarts(self, name: str) -> int:
        return self._restarts[name].count if name in self._restarts else 0

    def _supervise(self, child: Child, state: _Restart, now: float) -> None:
        if state.due is not None:
            if now >= state.due:
                child.start()
                state.due, state.started, state.count = None, now, state.count + 1
                self._say(f"{child.name} restarted (pid {child.pid}, restart {state.count})")
            return
        code = child.exit_code
        if code is None:
            if now - state.started > self.backoff.stable_seconds:
                state.delay = None
            return
        child.stop()  # reaps it and anything left in its process group
        state.delay = self.backoff.after(state.delay)
        state.due = now + state.delay
        self._say(
            f"{child.name} exited with status {code}; restarting it in {state.delay:g}s "
            f"(see {child.log_path})"
        )

    def _say(self, line: str) -> None:
        print(f"\n{line}", file=self.out, flush=True)
