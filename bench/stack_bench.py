"""`laborguard stack` figures: time to ready, time to decide the bundled sample, time to stop.

    .venv/bin/python bench/stack_bench.py            # 3 runs, 2 workers
    .venv/bin/python bench/stack_bench.py 1 4        # runs, workers

Each run is `laborguard stack --exit-after-replay` on free ports in a temporary directory: the
embedded broker, the registry on a fresh SQLite file, the screener workers, the whole sample.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time


def one_run(workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as run_dir:
        argv = [
            sys.executable, "-m", "laborguard_platform.stack", "--exit-after-replay",
            f"--workers={workers}", "--broker-port=0", "--registry-port=0",
            "--screener-port=0", f"--run-dir={run_dir}",
        ]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=600)
        wall = time.perf_counter() - started
    out = done.stdout
    ready = float(re.search(r"ready in ([\d.]+)s", out).group(1))  # type: ignore[union-attr]
    settled = re.search(r"All ([\d,]+) replayed events settled ([\d.]+)s", out)
    assert settled, out
    events = int(settled.group(1).replace(",", ""))
    seconds = float(settled.group(2))
    return {"ready_s": ready, "events": events, "settle_s": seconds, "wall_s": wall}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    results = [one_run(workers) for _ in range(runs)]
    for key in ("ready_s", "settle_s", "wall_s"):
        values = [r[key] for r in results]
        shown = ", ".join(f"{v:.1f}" for v in values)
        print(f"{key:<9} median {statistics.median(values):6.1f}  runs [{shown}]")
    events = results[0]["events"]
    rate = events / statistics.median(r["settle_s"] for r in results)
    print(
        f"sample    {events:,.0f} events, {rate:,.0f} events/s replay to all decided, "
        f"{workers} workers"
    )


if __name__ == "__main__":
    main()
