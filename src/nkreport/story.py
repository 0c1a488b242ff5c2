"""The findings sentences of each section, computed from the tables.

Every name, number and date in the report's text comes from here, and so from data/.
Each function takes the loaded tables and returns a list of :class:`Finding` (plain
text, escaped when shown) with links to the figures and tables that show them.
"""
from __future__ import annotations

from collections import Counter

from . import citations, dates
from .util import isna
from .display import Finding, fig, tab

SEED_KIND = "commentary"
ARROW = " \u2192 "
NOR_ANY = " \u2014 nor any other entity in the table"


# ---------------------------------------------------------------------------
# Small helpers




def names(t) -> dict[str, str]:
    return dict(zip(t.actors["actor_id"], t.actors["name"]))


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def join(items: list[str], last: str = "and", sep: str = ", ") -> str:
    """'a, b and c'; with sep='; ' (for items that hold commas): 'a; b; and c'."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if sep == ", ":
        return ", ".join(items[:-1]) + f" {last} " + items[-1]
    return sep.join(items[:-1]) + f"{sep}{last} " + items[-1]


def label(code) -> str:
    return "" if isna(code) else str(code).replace("_", " ")


def seed_source(t):
    """The commentary the report is about: the source of kind 'commentary' with a text."""
    s = t.sources[(t.sources["kind"] == SEED_KIND) & t.sources["text_file"].notna()]
    return s.iloc[0]


def seed_author_id(t) -> str | None:
    row = seed_source(t)
    return None if isna(row["actor_id"]) else row["actor_id"]


def quoted_article(t):
    """The article the commentary quotes: a source that reached us via the commentary and
    shares its text."""
    seed = seed_source(t)
    s = t.sources[(t.sources["via_source_id"] == seed["source_id"]) & t.sources["text_file"].notna()]
    return s.iloc[0] if len(s) else None


def chain_from(t, source_id: str) -> list:
    """The sources a statement passed through, from where it was made to the reader."""
    by_id = t.sources.set_index("source_id")
    out, seen = [], set()
    while source_id and source_id in by_id.index and source_id not in seen:
        seen.add(source_id)
        row = by_id.loc[source_id]
        out.append((source_id, row))
        source_id = None if isna(row["via_source_id"]) else row["via_source_id"]
    return out


def links_to(t, claim_ids: set[str], relations=None):
    links = t.claim_links[t.claim_links["target_claim_id"].isin(claim_ids)]
    if relations:
        links = links[links["relation"].isin(relations)]
    return links


def grade(row) -> str:
    return f"{row['reliability']}{row['credibility']}"


# ---------------------------------------------------------------------------
# The 2013 claim


def central_claimant(t) -> str:
    """The claimant of the 2013 claim: whoever's own words the quoted article reports about
    Iran's help in the war, i.e. the claimant (other than the article's author and the
    commentary's) with the most claims about Iran in the war period."""
    article = quoted_article(t)
    excluded = {seed_author_id(t), None if article is None else article["actor_id"]}
    c = t.claims[(t.claims["subject_id"] == "iran") & (t.claims["period_id"] == "war") & ~t.claims["claimant_id"].isin(excluded)]
    counts = Counter(c["claimant_id"])
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def central_claims(t):
    who = central_claimant(t)
    return t.claims[(t.claims["claimant_id"] == who) & (t.claims["period_id"] == "war")]


# ---------------------------------------------------------------------------
# Sections


def intro(t) -> list[str]:
    seed = seed_source(t)
    article = quoted_article(t)
    n = names(t)
    author = "an anonymous author" if isna(seed["author"]) else seed["author"]
    first = (f"The report is built on one document: a commentary by {author}, dated "
             f"{dates.label(seed['date'])} in the data ({citations.short(seed)}).")
    if article is not None:
        first += (f" It quotes in full \u201c{article['title']}\u201d by {article['author']} "
                  f"({article['publisher']}, {dates.label(article['date'])}), and then disagrees with it on several points.")
    who = central_claimant(t)
    c = central_claims(t)
    second = (f"At the centre is the claim, reported in that article, that {n.get(who, who)} "
              f"made about Iran during the war: {plural(len(c), 'statement')} in the data.")
    counts = (f"The data hold {plural(len(t.actors), 'actor')}, {plural(len(t.periods), 'period')}, "
              f"{plural(len(t.events), 'dated event')}, {plural(len(t.claims), 'claim')} by "
              f"{plural(t.claims['claimant_id'].nunique(), 'claimant')}, "
              f"{plural(len(t.claim_links), 'link')} between claims, and {plural(len(t.sources), 'source')}.")
    return [first, second, counts]


def summary(t) -> list[Finding]:
    out = []
    out += actors(t)[:1]
    out += timeline(t)[:1]
    out += positions(t)[:1]
    out += iran(t)[:2]
    out += claim_2013(t)[:2]
    out += disputes(t)[:1]
    out += recognition(t)[:1]
    out += epilogue(t)[:2]
    out += method(t)[:1]
    return out


def actors(t) -> list[Finding]:
    a = t.actors
    kinds = Counter(a["kind"])
    parts = [plural(v, label(k)) for k, v in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))]
    first = Finding(f"The report follows {plural(len(a), 'actor')}: {join(parts)}.", [tab("actors"), fig("locator-map")])
    rel = t.claims[t.claims["stance"].notna() & t.claims["toward_id"].notna()]
    pairs = rel.groupby(["subject_id", "toward_id"]).size()
    n = names(t)
    busiest = sorted(Counter(rel["subject_id"]).items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    second = Finding(
        f"The claims attribute {plural(len(rel), 'stance')} between {plural(len(pairs), 'pair')} of actors; "
        f"the most discussed are {join([f'{n.get(k, k)} ({v})' for k, v in busiest])}.",
        [fig("actor-network")])
    return [first, second]


def timeline(t) -> list[Finding]:
    e = t.events.assign(_d=[dates.bounds(d)[0] for d in t.events["date"]]).sort_values("_d", kind="stable")
    first, last = e.iloc[0], e.iloc[-1]
    per = Counter(e["period_id"])
    plabel = dict(zip(t.periods["period_id"], t.periods["label"]))
    busiest = max(sorted(per), key=lambda k: per[k])
    alt = e[e["alt_date"].notna()]
    out = [Finding(
        f"The timeline runs from {dates.label(first['date'])} ({first['title']}) to "
        f"{dates.label(last['date'])} ({last['title']}): {plural(len(e), 'event')} in "
        f"{plural(len(t.periods), 'period')}, most of them in the period \u201c{plabel[busiest]}\u201d ({per[busiest]}).",
        [fig("timeline"), tab("events")])]
    if len(alt):
        out.append(Finding(
            f"For {plural(len(alt), 'event')} the sources give different dates; both are kept, "
            f"for example {alt.iloc[0]['title']}: {dates.label(alt.iloc[0]['date'])} or {dates.label(alt.iloc[0]['alt_date'])}.",
            [tab("events")]))
    overlaps = []
    ps = [(r.period_id, r.label, dates.bounds(r.start)[0], dates.bounds(r.end)[1]) for r in t.periods.itertuples()]
    for i, a in enumerate(ps):
        for b in ps[i + 1 :]:
            if a[2] <= b[3] and b[2] <= a[3]:
                overlaps.append(f"{a[1]} and {b[1]}")
    if overlaps:
        out.append(Finding(f"Periods overlap: {join(overlaps[:4])}.", [fig("timeline")]))
    return out


def positions(t) -> list[Finding]:
    from .derive import positions as derive_positions

    p = derive_positions(t)
    n = names(t)
    official = p[p["basis"] == "official"]
    alleged = p[p["basis"] == "alleged"]
    subjects_alleged_only = sorted(set(alleged["subject_id"]) - set(official["subject_id"]))
    out = [Finding(
        f"Of {plural(len(p), 'position')} the claims attribute to actors, {len(official)} are official and "
        f"{len(alleged)} alleged; for {plural(len(subjects_alleged_only), 'actor')} "
        f"({join([n.get(s, s) for s in subjects_alleged_only[:6]])}) the data hold only alleged positions.",
        [fig("positions"), tab("positions")])]
    disputed = p[p["disputed"]]
    if len(disputed):
        out.append(Finding(
            f"{plural(len(disputed), 'position')} are disputed by another claim, among them "
            f"{join(sorted({n.get(s, s) for s in disputed['subject_id']}))}'s.",
            [tab("positions")]))
    motives = t.claims[t.claims["claim_type"] == "motive"]
    powers = set(t.actors.loc[t.actors["role"] == "regional_power", "actor_id"])
    m = motives[motives["subject_id"].isin(powers)]
    if len(m):
        by = Counter(m["subject_id"])
        out.append(Finding(
            f"The sources give {plural(len(m), 'motive')} for the regional powers' conduct: "
            f"{join([f'{n.get(k, k)} {v}' for k, v in sorted(by.items())])}.",
            [tab("interests")]))
    return out


def iran(t) -> list[Finding]:
    n = names(t)
    c = t.claims[t.claims["subject_id"] == "iran"]
    claimants = Counter(c["claimant_id"])
    plabel = dict(zip(t.periods["period_id"], t.periods["label"]))
    out = [Finding(
        f"{plural(len(c), 'claim')} concern Iran, made by {plural(len(claimants), 'claimant')}; "
        f"the most from {join([f'{n.get(k, k)} ({v})' for k, v in sorted(claimants.items(), key=lambda kv: (-kv[1], kv[0]))[:3]])}.",
        [fig("iran-stance")])]
    official = c[c["claim_type"] == "official_position"]
    if len(official):
        stances = sorted({label(s) for s in official["stance"] if not isna(s)})
        out.append(Finding(
            f"Iran's official position, as the sources report it: {join(stances)}"
            f" ({join(sorted({n.get(x, x) for x in official['claimant_id']}))}).",
            [fig("iran-stance"), tab("positions")]))
    seed_author = seed_author_id(t)
    reading = c[(c["claimant_id"] == seed_author) & c["period_id"].notna()]
    if len(reading):
        per = reading.assign(_p=reading["period_id"].map(plabel))
        items = [f"{r['_p']}: {r['paraphrase'].rstrip('.')}" for _, r in per.iterrows()][:3]
        out.append(Finding(f"The commentary's own reading, period by period: {'; '.join(items)}.", [fig("iran-stance")]))
    return out


def claim_2013(t) -> list[Finding]:
    n = names(t)
    who = central_claimant(t)
    c = central_claims(t)
    ids = set(c["claim_id"])
    src_id = c["source_id"].iloc[0]
    chain = chain_from(t, src_id)
    steps = [f"{r['title']}" + (f" ({n.get(r['actor_id'], r['actor_id'])})" if not isna(r["actor_id"]) else "") for _, r in chain]
    grades = Counter(grade(r) for _, r in c.iterrows())
    statuses = Counter(c["status"])
    out = [Finding(
        f"{n.get(who, who)}'s statements reached this report through {plural(len(chain), 'source')} in a chain: "
        f"{ARROW.join(steps)}.",
        [fig("claim-chain")]),
        Finding(
        f"They are graded {join([f'{g} ({v})' for g, v in sorted(grades.items())])}; status: "
        f"{join([f'{label(s)} ({v})' for s, v in sorted(statuses.items())])}.",
        [tab("claim-2013"), tab("claims")])]
    links = links_to(t, ids)
    verbs = {"corroborates": "corroborate", "disputes": "dispute", "qualifies": "qualify", "repeats": "repeat"}
    for rel in ("corroborates", "disputes", "qualifies"):
        l = links[links["relation"] == rel]
        if len(l):
            by = sorted({n.get(x, x) for x in t.claims.set_index("claim_id").loc[list(l["claim_id"]), "claimant_id"]})
            verb = rel if len(l) == 1 else verbs[rel]
            out.append(Finding(f"{plural(len(l), 'claim')} {verb} these statements, by {join(by)}.", [fig("claim-chain")]))
    motives = t.claims[(t.claims["claim_type"] == "motive") & (t.claims["period_id"] == "claim-2013")]
    if len(motives):
        items = [f"{n.get(r['claimant_id'], r['claimant_id'])}: {r['paraphrase'].rstrip('.')}" for _, r in motives.iterrows()]
        out.append(Finding(f"Motives suggested for the claim \u2014 {'; '.join(items)}.", [tab("claim-2013")]))
    return out


def disputes(t) -> list[Finding]:
    n = names(t)
    seed_author = seed_author_id(t)
    article = quoted_article(t)
    links = t.claim_links.merge(t.claims[["claim_id", "claimant_id"]], on="claim_id")
    links = links.merge(t.claims[["claim_id", "claimant_id"]].rename(columns={"claim_id": "target_claim_id", "claimant_id": "target_claimant"}), on="target_claim_id")
    by_seed = links[links["claimant_id"] == seed_author]
    rel = Counter(by_seed["relation"])
    out = [Finding(
        f"The commentary responds to {plural(by_seed['target_claim_id'].nunique(), 'claim')} made by others: "
        f"{join([f'it {k} {v}' for k, v in sorted(rel.items())])}.",
        [tab("disputes")])]
    if article is not None:
        vs_article = by_seed[by_seed["target_claimant"] == article["actor_id"]]
        out.append(Finding(
            f"Against the article itself ({n.get(article['actor_id'], article['actor_id'])}) it takes issue with "
            f"{plural(len(vs_article), 'point')}.", [tab("disputes")]))
    return out


def recognition(t) -> list[Finding]:
    n = names(t)
    r = t.recognition
    out = []
    for state in sorted(r["state_id"].unique(), key=lambda s: (s != "iran", s)):
        rows = r[r["state_id"] == state]
        yes = rows[rows["status"] == "recognises"]
        if len(yes):
            items = [f"{n.get(e, e)} ({dates.label(d) if not isna(d) else 'date not recorded'})" for e, d in zip(yes["entity_id"], yes["since"])]
            text = f"{n.get(state, state)} recognises {join(items)}, and none of the other {plural(len(rows) - len(yes), 'entity', 'entities')}."
        else:
            text = f"{n.get(state, state)} recognises none of the {plural(len(rows), 'entity', 'entities')} in the table."
        out.append(Finding(text, [fig("recognition"), tab("recognition")]))
    nk_rows = r[r["entity_id"] == "nkr"]
    nk_yes = nk_rows[nk_rows["status"] == "recognises"]
    states = nk_rows["state_id"].nunique()
    text = (f"None of the {states} states recognises the {n.get('nkr', 'nkr')}." if not len(nk_yes) else
            f"{join([n.get(x, x) for x in nk_yes['state_id']])} of the {states} states recognise the {n.get('nkr', 'nkr')}.")
    out.append(Finding(text, [fig("recognition")]))
    iran_rows = r[r["state_id"] == "iran"]
    seed_author = seed_author_id(t)
    argued = t.claims[(t.claims["claimant_id"] == seed_author) & (t.claims["subject_id"] == "iran") & (t.claims["stance"] == "non_recognition")]
    argued_entities = set(argued["toward_id"].dropna())
    consistent = all(st != "recognises" for e, st in zip(iran_rows["entity_id"], iran_rows["status"]) if e in argued_entities)
    if argued_entities:
        out.insert(0, Finding(
            f"The commentary argues that Iran refuses to recognise {join(sorted(n.get(e, e) for e in argued_entities))} alike; "
            f"the recognition data {'agree: Iran recognises none of them' if consistent else 'do not bear this out'}"
            f"{NOR_ANY if consistent and not (iran_rows['status'] == 'recognises').any() else ''}.",
            [fig("recognition"), tab("recognition")]))
    return out


STANCE_PHRASES = {
    "supports": "supports {x}",
    "hostile": "is hostile toward {x}",
    "neutral": "is neutral",
    "mediator": "mediates",
    "good_relations": "has good relations with {x}",
    "trade_relations": "trades with {x}",
    "territorial_integrity": "upholds {x}'s territorial integrity",
    "non_recognition": "does not recognise {x}",
    "isolates": "isolates {x}",
}


def _stance_text(t, stance, toward) -> str:
    """A stance as a verb phrase: 'upholds Azerbaijan's territorial integrity'."""
    n = names(t)
    x = "" if isna(toward) else n.get(toward, toward)
    phrase = STANCE_PHRASES.get(stance, label(stance) + " {x}").format(x=x).strip()
    return phrase.replace("  ", " ")


def reading_vs_later(t, period_id: str = "epilogue"):
    """The commentary's reading of Iran against statements about Iran made later.

    The reading is the set of (stance, toward) the commentary affirms for Iran, plus the
    set it rejects (stances of claims it disputes). Each later statement about Iran with a
    stance is sorted into: consistent with the reading, against it, or outside it."""
    seed_author = seed_author_id(t)
    c = t.claims
    own = c[(c["claimant_id"] == seed_author) & (c["subject_id"] == "iran") & c["stance"].notna()]
    affirmed = {(s, None if isna(w) else w) for s, w in zip(own["stance"], own["toward_id"])}
    disputed_ids = t.claim_links[(t.claim_links["relation"] == "disputes") & t.claim_links["claim_id"].isin(set(c.loc[c["claimant_id"] == seed_author, "claim_id"]))]["target_claim_id"]
    rejected_rows = c[c["claim_id"].isin(set(disputed_ids)) & (c["subject_id"] == "iran") & c["stance"].notna()]
    rejected = {(s, None if isna(w) else w) for s, w in zip(rejected_rows["stance"], rejected_rows["toward_id"])}
    later = c[(c["period_id"] == period_id) & (c["subject_id"] == "iran") & c["stance"].notna() & (c["claimant_id"] != seed_author)]
    groups = {"consistent": [], "against": [], "mixed": [], "outside": []}
    for _, r in later.sort_values(["said_date", "claim_id"], kind="stable", na_position="last").iterrows():
        key = (r["stance"], None if isna(r["toward_id"]) else r["toward_id"])
        if key in rejected and key in affirmed:
            groups["mixed"].append(r)  # the commentary both affirms and disputes this stance
        elif key in rejected:
            groups["against"].append(r)
        elif key in affirmed:
            groups["consistent"].append(r)
        else:
            groups["outside"].append(r)
    return affirmed, rejected, groups


def epilogue(t) -> list[Finding]:
    n = names(t)
    out = []
    affirmed, rejected, groups = reading_vs_later(t)

    def who_when(rows):
        return join([f"{n.get(r['claimant_id'], r['claimant_id'])}, {dates.label(r['said_date'])}: Iran {_stance_text(t, r['stance'], r['toward_id'])}" for r in rows], sep="; ")

    if groups["consistent"]:
        out.append(Finding(
            f"Consistent with the commentary's reading of Iran, {plural(len(groups['consistent']), 'later statement')}: "
            f"{who_when(groups['consistent'])}.", [tab("epilogue"), tab("claims")]))
    if groups["against"]:
        keys = sorted({(r["stance"], None if isna(r["toward_id"]) else r["toward_id"]) for r in groups["against"]}, key=str)
        out.append(Finding(
            f"Against it (the commentary disputed that Iran {join([_stance_text(t, s, w) for s, w in keys], 'or')}): "
            f"{who_when(groups['against'])}.", [tab("epilogue"), tab("claims")]))
    if groups["mixed"]:
        keys = sorted({(r["stance"], None if isna(r["toward_id"]) else r["toward_id"]) for r in groups["mixed"]}, key=str)
        out.append(Finding(
            f"On a point where the commentary both affirms and disputes a claim (that Iran "
            f"{join([_stance_text(t, s, w) for s, w in keys], 'or')}): {who_when(groups['mixed'])}.",
            [tab("disputes"), tab("claims")]))
    if groups["outside"]:
        out.append(Finding(
            f"Outside the reading, neither affirmed nor disputed by the commentary: {who_when(groups['outside'])}.",
            [tab("epilogue"), tab("claims")]))
    e = t.events[t.events["period_id"] == "epilogue"]
    e = e.assign(_d=[dates.bounds(d)[0] for d in e["date"]]).sort_values("_d", kind="stable")
    if len(e):
        out.append(Finding(
            f"The data record {plural(len(e), 'event')} from {dates.label(e.iloc[0]['date'])} to "
            f"{dates.label(e.iloc[-1]['date'])}, from {e.iloc[0]['title'][0].lower() + e.iloc[0]['title'][1:]} to "
            f"{e.iloc[-1]['title'][0].lower() + e.iloc[-1]['title'][1:]}.",
            [tab("epilogue")]))
    return out


def epilogue_statements(t) -> list[Finding]:
    """Every later statement about Iran, in date order, attributed."""
    n = names(t)
    c = t.claims[(t.claims["period_id"] == "epilogue") & (t.claims["subject_id"] == "iran")]
    return [Finding(f"{n.get(r['claimant_id'], r['claimant_id'])} ({dates.label(r['said_date'])}): {r['paraphrase']}", [tab("claims")])
            for _, r in c.sort_values(["said_date", "claim_id"], kind="stable", na_position="last").iterrows()]


def method(t) -> list[Finding]:
    c = t.claims
    f_grade = c[c["reliability"] == "F"]
    confirmed = c[c["credibility"] == 1]
    return [Finding(
        f"Of {plural(len(c), 'claim')}, {len(f_grade)} come from claimants whose reliability cannot be judged (F), "
        f"and {len(confirmed)} are confirmed by other sources (credibility 1).",
        [fig("claim-grades"), tab("claims")]),
        Finding(
        f"Status: {join([f'{label(s)} {v}' for s, v in sorted(Counter(c['status']).items())])}.",
        [tab("claims")])]


def limits(t) -> list[str]:
    """What the data cannot say, with the particulars computed from the data."""
    n = names(t)
    seed = seed_source(t)
    who = central_claimant(t)
    chain = chain_from(t, central_claims(t)["source_id"].iloc[0])
    checkable = 0
    quoted = t.claims[t.claims["quote"].notna()]
    by_id = t.sources.set_index("source_id")
    for sid in quoted["source_id"]:
        if any(not isna(row["text_file"]) for _, row in chain_from(t, sid)):
            checkable += 1
    out = []
    if isna(seed["author"]):
        out.append("The commentary's author is not named, so the reliability of its statements cannot be judged "
                    "(grade F); where other sources bear out what it says, the credibility grade records that.")
    if len(chain) > 1:
        out.append(f"{n.get(who, who)}'s words reached the project only at {len(chain) - 1} removes from the "
                   f"original ({join([citations.short(by_id.loc[sid]) for sid, _ in chain[1:]])})"
                   + ("; the original itself was not seen." if str(chain[0][1]["access_note"]).lower().startswith("not seen") else "."))
    else:  # the source the data cite is the original
        out.append(f"{n.get(who, who)}'s words reached the project in their original source "
                   f"({citations.short(chain[0][1])}).")
    out.append(f"Of {plural(len(quoted), 'quotation')} in the claims, {checkable} can be checked by machine against the "
               f"text of the source that carries them; the other {len(quoted) - checkable} come from sources whose text is not "
               "at hand and were checked by hand against stored copies.")
    return out
