"""The data package: the real data validates, and each kind of bad input is reported in one
line naming the file, the row (line number) and the column."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import DATA, read_rows, row_where, set_cell, write_rows

from nkreport import data
from nkreport.errors import DataError


def problems(data_dir, seed_dir=None):
    return data.check(data_dir, seed_dir).problems


def only(found, file, row, column):
    """Exactly one problem, at the given place; returns it."""
    assert len(found) == 1, "\n".join(map(str, found))
    p = found[0]
    assert p.file.endswith(file), str(p)
    assert p.row == row, str(p)
    assert p.column == column, str(p)
    line = str(p)
    assert file in line and (f"row {row}" if row else "row -") in line and (f"column {column}" if column else "column -") in line
    return p


# --- the real data ---------------------------------------------------------------


def test_real_data_validates():
    report = data.check(DATA)
    assert report.problems == [], "\n".join(map(str, report.problems))


def test_every_row_names_a_source():
    t = data.load(data_dir=DATA)
    for name, frame in t.items():
        assert "source_id" in frame.columns, name
        assert frame["source_id"].notna().all(), name


def test_load_gives_typed_frames_indexed_by_line():
    t = data.load("claims", "periods", data_dir=DATA)
    assert str(t.claims["credibility"].dtype) == "Int64"
    assert str(t.periods["lane"].dtype) == "Int64"
    assert t.claims.index[0] == 2 and t.claims.index.name == "line"


def test_every_field_is_documented():
    desc = data.descriptor(DATA)
    for res in desc["resources"]:
        assert res.get("description"), res["name"]
        for f in res["schema"]["fields"]:
            assert f.get("description"), f"{res['name']}.{f['name']}"


def test_quotes_are_checked_against_the_seed():
    report = data.check(DATA)
    assert not any("quotation check skipped" in n for n in report.notes), report.notes


# --- bad input, one test each -------------------------------------------------------


def test_missing_file(data_copy):
    (data_copy / "claims.csv").unlink()
    p = only(problems(data_copy), "data/claims.csv", None, None)
    assert "no such file" in p.found


def test_empty_file(data_copy):
    (data_copy / "actors.csv").write_text("", encoding="utf-8")
    p = only(problems(data_copy), "data/actors.csv", 1, None)
    assert "empty" in p.found


def test_missing_column(data_copy):
    path = data_copy / "claims.csv"
    rows = read_rows(path)
    col = rows[0].index("status")
    write_rows(path, [r[:col] + r[col + 1 :] for r in rows])
    p = only(problems(data_copy), "data/claims.csv", 1, "status")
    assert "no such column" in p.found


def test_unknown_column(data_copy):
    path = data_copy / "periods.csv"
    write_rows(path, [r + (["colour"] if i == 0 else ["red"]) for i, r in enumerate(read_rows(path))])
    p = only(problems(data_copy), "data/periods.csv", 1, "colour")
    assert "unknown column" in p.found


def test_duplicate_id(data_copy):
    path = data_copy / "actors.csv"
    rows = read_rows(path)
    write_rows(path, rows + [rows[3]])
    p = only(problems(data_copy), "data/actors.csv", len(rows) + 1, "actor_id")
    assert rows[3][0] in p.found or "repeated" in p.found


def test_unknown_foreign_key(data_copy):
    line = set_cell(data_copy / "claims.csv", 0, "claimant_id", "nobody-at-all")
    p = only(problems(data_copy), "data/claims.csv", line, "claimant_id")
    assert "actors.actor_id" in p.expected and "nobody-at-all" in p.found


def test_impossible_date(data_copy):
    path = data_copy / "events.csv"
    i = row_where(path, "date_precision", lambda v: v == "day")
    line = set_cell(path, i, "date", "1993-02-30")
    p = only(problems(data_copy), "data/events.csv", line, "date")
    assert "calendar" in p.expected


def test_date_with_wrong_precision(data_copy):
    path = data_copy / "events.csv"
    i = row_where(path, "date_precision", lambda v: v == "day")
    line = set_cell(path, i, "date_precision", "year")
    p = only(problems(data_copy), "data/events.csv", line, "date_precision")
    assert "'day'" in p.expected and "'year'" in p.found


def test_date_in_wrong_format(data_copy):
    path = data_copy / "events.csv"
    line = set_cell(path, 0, "date", "12/05/1994")
    p = only(problems(data_copy), "data/events.csv", line, "date")
    assert "ISO 8601" in p.expected


def test_end_before_start(data_copy):
    path = data_copy / "periods.csv"
    i = row_where(path, "period_id", lambda v: v == "war")
    set_cell(path, i, "end", "1980")
    line = set_cell(path, i, "end_precision", "year")
    found = [p for p in problems(data_copy) if p.file.endswith("periods.csv")]
    only(found, "data/periods.csv", line, "end")


def test_event_outside_its_period(data_copy):
    path = data_copy / "events.csv"
    i = row_where(path, "period_id", lambda v: v == "epilogue")
    set_cell(path, i, "date", "1950")
    line = set_cell(path, i, "date_precision", "year")
    p = only(problems(data_copy), "data/events.csv", line, "date")
    assert "within the period epilogue" in p.expected


def test_value_outside_its_vocabulary(data_copy):
    line = set_cell(data_copy / "claims.csv", 1, "status", "rumour")
    p = only(problems(data_copy), "data/claims.csv", line, "status")
    assert "unconfirmed" in p.expected and "rumour" in p.found


def test_empty_required_field(data_copy):
    line = set_cell(data_copy / "claims.csv", 2, "paraphrase", "")
    p = only(problems(data_copy), "data/claims.csv", line, "paraphrase")
    assert "required" in p.expected


def test_invalid_utf8(data_copy):
    path = data_copy / "actors.csv"
    raw = path.read_bytes().split(b"\n")
    raw[2] = raw[2].replace(b",", b",\xff\xfe", 1)  # the second cell of line 3
    path.write_bytes(b"\n".join(raw))
    header = read_rows(DATA / "actors.csv")[0]
    p = only(problems(data_copy), "data/actors.csv", 3, header[1])
    assert "UTF-8" in p.expected and "ff" in p.found


def test_unterminated_quote(data_copy):
    path = data_copy / "claims.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[4].split(",")
    cells[1] = '"' + cells[1]  # opens a quote in the claimant column that never closes
    lines[4] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    p = only(problems(data_copy), "data/claims.csv", 5, "claimant_id")
    assert "closing quote" in p.expected


def test_quote_not_in_its_source(data_copy):
    path = data_copy / "claims.csv"
    i = row_where(path, "quote", lambda v: v != "")
    line = set_cell(path, i, "quote", "words the commentary never wrote")
    p = only(problems(data_copy), "data/claims.csv", line, "quote")
    assert "verbatim" in p.expected


def test_quote_check_skipped_clearly_without_the_seed(data_copy, tmp_path):
    path = data_copy / "claims.csv"
    i = row_where(path, "quote", lambda v: v != "")
    set_cell(path, i, "quote", "words the commentary never wrote")
    report = data.check(data_copy, tmp_path / "no-seed-here")
    assert report.problems == []
    assert any("quotation check skipped" in n and "NKREPORT_SEED_DIR" in n for n in report.notes)


@pytest.mark.parametrize("column,value", [("reliability", "G"), ("credibility", "7"), ("credibility", "0")])
def test_grade_outside_the_scale(data_copy, column, value):
    line = set_cell(data_copy / "claims.csv", 0, column, value)
    p = only(problems(data_copy), "data/claims.csv", line, column)
    assert repr(value) in p.found or value in p.found


def test_not_a_number(data_copy):
    line = set_cell(data_copy / "periods.csv", 0, "lane", "top")
    p = only(problems(data_copy), "data/periods.csv", line, "lane")
    assert "whole number" in p.expected


def test_stray_line(data_copy):
    path = data_copy / "events.csv"
    text = path.read_text(encoding="utf-8")
    n = text.count("\n")
    path.write_text(text + "this line does not belong here\n", encoding="utf-8")
    p = only(problems(data_copy), "data/events.csv", n + 1, "date")
    assert "cells" in p.expected


def test_crlf_and_bom_are_accepted(data_copy):
    for name in ("claims.csv", "actors.csv"):
        path = data_copy / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert problems(data_copy) == []
    t = data.load("actors", data_dir=data_copy)
    assert t.actors.columns[0] == "actor_id"


def test_load_refuses_bad_structure(data_copy):
    (data_copy / "actors.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError) as err:
        data.load("actors", data_dir=data_copy)
    assert "data/actors.csv: row 1" in str(err.value)


def test_check_command_prints_one_line_per_problem_and_fails(data_copy):
    set_cell(data_copy / "claims.csv", 1, "status", "rumour")
    set_cell(data_copy / "claims.csv", 2, "reliability", "Z")
    out = subprocess.run([sys.executable, "-m", "nkreport", "check", "--data-dir", str(data_copy)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("data/")]
    assert len(lines) == 2, out.stderr
    assert lines[0].startswith("data/claims.csv: row 3, column status: expected one of:")
    assert lines[1].startswith("data/claims.csv: row 4, column reliability: expected one of: A, B")


def test_check_command_passes_on_real_data():
    out = subprocess.run([sys.executable, "-m", "nkreport", "check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "valid" in out.stdout
