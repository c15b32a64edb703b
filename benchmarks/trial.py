"""Benchmark `lossadvisor trial` on 1 M rows x 15 features against a floor, medians of a few runs.

    python benchmarks/trial.py                        # 1 M rows, default settings, 3 runs
    python benchmarks/trial.py --rows 200000 --repeat 1 --threads 1 --threads 2

The data (generated once, seeded, under benchmarks/data/) is a count target driven by 12 numeric
and 3 categorical features. The command is the default one a user types
(``lossadvisor trial FILE --target y --format json``): the rules' candidates plus the naive
default, a 100,000-row sample read in one pass, 5 folds. The floor is the least work that yields
one such comparison: pyarrow reads the file and one HistGradientBoosting model with the default
loss is fitted on 100,000 rows, with one OpenMP thread (the fastest setting for fits this size on
2 cores, see README "Trial speed"; with spinning threads on a loaded machine the floor itself
took 98 s). Goal: ≤ 60 s and ≤ 600 MB peak on this project's 2-core machine. Wall time, CPU time
(user + system) and peak RSS come from the operating system (``os.wait4``). The machine is
shared: read medians and ratios, not single runs; CPU seconds show the work done, whatever the
load did to the wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import measure_cpu  # noqa: E402  (the same measurement as the profile benchmark)

DATA = HERE / "data"
GOAL_SECONDS = 60.0
GOAL_MB = 600.0
FLOOR = """
import sys
import numpy as np, pandas as pd, pyarrow.csv as pc
from sklearn.ensemble import HistGradientBoostingRegressor
t = pc.read_csv(sys.argv[1])
rng = np.random.default_rng(0)
keep = np.sort(rng.choice(t.num_rows, size=min(t.num_rows, 100_000), replace=False))
frame = t.take(keep).to_pandas()
y = frame.pop("y").to_numpy()
for c in frame.columns:
    if not pd.api.types.is_numeric_dtype(frame[c]):
        frame[c] = frame[c].astype("category")
from threadpoolctl import threadpool_limits
with threadpool_limits(limits=1, user_api="openmp"):
    HistGradientBoostingRegressor(random_state=0).fit(frame, y)
"""


def dataset(rows: int) -> Path:
    """A count target (Poisson with a log-linear mean), 12 numbers and 3 categories."""
    path = DATA / f"trial-{rows}.csv"
    if path.exists():
        return path
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pc

    DATA.mkdir(exist_ok=True)
    rng = np.random.default_rng(20261125)
    columns = {f"x{i}": rng.normal(size=rows).round(4) for i in range(12)}
    levels = [np.array([f"{name}{k}" for k in range(size)]) for name, size in
              (("region", 8), ("product", 40), ("channel", 3))]
    picks = [rng.integers(0, len(lv), size=rows) for lv in levels]
    for name, lv, pick in zip(("region", "product", "channel"), levels, picks, strict=True):
        columns[name] = lv[pick]
    eta = 0.3 * columns["x0"] - 0.2 * columns["x1"] + 0.15 * columns["x2"] * columns["x3"] \
        + 0.1 * picks[0] / 8 - 0.5
    columns["y"] = rng.poisson(np.exp(eta))
    pc.write_csv(pa.table(columns), path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, action="append",
                        help="Also time the trial with this many OpenMP threads (repeatable).")
    args = parser.parse_args()
    path = dataset(args.rows)
    trial = [sys.executable, "-m", "advisor", "trial", str(path), "--target", "y",
             "--format", "json"]
    floor = [sys.executable, "-c", FLOOR, str(path)]
    cases = {"floor": floor, "trial (default threads)": trial}
    for n in args.threads or []:
        cases[f"trial --threads {n}"] = [*trial, "--threads", str(n)]
    measure_cpu(floor)  # warm-up: file cache, imports
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    peaks: dict[str, list[float]] = {name: [] for name in cases}
    loads = [os.getloadavg()[0]]
    for _ in range(args.repeat):
        for name, argv in cases.items():  # alternate, so drifting load hits every case
            wall, cpu, peak = measure_cpu(argv)
            times[name].append(wall)
            cpus[name].append(cpu)
            peaks[name].append(peak)
            loads.append(os.getloadavg()[0])
    base = statistics.median(times["floor"])
    print(f"{args.rows:,} rows x 15 features, {os.cpu_count()} cores, load "
          f"{min(loads):.1f}-{max(loads):.1f}, medians of {args.repeat}")
    for name in cases:
        wall, peak = statistics.median(times[name]), max(peaks[name])
        cpu = statistics.median(cpus[name])
        verdict = "" if name == "floor" else (
            "  ok" if wall <= GOAL_SECONDS and peak <= GOAL_MB else "  OVER GOAL")
        print(f"{name:<26} {wall:7.1f} s  ratio {wall / base:5.2f}  cpu {cpu:6.1f} s  "
              f"peak {peak:6.0f} MB{verdict}")


if __name__ == "__main__":
    main()
