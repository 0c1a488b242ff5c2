"""The build benchmark (`make bench`): times the build against plain nbconvert + WeasyPrint.

Everything runs in one process on one machine, each build in a temporary copy of the
project (data/, notebooks/, requirements.txt, pyproject.toml; never .venv or .cache):

- clean build: `python -m nkreport build --root COPY` with no COPY/.cache (as after `make clean`);
- no-op build: the same again, nothing changed;
- one CSV changed: data/recognition.csv edited (a note), which only some notebooks read;
  the build's progress lines must say that exactly those notebooks were "executed";
- make test: `python -m pytest -m "not slow"` in the project, as `make test` runs it;
- baseline: each notebook through `jupyter nbconvert --to notebook --execute`, one after
  another, then `jupyter nbconvert --to html --no-input` for each, then WeasyPrint on each;
- 10x data: the clean build on synthetic data ten times the size of data/, generated into
  a temporary folder and checked with `python -m nkreport check --data-dir`.

Peak memory is the peak of the summed resident set size (RSS) of the measured process and
all its descendants, sampled every 0.1 s with psutil. Shared pages are counted once per
process, so this overstates real use a little; a spike shorter than 0.1 s may be missed.

Writes the table to BENCHMARKS.md. Options: --no-write, --only ROW[,ROW], --reps N (force
the number of repetitions of every row), --keep (keep the temporary copies).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from nkreport.derive import STATE_KINDS

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BIN = ROOT / ".venv" / "bin" if (ROOT / ".venv" / "bin" / "jupyter").exists() else Path(PY).parent
JUPYTER = str(BIN / "jupyter")
WEASYPRINT = str(BIN / "weasyprint")
COPY_ITEMS = ("data", "notebooks", "requirements.txt", "pyproject.toml")
# The same environment variables as the Makefile exports.
MAKE_ENV = {
    "JUPYTER_PLATFORM_DIRS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
}
CHANGED_CSV = "recognition.csv"
SCALE = 10
SLOW = 60.0  # a run longer than this gets 2 repetitions, not 3
VERY_SLOW = 120.0  # ... and 1 for the baseline, make test and the 10x build
RETRIES = 2  # a failing build (someone editing the notebooks) is retried after a minute
RETRY_WAIT = 60
GIB = 1024**3


def say(msg: str) -> None:
    print(f"bench  {msg}", flush=True)


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(MAKE_ENV)
    env.pop("NKREPORT_DATA_DIR", None)
    env.pop("NKREPORT_READ_LOG", None)
    env.update(extra)
    return env


# ---------------------------------------------------------------------------
# Running and measuring one command


@dataclass
class Run:
    seconds: float
    peak: int  # bytes: peak summed RSS of the process tree
    rc: int
    out: str


class TreeMemory(threading.Thread):
    """Polls the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._halt.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for p in procs:
                try:
                    total += p.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    pass
            self.peak = max(self.peak, total)
            self._halt.wait(self.interval)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 3600) -> Run:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    mem = TreeMemory(proc.pid)
    mem.start()
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        out += f"\nbench: killed after {timeout:.0f} s"
    seconds = time.perf_counter() - started
    return Run(seconds, mem.stop(), proc.returncode, out)


def run_all(cmds: list[tuple[list[str], Path]], env: dict[str, str]) -> Run:
    """Commands one after another: total time, the highest peak, the first failure."""
    total, peak, outs = 0.0, 0, []
    for cmd, cwd in cmds:
        r = run(cmd, cwd, env)
        total += r.seconds
        peak = max(peak, r.peak)
        outs.append(f"$ {' '.join(cmd)}\n{r.out}")
        if r.rc != 0:
            return Run(total, peak, r.rc, "\n".join(outs))
    return Run(total, peak, 0, "\n".join(outs))


def tail(text: str, n: int = 8) -> str:
    return "\n".join("        " + ln for ln in text.strip().splitlines()[-n:])


# ---------------------------------------------------------------------------
# Copies of the project and synthetic data


def make_copy(parent: Path, name: str, data: Path | None = None) -> Path:
    target = parent / name
    target.mkdir()
    for item in COPY_ITEMS:
        src = (data if (item == "data" and data) else ROOT / item)
        if src.is_dir():
            shutil.copytree(src, target / item, ignore=shutil.ignore_patterns("_incoming", ".ipynb_checkpoints"))
        else:
            shutil.copy2(src, target / item)
    return target


def build_cmd(copy: Path, *extra: str) -> list[str]:
    return [PY, "-m", "nkreport", "build", "--root", str(copy), *extra]


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _period_spans(periods: list[dict[str, str]]) -> dict[str, tuple[dt.date, dt.date]]:
    from nkreport.dates import bounds

    return {p["period_id"]: (bounds(p["start"])[0], bounds(p["end"])[1]) for p in periods}


#: Actors that are a fixed set, like periods: states and would-be states. Ten times the
#: data means more sources, claims, events and people, not ten Irans or ten Armenias.
FIXED_ACTOR_KINDS = STATE_KINDS


def synthetic_data(src: Path, target: Path, scale: int = SCALE) -> dict[str, int]:
    """data/ with every table `scale` times as long, but for the fixed sets: periods,
    recognition and the states (FIXED_ACTOR_KINDS) stay as they are.

    Copy k of a row gets ids with the suffix -xk, and its foreign keys point at copy k of
    the rows they referred to, or at the original for a period or a state, so every key
    stays valid and copied claims and events are still about Iran, Armenia, Azerbaijan...
    Quotations keep their text and their source keeps its text file, so they are still
    found word for word in the seed. Day-precise event dates move by up to 120 days,
    staying inside their period."""
    shutil.copytree(src, target, ignore=shutil.ignore_patterns("_incoming"))
    rng = random.Random(20130308)
    tables = {name: read_csv(src / f"{name}.csv") for name in
              ("sources", "actors", "periods", "events", "event_actors", "claims", "claim_links", "recognition")}
    spans = _period_spans(tables["periods"][1])
    fixed = {a["actor_id"] for a in tables["actors"][1] if a["kind"] in FIXED_ACTOR_KINDS}

    def sfx(value: str, k: int) -> str:
        return f"{value}-x{k}" if value else value

    def actor(value: str, k: int) -> str:
        return value if value in fixed else sfx(value, k)

    def grow(name: str, ids: tuple[str, ...], actor_ids: tuple[str, ...] = (), extra=None, keep=lambda row: False) -> None:
        header, rows = tables[name]
        out = list(rows)
        for k in range(1, scale):
            for row in rows:
                if keep(row):
                    continue
                new = dict(row)
                for col in ids:
                    new[col] = sfx(row[col], k)
                for col in actor_ids:
                    new[col] = actor(row[col], k)
                if extra:
                    extra(new, row, k)
                out.append(new)
        write_csv(target / f"{name}.csv", header, out)

    def actor_extra(new, row, k):
        # "Mohsen Rezaee-2", "Author of the commentary 2 (anonymous)": the number stays in
        # the part of the name the figures print (a person's surname; a name before its
        # parenthesis), so copies are told apart there too.
        base, paren = (row["name"].split(" (", 1) + [""])[:2]
        base += f"-{k + 1}" if row["kind"] == "person" else f" {k + 1}"
        new["name"] = base + (f" ({paren}" if paren else "")

    def event_extra(new, row, k):
        if row["date_precision"] != "day":
            return
        lo, hi = spans[row["period_id"]]
        day = dt.date.fromisoformat(row["date"]) + dt.timedelta(days=rng.randint(-120, 120))
        new["date"] = min(max(day, lo), hi).isoformat()

    grow("sources", ("source_id", "via_source_id"), ("actor_id",))
    grow("actors", ("actor_id", "source_id"), ("country_id",), actor_extra, keep=lambda row: row["actor_id"] in fixed)
    grow("events", ("event_id", "source_id", "alt_source_id"), (), event_extra)
    grow("event_actors", ("event_id", "source_id"), ("actor_id",))
    grow("claims", ("claim_id", "source_id"), ("claimant_id", "subject_id", "toward_id"))
    grow("claim_links", ("claim_id", "target_claim_id", "source_id"))
    return {name: len(read_csv(target / f"{name}.csv")[1]) for name in tables}


def edit_csv(data: Path, n: int) -> None:
    """Change one cell of the changed CSV (the note of its last row), differently each time."""
    header, rows = read_csv(data / CHANGED_CSV)
    note = re.sub(r" \[bench edit \d+\]$", "", rows[-1]["note"])
    rows[-1]["note"] = f"{note} [bench edit {n}]"
    write_csv(data / CHANGED_CSV, header, rows)


def notebooks_reading(notebooks: Path, table: str) -> set[str]:
    """Which notebooks load `table`, from their code: nk.load("a", "b"); nk.load() loads all."""
    out = set()
    for path in sorted(notebooks.glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                         for c in nb["cells"] if c["cell_type"] == "code")
        for args in re.findall(r"nk\.load\(([^)]*)\)", code):
            names = re.findall(r"[\"']([a-z_]+)[\"']", args)
            if not names or table in names:
                out.add(path.name)
    return out


# ---------------------------------------------------------------------------
# Reading the build's progress lines


def progress(out: str) -> dict:
    executed = re.findall(r"^notebook\s+(\S+): executed in ([\d.]+) s", out, re.M)
    cached = re.findall(r"^notebook\s+(\S+): cached", out, re.M)

    def secs(pattern: str) -> float | None:
        m = re.search(pattern, out, re.M)
        return float(m.group(1)) if m else None

    return {
        "executed": {name: float(s) for name, s in executed},
        "cached": set(cached),
        "nothing_to_do": "nothing to do" in out,
        "check": secs(r"^check data\s+ok \(([\d.]+) s\)"),
        "figures": secs(r"^figures\s+.*\(([\d.]+) s\)"),
        "html": secs(r"^report\s+report\.html \(.*?([\d.]+) s\)"),
        "pdf": secs(r"^report\s+report\.pdf \(.*?([\d.]+) s\)"),
        "total": secs(r"^done\s+.* in ([\d.]+) s"),
        "pages": secs(r"^report\s+report\.pdf \((\d+) pages"),
    }


# ---------------------------------------------------------------------------
# Rows of the table


@dataclass
class Row:
    key: str
    label: str
    runs: list[Run] = field(default_factory=list)
    failed: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    steps: list[dict[str, float]] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)  # csv row: the notebooks the first run executed
    only_readers: bool = False  # csv row: every run executed exactly the notebooks that read the CSV

    @property
    def median(self) -> float | None:
        return statistics.median(r.seconds for r in self.runs) if self.runs else None

    @property
    def peak(self) -> int | None:
        return max(r.peak for r in self.runs) if self.runs else None


def reps_for(first: float, forced: int | None, long_ok_once: bool, fast: int = 3) -> int:
    if forced:
        return forced
    if first <= SLOW:
        return fast
    if long_ok_once and first > VERY_SLOW:
        return 1
    return 2


def package_hash() -> str:
    """The hash the build keys its cache on (src/nkreport's files): when someone edits the
    package during the benchmark, every notebook is stale and the run measures nothing."""
    from nkreport.build import package_hash as h

    return h()


class Stale(Exception):
    """The package changed during a run; the run is not counted (and is repeated)."""


def measure(row: Row, once, forced: int | None, long_ok_once: bool = False, fast: int = 3) -> None:
    """Run `once(i)` (which returns a Run) as many times as its duration allows."""
    i, wanted, attempts, stale = 0, None, 0, 0
    while wanted is None or len(row.runs) < wanted:
        try:
            r = once(i)
        except Stale as exc:
            stale += 1
            say(f"{row.label}: run not counted: {exc}")
            if stale > 5:
                row.notes.append(f"gave up: {exc} in {stale} runs")
                return
            continue
        finally:
            i += 1
        if r.rc != 0:
            row.failed.append(r)
            attempts += 1
            say(f"{row.label}: run failed (exit {r.rc}):\n{tail(r.out)}")
            if attempts > RETRIES:
                say(f"{row.label}: giving up after {attempts} failed runs")
                return
            say(f"{row.label}: retrying in {RETRY_WAIT} s (someone may be editing the notebooks)")
            time.sleep(RETRY_WAIT)
            continue
        row.runs.append(r)
        row.logs.append(r.out)
        if wanted is None:
            wanted = reps_for(r.seconds, forced, long_ok_once, fast)
        say(f"{row.label}: run {len(row.runs)}/{wanted}: {r.seconds:.1f} s, peak {r.peak / 2**20:.0f} MiB")
    if stale:
        row.notes.append(f"{stale} run(s) not counted because src/nkreport changed while they ran")


def bench_builds(tmp: Path, forced: int | None, rows: dict[str, Row], only: set[str]) -> None:
    copy = make_copy(tmp, "project")
    env = environment()
    if "clean" in only:
        def clean_once(i):
            shutil.rmtree(copy / ".cache", ignore_errors=True)  # what `make clean` removes
            return run(build_cmd(copy), copy, env)

        measure(rows["clean"], clean_once, forced)
    if not (only & {"noop", "csv"}):
        return
    warm = {"hash": None}

    def warm_build() -> None:
        """Bring the cache up to date with the package as it is now (not timed)."""
        h = package_hash()
        if warm["hash"] != h:
            r = run(build_cmd(copy), copy, env)
            if r.rc != 0:
                say(f"warm-up build failed:\n{tail(r.out)}")
            warm["hash"] = h

    def timed_build() -> Run:
        r = run(build_cmd(copy), copy, env)
        if package_hash() != warm["hash"]:
            warm["hash"] = None
            raise Stale("src/nkreport changed during the build")
        return r

    if "noop" in only:
        row = rows["noop"]

        def noop_once(i):
            warm_build()
            return timed_build()

        measure(row, noop_once, forced, fast=5)
        not_noop = [n for n, r in enumerate(row.runs, 1) if not progress(r.out)["nothing_to_do"]]
        if not_noop:
            row.notes.append(f"runs {not_noop} did not say 'nothing to do'")
    if "csv" in only:
        row = rows["csv"]
        expected = notebooks_reading(copy / "notebooks", CHANGED_CSV.removesuffix(".csv"))

        def csv_once(i):
            warm_build()
            edit_csv(copy / "data", i + 1)
            return timed_build()

        measure(row, csv_once, forced)
        sets = [set(progress(r.out)["executed"]) for r in row.runs]
        row.notes.append(
            f"edited data/{CHANGED_CSV}; notebooks that load it: {', '.join(sorted(expected)) or 'none'}"
        )
        for n, got in enumerate(sets, 1):
            if got != expected:
                row.notes.append(f"run {n} executed {', '.join(sorted(got)) or 'nothing'}")
        row.only_readers = bool(sets) and all(s == expected for s in sets)
        row.executed = sorted(sets[0]) if sets else []


def bench_test(forced: int | None, row: Row) -> None:
    env = environment()
    cmd = [PY, "-m", "pytest", "-m", "not slow", "-q", "-p", "no:randomly"]

    def once(i):
        r = run(cmd, ROOT, env)
        # Failing tests are a result to report, not a reason to retry: keep the time.
        summary = re.findall(r"^=*\s*(\d+ (?:passed|failed).*?) in [\d.]+s", r.out, re.M)
        failed = re.findall(r"^FAILED (\S+)", r.out, re.M)
        row.notes.append(f"run {i + 1}: exit {r.rc}" + (f", {summary[-1]}" if summary else "")
                         + (f" (failed: {', '.join(failed)})" if failed else ""))
        return Run(r.seconds, r.peak, 0 if r.rc in (0, 1) else r.rc, r.out)

    measure(row, once, forced, long_ok_once=True)


def bench_baseline(tmp: Path, forced: int | None, row: Row) -> None:
    def once(i):
        copy = tmp / f"baseline-{i}"
        shutil.rmtree(copy, ignore_errors=True)
        copy = make_copy(tmp, f"baseline-{i}")
        out = copy / "out"
        out.mkdir()
        env = environment(NKREPORT_DATA_DIR=str(copy / "data"))
        nbs = sorted((copy / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        phases = {
            "execute": [([JUPYTER, "nbconvert", "--to", "notebook", "--execute", str(nb), "--output-dir", str(out)],
                         copy / "notebooks") for nb in nbs],
            "html": [([JUPYTER, "nbconvert", "--to", "html", "--no-input", str(out / nb.name)], out) for nb in nbs],
            "pdf": [([WEASYPRINT, str(out / f"{nb.stem}.html"), str(out / f"{nb.stem}.pdf")], out) for nb in nbs],
        }
        total, peak, outs, steps = 0.0, 0, [], {}
        for phase, cmds in phases.items():
            r = run_all(cmds, env)
            total += r.seconds
            peak = max(peak, r.peak)
            outs.append(r.out)
            steps[phase] = r.seconds
            if r.rc != 0:
                return Run(total, peak, r.rc, "\n".join(outs))
        row.steps.append(steps)
        shutil.rmtree(copy, ignore_errors=True)
        return Run(total, peak, 0, "\n".join(outs))

    measure(row, once, forced, long_ok_once=True)
    row.notes.append("10 notebooks: nbconvert --execute each, then nbconvert --to html --no-input each, then weasyprint each")


def bench_scaled(tmp: Path, forced: int | None, row: Row) -> Path | None:
    data = tmp / "data-10x"
    counts = synthetic_data(ROOT / "data", data)
    r = run([PY, "-m", "nkreport", "check", "--data-dir", str(data)], ROOT, environment())
    if r.rc != 0:
        row.notes.append("the synthetic data failed `nkreport check`: " + r.out.strip().splitlines()[-1])
        say(f"synthetic data invalid:\n{tail(r.out, 20)}")
        return None
    real = {name: len(read_csv(ROOT / "data" / f"{name}.csv")[1]) for name in counts}
    row.notes.append(
        f"synthetic data passes `nkreport check --data-dir`; rows {sum(real.values())} -> {sum(counts.values())} "
        f"({', '.join(f'{k} {real[k]}->{v}' for k, v in counts.items())})"
    )
    copy = make_copy(tmp, "project-10x", data=data)
    env = environment()

    def once(i):
        shutil.rmtree(copy / ".cache", ignore_errors=True)
        return run(build_cmd(copy), copy, env)

    measure(row, once, forced, long_ok_once=True)
    return copy if row.runs else None


# ---------------------------------------------------------------------------
# Are the figures still readable at ten times the data?

READABILITY = r'''
import json, sys
import matplotlib
matplotlib.use("Agg")
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
import nkreport as nk
from nkreport import catalog
from nkreport.style import rc

drawn = {}
_draw = Text.draw
def recording_draw(self, renderer):
    _draw(self, renderer)
    if self.get_visible() and self.get_text().strip():
        drawn[id(self)] = (self.get_window_extent(renderer).extents, self.get_fontsize(), self.get_text())
Text.draw = recording_draw

out = {}
t = nk.load(data_dir=sys.argv[1])
for entry in catalog.FIGURES:
    fig = entry(t)
    drawn.clear()
    with rc():
        FigureCanvasAgg(fig).draw()
    W, H = fig.bbox.width, fig.bbox.height
    boxes = np.array([list(b) for b, _, _ in drawn.values()]).reshape(-1, 4)
    sizes = [s for _, s, _ in drawn.values()]
    labels = [t for _, _, t in drawn.values()]
    overlaps = outside = 0
    off = []
    if len(boxes):
        x0, y0, x1, y1 = boxes.T
        iw = np.clip(np.minimum(x1[:, None], x1[None]) - np.maximum(x0[:, None], x0[None]), 0, None)
        ih = np.clip(np.minimum(y1[:, None], y1[None]) - np.maximum(y0[:, None], y0[None]), 0, None)
        area = np.maximum((x1 - x0) * (y1 - y0), 1e-9)
        frac = iw * ih / np.minimum(area[:, None], area[None])
        overlaps = int(np.triu(frac > 0.2, 1).sum())
        out_mask = (x0 < -1) | (y0 < -1) | (x1 > W + 1) | (y1 > H + 1)
        outside = int(out_mask.sum())
        off = [labels[i][:40] for i in np.flatnonzero(out_mask)[:3]]
    w_in, h_in = fig.get_size_inches()
    out[entry.id] = {"texts": len(boxes), "min_font": round(min(sizes), 1) if sizes else None,
                     "overlaps": overlaps, "outside": outside, "off": off,
                     "inches": [round(float(w_in), 2), round(float(h_in), 2)]}
print(json.dumps(out))
'''


def readability(real: Path, scaled: Path) -> tuple[bool, list[str]]:
    """Draw every figure from both data sets and compare what makes a figure hard to read:
    text smaller than on the real data (or under 6 pt), more overlapping labels, text
    outside the canvas, a canvas far larger than the page allows."""
    env = environment()
    res = {}
    for name, data in (("real", real), ("10x", scaled)):
        r = run([PY, "-c", READABILITY, str(data)], ROOT, env)
        if r.rc != 0:
            return False, [f"could not draw the figures from the {name} data:\n{tail(r.out)}"]
        res[name] = json.loads(r.out.strip().splitlines()[-1])
    ok, lines = True, []
    for fig_id, s in res["10x"].items():
        b = res["real"].get(fig_id, {})
        problems = []
        if s["min_font"] is not None and (s["min_font"] < 6 or (b.get("min_font") and s["min_font"] < b["min_font"])):
            problems.append(f"smallest text {s['min_font']:.1f} pt (real data: {b.get('min_font')} pt)")
        if s["overlaps"] > b.get("overlaps", 0):
            problems.append(f"{s['overlaps']} overlapping label pairs (real data: {b.get('overlaps', 0)})")
        if s["outside"] > b.get("outside", 0):
            problems.append(f"{s['outside']} label(s) off the canvas (real data: {b.get('outside', 0)}), e.g. "
                            + ", ".join(repr(t) for t in s["off"]))
        if s["inches"][1] > 2 * max(b.get("inches", [0, 0])[1], 5) or s["inches"][1] > 24:
            problems.append(f"{s['inches'][0]} x {s['inches'][1]} in (real data: {b.get('inches')})")
        ok = ok and not problems
        lines.append(f"{fig_id}: " + ("; ".join(problems) if problems else
                                       f"readable ({s['texts']} labels, smallest {s['min_font']} pt, "
                                       f"{s['overlaps']} overlaps, {s['inches'][0]} x {s['inches'][1]} in)"))
    return ok, lines


# ---------------------------------------------------------------------------
# The table


def fmt_s(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.2f} s" if x < 10 else f"{x:.0f} s"


def fmt_mib(x: int | None) -> str:
    return "-" if x is None else f"{x / 2**20:.0f} MiB"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**NOT MET**")


def table(rows: dict[str, Row], readable: tuple[bool, list[str]] | None) -> tuple[str, list[tuple[str, str, str]]]:
    base = rows["baseline"].median
    clean = rows["clean"].median

    def ratio(r: Row) -> str:
        return f"{r.median / base:.2f}" if (r.median is not None and base) else "-"

    lines = ["| measure | reps | median | min - max | x baseline | peak memory |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows.values():
        spread = f"{fmt_s(min(x.seconds for x in r.runs))} - {fmt_s(max(x.seconds for x in r.runs))}" if r.runs else "-"
        reps = f"{len(r.runs)}" + (f" (+{len(r.failed)} failed)" if r.failed else "")
        lines.append(f"| {r.label} | {reps} | {fmt_s(r.median)} | {spread} | {ratio(r)} | {fmt_mib(r.peak)} |")

    goals: list[tuple[str, str, str]] = []

    def goal(text: str, measured: str, ok: bool | None) -> None:
        goals.append((text, measured, verdict(ok)))

    goal("clean build <= 0.5 x baseline",
         f"{clean / base:.2f} x ({fmt_s(clean)} vs {fmt_s(base)})" if (clean and base) else "not measured",
         (clean <= 0.5 * base) if (clean and base) else None)
    noop = rows["noop"]
    noop_ok = None
    if noop.median is not None:
        noop_ok = noop.median <= 1.0 and all(progress(x.out)["nothing_to_do"] for x in noop.runs)
    goal("no-op build <= 1 s", fmt_s(noop.median) if noop.median is not None else "not measured", noop_ok)
    csvr = rows["csv"]
    if csvr.runs:
        goal(f"after editing data/{CHANGED_CSV}, only the notebooks that read it run",
             f"executed: {', '.join(csvr.executed) or 'none'}", csvr.only_readers)
    else:
        goal(f"after editing data/{CHANGED_CSV}, only the notebooks that read it run", "not measured", None)
    big = rows["scaled"].median
    goal("10x data builds in <= 2 x the time of the real data",
         f"{big / clean:.2f} x ({fmt_s(big)} vs {fmt_s(clean)})" if (big and clean) else "not measured",
         (big <= 2 * clean) if (big and clean) else None)
    goal("figures stay readable at 10x data", "see below" if readable else "not measured",
         readable[0] if readable else None)
    peak = rows["clean"].peak
    goal("peak memory of a clean build <= 1 GiB", fmt_mib(peak), (peak <= GIB) if peak else None)
    glines = ["| goal | measured | result |", "| --- | --- | --- |"]
    glines += [f"| {g} | {m} | {v} |" for g, m, v in goals]
    return "\n".join(lines) + "\n\n" + "\n".join(glines), goals


def where_time_goes(rows: dict[str, Row]) -> list[str]:
    out = []
    for key in ("clean", "csv", "scaled"):
        r = rows[key]
        if not r.runs:
            continue
        ps = [progress(x.out) for x in r.runs]

        def med(k):
            vals = [p[k] for p in ps if p[k] is not None]
            return statistics.median(vals) if vals else None

        nb_sum = statistics.median(sum(p["executed"].values()) for p in ps)
        wall = r.median
        parts = {k: med(k) for k in ("check", "figures", "html", "pdf")}
        known = sum(v for v in parts.values() if v)
        slowest = max(ps[0]["executed"].items(), key=lambda kv: kv[1]) if ps[0]["executed"] else None
        out.append(
            f"- {r.label}: check data {fmt_s(parts['check'])}; notebooks about {fmt_s(wall - known)} of wall time "
            f"({len(ps[0]['executed'])} executed, {nb_sum:.0f} s of kernel time summed"
            + (f", slowest {slowest[0]} {slowest[1]:.0f} s" if slowest else "")
            + f"); figures {fmt_s(parts['figures'])}; HTML {fmt_s(parts['html'])}; PDF {fmt_s(parts['pdf'])}"
            + (f" ({med('pages'):.0f} pages)." if med("pages") else ".")
        )
    b = rows["baseline"]
    if b.steps:
        med = {k: statistics.median(s[k] for s in b.steps) for k in b.steps[0]}
        out.append(f"- {b.label}: execute {fmt_s(med['execute'])}, HTML {fmt_s(med['html'])}, "
                   f"PDF {fmt_s(med['pdf'])} (one command per notebook, each with its own start-up).")
    return out


def write_markdown(rows, tbl, readable, started: dt.datetime, elapsed: float, load: list[float]) -> str:
    cores = os.cpu_count()
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`.venv/bin/python benchmarks/bench.py`); do not edit by hand.",
        "",
        f"- date: {started:%Y-%m-%d %H:%M} UTC; whole benchmark {elapsed / 60:.1f} min",
        f"- machine: {cores} cores ({platform.machine()}), {psutil.virtual_memory().total / GIB:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}",
        f"- load average (1 min) at the start and end of the benchmark: {load[0]:.1f}, {load[1]:.1f} "
        "(anything well above 0 means other work shared the cores and the times are high)",
        "- command: `make bench`",
        "",
        tbl,
        "",
        f"Medians of the repetitions shown: 3 (5 for the no-op build) for runs under {SLOW:.0f} s, 2 for longer "
        f"ones, 1 for the baseline, `make test` and the 10x build when a run takes over {VERY_SLOW:.0f} s, "
        "so that the whole benchmark fits in about a quarter of an hour on two cores. `make test` has no goal; "
        "it is timed for reference.",
        "Peak memory: the highest summed resident set size (RSS) of the measured process and all its "
        "children (kernels, workers), sampled every 0.1 s with psutil; pages shared between processes "
        "are counted in each, so it errs high. For the baseline it is the highest of its commands.",
        "",
        "## What was measured",
        "",
        "Every build runs `python -m nkreport build --root COPY` in a temporary copy of the project "
        "(data/, notebooks/, requirements.txt, pyproject.toml) with the Makefile's environment.",
        "",
    ]
    for r in rows.values():
        lines.append(f"- **{r.label}**" + (": " + "; ".join(r.notes) if r.notes else ""))
    lines += ["", "## Where the time goes (the build's progress lines, medians)", ""]
    lines += where_time_goes(rows) or ["- no build was measured"]
    if readable:
        lines += ["", "## Figures at ten times the data", "",
                  "Each figure drawn from the real and from the 10x data; a figure counts as readable when its "
                  "smallest text is no smaller than on the real data (and at least 6 pt), no more labels overlap "
                  "(boxes sharing over 20 % of the smaller one) or fall off the canvas, and the canvas does not "
                  "grow past twice its height (or 24 in).", ""]
        lines += [f"- {ln}" for ln in readable[1]]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------


ROWS = {
    "clean": "clean build (no .cache)",
    "noop": "no-op build",
    "csv": f"build after editing data/{CHANGED_CSV}",
    "test": "make test (pytest -m 'not slow')",
    "baseline": "baseline: nbconvert + WeasyPrint",
    "scaled": "clean build, 10x data",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=",".join(ROWS), help="rows to measure: " + ",".join(ROWS))
    ap.add_argument("--reps", type=int, default=None, help="force this many repetitions of every row")
    ap.add_argument("--no-write", action="store_true", help="print the table; do not write BENCHMARKS.md")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copies")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    unknown = only - set(ROWS)
    if unknown:
        ap.error(f"unknown rows: {', '.join(sorted(unknown))}")

    started = dt.datetime.now(dt.timezone.utc)
    load = [os.getloadavg()[0]]
    t0 = time.perf_counter()
    rows = {k: Row(k, label) for k, label in ROWS.items()}
    tmp = Path(tempfile.mkdtemp(prefix="nkreport-bench-"))
    readable = None
    say(f"{os.cpu_count()} cores, Python {platform.python_version()}; temporary copies in {tmp}")
    try:
        if only & {"clean", "noop", "csv"}:
            bench_builds(tmp, args.reps, rows, only)
        if "test" in only:
            bench_test(args.reps, rows["test"])
        if "baseline" in only:
            bench_baseline(tmp, args.reps, rows["baseline"])
        if "scaled" in only:
            copy = bench_scaled(tmp, args.reps, rows["scaled"])
            if copy is not None:
                readable = readability(ROOT / "data", copy / "data")
                keep = Path(tempfile.gettempdir()) / "nkreport-bench-10x-figures"
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(copy / "figures", keep)
                rows["scaled"].notes.append(f"its figures are left in {keep} to look at")
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.perf_counter() - t0
    load.append(os.getloadavg()[0])
    tbl, goals = table(rows, readable)
    md = write_markdown(rows, tbl, readable, started, elapsed, load)
    print()
    print(md)
    if not args.no_write:
        (ROOT / "BENCHMARKS.md").write_text(md, encoding="utf-8")
        say("wrote BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
