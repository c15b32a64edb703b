"""LightGBM/XGBoost data files read the way their CLIs do (advisor/lint/datafile.py), timed
against the baseline of the same run: the same rows as a headed CSV profiled by ``analyze``
(what ``lossadvisor profile`` does). Medians of --repeat runs; files generated in a temporary
folder (seeded), so the numbers are comparable between machines only as ratios.

    python benchmarks/lint_data.py [--rows 500000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from advisor.analyze import analyze, analyze_column
from advisor.lint.datafile import DataSpec, read_labels
from advisor.thresholds import Thresholds

FEATURES = 28  # LightGBM's examples/regression/regression.train has 28 features
SPARSE = 60  # non-zero features per LIBSVM row, out of 300 (like examples/lambdarank)


def generate(folder: Path, rows: int) -> dict[str, Path]:
    rng = random.Random(7)
    tsv, csv, svm = folder / "train.tsv", folder / "train.csv", folder / "train.svm"
    with tsv.open("w") as t, csv.open("w") as c, svm.open("w") as s:
        c.write("y," + ",".join(f"x{i}" for i in range(FEATURES)) + "\n")
        for _ in range(rows):
            values = [str(rng.randint(0, 1))] + [f"{rng.random():.3f}" for _ in range(FEATURES)]
            t.write("\t".join(values) + "\n")
            c.write(",".join(values) + "\n")
            picked = sorted(rng.sample(range(300), SPARSE))
            s.write(f"{rng.randint(0, 4)} " + " ".join(f"{j}:{rng.random():.2f}" for j in picked)
                    + "\n")
    return {"tsv": tsv, "csv": csv, "svm": svm}


def timed(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    thresholds = Thresholds()

    def cli(path: Path, tool: str) -> None:
        read = read_labels(DataSpec(str(path), tool))
        analyze_column(read.labels, read.name, thresholds, str(path), read.format, read.groups)

    with tempfile.TemporaryDirectory() as folder:
        files = generate(Path(folder), args.rows)
        base = timed(lambda: analyze(str(files["csv"]), "y", thresholds), args.repeat)
        tsv = timed(lambda: cli(files["tsv"], "lightgbm"), args.repeat)
        svm = timed(lambda: cli(files["svm"], "xgboost"), args.repeat)
        sizes = {k: p.stat().st_size / 1e6 for k, p in files.items()}
    print(f"rows {args.rows:,}, median of {args.repeat}")
    print(f"baseline  analyze(headed CSV, {sizes['csv']:.0f} MB)      {base:7.3f} s")
    print(f"lightgbm  no-header TSV ({sizes['tsv']:.0f} MB)            {tsv:7.3f} s  "
          f"{tsv / base:.2f}x")
    print(f"xgboost   LIBSVM ({sizes['svm']:.0f} MB, {SPARSE} features/row) {svm:7.3f} s  "
          f"{svm / base:.2f}x")


if __name__ == "__main__":
    main()
