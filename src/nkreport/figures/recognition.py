"""Recognition: the states of the region against the unrecognised (or partly recognised) entities."""
from __future__ import annotations

from matplotlib.patches import Rectangle

from .. import citations, derive, style
from .positions import BODY, BOTTOM, SMALL, TOP, inch_axes, line_height, put_lines, text_width, tint, wrap

#: How each status looks: (colour, tint amount, hatch). Doubled by the words in the cell.
LOOK = {
    "recognises": (style.BLUE, 0.35, "///"),
    "recognised_then_withdrew": (style.YELLOW, 0.35, "\\\\\\"),
    "does_not_recognise": (style.GREY, 0.0, ""),
    None: (style.GREY, 0.15, "..."),  # no row in the data
}
LEGEND = {
    "recognises": "recognises (year of recognition)",
    "recognised_then_withdrew": "recognised, then withdrew",
    "does_not_recognise": "does not recognise",
    None: "no row in the data",
}


def _look(status):
    return LOOK.get(None if derive.isna(status) else status, LOOK[None])


def recognition_matrix(t):
    """States (rows) against entities (columns); each cell says the status in words, with
    the year of recognition, and is shaded and hatched by status."""
    cells = derive.recognition_cells(t)
    states = derive.recognition_states(t)
    entities = derive.recognition_entities(t)
    a = t.actors
    # Short names in the heads ('Northern Cyprus', not its bracketed full name).
    names = {str(r.actor_id): derive.short_name(r.name) for r in a.itertuples()}

    W = style.WIDTH
    left, right, gap = 0.1, 0.1, 0.06
    label_w = 1.25
    n = max(len(entities), 1)
    col_w = (W - left - right - label_w - gap * n) / n
    heads = {e: wrap(str(names.get(e, e)), col_w - 0.04, BODY, bold=True) for e in entities}
    head_h = max((len(v) for v in heads.values()), default=1) * line_height(BODY) + 0.12
    texts = {(r.state_id, r.entity_id): wrap(r.label, col_w - 0.2, SMALL + 0.5) for r in cells.itertuples()}
    cell_h = max(0.5, max((len(v) for v in texts.values()), default=1) * line_height(SMALL + 0.5) + 0.2)
    row_labels = {s: wrap(str(names.get(s, s)), label_w - 0.06, BODY, bold=True) for s in states}
    row_h = {s: max(cell_h, len(row_labels[s]) * line_height(BODY) + 0.1) for s in states}
    statuses = [None if derive.isna(s) else s for s in cells["status"]]
    legend_keys = [k for k in LEGEND if k in statuses]
    legend_h = 0.45
    height = TOP + head_h + sum(row_h.values()) + gap * len(states) + legend_h + BOTTOM

    fig = style.new_figure(height)
    with style.rc():
        ax = inch_axes(fig, height)
        x0 = left + label_w
        y = TOP
        for k, e in enumerate(entities):
            top = y + head_h - 0.12 - len(heads[e]) * line_height(BODY)  # heads sit on a common line
            put_lines(ax, x0 + k * (col_w + gap) + col_w / 2, top, heads[e], BODY, bold=True, gid=f"head:{e}",
                      ha="center")
        y += head_h
        for s in states:
            h = row_h[s]
            put_lines(ax, left + 0.03, y + h / 2 - len(row_labels[s]) * line_height(BODY) / 2, row_labels[s], BODY,
                      bold=True, gid=f"row:{s}")
            for k, e in enumerate(entities):
                x = x0 + k * (col_w + gap)
                r = cells[(cells["state_id"] == s) & (cells["entity_id"] == e)].iloc[0]
                colour, amount, hatch = _look(r["status"])
                ax.add_patch(Rectangle((x, y), col_w, h, facecolor=tint(colour, amount), hatch=hatch,
                                       hatchcolor=colour, edgecolor=style.GREY, linewidth=0.6,
                                       gid=f"cell:{s}:{e}"))
                lines = texts[(s, e)]
                txt = ax.text(x + col_w / 2, y + h / 2, "\n".join(lines), ha="center", va="center",
                              fontsize=SMALL + 0.5, linespacing=1.2, color=style.BLACK,
                              fontweight="bold" if r["status"] in ("recognises", "recognised_then_withdrew") else "normal",
                              bbox={"boxstyle": "round,pad=0.25", "facecolor": style.WHITE, "edgecolor": "none",
                                    "alpha": 0.9})
                txt.set_gid(f"text:{s}:{e}")
            y += h + gap
        y += 0.12
        x = left
        for key in legend_keys:
            colour, amount, hatch = _look(key)
            ax.add_patch(Rectangle((x, y), 0.3, 0.17, facecolor=tint(colour, amount), hatch=hatch, hatchcolor=colour,
                                   edgecolor=style.GREY, linewidth=0.6))
            ax.text(x + 0.37, y + 0.085, LEGEND[key], ha="left", va="center", fontsize=SMALL)
            x += 0.37 + text_width(LEGEND[key], SMALL) + 0.35

    drawn = t.recognition[t.recognition["state_id"].isin(states) & t.recognition["entity_id"].isin(entities)]
    ids = citations.source_ids_of(drawn)
    rec = cells[cells["status"].isin(["recognises", "recognised_then_withdrew"])]
    pairs = "; ".join(f"{names.get(r.state_id, r.state)} recognises {names.get(r.entity_id, r.entity)}" + (f" ({str(r.since)[:4]})" if not derive.isna(r.since) else "")
                      for r in rec.itertuples())
    n_not = int((cells["status"] == "does_not_recognise").sum())
    n_none = int(cells["status"].isna().sum())
    alt = (f"Recognition of {len(entities)} entities by {len(states)} states: of {len(cells)} pairs, "
           f"{len(rec)} are recognitions" + (f" ({pairs})" if pairs else "")
           + f", {n_not} non-recognition" + (f" and {n_none} without data." if n_none else "."))
    return style.finish(
        fig,
        title="Who recognises whom: the states of the region and contested entities",
        alt=alt,
        source_line=citations.source_line(t.sources, ids, tables=["recognition", "actors"]),
        source_ids=ids,
    )
