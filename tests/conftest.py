"""Shared fixtures: temporary copies of data/ and small helpers to break them on purpose."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of data/ (tables, schema, geo) that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("_incoming"))
    return target


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path: Path, row_index: int, column: str, value: str) -> int:
    """Set one cell (row_index counts data rows from 0) and return its line number.

    The data files hold no line breaks inside cells, so data row i is on line i + 2.
    """
    rows = read_rows(path)
    col = rows[0].index(column)
    rows[row_index + 1][col] = value
    write_rows(path, rows)
    return row_index + 2


def row_where(path: Path, column: str, predicate) -> int:
    rows = read_rows(path)
    col = rows[0].index(column)
    for i, r in enumerate(rows[1:]):
        if predicate(r[col]):
            return i
    raise AssertionError(f"no row in {path.name} matches on {column}")
