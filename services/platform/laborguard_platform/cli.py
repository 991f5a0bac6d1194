"""`laborguard`: the one command; each subcommand is a part's own `main(argv)`.

The dispatcher imports a subcommand's module only when it runs (`laborguard --help` loads no
faust), and is the one place where what a user can get wrong becomes a message and an exit
status instead of a traceback:

    0    done
    1    failed while running: a service died, Kafka unreachable, no progress
    2    bad usage or input: an unknown option, a value out of range, a missing or unreadable
         file, a bad line, a bad LABORGUARD_* variable
    130  interrupted (Ctrl-C)

Messages go to stderr as `laborguard SUBCOMMAND: error: WHAT`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aiokafka.errors import KafkaError
from pydantic import ValidationError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


@dataclass(frozen=True)
class Subcommand:
    target: str  # "module:function", the function taking argv
    summary: str
    prefix: tuple[str, ...] = ()  # arguments put before the user's (`collect`)

    def function(self) -> Callable[[list[str]], int | None]:
        module, name = self.target.split(":")
        main: Callable[[list[str]], int | None] = getattr(importlib.import_module(module), name)
        return main


SUBCOMMANDS: dict[str, Subcommand] = {
    "stack": Subcommand("laborguard_platform.stack:main", "the whole platform locally (make run)"),
    "screen": Subcommand(
        "laborguard_screener.batch:main", "batch screening of a file: decisions and a summary"
    ),
    "registry": Subcommand("laborguard_registry.main:main", "the orders API + outbox relay"),
    "screener": Subcommand("laborguard_screener.main:main", "one streaming screener worker"),
    "decisions-store": Subcommand(
        "laborguard_registry.decisions.main:main", "store every decision for the officer console"
    ),
    "send-shipment": Subcommand(
        "laborguard_platform.demo:send_shipment_main", "publish one shipment event to Kafka"
    ),
    "decision": Subcommand(
        "laborguard_platform.demo:decision_main", "wait for a shipment's decision and show it"
    ),
    "generate": Subcommand("laborguard_replay.generate:main", "write a synthetic history"),
    "replay": Subcommand("laborguard_replay.replay:main", "publish a history to `shipments`"),
    "collect": Subcommand(
        "laborguard_replay.replay:main", "write the `decisions` topic to JSONL", ("collect",)
    ),
    "report": Subcommand("laborguard_replay.report:main", "a run's decisions, or two runs' diff"),
    "whatif": Subcommand("laborguard_replay.whatif:main", "offline what-if with flips and a chart"),
    "schemas": Subcommand("laborguard_contracts.export:main", "regenerate schemas/*.schema.json"),
}


def usage() -> str:
    width = max(map(len, SUBCOMMANDS))
    rows = [f"  {name:<{width}}  {command.summary}" for name, command in SUBCOMMANDS.items()]
    return "\n".join(
        [
            "usage: laborguard SUBCOMMAND [options]   (laborguard SUBCOMMAND --help)",
            "",
            "subcommands:",
            *rows,
            "",
            "exit status: 0 done, 1 failed while running, 2 bad usage or input, 130 interrupted",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage(), file=sys.stdout if args else sys.stderr)
        return EXIT_OK if args else EXIT_USAGE
    name, rest = args[0], args[1:]
    command = SUBCOMMANDS.get(name)
    if command is None:
        _error("laborguard", f"unknown subcommand {name!r}; one of: {', '.join(SUBCOMMANDS)}")
        return EXIT_USAGE
    return run(f"laborguard {name}", lambda: command.function()([*command.prefix, *rest]))


def run(prog: str, call: Callable[[], int | None]) -> int:
    """Runs a subcommand; what a user can cause and fix becomes one line and an exit status."""
    try:
        return int(call() or EXIT_OK)
    except SystemExit as stop:  # argparse (2), or a command's own status
        return _status(stop.code)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # piped into `head`: not an error of ours
        sys.stderr.close()
        return EXIT_OK
    except ValidationError as error:  # settings read from LABORGUARD_* variables
        _error(prog, _settings_problem(error))
        return EXIT_USAGE
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        _error(prog, f"{where}{error.strerror or error}")
        return EXIT_USAGE
    except KafkaError as error:
        _error(prog, f"Kafka: {error!r}")
        return EXIT_FAILED


def _status(code: object) -> int:
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # SystemExit("message"): Python prints it and exits 1
    return EXIT_FAILED


def _settings_problem(error: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(part) for part in e['loc']) or error.title}: {e['msg']}"
        for e in error.errors(include_url=False)
    ]
    return f"invalid settings ({error.title}): " + "; ".join(problems)


def _error(prog: str, message: str) -> None:
    print(f"{prog}: error: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
