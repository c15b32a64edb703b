"""The floor: the least work that computes the target's statistics, timed against lossadvisor.

pyarrow reads only the target column with its type inferred on the first block and pinned;
numpy computes the statistics in place (one sort gives quantiles, distinct and class counts,
outlier and zero counts by searchsorted; moments in blocks). It does no task inference, no
traits, no rules and no rendering: lossadvisor cannot be faster than this.

    python benchmarks/floor.py FILE.csv TARGET
    python benchmarks/floor.py --dataset parquet|csv FOLDER TARGET   # many files (pyarrow.dataset)
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv


def read_target(path: str, target: str) -> pa.ChunkedArray:
    with open(path, "rb") as fh:
        sample = fh.read(1 << 20)
    sample = sample[: sample.rfind(b"\n") + 1]
    convert = pcsv.ConvertOptions(include_columns=[target])
    kind = pcsv.read_csv(pa.BufferReader(sample), convert_options=convert).schema.field(0).type
    convert = pcsv.ConvertOptions(include_columns=[target], column_types={target: kind})
    table = pcsv.read_csv(path, read_options=pcsv.ReadOptions(block_size=1 << 22),
                          convert_options=convert)
    return table.column(0)


def numeric(column: pa.ChunkedArray) -> dict:
    """Statistics straight from the Arrow buffers: one output array, one in-place sort."""
    n_missing = column.null_count
    values = np.empty(len(column) - n_missing, dtype=np.float64)
    position = 0
    dtype = np.float64 if pa.types.is_floating(column.type) else np.int64
    for chunk in column.chunks:
        data = np.frombuffer(chunk.buffers()[1], dtype=dtype, count=len(chunk) + chunk.offset)
        data = data[chunk.offset:]
        if chunk.null_count:
            bits = np.frombuffer(chunk.buffers()[0], dtype=np.uint8)
            valid = np.unpackbits(bits, bitorder="little", count=len(chunk) + chunk.offset)
            data = data[valid[chunk.offset:].view(bool)]
        values[position:position + len(data)] = data
        position += len(data)
    del column
    n = values.shape[0]
    mean = float(values.mean())
    s2 = s3 = s4 = 0.0
    for start in range(0, n, 1 << 20):
        d = values[start:start + (1 << 20)] - mean
        d2 = d * d
        s2 += float(d2.sum())
        s3 += float((d2 * d).sum())
        s4 += float((d2 * d2).sum())
    values.sort()

    def quantile(p: float) -> float:  # linear interpolation on the sorted array, no copy
        position = p * (n - 1)
        low = int(position)
        high = min(low + 1, n - 1)
        return float(values[low] + (values[high] - values[low]) * (position - low))

    q = {name: quantile(p)
         for name, p in (("q01", .01), ("q25", .25), ("median", .5), ("q75", .75), ("q99", .99))}
    iqr = q["q75"] - q["q25"]
    lo, hi = np.searchsorted(values, [q["q25"] - 3 * iqr, q["q75"] + 3 * iqr])
    zlo = int(np.searchsorted(values, 0.0, "left"))
    zhi = int(np.searchsorted(values, 0.0, "right"))
    distinct = 1
    for start in range(0, n - 1, 1 << 20):
        stop = min(start + (1 << 20), n - 1)
        distinct += int(np.count_nonzero(values[start + 1:stop + 1] != values[start:stop]))
    return {"n": n, "missing": n_missing, "mean": mean, "var": s2 / n, "m3": s3 / n,
            "m4": s4 / n, **q, "outliers": int(lo + n - hi), "zeros": zhi - zlo,
            "distinct": distinct}


def read_dataset(fmt: str, folder: str, target: str) -> pa.ChunkedArray:
    """Only the target of every file in ``folder``, through pyarrow.dataset."""
    import pyarrow.dataset as ds

    return ds.dataset(folder, format=fmt).to_table(columns=[target]).column(0)


def main(path: str, target: str, fmt: str | None = None) -> None:
    column = read_target(path, target) if fmt is None else read_dataset(fmt, path, target)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        counts = column.value_counts()
        out = {"classes": len(counts), "missing": column.null_count}
    else:
        out = numeric(column)
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "--dataset":
        main(sys.argv[3], sys.argv[4], sys.argv[2])
    else:
        main(sys.argv[1], sys.argv[2])
