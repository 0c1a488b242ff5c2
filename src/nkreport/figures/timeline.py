"""Figure: the periods of the conflict as bands and the dated events as marks.

- Periods (t.periods) are bands on their ``lane``, from the first day their start may mean
  to the last day their end may mean (nkreport.dates.bounds). A band's label sits inside
  it where it fits, else beside it in its lane, else in a line under the key.
- Events (t.events) are marks stacked where they would touch (a one-sided beeswarm, so no
  two marks overlap). Up to MAX_NUMBERED events carry a number that the key below the
  axes resolves to date and title; beyond that, the events linked to the most actors are
  numbered, spread over time, and the rest are drawn as small dots and counted.
- Where the events crowd into a short stretch of a long span (1988–1994 against
  1994–2024), the axis is broken into a detail panel and an overview panel, each with
  its own scale; the split is computed from the dates, not typed.
- A date known only to the month or year is drawn with its range; an event for which
  another source gives another date has a dotted tie to a hollow mark at that date.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..util import isna
from .layout import legend_columns, source_line_height, text_width, wrap
from .. import citations, dates, style

MAX_NUMBERED = 60
KEY_FONT = 7.5
BAND_FONT = 8.0
NUM_FONT = 7.5
LANE_H = 0.34  # inches per lane
R_NUM = 6.8 / 72  # radius of a numbered mark (inches)
R_DOT = (2.4 / 72, 1.8 / 72, 1.3 / 72, 1.0 / 72)  # radii tried for unnumbered dots
SWARM_MAX = 1.9  # inches: the tallest the stack of marks may grow
PANEL_GAP = 0.35  # inches between the two panels of a broken axis
LEFT, RIGHT = 0.35, 0.25
BAND_FILLS = ("#CFCFCF", "#E6E6E6")  # alternate within a lane, so neighbours stay apart
BAND_EDGE = "#8C8C8C"

def _wrap_hanging(text: str, first_in: float, rest_in: float, size: float) -> list[str]:
    """Word wrap with a shorter first line (it follows the date)."""
    lines: list[str] = []
    for word in text.split():
        room = first_in if len(lines) == 1 else rest_in  # the room of the line being extended
        if lines and text_width(lines[-1] + " " + word, size) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if lines and text_width(lines[0], size) > first_in:  # a first word longer than the room: start below
        lines.insert(0, "")
    return lines or [""]


def _compact_date(value: str) -> str:
    """'20 Feb 1988', 'Apr 1993', '1993'."""
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = calendar.month_abbr[parts[1]]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


def _year(d: dt.date) -> float:
    start = dt.date(d.year, 1, 1).toordinal()
    days = 366 if calendar.isleap(d.year) else 365
    return d.year + (d.toordinal() - start) / days


def _span(value, precision):
    lo, hi = dates.bounds(value, precision)
    return _year(lo), _year(hi + dt.timedelta(days=1))


def _split(xs: list[float], lo: float, hi: float):
    """A year at which to break the axis, if events crowd into a short part of a long span."""
    if hi - lo < 15 or len(xs) < 4:
        return None
    best = None
    for y in range(math.ceil(lo) + 2, math.floor(hi) - 1):
        share = sum(x < y for x in xs) / len(xs)
        score = share - (y - lo) / (hi - lo)
        if best is None or score > best[0] + 1e-12:
            best = (score, y)
    return best[1] if best and best[0] >= 0.3 else None


def _select(ev, n_actors: dict) -> set:
    """The events to number when there are too many: those linked to most actors and
    dated most precisely first, each tier spread evenly over time."""
    if len(ev) <= MAX_NUMBERED:
        return set(ev["event_id"])
    rank = {"day": 0, "month": 1, "year": 2}
    tiers: dict[tuple, list] = {}
    for _, r in ev.iterrows():
        key = (-n_actors.get(r["event_id"], 0), rank.get(r["date_precision"], 3))
        tiers.setdefault(key, []).append(r["event_id"])
    chosen: list[str] = []
    for key in sorted(tiers):
        ids = tiers[key]  # already in date order
        room = MAX_NUMBERED - len(chosen)
        if room <= 0:
            break
        if len(ids) <= room:
            chosen += ids
        else:
            idx = np.unique(np.round(np.linspace(0, len(ids) - 1, room)).astype(int))
            chosen += [ids[i] for i in idx]
    return set(chosen)


def _swarm(items, radius_of):
    """Lowest free height for each mark (x in inches), in order; marks never overlap."""
    placed: list[tuple[float, float, float]] = []
    out = {}
    for key, x in items:
        r = radius_of(key)
        blocked = []
        for (px, py, pr) in placed:
            dx = abs(px - x)
            reach = r + pr + 0.01
            if dx < reach:
                h = math.sqrt(reach**2 - dx**2)
                blocked.append((py - h, py + h))
        y = r
        for a, b in sorted(blocked):
            if a < y + 1e-9 < b or (a <= y < b):
                y = b
        # A second pass: a later interval may now cover y.
        moved = True
        while moved:
            moved = False
            for a, b in blocked:
                if a < y < b - 1e-9:
                    y, moved = b, True
        placed.append((x, y, r))
        out[key] = y
    return out


def _letter(i: int) -> str:
    """a, b, ..., z, aa, ab, ... (tags for periods too short to name in place)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _place_period_labels(periods, ranges, lefts, widths, lane_row, lanes):
    """Where each band goes and where its label goes, in panel data coordinates.

    Returns ({"bands": {id: [(panel, x0, x1, y0, y1, fill)]}, "labels": {id: (panel, x, y,
    text, ha, leader)}}, [periods left unlabelled, as text for the note]).
    """
    n_lanes = len(lanes)
    panel_h_bands = LANE_H * n_lanes

    def to_in(x, k):
        a, b = ranges[k]
        return lefts[k] + (x - a) / (b - a) * widths[k]

    def from_in(v, k):
        a, b = ranges[k]
        return a + (v - lefts[k]) / widths[k] * (b - a)

    def lane_y(row):  # relative to the top of the band area (0 = top); shifted by the caller
        y1 = -0.02 - row * LANE_H
        return y1 - LANE_H + 0.05, y1

    bands: dict = {}
    used: dict[int, list] = {row: [] for row in range(n_lanes)}
    turn: dict[int, int] = {}
    pending = []
    for _, p in periods.iterrows():
        row = lane_row.get(int(p["lane"]) if not isna(p["lane"]) else lanes[0], 0)
        y0, y1 = lane_y(row)
        fill = BAND_FILLS[turn.get(row, 0) % 2]
        turn[row] = turn.get(row, 0) + 1
        parts = []
        for k, (a, b) in enumerate(ranges):
            x0, x1 = max(p["_lo"], a), min(p["_hi"], b)
            if x1 > x0:
                parts.append((k, x0, x1, y0, y1, fill))
                used[row].append((k, to_in(x0, k), to_in(x1, k)))
        bands[p["period_id"]] = parts
        pending.append((p, row, parts))

    labels: dict = {}
    notes: list[str] = []
    later = []
    for p, row, parts in pending:
        label = str(p["label"])
        done = False
        for k, x0, x1, y0, y1, _ in sorted(parts, key=lambda q: -(q[2] - q[1]) / (ranges[q[0]][1] - ranges[q[0]][0])):
            room = to_in(x1, k) - to_in(x0, k) - 0.08
            for text in (label, "\n".join(wrap(label, room, BAND_FONT))):
                if text.count("\n") <= 1 and text_width(text, BAND_FONT) <= room:
                    labels[p["period_id"]] = (k, (x0 + x1) / 2, (y0 + y1) / 2, text, "center", None)
                    done = True
                    break
            if done:
                break
        if not done:
            later.append((p, row, parts))

    def free(row, k, a_in, b_in):
        lo_in, hi_in = lefts[k], lefts[k] + widths[k]
        if a_in < lo_in or b_in > hi_in:
            return False
        return all(kk != k or b_in <= u0 or a_in >= u1 for kk, u0, u1 in used[row])

    texts_of = {}
    for p, row, parts in later:
        label = str(p["label"])
        words = label.split()
        two = [" ".join(words[:i]) + "\n" + " ".join(words[i:]) for i in range(1, len(words))]
        texts_of[p["period_id"]] = [label] + sorted(two, key=lambda x: (text_width(x, BAND_FONT), x))[:1]
    for p, row, parts, text in [(p, row, parts, text) for p, row, parts in later
                                for text in texts_of[p["period_id"]]]:
        if p["period_id"] in labels:
            continue
        label = text
        w = text_width(label, BAND_FONT) + 0.06
        done = False
        rows = sorted(range(n_lanes), key=lambda r: (abs(r - row), r))
        for k, x0, x1, y0, y1, _ in parts:
            i0, i1 = to_in(x0, k), to_in(x1, k)
            for r in rows:
                ry0, ry1 = lane_y(r)
                ym = (ry0 + ry1) / 2
                if r == row:
                    options = [(i1 + 0.04, i1 + 0.04 + w, "left"), (i0 - 0.04 - w, i0 - 0.04, "right")]
                else:
                    options = [(i1 - w, i1, "right"), (i0, i0 + w, "left")]
                for a_in, b_in, ha in options:
                    if not free(r, k, a_in, b_in):
                        continue
                    x = from_in(a_in if ha == "left" else b_in, k)
                    leader = None
                    if r != row:
                        xm = (x0 + x1) / 2
                        leader = ([xm, xm], [y0 if r > row else y1, ry1 if r > row else ry0])
                    labels[p["period_id"]] = (k, x, ym, label, ha, leader)
                    used[r].append((k, a_in, b_in))
                    done = True
                    break
                if done:
                    break
            if done:
                break
    # What is left is tagged with a letter inside its widest part and named in the note.
    for p, row, parts in later:
        if p["period_id"] in labels or not parts:
            continue
        letter = _letter(len(notes))
        k, x0, x1, y0, y1, _ = max(parts, key=lambda q: (to_in(q[2], q[0]) - to_in(q[1], q[0]), -q[0]))
        labels[p["period_id"]] = (k, (x0 + x1) / 2, (y0 + y1) / 2, letter, "center", None)
        notes.append(f"{letter}: {p['label']} ({dates.label(p['start'], p['start_precision'])}–"
                     f"{dates.label(p['end'], p['end_precision'])})")
    return {"bands": bands, "labels": labels, "top": panel_h_bands}, notes


def timeline(t):
    periods = t.periods.copy()
    events = t.events.copy()
    periods["_lo"], periods["_hi"] = zip(*[
        (_span(r["start"], r["start_precision"])[0], _span(r["end"], r["end_precision"])[1])
        for _, r in periods.iterrows()]) if len(periods) else ([], [])
    periods = periods.sort_values(["_lo", "period_id"], kind="stable")
    spans = [_span(r["date"], r["date_precision"]) for _, r in events.iterrows()]
    events["_lo"] = [s[0] for s in spans]
    events["_hi"] = [s[1] for s in spans]
    events["_x"] = [(a + b) / 2 for a, b in spans]
    events = events.sort_values(["_x", "event_id"], kind="stable")

    all_x = list(periods["_lo"]) + list(periods["_hi"]) + list(events["_lo"]) + list(events["_hi"])
    lo = math.floor(min(all_x)) if all_x else 2000
    hi = math.ceil(max(all_x)) if all_x else lo + 1
    split = _split(list(events["_x"]), lo, hi)
    ranges = [(lo, split), (split, hi)] if split else [(lo, hi)]

    n_actors: dict[str, int] = {}
    if "event_actors" in t:
        for e in t.event_actors["event_id"]:
            n_actors[e] = n_actors.get(e, 0) + 1
    numbered_ids = _select(events, n_actors)
    numbered = events[events["event_id"].isin(numbered_ids)]
    number = {e: i for i, e in enumerate(numbered["event_id"], start=1)}
    r_num = R_NUM if len(number) < 100 else R_NUM * 1.25

    # Panel geometry (inches).
    usable = style.WIDTH - LEFT - RIGHT - PANEL_GAP * (len(ranges) - 1)
    if split:
        share = min(0.62, max(0.45, (events["_x"] < split).mean()))
        widths = [usable * share, usable * (1 - share)]
    else:
        widths = [usable]
    lefts = [LEFT + sum(widths[:i]) + PANEL_GAP * i for i in range(len(ranges))]

    def to_in(x, k):
        a, b = ranges[k]
        return lefts[k] + (x - a) / (b - a) * widths[k]

    def panel_of(x):
        return 0 if not split or x < split else 1

    # Marks: numbered first, then dots fitted around them, shrinking until the stack fits.
    num_items = [(e, to_in(x, panel_of(x))) for e, x in zip(numbered["event_id"], numbered["_x"])]
    dot_rows = events[~events["event_id"].isin(numbered_ids)]
    dot_items = [(e, to_in(x, panel_of(x))) for e, x in zip(dot_rows["event_id"], dot_rows["_x"])]
    for r_dot in R_DOT:
        ys = _swarm(num_items + dot_items, lambda k, r_dot=r_dot: r_num if k in number else r_dot)
        top = max((ys[k] + (r_num if k in number else r_dot) for k in ys), default=r_num)
        if top <= SWARM_MAX:
            break
    squeeze = min(1.0, SWARM_MAX / top) if top > 0 else 1.0
    if squeeze < 1:  # only dots can be this crowded: pack them closer, numbered marks stay apart
        base = max((ys[k] + r_num for k in number), default=0)
        for k in ys:
            if k not in number and ys[k] > base:
                ys[k] = base + (ys[k] - base) * max(0.0, (SWARM_MAX - base)) / max(top - base, 1e-9)
        top = SWARM_MAX
    swarm_h = max(top, 2 * r_num) + 0.08

    bands_h = LANE_H * len(set(int(v) for v in periods["lane"].dropna()) or {0})
    panel_h = swarm_h + 0.12 + bands_h

    # The key: one entry per numbered event, in two columns; the date (compact) opens the
    # entry and the title runs on under it (hanging indent after the number).
    col_gap = 0.25
    col_w = (style.WIDTH - LEFT - RIGHT - col_gap) / 2
    num_w = text_width("00", KEY_FONT, True) + 0.06
    entries = []
    for _, r in numbered.iterrows():
        when = _compact_date(r["date"])
        date_w = text_width(when, KEY_FONT) + 0.07
        lines = _wrap_hanging(str(r["title"]), col_w - num_w - date_w, col_w - num_w, KEY_FONT)
        entries.append((number[r["event_id"]], when, date_w, lines))
    line_h = KEY_FONT * 1.3 / 72
    total_lines = sum(len(e[3]) for e in entries)
    # Fill the first column to half the lines.
    col_of, acc = [], 0
    for e in entries:
        col_of.append(0 if acc < total_lines / 2 else 1)
        acc += len(e[3])
    key_lines = max(sum(len(e[3]) for e, c in zip(entries, col_of) if c == k) for k in (0, 1)) if entries else 0

    drawn_sources = citations.source_ids_of(periods, ("source_id",))
    drawn_sources += [s for s in citations.source_ids_of(events, ("source_id", "alt_source_id"))
                      if s not in drawn_sources]
    line = citations.source_line(t.sources, drawn_sources, tables=["periods", "events"])
    top_in = 0.62
    axis_in = 0.35
    n_dots = len(dot_rows)
    legend_labels = ["period", "event (number: see the key)"]
    legend_labels += ["further event"] if n_dots else []
    legend_labels += ["date known only to the year"] if bool((events["_hi"] - events["_lo"] > 0.5).any()) else []
    legend_labels += ["date another source gives"] if bool(events["alt_date"].notna().any()) else []
    legend_ncol = legend_columns(legend_labels, style.WIDTH - LEFT - RIGHT, 8, handlelength=1.8,
                                 handletextpad=0.5, columnspacing=1.2)
    legend_in = 0.3 + 0.2 * (math.ceil(len(legend_labels) / legend_ncol) - 1)
    key_h = key_lines * line_h
    bottom_in = 0.12 + source_line_height(line)
    # Period labels: inside the band, else beside it in a free stretch of any lane, else
    # named in the note under the key.
    lanes = sorted({int(v) for v in periods["lane"].dropna()}) or [0]
    lane_row = {lane: i for i, lane in enumerate(lanes)}
    placements, notes = _place_period_labels(periods, ranges, lefts, widths, lane_row, lanes)
    note = []
    if n_dots:
        note.append(f"{n_dots} further events are drawn as dots without numbers (all are in the events table).")
    if notes:
        note.append("Periods tagged by letter: " + "; ".join(notes) + ".")
    note_lines = wrap(" ".join(note), style.WIDTH - LEFT - RIGHT, KEY_FONT) if note else []
    note_h = len(note_lines) * line_h + (0.08 if note_lines else 0)
    height = top_in + panel_h + axis_in + legend_in + key_h + note_h + bottom_in
    fig = style.new_figure(height)
    with style.rc():
        axes = []
        for k, (a, b) in enumerate(ranges):
            ax = fig.add_axes([lefts[k] / style.WIDTH, (height - top_in - panel_h) / height,
                               widths[k] / style.WIDTH, panel_h / height])
            ax.set_xlim(a, b)
            ax.set_ylim(0, panel_h)
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            step = 1 if b - a <= 10 else (2 if b - a <= 20 else 5)
            first = math.ceil(a / step) * step
            ticks = list(range(first, int(b) + 1, step))
            ax.set_xticks(ticks)
            # The split year is labelled once, on the panel it starts.
            ax.set_xticklabels(["" if (split and k == 0 and v == b) else str(v) for v in ticks], fontsize=8)
            ax.tick_params(axis="x", length=3)
            for v in ticks:
                ax.axvline(v, color="#E0E0E0", linewidth=0.6, zorder=0)
            if split:
                ax.set_title(f"{a}–{b - 1}" + (" (detail)" if k == 0 else ""), fontsize=8.5, loc="left",
                             pad=3, color="#333333")
            axes.append(ax)
        if split:  # broken-axis marks where the panels meet
            for k, ax in enumerate(axes):
                x = 1.0 if k == 0 else 0.0
                ax.plot([x - 0.006, x + 0.006], [-0.03, 0.03], transform=ax.transAxes, color=style.GREY,
                        linewidth=1, clip_on=False)

        # Period bands and their labels.
        for _, p in periods.iterrows():
            for k, x0, x1, y0, y1, fill in placements["bands"][p["period_id"]]:
                rect = Rectangle((x0, panel_h + y0), x1 - x0, y1 - y0, facecolor=fill, edgecolor=BAND_EDGE,
                                 linewidth=0.6, zorder=1)
                rect.set_gid(f"period:{p['period_id']}")
                axes[k].add_patch(rect)
        for pid, (k, x, y, text, ha, leader) in sorted(placements["labels"].items()):
            axes[k].text(x, panel_h + y, text, ha=ha, va="center", fontsize=BAND_FONT, linespacing=1.0,
                         zorder=3, gid=f"periodlabel:{pid}")
            if leader:
                axes[k].plot(leader[0], [panel_h + v for v in leader[1]], color=style.GREY, linewidth=0.7,
                             zorder=2)

        # Event marks.
        base_y = 0.04
        alt_used = uncertain_used = False
        for _, e in events.iterrows():
            k = panel_of(e["_x"])
            ax = axes[k]
            eid = e["event_id"]
            y = base_y + ys[eid]
            is_num = eid in number
            r = r_num if is_num else None
            if e["_hi"] - e["_lo"] > 0.5:  # known only to the year: show the range
                a, b = ranges[k]
                ax.plot([max(e["_lo"], a), min(e["_hi"], b)], [y, y], color=style.GREY, linewidth=2.2,
                        solid_capstyle="butt", alpha=0.7, zorder=4, gid=f"range:{eid}")
                uncertain_used = True
            if not isna(e["alt_date"]):
                ax_alt = _span(e["alt_date"], e["alt_date_precision"])
                xa = (ax_alt[0] + ax_alt[1]) / 2
                ka = panel_of(xa)
                if ka == k:
                    ax.plot([e["_x"], xa], [y, y], color=style.BLACK, linewidth=0.9, linestyle=":", zorder=4)
                    ax.plot([xa], [y], marker="D", markersize=5, markerfacecolor="white",
                            markeredgecolor=style.BLACK, linestyle="none", zorder=5, gid=f"altdate:{eid}")
                else:
                    ax.plot([e["_x"], ranges[k][1] if ka > k else ranges[k][0]], [y, y], color=style.BLACK,
                            linewidth=0.9, linestyle=":", zorder=4, clip_on=True)
                    axes[ka].plot([xa], [y], marker="D", markersize=5, markerfacecolor="white",
                                  markeredgecolor=style.BLACK, linestyle="none", zorder=5, gid=f"altdate:{eid}")
                alt_used = True
            if is_num:
                ax.plot([e["_x"]], [y], marker="o", markersize=2 * r * 72, markerfacecolor="white",
                        markeredgecolor=style.BLACK, markeredgewidth=1.0, linestyle="none", zorder=6,
                        clip_on=False, gid=f"event:{eid}")
                ax.text(e["_x"], y, str(number[eid]), ha="center", va="center", fontsize=NUM_FONT,
                        zorder=7, clip_on=False, gid=f"eventnum:{eid}")
            else:
                rd = r_dot if squeeze == 1 else R_DOT[-1]
                ax.plot([e["_x"]], [y], marker="o", markersize=2 * rd * 72, markerfacecolor=style.GREY,
                        markeredgecolor="none", linestyle="none", zorder=5, clip_on=False, gid=f"event:{eid}")

        # Legend line.
        handles = [Rectangle((0, 0), 1, 1, facecolor=BAND_FILLS[0], edgecolor=BAND_EDGE, linewidth=0.6),
                   Line2D([], [], marker="o", markersize=2 * r_num * 72, markerfacecolor="white",
                          markeredgecolor=style.BLACK, linestyle="none")]
        labels = ["period", "event (number: see the key)"]
        if n_dots:
            handles.append(Line2D([], [], marker="o", markersize=4, markerfacecolor=style.GREY,
                                  markeredgecolor="none", linestyle="none"))
            labels.append("further event")
        if uncertain_used:
            handles.append(Line2D([], [], color=style.GREY, linewidth=2.2, alpha=0.7))
            labels.append("date known only to the year")
        if alt_used:
            handles.append(Line2D([], [], color=style.BLACK, linewidth=0.9, linestyle=":", marker="D",
                                  markersize=5, markerfacecolor="white"))
            labels.append("date another source gives")
        if labels != legend_labels:  # the legend's height was computed for legend_labels
            raise RuntimeError(f"timeline legend: drew {labels}, sized for {legend_labels}")
        legend_y = height - top_in - panel_h - axis_in
        fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(LEFT / style.WIDTH, legend_y / height),
                   ncol=legend_ncol, fontsize=8, handlelength=1.8, columnspacing=1.2, borderaxespad=0,
                   handletextpad=0.5)

        # The key.
        key_top = legend_y - legend_in
        rows_used = [0, 0]
        for (n, when, date_w, lines), col in zip(entries, col_of):
            x = LEFT + col * (col_w + col_gap)
            y = key_top - rows_used[col] * line_h
            fig.text(x / style.WIDTH, y / height, str(n), ha="left", va="top", fontsize=KEY_FONT,
                     fontweight="bold", gid=f"key:{n}")
            fig.text((x + num_w) / style.WIDTH, y / height, when, ha="left", va="top", fontsize=KEY_FONT,
                     color="#444444")
            for i, text in enumerate(lines):
                fig.text((x + num_w + (date_w if i == 0 else 0)) / style.WIDTH, (y - i * line_h) / height, text,
                         ha="left", va="top", fontsize=KEY_FONT, gid=f"keytitle:{n}" if i == 0 else None)
            rows_used[col] += len(lines)
        for i, text in enumerate(note_lines):
            fig.text(LEFT / style.WIDTH, (key_top - key_h - 0.08 - i * line_h) / height, text, ha="left",
                     va="top", fontsize=KEY_FONT, color="#333333")

    y0 = int(lo)
    y1 = int(hi) - 1
    alt = (f"Timeline {y0}–{y1}"
           + (f" in two panels ({y0}–{split - 1} in detail, {split}–{y1} at a smaller scale)" if split else "")
           + f": {len(periods)} periods as bands on {len(lanes)} lanes and {len(events)} events as marks, "
           + (f"all {len(number)} numbered and listed in the key." if not n_dots
              else f"{len(number)} numbered and listed in the key, {n_dots} more as dots."))
    return style.finish(fig, title="Timeline: periods and events", alt=alt, source_line=line,
                        source_ids=drawn_sources)
