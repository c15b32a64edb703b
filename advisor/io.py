"""Read a table (CSV/TSV, compressed or not, Parquet, or stdin), parsing only the columns asked for.

The header is read first and cheaply (:func:`open_table`); the caller picks the target columns;
then :meth:`TableSource.read` parses just those. pyarrow does the parsing: the target's type is
inferred on the first block and pinned for the whole file, which keeps memory near the size of the
column itself instead of the whole file.

Columns are addressed by position, never by name, so any header cell is a legal name (empty,
repeated, a megabyte long, with quotes, markup or control characters). Every byte pyarrow reads
comes from a native stream (a file, native gzip/bz2, an Arrow-owned buffer): pyarrow reads ahead
on its own threads, and a read that called back into Python (a Python file object, the transcoding
of a non-UTF-8 file, a buffer owning a Python object) could still be running when the interpreter
exits, which aborts the process ("terminate called without an active exception"). Latin-1 text is
therefore read as bytes and transcoded here; xz, which pyarrow cannot decompress, is unpacked to
a temporary file first.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

MAX_RECORD_BYTES = 64 << 20
"""The longest header or row accepted (bytes). Longer ones are an input error: no real table has
them, and a file that is one endless line must not be read without end."""

DELIMITERS = (",", ";", "\t", "|")
csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))
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
    _buffer: pa.Buffer | None = None  # stdin contents, Arrow-owned (files are re-opened)
    _sample: bytes = b""
    _file: str | None = None  # what is opened: the path, or the unpacked copy of an xz file
    _skip: int = 0  # blank lines before the header
    _header_rows: int = 1  # rows pyarrow sees in the header (a bare CR in a name splits it)
    _block: int = 1 << 22  # pyarrow's block size: grows for rows longer than a block
    _unpacked: Any = None  # the temporary folder holding an unpacked xz file
    filesystem: Any = None
    """A pyarrow.fs filesystem for URIs (s3://, gs://, file://); None for local paths."""
    fs_path: str = ""
    """The path inside ``filesystem``."""
    schema: Any = None
    """The Arrow schema of a Parquet file (pinned across the files of a dataset)."""
    progress: Callable[[int], None] | None = None
    """Called with the number of (compressed) bytes read so far, when set."""

    # -- opening ---------------------------------------------------------------------------
    def _open(self) -> tuple[pa.NativeFile, pa.NativeFile]:
        """A fresh native byte stream of the (decompressed) file, and the raw file under it:
        no Python code runs when pyarrow's threads read them."""
        import pyarrow as pa

        if self._buffer is not None:
            raw = pa.BufferReader(self._buffer)
        elif self.filesystem is not None and self._file is None:
            raw = self.filesystem.open_input_file(self.fs_path)
        else:
            raw = pa.OSFile(self._file or self.path)
        if self.compression in ("gzip", "bz2") and self._file is None:
            return pa.CompressedInputStream(raw, self.compression), raw
        return raw, raw

    def _stream(self) -> pa.NativeFile:
        return self._open()[0]

    @contextmanager
    def _reading(self) -> Iterator[pa.NativeFile]:
        """The stream, with the progress callback fed by a Python thread of our own that
        polls how far the file descriptor has been read: nothing runs on pyarrow's threads."""
        import threading

        stream, raw = self._open()
        with stream, raw:
            if self.progress is None or self._buffer is not None or self._file is not None:
                yield stream  # (an unpacked xz copy is not the file the bar measures)
                return
            fileno = _fileno(raw)
            done = threading.Event()
            report = self.progress

            def poll() -> None:
                while not done.wait(0.1):
                    report(_offset(fileno))

            poller = threading.Thread(target=poll, daemon=True)
            poller.start()
            try:
                yield stream
            finally:
                done.set()
                poller.join()
                report(_offset(fileno))

    def total_bytes(self) -> int:
        """Bytes of input (compressed, for compressed files): the progress bar's 100%."""
        if self._buffer is not None:
            return self._buffer.size
        try:
            if self.filesystem is not None:
                return int(self.filesystem.get_file_info(self.fs_path).size or 0)
            return Path(self.path).stat().st_size
        except OSError:
            return 0

    def estimated_rows(self) -> int:
        """Rows the file probably holds, from the sample's bytes per line (for the choice
        between reading the target into memory and streaming it)."""
        if self.format == "parquet":
            return self._parquet().metadata.num_rows
        lines = max(self._sample.count(b"\n"), 1)
        per_line = max(len(self._sample) / lines, 1.0)
        ratio = 4.0 if self.compression else 1.0  # CSV typically compresses 3-5x
        return int(self.total_bytes() * ratio / per_line)

    def _parquet(self):
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._buffer is not None:
            return pq.ParquetFile(pa.BufferReader(self._buffer))
        if self.filesystem is not None:
            return pq.ParquetFile(self.filesystem.open_input_file(self.fs_path))
        return pq.ParquetFile(self.path)

    def _positions(self, wanted: list[str]) -> list[str]:
        """pyarrow's names for the wanted columns: their positions (see the module doc)."""
        return [f"f{self.columns.index(name)}" for name in wanted]

    def batches(self, wanted: list[str]) -> Iterator[pa.RecordBatch]:
        """Stream the wanted columns in record batches (bounded memory).

        The column types are pinned from the first block; a later value that does not fit
        raises :class:`TypeWidened` so the caller can start over with the wider type.
        """
        import pyarrow as pa
        import pyarrow.csv as pcsv

        if self.format == "parquet":
            yield from self._parquet().iter_batches(columns=wanted, batch_size=1 << 16)
            return
        if self._stream_types is None:
            self._stream_types = self._infer_types(wanted)
        read, parse, convert = self._options(wanted, self._stream_types,
                                             max(STREAM_BLOCK, self._block // 2))
        try:
            with self._reading() as stream:
                reader = pcsv.open_csv(stream, read_options=read, parse_options=parse,
                                       convert_options=convert)
                try:
                    for batch in reader:
                        yield self._decoded(batch)
                finally:
                    reader.close()
        except (EOFError, OSError) as exc:
            raise InputError(f"the compressed file is truncated or corrupt ({exc})",
                             self.path, "re-download or re-export it") from None
        except pa.ArrowInvalid as exc:
            if self._retry(exc):
                raise TypeWidened(str(exc)) from None
            widened = _widen(self._stream_types, str(exc), wanted)
            if widened is None:
                raise self._parse_error(exc) from None
            self._stream_types = widened
            raise TypeWidened(str(exc)) from None

    _stream_types: dict | None = None

    def _retry(self, exc: Exception) -> bool:
        """Adapt to what a failed parse revealed (a row longer than the block, bytes that are
        not UTF-8); True when a new attempt may succeed."""
        message = str(exc)
        if "straddling" in message or "straddle" in message:
            if self._block >= MAX_RECORD_BYTES:
                raise InputError(
                    f"a row is longer than {MAX_RECORD_BYTES >> 20} MB", self.path,
                    "is this really a table? split the long values out of it",
                ) from None
            self._block = min(self._block * 4, MAX_RECORD_BYTES)
            return True
        if "invalid UTF8" in message and self.encoding == "utf-8":
            self.encoding = "latin-1"
            self.notes.append(f"{self.path}: not valid UTF-8; read as latin-1")
            self._stream_types = None
            return True
        return False

    # -- reading ---------------------------------------------------------------------------
    def read(self, wanted: list[str]) -> Dataset:
        """Parse only ``wanted`` columns; every row is counted."""
        if self.format == "parquet":
            return self._read_parquet(wanted)
        return self._read_csv(wanted)

    def _read_parquet(self, wanted: list[str]) -> Dataset:
        import pyarrow as pa

        try:
            table = self._parquet().read(columns=wanted)
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
        for _attempt in range(8):
            try:
                table = self._parse(wanted, types)
                break
            except (EOFError, OSError) as exc:
                raise InputError(
                    f"the compressed file is truncated or corrupt ({exc})", self.path,
                    "re-download or re-export it",
                ) from None
            except pa.ArrowInvalid as exc:
                if self._retry(exc):
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
            data={name: table.column(i) for i, name in enumerate(wanted)},
            delimiter=self.delimiter,
            encoding=self.encoding,
            decimal=self.decimal,
            compression=self.compression,
            notes=self.notes,
        )

    def _options(self, wanted: list[str], types: dict[str, pa.DataType] | None, block: int):
        import pyarrow as pa
        import pyarrow.csv as pcsv

        positions = self._positions(wanted)
        pinned = {positions[wanted.index(name)]: kind for name, kind in (types or {}).items()}
        if self.encoding != "utf-8":
            # Text is read as bytes and transcoded by _decoded: pyarrow would call back into
            # Python's codecs from its reading threads.
            pinned = {**{p: pa.binary() for p in positions},
                      **{p: k for p, k in pinned.items() if not _is_text(k)}}
        return (
            pcsv.ReadOptions(block_size=block, skip_rows=self._skip,
                             column_names=[f"f{i}" for i in range(len(self.columns))],
                             skip_rows_after_names=self._header_rows),
            pcsv.ParseOptions(
                delimiter=self.delimiter,
                newlines_in_values=self.quoted_newlines,
            ),
            pcsv.ConvertOptions(
                include_columns=positions,
                column_types=pinned,
                decimal_point=self.decimal,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )

    def _parse(self, wanted: list[str], types: dict[str, pa.DataType]) -> pa.Table:
        import pyarrow as pa
        import pyarrow.csv as pcsv

        read, parse, convert = self._options(wanted, types, self._block)
        with self._reading() as stream:
            table = pcsv.read_csv(
                stream, read_options=read, parse_options=parse, convert_options=convert
            )
        return pa.table([_latin1_to_utf8(c) for c in table.columns], names=wanted)

    def _decoded(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        import pyarrow as pa

        if self.encoding == "utf-8":
            return batch
        columns = [_latin1_to_utf8(batch.column(i)) for i in range(batch.num_columns)]
        return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)

    def _infer_types(self, wanted: list[str]) -> dict[str, pa.DataType]:
        """Infer the wanted columns' types on the sample only, so the full read can pin them."""
        import pyarrow as pa
        import pyarrow.csv as pcsv

        cut = max(self._sample.rfind(b"\n"), self._sample.rfind(b"\r"))
        sample = self._sample[: cut + 1] if cut >= 0 else self._sample
        if self.quoted_newlines:
            return {}  # a cut in the middle of a quoted value would mislead inference
        read, parse, convert = self._options(wanted, None, max(len(sample), 1 << 16) + 1)
        try:
            table = pcsv.read_csv(
                pa.BufferReader(_owned(sample)), read_options=read, parse_options=parse,
                convert_options=convert,
            )
        except pa.ArrowInvalid:
            return {}
        types = {}
        for index, name in enumerate(wanted):
            kind = table.schema.field(index).type
            # A column that is all-null in the sample says nothing yet; let pyarrow decide.
            if not pa.types.is_null(kind) and not pa.types.is_binary(kind):
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
        return InputError(f"cannot parse the file ({first[:200]})", self.path)

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, fields) of every record, scanned by the csv module on this thread
        (error paths only: locating a row pyarrow named by its content or index)."""
        with self._stream() as stream:
            text = io.TextIOWrapper(_Readable(stream), encoding=self.encoding, errors="replace",
                                    newline="")
            reader = csv.reader(text, delimiter=self.delimiter or ",")
            try:
                for record in reader:
                    yield reader.line_num, record
            except csv.Error:
                return

    def row_position(self, row: int) -> str:
        """Where data row ``row`` (0-based, as pyarrow counts them) is: 'line N' of a text
        file, found by one scan that stops there (used only to name a problem value)."""
        if self.format == "parquet":
            return f"row {row + 1}"
        seen = -2  # the header row takes -1: data rows count from 0
        for line, record in self._records():
            seen += bool(record)  # pyarrow skips empty lines
            if seen == row:
                return f"line {line}"
        return f"data row {row + 1}"

    def first_line_holding(self, name: str, values: set[str]) -> str | None:
        """'line N' of the first row whose ``name`` field (trimmed) is one of ``values``: one
        scan that stops there, for naming a stray value the streamed pass only counted."""
        if self.format == "parquet":
            return None
        index, header = self.columns.index(name), self._header_rows
        for line, record in self._records():
            if header:
                header -= bool(record)
            elif len(record) > index and record[index].strip() in values:
                return f"line {line}"
        return None

    def _find_ragged_row(self) -> tuple[int, int, int]:
        """Locate the first row whose field count differs from the header (error path only)."""
        expected = len(self.columns)
        for line, record in self._records():
            if record and len(record) != expected:
                return line, len(record), expected
        return 0, 0, expected


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


def _fileno(stream: Any) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError, NotImplementedError):
        return None


def _offset(fileno: int | None) -> int:
    """How far the file descriptor has been read, without touching it (progress only)."""
    if fileno is None:
        return 0
    try:
        return os.lseek(fileno, 0, os.SEEK_CUR)
    except OSError:
        return 0


def _is_text(kind: pa.DataType) -> bool:
    import pyarrow as pa

    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _latin1_to_utf8(column):
    """Transcode a binary column of latin-1 text to UTF-8 strings, vectorised: every byte
    from 0x80 becomes two bytes, so new offsets are the old ones plus the high bytes before."""
    import numpy as np
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        return pa.chunked_array([_latin1_to_utf8(chunk) for chunk in column.chunks],
                                type=pa.string() if pa.types.is_binary(column.type)
                                else column.type)
    if not pa.types.is_binary(column.type):
        return column
    validity, offsets_buffer, data_buffer = column.buffers()
    start = column.offset
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[: start + len(column) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer else np.empty(0, np.uint8)
    data = data[: offsets[-1]]
    high = data >= 0x80
    before = np.concatenate([[0], np.cumsum(high, dtype=np.int64)])
    out = np.empty(data.shape[0] + int(before[-1]), dtype=np.uint8)
    position = np.arange(data.shape[0]) + before[:-1]
    out[position] = np.where(high, 0xC0 | (data >> 6), data)
    out[position[high] + 1] = 0x80 | (data[high] & 0x3F)
    new_offsets = offsets + before[offsets]
    return pa.Array.from_buffers(
        pa.string(), len(column),
        [validity, _arrow_owned(new_offsets.astype(np.int32)), _arrow_owned(out)],
        null_count=column.null_count, offset=start,
    )


def _owned(data: bytes) -> pa.Buffer:
    """``data`` copied into memory Arrow owns: a buffer over a Python bytes object is freed by
    whichever pyarrow thread drops it last, which then needs the interpreter (see the module
    doc)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    sink.write(data)
    return sink.getvalue()


def _arrow_owned(array):
    """Copy a numpy array into memory Arrow owns, so no Python object is ever released by one
    of pyarrow's threads (see the module doc)."""
    import numpy as np
    import pyarrow as pa

    buffer = pa.allocate_buffer(array.nbytes)
    np.frombuffer(buffer, dtype=np.uint8)[:] = array.view(np.uint8)
    return buffer


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


def is_uri(path: str) -> bool:
    """A pyarrow.fs URI (s3://, gs://, hdfs://, file://), not a local path."""
    scheme, sep, _ = path.partition("://")
    return bool(sep) and scheme.isidentifier()


def filesystem_of(uri: str) -> tuple[Any, str]:
    """The pyarrow filesystem and inner path of a URI; a clear error when unavailable."""
    import pyarrow as pa
    import pyarrow.fs as pafs

    try:
        return pafs.FileSystem.from_uri(uri)
    except (pa.ArrowException, ValueError, OSError) as exc:
        raise InputError(f"cannot open this URI ({str(exc).splitlines()[0]})", uri,
                         "check the scheme and credentials, or copy the files locally"
                         ) from None


STDIN_BLOCK = 1 << 20


def open_table(path: str, stdin: io.BufferedReader | None = None,
               progress: Callable[[int], None] | None = None) -> TableSource:
    """Open ``path`` (``-`` for stdin, or a pyarrow.fs URI), detect its format and read its
    header.

    stdin is read whole here, in blocks, telling ``progress`` the bytes read so far.

    Raises :class:`InputError` for anything that is not a readable, non-empty table.
    """
    buffer: pa.Buffer | None = None
    filesystem, fs_path = None, ""
    display = path
    if path == "-":
        buffer = _read_stdin(stdin if stdin is not None else sys.stdin.buffer, progress)
        head = buffer.to_pybytes()[:8] if buffer.size else b""
        display = "<stdin>"
    elif is_uri(path):
        filesystem, fs_path = filesystem_of(path)
        head = _remote_head(filesystem, fs_path, path)
    else:
        p = Path(path)
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
        return _open_parquet(display, path, buffer, filesystem, fs_path)
    if head.startswith(_ZIP_MAGIC):
        raise InputError(
            "is a zip archive (an Excel workbook?), not a CSV or Parquet file",
            display,
            "export the sheet as CSV",
        )
    compression = next((name for magic, name in _MAGIC.items() if head.startswith(magic)), None)
    source = TableSource(path=display, format="csv", columns=[], compression=compression)
    source._buffer, source.filesystem, source.fs_path = buffer, filesystem, fs_path
    if compression == "xz":
        _unpack_xz(source)
    _sniff_text(source, path)
    return source


def _remote_head(filesystem: Any, fs_path: str, uri: str) -> bytes:
    """The first bytes of a file on a pyarrow filesystem (format detection)."""
    import pyarrow as pa
    import pyarrow.fs as pafs

    info = filesystem.get_file_info(fs_path)
    if info.type == pafs.FileType.NotFound:
        raise InputError("no such file", uri, "check the path")
    if info.type == pafs.FileType.Directory:
        raise InputError("is a directory, not a data file", uri, "name a CSV or Parquet file")
    try:
        with filesystem.open_input_stream(fs_path) as fh:
            return fh.read(8)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"cannot read ({exc})", uri) from None


def _read_stdin(stream: Any, progress: Callable[[int], None] | None = None) -> pa.Buffer:
    """All of stdin in a buffer Arrow owns (a Python bytes object must not reach pyarrow),
    telling ``progress`` the bytes read so far."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    done = 0
    while chunk := stream.read(STDIN_BLOCK):
        sink.write(chunk)
        done += len(chunk)
        if progress is not None:
            progress(done)
    return sink.getvalue()


def _unpack_xz(source: TableSource) -> None:
    """pyarrow has no xz codec, and a Python decompressor handed to pyarrow would run on its
    threads: unpack to a temporary file here, in bounded memory, and read that."""
    import lzma
    import shutil
    import tempfile

    folder = tempfile.TemporaryDirectory(prefix="lossadvisor-")
    target = Path(folder.name) / "unpacked.csv"
    raw: Any = (io.BytesIO(source._buffer.to_pybytes()) if source._buffer is not None
                else source.path)
    if source.filesystem is not None:
        raw = source.filesystem.open_input_stream(source.fs_path)
    try:
        with lzma.open(raw, "rb") as packed, target.open("wb") as out:
            shutil.copyfileobj(packed, out, 1 << 20)
    except (lzma.LZMAError, EOFError, OSError) as exc:
        folder.cleanup()
        raise InputError(f"the compressed file is truncated or corrupt ({exc})", source.path,
                         "re-download or re-export it") from None
    source._unpacked, source._file, source._buffer = folder, str(target), None


def _open_parquet(display: str, path: str, buffer: pa.Buffer | None, filesystem: Any = None,
                  fs_path: str = "") -> TableSource:
    import pyarrow as pa

    source = TableSource(path=display, format="parquet", columns=[])
    source._buffer, source.filesystem, source.fs_path = buffer, filesystem, fs_path
    try:
        schema = source.schema = source._parquet().schema_arrow
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file ({exc})", display) from None
    source.columns = list(schema.names)
    if not source.columns:
        raise InputError("the Parquet file has no columns", display)
    return source


def _read_head(source: TableSource) -> tuple[bytes, int]:
    """The whole header record (up to MAX_RECORD_BYTES) and SAMPLE_BYTES after it, and the
    number of blank lines before the header. Reads grow geometrically, so a long header costs
    linear time."""
    import pyarrow as pa

    try:
        with source._stream() as stream:
            data = bytearray(stream.read(SAMPLE_BYTES))
            skip, _, end = _header_end(data)
            while end is None:
                if len(data) >= MAX_RECORD_BYTES:
                    raise InputError(
                        f"the first line (the header) is longer than {MAX_RECORD_BYTES >> 20} "
                        "MB", source.path, "is this really a table? give a CSV or TSV file")
                chunk = stream.read(min(len(data), MAX_RECORD_BYTES - len(data)))
                if not chunk:
                    break
                data += chunk
                skip, _, end = _header_end(data)
            if end is not None and len(data) - end < SAMPLE_BYTES:
                data += stream.read(SAMPLE_BYTES - (len(data) - end))
    except (pa.ArrowException, OSError, EOFError) as exc:
        raise InputError(f"cannot decompress ({exc})", source.path) from None
    return bytes(data), skip


def _header_end(data: bytes | bytearray) -> tuple[int, int, int | None]:
    """(blank lines before the header, offset of the header, offset just past it or None when
    it does not end within ``data``).

    Quoting follows the csv module, which agrees with pyarrow (a quote opens a value only at
    its start). In a file whose lines end in LF, a bare CR is a character of the header
    (Python's csv writer leaves it unquoted); in an old-Mac file it ends the line. Latin-1
    decoding keeps one character per byte, so offsets are byte offsets.
    """
    text = bytes(data).decode("latin-1")
    breaks = _LF if "\n" in text else _LINE_BREAK
    skip = begin = 0
    while blank := breaks.match(text, begin):
        skip, begin = skip + 1, blank.end()
    lines = _lines(text, begin, breaks)
    body = text[begin:].replace("\r", "\x00") if breaks is _LF else text[begin:]
    # Quoting depends on the delimiter and a name may hold a line break, so the first physical
    # line alone can mislead ('||,"0<LF>0"' has more '|' than ','): prefer the delimiter the
    # first records agree on, as the file's own sniffing does.
    delimiter = _consistent_delimiter(body) or _first_line_delimiter(text[begin:])
    reader = csv.reader((line.replace("\r", "\x00") if breaks is _LF else line
                         for line in lines), delimiter=delimiter)
    try:
        next(reader)
    except (StopIteration, csv.Error):
        return skip, begin, None
    end = begin + sum(len(line) for line in lines[: reader.line_num])
    if end == len(text) and not breaks.search(text[-2:]):
        return skip, begin, None  # the data ended inside the header, not after it
    return skip, begin, end


def _lines(text: str, begin: int, breaks: re.Pattern) -> list[str]:
    """``text`` from ``begin`` cut after each line break, ends kept."""
    lines, start = [], begin
    for match in breaks.finditer(text, begin):
        lines.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def _first_line_delimiter(text: str) -> str:
    """The delimiter the first line most likely uses (for where the header ends; quoting
    depends on where values start)."""
    line = text[: min((i for i in (text.find("\n"), text.find("\r")) if i >= 0),
                      default=len(text))]
    return max(DELIMITERS, key=line.count)


_LINE_BREAK = re.compile("\r\n?|\n")
_LF = re.compile("\r?\n")


def _header_names(header: str, delimiter: str) -> tuple[list[str], int]:
    """The header's names, and how many rows pyarrow sees in it: each bare CR outside quotes
    starts a new one there (pyarrow skips that many rows, then reads data)."""
    line = header.rstrip("\n").removesuffix("\r")
    # The csv module refuses a CR inside an unquoted value; NUL stands in for it (a file
    # holding NUL was refused as binary already).
    try:
        names = next(csv.reader([line.replace("\r", "\x00")], delimiter=delimiter), [])
    except csv.Error:
        names = line.split(delimiter)
    if "\r" not in line:
        return names, 1
    value = re.compile(f'("(?:[^"]|"")*")?([^{re.escape(delimiter)}]*)')
    pieces, start = 1, 0
    while start <= len(line):  # CRs outside a value's quotes
        match = value.match(line, start)
        pieces += match.group(2).count("\r")
        start = match.end() + 1
    return [name.replace("\x00", "\r") for name in names], pieces


def _sniff_text(source: TableSource, path: str) -> None:
    """Fill in encoding, delimiter, decimal mark and header from the first block."""
    sample, source._skip = _read_head(source)
    if not sample.strip():
        raise InputError("is empty", source.path, "give a file with a header row and data rows")
    if b"\x00" in sample:
        raise InputError(
            "looks binary, not like a text table", source.path, "give a CSV, TSV or Parquet file"
        )
    source._sample = sample
    _, begin, end = _header_end(sample)
    end = len(sample) if end is None else end
    try:
        header, rest = sample[begin:end].decode("utf-8"), _decode_prefix(sample[end:])
    except UnicodeDecodeError:
        source.encoding = "latin-1"
        source.notes.append(f"{source.path}: not valid UTF-8; read as latin-1")
        header, rest = sample[begin:end].decode("latin-1"), sample[end:].decode("latin-1")
    header = header.removeprefix("\ufeff")
    line = header.rstrip("\n").removesuffix("\r")
    source.delimiter = _sniff_delimiter(line.replace("\r", " ") + "\n" + rest, path)
    names, source._header_rows = _header_names(header, source.delimiter)
    records = _records(rest, source.delimiter, 50)
    source.quoted_newlines = any("\n" in value or "\r" in value
                                 for record in records for value in record) or (
        "\r" in line or '"' in line and "\n" in header.rstrip("\n"))
    source.columns = [name.strip() for name in names]
    if not any(source.columns):
        raise InputError("the first line (the header) is blank", source.path)
    if not any(any(value.strip() for value in record) for record in records):
        raise InputError(
            "has a header but no data rows", source.path, "give a file with data rows"
        )
    source.decimal = _sniff_decimal(records, source.delimiter)


def _records(text: str, delimiter: str, limit: int) -> list[list[str]]:
    """The first ``limit`` non-empty records of the sample, parsed like pyarrow parses them:
    line breaks are \\n, \\r\\n or a lone \\r, and quoted values may hold them. The sample may
    end inside a record; what was parsed before that is kept."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        for record in reader:
            if record:
                records.append(record)
                if len(records) == limit:
                    break
    except csv.Error:
        pass
    return records


def _decode_prefix(sample: bytes) -> str:
    """Decode as UTF-8, tolerating a multi-byte character cut at the end of the sample."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    return decoder.decode(sample, final=False)


def _sniff_delimiter(text: str, path: str) -> str:
    """Pick the delimiter that splits every sampled record into the same number (>1) of fields.

    Falls back on the extension (.tsv/.tab: tab, otherwise comma) for one-column files, as
    rich-cli does, because a single column has no delimiter to find.
    """
    best = _consistent_delimiter(text)
    if best is not None:
        return best
    name = path.lower()
    for suffix in (".gz", ".bz2", ".xz"):
        name = name.removesuffix(suffix)
    return "\t" if name.endswith((".tsv", ".tab")) else ","


def _consistent_delimiter(text: str) -> str | None:
    """The delimiter that splits the first records of ``text`` into the same number (>1) of
    fields, the most fields winning; None when no delimiter does."""
    best, best_fields = None, 1
    for delimiter in DELIMITERS:
        rows = _records(text, delimiter, 50)
        if not rows:
            continue
        counts = {len(row) for row in rows}
        # The last sampled record may be cut mid-row; one outlier count is tolerated.
        if len(counts) == 1 or (len(counts) == 2 and len(rows) > 2):
            header = len(rows[0])
            consistent = sum(len(r) == header for r in rows) >= len(rows) - 1
            if consistent and header > best_fields:
                best, best_fields = delimiter, header
    return best


def _sniff_decimal(rows: list[list[str]], delimiter: str) -> str:
    """Decimal comma when the separator is not a comma and numbers look like '3,14'."""
    if delimiter == ",":
        return "."
    # Thousands groups count too: "1.398,07" has a decimal comma, "1,398.07" a decimal point.
    comma = re.compile(r"^-?(\d+|\d{1,3}(\.\d{3})+),\d+$")
    dot = re.compile(r"^-?(\d*|\d{1,3}(,\d{3})+)\.\d+([eE][-+]?\d+)?$")
    commas = dots = 0
    for row in rows:
        for value in row:
            value = value.strip()
            commas += bool(comma.match(value))
            dots += bool(dot.match(value))
    return "," if commas > dots else "."
