"""Official versus alleged positions: actors against their stance toward the parties.

"""
from __future__ import annotations

from matplotlib.patches import Rectangle

from .. import citations, derive, style
from .layout import BODY, BOTTOM, SMALL, TOP, inch_axes, keep_most, line_height, name_list, put_lines, text_width, tint, wrap

def encoding(stance, basis: str = "official"):
    """(colour, hatch) of a stance; an alleged 'supports' uses the alleged-support look;
    no stance (a claim that only disputes another's stance) is white."""
    if derive.isna(stance):
        return style.WHITE, ""
    key = "alleged_support" if (stance == "supports" and basis == "alleged") else str(stance)
    colour, _ls, _marker, hatch = style.ENCODING.get(key, (style.GREY, "-", "o", ""))
    return colour, hatch


def swatch_patch(x, y, stance, basis="official", w=0.28, h=0.15, **kw):
    colour, hatch = encoding(stance, basis)
    plain = colour == style.WHITE
    return Rectangle((x, y), w, h, facecolor=style.WHITE if plain else tint(colour, 0.45), hatch=hatch,
                     hatchcolor=style.GREY if plain else colour, edgecolor=style.GREY, linewidth=0.4, **kw)


def _item_width(item) -> float:
    swatches, text = item
    return 0.2 * len(swatches) + 0.1 + text_width(text, SMALL) + 0.3


def legend_flow_height(width: float, items) -> float:
    """Height of :func:`legend_flow`'s output, for sizing the figure first."""
    x, lines = 0.0, 1
    for item in items:
        w = _item_width(item)
        if x and x + w > width:
            x, lines = 0.0, lines + 1
        x += w
    return lines * 0.22 if items else 0.0


def legend_flow(ax, x0: float, y: float, width: float, items) -> float:
    """Legend items (swatches, text) laid out left to right, wrapping; returns the y below.
    ``swatches`` is a list of (stance, basis)."""
    x = 0.0
    for swatches, text in items:
        w = _item_width((swatches, text))
        if x and x + w > width:
            x, y = 0.0, y + 0.22
        for m, (stance, basis) in enumerate(swatches):
            ax.add_patch(swatch_patch(x0 + x + m * 0.2, y, stance, basis, w=0.17))
        ax.text(x0 + x + 0.2 * len(swatches) + 0.05, y + 0.075, text, ha="left", va="center", fontsize=SMALL)
        x += w
    return y + (0.22 if items else 0.0)


def _legend_items(keys):
    items = []
    for key, stance in keys:
        if key == "supports":
            items.append(([(stance, "official"), (stance, "alleged")], "supports (plain: official; hatched: alleged)"))
        elif key == "not":
            items.append(([(None, "alleged")], "disputes another claim's stance"))
        elif key == "other":
            items.append(([(None, "alleged")], "no stance coded (the claim's paraphrase)"))
        else:
            items.append(([(stance, "official")], derive.stance_label(stance)))
    return items


# ---------------------------------------------------------------------------
# The positions matrix


def _bands(cell):
    """The stance bands of one cell, in the vocabulary's order: [(key, stance, label,
    names, claim_ids)]. A claimant's name carries '*' when one of its claims is disputed;
    the label carries '†' when the stance names no party (see derive.positions_by_party).
    ``names`` is a tuple; the figure names a few of them (layout.name_list)."""
    order = {s: i for i, s in enumerate(style.ENCODING)}
    bands: dict[str, dict] = {}
    for _, r in cell.iterrows():
        if not derive.isna(r["stance"]):
            key = r["stance"]
        else:  # 'not': disputes another claim's stance; 'other': no stance, its paraphrase
            key = "not" if not derive.isna(r["negates"]) else "other"
        b = bands.setdefault(key, {"stance": None if key in ("not", "other") else r["stance"], "labels": [],
                                   "names": {}, "ids": [], "inferred": False})
        b["labels"].append(derive.position_text(r))
        who = r["claimant_short"]
        b["names"][who] = b["names"].get(who, False) or bool(r["disputed"])
        b["ids"].append(r["claim_id"])
        b["inferred"] = b["inferred"] or bool(r.get("toward_inferred", False))
    out = []
    for key, b in bands.items():
        names = tuple(n + ("*" if d else "") for n, d in b["names"].items())
        label = "; ".join(dict.fromkeys(b["labels"])) + ("†" if b["inferred"] else "")
        out.append((key, b["stance"], label, names, tuple(b["ids"])))
    out.sort(key=lambda x: (order.get(x[0], len(order)), x[0]))
    return out


MAX_ROWS = 8  # actors drawn one per row; beyond, the least-documented share a row
OTHERS = "_others"


def matrix_data(t) -> dict:
    """What the matrix draws, from :func:`derive.positions_by_party`: ``rows`` (actors of
    the matrix's roles with at least one position toward a party other than itself),
    ``omitted`` (those with none), ``cols`` (the party states), ``drawn`` (the positions
    drawn) and ``cells`` {(subject, party, basis): [band, ...]}, band as :func:`_bands`.

    With more than MAX_ROWS such actors, those with the fewest positions (``folded``)
    share one last row, OTHERS, whose cells hold all their positions."""
    pos = derive.positions(t)
    cols = derive.party_states(t, pos)
    by_party = derive.positions_by_party(t, pos)
    by_party = by_party[by_party["subject_id"] != by_party["toward_id"]]
    actors = derive.position_actors(t)
    rows = [a for a in actors if (by_party["subject_id"] == a).any()]
    omitted = [a for a in actors if a not in rows]
    drawn = by_party[by_party["subject_id"].isin(rows)]
    count = drawn["subject_id"].value_counts()
    rows, folded = keep_most(rows, lambda a: int(count.get(a, 0)), MAX_ROWS)
    rows += [OTHERS] if folded else []
    cells = {}
    for s in rows:
        subjects = folded if s == OTHERS else [s]
        for c in cols:
            for basis in ("official", "alleged"):
                mine = drawn[drawn["subject_id"].isin(subjects) & (drawn["toward_id"] == c) & (drawn["basis"] == basis)]
                cells[(s, c, basis)] = _bands(mine)
    return {"rows": rows, "cols": cols, "omitted": omitted, "drawn": drawn, "cells": cells, "folded": folded}


def matrix_cells(t) -> dict:
    """{(subject, party, basis): [band, ...]}: the cells of :func:`matrix_data`."""
    return matrix_data(t)["cells"]


def positions_matrix(t):
    """Actors (rows) against their stance toward each party state, official and alleged
    side by side; each cell holds one band per stance, coloured and hatched, labelled,
    with the claimant(s); '*' marks a claim another claim disputes."""
    m = matrix_data(t)
    rows, cols, cells, drawn = m["rows"], m["cols"], m["cells"], m["drawn"]
    names = t.actors.set_index("actor_id")

    W = style.WIDTH
    left, right = 0.1, 0.1
    label_w = 1.35
    gap = 0.05
    n_sub = max(2 * len(cols), 1)
    col_w = (W - left - right - label_w - gap * n_sub) / n_sub
    swatch = 0.2
    text_w = col_w - swatch - 0.1
    pad = 0.05

    # Lay out every cell's text first, to size the rows.
    layout = {}
    row_h = {}
    folded = m["folded"]

    def row_name(s) -> str:
        return f"{len(folded)} other actors" if s == OTHERS else str(names.loc[s, "name"])

    def row_role(s) -> str:
        return "fewest positions (named below)" if s == OTHERS else derive.stance_label(names.loc[s, "role"])

    for s in rows:
        label_lines = wrap(row_name(s), label_w - 0.05, BODY, bold=True)
        role_lines = wrap(row_role(s), label_w - 0.05, SMALL)
        h = len(label_lines) * line_height(BODY) + len(role_lines) * line_height(SMALL)
        for c in cols:
            for basis in ("official", "alleged"):
                bands = []
                for key, stance, label, who, ids in cells[(s, c, basis)]:
                    lab = wrap(label, text_w, SMALL, bold=True)
                    nam = wrap(name_list(who, width=text_w), text_w, SMALL)
                    bh = (len(lab) + len(nam)) * line_height(SMALL) + 2 * pad
                    bands.append((key, stance, lab, nam, bh))
                layout[(s, c, basis)] = bands
                h = max(h, sum(b[4] for b in bands) + 0.02 * max(len(bands) - 1, 0))
        row_h[s] = max(h, 0.34) + 0.08

    head_h = 0.5
    legend_keys = []
    for bands in layout.values():
        for key, stance, *_ in bands:
            legend_keys.append((key, stance))
    order = {k: i for i, k in enumerate(style.ENCODING)}
    legend_keys = sorted(dict.fromkeys(legend_keys), key=lambda k: (order.get(k[0], len(order)), k[0]))
    notes = ["* disputed: another claim in the data disputes it, or its status is disputed or denied."]
    if "toward_inferred" in drawn and bool(drawn["toward_inferred"].any()):
        notes.append("† stated for the conflict as a whole, with no party named: shown toward each party.")
    notes.append("Names are the claimants; 'none recorded': no such claim in the data.")
    if folded:
        notes.append(f"'{len(folded)} other actors': "
                     + name_list([str(names.loc[a, "name"]) for a in folded], cap=len(folded)) + ".")
    if m["omitted"]:
        notes.append("No position toward a party in the data: "
                     + "; ".join(str(names.loc[a, "name"]) for a in m["omitted"]) + ".")
    note_lines = [ln for n in notes for ln in wrap(n, W - left - right, SMALL)]
    legend_h = 0.42 + legend_flow_height(W - left - right, _legend_items(legend_keys)) + 0.06 \
        + len(note_lines) * line_height(SMALL) + 0.05
    height = TOP + head_h + sum(row_h.values()) + legend_h + BOTTOM

    fig = style.new_figure(height)
    with style.rc():
        ax = inch_axes(fig, height)
        x0 = left + label_w
        y = TOP
        # Column heads: the party, then official / alleged.
        for j, c in enumerate(cols):
            xa = x0 + 2 * j * (col_w + gap)
            ax.text(xa + col_w + gap / 2, y, f"Toward {names.loc[c, 'name']}", ha="center", va="top",
                    fontsize=BODY + 0.5, fontweight="bold")
            ax.plot([xa, xa + 2 * col_w + gap], [y + 0.22, y + 0.22], color=style.GREY, lw=0.8)
            for k, basis in enumerate(("official", "alleged (by whom)")):
                ax.text(xa + k * (col_w + gap) + 0.02, y + 0.27, basis.capitalize(), ha="left", va="top",
                        fontsize=SMALL + 0.5, color=style.BLACK, fontstyle="italic")
        y += head_h
        for i, s in enumerate(rows):
            h = row_h[s]
            if i % 2 == 0:
                ax.add_patch(Rectangle((left, y), W - left - right, h, facecolor=style.LIGHT, alpha=0.45,
                                       edgecolor="none", zorder=0))
            yy = y + 0.05
            yy += put_lines(ax, left + 0.03, yy, wrap(row_name(s), label_w - 0.05, BODY, bold=True),
                            BODY, bold=True, gid=f"row:{s}")
            put_lines(ax, left + 0.03, yy, wrap(row_role(s), label_w - 0.05, SMALL), SMALL, colour=style.GREY)
            for j, c in enumerate(cols):
                for k, basis in enumerate(("official", "alleged")):
                    x = x0 + (2 * j + k) * (col_w + gap)
                    bands = layout[(s, c, basis)]
                    by = y + 0.04
                    if s == c:
                        ax.text(x + 0.05, by + 0.02, "(itself)", ha="left", va="top", fontsize=SMALL,
                                color=style.GREY, gid=f"self:{s}:{c}:{basis}")
                        continue
                    if not bands:
                        ax.text(x + 0.05, by + 0.02, "none recorded", ha="left", va="top", fontsize=SMALL,
                                color=style.GREY, gid=f"empty:{s}:{c}:{basis}")
                        continue
                    for key, stance, lab, nam, bh in bands:
                        colour, hatch = encoding(stance, basis)
                        gid = f"cell:{s}:{c}:{basis}:{key}"
                        ax.add_patch(Rectangle((x, by), col_w, bh, facecolor=tint(colour, 0.12) if colour != style.WHITE else style.WHITE,
                                               edgecolor=style.GREY, linewidth=0.4, zorder=1, gid=gid + ":band"))
                        sw = Rectangle((x, by), swatch, bh, facecolor=tint(colour, 0.45), hatch=hatch,
                                       hatchcolor=colour if colour != style.WHITE else style.GREY,
                                       edgecolor=style.GREY, linewidth=0.4, zorder=2, gid=gid)
                        ax.add_patch(sw)
                        ty = by + pad
                        ty += put_lines(ax, x + swatch + 0.05, ty, lab, SMALL, bold=True, gid=gid + ":label")
                        if nam and nam != [""]:
                            put_lines(ax, x + swatch + 0.05, ty, nam, SMALL, gid=gid + ":who")
                        by += bh + 0.02
            y += h

        # Legend: one swatch per stance drawn, then the marks.
        y += 0.2
        ax.text(left, y, "Stance", ha="left", va="top", fontsize=SMALL + 0.5, fontweight="bold")
        y += 0.22
        y = legend_flow(ax, left, y, W - left - right, _legend_items(legend_keys))
        y += 0.06
        put_lines(ax, left, y, note_lines, SMALL, gid="notes")

    ids = citations.source_ids_of(drawn)
    once = drawn.drop_duplicates("claim_id")
    n_off = int((once["basis"] == "official").sum())
    n_all = int((once["basis"] == "alleged").sum())
    n_disp = int(once["disputed"].sum())
    claimants = drawn["claimant_id"].dropna().nunique()
    toward_names = " and ".join(str(names.loc[c, "name"]) for c in cols) or "no party"
    alt = (f"Matrix of {len(rows) - bool(folded) + len(folded)} actors"
           + (f" ({len(folded)} of them in one row)" if folded else "")
           + f" against their stance toward {toward_names}: "
           f"{n_off} official and {n_all} alleged positions from {claimants} claimants, "
           f"{n_disp} of them disputed"
           + (f"; no position is recorded for {len(m['omitted'])} more." if m["omitted"] else "."))
    return style.finish(
        fig,
        title="Official and alleged positions toward the parties",
        alt=alt,
        source_line=citations.source_line(t.sources, ids, tables=["claims", "claim_links", "actors"]),
        source_ids=ids,
    )
