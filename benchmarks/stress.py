"""Run many `lossadvisor profile` processes at once and count native aborts.

    python benchmarks/stress.py                  # 500 runs, 4 at a time
    python benchmarks/stress.py --runs 2000 --jobs 8

An abort at interpreter exit ("terminate called without an active exception", SIGABRT) comes
from a native thread still running while Python tears down; it strikes only now and then, under
contention, so it is hunted by volume: ordinary small CSVs, a Windows-1252 file (the UTF-8 read
fails and the latin-1 retry runs), compressed CSV, Parquet from a file and on stdin, a streamed
read, and inputs that end in an input error (exit 2). Each run must exit 0 or 2 with nothing
native on stderr; the script prints one line per kind of outcome and exits 1 on any abort,
signal, traceback or unexpected exit code.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def make_inputs(folder: Path) -> list[tuple[str, list[str], bytes | None, int]]:
    """(name, argv after 'profile', stdin bytes, expected exit code) for each kind of run."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    rows = 2000
    amount = np.round(rng.gamma(2.0, 50.0, rows), 2)
    label = (rng.random(rows) < 0.1).astype(int)
    lines = ["id,amount,label"] + [f"{i},{a},{y}" for i, (a, y) in
                                   enumerate(zip(amount, label, strict=True))]
    plain = folder / "plain.csv"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cp1252 = folder / "cp1252.csv"
    # Valid UTF-8 in the sniffed sample, Windows-1252 further on: the UTF-8 parse fails and the
    # latin-1 retry runs (the error-and-retry path).
    body = "\n".join(lines) + "\n"
    cp1252.write_bytes(body.encode() + "".join(
        f"{i},{a},caf\xe9\n" for i, a in enumerate(amount[:500])).encode("cp1252"))
    gz = folder / "plain.csv.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    parquet = folder / "table.parquet"
    pq.write_table(pa.table({"amount": amount, "label": label}), parquet)
    ragged = folder / "ragged.csv"
    ragged.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    return [
        ("csv", [str(plain), "-t", "amount"], None, 0),
        ("csv-binary", [str(plain), "-t", "label", "--format", "json"], None, 0),
        ("cp1252-retry", [str(cp1252), "-t", "label"], None, 0),
        ("gzip", [str(gz), "-t", "amount"], None, 0),
        ("parquet", [str(parquet), "-t", "amount"], None, 0),
        ("parquet-stdin", ["-", "-t", "label"], parquet.read_bytes(), 0),
        ("csv-stdin", ["-", "-t", "amount"], plain.read_bytes(), 0),
        ("streamed", [str(plain), "-t", "amount", "--stream"], None, 0),
        ("ragged-error", [str(ragged), "-t", "b"], None, 2),
        ("missing-column", [str(plain), "-t", "nope"], None, 2),
    ]


def run_one(case: tuple[str, list[str], bytes | None, int]) -> tuple[str, str]:
    """Run one profile; returns (case name, outcome) where outcome 'ok' is the only good one."""
    name, args, stdin, expected = case
    argv = [sys.executable, "-m", "advisor", "profile", *args, "--no-advice"]
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return name, "hang (>120 s)"
    stderr = done.stderr.decode(errors="replace")
    if done.returncode < 0:
        return name, f"signal {-done.returncode}" + (
            " (terminate called)" if "terminate called" in stderr else "")
    if "terminate called" in stderr or "Traceback" in stderr:
        return name, "native or Python error on stderr: " + stderr.strip().splitlines()[-1]
    if done.returncode != expected:
        return name, f"exit {done.returncode}, expected {expected}"
    return name, "ok"


def stress(runs: int, jobs: int, kinds: set[str] | None = None) -> Counter:
    """Run ``runs`` profiles ``jobs`` at a time over every kind of input (or the named
    ``kinds``); count (kind, outcome) pairs."""
    with tempfile.TemporaryDirectory(prefix="lossadvisor-stress-") as tmp:
        cases = [case for case in make_inputs(Path(tmp)) if kinds is None or case[0] in kinds]
        plan = [cases[i % len(cases)] for i in range(runs)]
        with ThreadPoolExecutor(jobs) as pool:
            return Counter(pool.map(run_one, plan))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=4)
    options = parser.parse_args()
    start = time.perf_counter()
    outcomes = stress(options.runs, options.jobs)
    bad = sum(count for (_, outcome), count in outcomes.items() if outcome != "ok")
    for (name, outcome), count in sorted(outcomes.items()):
        print(f"{count:5d}  {name:15s} {outcome}")
    print(f"{options.runs} runs, {options.jobs} at a time, {time.perf_counter() - start:.0f} s: "
          f"{bad} failed (aborts, signals, tracebacks or wrong exit codes)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
