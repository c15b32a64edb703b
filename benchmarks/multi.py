"""Benchmark many-file datasets against the pyarrow.dataset floor, in one run, with medians.

    python benchmarks/multi.py                    # 10 M rows in 20 Parquet files, 1.5 GB of
                                                  # CSV shards, the Dask engine's overhead
    python benchmarks/multi.py --csv-gb 0.2 --repeat 1

The floor (``floor.py --dataset``) reads only the target with pyarrow.dataset and computes the
statistics with numpy; lossadvisor runs ``profile FOLDER --target T --format json``. Both run
alternately after a warm-up; wall time is the median, memory the peak RSS the operating system
reports for the child. For ``--engine dask`` it reports the fixed overhead (a one-file, 1,000-row
dataset: cluster start, scheduling, merge) and the rate per worker core beyond it. Shared, noisy
machines: read the ratios, not single times.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import block  # noqa: E402
from run import lossadvisor, measure  # noqa: E402

DATA = HERE / "data"
ROWS_PER_CSV_GB = 19_500_000  # the generator's rows are about 51 bytes of CSV


def shards(rows: int, files: int, fmt: str, name: str) -> Path:
    """``rows`` generated rows split over ``files`` files of one format (seeded, cached).

    Generated in a child process: a child forked from a large parent inherits its peak
    resident size, which would then be reported as every measured command's peak."""
    folder = DATA / name
    if not folder.exists():
        subprocess.run([sys.executable, __file__, "--generate", str(rows), str(files), fmt, name],
                       check=True)
    return folder


def generate(rows: int, files: int, fmt: str, name: str) -> None:
    folder = DATA / name
    print(f"generating {folder.name} ...", file=sys.stderr)
    partial = folder.with_name(folder.name + ".part")
    partial.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261125)
    start = 0
    for index, count in enumerate(np.diff(np.linspace(0, rows, files + 1).astype(int))):
        table = block(rng, start, int(count))
        start += int(count)
        path = partial / f"part-{index:05d}.{fmt}"
        if fmt == "parquet":
            pq.write_table(table, path)
        else:
            pcsv.write_csv(table, path)
    partial.rename(folder)


def compare(folder: Path, target: str, fmt: str, repeat: int) -> dict[str, tuple[float, float]]:
    tool = [*lossadvisor(), "profile", str(folder), "--target", target, "--format", "json"]
    floor = [sys.executable, str(HERE / "floor.py"), "--dataset", fmt, str(folder), target]
    measure(floor), measure(tool)
    runs: dict[str, list[tuple[float, float]]] = {"tool": [], "floor": []}
    for _ in range(repeat):
        runs["floor"].append(measure(floor))
        runs["tool"].append(measure(tool))
    return {name: (statistics.median(r[0] for r in rs), max(r[1] for r in rs))
            for name, rs in runs.items()}


def timed(argv: list[str], repeat: int) -> tuple[float, float]:
    measure(argv)
    runs = [measure(argv) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--csv-gb", type=float, default=1.5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--targets", nargs="*", default=["amount", "n_claims"])
    parser.add_argument("--no-dask", dest="dask", action="store_false")
    parser.add_argument("--no-csv", dest="csv", action="store_false")
    args = parser.parse_args()
    failures = 0
    print(f"{'dataset':<28} {'target':<9} {'lossadvisor':>11} {'floor':>7} {'ratio':>6} "
          f"{'peak MB':>8} {'floor MB':>8}  ok (goal: ratio <= 1.3, peak <= 300 MB)")
    parquet = shards(args.rows, args.files, "parquet",
                     f"parquet-{args.rows}-{args.files}")
    cases = [(parquet, "parquet", f"{args.rows:,} rows, {args.files} Parquet")]
    if args.csv:
        csv_rows = int(args.csv_gb * ROWS_PER_CSV_GB)
        csv = shards(csv_rows, max(args.files, int(args.csv_gb * 10)), "csv",
                     f"csv-{csv_rows}")
        size = sum(p.stat().st_size for p in csv.iterdir()) / 2**30
        cases.append((csv, "csv", f"{size:.2f} GB CSV, {len(list(csv.iterdir()))} files"))
    for folder, fmt, label in cases:
        for target in args.targets:
            result = compare(folder, target, fmt, args.repeat)
            (tool_s, tool_mb), (floor_s, floor_mb) = result["tool"], result["floor"]
            ratio = tool_s / floor_s
            ok = ratio <= 1.3 and tool_mb <= 300
            failures += not ok
            print(f"{label:<28} {target:<9} {tool_s:>10.2f}s {floor_s:>6.2f}s {ratio:>6.2f} "
                  f"{tool_mb:>8.0f} {floor_mb:>8.0f}  {'yes' if ok else 'NO'}", flush=True)
    if args.dask:
        tiny = shards(1000, 1, "parquet", "parquet-tiny")
        base = [*lossadvisor(), "profile", "--target", "amount", "--format", "json"]
        overhead, _ = timed([*base, str(tiny), "--engine", "dask", "--jobs", "2"], args.repeat)
        local, local_mb = timed([*base, str(parquet), "--stream"], args.repeat)
        print(f"\nDask engine (LocalCluster), {args.rows:,} rows in {args.files} files; fixed "
              f"overhead {overhead:.2f}s (1 file, 1,000 rows)")
        print(f"  one process, streamed        {local:>6.2f}s  peak {local_mb:>5.0f} MB  "
              f"{args.rows / local / 1e6:>5.2f} M rows/s")
        for workers in (1, 2):
            for engine in ("local", "dask"):
                wall, peak = timed([*base, str(parquet), "--engine", engine, "--jobs",
                                    str(workers)] + (["--stream"] if engine == "local" else []),
                                   args.repeat)
                beyond = wall - (overhead if engine == "dask" else 0)
                rate = (f"{args.rows / beyond / workers / 1e6:>5.2f} M rows/s per core"
                        if beyond > 0 else "rate lost in the overhead's noise")
                print(f"  --engine {engine:<5} --jobs {workers}     {wall:>6.2f}s  client peak "
                      f"{peak:>5.0f} MB  {rate}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--generate"]:
        generate(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        main()
