"""Many files as one dataset: expand the inputs, pin the first file's layout, fold, merge.

Training sets live as directories of shards (``data/train/part-*.parquet``), often on object
storage. The inputs (paths, globs, directories, pyarrow.fs URIs) expand into an ordered file list;
the first file pins the schema and, for CSV, the delimiter, decimal mark and encoding, and any file
whose header or target type differs is named in a one-line error. Each file is folded into a
:class:`~advisor.summary.TableSummary` and the summaries merge in file order, so the result is the
same whether the files were folded here one after another, in ``--jobs`` processes, or on the
workers of a Dask cluster (:mod:`advisor.cluster`).
"""

from __future__ import annotations

import fnmatch
import glob
import os
from dataclasses import dataclass
from typing import Any

from advisor.errors import InputError
from advisor.io import TableSource, filesystem_of, is_uri, open_table

_GLOB = "*?["


@dataclass
class FileList:
    """The files of a dataset, in order, with their total size."""

    paths: list[str]
    total_bytes: int


def expand(inputs: list[str]) -> FileList:
    """Expand paths, globs, directories and URIs into the ordered list of data files.

    Directory listings skip names starting with '_' or '.' (Spark's _SUCCESS, Hadoop's .crc),
    and every listing is sorted, so the file order (and with it the row order that identifier
    detection reads) does not depend on the filesystem.
    """
    paths: list[str] = []
    sizes = 0
    for item in inputs:
        found = _expand_uri(item) if is_uri(item) else _expand_local(item)
        for path, size in found:
            paths.append(path)
            sizes += size
    if len(set(paths)) != len(paths):
        twice = sorted({p for p in paths if paths.count(p) > 1})[0]
        raise InputError("named twice among the inputs", twice, "give each file once")
    return FileList(paths, sizes)


def _expand_local(item: str) -> list[tuple[str, int]]:
    if any(c in item for c in _GLOB) and not os.path.exists(item):
        matches = sorted(p for p in glob.glob(item, recursive=True) if os.path.isfile(p))
        if not matches:
            raise InputError("no files match this pattern", item, "check the pattern")
        return [(p, os.path.getsize(p)) for p in matches]
    if os.path.isdir(item):
        found = []
        for root, dirs, files in os.walk(item):
            dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
            found.extend(os.path.join(root, f) for f in sorted(files)
                         if not f.startswith(("_", ".")))
        if not found:
            raise InputError("the directory holds no data files", item,
                             "name a directory of CSV or Parquet files")
        return [(p, os.path.getsize(p)) for p in found]
    size = os.path.getsize(item) if os.path.isfile(item) else 0
    return [(item, size)]  # opening it reports a missing file


def _expand_uri(item: str) -> list[tuple[str, int]]:
    import pyarrow.fs as pafs

    scheme = item.partition("://")[0]
    pattern = any(c in item for c in _GLOB)
    base_uri = item[: min(item.index(c) for c in _GLOB if c in item)] if pattern else item
    base_uri = base_uri.rsplit("/", 1)[0] if pattern else base_uri
    filesystem, base = filesystem_of(base_uri)
    info = filesystem.get_file_info(base)
    if info.type == pafs.FileType.File and not pattern:
        return [(item, int(info.size or 0))]
    if info.type != pafs.FileType.Directory:
        return [(item, 0)]  # opening it reports what is wrong
    listing = filesystem.get_file_info(pafs.FileSelector(base, recursive=True))
    inner_pattern = base.rstrip("/") + item[len(base_uri):] if pattern else None
    found = []
    for entry in sorted(listing, key=lambda e: e.path):
        name = entry.path.rsplit("/", 1)[-1]
        if entry.type != pafs.FileType.File or name.startswith(("_", ".")):
            continue
        if inner_pattern is not None and not fnmatch.fnmatchcase(entry.path, inner_pattern):
            continue
        prefix = "/" if scheme == "file" and not entry.path.startswith("/") else ""
        found.append((f"{scheme}://{prefix}{entry.path}", int(entry.size or 0)))
    if not found:
        raise InputError("no files match", item, "check the URI")
    return found


@dataclass
class Layout:
    """What the first file pins for every other file (picklable: it travels to workers)."""

    format: str
    columns: list[str]
    delimiter: str | None
    decimal: str
    encoding: str
    types: dict[str, str]
    """Parquet target column types, by name."""
    first: str

    @classmethod
    def of(cls, source: TableSource, names: list[str]) -> Layout:
        return cls(source.format, list(source.columns), source.delimiter, source.decimal,
                   source.encoding, _types(source, names), source.path)


def _types(source: TableSource, names: list[str]) -> dict[str, str]:
    if source.schema is None:
        return {}
    return {name: str(source.schema.field(name).type) for name in names}


def open_pinned(path: str, layout: Layout, names: list[str]) -> TableSource:
    """Open one more file of the dataset, read with the first file's layout, or fail naming
    what differs."""
    source = open_table(path)
    if source.format != layout.format:
        raise InputError(f"is {source.format} but {layout.first} is {layout.format}", path,
                         "give files of one format")
    if source.columns != layout.columns:
        missing = [c for c in layout.columns if c not in source.columns]
        extra = [c for c in source.columns if c not in layout.columns]
        what = (f"lacks {', '.join(missing[:3])}" if missing else
                f"adds {', '.join(extra[:3])}" if extra else "orders them differently")
        raise InputError(f"its columns differ from {layout.first}'s: it {what}", path,
                         "give files with one header")
    types = _types(source, names)
    for name in names:
        if types.get(name) != layout.types.get(name):
            raise InputError(f"column '{name}' is {types.get(name)} here but "
                             f"{layout.types.get(name)} in {layout.first}", path,
                             "give files whose target column has one type")
    if source.format == "csv":
        source.delimiter, source.decimal = layout.delimiter, layout.decimal
        if source.encoding == "utf-8":
            source.encoding = layout.encoding
    return source


def fold_file(path: str, layout: Layout, names: list[str], stream: bool | None) -> bytes:
    """Fold one file into a summary's bytes (run in a worker process or on a cluster)."""
    from advisor.analyze import should_stream
    from advisor.stream import summarise

    source = open_pinned(path, layout, names)
    if stream is None:
        stream = should_stream(source, len(names))
    table = summarise(source, names, stream)
    table.notes.extend(source.notes)
    return table.to_bytes()


def merge_bytes(a: bytes, b: bytes) -> bytes:
    """Merge two summaries' bytes (a before b in file order); for tree merges on workers."""
    from advisor.summary import TableSummary

    return TableSummary.from_bytes(a).merge(TableSummary.from_bytes(b)).to_bytes()


def estimated_rows(sources: list[TableSource]) -> int:
    """Rows of the dataset: exact from Parquet footers, estimated from CSV sizes."""
    return sum(source.estimated_rows() for source in sources)


def run_jobs(paths: list[str], layout: Layout, names: list[str], stream: bool | None,
             jobs: int) -> list[bytes]:
    """Fold the files in ``jobs`` processes; the summaries come back in file order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: pyarrow's thread pools do not survive a fork.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(fold_file, path, layout, names, stream) for path in paths]
        return [future.result() for future in futures]


def fold_here(paths: list[str], first: TableSource, layout: Layout, names: list[str],
              stream: bool) -> Any:
    """Fold the files one after another in this process (exact values kept in memory)."""
    from advisor.stream import summarise

    table = None
    for index, path in enumerate(paths):
        source = first if index == 0 else open_pinned(path, layout, names)
        part = summarise(source, names, stream)
        part.notes.extend(source.notes)
        table = part if table is None else table.merge(part, path)
    return table
