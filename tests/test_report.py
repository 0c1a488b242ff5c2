"""The built report as a reader gets it: report/report.html in a real browser (headless
Chromium through Playwright) and report/report.pdf through a PDF library.

The browser tests need Chromium at /usr/bin/chromium (or $NKREPORT_CHROMIUM); without
it they skip, saying how to install it, except on CI (CI=true) where they fail. They
test the report as built: run ``python -m nkreport build`` first. $NKREPORT_REPORT_DIR
points them at another folder holding report.html and report.pdf.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nkreport import catalog

ROOT = Path(__file__).resolve().parents[1]
REPORT = Path(os.environ.get("NKREPORT_REPORT_DIR", ROOT / "report"))
HTML = REPORT / "report.html"
PDF = REPORT / "report.pdf"
CHROMIUM = os.environ.get("NKREPORT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ON_CI = os.environ.get("CI", "").lower() == "true"
A4 = (595.3, 841.9)  # points


def _unavailable(message: str):
    """Skip, or fail on CI, where a missing piece means the check did not run."""
    if ON_CI:
        pytest.fail(message)
    pytest.skip(message)


def _need(path: Path) -> Path:
    if not path.is_file():
        _unavailable(f"{path} is missing: build the report first (python -m nkreport build)")
    return path


# ---------------------------------------------------------------------------
# The HTML as a document (no browser needed)


@pytest.fixture(scope="module")
def soup():
    from bs4 import BeautifulSoup

    return BeautifulSoup(_need(HTML).read_text(encoding="utf-8"), "html.parser")


def _body(soup):
    return soup.find(id="report-body") or soup.find("main")


def test_title_block_names_title_date_and_version(soup):
    block = soup.select_one("header.title-block")
    assert block is not None, "no title block"
    assert block.find("h1").get_text(strip=True) == catalog.REPORT_TITLE
    assert block.select_one(".subtitle").get_text(strip=True) == catalog.REPORT_SUBTITLE
    meta = block.select_one(".meta").get_text(" ", strip=True)
    assert re.search(r"Data as of:? \d{1,2} \w+ \d{4}", meta), meta
    assert re.search(r"report \d+\.\d+\.\d+", meta), meta


def test_summary_of_findings_comes_first_and_links_to_figures_and_tables(soup):
    first = _body(soup).find("h2")
    assert first.get_text(strip=True) == "Summary of findings"
    summary = first.find_parent("section")
    assert summary is not None, "the sections are not wrapped in <section> (export.postprocess)"
    items = summary.select(".nk-findings li")
    assert len(items) >= 5, "the summary holds too few findings"
    for li in items:
        refs = [a["href"] for a in li.select("a.ref")]
        assert refs, f"finding without a link to its figure or table: {li.get_text()[:80]}"
        assert all(re.fullmatch(r"#(fig|tab)-[\w-]+", r) for r in refs), refs


def test_figures_and_tables_are_numbered_in_order_with_caption_and_source(soup):
    body = _body(soup)
    for kind, selector, word, entries in (
        ("figure", "figure.nk-figure", "Figure", catalog.FIGURES),
        ("table", "figure.nk-table-wrap", "Table", catalog.TABLES),
    ):
        found = body.select(selector)
        assert [f["id"] for f in found] == [catalog.anchor(kind, e.id) for e in entries], f"{kind}s out of catalogue order"
        for n, fig in enumerate(found, start=1):
            label = fig.select_one("figcaption .nk-label").get_text(strip=True)
            assert label == f"{word} {n}.", (fig["id"], label)
            caption = fig.find("figcaption").get_text(" ", strip=True)
            assert len(caption) > len(label) + 10, f"{fig['id']}: caption too short"
            source = fig.select_one(".nk-source")
            assert source is not None and source.get_text(strip=True).startswith("Source:"), f"{fig['id']}: no Source line"


def test_tables_are_scannable(soup):
    for table in _body(soup).select("figure.nk-table-wrap table"):
        heads = [th.get_text(strip=True) for th in table.select("thead th")]
        assert heads and all(heads), f"empty header cell: {heads}"
        assert all(th.get("scope") == "col" for th in table.select("thead th"))
        # readable column names: no index column, no snake_case identifiers
        assert not any(re.fullmatch(r"(index|Unnamed.*|\d+)", h) for h in heads), heads
        assert not any(re.fullmatch(r"[a-z]+(_[a-z]+)+", h) for h in heads), heads
        assert not table.select("tbody th"), "a row index is shown"
        widths = [float(c["style"].split(":")[1].strip(" %;")) for c in table.select("colgroup col")]
        assert len(widths) == len(heads) and abs(sum(widths) - 100) < 0.5, widths


def test_every_citation_links_to_its_bibliography_entry(soup):
    sources = soup.find(id=catalog.anchor("table", "sources"))
    entries = {tr["id"] for tr in sources.select("tbody tr[id]")}
    assert entries, "the sources table has no anchored rows"
    cites = [a["href"][1:] for a in soup.select('a[href^="#src-"]')]
    assert len(cites) >= len(catalog.FIGURES), "too few in-text citations"
    missing = sorted(set(cites) - entries)
    assert not missing, f"citations with no bibliography entry: {missing[:10]}"


def test_appendix_holds_the_data_dictionary(soup):
    heads = [h.get_text(strip=True) for h in _body(soup).find_all("h2")]
    assert heads[-1].startswith("Appendix"), heads
    appendix = _body(soup).find_all("h2")[-1].find_parent("section")
    assert appendix is not None, "the sections are not wrapped in <section> (export.postprocess)"
    assert appendix.find(id=catalog.anchor("table", "dictionary")) is not None


# ---------------------------------------------------------------------------
# The HTML in a browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        _unavailable(
            f"no Chromium at {CHROMIUM}: the browser tests need it. Install it with "
            "`apt-get install chromium` (or point NKREPORT_CHROMIUM at a Chromium binary)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        _unavailable("the playwright package is missing: pip install -r requirements.txt")
    _need(HTML)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """One page load of the report, with every request and console error recorded."""

    def __init__(self, browser, width: int = 1400, height: int = 1000):
        self.url = HTML.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.route("**/*", self._route)
        self.page.goto(self.url, wait_until="load")

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url == self.url:
            route.continue_()
        else:
            route.abort()

    def js(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def visit(browser):
    """One load shared by the checks (loading the 3 MB file takes a few seconds)."""
    v = Visit(browser)
    yield v
    v.close()


@pytest.mark.browser
def test_loads_nothing_but_itself_and_logs_no_error(visit):
    visit.page.wait_for_timeout(300)
    others = [u for u in visit.requests if u != visit.url]
    assert visit.url in visit.requests
    assert not others, f"the report requested {len(others)} other URL(s): {others[:5]}"
    assert not visit.errors, visit.errors


@pytest.mark.browser
def test_every_image_decodes_and_has_alt_text(visit):
    images = visit.js("""async () => Promise.all([...document.images].map(async img => {
        try { await img.decode(); } catch (e) {}
        return {src: img.currentSrc.slice(0, 40), w: img.naturalWidth, alt: (img.getAttribute('alt') || '').trim()};
    }))""")
    assert len(images) == len(catalog.FIGURES), f"{len(images)} images for {len(catalog.FIGURES)} figures"
    for img in images:
        assert img["w"] > 0, f"image not decoded: {img['src']}"
        assert len(img["alt"]) >= 20, f"image without useful alt text: {img}"


@pytest.mark.browser
def test_document_structure_is_accessible(visit):
    info = visit.js("""() => ({
        lang: document.documentElement.getAttribute('lang'),
        title: document.title,
        headings: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => [Number(h.tagName[1]), h.textContent.trim()]),
        headerless: [...document.querySelectorAll('table')].filter(t => !t.querySelector('th')).length,
    })""")
    assert info["lang"], "no lang attribute on <html>"
    assert info["title"] == catalog.REPORT_TITLE
    levels = [lv for lv, _ in info["headings"]]
    assert levels.count(1) == 1, "there must be exactly one h1"
    assert levels[0] == 1, "the first heading must be the h1"
    for (prev, prev_text), (cur, text) in zip(info["headings"], info["headings"][1:]):
        assert cur <= prev + 1, f"heading level skips from h{prev} ({prev_text!r}) to h{cur} ({text!r})"
    assert info["headerless"] == 0, "a table without header cells"


@pytest.mark.browser
def test_no_code_is_visible(visit):
    visible = visit.js("""() => [...document.querySelectorAll(
            '.jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt, .jp-Editor, .jp-CodeMirrorEditor, .cm-editor, '
            + '.CodeMirror, .highlight, .input_area, pre code')]
        .filter(el => el.checkVisibility()).map(el => el.className || el.tagName)""")
    assert not visible, f"code or prompts are visible: {visible[:5]}"
    text = visit.js("() => document.body.innerText")
    for marker in ("import nkreport", "nk.load(", "nk.figure(", "nk.table(", "In [", "Out["):
        assert marker not in text, f"notebook code shows in the report: {marker!r}"


def _links_land(visit, selector: str) -> list[str]:
    """Follow each in-page link; return the ones whose target is missing or not shown."""
    hrefs = visit.js(f"() => [...document.querySelectorAll('{selector}')].map(a => a.getAttribute('href'))")
    bad = []
    for href in hrefs:
        ident = href[1:]
        visit.js("id => { location.hash = ''; location.hash = id; }", ident)
        where = visit.js("""id => {
            const el = document.getElementById(decodeURIComponent(id));
            if (!el) return 'missing';
            if (!el.checkVisibility()) return 'hidden';
            const r = el.getBoundingClientRect();
            return (r.bottom > 0 && r.top < window.innerHeight) ? 'ok' : 'off screen at ' + Math.round(r.top);
        }""", ident)
        if where != "ok":
            bad.append(f"{href}: {where}")
    return bad


@pytest.mark.browser
def test_table_of_contents_links_land_on_their_sections(visit):
    visit.js("() => document.querySelectorAll('#toc details').forEach(d => d.open = true)")
    toc = visit.js("() => [...document.querySelectorAll('#toc a')].map(a => a.getAttribute('href'))")
    h2s = visit.js("() => [...document.querySelectorAll('main h2')].map(h => '#' + h.id)")
    assert set(h2s) <= set(toc), f"sections missing from the contents: {sorted(set(h2s) - set(toc))}"
    expected_figs = {"#" + catalog.anchor("figure", e.id) for e in catalog.FIGURES}
    expected_tabs = {"#" + catalog.anchor("table", e.id) for e in catalog.TABLES}
    assert expected_figs | expected_tabs <= set(toc), "figures or tables missing from the contents"
    assert not _links_land(visit, "#toc a"), _links_land(visit, "#toc a")


@pytest.mark.browser
def test_every_in_page_link_lands_on_an_element(visit):
    count = visit.js("""() => document.querySelectorAll('a[href^="#"]').length""")
    assert count > 50
    bad = visit.js("""() => [...document.querySelectorAll('a[href^="#"]')]
        .map(a => a.getAttribute('href').slice(1))
        .filter(id => { const el = document.getElementById(decodeURIComponent(id));
                        return !el || !el.checkVisibility(); })""")
    assert not bad, f"{len(bad)} in-page link(s) lead nowhere: {sorted(set(bad))[:10]}"
    # and following a sample of them, one of each kind, scrolls the target into view
    sample = visit.js("""() => {
        const seen = {}; for (const a of document.querySelectorAll('main a[href^="#"]')) {
            const kind = a.getAttribute('href').split('-')[0]; if (!seen[kind]) seen[kind] = a.getAttribute('href'); }
        return Object.values(seen); }""")
    assert len(sample) >= 3, sample  # #fig-, #tab-, #src-
    for href in sample:
        visit.page.click(f'main a[href="{href}"] >> nth=0')
        top = visit.js("id => document.getElementById(id).getBoundingClientRect().top", href[1:])
        assert -2 <= top < 200, f"{href} did not land: target at {top}px"


@pytest.mark.browser
def test_text_contrast_is_at_least_4_5_to_1(visit):
    low = visit.js("""() => {
        const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
        const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const background = el => { for (; el; el = el.parentElement) {
            const c = rgb(getComputedStyle(el).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c; } return [255, 255, 255]; };
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
            const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (!own || !el.checkVisibility() || el.closest('.skip')) continue;
            const fg = lum(rgb(getComputedStyle(el).color)), bg = lum(background(el));
            const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
            if (ratio < 4.5) out.push(el.tagName + '.' + el.className + ' ' + ratio.toFixed(2) + ': ' + el.textContent.trim().slice(0, 40));
        }
        return out; }""")
    assert not low, f"text below 4.5:1 contrast: {low[:10]}"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1400, 800])
def test_layout_holds_at_wide_and_narrow_widths(browser, width, tmp_path):
    v = Visit(browser, width=width)
    try:
        shot = tmp_path / f"first-screen-{width}.png"
        v.page.screenshot(path=str(shot))
        from PIL import Image

        img = Image.open(shot).convert("RGB")
        colours = img.getcolors(maxcolors=1 << 20) or []
        assert len(colours) >= 8, "the first screen is (nearly) blank"
        non_white = sum(n for n, c in colours if c != (255, 255, 255)) / (img.width * img.height)
        assert non_white > 0.05, f"the first screen is {100 * (1 - non_white):.0f}% white"
        geo = v.js("""() => {
            const box = s => { const el = document.querySelector(s); const r = el.getBoundingClientRect();
                return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, position: getComputedStyle(el).position}; };
            return {toc: box('#toc'), main: box('main'), title: box('.title-block h1'),
                    page: document.scrollingElement.scrollWidth, view: window.innerWidth,
                    wide: [...document.querySelectorAll('main figure, main p, main li')].filter(el => {
                        const r = el.getBoundingClientRect(); return r.right > window.innerWidth + 1; }).length};
        }""")
        assert geo["page"] <= geo["view"], f"the page scrolls sideways at {width}px ({geo['page']}px wide)"
        assert geo["wide"] == 0, f"{geo['wide']} block(s) stick out of the window at {width}px"
        assert geo["title"]["top"] < 300, "the title is not on the first screen"
        if geo["toc"]["position"] == "fixed":  # sidebar: it must not cover the text
            assert geo["toc"]["right"] <= geo["main"]["left"], geo
            assert geo["toc"]["right"] <= geo["title"]["left"], geo
    finally:
        v.close()


# ---------------------------------------------------------------------------
# The PDF


@pytest.fixture(scope="module")
def pdf():
    from pypdf import PdfReader

    return PdfReader(str(_need(PDF)))


@pytest.fixture(scope="module")
def pdf_pages(pdf) -> list[str]:
    """Each page's text, line by line (pdftotext when installed, else pypdf)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(PDF), "-"], capture_output=True, text=True, check=True)
        return out.stdout.split("\f")[: len(pdf.pages)]
    return [p.extract_text() or "" for p in pdf.pages]


@pytest.fixture(scope="module")
def pdf_text(pdf_pages) -> list[str]:
    return [re.sub(r"\s+", " ", p) for p in pdf_pages]


def test_pdf_page_count_is_sane_and_pages_are_a4(pdf):
    assert 10 <= len(pdf.pages) <= 200, len(pdf.pages)
    for i, page in enumerate(pdf.pages, start=1):
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert sorted((round(w), round(h))) == sorted((round(A4[0]), round(A4[1]))), f"page {i} is {w}x{h} pt, not A4"


def test_pdf_text_is_extractable(pdf_text):
    text = " ".join(pdf_text)
    assert len(text) > 20_000, "little text in the PDF"
    assert catalog.REPORT_TITLE in pdf_text[0], "the cover does not carry the title"
    assert sum(1 for p in pdf_text if len(p.strip()) > 200) >= len(pdf_text) * 0.8, "many pages without text"


def test_pdf_holds_every_figure_and_table_caption(pdf_text):
    text = " ".join(pdf_text)
    for word, entries in (("Figure", catalog.FIGURES), ("Table", catalog.TABLES)):
        for n, entry in enumerate(entries, start=1):
            first_words = " ".join(entry.caption.split()[:4])
            assert f"{word} {n}. {first_words}" in text, f"{word} {n}. ({entry.id}) missing from the PDF"


def test_pdf_contents_page_has_page_numbers(pdf_text, soup):
    contents = next((p for p in pdf_text[:4] if "Contents" in p), "")
    assert contents, "no contents page near the front"
    for h in _body(soup).find_all("h2"):
        title = h.get_text(" ", strip=True)
        m = re.search(re.escape(title) + r"[ .]*?(\d+)\b", contents)
        assert m, f"no page number for {title!r} in the contents"
        page = int(m.group(1))
        assert title in pdf_text[page - 1], f"the contents send {title!r} to page {page}, where it is not"


def _outline_titles(pdf) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(pdf.outline)
    return titles


def test_pdf_bookmarks_have_an_entry_per_section(pdf, soup):
    titles = [re.sub(r"\s+", " ", t).strip() for t in _outline_titles(pdf)]
    sections = [h.get_text(" ", strip=True) for h in _body(soup).find_all("h2")]
    missing = [s for s in sections if s not in titles]
    assert not missing, f"sections without a bookmark: {missing}"
    top = [re.sub(r"\s+", " ", o.title).strip() for o in pdf.outline if not isinstance(o, list)]
    assert all(s in top for s in sections), "sections should be top-level bookmarks"


def _fonts(resources, seen: set) -> list:
    """Every font dictionary reachable from a resource dictionary (forms included)."""
    fonts = []
    if resources is None:
        return fonts
    resources = resources.get_object()
    font_dict = resources.get("/Font")
    if font_dict is not None:
        for ref in font_dict.get_object().values():
            key = getattr(ref, "idnum", None) or id(ref)
            if key not in seen:
                seen.add(key)
                fonts.append(ref.get_object())
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            key = ("x", getattr(ref, "idnum", None) or id(ref))
            if key in seen:
                continue
            seen.add(key)
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form":
                fonts += _fonts(xobj.get("/Resources"), seen)
    return fonts


def test_pdf_embeds_every_font(pdf):
    seen: set = set()
    fonts = []
    for page in pdf.pages:
        fonts += _fonts(page.get("/Resources"), seen)
    assert fonts, "no fonts found"
    for font in fonts:
        name = font.get("/BaseFont", font.get("/Name", "?"))
        if font.get("/Subtype") == "/Type3":
            continue  # glyphs drawn by the PDF itself: nothing to embed
        descendants = font.get("/DescendantFonts")
        target = descendants.get_object()[0].get_object() if descendants is not None else font
        descriptor = target.get("/FontDescriptor")
        assert descriptor is not None, f"font {name} has no descriptor"
        descriptor = descriptor.get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"font {name} is not embedded"


def test_pdf_no_heading_or_caption_alone_at_the_foot_of_a_page(pdf_pages, soup):
    headings = {h.get_text(" ", strip=True) for h in _body(soup).find_all(["h2", "h3", "h4"])}
    headings |= {p.get_text(" ", strip=True) for p in _body(soup).select(".nk-findings-head")}
    footer = re.compile(r"\d+ / \d+|" + re.escape(catalog.REPORT_TITLE))
    lonely = []
    for number, text in enumerate(pdf_pages, start=1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not footer.fullmatch(ln.strip())]
        if number <= 2 or len(lines) < 2:
            continue
        last = lines[-1]
        if last in headings or re.fullmatch(r"(Table|Figure) \d+\..*", last):
            lonely.append(f"page {number}: {last!r}")
    assert not lonely, f"headings or captions left alone at the foot of a page: {lonely}"
