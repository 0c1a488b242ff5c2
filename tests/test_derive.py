"""Unit tests of nkreport.derive on small hand-made tables.

The tables here are made up for the tests (the ids look like the real ones so the
tests read easily); no fact in them is used by the report.
"""
from __future__ import annotations

import pandas as pd
import pytest

from nkreport import data, derive
from nkreport.data import Tables


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A frame shaped like nkreport.data.load() returns: every column of the schema, text
    as 'str' dtype with NaN for empty, integers as Int64, index = CSV line number."""
    fields = data.resource(data.descriptor(), name)["schema"]["fields"]
    cols = {}
    for f in fields:
        values = [r.get(f["name"]) for r in rows]
        cols[f["name"]] = pd.array(values, dtype="Int64" if f["type"] == "integer" else "str")
    return pd.DataFrame(cols, index=pd.Index(range(2, len(rows) + 2), name="line"))


def actor(actor_id, name, kind, role, country=None):
    return {"actor_id": actor_id, "name": name, "kind": kind, "role": role, "country_id": country,
            "description": "test actor",
            "office_start_precision": "unknown", "office_end_precision": "unknown", "source_id": "commentary"}


def claim(claim_id, claimant, subject, claim_type, stance, toward, period=None, status="unconfirmed",
          reliability="F", credibility=3, source="commentary", said="2013"):
    return {"claim_id": claim_id, "claimant_id": claimant, "source_id": source, "said_date": said,
            "said_date_precision": "year" if said and len(said) == 4 else ("day" if said else "unknown"),
            "subject_id": subject, "claim_type": claim_type, "stance": stance, "toward_id": toward,
            "period_id": period, "paraphrase": f"{claim_id} paraphrase", "status": status,
            "reliability": reliability, "credibility": credibility, "grade_reason": "test"}


def make_tables() -> Tables:
    sources = [
        {"source_id": "commentary", "kind": "commentary", "title": "Regional powers: a commentary", "date": "2013",
         "date_precision": "year", "language": "en", "access_note": "seed"},
        {"source_id": "kucera-2013", "kind": "blog_post", "author": "Joshua Kucera", "publisher": "EurasiaNet",
         "title": "Iranian Official", "date": "2013-03-08", "date_precision": "day", "language": "en",
         "access_note": "quoted in the commentary", "via_source_id": "commentary"},
        {"source_id": "sahar-tv-2013", "kind": "tv_interview", "publisher": "Sahar TV", "title": "Interview",
         "date": "2013", "date_precision": "year", "language": "fa", "access_note": "via kucera-2013",
         "via_source_id": "kucera-2013"},
        {"source_id": "ref-2008", "kind": "reference_work", "publisher": "Reference", "title": "Recognition list",
         "date": "2008", "date_precision": "year", "language": "en", "access_note": "test"},
    ]
    actors = [
        actor("iran", "Iran", "state", "regional_power"),
        actor("russia", "Russia", "state", "regional_power"),
        actor("turkey", "Turkey", "state", "regional_power"),  # no claim at all
        actor("armenia", "Armenia", "state", "party"),
        actor("azerbaijan", "Azerbaijan", "state", "party"),
        actor("nkr", "Nagorno-Karabakh Republic", "de_facto_state", "party"),
        actor("commentary-author", "The commentary's author", "person", "commentator"),
        actor("kucera", "Joshua Kucera", "person", "reporter"),
        actor("rezaee", "Mohsen Rezaee", "person", "official", country="iran"),
        actor("armenians", "Armenians", "group", "claimant"),
        actor("kosovo", "Kosovo", "state", "other_state"),
    ]
    periods = [
        {"period_id": "soviet-era", "label": "Soviet era", "start": "1988-02-20", "start_precision": "day",
         "end": "1991-12-26", "end_precision": "day", "lane": 0, "description": "d", "source_id": "commentary"},
        {"period_id": "war", "label": "War", "start": "1991", "start_precision": "year", "end": "1994-05-12",
         "end_precision": "day", "lane": 1, "description": "d", "source_id": "commentary"},
        {"period_id": "elchibey", "label": "Elchibey presidency", "start": "1992-06-16", "start_precision": "day",
         "end": "1993-06-24", "end_precision": "day", "lane": 2, "description": "d", "source_id": "commentary"},
        {"period_id": "armistice", "label": "Armistice years", "start": "1994-05-12", "start_precision": "day",
         "end": "2020-09-27", "end_precision": "day", "lane": 0, "description": "d", "source_id": "commentary"},
        {"period_id": "claim-2013", "label": "The 2013 claim", "start": "2013-03-08", "start_precision": "day",
         "end": "2013-06-14", "end_precision": "day", "lane": 1, "description": "d", "source_id": "kucera-2013"},
    ]
    claims = [
        claim("c-official-neutral-am", "commentary-author", "iran", "official_position", "neutral", "armenia"),
        claim("c-official-neutral-az", "commentary-author", "iran", "official_position", "neutral", "azerbaijan"),
        claim("c-rezaee-armed", "rezaee", "rezaee", "action", "supports", "azerbaijan", period="war",
              reliability="C", source="sahar-tv-2013"),
        claim("c-rezaee-own-view", "rezaee", "rezaee", "official_position", "territorial_integrity", "azerbaijan",
              period="claim-2013", status="official_statement", reliability="C", source="sahar-tv-2013"),
        claim("c-kucera-secretly", "kucera", "iran", "alleged_position", "supports", "azerbaijan", period="war",
              reliability="B", source="kucera-2013", said="2013-03-08"),
        claim("c-kucera-hostile", "kucera", "iran", "alleged_position", "hostile", "azerbaijan",
              status="disputed", reliability="B", source="kucera-2013", said="2013-03-08"),
        claim("c-not-hostile", "commentary-author", "iran", "alleged_position", None, "azerbaijan",
              credibility=6),
        claim("c-armenians", "armenians", "iran", "alleged_position", "supports", "azerbaijan", period="war",
              source="kucera-2013"),
        claim("c-openly", "commentary-author", "iran", "alleged_position", "supports", "azerbaijan", period="war"),
        claim("c-turned-neutral", "commentary-author", "iran", "alleged_position", "neutral", "azerbaijan",
              period="elchibey"),
        claim("c-russia-mediator", "commentary-author", "russia", "official_position", "mediator", None),
        claim("c-russia-supports-am", "commentary-author", "russia", "alleged_position", "supports", "armenia",
              credibility=6),
        claim("c-iran-nonrec", "commentary-author", "iran", "official_position", "non_recognition", "nkr",
              credibility=1, status="confirmed"),
        claim("c-motive", "kucera", "rezaee", "motive", None, None, reliability="B", source="kucera-2013"),
        claim("c-context", "commentary-author", "armenia", "context", None, None, credibility=1, status="confirmed"),
        claim("c-action-nostance", "rezaee", "iran", "action", None, None, reliability="C", source="sahar-tv-2013"),
        claim("c-kucera-good-armenia", "kucera", "iran", "alleged_position", "good_relations", "armenia",
              status="disputed", reliability="B", source="kucera-2013", said="2013-03-08"),
        claim("c-not-very-good", "commentary-author", "iran", "assessment", None, "armenia", credibility=6),
    ]
    links = [
        {"claim_id": "c-not-hostile", "target_claim_id": "c-kucera-hostile", "relation": "disputes",
         "source_id": "commentary"},
        {"claim_id": "c-openly", "target_claim_id": "c-rezaee-armed", "relation": "qualifies", "source_id": "commentary"},
        {"claim_id": "c-not-very-good", "target_claim_id": "c-kucera-good-armenia", "relation": "disputes",
         "source_id": "commentary"},
    ]
    recognition = [
        {"state_id": "iran", "entity_id": "nkr", "status": "does_not_recognise", "since_precision": "unknown",
         "source_id": "ref-2008"},
        {"state_id": "iran", "entity_id": "kosovo", "status": "does_not_recognise", "since_precision": "unknown",
         "source_id": "ref-2008"},
        {"state_id": "russia", "entity_id": "kosovo", "status": "recognised_then_withdrew", "since": "2008-02-18",
         "since_precision": "day", "source_id": "ref-2008"},
        {"state_id": "turkey", "entity_id": "kosovo", "status": "recognises", "since": "2008-02-18",
         "since_precision": "day", "source_id": "ref-2008"},
        {"state_id": "armenia", "entity_id": "nkr", "status": "does_not_recognise", "since_precision": "unknown",
         "source_id": "ref-2008"},
    ]
    return Tables(
        sources=frame("sources", sources), actors=frame("actors", actors), periods=frame("periods", periods),
        events=frame("events", []), event_actors=frame("event_actors", []), claims=frame("claims", claims),
        claim_links=frame("claim_links", links), recognition=frame("recognition", recognition),
    )


@pytest.fixture
def t():
    return make_tables()


# ---------------------------------------------------------------------------
# positions


def test_positions_keeps_positions_and_actions_with_stance(t):
    pos = derive.positions(t)
    expected = {"c-official-neutral-am", "c-official-neutral-az", "c-rezaee-armed", "c-rezaee-own-view",
                "c-kucera-secretly", "c-kucera-hostile", "c-not-hostile", "c-armenians", "c-openly",
                "c-turned-neutral", "c-russia-mediator", "c-russia-supports-am", "c-iran-nonrec",
                "c-kucera-good-armenia"}
    assert set(pos["claim_id"]) == expected  # no motive, context, assessment, or action without stance
    assert list(pos["claim_id"]) == [c for c in t.claims["claim_id"] if c in expected]  # claims order
    assert list(pos.index) == list(t.claims.index[t.claims["claim_id"].isin(expected)])  # CSV lines kept


def test_positions_columns_and_names(t):
    pos = derive.positions(t).set_index("claim_id")
    for col in ("subject_id", "subject", "toward_id", "toward", "basis", "stance", "claimant_id", "claimant",
                "status", "period_id", "disputed", "source_id"):
        assert col in pos.columns
    r = pos.loc["c-kucera-secretly"]
    assert (r["subject"], r["toward"], r["claimant"], r["claimant_short"]) == ("Iran", "Azerbaijan", "Joshua Kucera", "Kucera")
    assert r["basis"] == "alleged" and r["period"] == "War"
    assert pos.loc["c-rezaee-armed", "basis"] == "alleged"  # an action is not an official position
    assert pos.loc["c-official-neutral-am", "basis"] == "official"
    assert pos.loc["c-official-neutral-am", "claimant_short"] == "The commentary's author"
    assert pd.isna(pos.loc["c-russia-mediator", "toward_id"])


def test_disputed_by_link_and_by_status(t):
    pos = derive.positions(t).set_index("claim_id")
    assert pos.loc["c-kucera-hostile", "disputed"]
    assert pos.loc["c-kucera-hostile", "disputed_by"] == ("c-not-hostile",)
    assert pos.loc["c-not-hostile", "disputes"] == ("c-kucera-hostile",)
    assert pos.loc["c-not-hostile", "negates"] == "disputes 'hostile toward Azerbaijan' (Kucera)"
    # Disputed by a claim of another type (an assessment), which is not itself a position.
    assert pos.loc["c-kucera-good-armenia", "disputed_by"] == ("c-not-very-good",)
    # A 'qualifies' link is not a dispute.
    assert not pos.loc["c-rezaee-armed", "disputed"]
    # Status alone makes a claim disputed.
    t.claims.loc[t.claims["claim_id"] == "c-armenians", "status"] = "denied"
    assert derive.positions(t).set_index("claim_id").loc["c-armenians", "disputed"]


def test_positions_without_claim_links_table(t):
    del t["claim_links"]
    pos = derive.positions(t)
    assert not pos["disputed"].drop(pos.index[pos["status"] == "disputed"]).any()


def test_positions_by_party_spreads_stance_without_party(t):
    by = derive.positions_by_party(t)
    assert derive.party_states(t) == ["armenia", "azerbaijan"]  # the NKR is no state; 'kosovo' no party
    assert set(by["toward_id"]) == {"armenia", "azerbaijan"}
    med = by[by["claim_id"] == "c-russia-mediator"]
    assert list(med["toward_id"]) == ["armenia", "azerbaijan"] and med["toward_inferred"].all()
    assert not by[by["claim_id"] != "c-russia-mediator"]["toward_inferred"].any()
    assert "c-iran-nonrec" not in set(by["claim_id"])  # toward the NKR, not a party state
    # Rezaee acts for Iran: his account of his order counts for Iran; his own view does not.
    rez = by[by["claim_id"] == "c-rezaee-armed"].iloc[0]
    assert (rez["subject_id"], rez["subject"], rez["person_id"]) == ("iran", "Iran", "rezaee")
    own = by[by["claim_id"] == "c-rezaee-own-view"].iloc[0]
    assert own["subject_id"] == "rezaee" and pd.isna(own["person_id"])


# ---------------------------------------------------------------------------
# positions_wide


def test_positions_wide_rows_and_columns(t):
    wide = derive.positions_wide(t)
    assert list(wide.columns) == ["Actor", "Toward", "Official position", "Alleged positions (by whom)", "Disputed by"]
    assert list(wide.index) == list(range(len(wide)))
    pairs = list(zip(wide["Actor"], wide["Toward"]))
    # Regional powers first (by name), then the parties; within an actor, parties by name, none last.
    assert pairs[:5] == [("Iran", "Armenia"), ("Iran", "Azerbaijan"), ("Iran", "Nagorno-Karabakh Republic"),
                         ("Russia", "Armenia"), ("Russia", "— (no party named)")]
    # One row per (subject, toward) with a position, plus one for each actor with none.
    pos = derive.positions(t)
    with_claims = {(s, w if isinstance(w, str) else "— (no party named)") for s, w in zip(pos["subject"], pos["toward"])}
    assert set(pairs) == with_claims | {("Turkey", "—"), ("Armenia", "—"), ("Azerbaijan", "—"),
                                        ("Nagorno-Karabakh Republic", "—")}
    assert pairs[-1] == ("Mohsen Rezaee", "Azerbaijan")  # subjects outside the roles come last


def test_positions_wide_actor_without_official_claim(t):
    wide = derive.positions_wide(t).set_index(["Actor", "Toward"])
    assert wide.loc[("Turkey", "—"), "Official position"] == derive.NO_OFFICIAL
    assert wide.loc[("Turkey", "—"), "Alleged positions (by whom)"] == ""
    # Russia has an official stance toward no party, but none toward Armenia.
    assert wide.loc[("Russia", "Armenia"), "Official position"] == derive.NO_OFFICIAL


def test_positions_wide_texts(t):
    wide = derive.positions_wide(t).set_index(["Actor", "Toward"])
    row = wide.loc[("Iran", "Azerbaijan")]
    assert row["Official position"] == "neutral (The commentary's author, according to Anonymous commentary 2013)"
    alleged = row["Alleged positions (by whom)"].split("; ")
    assert "supports [War] (according to Kucera 2013)" in alleged
    assert "hostile (according to Kucera 2013)" in alleged
    assert ("disputes 'hostile toward Azerbaijan' (Kucera) (The commentary's author, according to "
            "Anonymous commentary 2013)") in alleged
    assert row["Disputed by"] == "'hostile' (Kucera): disputed by The commentary's author"
    armenia = wide.loc[("Iran", "Armenia")]
    assert armenia["Disputed by"] == "'good relations' (Kucera): disputed by The commentary's author"
    r = wide.loc[("Russia", "— (no party named)")]
    assert r["Official position"].startswith("mediator (")
    assert wide.loc[("Russia", "Armenia"), "Alleged positions (by whom)"].startswith("supports (")
    assert r["Disputed by"] == ""
    rez = wide.loc[("Mohsen Rezaee", "Azerbaijan")]
    assert rez["Official position"] == "territorial integrity [The 2013 claim] (Rezaee, according to Sahar TV 2013)"
    assert rez["Alleged positions (by whom)"] == "supports [War] (Rezaee, according to Sahar TV 2013)"


def test_positions_wide_source_line(t):
    wide = derive.positions_wide(t)
    line = wide.attrs["source_line"]
    assert line.startswith("Source: data/claims.csv, data/claim_links.csv, data/actors.csv; ")
    for cite in ("Kucera 2013", "Sahar TV 2013", "Anonymous commentary 2013"):
        assert cite in line
    assert "Reference 2008" not in line  # a source no drawn row cites


# ---------------------------------------------------------------------------
# Iran by period


def test_iran_entries_rows_and_placement(t):
    e = derive.iran_entries(t)
    assert set(e["row"]) <= set(derive.IRAN_ROWS)
    by = {(r.period_id, r.row, r.text, r.who) for r in e.itertuples()}
    # Official neutrality toward both parties merged into one entry, placed by the date it was said.
    assert ("armistice", "official", "neutral toward Armenia, Azerbaijan", "The commentary's author") in by
    # The claimants of the same words are merged, in claims order; Rezaee's account of his
    # own order counts (he acted for Iran), his own 2013 view does not.
    assert ("war", "alleged", "supports Azerbaijan", "Rezaee, Kucera, Armenians") in by
    assert not any("c-rezaee-own-view" in ids for ids in e["claim_ids"])
    assert ("war", "commentary", "supports Azerbaijan", "") in by
    assert ("elchibey", "commentary", "neutral toward Azerbaijan", "") in by
    assert ("armistice", "alleged", "hostile toward Azerbaijan", "Kucera") in by
    assert ("armistice", "commentary", "disputes 'hostile toward Azerbaijan' (Kucera)", "") in by
    # An assessment that disputes a position is drawn with the claim it disputes.
    assert ("armistice", "commentary", "disputes 'good relations with Armenia' (Kucera)", "") in by
    placed = e.set_index("text").loc["hostile toward Azerbaijan"]
    assert placed["by_said_date"] and placed["disputed"] and placed["label"] == "hostile toward Azerbaijan (Kucera*†)"
    assert e.set_index("text").loc["supports Azerbaijan"].iloc[0]["label"] == "supports Azerbaijan (Rezaee, Kucera, Armenians)"
    # The action without stance is left out; Russia's claims are not Iran's.
    assert not any("c-action-nostance" in ids for ids in e["claim_ids"])
    assert not any("c-russia" in c for ids in e["claim_ids"] for c in ids)


def test_iran_by_period_table(t):
    table = derive.iran_by_period(t)
    assert list(table["period_id"]) == ["soviet-era", "war", "elchibey", "armistice", "claim-2013"]
    war = table.set_index("period_id").loc["war"]
    assert war["alleged"] == "supports Azerbaijan (Rezaee, Kucera, Armenians)"
    assert war["commentary"] == "supports Azerbaijan"
    assert war["official"] == ""
    assert table.set_index("period_id").loc["soviet-era", "alleged"] == ""
    assert set(war["source_ids"]) == {"sahar-tv-2013", "kucera-2013", "commentary"}


def test_claim_with_neither_period_nor_date_goes_to_no_period(t):
    t.claims.loc[t.claims["claim_id"] == "c-kucera-hostile", "said_date"] = pd.NA
    table = derive.iran_by_period(t)
    assert table["period_id"].iloc[-1] == derive.NO_PERIOD
    assert table["alleged"].iloc[-1] == "hostile toward Azerbaijan (Kucera)"


def test_period_of_date_prefers_longest(t):
    periods = derive.period_order(t)
    assert derive._period_of_date(periods, "2013-04") == "armistice"
    assert derive._period_of_date(periods, "1993") == "war"
    assert derive._period_of_date(periods, "2030") is None


# ---------------------------------------------------------------------------
# Recognition, grades, words


def test_recognition_cells(t):
    cells = derive.recognition_cells(t)
    assert derive.recognition_states(t) == ["iran", "russia", "turkey", "armenia"]
    assert derive.recognition_entities(t) == ["nkr", "kosovo"]
    assert len(cells) == 8
    c = cells.set_index(["state_id", "entity_id"])
    assert c.loc[("turkey", "kosovo"), "label"] == "recognises (2008)"
    assert c.loc[("russia", "kosovo"), "label"] == "recognised (2008), then withdrew"
    assert c.loc[("iran", "nkr"), "label"] == "does not recognise"
    assert c.loc[("russia", "nkr"), "label"] == "no data"
    assert pd.isna(c.loc[("russia", "nkr"), "status"])


def test_grade_counts(t):
    g = derive.grade_counts(t)
    assert g.shape == (6, 6)
    assert list(g.index) == list("ABCDEF") and list(g.columns) == [1, 2, 3, 4, 5, 6]
    assert int(g.values.sum()) == len(t.claims)
    assert g.loc["B", 3] == 4 and g.loc["C", 3] == 3 and g.loc["F", 6] == 3 and g.loc["F", 1] == 2
    assert g.loc["A", 1] == 0


@pytest.mark.parametrize("name,kind,short", [
    ("Mohsen Rezaee", "person", "Rezaee"),
    ("The commentary's author", "person", "The commentary's author"),
    ("Armenians", "group", "Armenians"),
    ("Western powers", "bloc", "Western powers"),
])
def test_short_name(name, kind, short):
    assert derive.short_name(name, kind) == short


def test_stance_phrase():
    assert derive.stance_phrase("supports", "Armenia") == "supports Armenia"
    assert derive.stance_phrase("good_relations", "Armenia") == "good relations with Armenia"
    assert derive.stance_phrase("non_recognition", "NKR") == "non-recognition of NKR"
    assert derive.stance_phrase("neutral", None) == "neutral"


def test_derive_does_not_change_its_input(t):
    before = {k: v.copy() for k, v in t.items()}
    derive.positions_wide(t)
    derive.iran_by_period(t)
    derive.recognition_cells(t)
    derive.grade_counts(t)
    for k, v in t.items():
        pd.testing.assert_frame_equal(v, before[k])


def test_positions_wide_claim_without_stance_and_status_only_dispute(t):
    c = t.claims
    c.loc[c["claim_id"] == "c-iran-nonrec", "stance"] = pd.NA
    c.loc[c["claim_id"] == "c-armenians", "status"] = "denied"
    wide = derive.positions_wide(t).set_index(["Actor", "Toward"])
    # No stance and nothing disputed: the paraphrase says what the claim is.
    assert wide.loc[("Iran", "Nagorno-Karabakh Republic"), "Official position"].startswith("c-iran-nonrec paraphrase (")
    # Denied by its status alone, with no claim linked: the status is named.
    assert "'supports' (Armenians): status denied" in wide.loc[("Iran", "Azerbaijan"), "Disputed by"].split("; ")
