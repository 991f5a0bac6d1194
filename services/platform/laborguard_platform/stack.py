"""`laborguard stack` (`make run`): the whole platform on one machine, and a replay through it.

Starts the embedded broker (or, with --kafka apache, a local Apache Kafka; neither when
LABORGUARD_KAFKA_BOOTSTRAP names a Kafka), the registry on a
fresh SQLite file seeded with the real orders (or LABORGUARD_REGISTRY_DATABASE_URL), and screener
workers; replays the bundled sample of historical shipments; shows progress and a summary of the
decisions. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from laborguard_platform.assembly import build
from laborguard_platform.errors import StackError
from laborguard_platform.session import run_session
from laborguard_platform.stack_settings import StackSettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laborguard stack",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--workers", type=int, help="screener workers (default 2)")
    add("--no-replay", dest="replay", action="store_false", default=None, help="start only")
    add("--replay-path", type=Path, help="history to replay (JSONL, .gz); default: the sample")
    add("--replay-speed", type=float, help="0 = as fast as possible (default), else x pacing")
    add("--replay-limit", type=int, help="replay only the first N events")
    add("--exit-after-replay", action="store_true", default=None, help="stop once all decided")
    add("--kafka", choices=("embedded", "apache"), help="broker to start (default embedded)")
    add("--kafka-bootstrap", help="use this Kafka instead of starting one")
    add("--database-url", dest="registry_database_url", help="registry database (SQLAlchemy URL)")
    add("--broker-port", type=int, help="local broker port (default 9092, 0 = any free)")
    add("--registry-port", type=int, help="registry port (default 8080, 0 = any free)")
    add("--screener-port", dest="screener_web_port", type=int, help="first screener web port")
    add("--prometheus-port", type=int, help="also run Prometheus here (0 = any free port)")
    add("--run-dir", type=Path, help="logs and local state (default var/stack)")
    return parser


def settings_from(argv: list[str] | None) -> StackSettings:
    """The environment's settings with the command line's options on top."""
    options: dict[str, Any] = {
        name: value for name, value in vars(_parser().parse_args(argv)).items() if value is not None
    }
    return StackSettings(**options)


_STOPS = (signal.SIGINT, signal.SIGTERM)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM while starting: unwind like Ctrl-C


def run(settings: StackSettings) -> None:
    stack = build(settings)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        stack.start()
        asyncio.run(run_session(stack))
    except KeyboardInterrupt:
        pass
    finally:
        # a second Ctrl-C must not cut the stop short and leave children behind
        ignored = {signum: signal.signal(signum, signal.SIG_IGN) for signum in _STOPS}
        print("Stopping (at most 15s) ...", flush=True)
        stack.stop()
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, ignored[signal.SIGINT])
        print("Stopped; nothing left running.", flush=True)


def main(argv: list[str] | None = None) -> None:
    try:
        run(settings_from(argv))
    except StackError as exc:
        print(f"laborguard stack: error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
