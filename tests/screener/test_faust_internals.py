"""The faust/aiokafka private names the screener's transport relies on: all still there with the
expected signatures, used nowhere else, and a faust without one makes the worker refuse to start
instead of running silently without the override."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from faust.transport.drivers import aiokafka as driver

from laborguard_screener import transport
from laborguard_screener.transport import (
    PRIVATE_NAMES,
    FaustInternalsError,
    PrivateName,
    missing_internals,
    screener_transport,
)

pytestmark = pytest.mark.unit

SERVICES = Path(__file__).resolve().parents[2] / "services"


def _sink(batch: object) -> None:
    raise AssertionError("never called")


def _defining(cls: type, name: str) -> type:
    return next(owner for owner in cls.__mro__ if name in owner.__dict__)


@pytest.mark.parametrize("private", PRIVATE_NAMES, ids=lambda p: f"{p.owner.__name__}.{p.name}")
def test_every_private_name_is_as_the_transport_expects(private: PrivateName) -> None:
    assert private.problem() is None


def test_a_faust_without_drain_messages_fails_the_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(_defining(driver.Consumer, "_drain_messages"), "_drain_messages")
    monkeypatch.setattr(transport, "_checked", transport._checked.__wrapped__)  # no cached pass
    assert any("Consumer._drain_messages: missing" in p for p in missing_internals())
    with pytest.raises(FaustInternalsError, match="_drain_messages: missing"):
        screener_transport(10, "shipments", _sink)  # type: ignore[arg-type]


def test_a_renamed_parameter_fails_the_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    async def add_gap(self: object, tp: object, start: int, end: int) -> None: ...

    monkeypatch.setattr(_defining(driver.Consumer, "_add_gap"), "_add_gap", add_gap)
    (problem,) = missing_internals()
    assert "_add_gap: parameters ('self', 'tp', 'start', 'end')" in problem


def test_an_attribute_its_method_no_longer_names_fails_the_guard() -> None:
    class Renamed:
        def __init__(self) -> None:
            self._fetch_wait = 500

    (problem,) = missing_internals([PrivateName(Renamed, "_fetch_max_wait_ms", used_in="__init__")])
    assert "_fetch_max_wait_ms: no longer used by __init__()" in problem


def test_the_worker_refuses_to_start_on_a_faust_without_an_override(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "import faust.transport.consumer as consumer\n"
        "del consumer.Consumer._drain_messages\n"
        "from laborguard_platform.cli import main\n"
        "sys.exit(main(['screener']))\n"
    )
    env = {"LABORGUARD_SCREENER_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 1, done.stderr
    assert "laborguard screener: error: " in done.stderr and "_drain_messages" in done.stderr
    assert "Traceback" not in done.stderr


OWN_NAMES = sorted({p.name for p in PRIVATE_NAMES if p.name.startswith("_")} - {"_stopped"})


@pytest.mark.parametrize("name", OWN_NAMES)
def test_no_module_but_the_transport_uses_a_private_name(name: str) -> None:
    users = [
        path.relative_to(SERVICES)
        for path in SERVICES.rglob("*.py")
        if name in path.read_text() and path.name != "transport.py"
    ]
    assert users == []
