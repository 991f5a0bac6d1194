"""Runs Debian's promtool; a missing promtool fails the test with the way to install it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def promtool_binary() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.fail(
            "promtool not found on PATH: install Debian's `prometheus` package "
            "(`make system-deps` does: apt-get install prometheus)",
            pytrace=False,
        )
    return found


def promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [promtool_binary(), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
