"""`make bench` / `python -m bench`: lists and runs the benchmark scripts, each in its own process.

    .venv/bin/python -m bench --list                  # what there is, and what each measures
    .venv/bin/python -m bench                         # every bench with its defaults (long)
    .venv/bin/python -m bench screening quality       # one bench, with its own arguments
    make bench BENCH="screener --parts throughput"

Each bench prints its figures with the date and the load average; nothing is asserted. The exit
status is the first failing bench's, else 0.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benches() -> dict[str, Path]:
    return {path.stem.removesuffix("_bench"): path for path in sorted(HERE.glob("*_bench.py"))}


def summary(path: Path) -> str:
    doc = path.read_text(encoding="utf-8").split('"""')[1]
    return doc.strip().splitlines()[0]


def run(name: str, path: Path, args: list[str]) -> int:
    print(f"\n=== bench {name}: {' '.join([path.name, *args])}", flush=True)
    began = time.monotonic()
    code = subprocess.call([sys.executable, str(path), *args])
    print(f"=== bench {name}: exit {code} after {time.monotonic() - began:.0f}s", flush=True)
    return code


def main(argv: list[str]) -> int:
    found = benches()
    if argv[:1] in (["--list"], ["-h"], ["--help"]):
        print(__doc__)
        for name, path in found.items():
            print(f"  {name:<10} {summary(path)}")
        return 0
    if argv:
        name, *args = argv
        if name not in found:
            print(f"bench: error: no bench {name!r}; one of: {', '.join(found)}", file=sys.stderr)
            return 2
        return run(name, found[name], args)
    codes = [run(name, path, []) for name, path in found.items()]
    return next((code for code in codes if code), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
