"""What a notebook shows: numbered figures and tables, and findings computed from data.

Every string that comes from data/ is HTML-escaped here, in one place, before it reaches
a notebook output, so text in a CSV can never become markup or script in the report.
"""
from __future__ import annotations

import base64
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
    the bibliography (Table "sources")."""
    import re

    from . import citations

    files = re.findall(r"data/[\w.-]+\.(?:csv|json|geojson)", source_line)
    by_id = t.sources.set_index("source_id") if "sources" in t else None
    cites = []
    if by_id is not None:
        seen = {}
        for sid in source_ids:
            if sid in by_id.index:
                seen.setdefault(citations.short(by_id.loc[sid]), sid)
        cites = [f'<a href="#src-{escape(sid)}">{escape(label)}</a>' for label, sid in sorted(seen.items())]
    parts = [escape(", ".join(files))] if files else []
    if cites:
        parts.append("; ".join(cites))
    return "Source: " + "; ".join(parts) + "."


def _html_table(frame) -> str:
    """A plain, accessible HTML table: header cells with scope, every cell escaped. A
    column named ``_anchor`` gives each row an id (for links to bibliography entries)."""
    cols = [c for c in frame.columns if not str(c).startswith("_")]
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in cols)
    # Column widths from the text each column holds, so the table can be laid out with
    # table-layout: fixed (fast in the PDF renderer) and still read well.
    weights = []
    for c in cols:
        texts = [str(c)] + ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in frame[c]]
        mean = sum(min(len(x), 400) for x in texts) / len(texts)
        longest_word = max((len(w) for x in texts for w in x.split()), default=4)
        weights.append(max(mean, min(longest_word, 14), 5) ** 0.75)
    total = sum(weights) or 1
    colgroup = "<colgroup>" + "".join(f'<col style="width: {100 * w / total:.1f}%">' for w in weights) + "</colgroup>"
    rows = []
    for _, r in frame.iterrows():
        anchor = f' id="{escape(str(r["_anchor"]))}"' if "_anchor" in frame.columns else ""
        cells = []
        for c in cols:
            v = r[c]
            v = "" if v is None or (isinstance(v, float) and v != v) else str(v)
            if c == "Link" and v.startswith(("http://", "https://")):
                cells.append(f'<td><a href="{escape(v)}">{escape(v)}</a></td>')
            else:
                cells.append(f"<td>{escape(v)}</td>")
        rows.append(f"<tr{anchor}>{''.join(cells)}</tr>")
    return f'<table class="nk-table">{colgroup}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def table(entry_id: str, tables) -> _Output:
    """Build the catalogue's table ``entry_id`` from ``tables`` and show it, numbered."""
    entry = catalog.get("table", entry_id)
    frame = entry(tables)
    n = catalog.number("table", entry_id)
    line = frame.attrs.get("source_line", "")
    source = source_html(tables, frame.attrs.get("source_ids", []), line) if frame.attrs.get("source_ids") else escape(line)
    html = (
        f'<figure class="nk-table-wrap" id="{catalog.anchor("table", entry_id)}">'
        f'<figcaption><span class="nk-label">Table {n}.</span> {escape(entry.caption)}</figcaption>'
        f"{_html_table(frame)}"
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
    # The document's own title is dropped: the notebook gives the section its heading.
    lines = safe.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    body = "\n".join(lines).strip() + "\n"
    # Its headings sit two levels below where they stand in the file (## -> ####).
    body = "\n".join(("##" + ln) if ln.startswith("#") else ln for ln in body.splitlines())
    return _Output({"text/markdown": body, "text/plain": body})
