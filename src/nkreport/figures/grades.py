"""The claims by Admiralty grade: source reliability (A–F) against information credibility (1–6)."""
from __future__ import annotations

from matplotlib.patches import Rectangle

from .. import citations, derive, style
from .layout import BODY, BOTTOM, SMALL, TOP, inch_axes, line_height, put_lines, tint, wrap

#: What each grade of the scale means (the Admiralty scale's own words, data/GRADING.md).
RELIABILITY_MEANING = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "cannot be judged",
}
CREDIBILITY_MEANING = {
    1: "confirmed",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "cannot be judged",
}


def shade(count: int, top: int) -> tuple[tuple[float, float, float], str]:
    """(fill, text colour) of a cell: white for 0, darker blue for more claims."""
    if count <= 0 or top <= 0:
        return (1.0, 1.0, 1.0), style.GREY
    amount = 0.15 + 0.85 * count / top
    return tint(style.BLUE, amount), (style.WHITE if amount > 0.55 else style.BLACK)


def claim_grades(t):
    """A 6 x 6 grid of claim counts, one cell per grade, the count written in each cell,
    with row and column totals."""
    counts = derive.grade_counts(t)
    top = int(counts.values.max()) if counts.size else 0
    total = int(counts.values.sum())

    W = style.WIDTH
    label_w = 2.0
    cw, ch = 0.72, 0.42
    grid_w = cw * len(derive.CREDIBILITY)
    x0 = (W - (label_w + grid_w + 0.75)) / 2 + label_w
    head_lines = {c: wrap(f"{CREDIBILITY_MEANING[c]}", cw - 0.04, SMALL) for c in derive.CREDIBILITY}
    head_h = 0.25 + line_height(BODY) + max(len(v) for v in head_lines.values()) * line_height(SMALL) + 0.08
    note = ("Each cell counts the claims with that grade (data/claims.csv); darker cells hold more claims; "
            "white cells, with a grey 0, hold none. The reason for each grade is in the claims table.")
    note_lines = wrap(note, W - 0.2, SMALL)
    height = TOP + head_h + ch * (len(derive.RELIABILITY) + 1) + 0.3 + len(note_lines) * line_height(SMALL) + BOTTOM

    fig = style.new_figure(height)
    with style.rc():
        ax = inch_axes(fig, height)
        y = TOP
        ax.text(x0 + grid_w / 2, y, "Information credibility", ha="center", va="top", fontsize=BODY,
                fontweight="bold")
        y += 0.25
        for j, c in enumerate(derive.CREDIBILITY):
            x = x0 + j * cw + cw / 2
            ax.text(x, y, str(c), ha="center", va="top", fontsize=BODY, fontweight="bold")
            put_lines(ax, x, y + line_height(BODY), head_lines[c], SMALL, colour=style.GREY, ha="center")
        ax.text(x0 + grid_w + 0.375, y, "total", ha="center", va="top", fontsize=BODY, fontweight="bold")
        ax.text(x0 - label_w, y - 0.25, "Source reliability", ha="left", va="top", fontsize=BODY, fontweight="bold")
        y = TOP + head_h
        for i, r in enumerate(derive.RELIABILITY):
            yy = y + i * ch
            ax.text(x0 - label_w, yy + ch / 2, r, ha="left", va="center", fontsize=BODY, fontweight="bold")
            ax.text(x0 - label_w + 0.2, yy + ch / 2, RELIABILITY_MEANING[r], ha="left", va="center",
                    fontsize=SMALL + 0.5, color=style.BLACK)
            for j, c in enumerate(derive.CREDIBILITY):
                n = int(counts.loc[r, c])
                fill, ink = shade(n, top)
                ax.add_patch(Rectangle((x0 + j * cw, yy), cw, ch, facecolor=fill, edgecolor=style.GREY,
                                       linewidth=0.6, gid=f"cell:{r}:{c}"))
                ax.text(x0 + j * cw + cw / 2, yy + ch / 2, str(n), ha="center", va="center",
                        fontsize=BODY + (1 if n else 0), color=ink, fontweight="bold" if n else "normal",
                        gid=f"count:{r}:{c}")
            ax.text(x0 + grid_w + 0.375, yy + ch / 2, str(int(counts.loc[r].sum())), ha="center", va="center",
                    fontsize=BODY, gid=f"total-row:{r}")
        yy = y + len(derive.RELIABILITY) * ch
        ax.text(x0 - label_w, yy + ch / 2, "total", ha="left", va="center", fontsize=BODY, fontweight="bold")
        for j, c in enumerate(derive.CREDIBILITY):
            ax.text(x0 + j * cw + cw / 2, yy + ch / 2, str(int(counts[c].sum())), ha="center", va="center",
                    fontsize=BODY, gid=f"total-col:{c}")
        ax.text(x0 + grid_w + 0.375, yy + ch / 2, str(total), ha="center", va="center", fontsize=BODY,
                fontweight="bold", gid="total")
        put_lines(ax, 0.1, yy + ch + 0.2, note_lines, SMALL)

    ids = citations.source_ids_of(t.claims)
    nonzero = [(r, c, int(counts.loc[r, c])) for r in derive.RELIABILITY for c in derive.CREDIBILITY if counts.loc[r, c]]
    nonzero.sort(key=lambda x: (-x[2], x[0], x[1]))
    common = ", ".join(f"{r}{c} ({n})" for r, c, n in nonzero[:3])
    alt = (f"Grid of {total} claims by Admiralty grade, reliability A to F against credibility 1 to 6; "
           f"{len(nonzero)} of 36 grades are used" + (f", the most common {common}." if common else "."))
    return style.finish(
        fig,
        title="The claims by how well they are supported (Admiralty grades)",
        alt=alt,
        source_line=citations.source_line(t.sources, ids, tables=["claims"]),
        source_ids=ids,
    )
