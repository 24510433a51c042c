"""CSV files to records as spreadsheets write them: encodings detected, delimiters detected, LF, CRLF and CR
ending a line and nothing else, a record that cannot be read kept with its reason, lines cut anywhere."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuron_cli.errors import NeuronError
from neuron_cli.io import csvfile
from neuron_cli.io.csvfile import records


def read(data: bytes, **options):
    dialect, rows = records(io.BytesIO(data), **options)
    return dialect, [(r.line, r.fields, None if r.problem is None else str(r.problem)) for r in rows]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("a,b\n학,생\n".encode(), "utf-8-sig"),
        ("\ufeffa,b\n학,생\n".encode(), "utf-8-sig"),
        ("a,b\n학,생\n".encode("utf-16"), "utf-16"),
        ("a,b\n학,생\n".encode("cp949"), "cp949"),
    ],
)
def test_encodings_are_detected(data, encoding):
    dialect, rows = read(data)
    assert dialect.encoding == encoding and rows == [(1, ["a", "b"], None), (2, ["학", "생"], None)]


def test_an_encoding_may_be_named_and_a_wrong_name_is_refused():
    assert read("a\n학\n".encode("cp949"), encoding="EUC-KR")[1] == [(1, ["a"], None), (2, ["학"], None)]
    with pytest.raises(NeuronError, match="--encoding 'latin9' is not one neuron reads"):
        read(b"a\n", encoding="latin9")


def test_a_file_of_no_known_encoding_is_refused_and_a_bad_line_is_that_lines_problem():
    with pytest.raises(NeuronError, match="neither UTF-8, UTF-16 nor CP949"):
        read(b"\xff\xfe\xfd\n\xff\xff\n\xfe\xfe\n"[2:] + b"\x80\x80\n" * 3)
    _, rows = read(b"a,b\n1,\xff\n2,3\n")
    # the foreign byte is shown as U+FFFD: a report never carries bytes that are not text
    assert rows[1] == (2, ["1", "\ufffd"], "it is not UTF-8 text") and rows[2] == (3, ["2", "3"], None)


@pytest.mark.parametrize(
    ("first", "decimal_comma", "delimiter"),
    [("a,b,c", False, ","), ("a;b;c", False, ";"), ("a\tb\tc", False, "\t"), ('"x,y";b', False, ";"), ("a", True, ";")],
)
def test_delimiters_are_detected_from_the_first_line(first, decimal_comma, delimiter):
    assert csvfile.detect_delimiter(first, decimal_comma) == delimiter


def test_only_lf_crlf_and_cr_end_a_line():
    data = 'a,b\r\n1,x\x0cy\r2,\u2028\x85\x0b\n"3\r\n4",5\n'.encode()
    _, rows = read(data)
    assert rows == [
        (1, ["a", "b"], None),
        (2, ["1", "x\x0cy"], None),
        (3, ["2", "\u2028\x85\x0b"], None),
        (4, ["3\r\n4", "5"], None),
    ]


def test_a_record_that_cannot_be_read_is_kept_with_its_reason_and_the_rest_are_read():
    _, rows = read(b'a,b\n1,2\n3,"4"x\n5,6\n')
    assert rows[2][0] == 3 and rows[2][2].startswith("it is not a CSV record") and rows[3] == (4, ["5", "6"], None)


@pytest.mark.parametrize("cut", [1, 2, 3, 7, 64])
def test_lines_cut_at_any_byte_between_pieces_read_whole(monkeypatch, cut):
    text = "".join(f"s{k},{k}.5,한\r\n" for k in range(200)).encode()
    pieces = [text[k : k + cut] for k in range(0, len(text), cut)]
    _dialect, rows = records(pieces)
    assert [r.fields for r in rows] == [[f"s{k}", f"{k}.5", "한"] for k in range(200)]


def test_a_quoted_record_across_pieces_is_read_whole_and_plain_pieces_around_it_too():
    # pieces of plain lines are split as they are; a quoted record left open by one piece is read with the next
    head = "".join(f"p{k},1\n" for k in range(50))
    quoted = 'q,"two\nlines, and ""quotes"""\n'
    tail = "".join(f"t{k},2\n" for k in range(50))
    text = (head + quoted + tail).encode()
    for cut in (3, 17, len(head) + 4, len(head) + 9, 4096):
        pieces = [text[k : k + cut] for k in range(0, len(text), cut)]
        rows = list(records(pieces)[1])
        assert [r.fields for r in rows] == [
            *[[f"p{k}", "1"] for k in range(50)],
            ["q", 'two\nlines, and "quotes"'],
            *[[f"t{k}", "2"] for k in range(50)],
        ]
        assert rows[50].line == 51 and rows[51].line == 53  # the quoted record's two lines are counted


def test_a_quote_never_closed_is_that_records_problem_at_the_end():
    _, rows = read(b'a,b\n1,2\n3,"open\n4,5\n')
    assert rows[:2] == [(1, ["a", "b"], None), (2, ["1", "2"], None)]
    assert rows[2] == (3, ["3", "open"], "a quote opened on this line is never closed")
    assert rows[3] == (4, ["4", "5"], None)  # the rows after it are read, not swallowed


def test_a_foreign_byte_among_plain_lines_is_that_lines_problem():
    _, rows = read(b"a,b\n1,2\n3,\xff\n5,6\n", encoding="utf-8")
    assert rows[2] == (3, ["3", "\ufffd"], "it is not UTF-8 text") and rows[3] == (4, ["5", "6"], None)


def test_blank_lines_and_lines_of_delimiters_only_are_skipped_and_counted():
    _, rows = read(b"a,b\n\n,\n  ,  \n1,2\n")
    assert rows == [(1, ["a", "b"], None), (5, ["1", "2"], None)]


def test_a_stray_quote_loses_its_own_row_only_however_many_rows_follow():
    rows = "".join(f"s{k},{k}\n" for k in range(5000))
    _, read_rows = read(f'a,b\nbad,"oops\n{rows}'.encode())
    assert read_rows[1] == (2, ["bad", "oops"], "a quote opened on this line is never closed")
    assert len(read_rows) == 5002 and read_rows[-1] == (5002, ["s4999", "4999"], None)
    quoted = read(b'a,b\n"two\nlines",1\n3,4\n')[1]  # a quoted field over two lines, as wide as the header
    assert quoted[1] == (2, ["two\nlines", "1"], None) and quoted[2] == (4, ["3", "4"], None)


@given(
    st.lists(
        st.lists(st.text(alphabet=st.sampled_from('ab,"\r\n é=@'), max_size=6), min_size=3, max_size=3),
        min_size=1,
        max_size=6,
    )
)
def test_columns_are_written_as_rows_are(rows):
    from neuron_cli.io.csvfile import write_columns, write_rows

    by_rows, by_columns = io.StringIO(), io.StringIO()
    write_rows(by_rows, rows)
    write_columns(by_columns, [list(column) for column in zip(*rows)])
    assert by_columns.getvalue() == by_rows.getvalue()


@pytest.mark.parametrize(
    "text",
    [
        b'a,1,2\n"b",1,2\n',  # a quote
        b"a,1,2\r\nb,1,2\r\n",  # CRs
        b"a,1,2\n\nb,1,2\n",  # a blank line
        b"a,1,2\nb,1\n",  # a ragged row
        b"a,1,2\nb,,2\n",  # an empty cell
        b"a,1,2\nb, 1,2\n",  # a number float() reads and polars does not
        b"a,1,2\nb,1_0,2\n",
        b"a,1,2\nb,inf,2\n",  # not finite: the record reader names it
        b"a,1,2\n b,1,2\n",  # a line that starts blank
        b"a,1,2\nb\xff,1,2\n",  # not UTF-8
    ],
)
def test_a_sheet_read_a_column_at_a_time_only_where_the_records_agree(text):
    from neuron_cli.io import polars
    from neuron_cli.io.sheets import sheet_columns

    polars.wanted(True)
    assert sheet_columns(text, 2, 1, 3, ",", [1, 2], [0], []) is None


def test_a_plain_piece_read_a_column_at_a_time_is_what_the_records_give():
    from neuron_cli.io import polars
    from neuron_cli.io.sheets import sheet_columns

    polars.wanted(True)
    text = b"student,x1,x2,y1\nal,1,2.5,0.3\nbo,-1e-3,7,\xc3\xa9\n"
    found = sheet_columns(text, 1, 1, 4, ",", [1, 2], [0], [3])
    rows = list(records(io.BytesIO(text))[1])[1:]
    assert found is not None and found.lines == [r.line for r in rows] == [2, 3]
    assert found.texts[0] == [r.fields[0] for r in rows] and found.texts[3] == [r.fields[3] for r in rows]
    assert found.numbers[1].tolist() == [float(r.fields[1]) for r in rows]


@pytest.mark.parametrize("bad", ["inf", "nan", "1e400"])
def test_a_number_not_finite_in_a_long_block_read_by_polars_is_that_rows_problem(monkeypatch, bad):
    from neuron_cli.io import polars
    from neuron_cli.io.sheets import numbers_of

    monkeypatch.setattr(polars, "WANTED", [True])  # a long sheet: polars reads its numbers, read-only arrays
    block = [(line, [f"s{line}", "0.5", "0.25"]) for line in range(2, 5002)]
    block[3000] = (3002, ["s3002", bad, "0.25"])
    values, problems = numbers_of(block, [1, 2], ["student", "x1", "x2"])
    assert [k for k, problem in enumerate(problems) if problem is not None] == [3000]
    assert "line 3002, x1" in str(problems[3000])
    assert values[0].tolist() == [0.5, 0.25] and values[4999].tolist() == [0.5, 0.25]
