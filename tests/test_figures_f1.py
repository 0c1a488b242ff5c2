"""Figures 1, 2, 3 and 6 (locator map, actor network, timeline, claim chain): each test
checks what the figure draws against the small hand-made tables it was given."""
from __future__ import annotations

import datetime as dt
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from nkreport import citations, data, dates, style
from nkreport.data import Tables
from nkreport.figures import chain, locator, network, timeline

FIGURES = {
    "locator": locator.locator_map,
    "network": network.actor_network,
    "timeline": timeline.timeline,
    "chain": chain.claim_chain,
}


# ---------------------------------------------------------------------------
# Hand-made tables, typed as nkreport.data.load types them


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table with the columns datapackage.json gives it: text as "str", integers as Int64,
    empty cells NaN, `*_precision` filled from the date, index = CSV line number."""
    fields = data.resource(data.descriptor(), name)["schema"]["fields"]
    cols = {}
    for f in fields:
        col = f["name"]
        values = []
        for r in rows:
            v = r.get(col)
            if v is None and col.endswith("_precision"):
                v = dates.precision_of(r.get(col[: -len("_precision")]))
            values.append(v)
        cols[col] = pd.array(values, dtype="Int64" if f["type"] == "integer" else "str")
    return pd.DataFrame(cols, index=pd.Index(range(2, len(rows) + 2), name="line"))


def _source(sid, kind, title, **kw):
    return dict(source_id=sid, kind=kind, title=title, language="en", access_note="test", **kw)


def _actor(aid, name, kind, role, **kw):
    return dict(actor_id=aid, name=name, kind=kind, role=role, description="test", source_id="s-ref", **kw)


def _claim(cid, who, src, subject, ctype, stance=None, toward=None, status="unconfirmed", **kw):
    return dict(claim_id=cid, claimant_id=who, source_id=src, subject_id=subject, claim_type=ctype,
                stance=stance, toward_id=toward, paraphrase=f"Paraphrase of {cid}.", status=status,
                reliability="C", credibility=3, grade_reason="test", **kw)


SOURCES = [
    _source("s-essay", "commentary", "An essay", date="2013", actor_id="essayist"),
    _source("s-post", "blog_post", "A post", author="Pat Poster", date="2013-03-08", via_source_id="s-essay",
            actor_id="poster"),
    _source("s-trans", "translation", "A translation", publisher="Trans Co", date="2013-03",
            via_source_id="s-post", actor_id="trans-co"),
    _source("s-tv", "tv_interview", "An interview", publisher="TV One", date="2013-03", via_source_id="s-trans",
            actor_id="tv-one"),
    _source("s-ref", "reference_work", "A reference", publisher="Ref House", date="2020"),
    _source("s-news", "news_article", "A news article", publisher="News Daily", date="2021-05-01"),
    _source("s-alt", "book", "A book", author="Bo Author", date="2003"),
    _source("s-unused", "book", "Unused book", author="Nobody Cited", date="1999"),
    _source("natural-earth", "dataset", "Natural Earth: test cut", publisher="NE", date="2018"),
]

ACTORS = [
    _actor("armenia", "Armenia", "state", "party"),
    _actor("azerbaijan", "Azerbaijan", "state", "party"),
    _actor("iran", "Iran", "state", "regional_power"),
    _actor("russia", "Russia", "state", "regional_power"),
    _actor("nkr", "Karabakh Republic", "de_facto_state", "party"),
    _actor("zeta-land", "Zetaland", "de_facto_state", "other_state"),
    _actor("rezaee", "Mohsen Rezaee", "person", "official", office="Commander", office_start="1981",
           office_end="1997"),
    _actor("essayist", "The essayist (anonymous)", "person", "commentator"),
    _actor("poster", "Pat Poster", "person", "reporter"),
    _actor("trans-co", "Trans Co", "media_outlet", "translator"),
    _actor("tv-one", "TV One", "media_outlet", "broadcaster"),
    _actor("critic", "Cara Critic", "person", "claimant"),
    _actor("analyst", "Ana Lyst", "person", "analyst"),
]

PERIODS = [
    dict(period_id="p-early", label="Early years", start="1988-02", end="1991-12", lane=0,
         description="d", source_id="s-ref"),
    dict(period_id="p-war", label="The war", start="1991", end="1994-05-12", lane=1, description="d",
         source_id="s-alt"),
    dict(period_id="p-long", label="Long armistice", start="1994-05-12", end="2020-09-27", lane=0,
         description="d", source_id="s-ref"),
    dict(period_id="p-short", label="The short spell", start="2013-03-08", end="2013-06-14", lane=2,
         description="d", source_id="s-post"),
]

EVENTS = [
    dict(event_id="e-a", date="1988-02-20", title="First request", period_id="p-early", source_id="s-ref"),
    dict(event_id="e-b", date="1988-06-15", title="Second step", period_id="p-early", source_id="s-ref",
         alt_date="1988-06-17", alt_source_id="s-alt"),
    dict(event_id="e-c", date="1988-07", title="A month-dated step", period_id="p-early", source_id="s-ref"),
    dict(event_id="e-d", date="1991-09-02", title="A proclamation", period_id="p-early", source_id="s-alt"),
    dict(event_id="e-e", date="1992-05-08", title="A battle", period_id="p-war", source_id="s-alt"),
    dict(event_id="e-f", date="1993", title="A border closes", period_id="p-war", source_id="s-news"),
    dict(event_id="e-g", date="1994-05-12", title="Ceasefire", period_id="p-long", source_id="s-ref"),
    dict(event_id="e-h", date="2013-03-08", title="The post", period_id="p-short", source_id="s-post"),
]

CLAIMS = [
    # Official positions, and an action on record.
    _claim("c-off-neutral", "essayist", "s-essay", "iran", "official_position", "neutral", "armenia"),
    _claim("c-off-self", "iran", "s-news", "iran", "official_position", "non_recognition", "nkr",
           status="official_statement"),
    _claim("c-act-confirmed", "essayist", "s-ref", "armenia", "action", "supports", "nkr", status="confirmed"),
    _claim("c-off-zeta", "essayist", "s-essay", "iran", "official_position", "non_recognition", "zeta-land"),
    # Alleged positions and an unconfirmed action; two claims on one edge.
    _claim("c-alleged-arm", "critic", "s-news", "iran", "alleged_position", "supports", "armenia"),
    _claim("c-alleged-russia", "essayist", "s-essay", "russia", "alleged_position", "supports", "armenia"),
    _claim("c-rz-armed", "rezaee", "s-tv", "iran", "action", "supports", "azerbaijan", said_date="2013-03"),
    _claim("c-critic-same", "critic", "s-news", "iran", "alleged_position", "supports", "azerbaijan"),
    _claim("c-rz-ti", "rezaee", "s-tv", "rezaee", "official_position", "territorial_integrity", "azerbaijan",
           status="official_statement", said_date="2013-03"),
    # Not drawn in the network: no stance, or no target.
    _claim("c-motive", "analyst", "s-post", "rezaee", "motive"),
    _claim("c-context", "critic", "s-alt", "iran", "context"),
    _claim("c-dispute", "essayist", "s-essay", "iran", "assessment"),
    _claim("c-stance-no-target", "essayist", "s-essay", "iran", "official_position", "neutral"),
]

CLAIM_LINKS = [
    dict(claim_id="c-context", target_claim_id="c-rz-armed", relation="corroborates", source_id="s-alt"),
    dict(claim_id="c-dispute", target_claim_id="c-rz-armed", relation="disputes", source_id="s-essay"),
    dict(claim_id="c-motive", target_claim_id="c-rz-ti", relation="qualifies", source_id="s-post"),
    # Between two claims that are not Rezaee's: not drawn in the chain figure.
    dict(claim_id="c-off-neutral", target_claim_id="c-alleged-arm", relation="disputes", source_id="s-unused"),
]


def make_tables(**replace) -> Tables:
    rows = dict(sources=SOURCES, actors=ACTORS, periods=PERIODS, events=EVENTS,
                event_actors=[dict(event_id="e-e", actor_id="armenia", source_id="s-alt")],
                claims=CLAIMS, claim_links=CLAIM_LINKS, recognition=[])
    rows.update(replace)
    return Tables({name: _frame(name, r) for name, r in rows.items()})


@pytest.fixture
def t():
    return make_tables()


# ---------------------------------------------------------------------------
# Helpers


def by_gid(fig, prefix="") -> dict:
    """Artists of the figure's axes that carry a gid starting with ``prefix``, by gid."""
    out = {}
    for ax in fig.axes:
        for a in [*ax.texts, *ax.patches, *ax.lines]:
            gid = a.get_gid()
            if gid and gid.startswith(prefix):
                out[gid] = a
    return out


def ids(gids, prefix) -> set:
    return {g[len(prefix):] for g in gids}


def shown_text(fig) -> str:
    texts = [a for a in fig.findobj(Text) if a.get_visible() and a.get_text()]
    return " ".join(" ".join(x.get_text().split()) for x in texts)


def display_boxes(fig, artists):
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else fig._get_renderer()
    return [a.get_window_extent(renderer) for a in artists]


# ---------------------------------------------------------------------------
# What every figure must be


@pytest.mark.parametrize("name", FIGURES)
def test_figure_contract(t, name):
    fig = FIGURES[name](t)
    assert isinstance(fig, Figure)
    info = fig.nkreport
    assert info.title and info.alt.endswith(".") and ". " not in info.alt  # one sentence
    assert info.source_line.startswith("Source: ")
    assert info.source_line == fig.texts[-1].get_text()
    assert set(info.source_ids) <= set(t.sources["source_id"])


@pytest.mark.parametrize("name", FIGURES)
def test_every_label_is_legible(t, name):
    fig = FIGURES[name](t)
    sizes = [a.get_fontsize() for a in fig.findobj(Text) if a.get_visible() and a.get_text().strip()]
    assert sizes and min(sizes) >= 7.5


@pytest.mark.parametrize("name", FIGURES)
def test_output_is_byte_stable(t, name):
    svg1, png1 = style.render(FIGURES[name](t))
    svg2, png2 = style.render(FIGURES[name](make_tables()))
    assert svg1 == svg2 and png1 == png2


# ---------------------------------------------------------------------------
# Figure 1: the locator map


def test_locator_draws_the_countries_area_and_places(t):
    fig = locator.locator_map(t)
    countries = ids(by_gid(fig, "country:"), "country:")
    assert {"ARM", "AZE", "GEO", "IRN", "TUR", "RUS"} <= countries
    areas = by_gid(fig, "area:")
    assert list(areas) == ["area:Nagorno-Karabakh"] and areas["area:Nagorno-Karabakh"].get_hatch()
    places = ids(by_gid(fig, "placelabel:"), "placelabel:")
    geo = data.geojson(locator.PLACES_FILE)
    capitals = {f["properties"]["name"] for f in geo["features"]
                if f["properties"]["featurecla"] == locator.CAPITAL_CLASS}
    assert capitals | {locator.NK_PLACE} == places
    assert by_gid(fig, "label:exclave")  # Nakhchivan, Azerbaijan's exclave, is named
    assert f"{len(places)} places marked" in fig.nkreport.alt


def test_locator_credits_natural_earth_from_the_sources_table(t):
    fig = locator.locator_map(t)
    assert fig.nkreport.source_ids == ["natural-earth"]
    row = t.sources.set_index("source_id").loc["natural-earth"]
    assert citations.short(row) in fig.nkreport.source_line
    assert "Natural Earth" in fig.nkreport.source_line
    assert "data/geo/" in fig.nkreport.source_line


def test_locator_names_the_exclave_from_actors_when_present():
    actors = ACTORS + [dict(_actor("nakhchivan", "Nakhchivan AR", "region", "other_state"), source_id="s-alt")]
    fig = locator.locator_map(make_tables(actors=actors))
    assert "Nakhchivan AR" in by_gid(fig, "label:exclave")["label:exclave"].get_text()
    assert "s-alt" in fig.nkreport.source_ids and "data/actors.csv" in fig.nkreport.source_line


# ---------------------------------------------------------------------------
# Figure 2: the actor network


def _drawable(t):
    c = t.claims
    c = c[c["claim_type"].isin(network.EDGE_TYPES) & c["stance"].notna() & c["toward_id"].notna()]
    return c[c["subject_id"] != c["toward_id"]]


def _basis(r):
    official = r["claim_type"] == "official_position" or (
        r["claim_type"] == "action" and r["status"] in network.CONFIRMED)
    return "official" if official else "alleged"


def test_network_nodes_are_the_actors_with_an_edge(t):
    fig = network.actor_network(t)
    c = _drawable(t)
    expected = set(c["subject_id"]) | set(c["toward_id"])
    assert ids(by_gid(fig, "node:"), "node:") == expected
    names = t.actors.set_index("actor_id")["name"]
    for actor_id, text in by_gid(fig, "node:").items():
        assert " ".join(text.get_text().split()) == names[actor_id.split(":", 1)[1]]
    assert "c-motive" not in set(c["claim_id"])  # a motive has no stance: no edge, no node
    assert "node:analyst" not in by_gid(fig, "node:")


def test_network_aggregates_claims_into_edges_solid_for_official_dashed_for_alleged(t):
    fig = network.actor_network(t)
    c = _drawable(t)
    keys = {(r["subject_id"], r["toward_id"], r["stance"], _basis(r)) for _, r in c.iterrows()}
    edges = by_gid(fig, "edge:")
    assert len(edges) == len(keys) == len(c) - 1  # two claims share iran -> azerbaijan, supports, alleged
    assert {f"edge:{s}->{tw}:{st}:{b}" for s, tw, st, b in keys} == set(edges)
    solid = [g for g, line in edges.items() if line.get_linestyle() == "-"]
    dashed = [g for g, line in edges.items() if line.get_linestyle() != "-"]
    assert len(solid) == sum(k[3] == "official" for k in keys)
    assert len(dashed) == sum(k[3] == "alleged" for k in keys)
    assert all(g.endswith(":official") for g in solid) and all(g.endswith(":alleged") for g in dashed)
    # The confirmed action is drawn solid; the unconfirmed one dashed.
    assert "edge:armenia->nkr:supports:official" in edges
    assert "edge:iran->azerbaijan:supports:alleged" in edges
    # Every edge has its stance glyph, coloured as style.ENCODING says.
    for g, line in edges.items():
        stance = g.split(":")[2]
        assert line.get_color().lower() == style.ENCODING[stance][0].lower()
        assert by_gid(fig, "stance:" + g[len("edge:"):])


def test_network_labels_name_the_claimants(t):
    fig = network.actor_network(t)
    label = by_gid(fig, "edgelabel:iran->azerbaijan:supports:alleged")
    text = " ".join(next(iter(label.values())).get_text().split())
    assert "Critic" in text and "Rezaee" in text
    # The claimant most edges share is named once, in the legend, not on its edges.
    assert "edgelabel:russia->armenia:supports:alleged" not in by_gid(fig, "edgelabel:")
    assert "The essayist (anonymous)" in shown_text(fig)
    # A claim an actor makes about itself needs no label.
    assert "edgelabel:iran->nkr:non_recognition:official" not in by_gid(fig, "edgelabel:")


def test_network_places_unknown_actors_without_overlap(t):
    fig = network.actor_network(t)
    boxes = display_boxes(fig, list(by_gid(fig, "nodebox:").values()))
    assert len(boxes) == len(by_gid(fig, "node:"))
    for a, b in combinations(boxes, 2):
        assert not a.overlaps(b)
    ax = fig.axes[0]
    frame = ax.get_window_extent()
    for b in boxes:
        assert frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1
    labels = display_boxes(fig, list(by_gid(fig, "edgelabel:").values()))
    for a, b in combinations(labels + boxes, 2):
        assert not a.overlaps(b)


def test_network_source_line_and_alt(t):
    fig = network.actor_network(t)
    c = _drawable(t)
    assert set(fig.nkreport.source_ids) == set(c["source_id"])
    assert "s-alt" not in fig.nkreport.source_ids  # cited only by a claim that is not drawn
    by_id = t.sources.set_index("source_id")
    for sid in fig.nkreport.source_ids:
        assert citations.short(by_id.loc[sid]) in fig.nkreport.source_line
    assert fig.nkreport.source_line.startswith("Source: data/claims.csv, data/actors.csv;")
    nodes = set(c["subject_id"]) | set(c["toward_id"])
    alt = fig.nkreport.alt
    assert f"{len(nodes)} actors" in alt and f"{len(c) - 1} relations" in alt and f"{len(c)} claims" in alt


def test_network_folds_the_least_claimed_actors_into_one_node(t, monkeypatch):
    # Actors outside the states: Mohsen Rezaee (one claim drawn) and four people; person-0
    # is the subject of two claims, the others of one each.
    extra_actors = [_actor(f"person-{i}", f"Person Number{i}", "person", "claimant") for i in range(4)]
    extra_claims = [_claim(f"c-p{i}", "critic", "s-news", f"person-{i}", "alleged_position", "hostile", "armenia")
                    for i in range(4)]
    extra_claims.append(_claim("c-p0-b", "critic", "s-news", "person-0", "alleged_position", "supports",
                               "azerbaijan"))
    t = make_tables(actors=ACTORS + extra_actors, claims=CLAIMS + extra_claims)
    monkeypatch.setattr(network, "MAX_OTHER_NODES", 3)
    fig = network.actor_network(t)
    nodes = ids(by_gid(fig, "node:"), "node:")
    # Two drawn one by one: the most claims (person-0), then by id among ties (person-1);
    # person-2, person-3 and rezaee share one node.
    assert {"person-0", "person-1", network.OTHERS} <= nodes
    assert not ({"person-2", "person-3", "rezaee"} & nodes)
    node = by_gid(fig, "node:" + network.OTHERS)[f"node:{network.OTHERS}"]
    assert " ".join(node.get_text().split()) == "3 other actors (fewer claims)"
    # Their claims keep their stance, basis and target: the two hostile ones become one edge.
    edges = by_gid(fig, "edge:")
    assert f"edge:{network.OTHERS}->armenia:hostile:alleged" in edges
    assert f"edge:{network.OTHERS}->azerbaijan:territorial_integrity:official" in edges
    assert len([g for g in edges if g.startswith(f"edge:{network.OTHERS}->")]) == 2
    # Cara Critic now makes most claims: named once, in the legend; Rezaee's own statement
    # needs no label either.
    assert not [g for g in by_gid(fig, "edgelabel:") if g.startswith(f"edgelabel:{network.OTHERS}->")]
    assert "no label: Cara Critic" in shown_text(fig)
    assert "the 3 with the fewest claims are drawn as one node" in fig.nkreport.alt
    assert f"Network of {len(nodes) - 1 + 3} actors" in fig.nkreport.alt


def test_network_without_folding_when_few_actors(t):
    assert network.OTHERS not in ids(by_gid(network.actor_network(t), "node:"), "node:")


def test_network_label_names_each_short_name_once():
    # Two claimants whose short names are the same: named once, the other counted.
    actors = ACTORS + [_actor("critic-2", "Carl Critic", "person", "claimant")]
    claims = CLAIMS + [_claim("c-critic-2", "critic-2", "s-news", "iran", "alleged_position", "supports",
                              "azerbaijan")]
    fig = network.actor_network(make_tables(actors=actors, claims=claims))
    label = by_gid(fig, "edgelabel:iran->azerbaijan:supports:alleged")
    text = " ".join(next(iter(label.values())).get_text().split())
    assert text.count("Critic") == 1 and "Rezaee" in text


# ---------------------------------------------------------------------------
# Figure 3: the timeline


def test_timeline_one_band_per_period_and_one_mark_per_event(t):
    fig = timeline.timeline(t)
    bands = [a for ax in fig.axes for a in ax.patches if (a.get_gid() or "").startswith("period:")]
    assert {a.get_gid()[len("period:"):] for a in bands} == set(t.periods["period_id"])
    marks = [a for ax in fig.axes for a in ax.lines if (a.get_gid() or "").startswith("event:")]
    assert len(marks) == len(t.events)
    assert {a.get_gid()[len("event:"):] for a in marks} == set(t.events["event_id"])
    # Each band spans its period's dates.
    for a in bands:
        p = t.periods.set_index("period_id").loc[a.get_gid()[len("period:"):]]
        lo = timeline._span(p["start"], p["start_precision"])[0]
        hi = timeline._span(p["end"], p["end_precision"])[1]
        x0, x1 = a.get_x(), a.get_x() + a.get_width()
        assert lo - 1e-9 <= x0 < x1 <= hi + 1e-9


def test_timeline_numbers_every_event_and_lists_it_in_the_key(t):
    fig = timeline.timeline(t)
    nums = by_gid(fig, "eventnum:")
    assert len(nums) == len(t.events)
    key = {x.get_gid(): x for x in fig.texts if (x.get_gid() or "").startswith("keytitle:")}
    assert len(key) == len(t.events)
    ordered = t.events.assign(_x=[dates.midpoint(d) for d in t.events["date"]]).sort_values(["_x", "event_id"])
    for n, (_, e) in enumerate(ordered.iterrows(), start=1):
        assert nums[f"eventnum:{e['event_id']}"].get_text() == str(n)
        assert str(e["title"]).startswith(key[f"keytitle:{n}"].get_text().split(" ")[0])
    # Other dates that another source gives are drawn too, and the year-only date as a range.
    assert set(ids(by_gid(fig, "altdate:"), "altdate:")) == {"e-b"}
    assert set(ids(by_gid(fig, "range:"), "range:")) == {"e-f"}


def test_timeline_breaks_the_axis_where_events_crowd(t):
    fig = timeline.timeline(t)
    assert len(fig.axes) == 2  # 1988–1994 in detail, then the rest
    left, right = fig.axes
    assert left.get_xlim()[1] == right.get_xlim()[0]
    late = {g for g in by_gid(fig, "event:")
            if any(a.get_gid() == g for a in right.lines)}
    assert late == {"event:e-h"}


def _many_events(n):
    rows = []
    spans = {p["period_id"]: (dates.bounds(p["start"])[0], dates.bounds(p["end"])[1]) for p in PERIODS}
    for i in range(n):
        p = PERIODS[i % len(PERIODS)]
        lo, hi = spans[p["period_id"]]
        d = lo + dt.timedelta(days=(i * 37) % max((hi - lo).days, 1))
        rows.append(dict(event_id=f"ev-{i:04d}", date=d.isoformat(), title=f"Event number {i}",
                         period_id=p["period_id"], source_id="s-ref"))
    return rows


def test_timeline_with_ten_times_the_events_numbers_some_and_draws_all():
    events = EVENTS + _many_events(10 * len(EVENTS) - len(EVENTS) + 40)
    t = make_tables(events=events)
    fig = timeline.timeline(t)
    marks = by_gid(fig, "event:")
    assert len(marks) == len(events)
    nums = by_gid(fig, "eventnum:")
    assert 0 < len(nums) <= timeline.MAX_NUMBERED
    assert f"{len(events)} events" in fig.nkreport.alt
    assert f"{len(events) - len(nums)} more as dots" in fig.nkreport.alt
    # Numbered marks never overlap one another.
    centres = []
    for gid, num in nums.items():
        mark = marks["event:" + gid[len("eventnum:"):]]
        centres.append((mark.axes.transData.transform((mark.get_xdata()[0], mark.get_ydata()[0])),
                        mark.get_markersize() * fig.dpi / 72))
    for (p, d1), (q, d2) in combinations(centres, 2):
        assert np.hypot(*(p - q)) >= (d1 + d2) / 2 * 0.98


def test_timeline_legend_stays_on_the_canvas_when_it_needs_two_rows():
    events = EVENTS + _many_events(10 * len(EVENTS))
    t = make_tables(events=events)
    fig = timeline.timeline(t)
    legend = fig.legends[0]
    labels = [x.get_text() for x in legend.get_texts()]
    assert "further event" in labels and "date another source gives" in labels
    renderer = fig._get_renderer()
    box = legend.get_window_extent(renderer)
    assert 0 <= box.x0 and box.x1 <= fig.bbox.width and 0 <= box.y0 and box.y1 <= fig.bbox.height
    for text in legend.get_texts():
        b = text.get_window_extent(renderer)
        assert b.x1 <= fig.bbox.width, text.get_text()


def test_legend_columns_fit_the_width():
    from nkreport.figures.layout import legend_columns, text_width

    labels = ["period", "event (number: see the key)", "further event", "date another source gives"]
    assert legend_columns(labels, 100, 8) == 4
    assert legend_columns(labels, 0.1, 8) == 1
    n = legend_columns(labels, 4.0, 8)
    assert 1 < n < 4
    # The columns it chose fit; one more would not.
    em = 8 / 72
    widths = [2.8 * em + text_width(x, 8) for x in labels]

    def need(k):
        cols = np.array_split(np.array(widths), k)
        return sum(c.max() for c in cols) + (k - 1) * 2.0 * em

    assert need(n) <= 4.0 < need(n + 1)


def test_timeline_source_line_and_alt(t):
    fig = timeline.timeline(t)
    expected = set(t.periods["source_id"]) | set(t.events["source_id"]) | set(t.events["alt_source_id"].dropna())
    assert set(fig.nkreport.source_ids) == expected
    assert "s-unused" not in fig.nkreport.source_ids
    assert fig.nkreport.source_line.startswith("Source: data/periods.csv, data/events.csv;")
    alt = fig.nkreport.alt
    assert f"{len(t.periods)} periods" in alt and f"{len(t.events)} events" in alt


# ---------------------------------------------------------------------------
# Figure 6: the chain of the 2013 claim


def test_chain_boxes_follow_via_source_id_in_order(t):
    fig = chain.claim_chain(t)
    boxes = sorted(by_gid(fig, "chain:").items(), key=lambda kv: int(kv[0].split(":")[1]))
    boxes = [(g, b) for g, b in boxes if g.count(":") == 2 and not g.split(":")[2].startswith("line")]
    assert [g.split(":")[2] for g, _ in boxes] == ["rezaee", "s-tv", "s-trans", "s-post", "s-essay"]
    xs = [b.get_x() for _, b in boxes]
    assert xs == sorted(xs)
    text = shown_text(fig)
    for name in ("Mohsen Rezaee", "TV One", "Trans Co", "Pat Poster", "The essayist (anonymous)"):
        assert name in text
    for role in ("broadcaster", "translator", "reporter", "commentator"):
        assert role in text


def test_chain_draws_the_claims_linked_to_rezaees_claims(t):
    fig = chain.claim_chain(t)
    assert ids(by_gid(fig, "claim:"), "claim:") >= {"c-rz-armed", "c-rz-ti"}
    assert {g for g in ids(by_gid(fig, "claim:"), "claim:") if ":" not in g} == {"c-rz-armed", "c-rz-ti"}
    linked = {g for g in ids(by_gid(fig, "linked:"), "linked:") if ":" not in g}
    assert linked == {"c-context", "c-dispute", "c-motive"}  # not the link between other claims
    links = by_gid(fig, "link:")
    assert set(links) == {"link:c-context->c-rz-armed:corroborates", "link:c-dispute->c-rz-armed:disputes",
                          "link:c-motive->c-rz-ti:qualifies"}
    for gid, line in links.items():
        rel = gid.rsplit(":", 1)[1]
        colour, ls, _, _ = style.ENCODING[chain.RELATION_STYLE[rel]]
        assert line.get_color().lower() == colour.lower()
    assert links["link:c-context->c-rz-armed:corroborates"].get_linestyle() == "-"
    assert links["link:c-dispute->c-rz-armed:disputes"].get_linestyle() == ":"
    text = shown_text(fig)
    for name in ("Cara Critic", "Ana Lyst"):
        assert name in text


def test_chain_source_line_and_alt(t):
    fig = chain.claim_chain(t)
    src = set(fig.nkreport.source_ids)
    assert {"s-tv", "s-trans", "s-post", "s-essay"} <= src  # the chain
    assert {"s-alt"} <= src  # a linked claim's and a link's source
    assert "s-unused" not in src and "s-news" not in src
    alt = fig.nkreport.alt
    assert "5 steps" in alt and "2 claims" in alt and "3 claims linked" in alt
    assert "Mohsen Rezaee → TV One → Trans Co → Pat Poster → The essayist (anonymous)" in alt


def test_chain_without_claims_by_the_speaker_still_draws():
    claims = [c for c in CLAIMS if c["claimant_id"] != chain.CLAIMANT]
    links = [ln for ln in CLAIM_LINKS if ln["target_claim_id"] in {c["claim_id"] for c in claims}]
    fig = chain.claim_chain(make_tables(claims=claims, claim_links=links))
    assert list(ids(by_gid(fig, "chain:"), "chain:")) and not by_gid(fig, "linked:")
    assert "0 claims linked" in fig.nkreport.alt
