"""Unit tests of the package's small pieces: dates, citations, display escaping, catalogue."""
from __future__ import annotations

import datetime as dt

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
