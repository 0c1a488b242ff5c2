"""The report's tables: small functions from the loaded tables to a frame a reader scans
(readable column names, no index, names instead of ids), each carrying its Source line
in ``frame.attrs["source_line"]``."""
from __future__ import annotations

import pandas as pd

from . import citations, dates
from .util import isna




def names(t) -> dict[str, str]:
    return dict(zip(t.actors["actor_id"], t.actors["name"]))


def cite_map(t) -> dict[str, str]:
    return citations.labels(t.sources)


def _finish(frame: pd.DataFrame, t, source_ids, tables) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame.attrs["source_line"] = citations.source_line(t.sources, source_ids, tables=tables, limit=None)
    frame.attrs["source_ids"] = list(source_ids)
    return frame


def _label(value) -> str:
    return "" if isna(value) else str(value).replace("_", " ")


def actors_table(t) -> pd.DataFrame:
    a = t.actors.sort_values(["kind", "name"], kind="stable")
    n = names(t)
    def span(s, e):
        if isna(s) and isna(e):
            return ""  # dates not verified: the office alone
        return f" ({dates.label(s) if not isna(s) else 'start not recorded'} – {dates.label(e) if not isna(e) else 'end not recorded'})"

    office = ["" if isna(o) else f"{o}{span(s, e)}" for o, s, e in zip(a["office"], a["office_start"], a["office_end"])]
    frame = pd.DataFrame({
        "Actor": a["name"].tolist(),
        "Kind": [_label(k) for k in a["kind"]],
        "Role": [_label(r) for r in a["role"]],
        "Country": ["" if isna(c) else n.get(c, c) for c in a["country_id"]],
        "Office": office,
        "Description": a["description"].tolist(),
    })
    return _finish(frame, t, citations.source_ids_of(a), ["actors"])


def _events_frame(t, events) -> pd.DataFrame:
    cites = cite_map(t)
    periods = dict(zip(t.periods["period_id"], t.periods["label"]))
    who = t.event_actors.groupby("event_id")["actor_id"].apply(list).to_dict() if "event_actors" in t else {}
    n = names(t)
    e = events.assign(_sort=[dates.bounds(d)[0] for d in events["date"]]).sort_values(["_sort", "event_id"], kind="stable")
    rows = []
    for _, r in e.iterrows():
        date = dates.label(r["date"])
        source = cites.get(r["source_id"], r["source_id"])
        if not isna(r["alt_date"]):
            date += f" (also given as {dates.label(r['alt_date'])})"
            source += f"; {cites.get(r['alt_source_id'], r['alt_source_id'])}"
        rows.append({
            "Date": date,
            "Event": r["title"],
            "Period": periods.get(r["period_id"], ""),
            "Actors": ", ".join(n.get(a, a) for a in sorted(who.get(r["event_id"], []), key=lambda x: n.get(x, x))),
            "Source": source,
            "Note": "" if isna(r["note"]) else citations.cite_ids(r["note"], t.sources),
        })
    return pd.DataFrame(rows, columns=["Date", "Event", "Period", "Actors", "Source", "Note"])


def events_table(t) -> pd.DataFrame:
    frame = _events_frame(t, t.events)
    return _finish(frame, t, citations.source_ids_of(t.events, ("source_id", "alt_source_id")), ["events", "event_actors", "periods"])


def epilogue_table(t) -> pd.DataFrame:
    events = t.events[t.events["period_id"] == "epilogue"]
    frame = _events_frame(t, events).drop(columns=["Period"])
    return _finish(frame, t, citations.source_ids_of(events, ("source_id", "alt_source_id")), ["events"])


def _claims_frame(t, claims, columns=None) -> pd.DataFrame:
    n = names(t)
    cites = cite_map(t)
    periods = dict(zip(t.periods["period_id"], t.periods["label"])) if "periods" in t else {}
    rows = []
    for _, c in claims.iterrows():
        rows.append({
            "Id": c["claim_id"],
            "Claimant": n.get(c["claimant_id"], c["claimant_id"]),
            "About": n.get(c["subject_id"], c["subject_id"]),
            "Type": _label(c["claim_type"]),
            "Stance": "" if isna(c["stance"]) else (_label(c["stance"]) + ("" if isna(c["toward_id"]) else f" → {n.get(c['toward_id'], c['toward_id'])}")),
            "Period": periods.get(c["period_id"], "") if not isna(c["period_id"]) else "",
            "Claim (paraphrase)": c["paraphrase"],
            "Words quoted": "" if isna(c["quote"]) else f"“{c['quote']}”",
            "Status": _label(c["status"]),
            "Grade": f"{c['reliability']}{c['credibility']}",
            "Why this grade": c["grade_reason"],
            "Source": cites.get(c["source_id"], c["source_id"]),
        })
    frame = pd.DataFrame(rows)
    return frame[columns] if columns else frame


def claims_table(t) -> pd.DataFrame:
    c = t.claims.sort_values(["reliability", "credibility", "claim_id"], kind="stable")
    frame = _claims_frame(t, c, ["Id", "Claimant", "About", "Claim (paraphrase)", "Status", "Grade", "Why this grade", "Source"])
    return _finish(frame, t, citations.source_ids_of(c), ["claims"])


def claim_2013_table(t) -> pd.DataFrame:
    """Statements about the 2013 claim: made in the claim-2013 period or about Iran's help."""
    c = t.claims[(t.claims["period_id"] == "claim-2013") | (t.claims["said_date"].fillna("").str.startswith("2013") & (t.claims["subject_id"] == "iran") & (t.claims["period_id"] == "war"))]
    c = c.sort_values(["claimant_id", "claim_id"], kind="stable")
    frame = _claims_frame(t, c, ["Claimant", "About", "Claim (paraphrase)", "Words quoted", "Status", "Grade", "Source"])
    return _finish(frame, t, citations.source_ids_of(c), ["claims"])


def disputes_table(t) -> pd.DataFrame:
    """Where the commentary disputes or qualifies the article, point by point."""
    n = names(t)
    claims = t.claims.set_index("claim_id")
    links = t.claim_links[t.claim_links["relation"].isin(["disputes", "qualifies"])]
    rows = []
    for _, link in links.sort_values(["target_claim_id", "claim_id"], kind="stable").iterrows():
        a, b = claims.loc[link["target_claim_id"]], claims.loc[link["claim_id"]]
        rows.append({
            "The point": f"{n.get(a['claimant_id'], a['claimant_id'])}: {a['paraphrase']}",
            "Response": f"{n.get(b['claimant_id'], b['claimant_id'])} ({link['relation']}): {b['paraphrase']}",
            "Words quoted": " / ".join(f"“{q}”" for q in (a["quote"], b["quote"]) if not isna(q)),
        })
    frame = pd.DataFrame(rows, columns=["The point", "Response", "Words quoted"])
    ids = citations.source_ids_of(links) + citations.source_ids_of(t.claims[t.claims["claim_id"].isin(set(links["claim_id"]) | set(links["target_claim_id"]))])
    return _finish(frame, t, ids, ["claim_links", "claims"])


def interests_table(t) -> pd.DataFrame:
    """Motives and interests attributed to the regional powers (and stated by them)."""
    powers = set(t.actors.loc[t.actors["role"] == "regional_power", "actor_id"])
    c = t.claims[(t.claims["claim_type"] == "motive") & t.claims["subject_id"].isin(powers)]
    c = c.sort_values(["subject_id", "claimant_id", "claim_id"], kind="stable")
    frame = _claims_frame(t, c, ["About", "Claimant", "Claim (paraphrase)", "Status", "Grade", "Source"])
    frame = frame.rename(columns={"About": "Power", "Claim (paraphrase)": "Interest or motive"})
    return _finish(frame, t, citations.source_ids_of(c), ["claims"])


def recognition_table(t) -> pd.DataFrame:
    n = names(t)
    cites = cite_map(t)
    r = t.recognition.sort_values(["entity_id", "state_id"], kind="stable")
    frame = pd.DataFrame({
        "Entity": [n.get(x, x) for x in r["entity_id"]],
        "State": [n.get(x, x) for x in r["state_id"]],
        "Status": [_label(s) for s in r["status"]],
        "Since": [dates.label(d) if not isna(d) else "" for d in r["since"]],
        "Source": [cites.get(s, s) for s in r["source_id"]],
        "Note": ["" if isna(x) else citations.cite_ids(x, t.sources) for x in r["note"]],
    })
    return _finish(frame, t, citations.source_ids_of(r), ["recognition"])


def sources_table(t) -> pd.DataFrame:
    s = t.sources.copy()
    lab = citations.labels(s)
    s["_key"] = [lab[i] for i in s["source_id"]]
    s = s.sort_values(["_key", "source_id"], kind="stable")
    frame = pd.DataFrame({
        "Cited as": s["_key"].tolist(),
        "Reference": [citations.entry(row) for _, row in s.iterrows()],
        "Kind": [_label(k) for k in s["kind"]],
        "Link": ["" if isna(u) else u for u in s["url"]],
        "_anchor": [f"src-{i}" for i in s["source_id"]],
    })
    frame = frame.reset_index(drop=True)
    frame.attrs["source_line"] = "Source: data/sources.csv."
    return frame


def dictionary_table(t) -> pd.DataFrame:
    from . import data

    desc = data.descriptor()
    rows = []
    for res in desc["resources"]:
        for f in res["schema"]["fields"]:
            c = f.get("constraints", {})
            allowed = ", ".join(str(v) for v in c.get("enum", []))
            rows.append({
                "File": f"data/{res['path']}",
                "Column": f["name"],
                "Type": f["type"] + (" (required)" if c.get("required") else ""),
                "Meaning": f.get("description", ""),
                "Allowed values": allowed,
            })
    frame = pd.DataFrame(rows)
    frame.attrs["source_line"] = "Source: data/datapackage.json."
    return frame


def positions_table(t) -> pd.DataFrame:
    from .derive import positions_wide

    return positions_wide(t)
