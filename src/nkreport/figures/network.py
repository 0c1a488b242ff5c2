"""Figure: the actors and the relations the sources attribute to them, as a network.

An edge runs from a claim's subject to the actor its stance is toward, for every claim of
type official_position, alleged_position or action that has a stance and a toward_id.
Claims with the same subject, target, stance and basis are drawn as one edge, labelled
with who makes them.

- Basis, by line style: solid for an official position (or an action whose status is
  official_statement or confirmed), dashed for an alleged position (or an action not
  confirmed). This is the distinction the report is about: what an actor says it does,
  against what others say it does.
- Stance, by colour and marker shape (style.ENCODING), with a legend; where two stances
  share colour and marker, the second is drawn hollow.

The layout is fixed and deterministic: the parties and the regional powers have
hand-chosen places (Armenia and Azerbaijan either side of the centre, Nagorno-Karabakh
between, Russia above, Iran below, Turkey and the Western powers at the sides); any other
actor takes a free place on an outer ellipse, in sorted order, near the actors it is
linked to. Curvature is chosen so that edges go round the boxes of other actors.
"""
from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Polygon

from ..util import isna
from .layout import keep_most, source_line_height, text_size
from .. import citations, derive, style

EDGE_TYPES = ("official_position", "alleged_position", "action")
CONFIRMED = ("official_statement", "confirmed")

# Layout in inches from the centre of the drawing area (a design choice).
FIXED = {
    "russia": (0.0, 2.55),
    "western-powers": (-2.9, 2.3),
    "armenia": (-1.95, 0.8),
    "nkr": (0.0, 0.35),
    "azerbaijan": (1.95, 0.8),
    "turkey": (2.9, 2.3),
    "iran": (0.0, -1.55),
}
HALF_W, HALF_H = 3.85, 2.95  # drawing area (inches): x in ±HALF_W, y in ±HALF_H
RINGS = ((3.1, 2.6), (2.5, 1.9))  # ellipses for actors without a fixed place
SLOTS = 48
MIN_EDGE = 1.25  # inches between an actor on the ellipse and any actor it is linked to
NODE_FONT = 9.0
NODE_PAD = 0.06
EDGE_FONT = 7.5
MAX_CLAIMANTS = 3
# Actors other than states, de facto states and blocs are drawn one by one up to this
# many; beyond it, those with the fewest claims are drawn as one node ("N other actors"),
# so the drawing stays legible however many people and groups the data name.
MAX_OTHER_NODES = 8
OTHERS = "_others"
FRACS = (0.5, 0.44, 0.56, 0.38, 0.62, 0.32, 0.68, 0.26, 0.74, 0.2, 0.8)
RADS = (0.0, 0.14, -0.14, 0.28, -0.28, 0.42, -0.42, 0.56, -0.56, 0.7, -0.7)
PARALLEL_STEP = 0.16
FILLSTYLES = ("full", "none", "left", "top")

def _short_name(actor_id: str, actors) -> str:
    """A claimant as an edge label shows it: a person's surname, else the name without
    its parenthesis."""
    if actors is None or actor_id not in actors.index:
        return actor_id
    row = actors.loc[actor_id]
    name = str(row["name"]).split(" (")[0].strip()
    if not isna(row.get("kind")) and row["kind"] == "person":
        return name.split()[-1]
    return name


def _full_name(actor_id: str, actors) -> str:
    if actors is None or actor_id not in actors.index:
        return actor_id
    return str(actors.loc[actor_id, "name"])


def _node_label(actor_id: str, actors) -> str:
    name = actor_id if actors is None or actor_id not in actors.index else str(actors.loc[actor_id, "name"])
    return "\n".join(textwrap.wrap(name, 18)) or actor_id


def _edges(claims):
    """Aggregated edges: one per (subject, toward, stance, basis), with their claims."""
    c = claims[claims["claim_type"].isin(EDGE_TYPES) & claims["stance"].notna() & claims["toward_id"].notna()]
    c = c[c["subject_id"] != c["toward_id"]]
    rows = []
    for _, r in c.iterrows():
        official = r["claim_type"] == "official_position" or (
            r["claim_type"] == "action" and r["status"] in CONFIRMED)
        rows.append((str(r["subject_id"]), str(r["toward_id"]), str(r["stance"]),
                     "official" if official else "alleged", r))
    edges: dict[tuple, list] = {}
    for s, tw, st, basis, r in rows:
        edges.setdefault((s, tw, st, basis), []).append(r)
    return {k: edges[k] for k in sorted(edges)}, c


def _fold(edges, actors):
    """Edges with the least-claimed actors outside derive.STATE_KINDS merged into one node
    (OTHERS) when there are more than MAX_OTHER_NODES of them. Returns (edges, folded
    actor ids, number of relations among folded actors, which cannot be drawn)."""
    def kind(n):
        return None if actors is None or n not in actors.index else actors.loc[n, "kind"]

    claims_of: dict[str, int] = {}
    for (s, tw, _, _), rows in edges.items():
        for n in (s, tw):
            claims_of[n] = claims_of.get(n, 0) + len(rows)
    others = sorted(n for n in claims_of if n not in FIXED and kind(n) not in derive.STATE_KINDS)
    _, folded = keep_most(others, claims_of.get, MAX_OTHER_NODES)
    if not folded:
        return edges, [], 0
    gone = set(folded)
    out: dict[tuple, list] = {}
    inner = 0
    for (s, tw, st, basis), rows in edges.items():
        s2, tw2 = (OTHERS if s in gone else s), (OTHERS if tw in gone else tw)
        if s2 == tw2:
            inner += 1
            continue
        out.setdefault((s2, tw2, st, basis), []).extend(rows)
    return {k: out[k] for k in sorted(out)}, folded, inner


def _bezier(p0, c, p1, n=60):
    tt = np.linspace(0, 1, n)[:, None]
    return (1 - tt) ** 2 * p0 + 2 * (1 - tt) * tt * c + tt**2 * p1


def _control(p0, p1, rad):
    d = p1 - p0
    return (p0 + p1) / 2 + rad * np.array([d[1], -d[0]])


def _inside(points, box, margin=0.0):
    (x0, y0, x1, y1) = box
    return ((points[:, 0] > x0 - margin) & (points[:, 0] < x1 + margin)
            & (points[:, 1] > y0 - margin) & (points[:, 1] < y1 + margin))


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _layout(nodes, neighbours, sizes):
    """Fixed places for the actors in FIXED; every other actor, in sorted order (those
    linked to placed actors first), takes the free place on one of two ellipses nearest
    to the actors it is linked to. A place is free when the actor's box overlaps no other
    box and stays inside the drawing area."""
    pos = {n: np.array(FIXED[n], dtype=float) for n in nodes if n in FIXED}

    def box(n, p):
        w, h = sizes[n]
        return (p[0] - w / 2 - 0.25, p[1] - h / 2 - 0.2, p[0] + w / 2 + 0.25, p[1] + h / 2 + 0.2)

    candidates = []
    for rx, ry in RINGS:
        for k in range(SLOTS):
            a = 2 * math.pi * k / SLOTS + math.pi / 2
            candidates.append(np.array([rx * math.cos(a), ry * math.sin(a)]))
    others = sorted(n for n in nodes if n not in FIXED)
    order = sorted(others, key=lambda n: (not any(m in pos for m in neighbours[n]), n))
    for n in order:
        placed = [pos[m] for m in sorted(neighbours[n]) if m in pos]
        target = np.mean(placed, axis=0) if placed else np.array([0.0, HALF_H])
        best = None
        for i, c in enumerate(candidates):
            b = box(n, c)
            if b[0] + 0.25 < -HALF_W or b[2] - 0.25 > HALF_W or b[1] + 0.2 < -HALF_H or b[3] - 0.2 > HALF_H:
                continue
            # Room for the edge to a linked actor to carry its mark.
            if any(np.hypot(*(c - pos[m])) < MIN_EDGE for m in neighbours[n] if m in pos):
                continue
            clash = sum(_overlap(b, box(m, pos[m])) for m in pos)
            score = (clash > 0, clash, round(float(np.hypot(*(c - target))), 6), i)
            if best is None or score < best[0]:
                best = (score, c)
        pos[n] = best[1] if best is not None else np.array([0.0, 0.0])
    return pos


def actor_network(t):
    claims = t.claims
    actors = t["actors"].set_index("actor_id") if "actors" in t else None
    edges, drawn_claims = _edges(claims)
    edges, folded, inner = _fold(edges, actors)

    nodes = sorted({k[0] for k in edges} | {k[1] for k in edges})
    neighbours: dict[str, set] = {n: set() for n in nodes}
    for s, tw, _, _ in edges:
        neighbours[s].add(tw)
        neighbours[tw].add(s)
    labels_of, sizes, weights, kinds = {}, {}, {}, {}
    for n in nodes:
        labels_of[n] = _node_label(n, actors) if n != OTHERS else f"{len(folded)} other actors\n(fewer claims)"
        kinds[n] = "others" if n == OTHERS else (None if actors is None or n not in actors.index else actors.loc[n, "kind"])
        weights[n] = "bold" if kinds[n] in ("state", "de_facto_state", "bloc") else "normal"
        w, h = text_size(labels_of[n], NODE_FONT, weights[n] == "bold")
        sizes[n] = (w + 2 * NODE_PAD, h + 2 * NODE_PAD)
    pos = _layout(nodes, neighbours, sizes)

    order = list(style.ENCODING)
    stances = sorted({k[2] for k in edges}, key=lambda s: (order.index(s) if s in order else len(order), s))
    glyph_seen: dict[tuple, int] = {}
    glyph = {}
    for s in stances:
        colour, _, marker, _ = style.ENCODING.get(s, (style.GREY, "-", "o", ""))
        k = glyph_seen.get((colour, marker), 0)
        glyph_seen[(colour, marker)] = k + 1
        glyph[s] = (colour, marker, FILLSTYLES[k % len(FILLSTYLES)])

    # The claimant most edges share is named once, in the legend, not on every edge.
    per_claimant: dict[str, int] = {}
    def _others_claimants(rows):
        """Who makes an edge's claims, but for the actors speaking of themselves."""
        return sorted({str(r["claimant_id"]) for r in rows if str(r["claimant_id"]) != str(r["subject_id"])})

    for rows in edges.values():
        for c in _others_claimants(rows):
            per_claimant[c] = per_claimant.get(c, 0) + 1
    default = min(per_claimant, key=lambda c: (-per_claimant[c], c)) if per_claimant else None
    if default is not None and per_claimant[default] < 3:
        default = None

    legend_rows = 2 if len(stances) + 2 > 6 else 1
    legend_h = 0.35 + 0.24 * legend_rows
    cited = drawn_claims.loc[[r.name for rows in edges.values() for r in rows]] if edges else drawn_claims
    source_ids = citations.source_ids_of(cited, ("source_id",))
    tables = ["claims"] + (["actors"] if actors is not None else [])
    line = citations.source_line(t.sources, source_ids, tables=tables)
    top_h, bottom_h = 0.3, 0.3 + legend_h + source_line_height(line)
    height = 2 * HALF_H + top_h + bottom_h
    fig = style.new_figure(height)
    with style.rc():
        ax = fig.add_axes([(style.WIDTH / 2 - HALF_W) / style.WIDTH, bottom_h / height,
                           2 * HALF_W / style.WIDTH, 2 * HALF_H / height])
        ax.set_xlim(-HALF_W, HALF_W)
        ax.set_ylim(-HALF_H, HALF_H)
        ax.set_axis_off()

        # Nodes: a box per actor, sized to its name.
        boxes = {}
        for n in nodes:
            label, kind, weight = labels_of[n], kinds[n], weights[n]
            w, h = sizes[n][0] - 2 * NODE_PAD, sizes[n][1] - 2 * NODE_PAD
            pad = NODE_PAD
            x, y = pos[n]
            boxes[n] = (x - w / 2 - pad, y - h / 2 - pad, x + w / 2 + pad, y + h / 2 + pad)
            patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=f"round,pad={pad}",
                                   facecolor="white" if kind != "person" else "#F2F2F2",
                                   edgecolor=style.BLACK if weight == "bold" else style.GREY,
                                   linewidth=1.2 if weight == "bold" else 0.8,
                                   linestyle={"de_facto_state": "--", "others": ":"}.get(kind, "-"), zorder=4)
            patch.set_gid(f"nodebox:{n}")
            ax.add_patch(patch)
            ax.text(x, y, label, ha="center", va="center", fontsize=NODE_FONT, fontweight=weight,
                    linespacing=1.2, zorder=5, gid=f"node:{n}")

        # Curvature per pair of actors: parallel edges fan out; the whole fan bends away from
        # other actors' boxes.
        pairs: dict[tuple, list] = {}
        for key in edges:
            pairs.setdefault(tuple(sorted(key[:2])), []).append(key)
        curves = {}
        for (a, b), keys in sorted(pairs.items()):
            p0, p1 = pos[a], pos[b]
            n = len(keys)
            offsets = [(i - (n - 1) / 2) * PARALLEL_STEP for i in range(n)]
            others = [boxes[m] for m in nodes if m not in (a, b)]
            best = None
            for base in RADS:
                hits = inside = 0
                for off in offsets:
                    pts = _bezier(p0, _control(p0, p1, base + off), p1)
                    for box in others:
                        n_in = int(_inside(pts, box, 0.05).sum())
                        hits += n_in > 0
                        inside += n_in
                    hits += int(not _inside(pts, (-HALF_W, -HALF_H, HALF_W, HALF_H), -0.05).all())
                # Fewest actors crossed, then the least length inside them, then the straightest.
                score = (hits, inside, abs(base))
                if best is None or score < best[0]:
                    best = (score, base)
                if hits == 0:
                    break
            for key, off in zip(keys, offsets):
                pts = _bezier(p0, _control(p0, p1, best[1] + off), p1, n=120)
                if key[0] != a:
                    pts = pts[::-1]
                # Trim to the boxes' edges.
                start, end = boxes[key[0]], boxes[key[1]]
                keep = ~_inside(pts, start, 0.03) & ~_inside(pts, end, 0.06)
                idx = np.flatnonzero(keep)
                curves[key] = pts[idx[0]: idx[-1] + 1] if len(idx) >= 2 else pts

        # Edges, with solid arrow heads whatever the line style.
        n_official = n_alleged = 0
        for key, pts in curves.items():
            s, tw, stance, basis = key
            colour = glyph[stance][0]
            ls = "-" if basis == "official" else (0, (4, 2.5))
            edge_line = Line2D(pts[:, 0], pts[:, 1], color=colour, linewidth=1.6, linestyle=ls,
                          solid_capstyle="butt", dash_capstyle="butt", zorder=2)
            edge_line.set_gid(f"edge:{s}->{tw}:{stance}:{basis}")
            ax.add_line(edge_line)
            n_official += basis == "official"
            n_alleged += basis == "alleged"
            tip, back = pts[-1], pts[-6] if len(pts) > 6 else pts[0]
            d = tip - back
            d = d / (np.hypot(*d) or 1)
            normal = np.array([-d[1], d[0]])
            head = np.array([tip, tip - 0.13 * d + 0.05 * normal, tip - 0.13 * d - 0.05 * normal])
            ax.add_patch(Polygon(head, closed=True, facecolor=colour, edgecolor=colour, linewidth=0.5, zorder=3))

        # Edge marks: a stance glyph on every edge; beside it, on a white ground, who makes
        # the claims, unless the only claimant is the one most edges share (named once in the
        # legend). Each goes at the first place along its edge that covers no actor and no
        # other mark.
        placed = list(boxes.values())

        def _named(key):
            """Claimants an edge's label names: all but the default and the subject itself."""
            return [c for c in _others_claimants(edges[key]) if c != default]

        gw = 0.075  # half the size of a glyph's box (inches)
        area = (-HALF_W, -HALF_H, HALF_W, HALF_H)

        def _outside(box):
            return (max(0.0, area[0] - box[0]) + max(0.0, box[2] - area[2])
                    + max(0.0, area[1] - box[1]) + max(0.0, box[3] - area[3]))

        # Edges with a label first: glyph (on the line) and label (beside it) are placed
        # together at the first spot along the edge where they cover no actor, glyph or
        # label; then the glyph-only edges fit in around them.
        for key in sorted(curves, key=lambda k: (not _named(k), k)):
            pts = curves[key]
            s, tw, stance, basis = key
            colour, marker, fill = glyph[stance]
            named = _named(key)
            names = list(dict.fromkeys(_short_name(c, actors) for c in named))[:MAX_CLAIMANTS]
            text = ""
            if names:
                claimants = {str(r["claimant_id"]) for r in edges[key]}
                text = ", ".join(names)
                more = len(claimants) - sum(_short_name(c, actors) in names for c in named)
                text += f" +{more}\u00a0more" if more else ""
                text = "\n".join(textwrap.wrap(text, 30))
                w, h = text_size(text, EDGE_FONT)
                w, h = w + 0.08, h + 0.04
            best = None
            for frac in FRACS:
                cx, cy = pts[int(frac * (len(pts) - 1))]
                gbox = (cx - gw, cy - gw, cx + gw, cy + gw)
                gcost = sum(_overlap(gbox, o) for o in placed)
                if not text:
                    options = [None]
                else:
                    options = [(cx + gw + 0.01, cy - h / 2), (cx - gw - 0.01 - w, cy - h / 2),
                               (cx - w / 2, cy + gw + 0.01), (cx - w / 2, cy - gw - 0.01 - h),
                               (cx + gw + 0.01, cy + gw * 0.3), (cx + gw + 0.01, cy - gw * 0.3 - h),
                               (cx - gw - 0.01 - w, cy + gw * 0.3), (cx - gw - 0.01 - w, cy - gw * 0.3 - h)]
                for opt in options:
                    lbox = None if opt is None else (opt[0], opt[1], opt[0] + w, opt[1] + h)
                    cost = gcost + (0 if lbox is None else sum(_overlap(lbox, o) for o in placed) + _outside(lbox))
                    if best is None or cost < best[0] - 1e-12:
                        best = (cost, gbox, lbox, cx, cy)
                    if cost == 0:
                        break
                if best[0] == 0:
                    break
            _, gbox, lbox, cx, cy = best
            placed.append(gbox)
            ax.add_patch(FancyBboxPatch((cx - gw * 0.9, cy - gw * 0.9), 1.8 * gw, 1.8 * gw,
                                        boxstyle="round,pad=0,rounding_size=0.03", facecolor="white",
                                        edgecolor="none", zorder=6))
            ax.plot([cx], [cy], marker=marker, markersize=6, color=colour,
                    markerfacecolor=colour if fill == "full" else "white", fillstyle=fill,
                    markeredgewidth=1.3, linestyle="none", zorder=7, gid=f"stance:{s}->{tw}:{stance}:{basis}")
            if lbox is not None:
                placed.append(lbox)
                ax.add_patch(FancyBboxPatch((lbox[0], lbox[1]), lbox[2] - lbox[0], lbox[3] - lbox[1],
                                            boxstyle="round,pad=0,rounding_size=0.04", facecolor="white",
                                            edgecolor=colour, linewidth=0.6, zorder=6))
                ax.text(lbox[0] + 0.04, (lbox[1] + lbox[3]) / 2, text, ha="left", va="center",
                        fontsize=EDGE_FONT, zorder=7, linespacing=1.2, gid=f"edgelabel:{s}->{tw}:{stance}:{basis}")

        # Legend: basis by line style, stance by colour and glyph.
        handles = [Line2D([], [], color=style.BLACK, linewidth=1.6, linestyle="-"),
                   Line2D([], [], color=style.BLACK, linewidth=1.6, linestyle=(0, (4, 2.5)))]
        labels = ["official position, or action confirmed", "alleged position, or action not confirmed"]
        for st in stances:
            colour, marker, fill = glyph[st]
            handles.append(Line2D([], [], color=colour, marker=marker, markersize=6, linewidth=1.6,
                                  markerfacecolor=colour if fill == "full" else "white", fillstyle=fill,
                                  markeredgewidth=1.3))
            labels.append(st.replace("_", " "))
        ncol = math.ceil(len(handles) / legend_rows) if legend_rows > 1 else len(handles)
        fig.legend(handles[:2], labels[:2], loc="upper left", ncol=2, fontsize=8,
                   bbox_to_anchor=(0.02, (bottom_h - 0.08) / height), handlelength=3.2, borderaxespad=0)
        fig.legend(handles[2:], labels[2:], loc="upper left", ncol=min(5, max(1, len(handles) - 2)), fontsize=8,
                   bbox_to_anchor=(0.02, (bottom_h - 0.36) / height), handlelength=2.0, borderaxespad=0,
                   title=("stance (colour and mark); label: who makes the claim"
                          + (f" (no label: {_full_name(default, actors)}, or the actor itself)" if default
                             else " (no label: the actor itself)")), title_fontsize=8,
                   alignment="left")

    n_claims = sum(len(v) for v in edges.values())
    fold = (f"; the {len(folded)} with the fewest claims are drawn as one node"
            + (f" ({inner} relations among them not drawn)" if inner else "") if folded else "")
    n_actors = len(nodes) - (1 if folded else 0) + len(folded)
    alt = (f"Network of {n_actors} actors joined by {len(edges)} relations drawn from {n_claims} claims: "
           f"{n_official} official (solid) and {n_alleged} alleged (dashed), "
           f"stances: {', '.join(s.replace('_', ' ') for s in stances) or 'none'}{fold}.")
    return style.finish(fig, title="Actors and their relations, official and alleged", alt=alt,
                        source_line=line, source_ids=source_ids)
