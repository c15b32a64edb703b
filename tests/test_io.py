"""Reading tables: formats, compression, encodings, delimiters, and every way a file can be bad."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import lzma

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from advisor.errors import InputError
from advisor.io import open_table

CSV = "a,b,y\n1,x,0.5\n2,y,1.5\n3,z,2.5\n"


def read(path: str, columns: list[str], stdin=None):
    source = open_table(path, stdin=stdin)
    return source, source.read(columns)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_sniffs_each_delimiter(write, delimiter):
    text = CSV.replace(",", delimiter)
    source, data = read(write("data.txt", text), ["y"])
    assert source.delimiter == delimiter
    assert source.columns == ["a", "b", "y"]
    assert data.data["y"].to_pylist() == [0.5, 1.5, 2.5]


def test_single_column_falls_back_on_the_extension(write):
    source, data = read(write("one.tsv", "y\n1\n2\n"), ["y"])
    assert source.delimiter == "\t"
    assert data.rows == 2


def test_reads_only_the_requested_columns(write):
    _source, data = read(write("data.csv", CSV), ["y"])
    assert list(data.data) == ["y"]
    assert data.columns == ["a", "b", "y"]
    assert data.rows == 3


@pytest.mark.parametrize("compress,name", [(gzip.compress, "gzip"), (bz2.compress, "bz2"),
                                           (lzma.compress, "xz")])
def test_compressed_csv_is_detected_by_content(write, compress, name):
    source, data = read(write("data.csv.anything", compress(CSV.encode())), ["y"])
    assert source.compression == name
    assert data.data["y"].to_pylist() == [0.5, 1.5, 2.5]


def test_parquet_reads_only_the_target(tmp_path):
    path = tmp_path / "data.parquet"
    pq.write_table(pa.table({"x": [1, 2, 3], "label": ["a", "b", "a"]}), path)
    source, data = read(str(path), ["label"])
    assert source.format == "parquet"
    assert source.columns == ["x", "label"]
    assert data.data["label"].to_pylist() == ["a", "b", "a"]


def test_stdin_csv_and_parquet():
    source, data = read("-", ["y"], stdin=io.BytesIO(CSV.encode()))
    assert source.path == "<stdin>" and data.rows == 3
    buffer = io.BytesIO()
    pq.write_table(pa.table({"y": [1.0, 2.0]}), buffer)
    source, data = read("-", ["y"], stdin=io.BytesIO(buffer.getvalue()))
    assert source.format == "parquet" and data.rows == 2


def test_utf8_bom_is_not_part_of_the_first_name(write):
    source, _ = read(write("bom.csv", b"\xef\xbb\xbf" + CSV.encode()), ["a"])
    assert source.columns[0] == "a"


def test_latin1_fallback_with_a_note(write):
    text = "name,y\nJos\xe9,1\nRen\xe9e,2\n".encode("latin-1")
    source, data = read(write("latin.csv", text), ["name"])
    assert source.encoding == "latin-1"
    assert any("latin-1" in n for n in source.notes)
    assert data.data["name"].to_pylist() == ["José", "Renée"]


def test_invalid_utf8_beyond_the_sample_is_reread_as_latin1(write):
    body = "".join(f"v{i},{i}\n" for i in range(40_000))
    text = ("name,y\n" + body).encode() + b"caf\xe9,1\n"
    source, data = read(write("late.csv", text), ["name"])
    assert data.encoding == "latin-1"
    assert data.data["name"].to_pylist()[-1] == "café"


def test_european_csv_decimal_commas(write):
    text = "preis;menge\n1,5;3\n2,25;4\n-0,75;5\n"
    source, data = read(write("eu.csv", text), ["preis"])
    assert source.delimiter == ";" and source.decimal == ","
    assert data.data["preis"].to_pylist() == [1.5, 2.25, -0.75]


def test_type_pinned_on_the_first_block_widens_when_later_rows_disagree(write):
    rows = "".join(f"{i},{i}\n" for i in range(60_000))
    text = "x,y\n" + rows + "1,2.5\n"
    _, data = read(write("widen.csv", text), ["y"])
    assert data.data["y"].type == pa.float64()
    assert data.data["y"].to_pylist()[-1] == 2.5


def test_quoted_newlines_are_kept_inside_values(write):
    text = 'note,y\n"line one\nline two",1\nplain,0\n'
    _, data = read(write("quoted.csv", text), ["y"])
    assert data.rows == 2


@pytest.mark.parametrize(
    "content,message",
    [
        ("", "is empty"),
        ("   \n\n", "is empty"),
        ("a,b,y\n", "header but no data rows"),
        (b"\x00\x01\x02\x03binary\xff\xfe", "looks binary"),
        (b"PK\x03\x04rest-of-a-zip", "zip archive"),
    ],
)
def test_bad_files_are_input_errors(write, content, message):
    with pytest.raises(InputError, match=message):
        read(write("bad.csv", content), ["y"])


def test_ragged_row_names_its_line(write):
    path = write("ragged.csv", "a,b,y\n1,2,3\n4,5,6,7\n8,9,10\n")
    with pytest.raises(InputError, match="line 3 has 4 fields but the header has 3"):
        read(path, ["y"])


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_table(str(tmp_path / "nope.csv"))
    with pytest.raises(InputError, match="is a directory"):
        open_table(str(tmp_path))


def test_truncated_gzip_is_an_input_error(write):
    rows = "".join(f"{i * 7919 % 10007},{i * 104729 % 1000003}\n" for i in range(50_000))
    whole = gzip.compress(("a,y\n" + rows).encode())
    data = whole[: len(whole) // 2]
    with pytest.raises(InputError):
        read(write("cut.csv.gz", data), ["y"])


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

cell_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF,
                                          exclude_characters='"'),
                    min_size=1, max_size=12).filter(lambda s: s.strip() == s and s.strip())


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([",", ";", "\t", "|"]),
    st.lists(st.tuples(st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3)),
                       cell_text.map(lambda s: "L" + s)), min_size=2, max_size=60),
)
def test_written_tables_read_back(tmp_path_factory, delimiter, rows):
    """Any table the csv module writes, with any delimiter and quoting, reads back intact."""
    import csv as pycsv

    path = tmp_path_factory.mktemp("rt") / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = pycsv.writer(fh, delimiter=delimiter, lineterminator="\n")
        writer.writerow(["num", "label"])
        writer.writerows(rows)
    source = open_table(str(path))
    assert source.columns == ["num", "label"] and source.delimiter == delimiter
    data = source.read(["num", "label"])
    assert data.rows == len(rows)
    assert data.data["num"].to_pylist() == pytest.approx([r[0] for r in rows])
    assert data.data["label"].to_pylist() == [r[1] for r in rows]


# -- hostile shapes: long fields, wide and odd headers, encodings, every reading path -------
def test_fields_beyond_the_csv_modules_limit_are_read(write):
    big = "x" * 5_000_000  # Python's csv module stops at 131,072 characters
    path = write("big.csv", f'text,y\n"{big}",1\n' + "short,0\n" * 20)
    source, data = read(path, ["text", "y"])
    assert data.rows == 21 and data.data["text"][0].as_py() == big


def test_a_hundred_thousand_columns_and_a_megabyte_name(write):
    names = [f"c{i}" for i in range(100_000)] + ["y"]
    wide = write("wide.csv", ",".join(names) + "\n" + ("1," * 100_000 + "0\n") * 3)
    source, data = read(wide, ["y"])
    assert len(source.columns) == 100_001 and data.data["y"].to_pylist() == [0, 0, 0]
    long_name = "n" * 1_000_000
    path = write("long.csv", f"{long_name},y\n1,2\n3,4\n")
    source, data = read(path, [long_name])
    assert source.columns[0] == long_name and data.data[long_name].to_pylist() == [1, 3]


def test_an_endless_first_line_is_refused_within_the_bound(write, monkeypatch):
    import advisor.io as io_module

    monkeypatch.setattr(io_module, "MAX_RECORD_BYTES", 1 << 20)
    path = write("endless.csv.gz", gzip.compress(b"a," * (2 << 20)))
    with pytest.raises(InputError, match="the first line .* is longer than 1 MB"):
        open_table(path)


def test_a_row_longer_than_the_bound_is_refused(write, monkeypatch):
    import advisor.io as io_module

    monkeypatch.setattr(io_module, "MAX_RECORD_BYTES", 1 << 22)
    # pyarrow takes a row of up to two blocks; the block grows up to the bound, then stops.
    path = write("longrow.csv", "a,y\n" + "1,2\n" * 10 + f'"{"x" * (9 << 20)}",3\n')
    with pytest.raises(InputError, match="a row is longer than 4 MB"):
        read(path, ["y"])


def test_empty_and_repeated_header_names_elsewhere_are_fine(write):
    path = write("blank.csv", ",a,,a,y\n1,2,3,4,5\n6,7,8,9,10\n")
    source, data = read(path, ["y"])
    assert source.columns == ["", "a", "", "a", "y"] and data.data["y"].to_pylist() == [5, 10]


def test_quoted_line_breaks_in_the_header_and_old_mac_line_ends(write):
    quoted = write("q.csv", 'id,"a\rb","c\nd",y\n1,2,3,4\n5,6,7,8\n')
    source, data = read(quoted, ["a\rb", "c\nd"])
    assert data.data["a\rb"].to_pylist() == [2, 6] and data.data["c\nd"].to_pylist() == [3, 7]
    # Python's csv writer leaves a lone CR unquoted; in a file of LF lines it is part of a name.
    bare = write("bare.csv", "id,a\rb,a\r\rc,y\n1,2,3,4\n5,6,7,8\n")
    source, data = read(bare, ["a\rb", "a\r\rc", "y"])
    assert source.columns == ["id", "a\rb", "a\r\rc", "y"]
    assert data.data["a\r\rc"].to_pylist() == [3, 7] and data.data["y"].to_pylist() == [4, 8]
    mac = write("mac.csv", "x,y\r1,2\r3,4\r")
    assert read(mac, ["y"])[1].data["y"].to_pylist() == [2, 4]
    blank_first = write("blank.csv", "\n\r\nx,y\n1,2\n\n3,4\n")
    assert read(blank_first, ["y"])[1].data["y"].to_pylist() == [2, 4]


def test_latin1_text_is_transcoded_without_pyarrow_calling_python(write):
    text = "name,y\n" + "".join(f"caf\xe9 {i},{i % 2}\n" for i in range(30)) + "\xc6\xd8\xc5,1\n"
    source, data = read(write("w.csv", text.encode("latin-1")), ["name", "y"])
    assert source.encoding == "latin-1"
    assert data.data["name"].to_pylist()[-1] == "\xc6\xd8\xc5"
    assert data.data["name"].to_pylist()[0] == "caf\xe9 0"
    batches = list(open_table(write("w2.csv", text.encode("latin-1"))).batches(["name"]))
    assert pa.Table.from_batches(batches).column(0).to_pylist() == data.data["name"].to_pylist()


@pytest.mark.parametrize("pack", [gzip.compress, bz2.compress, lzma.compress])
def test_compressed_stdin_and_long_rows(pack):
    body = ("t,y\n" + f'"{"z" * 300_000}",1\n' + "a,0\n" * 10).encode()
    source, data = read("-", ["y"], stdin=io.BytesIO(pack(body)))
    assert data.rows == 11 and sum(data.data["y"].to_pylist()) == 1


@settings(max_examples=120, deadline=None)
@given(st.lists(
    st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
            min_size=1, max_size=20).filter(lambda s: s.strip() == s and s),
    min_size=1, max_size=6, unique=True).filter(lambda names: not names[0].startswith("\ufeff")))
def test_any_header_name_reads_back_and_is_reachable(tmp_path_factory, names):
    """Property: names with control characters, CR/LF, quotes, delimiters, markup, emoji or
    bidi marks, written as CSV writes them, come back exactly and address their column.
    (A U+FEFF opening the file is its byte-order mark, for us as for pandas and Excel.)"""
    import csv as pycsv

    from advisor.target import choose_target

    path = tmp_path_factory.mktemp("names") / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = pycsv.writer(fh, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([[str(i * 10 + j) for j in range(len(names))] for i in range(3)])
    source = open_table(str(path))
    assert source.columns == names
    for j, name in enumerate(names):
        chosen = choose_target(source.columns, name, "t.csv").columns
        assert chosen == [name]
        assert source.read(chosen).data[name].to_pylist() == [j, 10 + j, 20 + j]


def test_header_delimiter_from_whole_records_not_the_first_line(tmp_path):
    """A quoted name holding a line break ends the first physical line early; there '|' or ';'
    outnumber the commas, yet the records agree on the comma (found by the property above)."""
    for names in (["||", "0\n0"], [";\r0", "0\n0"]):
        path = tmp_path / "t.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(names)
            writer.writerows([["1", "2"], ["3", "4"]])
        assert open_table(str(path)).columns == names


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(alphabet=',;\t|"\r\n ab1.-?', max_size=400).map(
    str.encode))
def test_any_bytes_read_or_fail_as_an_input_error(tmp_path_factory, content):
    """Property: arbitrary bytes never raise anything but InputError."""
    path = tmp_path_factory.mktemp("bytes") / "t.csv"
    path.write_bytes(content)
    try:
        source = open_table(str(path))
        source.read([source.columns[-1]])
    except InputError:
        pass
