"""Layout helpers every figure shares: text measured in the report's font, word wrap to a
width in inches, an axes in inches, tints, and the room the Source line needs."""
from __future__ import annotations

from functools import lru_cache

from matplotlib.colors import to_rgb
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from .. import style

SMALL = 7.5  # pt: the smallest text in a figure (legible at 8 in width)
BODY = 8.5
TOP = 0.55  # in: room for the title
BOTTOM = 0.5  # in: room for the Source line

_T2P = TextToPath()


@lru_cache(maxsize=4096)
def text_width(text: str, size: float = SMALL, bold: bool = False) -> float:
    """Width in inches of a string (its widest line), measured from the font (no renderer)."""
    prop = FontProperties(family=style.RC["font.family"], size=size, weight="bold" if bold else "normal")
    return max(_T2P.get_text_width_height_descent(line or " ", prop, ismath=False)[0] for line in str(text).split("\n")) / 72.0


def text_size(text: str, size: float = SMALL, bold: bool = False) -> tuple[float, float]:
    """Width and height in inches of (multi-line) text at line spacing 1.2."""
    return text_width(text, size, bold), len(str(text).split("\n")) * size * 1.2 / 72.0


def wrap(text: str, width: float, size: float = SMALL, bold: bool = False) -> list[str]:
    """Words of ``text`` in lines no wider than ``width`` inches (a longer word keeps a line
    of its own). Explicit newlines are kept."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for word in para.split():
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, size, bold) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def line_height(size: float = SMALL) -> float:
    return size * 1.28 / 72.0


def tint(colour, amount: float) -> tuple[float, float, float]:
    """``colour`` mixed with white: amount 1 is the colour, 0 is white."""
    r, g, b = to_rgb(colour)
    return (1 - amount * (1 - r), 1 - amount * (1 - g), 1 - amount * (1 - b))


def inch_axes(fig, height: float):
    """An invisible axes over the whole figure whose data units are inches from the top-left."""
    width = fig.get_figwidth()
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    return ax


def put_lines(ax, x, y, lines, size=SMALL, bold=False, colour=style.BLACK, gid=None, ha="left"):
    """Write lines top-down from (x, y) as one text artist; return the height used."""
    txt = ax.text(x, y, "\n".join(lines), ha=ha, va="top", fontsize=size, color=colour,
                  fontweight="bold" if bold else "normal", linespacing=1.2)
    if gid:
        txt.set_gid(gid)
    return len(lines) * line_height(size)




def source_line_height(line: str) -> float:
    """Inches the Source line takes at the foot of a figure (it wraps at the figure's width)."""
    size = style.FONT_SIZE - 1.5
    return len(wrap(line, style.WIDTH - 0.35, size)) * size * 1.3 / 72 + 0.1


# ---------------------------------------------------------------------------
# Keeping figures readable when the data grow: name a few, count the rest.

MAX_NAMES = 6  # claimants named in one cell or label of a figure; the rest are counted
MAX_NAME_LINES = 5  # ... and in no more lines than this
MAX_ENTRIES = 6  # entries drawn in one cell of a figure; the rest are counted


def name_list(names, cap: int = MAX_NAMES, width: float | None = None, size: float = SMALL,
              max_lines: int = MAX_NAME_LINES) -> str:
    """'Kucera, Rezaee, Armenians' -- the first distinct names, in their order, then
    '+N more' for the others: at most ``cap`` names and, given a ``width`` in inches, as
    many as fit in ``max_lines`` lines at ``size`` pt (always at least one). A figure
    names a few; its table and the claims ledger name all."""
    names = list(dict.fromkeys(str(n) for n in names if str(n)))
    for k in range(min(cap, len(names)), 0, -1):
        text = ", ".join(names[:k]) + (f" +{len(names) - k}\u00a0more" if k < len(names) else "")
        if k == 1 or width is None or len(wrap(text, width, size)) <= max_lines:
            return text
    return ""


def keep_most(candidates, count, cap: int) -> tuple[list, list]:
    """(kept, folded): all of ``candidates`` when there are at most ``cap``; else the
    ``cap - 1`` with the highest ``count(c)`` (ties: the earlier in ``candidates``), kept
    in their order, and the others, folded into one last place of the figure."""
    candidates = list(candidates)
    if len(candidates) <= cap:
        return candidates, []
    order = {c: i for i, c in enumerate(candidates)}
    keep = set(sorted(candidates, key=lambda c: (-count(c), order[c]))[:cap - 1])
    return [c for c in candidates if c in keep], [c for c in candidates if c not in keep]


def legend_columns(labels, width: float, fontsize: float, handlelength: float = 2.0,
                   handletextpad: float = 0.8, columnspacing: float = 2.0) -> int:
    """The most columns (up to one per item) for which a matplotlib legend of ``labels``
    fits in ``width`` inches. Matplotlib splits the items into columns with
    numpy.array_split, so the same split is measured here."""
    import numpy as np

    em = fontsize / 72.0
    items = [(handlelength + handletextpad) * em + text_width(str(x), fontsize) for x in labels]
    for ncol in range(len(items), 1, -1):
        cols = np.array_split(np.array(items), ncol)
        if sum(c.max() for c in cols if len(c)) + (ncol - 1) * columnspacing * em <= width:
            return ncol
    return 1
