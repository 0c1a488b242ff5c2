"""From executed notebooks to figures/ and report/ (HTML, then PDF from the same HTML).

The HTML comes from nbconvert with the project's own template (``templates/nkreport``,
extending ``lab``): no code, no prompts, and nothing loaded from outside the file.
"""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from . import __version__, catalog

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _notebooks(results):
    import nbformat

    return [(r.name, nbformat.reads(r.text, as_version=4)) for r in results]


def write_figures(results, folder: Path) -> int:
    """Write each figure the notebooks showed as SVG and PNG (the bytes they showed)."""
    count = 0
    for _, nb in _notebooks(results):
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                meta = out.get("metadata", {}).get("nkreport", {})
                fig_id = meta.get("figure")
                if not fig_id:
                    continue
                html = out["data"]["text/html"]
                m = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
                svg = base64.b64decode(m.group(1))
                png = base64.b64decode(out["data"]["image/png"])
                n = meta["number"]
                stem = f"fig{n:02d}_{fig_id}"
                (folder / f"{stem}.svg").write_bytes(svg)
                (folder / f"{stem}.png").write_bytes(png)
                count += 1
    return count


def combined_notebook(results):
    """One notebook holding every notebook's cells in the report's order."""
    import nbformat

    nbs = _notebooks(results)
    combined = nbformat.v4.new_notebook()
    combined.metadata = dict(nbs[0][1].metadata)
    for i, (name, nb) in enumerate(nbs):
        for cell in nb.cells:
            cell = nbformat.from_dict(cell)
            cell["id"] = f"nb{i:02d}-{cell.get('id', 'x')}"[:64]
            combined.cells.append(cell)
    return combined


def report_metadata(data_dir: Path | None = None) -> dict:
    """Title-block facts: version from the repository, date of the data from data/."""
    from . import data

    t = data.load("sources", "events", data_dir=data_dir)
    dated = [d for d in list(t.sources["date"]) + list(t.events["date"]) if isinstance(d, str)]
    latest = max(dated) if dated else ""
    desc = data.descriptor(data_dir)
    from .dates import label

    return {
        "title": catalog.REPORT_TITLE,
        "subtitle": catalog.REPORT_SUBTITLE,
        "version": f"report {__version__}, data package {desc.get('version', '?')}",
        "data_date": label(latest) if latest else "unknown",
        "data_iso": latest,
    }


def to_html(results, data_dir: Path | None = None) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="nkreport",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    meta = report_metadata(data_dir)
    resources = {"nkreport": meta, "metadata": {"name": meta["title"]}}
    html, _ = exporter.from_notebook_node(combined_notebook(results), resources=resources)
    return postprocess(html)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def postprocess(html: str) -> str:
    """Give every section heading a stable id and fill the table of contents."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main")
    items = []
    used: set[str] = set()
    for h in main.find_all(["h2", "h3"]):
        for a in h.find_all("a", class_="anchor-link"):
            a.decompose()
        text = h.get_text(" ", strip=True)
        ident = _slug(text)
        while ident in used:
            ident += "-x"
        used.add(ident)
        h["id"] = ident
        items.append((h.name, ident, text))
    nav = soup.find(id="toc-list")
    for level, ident, text in items:
        li = soup.new_tag("li", attrs={"class": f"toc-{level}"})
        a = soup.new_tag("a", href=f"#{ident}")
        a.string = text
        li.append(a)
        nav.append(li)
    return str(soup)


def write_html(results, target: Path, data_dir: Path | None = None) -> str:
    html = to_html(results, data_dir)
    target.write_text(html, encoding="utf-8")
    return html


def write_pdf(html: str, target: Path, data_dir: Path | None = None) -> int:
    """Render the HTML to an A4 PDF with WeasyPrint (print CSS in the template).

    The PDF's dates and identifier come from the data (the latest date it holds), not
    the clock, so the same inputs give the same bytes."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from .dates import bounds

    latest = report_metadata(data_dir)["data_iso"] or "1970"
    stamp = bounds(latest)[0].isoformat() + "T00:00:00Z"
    html = html.replace("<head>", f'<head><meta name="dcterms.created" content="{stamp}"><meta name="dcterms.modified" content="{stamp}">', 1)
    document = HTML(string=html, base_url=str(target.parent)).render()
    document.write_pdf(target, pdf_identifier=b"nkreport-" + stamp.encode(), uncompressed_pdf=False)
    return len(document.pages)


def dump_json(obj) -> str:
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
