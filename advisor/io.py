"""Read a table (CSV/TSV, compressed or not, Parquet, or stdin), parsing only the columns asked for.

The header is read first and cheaply (:func:`open_table`); the caller picks the target columns;
then :meth:`TableSource.read` parses just those. pyarrow does the parsing: the target's type is
inferred on the first block and pinned for the whole file, which keeps memory near the size of the
column itself instead of the whole file.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

SAMPLE_BYTES = 256 * 1024
"""How much of the (decompressed) file is sniffed for delimiter, encoding and column types."""

STREAM_BLOCK = 2 << 20
"""Bytes per block when streaming: large enough that per-batch work is amortised, small
enough that memory stays bounded."""

DELIMITERS = (",", ";", "\t", "|")
_MAGIC = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bz2",
    b"\xfd7zXZ\x00": "xz",
}
_ZIP_MAGIC = b"PK\x03\x04"
_PARQUET_MAGIC = b"PAR1"


class TypeWidened(Exception):
    """A streamed column met a value wider than its pinned type; start the pass again."""


@dataclass
class Dataset:
    """The parsed target columns of one table, with how the file was read."""

    path: str
    format: str
    rows: int
    columns: list[str]
    data: dict[str, pa.ChunkedArray]
    delimiter: str | None = None
    encoding: str | None = None
    decimal: str | None = None
    compression: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class TableSource:
    """An opened table whose header is known and whose columns are not parsed yet."""

    path: str
    format: str
    columns: list[str]
    compression: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8"
    decimal: str = "."
    quoted_newlines: bool = False
    notes: list[str] = field(default_factory=list)
    _buffer: bytes | None = None  # stdin contents (files are re-opened instead)
    _sample: bytes = b""
    progress: Callable[[int], None] | None = None
    """Called with the number of (compressed) bytes read so far, when set."""

    # -- opening ---------------------------------------------------------------------------
    def _stream(self) -> pa.NativeFile:
        """A fresh byte stream of the (decompressed) file.

        Decompression goes through Python's gzip/bz2/lzma modules (zlib and friends in C, large
        reads), which detect a truncated file; pyarrow's codec stream silently stops early.
        """
        import pyarrow as pa

        counting = self.progress is not None and self._buffer is None
        if self.compression:
            import bz2
            import gzip
            import lzma

            opener = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}[self.compression]
            raw_py: Any = io.BytesIO(self._buffer) if self._buffer is not None else self.path
            if counting:
                raw_py = _Counting(open(self.path, "rb"), self.progress)
            return pa.PythonFile(opener(raw_py, "rb"), mode="r")
        if self._buffer is not None:
            return pa.BufferReader(self._buffer)
        if counting:
            return pa.PythonFile(_Counting(open(self.path, "rb"), self.progress), mode="r")
        return pa.OSFile(self.path)

    def total_bytes(self) -> int:
        """Bytes of input (compressed, for compressed files): the progress bar's 100%."""
        if self._buffer is not None:
            return len(self._buffer)
        try:
            return Path(self.path).stat().st_size
        except OSError:
            return 0

    def estimated_rows(self) -> int:
        """Rows the file probably holds, from the sample's bytes per line (for the choice
        between reading the target into memory and streaming it)."""
        if self.format == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            source = pa.BufferReader(self._buffer) if self._buffer is not None else self.path
            return pq.ParquetFile(source).metadata.num_rows
        lines = max(self._sample.count(b"\n"), 1)
        per_line = max(len(self._sample) / lines, 1.0)
        ratio = 4.0 if self.compression else 1.0  # CSV typically compresses 3-5x
        return int(self.total_bytes() * ratio / per_line)

    def batches(self, wanted: list[str]) -> Iterator[pa.RecordBatch]:
        """Stream the wanted columns in record batches (bounded memory).

        The column types are pinned from the first block; a later value that does not fit
        raises :class:`TypeWidened` so the caller can start over with the wider type.
        """
        import pyarrow as pa
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq

        if self.format == "parquet":
            source = pa.BufferReader(self._buffer) if self._buffer is not None else self.path
            yield from pq.ParquetFile(source).iter_batches(columns=wanted, batch_size=1 << 16)
            return
        if self._stream_types is None:
            self._stream_types = self._infer_types(wanted)
        read, parse, convert = self._options(wanted, self._stream_types, STREAM_BLOCK)
        try:
            with self._stream() as stream:
                reader = pcsv.open_csv(stream, read_options=read, parse_options=parse,
                                       convert_options=convert)
                yield from reader
        except (EOFError, OSError) as exc:
            raise InputError(f"the compressed file is truncated or corrupt ({exc})",
                             self.path, "re-download or re-export it") from None
        except pa.ArrowInvalid as exc:
            widened = _widen(self._stream_types, str(exc), wanted)
            if widened is None:
                raise self._parse_error(exc) from None
            self._stream_types = widened
            raise TypeWidened(str(exc)) from None

    _stream_types: dict | None = None

    # -- reading ---------------------------------------------------------------------------
    def read(self, wanted: list[str]) -> Dataset:
        """Parse only ``wanted`` columns; every row is counted."""
        if self.format == "parquet":
            return self._read_parquet(wanted)
        return self._read_csv(wanted)

    def _read_parquet(self, wanted: list[str]) -> Dataset:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            source = pa.BufferReader(self._buffer) if self._buffer is not None else self.path
            table = pq.ParquetFile(source).read(columns=wanted)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"cannot read Parquet data ({exc})", self.path) from None
        return Dataset(
            path=self.path,
            format="parquet",
            rows=table.num_rows,
            columns=self.columns,
            data={name: table.column(name) for name in wanted},
            notes=self.notes,
        )

    def _read_csv(self, wanted: list[str]) -> Dataset:
        import pyarrow as pa

        types = self._infer_types(wanted)
        for _attempt in range(4):
            try:
                table = self._parse(wanted, types)
                break
            except (EOFError, OSError) as exc:
                raise InputError(
                    f"the compressed file is truncated or corrupt ({exc})", self.path,
                    "re-download or re-export it",
                ) from None
            except pa.ArrowInvalid as exc:
                if "invalid UTF8" in str(exc) and self.encoding == "utf-8":
                    self.encoding = "latin-1"
                    self.notes.append(f"{self.path}: not valid UTF-8; read as latin-1")
                    continue
                widened = _widen(types, str(exc), wanted)
                if widened is None:
                    raise self._parse_error(exc) from None
                types = widened
        else:  # pragma: no cover - the widenings always reach string
            raise InputError("cannot parse the target column", self.path)
        if self.encoding == "utf-8" and not _valid_utf8(table):
            self.encoding = "latin-1"
            self.notes.append(f"{self.path}: not valid UTF-8; read as latin-1")
            table = self._parse(wanted, types)
        return Dataset(
            path=self.path,
            format=self.format,
            rows=table.num_rows,
            columns=self.columns,
            data={name: table.column(name) for name in wanted},
            delimiter=self.delimiter,
            encoding=self.encoding,
            decimal=self.decimal,
            compression=self.compression,
            notes=self.notes,
        )

    def _options(self, wanted: list[str], types: dict[str, pa.DataType] | None, block: int):
        import pyarrow.csv as pcsv

        return (
            pcsv.ReadOptions(encoding=self.encoding, block_size=block),
            pcsv.ParseOptions(
                delimiter=self.delimiter,
                newlines_in_values=self.quoted_newlines,
            ),
            pcsv.ConvertOptions(
                include_columns=wanted,
                column_types=types or {},
                decimal_point=self.decimal,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )

    def _parse(self, wanted: list[str], types: dict[str, pa.DataType]) -> pa.Table:
        import pyarrow.csv as pcsv

        read, parse, convert = self._options(wanted, types, 1 << 22)
        with self._stream() as stream:
            return pcsv.read_csv(
                stream, read_options=read, parse_options=parse, convert_options=convert
            )

    def _infer_types(self, wanted: list[str]) -> dict[str, pa.DataType]:
        """Infer the wanted columns' types on the sample only, so the full read can pin them."""
        import pyarrow as pa
        import pyarrow.csv as pcsv

        cut = self._sample.rfind(b"\n")
        sample = self._sample[: cut + 1] if cut >= 0 else self._sample
        if self.quoted_newlines:
            return {}  # a cut in the middle of a quoted value would mislead inference
        read, parse, convert = self._options(wanted, None, 1 << 22)
        try:
            table = pcsv.read_csv(
                pa.BufferReader(sample), read_options=read, parse_options=parse,
                convert_options=convert,
            )
        except pa.ArrowInvalid:
            return {}
        types = {}
        for name in wanted:
            kind = table.schema.field(name).type
            # A column that is all-null in the sample says nothing yet; let pyarrow decide.
            if not pa.types.is_null(kind):
                types[name] = kind
        return types

    def _parse_error(self, exc: Exception) -> InputError:
        message = str(exc)
        if "Expected" in message and "columns" in message:
            line, got, expected = self._find_ragged_row()
            return InputError(
                f"line {line} has {got} fields but the header has {expected}",
                self.path,
                "fix that row or quote values that contain the delimiter "
                f"{_show_delim(self.delimiter)}",
            )
        first = message.splitlines()[0] if message else type(exc).__name__
        return InputError(f"cannot parse the file ({first})", self.path)

    def row_position(self, row: int) -> str:
        """Where data row ``row`` (0-based, as pyarrow counts them) is: 'line N' of a text
        file, found by one scan that stops there (used only to name a problem value)."""
        if self.format == "parquet":
            return f"row {row + 1}"
        with self._stream() as stream:
            text = io.TextIOWrapper(_Readable(stream), encoding=self.encoding, errors="replace",
                                    newline="")
            reader = csv.reader(text, delimiter=self.delimiter or ",")
            seen = -2  # the header row takes -1: data rows count from 0
            for record in reader:
                seen += bool(record)  # pyarrow skips empty lines
                if seen == row:
                    return f"line {reader.line_num}"
        return f"data row {row + 1}"

    def _find_ragged_row(self) -> tuple[int, int, int]:
        """Locate the first row whose field count differs from the header (error path only)."""
        with self._stream() as stream:
            text = io.TextIOWrapper(_Readable(stream), encoding=self.encoding, errors="replace")
            reader = csv.reader(text, delimiter=self.delimiter or ",")
            expected = len(self.columns)
            for row in reader:
                if row and len(row) != expected:
                    return reader.line_num, len(row), expected
        return 0, 0, expected


class _Counting(io.RawIOBase):
    """A raw file that reports how many bytes were read (for the progress bar)."""

    def __init__(self, raw: Any, report: Callable[[int], None] | None):
        self._raw = raw
        self._report = report
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        count = self._raw.readinto(buffer)
        self._done += count or 0
        if self._report is not None:
            self._report(self._done)
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


class _Readable(io.RawIOBase):
    """Adapts a pyarrow stream to Python's io so the csv module can re-scan it."""

    def __init__(self, stream: pa.NativeFile):
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _widen(
    types: dict[str, pa.DataType], message: str, wanted: list[str]
) -> dict[str, pa.DataType] | None:
    """After a conversion error, relax the pinned type of the failing column one step."""
    import pyarrow as pa

    if "conversion error" not in message:
        return None
    for name in wanted:
        kind = types.get(name)
        if kind is None:
            continue
        index = wanted.index(name)
        # pyarrow names the column by its position among the included columns.
        if f"column #{index}" not in message and len(wanted) > 1:
            continue
        widened = dict(types)
        if pa.types.is_integer(kind) or pa.types.is_boolean(kind):
            widened[name] = pa.float64()
        elif kind != pa.string():
            widened[name] = pa.string()
        else:
            return None
        return widened
    return None


def _valid_utf8(table: pa.Table) -> bool:
    import pyarrow as pa

    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            try:
                column.validate(full=True)
            except pa.ArrowInvalid:
                return False
    return True


def _show_delim(delimiter: str | None) -> str:
    return {"\t": "(tab)", None: "','"}.get(delimiter, f"'{delimiter}'")


def open_table(path: str, stdin: io.BufferedReader | None = None) -> TableSource:
    """Open ``path`` (or ``-`` for stdin), detect its format and read its header.

    Raises :class:`InputError` for anything that is not a readable, non-empty table.
    """
    buffer: bytes | None = None
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        buffer = stream.read()
        head = buffer[:8]
        display = "<stdin>"
    else:
        p = Path(path)
        display = path
        if not p.exists():
            raise InputError("no such file", path, "check the path")
        if p.is_dir():
            raise InputError("is a directory, not a data file", path, "name a CSV or Parquet file")
        try:
            with p.open("rb") as fh:
                head = fh.read(8)
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror})", path) from None

    if head.startswith(_PARQUET_MAGIC) or (not head and path.endswith(".parquet")):
        return _open_parquet(display, path, buffer)
    if head.startswith(_ZIP_MAGIC):
        raise InputError(
            "is a zip archive (an Excel workbook?), not a CSV or Parquet file",
            display,
            "export the sheet as CSV",
        )
    compression = next((name for magic, name in _MAGIC.items() if head.startswith(magic)), None)
    source = TableSource(path=display, format="csv", columns=[], compression=compression)
    source._buffer = buffer
    if path != "-":
        source.path = path
    _sniff_text(source, path)
    return source


def _open_parquet(display: str, path: str, buffer: bytes | None) -> TableSource:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        target = pa.BufferReader(buffer) if buffer is not None else path
        schema = pq.ParquetFile(target).schema_arrow
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file ({exc})", display) from None
    source = TableSource(path=display, format="parquet", columns=list(schema.names))
    source._buffer = buffer
    if not source.columns:
        raise InputError("the Parquet file has no columns", display)
    return source


def _sniff_text(source: TableSource, path: str) -> None:
    """Fill in encoding, delimiter, decimal mark and header from the first block."""
    import pyarrow as pa

    try:
        with source._stream() as stream:
            sample = stream.read(SAMPLE_BYTES)
    except (pa.ArrowException, OSError, EOFError) as exc:
        raise InputError(f"cannot decompress ({exc})", source.path) from None
    if not sample.strip():
        raise InputError("is empty", source.path, "give a file with a header row and data rows")
    if b"\x00" in sample:
        raise InputError(
            "looks binary, not like a text table", source.path, "give a CSV, TSV or Parquet file"
        )
    source._sample = sample
    if sample.startswith(b"\xef\xbb\xbf"):
        sample = sample[3:]
    try:
        text = _decode_prefix(sample)
    except UnicodeDecodeError:
        source.encoding = "latin-1"
        source.notes.append(f"{source.path}: not valid UTF-8; read as latin-1")
        text = sample.decode("latin-1")
    # Split on line feeds only: str.splitlines() also breaks on \x85, \u2028 and other
    # separators that are ordinary characters inside a CSV value.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    source.quoted_newlines = '"' in text and _has_quoted_newline(text)
    source.delimiter = _sniff_delimiter(lines[:50], path)
    header = next(csv.reader([lines[0]], delimiter=source.delimiter))
    header = [name.strip() for name in header]
    if not any(header):
        raise InputError("the first line (the header) is blank", source.path)
    duplicates = sorted({n for n in header if header.count(n) > 1})
    if duplicates:
        raise InputError(
            f"duplicate column names in the header: {', '.join(duplicates)}",
            source.path,
            "give each column a unique name",
        )
    source.columns = header
    if not any(line.strip() for line in lines[1:]):
        raise InputError(
            "has a header but no data rows", source.path, "give a file with data rows"
        )
    source.decimal = _sniff_decimal(lines[1:50], source.delimiter)


def _decode_prefix(sample: bytes) -> str:
    """Decode as UTF-8, tolerating a multi-byte character cut at the end of the sample."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    return decoder.decode(sample, final=False)


def _has_quoted_newline(text: str) -> bool:
    """A line with an odd number of quotes opens a value that continues on the next line.

    The last sampled line may be cut anywhere, so it does not count.
    """
    lines = text.split("\n")[:-1]
    return any(line.count('"') % 2 for line in lines)


def _sniff_delimiter(lines: list[str], path: str) -> str:
    """Pick the delimiter that splits every sampled line into the same number (>1) of fields.

    Falls back on the extension (.tsv/.tab: tab, otherwise comma) for one-column files, as
    rich-cli does, because a single column has no delimiter to find.
    """
    lines = [line for line in lines if line.strip()]
    best, best_fields = None, 1
    for delimiter in DELIMITERS:
        counts = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        # The last sampled line may be cut mid-row; one outlier count is tolerated.
        if len(counts) == 1 or (len(counts) == 2 and len(lines) > 2):
            rows = list(csv.reader(lines, delimiter=delimiter))
            header = len(rows[0])
            consistent = sum(len(r) == header for r in rows) >= len(rows) - 1
            if consistent and header > best_fields:
                best, best_fields = delimiter, header
    if best is not None:
        return best
    name = path.lower()
    for suffix in (".gz", ".bz2", ".xz"):
        name = name.removesuffix(suffix)
    return "\t" if name.endswith((".tsv", ".tab")) else ","


def _sniff_decimal(lines: list[str], delimiter: str) -> str:
    """Decimal comma when the separator is not a comma and numbers look like '3,14'."""
    if delimiter == ",":
        return "."
    import re

    # Thousands groups count too: "1.398,07" has a decimal comma, "1,398.07" a decimal point.
    comma = re.compile(r"^-?(\d+|\d{1,3}(\.\d{3})+),\d+$")
    dot = re.compile(r"^-?(\d*|\d{1,3}(,\d{3})+)\.\d+([eE][-+]?\d+)?$")
    commas = dots = 0
    for row in csv.reader(lines, delimiter=delimiter):
        for value in row:
            value = value.strip()
            commas += bool(comma.match(value))
            dots += bool(dot.match(value))
    return "," if commas > dots else "."
