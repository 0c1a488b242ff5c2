"""Figure: how the 2013 claim reached the reader, and what the other claims say about it.

Top row, the chain of transmission: the speaker (the claimant CLAIMANT), then the source
his claims are made in and each source it reached us through, following
``sources.via_source_id`` to its end; each box names the source's actor (``actor_id``)
and role, the kind of source and its date. Nothing of the chain is typed here except the
claimant it starts from.

Below, left: the speaker's claims, with status and grade. Right: every claim linked to
one of them in ``claim_links`` (corroborates, disputes, qualifies, repeats), with its
claimant, joined to the claim it is about by a line whose colour, style and end mark say
the relation (style.ENCODING: corroborates as "supports", disputes as "hostile",
qualifies as "mediator", repeats as "neutral").
"""
from __future__ import annotations

from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..util import isna
from .layout import source_line_height, text_width, wrap
from .. import citations, dates, style

CLAIMANT = "rezaee"
RELATIONS = ("corroborates", "qualifies", "disputes", "repeats")
RELATION_STYLE = {"corroborates": "supports", "disputes": "hostile", "qualifies": "mediator",
                  "repeats": "neutral"}
NAME_FONT = 8.5
TEXT_FONT = 7.5
LINE = 1.28  # line height, in font sizes
PAD = 0.07  # inches inside a box
MARGIN = 0.12
CHAIN_GAP = 0.32
COLUMN_GAP = 0.42
LEFT_RELATIONS = ("corroborates",)  # drawn left of the speaker's claims; the others right
MAX_PER_ROW = 5

def _actor(actors, actor_id):
    if actors is None or isna(actor_id) or actor_id not in actors.index:
        return None
    return actors.loc[actor_id]


def _source_name(row, actors) -> str:
    a = _actor(actors, row["actor_id"])
    if a is not None:
        return str(a["name"])
    for col in ("author", "publisher", "title"):
        if not isna(row[col]):
            return str(row[col])
    return str(row.name)


def _grade(row) -> str:
    grade = f"{row['reliability']}{'' if isna(row['credibility']) else int(row['credibility'])}"
    return f"{str(row['status']).replace('_', ' ')}, grade {grade}"


class _Block:
    """A box of text lines: (text, size, weight, colour) each, wrapped to a width."""

    def __init__(self, width: float):
        self.width = width
        self.lines: list[tuple[str, float, str, str]] = []
        self.tails: dict[int, tuple[str, str, float]] = {}

    def add(self, text, size=TEXT_FONT, weight="normal", colour=style.BLACK):
        for line in wrap(text, self.width - 2 * PAD, size, weight == "bold"):
            self.lines.append((line, size, weight, colour))
        return self

    def add_pair(self, head, tail, size=TEXT_FONT, colour="#444444"):
        """A bold head and a lighter tail on one line where both fit, else on two."""
        room = self.width - 2 * PAD
        if text_width(head, size, True) + text_width(" " + tail, size) <= room:
            self.lines.append((head, size, "bold", style.BLACK))
            self.tails[len(self.lines) - 1] = (" " + tail, colour, text_width(head, size, True))
            return self
        return self.add(head, size, "bold").add(tail, size, colour=colour)

    @property
    def height(self) -> float:
        return sum(s * LINE / 72 for _, s, _, _ in self.lines) + 2 * PAD

    def draw(self, ax, x, y_top, gid, edge=style.BLACK, face="white", lw=0.9, ls="-"):
        box = FancyBboxPatch((x, y_top - self.height), self.width, self.height,
                             boxstyle="round,pad=0,rounding_size=0.05", facecolor=face, edgecolor=edge,
                             linewidth=lw, linestyle=ls, zorder=3)
        box.set_gid(gid)
        ax.add_patch(box)
        y = y_top - PAD
        for i, (text, size, weight, colour) in enumerate(self.lines):
            ax.text(x + PAD, y, text, ha="left", va="top", fontsize=size, fontweight=weight, color=colour,
                    zorder=4, gid=f"{gid}:line{i}")
            if i in self.tails:
                tail, tail_colour, offset = self.tails[i]
                ax.text(x + PAD + offset, y, tail, ha="left", va="top", fontsize=size, color=tail_colour,
                        zorder=4, gid=f"{gid}:tail{i}")
            y -= size * LINE / 72
        return (x, y_top - self.height, x + self.width, y_top)


def _heading(blocks) -> str:
    """'Linked claims: corroborates (6)': what a side column holds."""
    rels: list[str] = []
    for _, _, rel, _ in blocks:
        if rel not in rels:
            rels.append(rel)
    return f"Linked claims: {', '.join(rels)} ({len(blocks)})" if blocks else ""


def _chain(first_source: str, by_id) -> list[str]:
    seen: list[str] = []
    sid = first_source
    while sid is not None and sid in by_id.index and sid not in seen:
        seen.append(sid)
        nxt = by_id.loc[sid, "via_source_id"]
        sid = None if isna(nxt) else str(nxt)
    return seen


def claim_chain(t):
    claims = t.claims
    sources = t.sources.set_index("source_id")
    actors = t["actors"].set_index("actor_id") if "actors" in t else None
    links = t["claim_links"] if "claim_links" in t else None

    own = claims[claims["claimant_id"] == CLAIMANT]
    speaker = _actor(actors, CLAIMANT)
    speaker_name = str(speaker["name"]) if speaker is not None else CLAIMANT

    # The chain: from the source most of the speaker's claims are made in.
    counts: dict[str, int] = {}
    for s in own["source_id"]:
        counts[str(s)] = counts.get(str(s), 0) + 1
    chains = {s: _chain(s, sources) for s in sorted(counts)}
    main = min(chains, key=lambda s: (-counts[s], -len(chains[s]), s)) if chains else None
    chain = chains.get(main, [])

    # The links touching the speaker's claims.
    own_ids = list(own["claim_id"])
    by_claim = claims.set_index("claim_id")
    linked = []  # (own claim id, other claim id, relation, reversed, link row)
    if links is not None:
        for _, ln in links.iterrows():
            a, b = str(ln["claim_id"]), str(ln["target_claim_id"])
            if b in own_ids and a not in own_ids and a in by_claim.index:
                linked.append((b, a, str(ln["relation"]), False, ln))
            elif a in own_ids and b not in own_ids and b in by_claim.index:
                linked.append((a, b, str(ln["relation"]), True, ln))
    rel_order = {r: i for i, r in enumerate(RELATIONS)}
    linked.sort(key=lambda x: (own_ids.index(x[0]), rel_order.get(x[2], 99), x[2], x[1]))

    # Layout, in inches, top down.
    usable = style.WIDTH - 2 * MARGIN
    n_chain = 1 + len(chain)
    per_row = min(n_chain, MAX_PER_ROW)
    box_w = (usable - (per_row - 1) * CHAIN_GAP) / per_row
    blocks = []
    sb = _Block(box_w).add("speaker", TEXT_FONT, colour="#444444").add(speaker_name, NAME_FONT, "bold")
    if speaker is not None and not isna(speaker["office"]):
        when = ""
        if not isna(speaker["office_start"]):
            end = "" if isna(speaker["office_end"]) else str(speaker["office_end"])[:4]
            when = f" ({str(speaker['office_start'])[:4]}–{end})"
        sb.add(f"{speaker['office']}{when}")
    blocks.append((f"chain:0:{CLAIMANT}", sb))
    for i, sid in enumerate(chain, start=1):
        row = sources.loc[sid]
        a = _actor(actors, row["actor_id"])
        role = str(a["role"]) if a is not None else str(row["kind"]).replace("_", " ")
        b = _Block(box_w).add(role, TEXT_FONT, colour="#444444").add(_source_name(row, actors), NAME_FONT, "bold")
        b.add(f"{str(row['kind']).replace('_', ' ')}, {dates.label(row['date'], row['date_precision'])}")
        blocks.append((f"chain:{i}:{sid}", b))
    rows = [blocks[i:i + per_row] for i in range(0, len(blocks), per_row)]
    row_h = [max(b.height for _, b in r) for r in rows]

    col_w = (usable - 2 * COLUMN_GAP) / 3
    xs = {"left": MARGIN, "centre": MARGIN + col_w + COLUMN_GAP, "right": MARGIN + 2 * (col_w + COLUMN_GAP)}
    own_blocks = []
    for _, c in own.iterrows():
        b = _Block(col_w).add(str(c["paraphrase"]))
        b.add(_grade(c), colour="#444444")
        if str(c["source_id"]) != main and str(c["source_id"]) in sources.index:
            b.add(f"made in: {citations.short(sources.loc[str(c['source_id'])])}", colour="#444444")
        own_blocks.append((c["claim_id"], b))
    side_blocks = {"left": [], "right": []}
    for own_id, other_id, rel, rev, ln in linked:
        c = by_claim.loc[other_id]
        who = _actor(actors, c["claimant_id"])
        name = str(who["name"]) if who is not None else str(c["claimant_id"])
        head = rel if not rev else f"({speaker_name}'s claim {rel} this)"
        b = _Block(col_w).add(name, TEXT_FONT, "bold").add(f"{head} · {_grade(c)}", colour="#444444")
        b.add(str(c["paraphrase"]))
        side = "left" if rel in LEFT_RELATIONS else "right"
        side_blocks[side].append((other_id, own_id, rel, b))

    # Sources: the chain, the claims and the links drawn.
    source_ids = list(chain)
    drawn = claims[claims["claim_id"].isin(own_ids + [o for _, o, _, _, _ in linked])]
    for s in citations.source_ids_of(drawn, ("source_id",)):
        if s not in source_ids:
            source_ids.append(s)
    for *_, ln in linked:
        if not isna(ln["source_id"]) and str(ln["source_id"]) not in source_ids:
            source_ids.append(str(ln["source_id"]))
    tables = (["sources", "claims"] + (["claim_links"] if links is not None else [])
              + (["actors"] if actors is not None else []))
    line = citations.source_line(t.sources, source_ids, tables=tables)

    gap = 0.08
    head_h = 0.42
    chain_h = sum(row_h) + 0.25 * (len(rows) - 1)
    # The side columns stack from the top; each of the speaker's claims sits level with
    # the claims linked to it.
    tops = {"left": [], "right": []}
    side_h = {}
    for side in ("left", "right"):
        y = 0.0
        for *_, b in side_blocks[side]:
            tops[side].append(y)
            y += b.height + gap
        side_h[side] = max(y - gap, 0)
    own_tops, prev_bottom = [], 0.0
    for cid, b in own_blocks:
        centres = [tops[side][i] + blk[3].height / 2 for side in ("left", "right")
                   for i, blk in enumerate(side_blocks[side]) if blk[1] == cid]
        want = (sum(centres) / len(centres) - b.height / 2) if centres else prev_bottom
        top = max(want, prev_bottom)
        own_tops.append(top)
        prev_bottom = top + b.height + gap
    body_h = max(prev_bottom - gap, side_h["left"], side_h["right"], 0.3)
    legend_h = 0.35
    top_in, bottom_in = 0.45, 0.25 + source_line_height(line)
    height = top_in + chain_h + 0.3 + head_h + body_h + legend_h + bottom_in

    fig = style.new_figure(height)
    with style.rc():
        ax = fig.add_axes([0, 0, 1, 1])
        ax.set_xlim(0, style.WIDTH)
        ax.set_ylim(0, height)
        ax.set_axis_off()

        # The chain.
        y_top = height - top_in
        rects = []
        for r, h in zip(rows, row_h):
            for j, (gid, b) in enumerate(r):
                x = MARGIN + j * (box_w + CHAIN_GAP)
                rect = b.draw(ax, x, y_top - (h - b.height) / 2, gid,
                              face="#F2F2F2" if gid.startswith("chain:0:") else "white", lw=1.1)
                rects.append(rect)
            y_top -= h + 0.25
        for a, b in zip(rects, rects[1:]):
            if abs(a[1] - b[1]) < 1e-6 or abs(a[3] - b[3]) < 1e-6 or a[2] < b[0]:
                start, end = (a[2], (a[1] + a[3]) / 2), (b[0], (b[1] + b[3]) / 2)
            else:  # next row: down from the right end to the left start
                start, end = ((a[0] + a[2]) / 2, a[1]), ((b[0] + b[2]) / 2, b[3])
            ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=style.BLACK,
                                         linewidth=1.2, shrinkA=1, shrinkB=1, zorder=2))

        # Column heads (wrapped to the column).
        body_top = height - top_in - chain_h - 0.3
        heads = {
            "left": _heading(side_blocks["left"]),
            "centre": f"Claims made by {speaker_name} ({len(own)})",
            "right": _heading(side_blocks["right"]),
        }
        for side, text in heads.items():
            if not text:
                continue
            wrapped = wrap(text, col_w, 8.5, True)
            ax.text(xs[side] + (col_w / 2 if side == "centre" else 0), body_top - head_h + 0.06,
                    "\n".join(wrapped), ha="center" if side == "centre" else "left", va="bottom",
                    fontsize=8.5, fontweight="bold", linespacing=1.15, gid=f"head:{side}")
        body_top -= head_h

        own_rect = {}
        for (cid, b), top in zip(own_blocks, own_tops):
            own_rect[cid] = b.draw(ax, xs["centre"], body_top - top, f"claim:{cid}", face="#F2F2F2", lw=1.1)
        used_rel = []
        for side in ("left", "right"):
            arrivals: dict[str, list] = {}
            for i, blk in enumerate(side_blocks[side]):
                arrivals.setdefault(blk[1], []).append(i)
            for i, ((oid, cid, rel, b), top) in enumerate(zip(side_blocks[side], tops[side])):
                colour, ls, marker, _ = style.ENCODING[RELATION_STYLE.get(rel, "neutral")]
                rect = b.draw(ax, xs[side], body_top - top, f"linked:{oid}", edge=colour, lw=1.1,
                              ls="-" if ls == "-" else (0, (4, 2)))
                target = own_rect[cid]
                slots = arrivals[cid]
                k = slots.index(i)
                ty = target[3] - (k + 1) * (target[3] - target[1]) / (len(slots) + 1)
                sy = (rect[1] + rect[3]) / 2
                sx, tx = (rect[2], target[0] - 0.02) if side == "left" else (rect[0], target[2] + 0.02)
                link = Line2D([sx, tx], [sy, ty], color=colour, linestyle=ls, linewidth=1.5, zorder=2,
                              gid=f"link:{oid}->{cid}:{rel}")
                ax.add_line(link)
                step = 0.08 / max(abs(tx - sx), 1e-6)
                ax.plot([sx + (tx - sx) * step], [sy + (ty - sy) * step], marker=marker, markersize=6,
                        color=colour, markerfacecolor=colour, linestyle="none", zorder=3)
                if rel not in used_rel:
                    used_rel.append(rel)
        if not linked:
            ax.text(xs["right"], body_top - 0.05, "No claim in claim_links refers to these claims.",
                    ha="left", va="top", fontsize=TEXT_FONT, color="#444444")

        handles, labels = [], []
        for rel in sorted(used_rel, key=lambda r: (rel_order.get(r, 99), r)):
            colour, ls, marker, _ = style.ENCODING[RELATION_STYLE.get(rel, "neutral")]
            handles.append(Line2D([], [], color=colour, linestyle=ls, linewidth=1.5, marker=marker, markersize=6))
            labels.append(rel)
        handles.append(Line2D([], [], color=style.BLACK, linewidth=1.2, marker=">", markersize=6))
        labels.append("reached the reader through (sources.via_source_id)")
        fig.legend(handles, labels, loc="lower left", ncol=len(handles), fontsize=8,
                   bbox_to_anchor=(MARGIN / style.WIDTH, (bottom_in - 0.02) / height), borderaxespad=0,
                   handlelength=2.6, columnspacing=1.2)

    other_blocks = side_blocks["left"] + side_blocks["right"]
    names = [speaker_name] + [_source_name(sources.loc[s], actors) for s in chain]
    by_rel: dict[str, int] = {}
    for _, _, rel, _ in other_blocks:
        by_rel[rel] = by_rel.get(rel, 0) + 1
    rel_text = ", ".join(f"{by_rel[r]} {r}" for r in sorted(by_rel, key=lambda r: (rel_order.get(r, 99), r)))
    said = sorted(str(v)[:4] for v in own.loc[own["source_id"] == main, "said_date"] if not isna(v))
    if not said and main and not isna(sources.loc[main, "date"]):
        said = [str(sources.loc[main, "date"])[:4]]
    year = said[0] if said else ""
    alt = (f"Chain of transmission in {len(names)} steps ({' → '.join(names)}), with the {len(own)} claims "
           f"{speaker_name} made and {len(other_blocks)} claims linked to them"
           + (f" ({rel_text})." if rel_text else "."))
    title = f"How {speaker_name}'s {year + ' ' if year else ''}claim reached the reader"
    return style.finish(fig, title=title, alt=alt, source_line=line, source_ids=source_ids)
