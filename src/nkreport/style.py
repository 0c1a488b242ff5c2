"""The one figure style of the report, written once.

Colours are Paul Tol's "high contrast" scheme (blue, red, yellow on white/black): safe
for the common colour-vision deficiencies and distinct in grey-scale because their
lightness differs. Every encoding that matters is doubled by something that survives
grey-scale printing: line style, marker shape or hatching.

Figures are built on :class:`matplotlib.figure.Figure` directly, never through pyplot,
so nothing is shown twice in a notebook and no global figure state leaks between
figures. Output is byte-stable: fixed SVG hash salt, no dates in metadata.
"""
from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

# Paul Tol, high-contrast qualitative scheme (https://personal.sron.nl/~pault/).
BLUE = "#004488"
RED = "#BB5566"
YELLOW = "#DDAA33"
BLACK = "#000000"
GREY = "#6E6E6E"  # neutral, for context marks and text of secondary weight
LIGHT = "#E8E8E8"  # background bands
WHITE = "#FFFFFF"

#: What each relation or stance looks like, everywhere in the report.
ENCODING = {
    # name: (colour, line style, marker, hatch)
    "supports": (BLUE, "-", "o", ""),
    "alleged_support": (BLUE, (0, (5, 3)), "o", "///"),
    "hostile": (RED, ":", "x", "xxx"),
    "neutral": (GREY, "-", "s", ""),
    "mediator": (BLACK, "-.", "D", "..."),
    "good_relations": (YELLOW, "-", "^", "\\\\\\"),
    "trade_relations": (YELLOW, (0, (1, 1)), "^", "..."),
    "territorial_integrity": (BLUE, "-", "P", ""),
    "non_recognition": (RED, "-", "X", ""),
    "isolates": (RED, "--", "v", ""),
}

WIDTH = 8.0  # inches: the report's text width at 100 %
FONT_SIZE = 9.5

RC = {
    "font.family": "DejaVu Sans",
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 1,
    "axes.labelsize": FONT_SIZE,
    "axes.edgecolor": GREY,
    "axes.labelcolor": BLACK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": BLACK,
    "ytick.color": BLACK,
    "xtick.labelsize": FONT_SIZE - 0.5,
    "ytick.labelsize": FONT_SIZE - 0.5,
    "legend.fontsize": FONT_SIZE - 0.5,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "svg.hashsalt": "nkreport",
    "svg.fonttype": "path",
    "path.simplify": True,
    "hatch.linewidth": 0.6,
}


@contextmanager
def rc():
    with matplotlib.rc_context(RC):
        yield


@dataclass
class FigureInfo:
    """What travels with a figure: its title, alt text and the sources of what it draws."""

    title: str
    alt: str
    source_ids: list[str] = field(default_factory=list)
    source_line: str = ""


def new_figure(height: float, width: float = WIDTH) -> Figure:
    with rc():
        return Figure(figsize=(width, height), layout=None)


def finish(fig: Figure, *, title: str, alt: str, source_line: str, source_ids: list[str]) -> Figure:
    """Write the title and the Source line onto the figure and attach its alt text.

    The info is stored as ``fig.nkreport`` (a :class:`FigureInfo`) and travels into
    the SVG and PNG metadata when the figure is rendered.
    """
    with rc():
        fig.text(0.01, 0.995, title, ha="left", va="top", fontsize=FONT_SIZE + 2, fontweight="bold")
        fig.text(0.01, 0.005, source_line, ha="left", va="bottom", fontsize=FONT_SIZE - 1.5,
                 color=GREY, wrap=True)
    fig.nkreport = FigureInfo(title=title, alt=alt, source_ids=list(source_ids), source_line=source_line)
    return fig


def render(fig: Figure) -> tuple[bytes, bytes]:
    """The figure as (SVG, PNG) bytes, the same bytes for the same figure every time."""
    info: FigureInfo | None = getattr(fig, "nkreport", None)
    title = info.title if info else ""
    alt = info.alt if info else ""
    with rc():
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None, "Title": title, "Description": alt})
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=150, metadata={"Software": None, "Title": title, "Description": alt})
    return svg.getvalue(), png.getvalue()
