"""Child processes of the stack: each in its own process group, logged to a file, always reaped.

A child gets its own session so a Ctrl-C in the terminal reaches only the stack, which then stops
the children in order. On Linux a child is also told to exit if the stack itself dies (SIGKILL
included), so nothing outlives it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def set_parent_death_signal() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    return set_parent_death_signal


@dataclass
class Child:
    """One service process: `start`, `exit_code`, `stop` (idempotent)."""

    name: str
    argv: list[str]
    log_path: Path
    env: Mapping[str, str] = field(default_factory=dict)
    _process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def exit_code(self) -> int | None:
        """None while it runs (or before it started)."""
        return self._process.poll() if self._process else None

    def fresh_log(self) -> None:
        """A new run starts a new log; the previous run's is kept beside it as NAME.log.previous."""
        if self.log_path.exists():
            self.log_path.replace(self.log_path.with_name(self.log_path.name + ".previous"))

    def start(self) -> None:
        """Starts it; a restart appends to the log below a line that marks it."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
            log.write(f"=== laborguard stack: {self.name} starting at {stamp} ===\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env},
                start_new_session=True,
                preexec_fn=_die_with_parent(),  # the stack starts children before any thread
            )

    def terminate(self) -> None:
        """Asks the child to stop (SIGTERM to its group) without waiting."""
        if self._process is not None and self._process.poll() is None:
            self._signal_group(self._process.pid, signal.SIGTERM)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to the child's whole process group, SIGKILL after `timeout` seconds."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            self._signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(process.pid, signal.SIGKILL)
                process.wait()
        self._signal_group(process.pid, signal.SIGKILL)  # grandchildren left in its group
        self._process = None

    @staticmethod
    def _signal_group(pid: int, signum: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signum)

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of its log since it last started."""
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""
        since_start = text.rsplit("=== laborguard stack: ", 1)[-1].split("\n", 1)[-1]
        return "\n".join(since_start.splitlines()[-lines:])
