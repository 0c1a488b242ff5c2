"""The build's cache, on a temporary copy of the project with two small notebooks.

What is checked (through the build's progress lines, "executed" or "cached"):
a build with nothing changed executes no notebook; editing one CSV re-executes exactly
the notebooks that read it; --no-cache re-executes all; removing .cache (what
`make clean` does) makes the next build a clean one. Builds skip the PDF to stay fast.

Every test starts from, and leaves, a built copy with a warm cache. The cache is keyed
on src/nkreport's files too, so if someone edits the package while a test runs (a shared
checkout), that step is repeated on a re-warmed cache rather than failed.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import signal
from pathlib import Path

import nbformat
import pytest

from nkreport import cli
from nkreport.build import package_hash

ROOT = Path(__file__).resolve().parents[1]
# The Makefile's environment, which the notebooks' kernels inherit.
MAKE_ENV = {"JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}

# name -> the tables the notebook loads
NOTEBOOKS = {
    "01_recognition.ipynb": ("recognition",),
    "02_periods.ipynb": ("periods",),
}
ALL = set(NOTEBOOKS)


def _notebook(tables: tuple[str, ...]):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    args = ", ".join(f'"{t}"' for t in tables)
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"## Rows of {' and '.join(tables)}"),
        nbformat.v4.new_code_cell(f"import nkreport as nk\n\nt = nk.load({args})"),
        nbformat.v4.new_code_cell("\n".join(f'print("{t}", len(t.{t}))' for t in tables)),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project (data/, requirements.txt, pyproject.toml) with our notebooks, built once."""
    root = tmp_path_factory.mktemp("cache") / "project"
    root.mkdir()
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("_incoming"))
    for name in ("requirements.txt", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    (root / "notebooks").mkdir()
    for name, tables in NOTEBOOKS.items():
        nbformat.write(_notebook(tables), root / "notebooks" / name)
    first = build(root)
    assert first.executed == ALL, first.out
    return root


class Build:
    def __init__(self, out: str):
        self.out = out
        self.executed = set(re.findall(r"^notebook\s+(\S+): executed in [\d.]+ s$", out, re.M))
        self.cached = set(re.findall(r"^notebook\s+(\S+): cached$", out, re.M))
        self.nothing_to_do = bool(re.search(r"^nothing to do", out, re.M))
        self.checked = bool(re.search(r"^check data\s+ok \([\d.]+ s\)$", out, re.M))


_warm: dict[Path, str] = {}  # project -> the package hash its cache was last built with


def build(root: Path, *extra: str) -> Build:
    """`python -m nkreport build --root ROOT --no-pdf` in this process (the imports and the
    data check's first-call costs are paid once, which keeps these tests fast)."""
    saved_env = {k: os.environ.get(k) for k in (*MAKE_ENV, "NKREPORT_DATA_DIR")}
    saved_sigterm = signal.getsignal(signal.SIGTERM)
    os.environ.update(MAKE_ENV)
    before = package_hash()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            rc = cli.main(["build", "--root", str(root), "--no-pdf", *extra])
    finally:
        signal.signal(signal.SIGTERM, saved_sigterm)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert rc == 0, out.getvalue()
    if package_hash() == before:
        _warm[root] = before
    else:
        _warm.pop(root, None)
    return Build(out.getvalue())


def step(root: Path, prepare=lambda: None, *extra: str) -> Build:
    """Build after `prepare()`, starting from a cache that is warm for the package as it is;
    repeated (up to three times) when src/nkreport changes in the meantime."""
    for _ in range(3):
        if _warm.get(root) != package_hash():
            build(root)  # re-warm after an outside edit of the package
        if _warm.get(root) != package_hash():
            continue
        prepare()
        b = build(root, *extra)
        if _warm.get(root) is not None:
            return b
    pytest.fail("src/nkreport kept changing while the test ran (someone editing it); run again")


def edit_note(path: Path, text: str) -> None:
    """Change the note of the last row of a CSV file (a change every reader would see)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[-1][rows[0].index("note")] += text
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_a_second_build_executes_nothing(project):
    b = step(project)
    assert b.executed == set(), b.out
    assert b.cached == ALL, b.out
    assert b.nothing_to_do, b.out


def test_changing_one_csv_reexecutes_exactly_its_readers(project):
    readers = {"01_recognition.ipynb"}
    edits = iter(range(1, 10))
    b = step(project, lambda: edit_note(project / "data" / "recognition.csv", f" (test_cache edit {next(edits)})"))
    assert b.executed == readers, b.out
    assert b.cached == ALL - readers, b.out
    assert not b.nothing_to_do
    assert b.checked, b.out  # changed data are checked again


def test_no_cache_reexecutes_every_notebook(project):
    b = step(project, lambda: None, "--no-cache")
    assert b.executed == ALL, b.out
    assert b.cached == set(), b.out


def test_removing_the_cache_makes_the_next_build_clean(project):
    b = step(project, lambda: shutil.rmtree(project / ".cache"))  # what `make clean` removes
    assert b.checked, b.out  # the data are checked again, not "unchanged since the last check"
    assert b.executed == ALL, b.out
    assert b.cached == set(), b.out
    assert not b.nothing_to_do
