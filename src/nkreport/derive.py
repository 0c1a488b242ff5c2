"""Small pure functions from the loaded tables to derived tables.

Nothing here knows a fact of its own: every name, stance, date and source comes from
the tables passed in. The functions return new frames and never change their input.

- :func:`positions` -- one row per coded position (official, alleged, or an action
  with a stance), with names, the basis, and whether another claim disputes it.
- :func:`positions_wide` -- the report's positions table, one row per actor and party.
- :func:`iran_entries` / :func:`iran_by_period` -- Iran's stance period by period:
  official, alleged (by whom) and the commentary's reading.
- :func:`recognition_cells` -- the recognition matrix as one row per state and entity.
- :func:`grade_counts` -- claims counted by Admiralty grade.
"""
from __future__ import annotations

import re

import pandas as pd

from . import citations, dates

#: claim_type values that state a position; an ``action`` counts when it has a stance.
POSITION_TYPES = ("official_position", "alleged_position")
#: Roles whose holders are the rows of the positions matrix and table.
POSITION_ROLES = ("regional_power", "mediator", "party")
#: Statuses that mean the claim is contested in itself.
CONTESTED_STATUSES = ("disputed", "denied")
# Actor kinds that are states or would-be states (a fixed set, however much the data
# grow); every other kind (people, groups, media, offices) can grow with the data.
STATE_KINDS = ("state", "de_facto_state", "partially_recognised_state", "bloc")
#: The Admiralty scale (data/GRADING.md): source reliability and information credibility.
RELIABILITY = ("A", "B", "C", "D", "E", "F")
CREDIBILITY = (1, 2, 3, 4, 5, 6)
#: Rows of the Iran figure, in drawing order.
IRAN_ROWS = ("official", "alleged", "commentary")
#: How a stance reads before the name of the actor it is toward.
_PREPOSITION = {
    "supports": "",
    "hostile": "toward",
    "neutral": "toward",
    "mediator": "with",
    "good_relations": "with",
    "trade_relations": "with",
    "territorial_integrity": "of",
    "non_recognition": "of",
    "isolates": "",
}
NO_OFFICIAL = "no official position recorded"


def isna(value) -> bool:
    """True for None, NaN and pandas' missing values (scalars only)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _str(value) -> str | None:
    return None if isna(value) else str(value)


# ---------------------------------------------------------------------------
# Words


def stance_label(stance) -> str:
    """'good_relations' -> 'good relations', 'non_recognition' -> 'non-recognition'."""
    if isna(stance):
        return "no stance coded"
    return str(stance).replace("non_", "non-").replace("_", " ")


def stance_phrase(stance, toward: str | None) -> str:
    """A stance with the actor it is toward: 'supports Azerbaijan', 'hostile toward Armenia'."""
    label = stance_label(stance)
    if not toward:
        return label
    prep = _PREPOSITION.get(str(stance), "toward")
    return " ".join(x for x in (label, prep, toward) if x)


def short_name(name: str | None, kind: str | None = None) -> str:
    """A short form for crowded places: a trailing bracket is dropped ('Armenians
    (unspecified)' -> 'Armenians'), and a person's proper name becomes the surname
    ('Mohsen Rezaee' -> 'Rezaee'); other names are kept ('Author of the commentary')."""
    if not name:
        return ""
    text = re.sub(r"\s*\([^()]*\)\s*$", "", str(name)).strip() or str(name)
    words = text.split()
    if kind == "person" and len(words) >= 2 and all(w[:1].isupper() for w in words):
        return words[-1]
    return text


def _actor_lookup(t) -> dict[str, dict]:
    actors = t.actors
    return {
        str(r.actor_id): {"name": _str(r.name) or str(r.actor_id), "kind": _str(r.kind), "role": _str(r.role)}
        for r in actors.itertuples()
    }


def _name(lookup: dict, actor_id) -> str | None:
    if isna(actor_id):
        return None
    return lookup.get(str(actor_id), {}).get("name", str(actor_id))


def _short(lookup: dict, actor_id) -> str | None:
    if isna(actor_id):
        return None
    a = lookup.get(str(actor_id), {})
    return short_name(a.get("name", str(actor_id)), a.get("kind"))


def _cite(t, source_id) -> str:
    return citations.labels(t.sources).get(source_id, str(source_id))


def _links(t) -> pd.DataFrame:
    if "claim_links" in t:
        return t.claim_links
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in ("claim_id", "target_claim_id", "relation", "source_id")})


def commentator_ids(t) -> list[str]:
    """Actors with the role 'commentator' (the author of the commentary), in table order."""
    a = t.actors
    return [str(x) for x in a.loc[a["role"] == "commentator", "actor_id"]]


def dispute_links(t) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({claim: claims that dispute it}, {claim: claims it disputes}) from claim_links,
    relation 'disputes', in the links' order."""
    links = _links(t)
    disputed_by: dict[str, list[str]] = {}
    disputes: dict[str, list[str]] = {}
    for r in links[links["relation"] == "disputes"].itertuples():
        disputed_by.setdefault(str(r.target_claim_id), []).append(str(r.claim_id))
        disputes.setdefault(str(r.claim_id), []).append(str(r.target_claim_id))
    return disputed_by, disputes


def dispute_phrase(t, target_id: str, lookup: dict | None = None) -> str:
    """What disputing claim ``target_id`` means in words: "disputes 'hostile toward
    Azerbaijan' (Kucera)"; without a coded stance: "disputes a claim by Kucera"."""
    lookup = lookup or _actor_lookup(t)
    c = t.claims.set_index("claim_id")
    if target_id not in c.index:
        return f"disputes claim {target_id}"
    tr = c.loc[target_id]
    who = _short(lookup, tr["claimant_id"])
    if isna(tr["stance"]):
        return f"disputes a claim by {who}"
    return f"disputes '{stance_phrase(tr['stance'], _name(lookup, tr['toward_id']))}' ({who})"


# ---------------------------------------------------------------------------
# Positions


def positions(t) -> pd.DataFrame:
    """One row per position claim: claim_type official_position or alleged_position, or an
    action with a stance. Index: the claim's line in claims.csv.

    Columns: subject_id, subject, toward_id, toward, basis ('official' for an
    official_position, else 'alleged'), stance, claimant_id, claimant, claim_id, status,
    period_id, disputed, source_id; and claim_type, claimant_short, period, said_date,
    disputed_by (ids of claims that dispute this one), disputes (ids of claims this one
    disputes), negates (for a claim without stance: what it disputes, as
    :func:`dispute_phrase` words it), paraphrase.
    ``disputed`` is True when a claim links to it with relation 'disputes' or its status
    is disputed or denied.
    """
    c = t.claims
    lookup = _actor_lookup(t)
    periods = t.periods.set_index("period_id")["label"].to_dict() if "periods" in t else {}
    disputed_by, disputes = dispute_links(t)

    mask = c["claim_type"].isin(POSITION_TYPES) | ((c["claim_type"] == "action") & c["stance"].notna())
    rows = []
    for line, r in c[mask].iterrows():
        cid = str(r["claim_id"])
        negates = None
        if isna(r["stance"]):
            negates = "; ".join(dict.fromkeys(dispute_phrase(t, x, lookup) for x in disputes.get(cid, []))) or None
        rows.append({
            "subject_id": _str(r["subject_id"]),
            "subject": _name(lookup, r["subject_id"]),
            "toward_id": _str(r["toward_id"]),
            "toward": _name(lookup, r["toward_id"]),
            "basis": "official" if r["claim_type"] == "official_position" else "alleged",
            "stance": _str(r["stance"]),
            "claimant_id": _str(r["claimant_id"]),
            "claimant": _name(lookup, r["claimant_id"]),
            "claim_id": cid,
            "status": _str(r["status"]),
            "period_id": _str(r["period_id"]),
            "disputed": bool(cid in disputed_by or r["status"] in CONTESTED_STATUSES),
            "source_id": _str(r["source_id"]),
            "claim_type": _str(r["claim_type"]),
            "claimant_short": _short(lookup, r["claimant_id"]),
            "period": periods.get(r["period_id"]) if not isna(r["period_id"]) else None,
            "said_date": _str(r["said_date"]),
            "disputed_by": tuple(sorted(disputed_by.get(cid, []))),
            "disputes": tuple(sorted(disputes.get(cid, []))),
            "negates": negates,
            "paraphrase": _str(r["paraphrase"]),
        })
    columns = ["subject_id", "subject", "toward_id", "toward", "basis", "stance", "claimant_id", "claimant",
               "claim_id", "status", "period_id", "disputed", "source_id", "claim_type", "claimant_short",
               "period", "said_date", "disputed_by", "disputes", "negates", "paraphrase"]
    out = pd.DataFrame(rows, columns=columns, index=pd.Index(c[mask].index, name="line"))
    for col in columns:
        if col not in ("disputed", "disputed_by", "disputes"):
            out[col] = out[col].astype("str")
    out["disputed"] = out["disputed"].astype(bool)
    return out


def position_text(row) -> str:
    """What a position says, in words: the stance; for a claim without one, what it
    disputes ("disputes 'hostile toward Azerbaijan' (Kucera)"), else its paraphrase."""
    if isna(row["stance"]):
        if not isna(row["negates"]):
            return row["negates"]
        return row["paraphrase"] if not isna(row.get("paraphrase")) else "no stance coded"
    return stance_label(row["stance"])


def position_actors(t) -> list[str]:
    """The actors the positions matrix and table are about: those with role regional
    power, mediator or party, regional powers first, then by name (stable)."""
    a = t.actors
    a = a[a["role"].isin(POSITION_ROLES)].copy()
    a["_rank"] = a["role"].map({r: i for i, r in enumerate(POSITION_ROLES)})
    a = a.sort_values(["_rank", "name", "actor_id"], kind="stable")
    return [str(x) for x in a["actor_id"]]


def party_states(t, pos: pd.DataFrame | None = None) -> list[str]:
    """The parties a stance is drawn toward in the matrix: actors of kind state with role
    party that some position is toward, by name."""
    pos = positions(t) if pos is None else pos
    a = t.actors
    a = a[(a["role"] == "party") & (a["kind"] == "state")].sort_values(["name", "actor_id"], kind="stable")
    toward = set(pos["toward_id"].dropna())
    return [str(x) for x in a["actor_id"] if x in toward]


#: Stances that, with no party named, hold toward every party ("neutral in this conflict").
BOTH_SIDES = ("neutral", "mediator")


def positions_by_party(t, pos: pd.DataFrame | None = None) -> pd.DataFrame:
    """The positions toward the party states (:func:`party_states`), as the matrix draws
    them.

    - A neutral or mediator stance with no party named ('neutral in this conflict') is
      counted toward each party, in a copy of the row with ``toward_inferred`` True.
    - A position (not an official one) about a person who acts for a state
      (:func:`subject_people`: Rezaee, as commander, for Iran) is counted for that state:
      ``subject_id`` becomes the state and ``person_id`` keeps the person.
    """
    pos = positions(t) if pos is None else pos
    parties = party_states(t, pos)
    names = _actor_lookup(t)
    a = t.actors
    country = {str(r.actor_id): str(r.country_id) for r in a.itertuples()
               if r.kind == "person" and r.role in ("official", "leader") and not isna(r.country_id)}
    pos = pos.assign(person_id=pd.Series(pd.NA, index=pos.index, dtype="str"))
    acting = pos["subject_id"].isin(list(country)) & (pos["basis"] != "official")
    if acting.any():
        pos.loc[acting, "person_id"] = pos.loc[acting, "subject_id"]
        pos.loc[acting, "subject_id"] = [country[x] for x in pos.loc[acting, "subject_id"]]
        pos.loc[acting, "subject"] = [_name(names, x) for x in pos.loc[acting, "subject_id"]]
    direct = pos[pos["toward_id"].isin(parties)].assign(toward_inferred=False)
    loose = pos[pos["toward_id"].isna() & pos["stance"].isin(BOTH_SIDES)]
    copies = [loose.assign(toward_id=p, toward=_name(names, p), toward_inferred=True) for p in parties]
    out = pd.concat([direct, *copies]) if copies else direct
    out = out.sort_index(kind="stable")
    for col in ("toward_id", "toward", "subject_id", "subject", "person_id"):
        out[col] = out[col].astype("str")
    return out


def _according(t, row) -> str:
    """'[War] (Rezaee, according to Sahar TV 2013)': the period, if any, then who said it
    and where ('according to Kucera 2013' when the claimant is the cited author)."""
    cite = _cite(t, row["source_id"])
    who = row["claimant_short"]
    period = f"[{row['period']}] " if not isna(row["period"]) else ""
    if who and who.lower() in cite.lower():
        return f"{period}(according to {cite})"
    return f"{period}({who}, according to {cite})"


def positions_wide(t) -> pd.DataFrame:
    """The report's positions table: one row per (actor, party it is toward).

    Columns: Actor, Toward, Official position, Alleged positions (by whom), Disputed by.
    An actor of the matrix's roles with no position at all has one row, toward '—'.
    ``frame.attrs['source_line']`` names the tables and sources drawn from.
    """
    pos = positions(t)
    lookup = _actor_lookup(t)
    order = position_actors(t)
    extra = [s for s in dict.fromkeys(pos["subject_id"].dropna()) if s not in order]
    extra = sorted(extra, key=lambda s: (_name(lookup, s) or s, s))
    claims = t.claims.set_index("claim_id")
    rows = []
    cited: list[str] = []
    for subject in order + extra:
        mine = pos[pos["subject_id"] == subject]
        if mine.empty:
            rows.append({"Actor": _name(lookup, subject), "Toward": "—", "Official position": NO_OFFICIAL,
                         "Alleged positions (by whom)": "", "Disputed by": ""})
            continue
        towards = list(dict.fromkeys(mine["toward_id"].tolist()))
        towards.sort(key=lambda x: (isna(x), _name(lookup, x) or ""))
        for toward in towards:
            cell = mine[mine["toward_id"].isna()] if isna(toward) else mine[mine["toward_id"] == toward]
            official = [f"{position_text(r)} {_according(t, r)}" for _, r in cell[cell["basis"] == "official"].iterrows()]
            alleged = [f"{position_text(r)} {_according(t, r)}" for _, r in cell[cell["basis"] == "alleged"].iterrows()]
            contested = []
            for _, r in cell.iterrows():
                what = f"'{position_text(r)}' ({r['claimant_short']})"
                others = [claims.loc[o] for o in r["disputed_by"] if o in claims.index]
                if others:
                    who = ", ".join(dict.fromkeys(_short(lookup, o["claimant_id"]) for o in others))
                    contested.append(f"{what}: disputed by {who}")
                    cited += [str(o["source_id"]) for o in others]
                elif r["status"] in CONTESTED_STATUSES:
                    contested.append(f"{what}: status {r['status']}")
            cited += [s for s in cell["source_id"].dropna()]
            rows.append({
                "Actor": _name(lookup, subject),
                "Toward": _name(lookup, toward) if not isna(toward) else "— (no party named)",
                "Official position": "; ".join(official) or NO_OFFICIAL,
                "Alleged positions (by whom)": "; ".join(alleged),
                "Disputed by": "; ".join(dict.fromkeys(contested)),
            })
    frame = pd.DataFrame(rows, columns=["Actor", "Toward", "Official position", "Alleged positions (by whom)", "Disputed by"])
    frame = frame.astype("str").reset_index(drop=True)
    frame.attrs["source_line"] = citations.source_line(
        t.sources, list(dict.fromkeys(cited)), tables=["claims", "claim_links", "actors"])
    return frame


# ---------------------------------------------------------------------------
# Iran, period by period


def period_order(t) -> pd.DataFrame:
    """The periods in time order (start, then end, then lane and id), with their bounds."""
    p = t.periods.copy()
    p["_lo"] = [dates.bounds(v)[0] for v in p["start"]]
    p["_hi"] = [dates.bounds(v)[1] for v in p["end"]]
    lane = p["lane"].astype("Float64").fillna(0) if "lane" in p else 0
    p["_lane"] = lane
    return p.sort_values(["_lo", "_hi", "_lane", "period_id"], kind="stable")


def _period_of_date(periods: pd.DataFrame, value) -> str | None:
    """The longest period whose span meets the date ``value`` (ties: earliest, then id)."""
    if isna(value):
        return None
    lo, hi = dates.bounds(str(value))
    hits = periods[(periods["_lo"] <= hi) & (periods["_hi"] >= lo)]
    if hits.empty:
        return None
    hits = hits.assign(_len=[(b - a).days for a, b in zip(hits["_lo"], hits["_hi"])])
    hits = hits.sort_values(["_len", "_lo", "period_id"], ascending=[False, True, True], kind="stable")
    return str(hits.iloc[0]["period_id"])


NO_PERIOD = "no-period"


def subject_people(t, subject_id: str) -> list[str]:
    """People who act for ``subject_id``: actors of kind person with country_id the
    subject and role official or leader (Rezaee, as commander, for Iran)."""
    a = t.actors
    hit = a[(a["country_id"] == subject_id) & (a["kind"] == "person") & a["role"].isin(["official", "leader"])]
    return [str(x) for x in hit["actor_id"]]


def iran_entries(t, subject_id: str = "iran") -> pd.DataFrame:
    """The entries of the Iran-by-period figure, one per (period, row, stance, claimant).

    Drawn from :func:`positions` about the subject, and about its people
    (:func:`subject_people`) except their own official positions (a person's stated view
    is not the state's position); plus claims of any type about them that dispute such a
    position ("disputes 'hostile toward Azerbaijan' (Kucera)"), placed with the claim
    they dispute.

    ``row`` is 'official' (official_position claims), 'alleged' (other positions and
    actions, by anyone but the commentary's author) or 'commentary' (by the commentator,
    :func:`commentator_ids`). A claim without period_id is placed (``by_said_date`` True)
    in the longest period containing the date it was said; with neither, in the
    pseudo-period 'no-period'. Positions toward several parties with the same stance and
    claimant are merged ('neutral toward Armenia, Azerbaijan'), then the claimants of the
    same words ('supports Azerbaijan' by Kucera, Armenians, ...).

    Columns: period_id, row, text, who (claimants, ', '-joined; empty for the
    commentator's row and for the subject's own words), stance, claim_ids, disputed,
    by_said_date, source_ids, and label: the words the figure draws, each claimant marked
    '*' when disputed and '†' when placed by the date it was said; named (the claimants
    with their marks) and anonymous (the marks of the claims with no name to carry them),
    from which the label is made.
    """
    lookup = _actor_lookup(t)
    pos = positions(t)
    people = subject_people(t, subject_id)
    keep = (pos["subject_id"] == subject_id) | (pos["subject_id"].isin(people) & (pos["basis"] != "official"))
    pos = pos[keep & (pos["stance"].notna() | pos["negates"].notna())]
    periods = period_order(t)
    known = set(periods["period_id"])
    commentators = set(commentator_ids(t))
    disputed_by, disputes = dispute_links(t)

    def place(period_id, said_date):
        if not isna(period_id) and period_id in known:
            return str(period_id), False
        return _period_of_date(periods, said_date) or NO_PERIOD, True

    recs = []
    placed: dict[str, tuple[str, bool]] = {}
    for line, r in pos.iterrows():
        pid, by_date = place(r["period_id"], r["said_date"])
        placed[r["claim_id"]] = (pid, by_date)
        if r["basis"] == "official":
            row = "official"
        else:
            row = "commentary" if r["claimant_id"] in commentators else "alleged"
        who = r["claimant_short"] or ""
        if row == "commentary" or (row == "official" and r["claimant_id"] == subject_id):
            who = ""  # the row says who: the commentator, or the subject itself
        recs.append({"line": line, "period_id": pid, "row": row, "stance": r["stance"],
                     "key": r["stance"] if not isna(r["stance"]) else r["negates"], "toward": r["toward"],
                     "text": r["negates"], "who": who, "claim_id": r["claim_id"], "disputed": r["disputed"],
                     "by_said_date": by_date, "source_id": r["source_id"]})
    # Claims of other types that dispute one of these positions: placed with their target.
    c = t.claims
    subjects = {subject_id, *people}
    for line, r in c.iterrows():
        cid = str(r["claim_id"])
        if cid in placed or r["subject_id"] not in subjects:
            continue
        targets = [x for x in disputes.get(cid, []) if x in placed]
        if not targets:
            continue
        pid, by_date = placed[targets[0]]
        row = "commentary" if r["claimant_id"] in commentators else "alleged"
        text = "; ".join(dict.fromkeys(dispute_phrase(t, x, lookup) for x in targets))
        recs.append({"line": line, "period_id": pid, "row": row, "stance": None, "key": text, "toward": None,
                     "text": text, "who": "" if row == "commentary" else (_short(lookup, r["claimant_id"]) or ""),
                     "claim_id": cid, "disputed": bool(cid in disputed_by or r["status"] in CONTESTED_STATUSES),
                     "by_said_date": by_date, "source_id": _str(r["source_id"])})

    order_p = {p: i for i, p in enumerate(list(periods["period_id"]) + [NO_PERIOD])}
    order_r = {r: i for i, r in enumerate(IRAN_ROWS)}
    # First merge the parties of one claimant's stance, then the claimants of one phrase.
    by_claimant: dict[tuple, list[dict]] = {}
    for rec in recs:
        by_claimant.setdefault((rec["period_id"], rec["row"], rec["key"], rec["who"], rec["by_said_date"]), []).append(rec)
    phrases: dict[tuple, list[dict]] = {}
    for (pid, row, _key, who, by_date), items in by_claimant.items():
        first = items[0]
        if isna(first["stance"]):
            text = first["text"]
        else:
            towards = [i["toward"] for i in items if not isna(i["toward"])]
            text = stance_phrase(first["stance"], ", ".join(dict.fromkeys(towards)) or None)
        phrases.setdefault((pid, row, text), []).append({
            "who": who, "stance": _str(first["stance"]), "claim_ids": [i["claim_id"] for i in items],
            "disputed": any(i["disputed"] for i in items), "by_said_date": by_date,
            "source_ids": [i["source_id"] for i in items], "line": min(i["line"] for i in items)})
    out = []
    for (pid, row, text), parts in phrases.items():
        parts.sort(key=lambda x: x["line"])
        marks = ["*" * x["disputed"] + "†" * x["by_said_date"] for x in parts]
        named = [(x["who"], m) for x, m in zip(parts, marks) if x["who"]]
        anonymous = "".join(dict.fromkeys(m for x, m in zip(parts, marks) if not x["who"]))
        label = text + anonymous + (" (" + ", ".join(w + m for w, m in named) + ")" if named else "")
        out.append({
            "period_id": pid, "row": row, "text": text,
            "who": ", ".join(dict.fromkeys(w for w, _ in named)), "stance": parts[0]["stance"],
            "claim_ids": tuple(c for x in parts for c in x["claim_ids"]),
            "disputed": any(x["disputed"] for x in parts), "by_said_date": any(x["by_said_date"] for x in parts),
            "source_ids": tuple(dict.fromkeys(s for x in parts for s in x["source_ids"])), "label": label,
            "named": tuple(w + m for w, m in named), "anonymous": anonymous,
            "_p": order_p.get(pid, len(order_p)), "_r": order_r[row], "_line": parts[0]["line"],
        })
    cols = ["period_id", "row", "text", "who", "stance", "claim_ids", "disputed", "by_said_date", "source_ids",
            "label", "named", "anonymous"]
    frame = pd.DataFrame(out, columns=cols + ["_p", "_r", "_line"])
    frame = frame.sort_values(["_p", "_r", "_line"], kind="stable").drop(columns=["_p", "_r", "_line"])
    return frame.reset_index(drop=True)


def entry_text(entry) -> str:
    """One entry as the report prints it: 'supports Azerbaijan (Rezaee)'."""
    text = entry["text"]
    if entry["who"]:
        text += f" ({entry['who']})"
    return text


def iran_by_period(t, subject_id: str = "iran") -> pd.DataFrame:
    """Iran's stance per period, one row per period in time order (a last row 'no period
    given' when some claim has neither period nor date): columns period_id, period,
    start, end, official, alleged, commentary (entries joined with '; '; alleged entries
    name who alleges), and source_ids."""
    entries = iran_entries(t, subject_id)
    periods = period_order(t)
    rows = []
    for p in periods.itertuples():
        rows.append({"period_id": p.period_id, "period": p.label, "start": p.start, "end": p.end})
    if (entries["period_id"] == NO_PERIOD).any():
        rows.append({"period_id": NO_PERIOD, "period": "no period given", "start": None, "end": None})
    for row in rows:
        mine = entries[entries["period_id"] == row["period_id"]]
        for kind in IRAN_ROWS:
            row[kind] = "; ".join(entry_text(e) for _, e in mine[mine["row"] == kind].iterrows())
        row["source_ids"] = tuple(dict.fromkeys(s for ids in mine["source_ids"] for s in ids))
    frame = pd.DataFrame(rows, columns=["period_id", "period", "start", "end", *IRAN_ROWS, "source_ids"])
    for col in ["period_id", "period", "start", "end", *IRAN_ROWS]:
        frame[col] = frame[col].astype("str")
    return frame


# ---------------------------------------------------------------------------
# Recognition and grades


def recognition_states(t) -> list[str]:
    """States with rows in recognition.csv: regional powers, then mediators, then parties,
    then any other, each group by name."""
    lookup = _actor_lookup(t)
    ids = list(dict.fromkeys(str(x) for x in t.recognition["state_id"]))
    rank = {r: i for i, r in enumerate(POSITION_ROLES)}
    return sorted(ids, key=lambda s: (rank.get(lookup.get(s, {}).get("role"), len(rank)), _name(lookup, s) or s, s))


def recognition_entities(t) -> list[str]:
    """Entities with rows in recognition.csv: parties to the conflict first, then the
    others by name."""
    lookup = _actor_lookup(t)
    ids = list(dict.fromkeys(str(x) for x in t.recognition["entity_id"]))
    return sorted(ids, key=lambda e: (lookup.get(e, {}).get("role") != "party", _name(lookup, e) or e, e))


def recognition_label(status, since) -> str:
    """'recognises (2008)', 'does not recognise', 'recognised (2008), then withdrew'."""
    year = None if isna(since) else str(since)[:4]
    if status == "recognises":
        return f"recognises ({year})" if year else "recognises"
    if status == "recognised_then_withdrew":
        return f"recognised ({year}), then withdrew" if year else "recognised, then withdrew"
    if status == "does_not_recognise":
        return "does not recognise"
    return "no data"


def recognition_cells(t) -> pd.DataFrame:
    """One row per (state, entity) of the matrix, including pairs with no row ('no data').
    Columns: state_id, state, entity_id, entity, status, since, label, source_id."""
    lookup = _actor_lookup(t)
    rec = t.recognition
    rows = []
    for s in recognition_states(t):
        for e in recognition_entities(t):
            hit = rec[(rec["state_id"] == s) & (rec["entity_id"] == e)]
            r = hit.iloc[0] if len(hit) else None
            status = None if r is None else _str(r["status"])
            since = None if r is None else _str(r["since"])
            rows.append({"state_id": s, "state": _name(lookup, s), "entity_id": e, "entity": _name(lookup, e),
                         "status": status, "since": since, "label": recognition_label(status, since),
                         "source_id": None if r is None else _str(r["source_id"])})
    frame = pd.DataFrame(rows, columns=["state_id", "state", "entity_id", "entity", "status", "since", "label", "source_id"])
    return frame.astype("str")


def grade_counts(t) -> pd.DataFrame:
    """Claims counted by reliability (rows A–F) and credibility (columns 1–6), zeros kept."""
    c = t.claims
    counts = pd.crosstab(c["reliability"].astype(object), c["credibility"].astype("Int64").astype(object))
    counts = counts.reindex(index=list(RELIABILITY), columns=list(CREDIBILITY), fill_value=0)
    counts.index.name, counts.columns.name = "reliability", "credibility"
    return counts.astype(int)
