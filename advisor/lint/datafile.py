"""Training data files as the LightGBM and XGBoost command-line tools read them.

Their text files are not the headed tables ``profile`` reads: LightGBM takes CSV, TSV or LibSVM
without a header unless ``header=true``, its label in column 0 unless ``label_column`` names
another (an index, or ``name:col`` with a header), and its query groups from a ``<data>.query``
file of group sizes or a ``group_column``. XGBoost takes a URI, ``file?format=libsvm`` (the
default) or ``file?format=csv&label_column=0``, its groups from ``qid:`` tokens or a
``<file>.group`` file. Lint must see the label column the CLI would train on, or its data rules
judge the wrong column (or none). Only the label, and the query id where there is one, are
split out of each line: the features are never parsed.

Sources: LightGBM docs Parameters.html (``header``, ``label_column``, ``group_column``, "Query
Data", "Weight Data") and src/io/parser.cpp (format detection: a ``:`` in the first two lines is
LibSVM, else equal tab counts TSV, else equal comma counts CSV); XGBoost docs "Text Input Format
of DMatrix" (LIBSVM default parser, ``label:weight``, ``qid:``, ``.group`` files) and
dmlc-core's CSVParserParam (``label_column`` default -1: no label, every label reads as 0);
CatBoost docs "Columns description" (a ``GroupId`` column, spelled ``QueryId`` in older files).
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from advisor.errors import InputError, did_you_mean

MAX_LINE = 1 << 26
"""Longest line read (64 MiB): a longer one is not a training row."""
LABEL = "label"


@dataclass(frozen=True)
class DataSpec:
    """How one CLI reads one data file, as its config says."""

    path: str
    """The file read (a URI's file part, relative to the config already resolved)."""
    cli: str
    """'lightgbm' or 'xgboost': whose rules apply."""
    format: str = "auto"
    """'auto' (LightGBM detects CSV, TSV, LibSVM), 'libsvm' or 'csv'."""
    header: bool = False
    label: int | str | None = 0
    """Column index, column name (needs a header), or None: the file gives no label."""
    group: int | str | None = None
    """LightGBM ``group_column``: an index that does not count the label column, or a name."""
    delimiter: str | None = None
    where: str = ""
    """The config key that named the file (``path:line``), for errors about its options."""

    def with_label(self, label: str) -> DataSpec:
        """The spec with the label chosen on the command line (``--target``): an index or,
        with a header, a name."""
        label = label.lstrip("#")
        return replace(self, label=int(label) if label.isdigit() else label)


@dataclass
class LabelData:
    """The label column (and the query groups) of a data file, as the CLI reads them."""

    name: str
    labels: array
    """float64 labels, one per non-blank line (NaN for an empty or NA label)."""
    format: str
    groups: Any = None
    """One query id per row, when the data has groups."""
    group_source: str | None = None
    """Where the groups came from: the ``.query``/``.group`` file, ``qid`` or the column."""
    notes: list[str] = field(default_factory=list)


def label_of(token: str, cli: str) -> str:
    """The label text of a LibSVM row's first token: XGBoost allows ``label:weight``."""
    return token.split(":", 1)[0] if cli == "xgboost" else token


def parse_libsvm(line: str, cli: str = "xgboost") -> tuple[str, str | None]:
    """(label text, qid text or None) of one LibSVM line; features are left unsplit."""
    tokens = line.split(None, 2)
    if not tokens:
        return "", None
    qid = None
    if len(tokens) > 1 and tokens[1].startswith("qid:"):
        qid = tokens[1][4:]
    return label_of(tokens[0], cli), qid


def parse_delimited(line: str, delimiter: str, label: int, group: int | None = None
                    ) -> tuple[str, str | None]:
    """(label text, group text or None) of one CSV/TSV line: split only as far as needed."""
    last = max(label, group if group is not None else -1)
    fields = line.rstrip("\r\n").split(delimiter, last + 1)
    if len(fields) <= last:
        raise IndexError(last)
    return fields[label].strip(), fields[group].strip() if group is not None else None


def detect_format(lines: list[str]) -> str | None:
    """LightGBM's rule (src/io/parser.cpp GetDataType): a ``:`` in the first two lines is
    LibSVM; else the same number (> 0) of tabs in each line is TSV, of commas CSV."""
    if not lines:
        return None
    if any(":" in line for line in lines[:2]):
        return "libsvm"
    for kind, char in (("tsv", "\t"), ("csv", ",")):
        count = lines[0].count(char)
        if count and all(line.count(char) == count for line in lines[1:2]):
            return kind
    return None


BINARY_MARKS = {
    b"______LightGBM_Binary_File_Token______\n": "a LightGBM binary dataset (save_binary)",
    (0xFFFFAB01).to_bytes(4, "little"): "an XGBoost binary DMatrix (save_binary)",
}
"""How the tools' own binary dataset files begin (LightGBM src/io/dataset.cpp
binary_file_token; XGBoost src/data/simple_dmatrix.h kMagic): both CLIs load them, with their
labels inside, in a layout lint does not read."""


def binary_dataset(path: str) -> str | None:
    """What binary dataset the file is, when it is one of the tools' own."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return None
    return next((what for mark, what in BINARY_MARKS.items() if head.startswith(mark)), None)


def read_labels(spec: DataSpec) -> LabelData:
    """Read the label column (and query groups) of ``spec.path`` as its CLI would."""
    path = Path(spec.path)
    try:
        handle = path.open("r", encoding="utf-8", errors="replace", newline="")
    except OSError as exc:
        raise InputError(f"cannot open the data file ({exc.strerror})", spec.path) from None
    with handle:
        header = _first_line(handle) if spec.header else None
        first = [line for line in _peek(handle, 2)]
        fmt = spec.format
        if fmt == "auto":
            fmt = detect_format([line.rstrip("\r\n") for line in first]) or ""
            if not fmt:
                raise InputError("not CSV, TSV or LibSVM as LightGBM detects them (no ':', "
                                 "and no tab or comma count shared by the first two lines)",
                                 spec.path, "LightGBM reads only these text formats")
        delimiter = spec.delimiter or {"tsv": "\t", "csv": ","}.get(fmt, "")
        label, group, name = _columns(spec, fmt, header, delimiter)
        data = _arrow_read(spec, fmt, delimiter, label, group, name)
        if data is None:  # the exact reader below names the line that stopped the fast one
            handle.seek(0)
            if header is not None:
                _first_line(handle)
            if fmt == "libsvm":
                data = _read_libsvm(handle, spec, name)
            else:
                data = _read_delimited(handle, spec, fmt, delimiter, label, group, name)
    if data.groups is None:
        _group_file(spec, data)
    return data


ARROW_BLOCK = 1 << 22
LINE_FIELD = "\x1f"
"""A delimiter no LibSVM row holds: each line is one field (a row with it goes the slow way)."""


def _arrow_read(spec: DataSpec, fmt: str, delimiter: str, label: int, group: int | None,
                name: str) -> LabelData | None:
    """The same reading with pyarrow's multi-threaded CSV reader, in bounded-memory batches:
    only the label (and group) column is converted, LibSVM lines are matched by one regular
    expression. None when anything is off (a ragged row, a label that is not a number): the
    line-by-line reader then says exactly where."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    libsvm = fmt == "libsvm"
    wanted = ["f0"] if libsvm else [f"f{label}", *([f"f{group}"] if group is not None else [])]
    read = pcsv.ReadOptions(block_size=ARROW_BLOCK, autogenerate_column_names=True,
                            skip_rows=1 if spec.header else 0)
    parse = pcsv.ParseOptions(delimiter=LINE_FIELD if libsvm else delimiter, quote_char=False,
                              double_quote=False, escape_char=False)
    types = {column: pa.string() for column in wanted}
    convert = pcsv.ConvertOptions(include_columns=wanted, column_types=types,
                                  strings_can_be_null=False)
    pattern = (r"^\s*(?P<label>[^\s:]*)(?::\S*)?(?:\s+qid:(?P<qid>\S+))?" if spec.cli == "xgboost"
               else r"^\s*(?P<label>\S*)(?P<qid>)")
    labels: list[Any] = []
    groups: list[Any] = []
    try:
        with pcsv.open_csv(spec.path, read_options=read, parse_options=parse,
                           convert_options=convert) as reader:
            for batch in reader:
                text = batch.column(0)
                if libsvm:
                    text = text.filter(pc.invert(pc.utf8_is_space(text)))  # blank lines
                    found = pc.extract_regex(text, pattern)
                    text = found.field("label")
                    groups.append(found.field("qid"))
                elif group is not None:
                    groups.append(batch.column(1))
                labels.append(_as_numbers(pc.utf8_trim_whitespace(text)))
    except (pa.ArrowException, OSError):
        return None
    values = np.concatenate(labels) if labels else np.empty(0)
    data = LabelData(name, array("d", values.tobytes()), fmt)
    if libsvm:
        qids = pa.chunked_array(groups, pa.string()) if groups else None
        present = int(pc.sum(pc.not_equal(qids, "")).as_py() or 0) if qids else 0
        if present and present != len(values):
            return None  # qid on some rows only: the slow reader names the problem
        if present and spec.cli == "xgboost":
            data.groups, data.group_source = qids.to_numpy(zero_copy_only=False), "qid"
    elif group is not None:
        data.groups = pa.chunked_array(groups, pa.string()).to_numpy(zero_copy_only=False)
        data.group_source = "group_column"
    return data


MISSING = ("", "na", "nan", "null")


def _as_numbers(text: Any) -> Any:
    """float64 labels of a string column, NaN for an empty or NA label; raises ArrowInvalid
    on anything else that is not a number."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    missing = pc.is_in(pc.utf8_lower(text), value_set=pa.array(MISSING))
    numbers = pc.cast(pc.if_else(missing, pa.scalar(None, pa.string()), text), pa.float64())
    return np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=np.float64)


def _first_line(handle: Any) -> str:
    return handle.readline(MAX_LINE)


def _peek(handle: Any, count: int) -> list[str]:
    """The next ``count`` non-blank lines (the stream is rewound by the caller)."""
    found: list[str] = []
    while len(found) < count:
        line = handle.readline(MAX_LINE)
        if not line:
            break
        if line.strip():
            found.append(line)
    return found


def _columns(spec: DataSpec, fmt: str, header: str | None, delimiter: str
             ) -> tuple[int, int | None, str]:
    """The label's index, the group column's (raw) index, and the label's display name."""
    if fmt == "libsvm":
        if spec.label not in (0, None) and spec.cli == "lightgbm":
            raise InputError(f"label_column={spec.label} on LibSVM data: the label of a LibSVM "
                             "row is its first token", spec.where or spec.path,
                             "drop label_column or use label_column=0")
        return 0, None, LABEL
    names = ([n.strip() for n in header.rstrip("\r\n").split(delimiter)]
             if header is not None else None)
    label = _index(spec.label, names, spec, "label_column")
    group = None
    if spec.group is not None:
        group = _index(spec.group, names, spec, "group_column")
        if isinstance(spec.group, int) and group >= label:
            group += 1  # LightGBM: a group index does not count the label column
    name = names[label] if names and label < len(names) else f"column_{label}"
    return label, group, name


def _index(value: int | str | None, names: list[str] | None, spec: DataSpec, key: str) -> int:
    if value is None:
        raise InputError("the data has no label column (CSV without label_column reads "
                         "every label as 0)", spec.where or spec.path,
                         "add &label_column=N to the data URI")
    if isinstance(value, int):
        return value
    if names is None:
        raise InputError(f"{key}=name:{value} needs a header", spec.where or spec.path,
                         "add header = true, or give the column's index")
    if value not in names:
        raise InputError(f"{key}: no column '{value}' in the header"
                         f"{did_you_mean(value, names)}", spec.path,
                         f"columns are: {', '.join(names[:20])}")
    return names.index(value)


def _number(text: str, spec: DataSpec, line: int) -> float:
    if text == "" or text.lower() in ("na", "nan", "null"):
        return math.nan
    try:
        return float(text)
    except ValueError:
        first = line == 1 and not spec.header and spec.cli == "lightgbm"
        raise InputError(f"line {line}: label '{text[:40]}' is not a number", spec.path,
                         "a header line needs header = true in the config" if first
                         else "the CLI trains on numeric labels") from None


def _lines(handle: Any):
    """(line number, text) of every non-blank line."""
    number = 0
    while True:
        line = handle.readline(MAX_LINE)
        if not line:
            return
        number += 1
        if line.strip():
            yield number, line


def _read_libsvm(handle: Any, spec: DataSpec, name: str) -> LabelData:
    labels = array("d")
    qids: list[str] = []
    for number, line in _lines(handle):
        label, qid = parse_libsvm(line, spec.cli)
        labels.append(_number(label, spec, number))
        if qid is not None:
            qids.append(qid)
    data = LabelData(name, labels, "libsvm")
    if qids and spec.cli == "xgboost":
        if len(qids) != len(labels):
            raise InputError(f"qid on {len(qids)} of {len(labels)} rows", spec.path,
                             "XGBoost wants a qid on every row or on none")
        data.groups, data.group_source = qids, "qid"
    return data


def _read_delimited(handle: Any, spec: DataSpec, fmt: str, delimiter: str, label: int,
                    group: int | None, name: str) -> LabelData:
    labels = array("d")
    groups: list[str] = []
    last = max(label, group if group is not None else -1)
    for number, line in _lines(handle):
        try:
            text, query = parse_delimited(line, delimiter, label, group)
        except IndexError:
            raise InputError(f"line {number} has no column {last}", spec.path,
                             "check label_column / group_column") from None
        labels.append(_number(text, spec, number))
        if query is not None:
            groups.append(query)
    data = LabelData(name, labels, fmt)
    if group is not None:
        data.groups, data.group_source = groups, "group_column"
    return data


def _group_file(spec: DataSpec, data: LabelData) -> None:
    """Groups from the sizes file beside the data: ``<data>.query`` (LightGBM,
    src/io/metadata.cpp) or ``<data>.group`` (XGBoost). The sizes must add up to the rows."""
    file = groups_file(spec)
    if file.is_file():
        data.groups = _groups_from_sizes(file, len(data.labels))
        data.group_source = file.name


def groups_file(spec: DataSpec) -> Path:
    """The group-sizes file the CLI looks for beside the data."""
    return Path(spec.path + (".query" if spec.cli == "lightgbm" else ".group"))


def _groups_from_sizes(file: Path, rows: int) -> Any:
    import numpy as np

    sizes: list[int] = []
    with file.open("r", encoding="utf-8", errors="replace") as handle:
        for number, line in _lines(handle):
            text = line.strip()
            if not text.isdigit():
                raise InputError(f"line {number}: '{text[:40]}' is not a group size", str(file),
                                 "one row count per line")
            sizes.append(int(text))
    if sum(sizes) != rows:
        raise InputError(f"the group sizes add up to {sum(sizes):,} rows, the data has "
                         f"{rows:,}", str(file), "the CLI refuses to train on this; regenerate "
                         "the file with the data")
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


CD_GROUP_TYPES = {"groupid", "queryid"}
"""Column types of a CatBoost column description that give query groups (docs "Columns
description": GroupId; catboost/pytest/data/querywise/train.cd.query_id uses QueryId)."""
MAX_CD_BYTES = 1 << 20


def catboost_groups(folder: Path) -> tuple[bool, str] | None:
    """Whether the CatBoost column descriptions (``*.cd``, what ``catboost fit --cd`` reads)
    beside a params file give a GroupId column, and which file says so; None when there is no
    description to tell (the groups may come from a Pool in Python)."""
    described = sorted(folder.glob("*.cd"))[:50]
    if not described:
        return None
    for file in described:
        try:
            with file.open("r", encoding="utf-8", errors="replace") as handle:
                text = handle.read(MAX_CD_BYTES)
        except OSError:
            continue
        for line in text.splitlines():
            fields = line.split("\t") if "\t" in line else line.split()
            if len(fields) > 1 and fields[1].strip().lower() in CD_GROUP_TYPES:
                return True, file.name
    return False, described[0].name
