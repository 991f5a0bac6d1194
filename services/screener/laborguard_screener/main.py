"""`laborguard screener`: one screener worker, configured from the environment.

Every setting is a LABORGUARD_SCREENER_* variable (LABORGUARD_KAFKA_BOOTSTRAP for Kafka): see
docs/screener.md. The worker runs until SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import faust
import uvloop

from laborguard_screener.app import build
from laborguard_screener.settings import ScreenerSettings
from laborguard_screener.transactional import TransactionsUnsupportedError, require_transactions
from laborguard_screener.transport import FaustInternalsError

EXIT_REFUSED = 1


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(prog="laborguard screener", description=__doc__).parse_args(argv)
    # uvloop for the worker's loop and for faust's consumer thread, which makes its own loop:
    # faust's per-batch and aiokafka's per-request work is event-loop bound.
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    settings = ScreenerSettings()
    if settings.exactly_once:
        try:
            asyncio.run(require_transactions(settings))
        except TransactionsUnsupportedError as error:
            print(f"laborguard screener: error: {error}", file=sys.stderr)
            raise SystemExit(EXIT_REFUSED) from None
    try:
        screener = build(settings)
    except FaustInternalsError as error:  # refuse to run without the transport's overrides
        print(f"laborguard screener: error: {error}", file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None
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
