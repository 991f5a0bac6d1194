"""The one boundary where the replay tools' errors become a message and an exit status."""

from __future__ import annotations

import sys
from collections.abc import Callable

from laborguard_replay.errors import ReplayError

EXIT_ERROR = 2


def run(command: Callable[[], None]) -> None:
    try:
        command()
    except ReplayError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from exc
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        sys.stderr.close()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        raise SystemExit(130) from None
