"""Citations built from the sources table: short in-text forms, bibliography entries,
and the "Source:" lines under figures and tables."""
from __future__ import annotations

import re
import weakref
from functools import lru_cache

from . import dates
from .util import isna




def year(row) -> str:
    return "n.d." if isna(row["date"]) else str(row["date"])[:4]


def _plain(text: str) -> str:
    """Text without its (parenthesised) and [bracketed] asides."""
    return re.sub(r"\s+", " ", re.sub(r"\([^)]*\)|\[[^\]]*\]", "", text)).strip(" ,;")


#: Words that mark an author as an organisation rather than a person.
ORGANISATION_WORDS = {
    "agency", "arabiya", "center", "centre", "co-chairs", "commission", "council", "department",
    "desk", "electionguide", "fondation", "foundation", "group", "ifes", "institute", "library",
    "minister", "ministry", "nations", "network", "news", "office", "president", "presidium", "press", "radio", "reuter",
    "reuters", "service", "soviet", "times", "tv", "university", "watch",
}
SURNAME_PARTICLES = {"de", "van", "von", "da", "del", "al", "el", "bin", "ibn", "der"}


def who(row) -> str:
    """In-text name: a person's surname, an organisation's name, else the publisher, else
    'Anonymous <kind>'."""
    # A data set or reference work is cited by its publisher (Natural Earth, Wikipedia).
    by_publisher = "kind" in row and row["kind"] in ("dataset", "reference_work") and not isna(row["publisher"])
    if not isna(row["author"]) and not by_publisher:
        first = _plain(str(row["author"])).split(";")[0].split(" and ")[0].split(",")[0].strip()
        words = first.split()
        if words:
            if any(w.lower() in ORGANISATION_WORDS for w in words) or len(words) > 4:
                return first
            for i, w in enumerate(words[1:], start=1):
                if w in SURNAME_PARTICLES:
                    return " ".join(words[i:])
            return words[-1]
    if not isna(row["publisher"]):
        return _plain(str(row["publisher"])) or str(row["publisher"])
    kind = "" if "kind" not in row or isna(row["kind"]) else str(row["kind"]).replace("_", " ")
    return f"Anonymous {kind}".strip()


def short(row) -> str:
    """In-text form: 'Kucera 2013', 'UN Security Council 1993'."""
    return f"{who(row)} {year(row)}"


# Frames are unhashable: remember by id, holding a weak reference to tell a reused id.
_LABELS: dict[int, tuple] = {}


def labels(sources) -> dict[str, str]:
    """Every source's in-text label, made unique the author-date way: two different
    sources that would both read 'BBC News n.d.' become 'BBC News n.d.a' and '…b'
    (in source-id order, so the letters are stable). Computed once per sources frame."""
    hit = _LABELS.get(id(sources))
    if hit is not None and hit[0]() is sources and hit[1] == len(sources):
        return hit[2]
    out = _labels(sources)
    _LABELS[id(sources)] = (weakref.ref(sources), len(sources), out)
    return out


def _labels(sources) -> dict[str, str]:
    base = {sid: short(row) for sid, row in zip(sources["source_id"], (r for _, r in sources.iterrows()))}
    groups: dict[str, list[str]] = {}
    for sid in sorted(base):
        groups.setdefault(base[sid], []).append(sid)
    out = {}
    for label, ids in groups.items():
        for i, sid in enumerate(ids):
            out[sid] = label if len(ids) == 1 else f"{label}{'abcdefghijklmnopqrstuvwxyz'[i % 26]}"
    return out


@lru_cache(maxsize=8)
def _id_pattern(ids: tuple[str, ...]):
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(ids, key=len, reverse=True)) + r")(?![\w-])")


def cite_ids(text: str, sources) -> str:
    """Replace source ids quoted in free text (notes) by their in-text labels."""
    lab = labels(sources)
    if not lab:
        return text
    return _id_pattern(tuple(sorted(lab))).sub(lambda m: lab[m.group(1)], text)


def entry(row) -> str:
    """One bibliography entry, one style for every kind of source (plain text)."""
    parts = []
    parts.append(str(row["author"]) if not isna(row["author"]) else (str(row["publisher"]) if not isna(row["publisher"]) else "Anonymous"))
    parts.append(f"({dates.label(row['date']) if not isna(row['date']) else 'n.d.'})")
    text = " ".join(parts) + f". {row['title']}."
    if not isna(row["publisher"]) and not isna(row["author"]):
        text += f" {row['publisher']}."
    if not isna(row["access_note"]):
        note = str(row["access_note"])
        text += f" {note[:1].upper()}{note[1:]}"
        if not text.endswith("."):
            text += "."
    return text


def source_ids_of(frame, columns=("source_id",)) -> list[str]:
    """The distinct source ids a frame's rows cite, in first-seen order."""
    seen: dict[str, None] = {}
    for col in columns:
        if col in frame.columns:
            for v in frame[col]:
                if not isna(v):
                    seen.setdefault(str(v), None)
    return list(seen)


def source_line(sources, source_ids, tables=(), limit: int | None = 6) -> str:
    """'Source: data/claims.csv; Kucera 2013; anonymous commentary 2013 …'.

    ``sources`` is the sources frame; ``tables`` the data files drawn from. With a limit,
    only that many citations are named and the rest counted.
    """
    lab = labels(sources)
    cites = sorted({lab[s] for s in source_ids if s in lab})
    files = ", ".join(f"data/{t}.csv" for t in tables)
    shown = cites if limit is None or len(cites) <= limit else cites[:limit] + [f"and {len(cites) - limit} more (see the sources table)"]
    body = "; ".join(x for x in [files, "; ".join(shown)] if x)
    return f"Source: {body.rstrip('.')}."
