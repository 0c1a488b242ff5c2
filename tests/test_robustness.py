"""The build's contract when things go wrong (README, "When things go wrong"), tested
against temporary copies of the project, never the working tree.

Each case copies data/, notebooks/, figures/, report/, requirements.txt and
pyproject.toml into tmp_path and runs ``python -m nkreport build --root COPY --no-cache``
as a subprocess. The fault cases swap the real notebooks for tiny ones (a 2-cell
notebook that raises, calls os._exit, sleeps...) so they take seconds; the whole real
builds are marked slow.

How "nothing is left behind" is checked:

- trees: every file under notebooks/, figures/ and report/ is hashed before and after;
- temporary files: each build runs with TMPDIR and JUPYTER_RUNTIME_DIR pointing at a
  folder of its own, so any nkreport-kernel-* folder, read log or kernel connection
  file the build leaves behind is found there (and only this test's build can have
  made it); .cache/staging must be empty or absent;
- kernels: no ipykernel_launcher process whose command line or environment names the
  copy (kernels inherit NKREPORT_DATA_DIR=<copy>/data from the build) is still alive.
  Matching on the copy, rather than on the start time, keeps kernels of builds other
  people run on this machine at the same time out of the count.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from conftest import read_rows, set_cell, write_rows

ROOT = Path(__file__).resolve().parents[1]
MANAGED = ("notebooks", "figures", "report")
COPIED_DIRS = ("data", "notebooks", "figures", "report")
COPIED_FILES = ("requirements.txt", "pyproject.toml")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAYLOAD = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
MD_PAYLOAD = PAYLOAD.replace("pwned", "pwned-md")
PROBLEM_LINE = re.compile(r"^data/[\w./-]+: row (\d+|-), column .+: expected .+; found .+$")


# ---------------------------------------------------------------------------
# Copies of the project and their trees


def make_copy(target: Path) -> Path:
    target.mkdir(parents=True)
    for d in COPIED_DIRS:
        shutil.copytree(ROOT / d, target / d, ignore=shutil.ignore_patterns("_incoming", ".ipynb_checkpoints"))
    for f in COPIED_FILES:
        shutil.copy2(ROOT / f, target / f)
    return target


def tree(root: Path) -> dict[str, str]:
    """Every file under the folders the build owns, with its sha256."""
    out = {}
    for d in MANAGED:
        for p in sorted((root / d).rglob("*")):
            if p.is_file() or p.is_symlink():
                out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def use_notebooks(copy: Path, **notebooks: nbformat.NotebookNode) -> None:
    """Replace the copy's notebooks with the given ones (name without .ipynb)."""
    for p in (copy / "notebooks").glob("*.ipynb"):
        p.unlink()
    for name, nb in notebooks.items():
        nbformat.write(nb, copy / "notebooks" / f"{name}.ipynb")


TINY = notebook("x = 1", "x + 1")


# ---------------------------------------------------------------------------
# Running the build



def _default_sigint() -> None:
    """In the child, before exec: SIGINT back to its default (Python then raises
    KeyboardInterrupt on it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Sandbox:
    """A copy of the project plus private TMPDIR / runtime folders for its builds."""

    def __init__(self, tmp_path: Path, name: str = "project"):
        self.copy = make_copy(tmp_path / name)
        # Short, so that the kernel's IPC socket paths stay under the 107-byte limit.
        self.tmp = Path(tempfile.mkdtemp(prefix="nkt-", dir="/tmp"))
        (self.tmp / "runtime").mkdir()
        self.marker = self.tmp / "started"  # written by notebooks that wait or sleep
        self.gate = self.tmp / "gate"  # a waiting notebook goes on once this exists

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        for key in ("NKREPORT_DATA_DIR", "NKREPORT_ROOT", "NKREPORT_READ_LOG", "NKREPORT_CELL_TIMEOUT"):
            env.pop(key, None)
        # What `make report` exports (Makefile), so a build here is the build there.
        env.update(
            PYTHONHASHSEED="0",
            MPLBACKEND="Agg",
            JUPYTER_PLATFORM_DIRS="1",
            PYDEVD_DISABLE_FILE_VALIDATION="1",
            TMPDIR=str(self.tmp),
            JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
        )
        env.update(extra)
        return env

    def cmd(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "nkreport", "build", "--root", str(self.copy), "--no-cache", *args]

    def run(self, *args: str, timeout: float = 300, **extra_env: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.cmd(*args), env=self.env(**extra_env), capture_output=True, text=True,
                              timeout=timeout, cwd=self.tmp)

    def start(self, *args: str, **extra_env: str) -> subprocess.Popen:
        # A session of its own: a signal to its process group is what Ctrl-C sends. SIGINT
        # as a terminal leaves it: when these tests run in a background job (`make bench &`),
        # the shell has set SIGINT to be ignored, every child inherits that, and the build,
        # as any program does, would keep ignoring it.
        return subprocess.Popen(self.cmd(*args), env=self.env(**extra_env), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=self.tmp, start_new_session=True,
                                preexec_fn=_default_sigint)

    def leftovers(self) -> list[str]:
        """Temporary files the build left: in its TMPDIR, its runtime dir, .cache/staging."""
        found = [str(p) for p in self.tmp.rglob("*") if p not in (self.marker, self.gate, self.tmp / "runtime")]
        staging = self.copy / ".cache" / "staging"
        if staging.exists():
            found += [str(p) for p in staging.rglob("*")]
        return found

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.fixture
def box(tmp_path):
    sb = Sandbox(tmp_path)
    yield sb
    kill_kernels(sb.copy)  # never leave a kernel behind, even when a test failed
    sb.close()


def _processes():
    """(pid, command line, environment values) of every process we may read."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        for p in psutil.process_iter():
            try:
                if p.status() == psutil.STATUS_ZOMBIE:
                    continue
                cmdline = " ".join(p.cmdline())
                try:
                    environ = " ".join(p.environ().values())
                except (psutil.AccessDenied, psutil.ZombieProcess):
                    environ = ""
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            yield p.pid, cmdline, environ
        return
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":
                continue
            cmdline = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            try:
                environ = (d / "environ").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                environ = ""
        except OSError:
            continue
        yield int(d.name), cmdline, environ


def kernels_of(copy: Path) -> list[tuple[int, str]]:
    mark = str(copy)
    return [(pid, cmd) for pid, cmd, env in _processes()
            if "ipykernel_launcher" in cmd and (mark in cmd or mark in env)]


def kernels_gone(copy: Path, grace: float = 3.0) -> list[tuple[int, str]]:
    """Kernels of this copy still alive after ``grace`` seconds (a kernel being reaped
    as the build exits gets that long)."""
    deadline = time.monotonic() + grace
    while True:
        alive = kernels_of(copy)
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def kill_kernels(copy: Path) -> None:
    for pid, _ in kernels_of(copy):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def wait_for(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the build ended (exit {proc.returncode}) before {what}:\n{out}\n{err}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def assert_untouched(box: Sandbox, before: dict[str, str]) -> None:
    after = tree(box.copy)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"notebooks/, figures/ or report/ changed: {changed}"
    assert not box.leftovers(), f"temporary files left behind: {box.leftovers()}"
    assert not kernels_gone(box.copy), f"kernels left running: {kernels_of(box.copy)}"


# ---------------------------------------------------------------------------
# Bad data: stopped before any notebook runs, one line per problem


def _missing_file(d: Path):
    (d / "events.csv").unlink()
    return [("data/events.csv", "-", "-")]


def _empty_file(d: Path):
    (d / "actors.csv").write_text("", encoding="utf-8")
    return [("data/actors.csv", "1", "-")]


def _header_lost_a_column(d: Path):
    path = d / "periods.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].replace(",lane,", ",", 1)
    path.write_text("".join(lines), encoding="utf-8")
    # The header no longer names 'lane', and every row now has one cell too many.
    return [("data/periods.csv", "1", "lane"), ("data/periods.csv", "2", "(cell")]


def _stray_line(d: Path):
    path = d / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "this line does not belong here\n", encoding="utf-8")
    return [("data/events.csv", str(text.count("\n") + 1), "date")]


def _schema_level(d: Path):
    """Three problems only the schema check finds, in three files, reported together."""
    claims = d / "claims.csv"
    rows = read_rows(claims)
    rows.insert(4, list(rows[3]))  # data row 2 (line 4) again, as line 5
    write_rows(claims, rows)
    fk_line = set_cell(d / "event_actors.csv", 1, "actor_id", "no-such-actor")
    vocab_line = set_cell(d / "recognition.csv", 0, "status", "perhaps")
    return [
        ("data/claims.csv", "5", "claim_id"),
        ("data/event_actors.csv", str(fk_line), "actor_id"),
        ("data/recognition.csv", str(vocab_line), "status"),
    ]


@pytest.mark.parametrize(
    "breakage",
    [_missing_file, _empty_file, _header_lost_a_column, _stray_line, _schema_level],
    ids=["missing-file", "empty-file", "header-lost-a-column", "stray-line", "duplicate-row+foreign-key+vocabulary"],
)
def test_bad_data_stops_the_build_before_any_notebook(box, breakage):
    spy = notebook(f"open({str(box.marker)!r}, 'w').close()")
    use_notebooks(box.copy, **{"00_spy": spy})
    expected = breakage(box.copy / "data")
    before = tree(box.copy)

    out = box.run()

    assert out.returncode == 1, out.stdout + out.stderr
    problems = [ln for ln in out.stderr.splitlines() if ln.startswith("data/")]
    for line in problems:
        assert PROBLEM_LINE.match(line), f"not one problem on one line naming file, row and column: {line!r}"
    for file, row, column in expected:
        want = f"{file}: row {row}, column {column}"
        assert any(ln.startswith(want) for ln in problems), f"no line starting {want!r} in:\n{out.stderr}"
    assert "nothing was built" in out.stderr
    assert not box.marker.exists(), "a notebook ran although the data are bad"
    assert "notebook " not in out.stdout, out.stdout
    assert_untouched(box, before)


# ---------------------------------------------------------------------------
# A failing notebook: the notebook and the cell named, no kernel left


@pytest.mark.parametrize(
    "cell, timeout, message",
    [
        ("raise ValueError('boom in cell two')", None, "raised ValueError: boom in cell two"),
        ("import os\nos._exit(1)", None, "the kernel died"),
        ("import time\ntime.sleep(600)", "3", "ran past the 3 s timeout"),
        ("import warnings\nwarnings.warn('something is off')", None, "wrote to stderr"),
    ],
    ids=["cell-raises", "kernel-dies", "cell-hangs", "cell-warns"],
)
def test_failing_notebook_stops_the_build(box, cell, timeout, message):
    use_notebooks(box.copy, **{"00_tiny": TINY, "01_fault": notebook("y = 2", cell)})
    before = tree(box.copy)
    extra = {"NKREPORT_CELL_TIMEOUT": timeout} if timeout else {}

    started = time.monotonic()
    out = box.run(timeout=180, **extra)

    assert out.returncode == 1, out.stdout + out.stderr
    assert re.search(r"01_fault\.ipynb: cell 2 \(", out.stderr), out.stderr
    assert message in out.stderr, out.stderr
    if timeout:
        assert "NKREPORT_CELL_TIMEOUT" in out.stderr, out.stderr
        assert time.monotonic() - started < 120, "the timeout did not stop the cell"
    assert_untouched(box, before)


def test_kernel_process_messages_stay_off_the_terminal_but_explain_a_death(box):
    # What the kernel process itself writes to stderr (not a cell's output) goes to a log:
    # a build that succeeds does not show it; a kernel that dies has its last line quoted.
    noisy = notebook("y = 2", "import sys\nsys.__stderr__.write('kernel-level noise\\n'); sys.__stderr__.flush()")
    use_notebooks(box.copy, **{"00_noisy": noisy})
    out = box.run(timeout=180)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "kernel-level noise" not in out.stderr + out.stdout

    dying = notebook("y = 2", "import sys, os\nsys.__stderr__.write('fatal: the disk is on fire\\n')\n"
                              "sys.__stderr__.flush(); os._exit(1)")
    use_notebooks(box.copy, **{"00_noisy": dying})
    before = tree(box.copy)
    out = box.run(timeout=180)
    assert out.returncode == 1, out.stdout + out.stderr
    assert re.search(r"00_noisy\.ipynb: cell 2 \(.*the kernel died .*; its last message: "
                     r"fatal: the disk is on fire", out.stderr), out.stderr
    assert_untouched(box, before)


# ---------------------------------------------------------------------------
# An interrupted build: previous outputs intact, no temporary files, no kernels

SLEEPER = notebook("y = 2", "import time, pathlib\n"
                   "pathlib.Path(__import__('os').environ['TMPDIR'], 'started').touch()\n"
                   "time.sleep(300)")
# Enough output that exporting it (HTML, then a PDF of some pages) takes a while.
VERBOSE = notebook("y = 2", "for i in range(4000):\n    print(f'line {i} of a long output ' * 3)")


@pytest.mark.parametrize(
    "how",
    ["SIGINT to the process group (Ctrl-C)", "SIGTERM to the build", "SIGINT to the build"],
    ids=["ctrl-c", "sigterm", "sigint"],
)
def test_interrupt_while_notebooks_run(box, how):
    use_notebooks(box.copy, **{"00_tiny": TINY, "01_sleep": SLEEPER})
    before = tree(box.copy)

    proc = box.start()
    try:
        wait_for(box.marker.exists, 120, "the notebook started", proc)
        time.sleep(0.5)
        if how.startswith("SIGINT to the process group"):
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGTERM if "SIGTERM" in how else signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"the build did not stop within 30 s of {how}")

    assert proc.returncode == 130, out + err
    assert "interrupted" in err, err
    assert "Traceback" not in err, err
    assert_untouched(box, before)


def test_interrupt_while_the_report_is_written(box):
    use_notebooks(box.copy, **{"00_verbose": VERBOSE})
    before = tree(box.copy)
    staging = box.copy / ".cache" / "staging"

    proc = box.start()
    try:
        # The staging folder holds files only while figures and report are written.
        wait_for(lambda: staging.is_dir() and any(staging.rglob("*.ipynb")), 180,
                 "the report to be staged", proc)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail("the build did not stop within 30 s of SIGTERM")

    assert proc.returncode == 130, out + err
    assert "interrupted" in err, err
    assert_untouched(box, before)


# ---------------------------------------------------------------------------
# Two builds at once


def test_second_build_refuses_while_the_first_runs(box):
    waiter = notebook("y = 2", "import os, time, pathlib\n"
                      "tmp = pathlib.Path(os.environ['TMPDIR'])\n"
                      "(tmp / 'started').touch()\n"
                      "deadline = time.time() + 120\n"
                      "while not (tmp / 'gate').exists() and time.time() < deadline:\n"
                      "    time.sleep(0.05)")
    use_notebooks(box.copy, **{"00_tiny": TINY, "01_wait": waiter})
    before = tree(box.copy)
    lock = box.copy / ".cache" / "build.lock"

    first = box.start("--no-pdf")
    try:
        wait_for(box.marker.exists, 120, "the first build's notebook started", first)
        # The kernel check used throughout sees this build's running kernel.
        assert kernels_of(box.copy), "kernels_of() does not see the running build's kernel"
        # The first build holds the lock now.
        with open(lock, "a+") as fh:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)

        t0 = time.monotonic()
        second = box.run("--no-pdf", timeout=60)
        assert time.monotonic() - t0 < 30, "the second build did not refuse at once"
        assert second.returncode != 0, second.stdout + second.stderr
        assert "build.lock" in second.stderr and "another build is running" in second.stderr, second.stderr
        assert "check data" not in second.stdout, second.stdout
        assert tree(box.copy) == before, "the second build changed outputs"

        box.gate.touch()
        out, err = first.communicate(timeout=180)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.communicate()

    assert first.returncode == 0, out + err
    assert "done" in out
    after = tree(box.copy)
    assert {"notebooks/00_tiny.ipynb", "notebooks/01_wait.ipynb", "report/report.html"} <= after.keys()
    executed = nbformat.read(box.copy / "notebooks" / "00_tiny.ipynb", as_version=4)
    assert executed.cells[1].outputs[0]["data"]["text/plain"] == "2"
    assert not box.leftovers(), box.leftovers()
    assert not kernels_gone(box.copy), kernels_of(box.copy)


# ---------------------------------------------------------------------------
# Text from data/ reaches the HTML escaped


def test_markdown_from_data_is_escaped(tmp_path, monkeypatch):
    from nkreport import display

    (tmp_path / "NOTE.md").write_text(f"# Title\n\n## Part\n\n{PAYLOAD} & more\n", encoding="utf-8")
    monkeypatch.setenv("NKREPORT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NKREPORT_READ_LOG", raising=False)
    body = display.markdown_file("NOTE.md")._repr_mimebundle_()[0]["text/markdown"]
    assert "<" not in body and ">" not in body, body
    assert "&lt;script&gt;" in body and "&amp; more" in body


def _chromium_or_skip():
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is absent"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright is not installed"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run on CI: {reason}")
        pytest.skip(f"browser test skipped: {reason} (it must run on CI)")


@pytest.fixture(scope="module")
def report_with_payloads(tmp_path_factory):
    """A build whose data hold script: in a claim's paraphrase (claims.csv) and in the
    Markdown document notebooks show (GRADING.md), opened in Chromium. Returns what the
    page showed and did."""
    _chromium_or_skip()
    sb = Sandbox(tmp_path_factory.mktemp("xss"))
    try:
        data = sb.copy / "data"
        claims = data / "claims.csv"
        rows = read_rows(claims)
        rows[1][rows[0].index("paraphrase")] = PAYLOAD
        write_rows(claims, rows)
        with open(data / "GRADING.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## Injected\n\n{MD_PAYLOAD}\n\n[a link from data](javascript:void(document.title='pwned-link'))\n")
        use_notebooks(sb.copy, **{"00_claims": notebook(
            'import nkreport as nk\nt = nk.load("claims", "actors", "periods", "sources")',
            'nk.table("claims", t)',
            'nk.markdown_file("GRADING.md")',
        )})
        out = sb.run("--no-pdf")
        assert out.returncode == 0, out.stdout + out.stderr
        html_path = sb.copy / "report" / "report.html"
    finally:
        kill_kernels(sb.copy)
        sb.close()

    from playwright.sync_api import sync_playwright

    seen: dict = {"dialogs": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
            page.goto(html_path.as_uri())
            page.wait_for_load_state("load")
            page.wait_for_timeout(500)  # time for an onerror handler to fire, were there one
            seen["title"] = page.title()
            seen["text"] = page.inner_text("body")
            seen["injected_imgs"] = page.evaluate("document.querySelectorAll('img[src=\"x\"]').length")
            seen["scripts"] = page.evaluate("[...document.scripts].filter(s => s.textContent.includes('pwned')).length")
            seen["js_links"] = page.evaluate(
                "[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
                ".filter(h => h.trim().toLowerCase().startsWith('javascript:'))")
            link = page.get_by_text("a link from data")
            if link.count():
                link.first.click()
                page.wait_for_timeout(300)
            seen["title_after_click"] = page.title()
        finally:
            browser.close()
    return seen


@pytest.mark.browser
def test_text_from_data_is_shown_not_run_in_chromium(report_with_payloads):
    seen = report_with_payloads
    assert "pwned" not in seen["title"], seen["title"]
    assert not seen["dialogs"]
    assert PAYLOAD in seen["text"], "the paraphrase is not shown as text"
    assert MD_PAYLOAD in seen["text"], "the Markdown from data/ is not shown as text"
    assert seen["injected_imgs"] == 0 and seen["scripts"] == 0


@pytest.mark.browser
def test_links_in_markdown_from_data_run_no_script(report_with_payloads):
    seen = report_with_payloads
    assert "pwned" not in seen["title_after_click"], "clicking a link from data/ ran script"
    assert not seen["js_links"], f"javascript: links from data/ reached the HTML: {seen['js_links']}"


# ---------------------------------------------------------------------------
# Reproducibility: whole clean builds (slow)


def clean_copy(copy: Path) -> Path:
    """Make a copy clean: notebooks without outputs, figures/ and report/ empty, so that
    everything compared afterwards was made by the build."""
    for p in sorted((copy / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(p, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        nb.metadata.pop("language_info", None)
        nbformat.write(nb, p)
    for d in ("figures", "report"):
        shutil.rmtree(copy / d)
        (copy / d).mkdir()
    return copy


@pytest.fixture(scope="module")
def two_clean_builds(tmp_path_factory):
    """Two clean builds in two copies at different paths, run at the same time (each
    copy has its own lock; at once they take less time than one after the other, as
    the export of one overlaps the notebooks of the other)."""
    boxes = [Sandbox(tmp_path_factory.mktemp("build"), name) for name in ("project", "second-copy-of-the-project")]
    for sb in boxes:
        clean_copy(sb.copy)
    started = time.monotonic()
    procs = [sb.start() for sb in boxes]
    builds = []
    try:
        for sb, proc in zip(boxes, procs):
            out, err = proc.communicate(timeout=1200)
            builds.append((sb.copy, subprocess.CompletedProcess(proc.args, proc.returncode, out, err),
                           time.monotonic() - started, sb.leftovers() + [str(k) for k in kernels_gone(sb.copy)]))
    finally:
        for sb, proc in zip(boxes, procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
            kill_kernels(sb.copy)
            sb.close()
    return builds


def _outputs(root: Path) -> dict[str, str]:
    files = sorted((root / "notebooks").glob("*.ipynb")) + sorted((root / "figures").glob("*")) + sorted(
        (root / "report").glob("*"))
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


def _diff(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(two_clean_builds):
    (a, out_a, _, left_a), (b, out_b, _, left_b) = two_clean_builds
    assert out_a.returncode == 0, out_a.stdout + out_a.stderr
    assert out_b.returncode == 0, out_b.stdout + out_b.stderr
    assert not left_a and not left_b, f"left behind by a successful build: {left_a + left_b}"
    oa = _outputs(a)
    assert any(k.startswith("figures/") for k in oa) and "report/report.pdf" in oa and "report/report.html" in oa
    assert not _diff(oa, _outputs(b)), f"differ between two clean builds: {_diff(oa, _outputs(b))}"


@pytest.mark.slow
def test_clean_build_reproduces_the_committed_outputs(two_clean_builds):
    (a, out_a, _, _), _ = two_clean_builds
    assert out_a.returncode == 0, out_a.stdout + out_a.stderr
    differ = _diff(_outputs(ROOT), _outputs(a))
    assert not differ, f"a clean build does not reproduce the committed outputs: {differ}"

