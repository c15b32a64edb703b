"""Why the trial fits with one OpenMP thread: one fold's fits, per thread count and wait policy.

    python benchmarks/trial_threads.py              # 80,000 rows, 3 rounds
    python benchmarks/trial_threads.py --rows 400000 --repeat 5

Each case is a fresh process (OpenMP reads ``OMP_WAIT_POLICY`` once, when it loads) that fits
the pair of models a count trial fits first (Poisson and squared error) with the trial's
hyperparameters on data shaped like benchmarks/trial.py's (12 numbers, 3 categories), under
``threadpool_limits``. It prints medians of wall and CPU seconds (user + system): CPU equal to
wall with two threads means the threads hardly overlapped. Cases alternate, so a drifting load
hits each alike; on a shared machine read the ratios within one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

FIT = """
import sys, time
import numpy as np, pandas as pd
from threadpoolctl import threadpool_limits
from sklearn.ensemble import HistGradientBoostingRegressor
n, threads = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(20261125)
X = pd.DataFrame({f"x{i}": rng.normal(size=n).round(4) for i in range(12)})
for name, size in (("region", 8), ("product", 40), ("channel", 3)):
    X[name] = pd.Categorical(rng.integers(0, size, size=n).astype(str))
y = rng.poisson(np.exp(0.3 * X.x0 - 0.2 * X.x1 + 0.15 * X.x2 * X.x3 - 0.5))
params = dict(learning_rate=0.1, max_iter=300, max_leaf_nodes=31, min_samples_leaf=20,
              early_stopping=True, random_state=0, categorical_features="from_dtype")
with threadpool_limits(limits=threads, user_api="openmp"):
    wall, cpu = time.perf_counter(), time.process_time()
    for loss in ("poisson", "squared_error"):
        HistGradientBoostingRegressor(loss=loss, **params).fit(X, y)
    print(time.perf_counter() - wall, time.process_time() - cpu)
"""
CASES = [("1 thread", 1, "PASSIVE"), ("2 threads, passive", 2, "PASSIVE"),
         ("2 threads, active", 2, "ACTIVE"), ("2 threads, libgomp default", 2, None)]


def run(rows: int, threads: int, policy: str | None) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS")}
    if policy:
        env["OMP_WAIT_POLICY"] = policy
    out = subprocess.run([sys.executable, "-c", FIT, str(rows), str(threads)], env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=80_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    walls: dict[str, list[float]] = {name: [] for name, _, _ in CASES}
    cpus: dict[str, list[float]] = {name: [] for name, _, _ in CASES}
    loads = [os.getloadavg()[0]]
    for _ in range(args.repeat):
        for name, threads, policy in CASES:
            wall, cpu = run(args.rows, threads, policy)
            walls[name].append(wall)
            cpus[name].append(cpu)
            loads.append(os.getloadavg()[0])
    print(f"Poisson + squared-error fit, {args.rows:,} rows x 15 features, {os.cpu_count()} "
          f"cores, load {min(loads):.1f}-{max(loads):.1f}, medians of {args.repeat} "
          "(min-max)")
    base = statistics.median(walls["1 thread"])
    for name, _, _ in CASES:
        w = walls[name]
        cpu = statistics.median(cpus[name])
        print(f"{name:<28} wall {statistics.median(w):6.2f} s ({min(w):.2f}-{max(w):.2f})  "
              f"ratio {statistics.median(w) / base:5.2f}  cpu {cpu:6.2f} s")


if __name__ == "__main__":
    main()
