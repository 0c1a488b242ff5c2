"""Unit tests of the package's small pieces: dates, citations, display escaping, catalogue."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from nkreport import catalog, citations, dates, display
from nkreport.data import Tables


@pytest.mark.parametrize("value,precision", [("1994", "year"), ("1994-05", "month"), ("1994-05-12", "day"), (None, "unknown"), ("", "unknown")])
def test_precision_of(value, precision):
    assert dates.precision_of(value) == precision


@pytest.mark.parametrize("value", ["1993-02-30", "1993-13", "93", "1994-5-12"])
def test_precision_of_refuses_impossible_dates(value):
    with pytest.raises(ValueError):
        dates.precision_of(value)


def test_bounds_cover_the_whole_range():
    assert dates.bounds("1992") == (dt.date(1992, 1, 1), dt.date(1992, 12, 31))
    assert dates.bounds("1992-02") == (dt.date(1992, 2, 1), dt.date(1992, 2, 29))
    assert dates.bounds("1992-02-26") == (dt.date(1992, 2, 26), dt.date(1992, 2, 26))


def test_labels_read_as_a_reader_writes_them():
    assert dates.label("2013-03-08") == "8 March 2013"
    assert dates.label("1994-05") == "May 1994"
    assert dates.label(None) == "date unknown"


def sources_frame():
    return pd.DataFrame({
        "source_id": ["kucera-2013", "unsc-822", "anon"],
        "author": ["Joshua Kucera", None, None],
        "publisher": ["EurasiaNet", "UN Security Council", None],
        "title": ["Iranian Official", "Resolution 822", "Untitled note: a commentary"],
        "date": ["2013-03-08", "1993-04-30", None],
        "access_note": ["checked", "checked", "via x"],
    })


def test_short_citations():
    s = sources_frame()
    assert [citations.short(r) for _, r in s.iterrows()] == ["Kucera 2013", "UN Security Council 1993", "Anonymous n.d."]


def test_source_line_names_files_and_counts_the_rest():
    s = sources_frame()
    line = citations.source_line(s, ["unsc-822", "kucera-2013", "anon"], tables=["claims"], limit=2)
    assert line.startswith("Source: data/claims.csv; ")
    assert "Kucera 2013" in line and "and 1 more" in line


def test_findings_and_tables_escape_text_from_data():
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    out = display.findings([display.Finding(evil, [display.fig("timeline")])]).html
    assert "<script>" not in out and "&lt;script&gt;" in out and "<img" not in out
    assert f'href="#{catalog.anchor("figure", "timeline")}"' in out
    frame = pd.DataFrame({"Claim": [evil], "_anchor": ['x" onmouseover="alert(3)']})
    html = display._html_table(frame)
    assert "<script>" not in html and "<img" not in html and 'onmouseover="' not in html


def test_source_html_links_each_citation_to_the_bibliography():
    t = Tables(sources=sources_frame())
    html = display.source_html(t, ["kucera-2013"], "Source: data/claims.csv; Kucera 2013.")
    assert '<a href="#src-kucera-2013">Kucera 2013</a>' in html and "data/claims.csv" in html


def test_catalogue_numbers_follow_its_order_and_ids_are_unique():
    for kind, entries in (("figure", catalog.FIGURES), ("table", catalog.TABLES)):
        ids = [e.id for e in entries]
        assert len(ids) == len(set(ids))
        assert [catalog.number(kind, i) for i in ids] == list(range(1, len(ids) + 1))


def test_source_html_names_a_few_citations_and_counts_the_rest(monkeypatch):
    t = Tables(sources=sources_frame())
    monkeypatch.setattr(display, "CITE_MAX", 1)
    html = display.source_html(t, ["unsc-822", "kucera-2013", "anon"], "Source: data/claims.csv.")
    assert html.count("<a href=") == 1
    assert html.endswith("and 2 more (the rows of data/claims.csv name each one).")


# ---------------------------------------------------------------------------
# The printed edition: tables too long to print, and the bibliography it needs


@pytest.fixture(scope="module")
def real():
    import nkreport as nk

    return nk.load()


def test_a_table_longer_than_the_print_limit_says_so_and_leaves_the_pdf(real, monkeypatch):
    from nkreport import export

    monkeypatch.setattr(display, "PRINT_MAX_ROWS", 10)
    events = display.table("events", real).html
    n = len(real.events)
    assert 'class="nk-table nk-print-omit"' in events
    assert (f'<p class="nk-print-note">This table has {n:,} rows, too many to print (more than 10): they are in '
            "the HTML edition (report.html) and in data/events.csv.</p>") in events
    short = display.table("recognition", real).html  # 25 rows: printed, under a limit of 30
    monkeypatch.setattr(display, "PRINT_MAX_ROWS", 30)
    short = display.table("recognition", real).html
    assert "nk-print" not in short
    printed = export.print_html(f"<html><body>{events}{short}</body></html>")
    assert "nk-print-omit" not in printed and "<tbody>" in printed  # the short table stays
    assert printed.count("<table") == 1 and "too many to print" in printed


def test_the_printed_bibliography_keeps_the_entries_the_printed_pages_cite(real, monkeypatch):
    from nkreport import export

    monkeypatch.setattr(display, "PRINT_MAX_ROWS", 10)
    sources = display.table("sources", real).html
    assert 'class="nk-table nk-print-cited"' in sources and "lists the entries its pages cite" in sources
    omitted = display.table("events", real).html  # its rows are not printed; its Source line is
    in_caption = set(re.findall(r'href="#(src-[^"]+)"', omitted))
    ids = [f"src-{x}" for x in real.sources["source_id"]]
    first, second = [x for x in ids if x not in in_caption][:2]
    never = [x for x in ids if x not in in_caption][2]
    page = (f'<html><body><p><a href="#{first}">one</a> and <a class="ref" href="#{second}">two</a></p>'
            f'{omitted}{sources}<p><a href="#nowhere">a link to nothing</a></p></body></html>')
    printed = export.print_html(page)
    rows = re.findall(r'<tr id="([^"]+)">', printed)
    table_order = re.findall(r'<tr id="([^"]+)">', sources)
    assert rows == [x for x in table_order if x in in_caption | {first, second}]
    assert f'id="{never}"' not in printed and len(rows) < len(ids)
    # A link whose target is not printed keeps its words, not its target.
    assert '<span>a link to nothing</span>' in printed and 'href="#nowhere"' not in printed
    assert f'<a class="ref" href="#{second}">two</a>' in printed


def test_limits_say_when_the_central_claim_comes_from_its_original(real):
    from nkreport import story

    text = " ".join(story.limits(real))
    assert "removes from the original (" in text  # the real chain: words relayed by others
    src = story.central_claims(real)["source_id"].iloc[0]
    sources = real.sources.copy()
    sources.loc[sources["source_id"] == src, "via_source_id"] = pd.NA
    direct = Tables({**{k: real[k] for k in real}, "sources": sources})
    text = " ".join(story.limits(direct))
    assert "removes from the original" not in text
    assert "words reached the project in their original source (" in text
