"""Iran's stance period by period: official, alleged (by whom), the commentary's reading."""
from __future__ import annotations

from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .. import citations, derive, style
from .layout import (BODY, BOTTOM, MAX_ENTRIES, SMALL, TOP, inch_axes, line_height, name_list, put_lines,
                     text_width, wrap)

SUBJECT = "iran"  # the actor this figure is about (the report's subject)
ROW_LABELS = {
    "official": ("Official position", "as stated or reported"),
    "alleged": ("Alleged", "by whom, in brackets"),
    "commentary": ("The commentary's reading", "its author's claims"),
}


def _look(stance, row):
    """(colour, marker, filled) for an entry's mark."""
    if derive.isna(stance):
        return style.BLACK, "_", True  # a dash: disputes another claim's stance
    key = "alleged_support" if (stance == "supports" and row != "official") else str(stance)
    colour, _ls, marker, _hatch = style.ENCODING.get(key, (style.GREY, "-", "o", ""))
    return colour, marker, row == "official"


def _span(p) -> str:
    a, b = str(p["start"])[:4], str(p["end"])[:4]
    return a if a == b else f"{a}–{b}"


def _mark(ax, x, y, stance, row, size=5.5):
    colour, marker, filled = _look(stance, row)
    dash = marker == "_"
    line = Line2D([x], [y], marker=marker, markersize=size + 2 if dash else size, color=colour, linestyle="none",
                  markerfacecolor=colour if filled or marker in ("x", "X", "P", "+") else style.WHITE,
                  markeredgecolor=colour, markeredgewidth=2.0 if dash else 1.0)
    ax.add_line(line)
    return line


def entry_label(e, width: float | None = None) -> str:
    """The words drawn for one entry: 'supports Azerbaijan (Kucera*, Rezaee)' (the label
    of derive.iran_entries: '*' disputed, '†' placed by the date it was said), naming a
    few claimants and counting the others ('+N more', layout.name_list)."""
    named = list(e["named"])
    if not named:
        return str(e["label"])
    return f"{e['text']}{e['anonymous']} ({name_list(named, width=width)})"


def cell_items(cell) -> tuple[list, int]:
    """The entries a cell draws and how many more it only counts: at most
    layout.MAX_ENTRIES lines, the last of them '+N more' when there are more."""
    rows = [e for _, e in cell.iterrows()]
    if len(rows) <= MAX_ENTRIES:
        return rows, 0
    return rows[:MAX_ENTRIES - 1], len(rows) - (MAX_ENTRIES - 1)


def iran_stance(t):
    """Three rows (official, alleged, the commentary's reading) against the periods, in time
    order, that have an entry; each entry a mark coloured and shaped by stance, in words."""
    entries = derive.iran_entries(t, SUBJECT)
    table = derive.iran_by_period(t, SUBJECT)
    periods = derive.period_order(t).set_index("period_id")
    used = [p for p in table["period_id"] if (entries["period_id"] == p).any()]
    empty = [str(periods.loc[p, "label"]) for p in table["period_id"] if p not in used and p in periods.index]
    subject = t.actors.set_index("actor_id").loc[SUBJECT, "name"] if SUBJECT in set(t.actors["actor_id"]) else SUBJECT

    W = style.WIDTH
    left, right, gap = 0.1, 0.1, 0.05
    label_w = 1.25
    n = max(len(used), 1)
    col_w = (W - left - right - label_w - gap * n) / n
    mark_w = 0.17
    text_w = col_w - mark_w - 0.06

    # Column heads and cells, laid out first to size the figure.
    heads = {}
    for _, p in table.iterrows():
        if p["period_id"] not in used:
            continue
        label = wrap(str(p["period"]), col_w - 0.04, SMALL + 0.5, bold=True)
        span = _span(p) if p["period_id"] in periods.index else ""
        heads[p["period_id"]] = (label, span)
    head_h = max((len(l) * line_height(SMALL + 0.5) + line_height(SMALL) for l, _ in heads.values()), default=0.3) + 0.1
    cells = {}
    row_h = {}
    for row in derive.IRAN_ROWS:
        title, hint = ROW_LABELS[row]
        h = len(wrap(title, label_w - 0.06, BODY, bold=True)) * line_height(BODY) + len(wrap(hint, label_w - 0.06, SMALL)) * line_height(SMALL)
        for pid in used:
            shown, more = cell_items(entries[(entries["period_id"] == pid) & (entries["row"] == row)])
            items = [(e, wrap(entry_label(e, text_w), text_w, SMALL)) for e in shown]
            rest = wrap(f"+{more} more (all are in the claims ledger)", text_w, SMALL) if more else []
            cells[(pid, row)] = (items, rest)
            h = max(h, sum(len(lines) * line_height(SMALL) + 0.05 for _, lines in items)
                    + len(rest) * line_height(SMALL))
        row_h[row] = h + 0.16

    legend = _legend_items(entries)
    legend_w = W - left - right
    legend_lines = _flow_lines(legend, legend_w)
    notes = ["Filled marks: official positions; hollow marks: alleged ones and the commentary's reading "
             "(crosses look the same in both).",
             "* disputed by another claim in the data, or its status is disputed or denied.",
             "† the claim gives no period: placed in the longest period containing the date it was said."]
    if empty:
        notes.append("Periods with no position of " + str(subject) + " in the data: " + "; ".join(empty) + ".")
    note_lines = [ln for note in notes for ln in wrap(note, legend_w, SMALL)]
    legend_h = 0.2 + legend_lines * 0.22 + len(note_lines) * line_height(SMALL) + 0.1
    height = TOP + head_h + sum(row_h.values()) + legend_h + BOTTOM

    fig = style.new_figure(height)
    with style.rc():
        ax = inch_axes(fig, height)
        x0 = left + label_w
        y = TOP
        for k, pid in enumerate(used):
            x = x0 + k * (col_w + gap)
            label, span = heads[pid]
            hy = y + put_lines(ax, x + 0.02, y, label, SMALL + 0.5, bold=True, gid=f"head:{pid}")
            ax.text(x + 0.02, hy, span, ha="left", va="top", fontsize=SMALL, color=style.GREY)
        y += head_h
        ax.plot([left, W - right], [y - 0.04, y - 0.04], color=style.GREY, lw=0.8)
        for i, row in enumerate(derive.IRAN_ROWS):
            h = row_h[row]
            if i % 2 == 0:
                ax.add_patch(Rectangle((left, y), W - left - right, h, facecolor=style.LIGHT, alpha=0.5,
                                       edgecolor="none", zorder=0))
            title, hint = ROW_LABELS[row]
            ty = y + 0.06
            ty += put_lines(ax, left + 0.03, ty, wrap(title, label_w - 0.06, BODY, bold=True), BODY, bold=True,
                            gid=f"rowhead:{row}")
            put_lines(ax, left + 0.03, ty, wrap(hint, label_w - 0.06, SMALL), SMALL, colour=style.GREY)
            for k, pid in enumerate(used):
                x = x0 + k * (col_w + gap)
                ey = y + 0.06
                items, rest = cells[(pid, row)]
                if not items:
                    ax.text(x + 0.02, ey, "—", ha="left", va="top", fontsize=SMALL, color=style.GREY,
                            gid=f"none:{pid}:{row}")
                for j, (e, lines) in enumerate(items):
                    _mark(ax, x + 0.08, ey + line_height(SMALL) / 2, e["stance"], row).set_gid(f"mark:{pid}:{row}:{j}")
                    ey += put_lines(ax, x + mark_w, ey, lines, SMALL, gid=f"entry:{pid}:{row}:{j}") + 0.05
                if rest:
                    put_lines(ax, x + mark_w, ey, rest, SMALL, colour=style.GREY, gid=f"more:{pid}:{row}")
            y += h
        y += 0.12
        _draw_legend(ax, left, y, legend_w, legend)
        y += legend_lines * 0.22 + 0.04
        put_lines(ax, left, y, note_lines, SMALL)

    drawn_ids = [s for ids in entries["source_ids"] for s in ids]
    n_off = int((entries["row"] == "official").sum())
    n_all = int((entries["row"] == "alleged").sum())
    n_com = int((entries["row"] == "commentary").sum())
    real = [p for p in used if p != derive.NO_PERIOD]
    labels = table.set_index("period_id")["period"]
    span = f", from {labels[real[0]]} to {labels[real[-1]]}" if real else ""
    n_loose = int((entries["period_id"] == derive.NO_PERIOD).sum())
    alt = (f"{subject}'s stance in {len(real)} periods{span}: {n_off} official, {n_all} alleged and "
           f"{n_com} commentary entries, {int(entries['disputed'].sum())} of them disputed"
           + (f", and {n_loose} with no period given." if n_loose else "."))
    ids = list(dict.fromkeys(drawn_ids))
    return style.finish(
        fig,
        title=f"{subject}'s stance, period by period",
        alt=alt,
        source_line=citations.source_line(t.sources, ids, tables=["claims", "claim_links", "periods", "actors"]),
        source_ids=ids,
    )


def _legend_items(entries):
    """(stance, row, text) for each stance drawn, in the vocabulary's order; the look is
    the official one (filled), as the notes explain."""
    order = {k: i for i, k in enumerate(style.ENCODING)}
    stances = dict.fromkeys(None if derive.isna(s) else str(s) for s in entries["stance"])
    items = sorted(stances, key=lambda s: (s is None, order.get(s, len(order)), s or ""))
    merged: dict[tuple, list] = {}
    for s in items:
        look = _look(s, "official")
        text = "disputes another claim's stance" if s is None else derive.stance_label(s)
        merged.setdefault(look, [s, []])[1].append(text)
    return [(s, "official", " / ".join(texts)) for s, texts in merged.values()]


def _item_w(text, marks=1):
    return 0.08 + 0.18 * marks + 0.06 + text_width(text, SMALL) + 0.3


def _flow_lines(items, width) -> int:
    x, lines = 0.0, 1 if items else 0
    for s, _r, text in items:
        w = _item_w(text, 2 if s == "supports" else 1)
        if x and x + w > width:
            x, lines = 0.0, lines + 1
        x += w
    return lines


def _draw_legend(ax, x0, y, width, items):
    x = 0.0
    for s, row, text in items:
        n = 2 if s == "supports" else 1
        w = _item_w(text, n)
        if x and x + w > width:
            x, y = 0.0, y + 0.22
        if s == "supports":
            _mark(ax, x0 + x + 0.08, y + 0.08, s, "official")
            _mark(ax, x0 + x + 0.26, y + 0.08, s, "alleged")
        else:
            _mark(ax, x0 + x + 0.08, y + 0.08, s, row)
        ax.text(x0 + x + 0.08 + 0.18 * n, y + 0.08, text, ha="left", va="center", fontsize=SMALL)
        x += w

