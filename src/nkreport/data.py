"""Read and check the data package in data/.

Two entry points:

- :func:`check` validates the whole package (structure, the Table Schema through
  frictionless, and what a schema cannot say: calendar dates, date precision, period
  order, events inside their periods, quotations found word for word in their source)
  and returns every problem found, each naming file, row (line number) and column.
- :func:`load` reads tables into typed pandas frames whose index is the line number of
  each row in its CSV file, so any later message can point at the row.

The build calls :func:`check` before any notebook runs; notebooks call :func:`load`.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import dates, paths
from .util import isna
from .errors import DataError, Problem

#: Environment variable naming a file to which every data file read is appended, one
#: absolute path a line. The build sets it per notebook to learn what each one reads.
READ_LOG_ENV = "NKREPORT_READ_LOG"

TABLES = (
    "sources",
    "actors",
    "periods",
    "events",
    "event_actors",
    "claims",
    "claim_links",
    "recognition",
)


# ---------------------------------------------------------------------------
# The descriptor


@lru_cache(maxsize=8)
def _descriptor_cached(path: str, mtime_ns: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def descriptor(data_dir: Path | None = None) -> dict:
    """The parsed datapackage.json of ``data_dir`` (data/ by default)."""
    path = Path(data_dir or paths.data_dir()) / "datapackage.json"
    try:
        return _descriptor_cached(str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise DataError.one(
            str(path), None, None, "the data package descriptor", "no such file"
        ) from None
    except json.JSONDecodeError as exc:
        raise DataError.one(
            str(path), exc.lineno, None, "valid JSON", exc.msg
        ) from None


def resource(desc: dict, name: str) -> dict:
    for res in desc["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no resource {name!r} in datapackage.json")


def date_fields(res: dict) -> list[str]:
    """Partial-date columns: those that have a sibling ``<name>_precision`` column."""
    names = [f["name"] for f in res["schema"]["fields"]]
    return [n for n in names if f"{n}_precision" in names]


# ---------------------------------------------------------------------------
# Reading one CSV file: structure first, with line numbers


@dataclass
class RawTable:
    """A CSV file as text records, each with the line number it starts on."""

    file: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def _record_read(path: Path) -> None:
    log = os.environ.get(READ_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{path.resolve()}\n")


def _column_at(header: list[str] | None, index: int) -> str | None:
    if header and 0 <= index < len(header):
        return header[index]
    return None if header else f"#{index + 1}"


def _quoted_field_at_fault(text: str) -> tuple[int, int]:
    """Where a quoted field goes wrong: (the index of the field in which the quote opened,
    the number of lines from the record's start to that field)."""
    field_index, line, in_quote, at_field_start = 0, 0, False, True
    opened = (0, 0)
    i = 0
    while i < len(text):
        ch = text[i]
        if in_quote:
            if ch == '"':
                if text[i + 1 : i + 2] == '"':
                    i += 2
                    continue
                nxt = text[i + 1 : i + 2]
                if nxt not in (",", "\n", "\r", ""):
                    return opened
                in_quote = False
            elif ch == "\n":
                line += 1
        elif ch == '"' and at_field_start:
            in_quote, opened = True, (field_index, line)
        elif ch == ",":
            field_index += 1
            at_field_start = True
            i += 1
            continue
        elif ch in "\r\n":
            break
        at_field_start = False
        i += 1
    return opened


def read_raw(path: Path, expected: list[str]) -> tuple[RawTable | None, list[Problem]]:
    """Read a CSV file strictly. Returns the records, or the problems that stop reading.

    Accepted as normal: a UTF-8 byte-order mark and CRLF line ends.
    """
    name = f"{path.parent.name}/{path.name}"
    if not path.is_file():
        return None, [Problem(name, None, None, "the file named in datapackage.json", "no such file")]
    _record_read(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        prefix = data[line_start : exc.start].decode("utf-8", errors="replace")
        index = len(next(csv.reader([prefix]), [""])) - 1 if prefix else 0
        bad = data[exc.start : exc.end].hex(" ")
        return None, [
            Problem(name, line, _column_at(expected, index), "UTF-8 text", f"the byte(s) {bad}, which are not UTF-8")
        ]
    if not text.strip():
        return None, [Problem(name, 1, None, "a header row naming the columns", "an empty file")]

    records: list[list[str]] = []
    starts: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            tail = "".join(text.splitlines(keepends=True)[start - 1 :])
            index, line = _quoted_field_at_fault(tail)
            column = _column_at(records[0] if records else expected, index)
            if "unexpected end of data" in str(exc):
                return None, [
                    Problem(name, start + line, column, "a closing quote for the quoted field",
                            "a quote that is never closed (it runs to the end of the file)")
                ]
            return None, [Problem(name, start + line, column, "a closing quote followed by a comma or a line end",
                                  f"a quoted field that ends inside the text ({exc})")]
        records.append(rec)
        starts.append(start)

    header, body, lines = records[0], records[1:], starts[1:]
    problems: list[Problem] = []
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(Problem(name, 1, col, "each column once", f"column '{col}' twice"))
        seen.add(col)
    for col in expected:
        if col not in header:
            problems.append(Problem(name, 1, col, f"a column '{col}' (datapackage.json)", "no such column in the header"))
    for col in header:
        if col not in expected:
            problems.append(Problem(name, 1, col or "(blank)", "only the columns datapackage.json describes", f"an unknown column '{col}'"))
    if not problems and header != expected:
        problems.append(Problem(name, 1, None, "columns in the order " + ", ".join(expected), ", ".join(header)))
    for rec, line in zip(body, lines):
        if not rec or rec == [""]:
            problems.append(Problem(name, line, None, f"a row of {len(header)} cells", "an empty line"))
        elif len(rec) != len(header):
            # Name the first column without a cell, or the first cell beyond the header.
            col = header[len(rec)] if len(rec) < len(header) else f"(cell {len(header) + 1}, beyond the last column)"
            problems.append(Problem(name, line, col, f"{len(header)} cells, one per column", f"{len(rec)} cells"))
    if problems:
        return None, problems
    return RawTable(name, header, body, lines), []


# ---------------------------------------------------------------------------
# Typed frames


class Tables(dict):
    """The loaded tables by name; also reachable as attributes (``t.claims``)."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"table {name!r} was not loaded; pass it to nk.load()"
            ) from None


def _frame(raw: RawTable, res: dict):
    import pandas as pd

    columns = {}
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    index = pd.Index(raw.lines, name="line")
    for i, col in enumerate(raw.header):
        values = [r[i] if r[i] != "" else None for r in raw.rows]
        kind = fields[col]["type"]
        if kind == "integer":
            out = []
            for v, line in zip(values, raw.lines):
                if v is None:
                    out.append(None)
                    continue
                try:
                    out.append(int(v))
                except ValueError:
                    raise DataError.one(raw.file, line, col, "a whole number", repr(v)) from None
            columns[col] = pd.array(out, dtype="Int64")
        else:
            columns[col] = pd.array(values, dtype="str")
    return pd.DataFrame(columns, index=index)


def load(*names: str, data_dir: Path | str | None = None) -> Tables:
    """Load tables from the data package as typed pandas frames.

    ``nk.load("claims", "actors")`` loads two tables; ``nk.load()`` loads all. Reading
    is strict about structure (a message names file, row and column); the full
    validation is :func:`check`, which the build runs before any notebook.
    """
    data_dir = Path(data_dir or paths.data_dir())
    desc = descriptor(data_dir)
    _record_read(data_dir / "datapackage.json")
    wanted = names or tuple(r["name"] for r in desc["resources"])
    out = Tables()
    for name in wanted:
        res = resource(desc, name)
        expected = [f["name"] for f in res["schema"]["fields"]]
        raw, problems = read_raw(data_dir / res["path"], expected)
        if problems:
            raise DataError(problems)
        out[name] = _frame(raw, res)
    return out


def load_package(data_dir: Path | str | None = None, seed_dir: Path | str | None = None) -> Tables:
    """Validate the whole package (raising :class:`DataError`) and load every table."""
    report = check(data_dir, seed_dir)
    if report.problems:
        raise DataError(report.problems)
    return load(data_dir=data_dir)


def geojson(name: str, data_dir: Path | str | None = None) -> dict:
    """A GeoJSON file from data/geo/ (recorded as read, like the tables)."""
    path = Path(data_dir or paths.data_dir()) / "geo" / name
    _record_read(path)
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------
# The full check


@dataclass
class CheckReport:
    problems: list[Problem]
    notes: list[str]


def check(data_dir: Path | str | None = None, seed_dir: Path | str | None = None) -> CheckReport:
    """Validate the data package; return every problem found and notes on what was skipped."""
    data_dir = Path(data_dir or paths.data_dir())
    seed_dir = Path(seed_dir or paths.seed_dir())
    try:
        desc = descriptor(data_dir)
    except DataError as exc:
        return CheckReport(exc.problems, [])

    problems: list[Problem] = []
    for res in desc["resources"]:
        expected = [f["name"] for f in res["schema"]["fields"]]
        problems += read_raw(data_dir / res["path"], expected)[1]
    if problems:
        return CheckReport(problems, [])

    problems = _frictionless_problems(data_dir, desc)
    if problems:
        return CheckReport(problems, [])

    tables = load(data_dir=data_dir)
    problems, notes = _semantic_problems(tables, desc, seed_dir, data_dir)
    return CheckReport(problems, notes)


def _expected_for(field_desc: dict, constraint: str) -> str:
    c = field_desc.get("constraints", {})
    if constraint == "required":
        return "a value (the column is required)"
    if constraint == "enum":
        return "one of: " + ", ".join(str(v) for v in c["enum"])
    if constraint == "pattern":
        pattern = c["pattern"]
        if pattern.startswith("^[a-z0-9]+(-[a-z0-9]+)*"):
            return "an id in lowercase letters, digits and hyphens"
        if "https?" in pattern:
            return "a URL starting http:// or https://"
        if pattern == r"^\d{4}(-\d{2}(-\d{2})?)?$":
            return "an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD"
        return f"text matching {pattern}"
    if constraint == "unique":
        return "a value no other row has"
    return f"a value meeting the constraint {constraint}"


def _frictionless_problems(data_dir: Path, desc: dict) -> list[Problem]:
    import frictionless

    # The BOM is accepted as normal (read_raw already checked the bytes are UTF-8).
    desc = json.loads(json.dumps(desc))
    for res in desc["resources"]:
        res["encoding"] = "utf-8-sig"
    package = frictionless.Package(desc, basepath=str(data_dir))
    report = package.validate()
    by_name = {r["name"]: r for r in desc["resources"]}
    out: list[Problem] = []
    for task in report.tasks:
        res = by_name.get(task.name)
        fields = {f["name"]: f for f in res["schema"]["fields"]} if res else {}
        file = f"{data_dir.name}/{res['path']}" if res else task.name
        for err in task.errors:
            row = getattr(err, "row_number", None)
            col = getattr(err, "field_name", None)
            cell = getattr(err, "cell", None)
            found = repr(cell) if cell not in (None, "") else "an empty cell"
            etype = err.type
            if etype == "constraint-error":
                m = re.match(r'constraint "(\w+)"', err.note)
                constraint = m.group(1) if m else err.note
                out.append(Problem(file, row, col, _expected_for(fields.get(col, {}), constraint), found))
            elif etype == "type-error":
                ftype = fields.get(col, {}).get("type", "?")
                expected = {"integer": "a whole number", "number": "a number", "boolean": "true or false"}.get(ftype, f"a value of type {ftype}")
                out.append(Problem(file, row, col, expected, found))
            elif etype == "primary-key":
                keys = res["schema"]["primaryKey"]
                values = [str(c) for c in getattr(err, "cells", [])]
                out.append(Problem(file, row, ",".join(keys), "a primary key no other row has",
                                   f"a duplicate ({err.note})" if not values else f"{', '.join(keys)} repeated ({err.note})"))
            elif etype == "foreign-key":
                names = list(getattr(err, "field_names", []) or [])
                cells = [str(c) for c in (getattr(err, "field_cells", []) or [])]
                fk = next((k for k in res["schema"]["foreignKeys"] if k["fields"] == names), None)
                target = (fk["reference"]["resource"] or res["name"]) if fk else "?"
                ref = ",".join(fk["reference"]["fields"]) if fk else "?"
                out.append(Problem(file, row, ",".join(names), f"an id present in {target}.{ref}",
                                   repr(cells[0]) if len(cells) == 1 else repr(cells)))
            else:
                out.append(Problem(file, row, col, err.title.lower(), err.note or err.message))
    return out


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _semantic_problems(t: Tables, desc: dict, seed_dir: Path, data_dir: Path) -> tuple[list[Problem], list[str]]:
    problems: list[Problem] = []
    d = data_dir.name
    notes: list[str] = []

    # Calendar dates and their precision.
    for res in desc["resources"]:
        frame = t[res["name"]]
        for col in date_fields(res):
            for line, value, prec in zip(frame.index, frame[col], frame[f"{col}_precision"]):
                value = None if isna(value) else value
                try:
                    actual = dates.precision_of(value)
                except ValueError:
                    problems.append(Problem(f"{d}/{res['path']}", line, col, "a real calendar date", repr(value)))
                    continue
                if actual != prec:
                    problems.append(Problem(
                        f"{d}/{res['path']}", line, f"{col}_precision",
                        f"'{actual}', the precision of {col} {value!r}" if value else "'unknown', as the date is empty",
                        repr(prec)))
    if problems:
        return problems, notes

    # Periods: the end is not before the start.
    periods = t.periods
    for line, row in periods.iterrows():
        start = dates.bounds(row["start"], row["start_precision"])
        end = dates.bounds(row["end"], row["end_precision"])
        if end[1] < start[0]:
            problems.append(Problem(f"{d}/periods.csv", line, "end", f"a date on or after the start {row['start']}", repr(row["end"])))

    # Events: the date lies within the period (the two ranges meet, given the precision).
    spans = {
        r.period_id: (dates.bounds(r.start, r.start_precision)[0], dates.bounds(r.end, r.end_precision)[1])
        for r in periods.itertuples()
    }
    for line, row in t.events.iterrows():
        if isna(row["period_id"]):
            continue
        lo, hi = dates.bounds(row["date"], row["date_precision"])
        p_lo, p_hi = spans[row["period_id"]]
        if hi < p_lo or lo > p_hi:
            problems.append(Problem(
                f"{d}/events.csv", line, "date",
                f"a date within the period {row['period_id']} ({p_lo.isoformat()} to {p_hi.isoformat()})",
                repr(row["date"])))
        alt, alt_src = row["alt_date"], row["alt_source_id"]
        if isna(alt) != isna(alt_src):
            problems.append(Problem(f"{d}/events.csv", line, "alt_source_id" if isna(alt_src) else "alt_date",
                                    "alt_date and alt_source_id given together", "only one of them"))

    # Quotations appear word for word in the source's text, where it is at hand.
    src = t.sources.set_index("source_id")
    texts: dict[str, str | None] = {}
    missing: set[str] = set()
    unchecked = 0
    for line, row in t.claims.iterrows():
        quote = row["quote"]
        if isna(quote):
            continue
        text_file = _text_file_for(src, row["source_id"])
        if text_file is None:
            unchecked += 1
            continue
        if text_file not in texts:
            path = seed_dir / text_file
            texts[text_file] = _norm(path.read_text(encoding="utf-8")) if path.is_file() else None
            if texts[text_file] is None:
                missing.add(str(path))
        if texts[text_file] is None:
            continue
        if _norm(quote) not in texts[text_file]:
            problems.append(Problem(f"{d}/claims.csv", line, "quote", f"words found verbatim in {text_file}", repr(_short(quote))))
    for path in sorted(missing):
        notes.append(f"quotation check skipped for {path}: file not found (set NKREPORT_SEED_DIR to the seed folder)")
    if unchecked:
        notes.append(f"{unchecked} quotation(s) not checked: their source's text is not at hand")

    for line, row in t.claim_links.iterrows():
        if row["claim_id"] == row["target_claim_id"]:
            problems.append(Problem(f"{d}/claim_links.csv", line, "target_claim_id", "another claim", "the claim itself"))
    return problems, notes


def _text_file_for(src, source_id: str) -> str | None:
    seen = set()
    while source_id and source_id not in seen and source_id in src.index:
        seen.add(source_id)
        row = src.loc[source_id]
        if not isna(row["text_file"]):
            return row["text_file"]
        source_id = None if isna(row["via_source_id"]) else row["via_source_id"]
    return None


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


