"""The one boundary where the replay tools' errors become a message and an exit status."""

from __future__ import annotations

import sys
from collections.abc import Callable

from aiokafka.errors import KafkaError
from pydantic import ValidationError

from laborguard_replay.errors import ReplayError

EXIT_ERROR = 2
# What a user can cause and fix: bad files, missing files, bad settings, an unreachable broker.
USER_ERRORS = (ReplayError, OSError, ValidationError, KafkaError)


def run(command: Callable[[], None], prog: str = "laborguard") -> None:
    try:
        command()
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        sys.stderr.close()
    except USER_ERRORS as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from exc
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
