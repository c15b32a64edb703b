"""Seeded generator of the benchmark tables: 10 columns of realistic types, any number of rows.

Columns: three floats, two integers, a string category, a ~2%-positive binary target
(is_positive), zero-inflated counts (n_claims) and a heavy-tailed float with ~5% missing values
(amount); plus an id. Written in blocks so generating 10 M rows stays within a few hundred MB.

    python benchmarks/generate.py ROWS OUT.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

BLOCK = 1_000_000
CATEGORIES = np.array(["north", "south", "east", "west", "centre", "coast", "hills", "plain"])


def block(rng: np.random.Generator, start: int, n: int) -> pa.Table:
    amount = np.round(rng.lognormal(3.0, 1.2, n) * (1 + rng.standard_t(2, n) ** 2 * 0.01), 2)
    amount_mask = rng.random(n) < 0.05
    claims = rng.poisson(rng.gamma(0.7, 1.2, n))
    claims[rng.random(n) < 0.5] = 0
    return pa.table({
        "id": pa.array(np.arange(start, start + n, dtype=np.int64)),
        "x1": pa.array(np.round(rng.normal(0, 1, n), 4)),
        "x2": pa.array(np.round(rng.uniform(0, 100, n), 3)),
        "x3": pa.array(np.round(rng.exponential(2.0, n), 3)),
        "k1": pa.array(rng.integers(0, 1000, n)),
        "k2": pa.array(rng.integers(-50, 50, n)),
        "cat": pa.array(CATEGORIES[rng.integers(0, len(CATEGORIES), n)]),
        "is_positive": pa.array((rng.random(n) < 0.02).astype(np.int64)),
        "n_claims": pa.array(claims.astype(np.int64)),
        "amount": pa.array(amount, mask=amount_mask),
    })


def generate(rows: int, out: Path, seed: int = 20261124) -> None:
    rng = np.random.default_rng(seed)
    tmp = out.with_suffix(out.suffix + ".part")
    with pcsv.CSVWriter(str(tmp), block(rng, 0, 1).schema) as writer:
        for start in range(0, rows, BLOCK):
            writer.write_table(block(rng, start, min(BLOCK, rows - start)))
    tmp.replace(out)


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
