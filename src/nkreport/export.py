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


def figure_rasters(results) -> dict[str, str]:
    """Each figure's SVG data (base64) mapped to its PNG (base64), as the notebooks showed them."""
    out = {}
    for _, nb in _notebooks(results):
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                if o.get("metadata", {}).get("nkreport", {}).get("figure"):
                    m = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', o["data"]["text/html"])
                    out[m.group(1)] = o["data"]["image/png"]
    return out


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
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    # An id that starts with a digit is valid HTML but not a valid CSS selector.
    return ("section-" + slug) if slug[0].isdigit() else slug


def _flatten_cells(soup, root) -> None:
    """Replace nbconvert's cell wrappers by what they show.

    The lab template puts rendered Markdown inside the cell's *input* area and every
    output inside three more wrappers (with prompts and collapsers). The report shows no
    code, so each cell is replaced by its rendered Markdown and its outputs' content:
    headings, prose, figures and tables become plain siblings, easy to style and fast
    for the PDF renderer."""
    for cell in root.find_all("div", class_="jp-Cell"):
        shown = [el for el in cell.find_all(attrs={"data-mime-type": True})
                 if el.find_parent(attrs={"data-mime-type": True}) is None]
        for el in shown:
            kind = el["data-mime-type"]
            if kind in ("text/html", "text/markdown"):
                for child in list(el.contents):
                    cell.insert_before(child.extract())
            else:  # text output a notebook printed: kept, plainly
                el.attrs = {"class": ["nk-output"]}
                cell.insert_before(el.extract())
        cell.decompose()


def _fix_headings(root) -> list[tuple[str, str, str]]:
    """Stable, readable ids on h2-h4 (links to the old ids follow); the h2/h3 entries for the TOC."""
    for a in root.find_all("a", class_="anchor-link"):
        a.decompose()
    used = {el["id"] for el in root.find_all(id=True) if el.name not in ("h2", "h3", "h4")}
    renamed: dict[str, str] = {}
    items = []
    for h in root.find_all(["h2", "h3", "h4"]):
        text = h.get_text(" ", strip=True)
        ident = _slug(text)
        while ident in used:
            ident += "-x"
        used.add(ident)
        if h.get("id"):
            renamed[h["id"]] = ident
        h["id"] = ident
        if h.name in ("h2", "h3"):
            items.append((h.name, ident, text))
    for a in root.find_all("a", href=True):
        if a["href"].startswith("#") and a["href"][1:] in renamed:
            a["href"] = "#" + renamed[a["href"][1:]]
    return items


def _sections(soup, root) -> None:
    """Wrap each h2 and what follows it in a <section> (and each h3 in a nested one)."""
    top = sub = None
    for node in list(root.children):
        name = getattr(node, "name", None)
        if name == "h2":
            top = soup.new_tag("section", attrs={"class": "nk-section", "aria-labelledby": node["id"]})
            node.insert_before(top)
            sub = None
        elif name == "h3" and top is not None:
            sub = soup.new_tag("section", attrs={"class": "nk-subsection", "aria-labelledby": node["id"]})
            top.append(sub)
        target = sub or top
        if target is not None:
            target.append(node.extract())
    # A section holding a wide table is printed on landscape pages, heading included.
    for table in root.select("figure.nk-table-wide"):
        section = table.find_parent("section")
        if section is not None and len(section.select("figure")) == 1:
            section["class"] = section.get("class", []) + ["nk-landscape"]


SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


def _disarm(soup) -> None:
    """The report runs no script: none is kept, nor any event-handler attribute, nor a
    link or source whose address is not http(s), mailto or in-page (javascript:, data:
    in a link, vbscript:...). Text from data/ is escaped before this; this is the net."""
    for tag in soup.find_all(["script", "iframe", "object", "embed"]):
        tag.decompose()
    for tag in soup.find_all(True):
        for attr in [a for a in tag.attrs if a.lower().startswith("on")]:
            del tag[attr]
        href = tag.get("href")
        if href is not None and tag.name in ("a", "area") and not href.strip().lower().startswith(SAFE_SCHEMES):
            del tag["href"]
        src = tag.get("src")
        if src is not None and not src.strip().lower().startswith(("data:image/", "#")):
            del tag["src"]


def _markdown_tables(root) -> None:
    """Tables written in Markdown (GRADING.md): the report's table style, header scope."""
    for table in root.find_all("table"):
        if "nk-table" in table.get("class", []):
            continue
        table["class"] = table.get("class", []) + ["nk-table", "nk-md-table"]
        for th in table.select("thead th"):
            th["scope"] = "col"


def _lead_ins(root) -> None:
    """A paragraph that introduces the figure or table right after it ("The network
    below...") is printed on the same page as that figure or table."""
    for fig in root.select("figure.nk-figure, figure.nk-table-wrap"):
        prev = fig.find_previous_sibling(True)
        if prev is not None and prev.name == "p":
            prev["class"] = prev.get("class", []) + ["nk-lead-in"]


def _short_caption(figure) -> tuple[str, str]:
    cap = figure.find("figcaption")
    label = cap.find(class_="nk-label").get_text(strip=True).rstrip(".")
    text = "".join(str(s) for s in cap.find_all(string=True, recursive=False)).strip()
    text = re.split(r"(?<=[a-z0-9)])[:.;] ", text + " ", maxsplit=1)[0].strip().rstrip(".")
    return label, text


def _toc(soup, items, root) -> None:
    nav = soup.find(id="toc-list")
    for level, ident, text in items:
        li = soup.new_tag("li", attrs={"class": f"toc-{level}"})
        a = soup.new_tag("a", href=f"#{ident}")
        a.string = text
        li.append(a)
        nav.append(li)
    lists = soup.find(id="toc-lists")
    if lists is None:
        return
    for kind, selector in (("Figures", "figure.nk-figure"), ("Tables", "figure.nk-table-wrap")):
        found = root.select(selector)
        if not found:
            continue
        title = soup.new_tag("p", attrs={"class": "toc-title toc-sub"})
        title.string = kind
        ol = soup.new_tag("ol", attrs={"class": "toc-figs"})
        for fig in found:
            label, text = _short_caption(fig)
            li = soup.new_tag("li")
            a = soup.new_tag("a", href=f"#{fig['id']}")
            strong = soup.new_tag("span", attrs={"class": "toc-num"})
            strong.string = label
            a.append(strong)
            a.append(" " + text)
            li.append(a)
            ol.append(li)
        lists.append(title)
        lists.append(ol)


def postprocess(html: str) -> str:
    """Strip nbconvert's cell chrome, give every section heading a stable id, wrap the
    sections, and fill the table of contents (sections, then figures and tables)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    root = soup.find(id="report-body") or soup.find("main")
    _disarm(soup)
    _flatten_cells(soup, root)
    items = _fix_headings(root)
    _markdown_tables(root)
    _lead_ins(root)
    _sections(soup, root)
    _toc(soup, items, root)
    return str(soup)


def write_html(results, target: Path, data_dir: Path | None = None) -> str:
    html = to_html(results, data_dir)
    target.write_text(html, encoding="utf-8")
    return html


_OMIT = re.compile(r'<table class="nk-table nk-print-omit">.*?</table>', re.S)
_CITED = re.compile(r'(<table class="nk-table nk-print-cited">)(.*?)(</table>)', re.S)
_ROW = re.compile(r'<tr id="([^"]*)">.*?</tr>', re.S)
_HREF = re.compile(r'href="#([^"]+)"')
_LINK = re.compile(r'<a ([^>]*?)href="#([^"]+)"([^>]*)>(.*?)</a>', re.S)
_ID = re.compile(r'\sid="([^"]+)"')


def print_html(html: str) -> str:
    """The HTML the PDF is made from: the tables too long to print (class nk-print-omit,
    see display.PRINT_MAX_ROWS) left out, their print note standing in their place; a
    long table of link targets (nk-print-cited: the bibliography) cut to the rows the
    rest of the printed text links to; any link whose target is no longer printed kept
    as plain text. The tables are the project's own markup (every data string escaped),
    so they can be found by pattern."""
    html = _OMIT.sub("", html)
    if _CITED.search(html):
        cited = set(_HREF.findall(_CITED.sub("", html)))
        html = _CITED.sub(lambda m: m.group(1) + _ROW.sub(lambda r: r.group(0) if r.group(1) in cited else "",
                                                          m.group(2)) + m.group(3), html)
    ids = set(_ID.findall(html))
    return _LINK.sub(lambda m: m.group(0) if m.group(2) in ids else f"<span>{m.group(4)}</span>", html)


def write_pdf(html: str, target: Path, data_dir: Path | None = None, rasters: dict[str, str] | None = None) -> int:
    """Render the HTML to an A4 PDF with WeasyPrint (print CSS in the template).

    With ``rasters`` (SVG base64 -> PNG base64), figures are placed in the PDF as their
    150 dpi PNG: WeasyPrint spends most of its time drawing SVG text outlines, and the
    PNG prints at about 180 dpi at the page's text width.

    The PDF's dates and identifier come from the data (the latest date it holds), not
    the clock, so the same inputs give the same bytes."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from .dates import bounds

    latest = report_metadata(data_dir)["data_iso"] or "1970"
    stamp = bounds(latest)[0].isoformat() + "T00:00:00Z"
    for svg_b64, png_b64 in (rasters or {}).items():
        html = html.replace(f"data:image/svg+xml;base64,{svg_b64}", f"data:image/png;base64,{png_b64}")
    html = print_html(html)
    html = html.replace("<head>", f'<head><meta name="dcterms.created" content="{stamp}"><meta name="dcterms.modified" content="{stamp}">', 1)
    document = HTML(string=html, base_url=str(target.parent)).render()
    document.write_pdf(target, pdf_identifier=b"nkreport-" + stamp.encode(), uncompressed_pdf=False)
    return len(document.pages)


def dump_json(obj) -> str:
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
