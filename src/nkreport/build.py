"""The build: check data, execute notebooks (in parallel, cached by content hash), write
figures/ and export report/ (HTML and PDF), then move the new outputs into place.

Nothing is written to notebooks/, figures/ or report/ until every step has succeeded:
outputs are staged in a temporary folder and moved into place at the end with signals
held off, so an error, an interrupt or a second build never leaves a half-built report.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import BuildError, DataError

CACHE_VERSION = "1"
CELL_TIMEOUT_ENV = "NKREPORT_CELL_TIMEOUT"
DEFAULT_CELL_TIMEOUT = 300


def log(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------------------
# Hashing


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_text(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def package_hash() -> str:
    """Hash of the package's own files (code, template, CSS): a change re-runs everything."""
    pkg = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(pkg.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(pkg)).encode())
            h.update(sha256_file(path).encode())
    return h.hexdigest()


def environment_hash(root: Path) -> str:
    req = root / "requirements.txt"
    pins = sha256_file(req) if req.is_file() else "no-requirements"
    return sha256_text(pins, sys.version, CACHE_VERSION)


def notebook_inputs_hash(path: Path) -> str:
    """Hash of what a reader wrote in a notebook: cell types and sources, not outputs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [[c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"]] for c in nb["cells"]]
    return sha256_text(json.dumps(cells, sort_keys=True), json.dumps(nb.get("metadata", {}).get("kernelspec", {}), sort_keys=True))


# ---------------------------------------------------------------------------
# Notebook execution


@dataclass
class NotebookResult:
    name: str
    text: str  # the executed notebook, serialised
    reads: dict[str, str]  # absolute path -> sha256, the data files it read
    seconds: float
    cached: bool


def _cell_label(nb, index: int) -> str:
    cell = nb.cells[index]
    first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
    return f"cell {index + 1} ({first[:60]!r})"


def serialise(nb) -> str:
    import nbformat

    return nbformat.writes(nb) + "\n"


def _last_line(path: str) -> str:
    """The last non-blank line of a text file ('' if none or unreadable), shortened."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return next((ln.strip()[:200] for ln in reversed(lines) if ln.strip()), "")


def execute_notebook(path: str, timeout: int, data_dir: str | None, work_dir: str | None = None) -> NotebookResult:
    """Run one notebook in a fresh kernel of this environment (in a worker process).

    ``work_dir`` is the build's folder for kernel files (made and removed by the main
    process, see :func:`_build_locked`)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path_ = Path(path)
    nb = nbformat.read(path_, as_version=4)
    # Everything this run writes outside the project (IPC sockets, the read log, the
    # kernel's connection file) goes in one folder inside the build's work_dir, so that
    # when an interrupt kills this worker outright (see _stop_workers) the main process
    # still removes all of it. nbclient would otherwise put the connection file in
    # $TMPDIR (tempfile.mkstemp), where it would stay after a kill.
    ipc_dir = tempfile.mkdtemp(prefix="nkreport-kernel-", dir=work_dir)
    read_log = os.path.join(ipc_dir, "reads")
    os.environ["NKREPORT_READ_LOG"] = read_log
    if data_dir:
        os.environ["NKREPORT_DATA_DIR"] = data_dir
    os.environ.setdefault("PYTHONHASHSEED", "0")
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    # IPC sockets in a private folder: no TCP port is opened for the kernel. nbclient
    # creates (and so shuts down) the kernel manager itself.
    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("ip")
        def _default_ip(self):
            return os.path.join(ipc_dir, "kernel")

        @default("connection_file")
        def _default_connection_file(self):
            return os.path.join(ipc_dir, "kernel.json")

    client = NotebookClient(
        nb,
        kernel_manager_class=IPCKernelManager,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        allow_errors=False,
        resources={"metadata": {"path": str(path_.parent)}},
    )
    started = time.perf_counter()
    current = {"index": None}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    client.on_cell_start = on_cell_start
    # The kernel process's own stderr goes to a file, not the terminal. What cells write
    # to stderr comes through the notebook (and stops the build, below); the process's
    # stderr holds ipykernel's own messages, such as a traceback it logs now and then
    # when a socket closes while it shuts down (an ipykernel race). It is shown only to
    # explain a kernel that dies.
    kernel_log = os.path.join(ipc_dir, "kernel.log")
    try:
        with open(kernel_log, "wb") as log:
            client.execute(stderr=log)
    except CellTimeoutError:
        raise BuildError(
            f"{path_.name}: {_cell_label(nb, current['index'])} ran past the {timeout} s timeout "
            f"(set {CELL_TIMEOUT_ENV} to change it)"
        ) from None
    except DeadKernelError as exc:
        where = _cell_label(nb, current["index"]) if current["index"] is not None else "start-up"
        last = _last_line(kernel_log)
        raise BuildError(f"{path_.name}: {where}: the kernel died ({exc})"
                         + (f"; its last message: {last}" if last else "")) from None
    except CellExecutionError as exc:
        ename = getattr(exc, "ename", "Error")
        evalue = getattr(exc, "evalue", str(exc)).strip().splitlines()
        detail = evalue[0] if evalue else ""
        raise BuildError(f"{path_.name}: {_cell_label(nb, current['index'])} raised {ename}: {detail}") from None
    finally:
        reads_text = Path(read_log).read_text(encoding="utf-8") if Path(read_log).exists() else ""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(read_log)
        shutil.rmtree(ipc_dir, ignore_errors=True)
        import multiprocessing

        if multiprocessing.parent_process() is not None:
            # nbclient installs its own SIGINT/SIGTERM handlers while it runs and puts
            # Python's defaults back when done; a worker goes back to ignoring Ctrl-C.
            _worker_init()
    seconds = time.perf_counter() - started
    # Warnings are errors: anything a cell writes to stderr (a warning, a log message)
    # would reach the report, so it stops the build instead.
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                first = next((ln for ln in out.get("text", "").splitlines() if ln.strip()), "")
                raise BuildError(f"{path_.name}: {_cell_label(nb, index)} wrote to stderr: {first[:160]}")
    reads = {p: sha256_file(Path(p)) for p in sorted(set(reads_text.split())) if Path(p).is_file()}
    return NotebookResult(path_.name, serialise(nb), reads, seconds, cached=False)


# ---------------------------------------------------------------------------
# The cache: one entry per notebook, keyed by its inputs, the package and the pins,
# and valid while every data file it read last time still has the same hash.


@dataclass
class Cache:
    folder: Path

    def _entry(self, name: str) -> Path:
        return self.folder / "notebooks" / f"{name}.json"

    def lookup(self, name: str, key: str) -> NotebookResult | None:
        entry = self._entry(name)
        if not entry.is_file():
            return None
        try:
            meta = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        if meta.get("key") != key:
            return None
        for p, digest in meta["reads"].items():
            if not Path(p).is_file() or sha256_file(Path(p)) != digest:
                return None
        return NotebookResult(name, meta["notebook"], meta["reads"], 0.0, cached=True)

    def store(self, name: str, key: str, result: NotebookResult) -> None:
        entry = self._entry(name)
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(".tmp")
        tmp.write_text(json.dumps({"key": key, "reads": result.reads, "notebook": result.text}), encoding="utf-8")
        os.replace(tmp, entry)


def _worker_init() -> None:
    # A worker ignores Ctrl-C (sent to the whole process group) and dies at once on
    # SIGTERM: the main process decides what an interrupt does and cleans up after
    # the workers (_stop_workers). Without this a worker inherits the CLI's SIGTERM
    # handler and prints a KeyboardInterrupt traceback when it is stopped while idle.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _descendants(pids: list[int]) -> list[int]:
    """Every process started, directly or not, by the given ones, read from /proc.
    Without /proc (not Linux) this finds nothing, and ipykernel's parent poller ends
    the kernels a killed worker leaves within a second or so."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], list(pids)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers and the kernels they started, now.

    Kernels run in sessions of their own (jupyter_client), so Ctrl-C never reaches them
    and killing a worker alone would leave its kernel running for a while. The workers
    are stopped (SIGSTOP) first, so that none can start a kernel while the processes are
    collected, then all are killed. Python 3.11 has no public way to reach a pool's
    processes (3.14 adds terminate_workers), hence ``_processes``."""
    workers = [w for w in list(getattr(pool, "_processes", {}).values()) if w.pid]
    pids = [w.pid for w in workers]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGSTOP)
    for pid in _descendants(pids) + pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for w in workers:
        w.join(timeout=10)


# ---------------------------------------------------------------------------
# Locking and moving outputs into place


@contextlib.contextmanager
def build_lock(cache: Path):
    cache.mkdir(parents=True, exist_ok=True)
    lock_path = cache / "build.lock"
    fh = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise BuildError(
                    f"another build is running in this folder (it holds {lock_path}); "
                    "wait for it to finish, then run the build again"
                ) from None
            raise
        yield
    finally:
        fh.close()


@contextlib.contextmanager
def signals_held():
    """Hold SIGINT and SIGTERM while outputs are moved into place (delivered after).

    The handlers are swapped for one that only remembers the signal, rather than the
    signals being blocked with pthread_sigmask: a mask covers the calling thread only,
    and while the process pool's helper threads live the kernel delivers the signal to
    one of them, after which Python runs the handler in the main thread all the same."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # handlers can only be set, and only ever run, in the main thread
        return
    held = (signal.SIGINT, signal.SIGTERM)
    pending: list[int] = []
    old = {sig: signal.getsignal(sig) for sig in held}
    for sig in held:
        signal.signal(sig, lambda signum, frame: pending.append(signum))
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        if pending:
            signal.raise_signal(pending[0])  # now handled as usual (KeyboardInterrupt)


def _same(a: Path, b: Path) -> bool:
    return b.is_file() and a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def install(staging: Path, root: Path, managed_dirs: dict[str, bool]) -> list[str]:
    """Move staged files into the tree. ``managed_dirs`` maps a folder to whether the build
    owns all of it (stale files there are removed). Returns the paths that changed."""
    changed: list[str] = []
    with signals_held():
        for folder, owned in managed_dirs.items():
            src_dir, dst_dir = staging / folder, root / folder
            dst_dir.mkdir(parents=True, exist_ok=True)
            wanted = set()
            for src in sorted(src_dir.glob("*")):
                dst = dst_dir / src.name
                wanted.add(src.name)
                if not _same(src, dst):
                    os.replace(src, dst)
                    changed.append(f"{folder}/{src.name}")
            if owned:
                for old in sorted(dst_dir.glob("*")):
                    if old.is_file() and old.name not in wanted and not old.name.startswith("."):
                        old.unlink()
                        changed.append(f"{folder}/{old.name} (removed)")
    return changed


# ---------------------------------------------------------------------------
# The build


@dataclass
class BuildOptions:
    root: Path = field(default_factory=lambda: paths.ROOT)
    data_dir: Path | None = None
    jobs: int = 0  # 0 = as many as cores
    timeout: int = DEFAULT_CELL_TIMEOUT
    use_cache: bool = True
    pdf: bool = True


def notebook_paths(root: Path) -> list[Path]:
    return sorted(p for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _check_data(opts: BuildOptions, cache_dir: Path) -> None:
    from . import data as data_mod

    data_dir = Path(opts.data_dir or paths.data_dir())
    files = sorted(p for p in data_dir.glob("*") if p.is_file())
    seed = paths.seed_dir()
    seed_files = sorted(p for p in seed.glob("*") if p.is_file()) if seed.is_dir() else []
    key = sha256_text(
        package_hash(), *(f"{p.name}:{sha256_file(p)}" for p in files), *(f"seed/{p.name}:{sha256_file(p)}" for p in seed_files)
    )
    stamp = cache_dir / "check.ok"
    if opts.use_cache and stamp.is_file() and stamp.read_text() == key:
        log("check data      ok (unchanged since the last check)")
        return
    started = time.perf_counter()
    report = data_mod.check(data_dir)
    for note in report.notes:
        log(f"check data      note: {note}")
    if report.problems:
        raise DataError(report.problems)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key)
    log(f"check data      ok ({time.perf_counter() - started:.1f} s)")


def build(opts: BuildOptions | None = None) -> int:
    opts = opts or BuildOptions()
    root = opts.root
    # The data this build reads: --data-dir, else the data/ folder of the project built.
    # Notebook kernels inherit the setting, so a copy of the project builds from its own data.
    if opts.data_dir is None:
        opts.data_dir = root / "data"
    os.environ["NKREPORT_DATA_DIR"] = str(opts.data_dir)
    cache_dir = root / ".cache"
    with build_lock(cache_dir):
        return _build_locked(opts, root, cache_dir)


def _build_locked(opts: BuildOptions, root: Path, cache_dir: Path) -> int:
    t0 = time.perf_counter()
    _check_data(opts, cache_dir)

    notebooks = notebook_paths(root)
    if not notebooks:
        raise BuildError(f"no notebooks found in {root / 'notebooks'} (expected NN_name.ipynb)")
    common = sha256_text(package_hash(), environment_hash(root))
    cache = Cache(cache_dir)
    keys = {p.name: sha256_text(common, notebook_inputs_hash(p)) for p in notebooks}
    results: dict[str, NotebookResult] = {}
    todo: list[Path] = []
    for p in notebooks:
        hit = cache.lookup(p.name, keys[p.name]) if opts.use_cache else None
        if hit:
            results[p.name] = hit
        else:
            todo.append(p)

    # Export key: what the report is made from. If nothing changed and the outputs on
    # disk are the ones we made last time, there is nothing to do.
    export_stamp = cache_dir / "export.json"
    if not todo and opts.use_cache and export_stamp.is_file():
        stamp = json.loads(export_stamp.read_text())
        export_key = _export_key(results, opts)
        if stamp.get("key") == export_key and _outputs_match(root, stamp.get("outputs", {})):
            for p in notebooks:
                log(f"notebook        {p.name}: cached")
            log(f"nothing to do: report/ is up to date ({time.perf_counter() - t0:.2f} s)")
            return 0

    for p in notebooks:
        if p.name in results:
            log(f"notebook        {p.name}: cached")
    if todo:
        jobs = opts.jobs or os.cpu_count() or 1
        jobs = max(1, min(jobs, len(todo)))
        data_dir = str(opts.data_dir) if opts.data_dir else None
        # One folder for every kernel file of this build (/tmp/nkreport-kernel-*), made
        # and removed here in the main process: workers killed on an interrupt cannot
        # clean up after themselves.
        with signals_held():
            work_dir = tempfile.mkdtemp(prefix="nkreport-kernel-")
            pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init)
        try:
            futures = {p.name: pool.submit(execute_notebook, str(p), opts.timeout, data_dir, work_dir) for p in todo}
            errors = []
            for p in todo:  # report in order; all run in parallel
                future = futures[p.name]
                if future.cancelled():
                    continue
                try:
                    res = future.result()
                except BuildError as exc:
                    # Stop what has not started; what runs finishes (and is cached).
                    errors.append(str(exc))
                    for f in futures.values():
                        f.cancel()
                    continue
                results[p.name] = res
                with signals_held():  # no half-written cache entry (.tmp) on an interrupt
                    cache.store(p.name, keys[p.name], res)
                log(f"notebook        {p.name}: executed in {res.seconds:.1f} s")
            if errors:
                raise BuildError("; ".join(errors))
        except BuildError:
            raise  # every notebook has finished by now; nbclient has shut its kernel down
        except BaseException:
            # An interrupt (SIGINT, or SIGTERM turned into KeyboardInterrupt by the CLI)
            # or an unexpected error. Leaving the pool normally would wait for the running
            # notebooks to finish (up to the cell timeout each), so kill the workers and
            # their kernels now. Signals are held so a second Ctrl-C cannot cut this short.
            with signals_held():
                _stop_workers(pool)
            raise
        finally:
            with signals_held():
                pool.shutdown(wait=True, cancel_futures=True)
                shutil.rmtree(work_dir, ignore_errors=True)

    ordered = [results[p.name] for p in notebooks]
    staging_parent = cache_dir / "staging"
    staging_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging_parent) as tmp:
        staging = Path(tmp)
        for sub in ("notebooks", "figures", "report"):
            (staging / sub).mkdir()
        for res in ordered:
            (staging / "notebooks" / res.name).write_text(res.text, encoding="utf-8")
        from . import export

        started = time.perf_counter()
        n_fig = export.write_figures(ordered, staging / "figures")
        log(f"figures         {n_fig} figures written as SVG and PNG ({time.perf_counter() - started:.1f} s)")
        started = time.perf_counter()
        html = export.write_html(ordered, staging / "report" / "report.html", opts.data_dir)
        log(f"report          report.html ({len(html) // 1024} KiB, {time.perf_counter() - started:.1f} s)")
        if opts.pdf:
            started = time.perf_counter()
            pages = export.write_pdf(html, staging / "report" / "report.pdf", opts.data_dir, export.figure_rasters(ordered))
            log(f"report          report.pdf ({pages} pages, {time.perf_counter() - started:.1f} s)")
        outputs = {
            f"{sub}/{p.name}": sha256_file(p) for sub in ("figures", "report") for p in sorted((staging / sub).glob("*"))
        }
        outputs.update({f"notebooks/{r.name}": sha256_text(r.text) for r in ordered})
        changed = install(staging, root, {"notebooks": False, "figures": True, "report": True})
    export_stamp.write_text(json.dumps({"key": _export_key(results, opts), "outputs": outputs}, indent=1))
    log(f"done            {len(changed)} file(s) changed in {time.perf_counter() - t0:.1f} s")
    return 0


def _export_key(results: dict[str, NotebookResult], opts: BuildOptions) -> str:
    return sha256_text(package_hash(), str(opts.pdf), *(f"{n}:{sha256_text(r.text)}" for n, r in sorted(results.items())))


def _outputs_match(root: Path, outputs: dict[str, str]) -> bool:
    if not outputs:
        return False
    for rel, digest in outputs.items():
        p = root / rel
        if not p.is_file():
            return False
        if rel.startswith("notebooks/"):
            if sha256_text(p.read_text(encoding="utf-8")) != digest:
                return False
        elif sha256_file(p) != digest:
            return False
    return True


def clean(root: Path | None = None) -> None:
    root = root or paths.ROOT
    for sub in (".cache",):
        shutil.rmtree(root / sub, ignore_errors=True)
    for pyc in root.rglob("__pycache__"):
        if ".venv" not in pyc.parts:
            shutil.rmtree(pyc, ignore_errors=True)
