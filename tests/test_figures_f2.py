"""Figures 4, 5, 7 and 8 (positions, Iran's stance, recognition, claim grades): each test
checks what the figure draws against the small hand-made tables it was given."""
from __future__ import annotations

import importlib.util
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from nkreport import citations, derive, paths, style
from nkreport.figures import grades, iran, layout, positions, recognition
from nkreport.figures.layout import wrap

_spec = importlib.util.spec_from_file_location("_f2_tables", Path(__file__).with_name("test_derive.py"))
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
make_tables = _mod.make_tables

FIGURES = {
    "positions": positions.positions_matrix,
    "iran": iran.iran_stance,
    "recognition": recognition.recognition_matrix,
    "grades": grades.claim_grades,
}


@pytest.fixture
def t():
    return make_tables()


def by_gid(fig, kind=None) -> dict:
    """Artists of the figure that carry a gid, by gid (texts, patches, lines)."""
    out = {}
    for ax in fig.axes:
        for a in [*ax.texts, *ax.patches, *ax.lines]:
            if a.get_gid() and (kind is None or isinstance(a, kind)):
                out[a.get_gid()] = a
    return out


def words(text_artist) -> str:
    """A text artist's words with its line breaks undone."""
    return " ".join(text_artist.get_text().split("\n"))


# ---------------------------------------------------------------------------
# What every figure must be


@pytest.mark.parametrize("name", FIGURES)
def test_figure_contract(t, name):
    fig = FIGURES[name](t)
    assert isinstance(fig, Figure)
    info = fig.nkreport
    assert info.title and info.alt.endswith(".") and info.alt.count(". ") == 0  # one sentence
    assert info.source_line.startswith("Source: data/")
    assert info.source_line == citations.source_line(t.sources, info.source_ids, tables=_tables_in(info.source_line))
    assert set(info.source_ids) <= set(t.sources["source_id"])


def _tables_in(line: str) -> list[str]:
    head = line[len("Source: "):].split(";")[0]
    return [p.strip()[len("data/"):-len(".csv")] for p in head.split(",")]


def _texts(fig) -> list[Text]:
    out = [x for x in fig.texts if x.get_text()]
    for ax in fig.axes:
        out += [x for x in ax.texts if x.get_text()]
    return out


def check_layout(fig):
    """Legible (>= 7.5 pt), inside the figure, no two texts overlapping, stable bytes."""
    fig.draw_without_rendering()
    renderer = fig._get_renderer()
    box = fig.bbox
    texts = _texts(fig)
    for x in texts:
        assert x.get_fontsize() >= 7.5, (x.get_text(), x.get_fontsize())
    boxes = []
    for x in texts:
        bb = x.get_window_extent(renderer)
        if x.get_wrap():  # the Source line wraps at the figure's edge when drawn
            assert bb.y0 >= box.y0 - 0.5 and bb.x0 >= box.x0 - 0.5
        else:
            assert bb.x0 >= box.x0 - 0.5 and bb.x1 <= box.x1 + 0.5, x.get_text()
            assert bb.y0 >= box.y0 - 0.5 and bb.y1 <= box.y1 + 0.5, x.get_text()
        boxes.append((x, bb.shrunk(0.98, 0.9)))
    for (a, ba), (b, bb) in combinations(boxes, 2):
        assert not ba.overlaps(bb), f"{a.get_text()!r} overlaps {b.get_text()!r}"


@pytest.mark.parametrize("name", FIGURES)
def test_layout_and_determinism(t, name):
    fig = FIGURES[name](t)
    check_layout(fig)
    assert style.render(fig) == style.render(FIGURES[name](make_tables()))


# ---------------------------------------------------------------------------
# Positions matrix


def _expected_cells(t):
    """The cells computed straight from derive.positions, independently of the figure:
    {(subject, party, basis): {stance or 'not': set of claimant short names}}."""
    pos = derive.positions(t)
    parties = ["armenia", "azerbaijan"]
    people = {"rezaee": "iran"}  # the fixture's one person acting for a state
    out: dict = {}
    for _, r in pos.iterrows():
        subject = r["subject_id"]
        if subject in people:
            if r["basis"] == "official":
                continue
            subject = people[subject]
        towards = [r["toward_id"]] if r["toward_id"] in parties else (
            parties if pd.isna(r["toward_id"]) and r["stance"] in ("neutral", "mediator") else [])
        for c in towards:
            if subject == c:
                continue
            key = r["stance"] if not pd.isna(r["stance"]) else ("not" if not pd.isna(r["negates"]) else "other")
            out.setdefault((subject, c, r["basis"]), {}).setdefault(key, set()).add(r["claimant_short"])
    return out


def test_positions_cells_equal_the_derived_positions(t):
    fig = positions.positions_matrix(t)
    drawn = by_gid(fig)
    bands = {g for g, a in drawn.items() if g.startswith("cell:") and g.count(":") == 4 and isinstance(a, Rectangle)}
    expected = _expected_cells(t)
    assert bands == {f"cell:{s}:{c}:{b}:{k}" for (s, c, b), keys in expected.items() for k in keys}
    for (s, c, b), keys in expected.items():
        for k, names in keys.items():
            who = words(drawn[f"cell:{s}:{c}:{b}:{k}:who"])
            assert {n.rstrip("*") for n in who.split(", ")} == names


def test_positions_cell_words_and_marks(t):
    drawn = by_gid(positions.positions_matrix(t))
    assert words(drawn["cell:iran:azerbaijan:alleged:hostile:label"]) == "hostile"
    assert words(drawn["cell:iran:azerbaijan:alleged:hostile:who"]) == "Kucera*"  # disputed
    assert words(drawn["cell:iran:azerbaijan:alleged:supports:who"]) == "Rezaee, Kucera, Armenians, The commentary's author"
    assert words(drawn["cell:iran:azerbaijan:alleged:not:label"]) == "disputes 'hostile toward Azerbaijan' (Kucera)"
    assert words(drawn["cell:iran:armenia:official:neutral:label"]) == "neutral"
    # Russia's mediation names no party: shown toward both, marked †.
    assert words(drawn["cell:russia:armenia:official:mediator:label"]) == "mediator†"
    assert words(drawn["cell:russia:azerbaijan:official:mediator:label"]) == "mediator†"
    # Colour doubled by hatching: alleged support is hatched, official neutral plain with words.
    assert drawn["cell:iran:azerbaijan:alleged:supports"].get_hatch() == style.ENCODING["alleged_support"][3]
    assert drawn["cell:iran:azerbaijan:alleged:hostile"].get_hatch() == style.ENCODING["hostile"][3]
    assert "empty:russia:azerbaijan:alleged" in drawn  # "none recorded"


def test_positions_rows_and_omitted_actors(t):
    fig = positions.positions_matrix(t)
    drawn = by_gid(fig)
    rows = [g.split(":")[1] for g in drawn if g.startswith("row:")]
    assert rows == ["iran", "russia"]  # the actors with a position toward a party, in order
    notes = words(drawn["notes"])
    assert "No position toward a party in the data: Turkey; Armenia; Azerbaijan; Nagorno-Karabakh Republic." in notes
    assert fig.nkreport.alt.startswith("Matrix of 2 actors against their stance toward Armenia and Azerbaijan")
    drawn_claims = derive.positions_by_party(t)
    drawn_claims = drawn_claims[drawn_claims["subject_id"].isin(rows)]
    assert fig.nkreport.source_ids == citations.source_ids_of(drawn_claims)


# ---------------------------------------------------------------------------
# Iran, period by period


def test_iran_entries_drawn_in_their_cells(t):
    fig = iran.iran_stance(t)
    drawn = by_gid(fig, Text)
    entries = derive.iran_entries(t)
    got = {g: words(a) for g, a in drawn.items() if g.startswith("entry:")}
    assert len(got) == len(entries)
    for (pid, row), cell in entries.groupby(["period_id", "row"], sort=False):
        for j, (_, e) in enumerate(cell.iterrows()):
            assert got[f"entry:{pid}:{row}:{j}"] == e["label"]
    # And the words agree with the table the report prints.
    table = derive.iran_by_period(t).set_index("period_id")
    for (pid, row), cell in entries.groupby(["period_id", "row"]):
        assert table.loc[pid, row] == "; ".join(derive.entry_text(e) for _, e in cell.iterrows())


def test_iran_periods_in_time_order_and_empty_ones_named(t):
    fig = iran.iran_stance(t)
    drawn = by_gid(fig, Text)
    heads = [(a.get_position()[0], g.split(":")[1]) for g, a in drawn.items() if g.startswith("head:")]
    assert [p for _, p in sorted(heads)] == ["war", "elchibey", "armistice"]
    assert [words(drawn[f"head:{p}"]) for _, p in sorted(heads)] == ["War", "Elchibey presidency", "Armistice years"]
    notes = [words(x) for x in _texts(fig)]
    assert any("Periods with no position of Iran in the data: Soviet era; The 2013 claim." in n for n in notes)
    for row in derive.IRAN_ROWS:
        assert f"rowhead:{row}" in drawn
    assert "none:elchibey:official" in drawn  # an empty cell is marked, not left blank


def test_iran_marks_follow_the_encoding(t):
    drawn = by_gid(iran.iran_stance(t))
    entries = derive.iran_entries(t)
    for (pid, row), cell in entries.groupby(["period_id", "row"], sort=False):
        for j, (_, e) in enumerate(cell.iterrows()):
            mark = drawn[f"mark:{pid}:{row}:{j}"]
            if pd.isna(e["stance"]):
                assert mark.get_marker() == "_"
            else:
                key = "alleged_support" if e["stance"] == "supports" and row != "official" else e["stance"]
                assert mark.get_marker() == style.ENCODING[key][2]


# ---------------------------------------------------------------------------
# Recognition


def test_recognition_cells_equal_rows(t):
    drawn = by_gid(recognition.recognition_matrix(t))
    states, entities = ["iran", "russia", "turkey", "armenia"], ["nkr", "kosovo"]
    cells = {g for g in drawn if g.startswith("cell:")}
    assert cells == {f"cell:{s}:{e}" for s in states for e in entities}
    rec = t.recognition.set_index(["state_id", "entity_id"])
    for s in states:
        for e in entities:
            text = words(drawn[f"text:{s}:{e}"])
            if (s, e) in rec.index:
                r = rec.loc[(s, e)]
                assert text == derive.recognition_label(r["status"], r["since"])
                assert drawn[f"cell:{s}:{e}"].get_hatch() == recognition.LOOK[r["status"]][2]
                if r["status"] != "does_not_recognise":
                    assert str(r["since"])[:4] in text  # the year is written
            else:
                assert text == "no data"
    assert words(drawn["text:turkey:kosovo"]) == "recognises (2008)"
    assert words(drawn["text:russia:kosovo"]) == "recognised (2008), then withdrew"
    # Hatching differs between every pair of statuses, so the cells read in grey-scale.
    hatches = [look[2] for look in recognition.LOOK.values()]
    assert len(set(hatches)) == len(hatches)


def test_recognition_rows_and_columns_in_order(t):
    drawn = by_gid(recognition.recognition_matrix(t), Text)
    rows = sorted((a.get_position()[1], g.split(":")[1]) for g, a in drawn.items() if g.startswith("row:"))
    cols = sorted((a.get_position()[0], g.split(":")[1]) for g, a in drawn.items() if g.startswith("head:"))
    assert [s for _, s in rows] == ["iran", "russia", "turkey", "armenia"]
    assert [e for _, e in cols] == ["nkr", "kosovo"]


# ---------------------------------------------------------------------------
# Claim grades


def test_grade_counts_drawn(t):
    fig = grades.claim_grades(t)
    drawn = by_gid(fig)
    counts = {(r, c): int(words(drawn[f"count:{r}:{c}"])) for r in "ABCDEF" for c in range(1, 7)}
    assert sum(counts.values()) == len(t.claims)
    expected = t.claims.groupby(["reliability", "credibility"]).size()
    for (r, c), n in counts.items():
        assert n == int(expected.get((r, c), 0))
        fill = drawn[f"cell:{r}:{c}"].get_facecolor()[:3]
        assert (fill == (1.0, 1.0, 1.0)) == (n == 0)  # empty cells are white
    assert words(drawn["total"]) == str(len(t.claims))
    for r in "ABCDEF":
        assert int(words(drawn[f"total-row:{r}"])) == sum(counts[(r, c)] for c in range(1, 7))
    # More claims, darker cell.
    assert sum(drawn["cell:F:3"].get_facecolor()[:3]) < sum(drawn["cell:B:3"].get_facecolor()[:3])


# ---------------------------------------------------------------------------
# The real data, where it is at hand


def _real_tables():
    from nkreport import data

    if not all((paths.data_dir() / f"{n}.csv").is_file() for n in data.TABLES):
        pytest.skip(f"data/*.csv not all present in {paths.data_dir()}")
    return data.load()


@pytest.mark.parametrize("name", FIGURES)
def test_real_data_layout(name):
    check_layout(FIGURES[name](_real_tables()))


# ---------------------------------------------------------------------------
# Many claimants and many actors: a few named, the rest counted (layout.name_list)


def _grown(t, actors=(), claims=()):
    """The fixture's tables with more actors and claims appended (line numbers continue)."""
    out = {}
    for name, extra in (("actors", actors), ("claims", claims)):
        base = t[name]
        add = _mod.frame(name, list(extra))
        add.index = pd.Index(range(int(base.index.max()) + 1, int(base.index.max()) + 1 + len(add)), name="line")
        out[name] = pd.concat([base, add])
    return type(t)({**{k: t[k] for k in t}, **out})


def _people(n, prefix="witness"):
    return [_mod.actor(f"{prefix}-{i:02d}", f"Witness Number{i:02d}", "person", "claimant") for i in range(n)]


def test_name_list_names_a_few_and_counts_the_rest():
    from nkreport.figures.layout import name_list

    assert name_list(["A", "B", "A", "C"]) == "A, B, C"
    assert name_list([f"N{i}" for i in range(9)], cap=3) == "N0, N1, N2 +6\u00a0more"
    # With a width: no more lines than allowed, and always one name.
    long = [f"Somebody with a long name {i}" for i in range(6)]
    text = name_list(long, width=1.2, max_lines=3)
    assert len(wrap(text, 1.2)) <= 3 and text.startswith(long[0]) and "more" in text
    assert name_list(long, width=0.2, max_lines=1) == long[0] + " +5\u00a0more"


def test_positions_cell_names_a_few_claimants_and_counts_the_rest(t):
    people = _people(12)
    claims = [_mod.claim(f"c-w{i:02d}", p["actor_id"], "iran", "alleged_position", "supports", "azerbaijan",
                         period="war") for i, p in enumerate(people)]
    t2 = _grown(t, people, claims)
    m = positions.matrix_data(t2)
    band = [b for b in m["cells"][("iran", "azerbaijan", "alleged")] if b[0] == "supports"][0]
    assert len(band[3]) == 4 + 12  # the data keep every claimant
    drawn = by_gid(positions.positions_matrix(t2))
    who = words(drawn["cell:iran:azerbaijan:alleged:supports:who"])
    named = who.split(" +")[0].split(", ")
    assert len(named) <= layout.MAX_NAMES and who.endswith(f"+{16 - len(named)} more")  # words() splits the nbsp
    assert named == [n for n in band[3]][: len(named)]


def test_positions_rows_beyond_the_limit_share_one_row(t, monkeypatch):
    # Three more actors with a position toward a party: with room for 3 rows, the two with
    # the most positions keep theirs; the rest share one.
    extra = [_mod.actor(f"power-{i}", f"Power {i}", "state", "regional_power") for i in range(3)]
    claims = [_mod.claim(f"c-pw{i}", "commentary-author", f"power-{i}", "official_position", "hostile", "armenia")
              for i in range(3)]
    claims.append(_mod.claim("c-pw0-b", "commentary-author", "power-0", "official_position", "supports",
                             "azerbaijan"))
    t2 = _grown(t, extra, claims)
    monkeypatch.setattr(positions, "MAX_ROWS", 3)
    m = positions.matrix_data(t2)
    # Iran and Russia have the most positions (Russia's mediation counts toward both parties).
    assert m["rows"] == ["iran", "russia", positions.OTHERS]
    assert m["folded"] == ["power-0", "power-1", "power-2"]
    # The shared row holds every position of the folded actors, and nothing else.
    drawn = m["drawn"]
    folded_pos = drawn[drawn["subject_id"].isin(m["folded"])]
    in_row = {cid for c in m["cols"] for b in ("official", "alleged")
              for band in m["cells"][(positions.OTHERS, c, b)] for cid in band[4]}
    assert in_row == set(folded_pos["claim_id"])
    fig = positions.positions_matrix(t2)
    texts = by_gid(fig)
    assert words(texts[f"row:{positions.OTHERS}"]) == f"{len(m['folded'])} other actors"
    assert f"'{len(m['folded'])} other actors': " in words(texts["notes"])
    assert fig.nkreport.alt.startswith(f"Matrix of 5 actors ({len(m['folded'])} of them in one row)")


def test_iran_entry_names_a_few_claimants_and_a_cell_counts_extra_entries(t, monkeypatch):
    people = _people(10)
    claims = [_mod.claim(f"c-w{i:02d}", p["actor_id"], "iran", "alleged_position", "supports", "azerbaijan",
                         period="war") for i, p in enumerate(people)]
    # Four more phrases in one cell (war, alleged): different stances toward Armenia.
    for j, stance in enumerate(["hostile", "neutral", "good_relations", "trade_relations"]):
        claims.append(_mod.claim(f"c-x{j}", "kucera", "iran", "alleged_position", stance, "armenia", period="war"))
    t2 = _grown(t, people, claims)
    monkeypatch.setattr(iran, "MAX_ENTRIES", 3)
    entries = derive.iran_entries(t2)
    cell = entries[(entries["period_id"] == "war") & (entries["row"] == "alleged")]
    assert len(cell) > 3
    fig = iran.iran_stance(t2)
    drawn = by_gid(fig, Text)
    shown = sorted(g for g in drawn if g.startswith("entry:war:alleged:"))
    assert len(shown) == 2  # MAX_ENTRIES - 1 entries, then the count
    assert words(drawn["more:war:alleged"]) == f"+{len(cell) - 2} more (all are in the claims ledger)"
    first = cell.iloc[0]
    assert len(first["named"]) == 3 + 10  # Kucera, Armenians, Rezaee's... and the ten witnesses
    label = words(drawn["entry:war:alleged:0"])
    assert label.startswith(first["text"]) and label.endswith(f"+{len(first['named']) - 6} more)")
    assert label.count(",") < len(first["named"]) - 1
