"""Start-up of the commands that read no data, against `python -c "import typer"` in the same run.

    python benchmarks/startup.py            # 7 alternating runs of each after a warm-up
    python benchmarks/startup.py --repeat 15

Each command and the baseline run in turn (command, baseline, command, ...), so a machine that
slows down during the run slows both; the line shows the medians of wall time and of CPU time
(user + system, from ``os.wait4``: on a shared machine the CPU time is the steadier number),
the ratio of the wall medians, and whether the wall median is within the 0.25 s budget.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUDGET = 0.25
BASELINE = [sys.executable, "-c", "import typer"]
LINT_CONFIG = HERE.parent / "tests" / "fixtures" / "lint" / "keras_logits_bad.json"


def commands() -> dict[str, list[str]]:
    tool = [sys.executable, "-m", "advisor"]
    return {
        "lossadvisor --help": [*tool, "--help"],
        "lossadvisor rules": [*tool, "rules"],
        "lossadvisor explain REC032": [*tool, "explain", "REC032"],
        "lossadvisor lint (no data)": [*tool, "lint", str(LINT_CONFIG)],
    }


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (output discarded, exit code ignored: lint
    exits 1 on its findings)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def startup(repeat: int) -> list[dict[str, float | str]]:
    rows = []
    for label, argv in commands().items():
        timed(argv), timed(BASELINE)  # warm-up: .pyc files, the rule cache, the page cache
        runs: dict[str, list[tuple[float, float]]] = {"tool": [], "base": []}
        for _ in range(repeat):
            runs["tool"].append(timed(argv))
            runs["base"].append(timed(BASELINE))
        wall = statistics.median(w for w, _ in runs["tool"])
        base = statistics.median(w for w, _ in runs["base"])
        rows.append({
            "label": label, "wall": wall, "cpu": statistics.median(c for _, c in runs["tool"]),
            "base": base, "base_cpu": statistics.median(c for _, c in runs["base"]),
            "ratio": wall / base,
        })
    return rows


def report(rows: list[dict[str, float | str]]) -> int:
    print(f"{'command':<30} {'wall':>7} {'cpu':>7} {'typer':>7} {'typer cpu':>9} {'ratio':>6}"
          f"  within {BUDGET} s")
    failures = 0
    for r in rows:
        ok = float(r["wall"]) <= BUDGET
        failures += not ok
        print(f"{r['label']:<30} {r['wall']:>6.3f}s {r['cpu']:>6.3f}s {r['base']:>6.3f}s "
              f"{r['base_cpu']:>8.3f}s {r['ratio']:>6.2f}  {'yes' if ok else 'NO'}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sys.exit(1 if report(startup(args.repeat)) else 0)


if __name__ == "__main__":
    main()
