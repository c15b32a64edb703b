"""Benchmark lossadvisor against the floor, in one run, with medians and ratios.

    python benchmarks/run.py                 # 1 M, 3 M and 10 M rows, four targets
    python benchmarks/run.py --rows 1000000 --repeat 3 --no-stream

For each size and target it runs the floor (benchmarks/floor.py) and
``lossadvisor profile FILE --target T --format json`` alternately, after one warm-up of each,
measuring wall time and the peak resident memory of each child process from the operating
system (``os.wait4``). It prints one line per case with the medians, the ratio of the medians,
and lossadvisor's memory per row; then the start-up commands against their 0.25 s budget.
These machines are shared and noisy: read the ratios, not single times.
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
DATA = HERE / "data"
TARGETS = {
    "amount": "float, 5% missing, heavy tail",
    "n_claims": "integer counts, zero-inflated",
    "is_positive": "binary, ~2% positive",
    "cat": "string category",
}
GOALS = {1_000_000: 1.5, 3_000_000: 1.5, 10_000_000: 1.3}
MEMORY_LIMIT_MB = 400


def measure(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    wall, _, peak = measure_cpu(argv)
    return wall, peak


def measure_cpu(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux reports KiB


def dataset(rows: int) -> Path:
    path = DATA / f"rows-{rows}.csv"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        print(f"generating {path.name} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(rows), str(path)],
                       check=True)
    return path


def lossadvisor() -> list[str]:
    return [sys.executable, "-m", "advisor"]


def run_case(path: Path, target: str, repeat: int) -> dict:
    tool = [*lossadvisor(), "profile", str(path), "--target", target, "--format", "json"]
    floor = [sys.executable, str(HERE / "floor.py"), str(path), target]
    measure(floor), measure(tool)  # warm-up: page cache, .pyc files
    times: dict[str, list[float]] = {"tool": [], "floor": []}
    memory: dict[str, list[float]] = {"tool": [], "floor": []}
    for _ in range(repeat):
        for name, argv in (("floor", floor), ("tool", tool)):
            wall, peak = measure(argv)
            times[name].append(wall)
            memory[name].append(peak)
    return {name: (statistics.median(times[name]), max(memory[name])) for name in times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 3_000_000,
                                                                10_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--targets", nargs="*", default=list(TARGETS))
    parser.add_argument("--no-stream", dest="stream", action="store_false",
                        help="skip the streamed-pass lines")
    args = parser.parse_args()

    print(f"{'rows':>11} {'target':<12} {'lossadvisor':>11} {'floor':>7} {'ratio':>6} "
          f"{'goal':>5} {'peak MB':>8} {'floor MB':>8} {'B/row':>6}  {'ok':<3}")
    failures = 0
    tool_memory: dict[tuple[int, str], float] = {}
    for rows in args.rows:
        path = dataset(rows)
        for target in args.targets:
            result = run_case(path, target, args.repeat)
            tool_s, tool_mb = result["tool"]
            floor_s, floor_mb = result["floor"]
            tool_memory[(rows, target)] = tool_mb
            ratio = tool_s / floor_s
            goal = GOALS.get(rows, 1.5)
            ok = ratio <= goal and tool_mb <= MEMORY_LIMIT_MB
            failures += not ok
            print(f"{rows:>11,} {target:<12} {tool_s:>10.2f}s {floor_s:>6.2f}s {ratio:>6.2f} "
                  f"{goal:>5.1f} {tool_mb:>8.0f} {floor_mb:>8.0f} "
                  f"{tool_mb * 2**20 / rows:>6.0f}  {'yes' if ok else 'NO'}", flush=True)
    if tool_memory:
        print("\nmemory growth per row between the smallest and largest size "
              "(goal: at most ~35 B/row)")
        sizes = sorted({rows for rows, _ in tool_memory})
        if len(sizes) > 1:
            low, high = sizes[0], sizes[-1]
            for target in args.targets:
                growth = (tool_memory[(high, target)] - tool_memory[(low, target)]) * 2**20 / (
                    high - low)
                ok = growth <= 35
                failures += not ok
                print(f"  {target:<12} {growth:>5.1f} B/row  {'yes' if ok else 'NO'}")
    if args.stream:
        largest = max(args.rows)
        path = dataset(largest)
        print(f"\nstreamed pass (--stream), {largest:,} rows: bounded memory, exact counts")
        for target in args.targets:
            argv = [*lossadvisor(), "profile", str(path), "--target", target, "--format",
                    "json", "--stream"]
            measure(argv)
            runs = [measure(argv) for _ in range(max(1, args.repeat // 2))]
            wall = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(f"  {target:<12} {wall:>6.2f}s  peak {peak:>5.0f} MB")
    print()
    from startup import report, startup  # benchmarks/startup.py: same run, typer baseline

    failures += report(startup(args.repeat))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
