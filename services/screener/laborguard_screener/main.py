"""`laborguard-screener`: one screener worker, configured from the environment."""

from __future__ import annotations

import asyncio
from pathlib import Path

import faust
import uvloop

from laborguard_screener.app import build
from laborguard_screener.settings import ScreenerSettings
from laborguard_screener.transactional import TransactionsUnsupportedError, require_transactions


def main() -> None:
    # uvloop for the worker's loop and for faust's consumer thread, which makes its own loop:
    # faust's per-batch and aiokafka's per-request work is event-loop bound.
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    settings = ScreenerSettings()
    if settings.exactly_once:
        try:
            asyncio.run(require_transactions(settings))
        except TransactionsUnsupportedError as exc:
            raise SystemExit(f"laborguard-screener: {exc}") from None
    screener = build(settings)
    Path(screener.app.conf.datadir).parent.mkdir(parents=True, exist_ok=True)
    if settings.create_topics:
        asyncio.run(screener.create_topics())
    asyncio.set_event_loop(asyncio.new_event_loop())
    worker = faust.Worker(
        screener.app, loglevel=settings.log_level, quiet=True, redirect_stdouts=False
    )
    worker.execute_from_commandline()


if __name__ == "__main__":
    main()
