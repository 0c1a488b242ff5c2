"""What a notebook shows: numbered figures and tables, and findings computed from data.

Every string that comes from data/ is HTML-escaped here, in one place, before it reaches
a notebook output, so text in a CSV can never become markup or script in the report.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from html import escape

from . import catalog


@dataclass
class Ref:
    """A pointer to a numbered figure or table, rendered as a link: 'Figure 3'."""

    kind: str  # "figure" or "table"
    id: str

    def html(self) -> str:
        n = catalog.number(self.kind, self.id)
        word = "Figure" if self.kind == "figure" else "Table"
        return f'<a class="ref" href="#{catalog.anchor(self.kind, self.id)}">{word}&#160;{n}</a>'


def fig(entry_id: str) -> Ref:
    return Ref("figure", entry_id)


def tab(entry_id: str) -> Ref:
    return Ref("table", entry_id)


@dataclass
class Finding:
    """One sentence of findings (plain text, escaped on output) and what shows it."""

    text: str
    refs: list[Ref] = field(default_factory=list)

    def html(self) -> str:
        links = ", ".join(r.html() for r in self.refs)
        return escape(self.text) + (f" ({links})" if links else "")


class _Output:
    """An object Jupyter displays through its MIME bundle."""

    def __init__(self, data: dict, metadata: dict | None = None):
        self._data = data
        self._metadata = metadata or {}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self._data, self._metadata

    @property
    def html(self) -> str:
        return self._data["text/html"]


def figure(entry_id: str, tables) -> _Output:
    """Draw the catalogue's figure ``entry_id`` from ``tables`` and show it, numbered,
    with caption, Source line and alt text. The PNG travels in the same output so the
    build can write figures/ from the executed notebook."""
    from .style import render

    entry = catalog.get("figure", entry_id)
    fig_obj = entry(tables)
    info = fig_obj.nkreport
    svg, png = render(fig_obj)
    n = catalog.number("figure", entry_id)
    src = base64.b64encode(svg).decode("ascii")
    html = (
        f'<figure class="nk-figure" id="{catalog.anchor("figure", entry_id)}">'
        f'<img src="data:image/svg+xml;base64,{src}" alt="{escape(info.alt)}" />'
        f'<figcaption><span class="nk-label">Figure {n}.</span> {escape(entry.caption)} '
        f'<span class="nk-source">{source_html(tables, info.source_ids, info.source_line)}</span></figcaption></figure>'
    )
    data = {
        "text/html": html,
        "image/png": base64.b64encode(png).decode("ascii"),
        "text/plain": f"Figure {n}. {info.title}",
    }
    return _Output(data, {"nkreport": {"figure": entry_id, "number": n, "alt": info.alt}})


def source_html(t, source_ids, source_line: str = "") -> str:
    """The Source line as HTML: data files as text, each citation linked to its entry in
    the bibliography (Table "sources"); beyond CITE_MAX citations, the rest are counted."""
    import re

    from . import citations

    files = re.findall(r"data/[\w.-]+\.(?:csv|json|geojson)", source_line)
    lab = citations.labels(t.sources) if "sources" in t else None
    cites = []
    if lab is not None:
        seen = {}
        for sid in source_ids:
            if sid in lab:
                seen.setdefault(lab[sid], sid)
        cites = [f'<a href="#src-{escape(sid)}">{escape(label)}</a>' for label, sid in sorted(seen.items())]
    parts = [escape(", ".join(files))] if files else []
    if len(cites) > CITE_MAX:
        where = f"the rows of {', '.join(files)} name each one" if files else "all are in the sources table"
        cites = cites[:CITE_MAX] + [f"and {len(cites) - CITE_MAX:,} more ({escape(where)})"]
    if cites:
        parts.append("; ".join(cites))
    text = "Source: " + "; ".join(parts)
    return text if text.endswith(".</a>") or text.endswith(".") else text + "."


WIDE_TABLE_COLUMNS = 8  # a table this wide is printed on landscape pages
# A table longer than this is not printed row by row in the PDF: the HTML edition and the
# CSV carry it whole, and the PDF says so where the table stands. A table whose rows are
# link targets (the bibliography) prints the rows the printed pages cite
# (export.print_html). Keeps the PDF readable, and its build time flat, as the data grow.
PRINT_MAX_ROWS = 200
CITE_MAX = 60  # citations a caption's Source line names; the rest are counted


def _cell_text(v) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def column_widths(frame, cols, line_chars: int | None = None) -> list[float]:
    """Column widths in percent, from the text each column holds, so the table can be
    laid out with table-layout: fixed (fast in the PDF renderer) and still read well.

    Every column gets room for its longest unbreakable word (capped: identifiers and
    links may break), then width moves between columns, a character at a time, while
    that makes the table shorter (the sum over rows of the row's tallest cell, in
    lines). ``line_chars`` is the table's width in characters of its font: about 105 on
    an A4 portrait page, 160 on a landscape one (where tables this wide are printed)."""
    import re

    import numpy as np

    if line_chars is None:
        line_chars = 160 if len(cols) >= WIDE_TABLE_COLUMNS else 105
    pad = 2.5  # cell padding, in characters
    need, lengths = [], []
    for c in cols:
        texts = [_cell_text(v) for v in frame[c]]
        words = [len(w) for x in texts for w in re.split(r"(?<=[-/])|\s+", x) if w]
        words += [1.2 * len(w) for w in str(c).split()]  # header cells are bold
        need.append(min(max(words, default=4), 13) + pad)
        lengths.append([len(str(c)) * 1.2] + [len(x) * 1.1 for x in texts])
    need_a = np.array(need, dtype=float)
    lens = np.array(lengths, dtype=float).T  # rows x columns; the first row is the header
    width = need_a * max(line_chars / need_a.sum(), 1.0)
    if need_a.sum() < line_chars:
        # start from widths that follow the mean length, above each column's minimum
        spare = line_chars - need_a.sum()
        mean = lens[1:].mean(axis=0) if len(lens) > 1 else np.ones(len(cols))
        width = need_a + spare * mean / (mean.sum() or 1)

    def height(w):
        lines = np.ceil(lens / np.maximum(w - pad, 1.0))
        return float(np.maximum(lines, 1).max(axis=1).sum())

    best = height(width)
    for step in (8.0, 4.0, 2.0, 1.0):
        improved = True
        while improved:
            improved = False
            for i in range(len(cols)):
                for j in range(len(cols)):
                    if i == j or width[i] - step < need_a[i]:
                        continue
                    trial = width.copy()
                    trial[i] -= step
                    trial[j] += step
                    h = height(trial)
                    if h < best - 1e-9:
                        best, width, improved = h, trial, True
    total = width.sum() or 1.0
    return [float(100 * x / total) for x in width]


def _html_table(frame, css: str = "nk-table") -> str:
    """A plain, accessible HTML table: header cells with scope, every cell escaped. A
    column named ``_anchor`` gives each row an id (for links to bibliography entries)."""
    cols = [c for c in frame.columns if not str(c).startswith("_")]
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in cols)
    colgroup = "<colgroup>" + "".join(f'<col style="width: {w:.1f}%">' for w in column_widths(frame, cols)) + "</colgroup>"
    rows = []
    for _, r in frame.iterrows():
        anchor = f' id="{escape(str(r["_anchor"]))}"' if "_anchor" in frame.columns else ""
        cells = []
        for c in cols:
            v = _cell_text(r[c])
            if c == "Link" and v.startswith(("http://", "https://")):
                cells.append(f'<td><a href="{escape(v)}">{escape(v)}</a></td>')
            else:
                cells.append(f"<td>{escape(v)}</td>")
        rows.append(f"<tr{anchor}>{''.join(cells)}</tr>")
    return f'<table class="{css}">{colgroup}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def table(entry_id: str, tables) -> _Output:
    """Build the catalogue's table ``entry_id`` from ``tables`` and show it, numbered."""
    entry = catalog.get("table", entry_id)
    frame = entry(tables)
    n = catalog.number("table", entry_id)
    line = frame.attrs.get("source_line", "")
    source = source_html(tables, frame.attrs.get("source_ids", []), line) if frame.attrs.get("source_ids") else escape(line)
    shown = [c for c in frame.columns if not str(c).startswith("_")]
    wide = " nk-table-wide" if len(shown) >= WIDE_TABLE_COLUMNS else ""
    css, note = "nk-table", ""
    if len(frame) > PRINT_MAX_ROWS:
        files = (re.findall(r"data/[\w.-]+\.(?:csv|json)", line) or ["data/"])[0]
        if "_anchor" in frame.columns:
            css += " nk-print-cited"
            note = (f"The printed edition lists the entries its pages cite; all {len(frame):,} are in "
                    f"the HTML edition (report.html) and in {files}.")
        else:
            css += " nk-print-omit"
            note = (f"This table has {len(frame):,} rows, too many to print (more than {PRINT_MAX_ROWS}): "
                    f"they are in the HTML edition (report.html) and in {files}.")
        wide = ""  # what prints is the note
    html = (
        f'<figure class="nk-table-wrap{wide}" id="{catalog.anchor("table", entry_id)}">'
        f'<figcaption><span class="nk-label">Table {n}.</span> {escape(entry.caption)}</figcaption>'
        + (f'<p class="nk-print-note">{escape(note)}</p>' if note else "")
        + f"{_html_table(frame, css)}"
        + (f'<p class="nk-source">{source}</p>' if source else "")
        + "</figure>"
    )
    return _Output(
        {"text/html": html, "text/plain": f"Table {n}. {entry.caption} ({len(frame)} rows)"},
        {"nkreport": {"table": entry_id, "number": n}},
    )


def findings(items: list[Finding], heading: str | None = None) -> _Output:
    """A list of findings sentences, each linked to the figure or table that shows it."""
    head = f"<p class='nk-findings-head'><strong>{escape(heading)}</strong></p>" if heading else ""
    body = "".join(f"<li>{f.html()}</li>" for f in items)
    text = "\n".join(f"- {f.text}" for f in items)
    return _Output({"text/html": f'<div class="nk-findings">{head}<ul>{body}</ul></div>', "text/plain": text})


def prose(*paragraphs: str | Finding) -> _Output:
    """Paragraphs of text computed from data (escaped)."""
    parts = [p.html() if isinstance(p, Finding) else escape(p) for p in paragraphs]
    html = "".join(f"<p>{p}</p>" for p in parts)
    text = "\n\n".join(p.text if isinstance(p, Finding) else p for p in paragraphs)
    return _Output({"text/html": f'<div class="nk-prose">{html}</div>', "text/plain": text})


def markdown_file(name: str) -> _Output:
    """A Markdown document from data/ (e.g. GRADING.md), shown as prose. Angle brackets
    are escaped so the file can hold no markup or script."""
    from . import data, paths

    path = paths.data_dir() / name
    data._record_read(path)
    text = path.read_text(encoding="utf-8")
    safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Links may only go to the web, to e-mail or within the report: any other scheme
    # (javascript:, data:, vbscript:) keeps its text and loses its target.
    safe = re.sub(r"\[([^\]]*)\]\(\s*(?!https?://|mailto:|#)(?:[^()]|\([^()]*\))*\)", r"\1", safe)
    safe = re.sub(r"(?im)^(\s*\[[^\]]+\]:\s*)(?!https?://|mailto:|#)\S+", r"\1#", safe)
    # The document's own title is dropped: the notebook gives the section its heading.
    lines = safe.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    body = "\n".join(lines).strip() + "\n"
    # Its headings sit two levels below where they stand in the file (## -> ####).
    body = "\n".join(("##" + ln) if ln.startswith("#") else ln for ln in body.splitlines())
    return _Output({"text/markdown": body, "text/plain": body})
