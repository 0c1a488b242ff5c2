"""Figure: locator map of the South Caucasus, drawn from the Natural Earth cuts in data/geo/.

Countries are filled in light tints and greys, the Nagorno-Karabakh area is hatched, and
capitals and Stepanakert are marked. Everything named on the map comes from the GeoJSON
properties (Natural Earth's NAME, BRK_NAME and place names); the map only chooses which
features to label and where. Polygons are plain matplotlib patches.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from ..util import isna
from .layout import source_line_height
from .. import citations, data, style

COUNTRIES_FILE = "south_caucasus_countries_50m.geojson"
AREA_FILE = "nagorno_karabakh_10m.geojson"
PLACES_FILE = "south_caucasus_places_10m.geojson"
SOURCE_ID = "natural-earth"
EXCLAVE_ACTOR = "nakhchivan"  # named from actors.csv if the data has this actor

# The window (degrees): the South Caucasus and the edges of its neighbours.
LON = (38.0, 51.0)
LAT = (36.5, 44.0)

# Design choices: the parties, the neighbours worth naming, and where each name sits
# (lon, lat), chosen so that no name covers a border, a city or another name.
PARTIES = ("ARM", "AZE")
NEIGHBOURS = ("GEO", "IRN", "TUR", "RUS")
LABEL_AT = {
    "ARM": (45.05, 40.78),
    "AZE": (48.05, 40.95),
    "GEO": (42.55, 42.2),
    "RUS": (43.7, 43.65),
    "TUR": (40.3, 38.6),
    "IRN": (47.2, 37.2),
}
FILL = {"ARM": "#F6E7C8", "AZE": "#D6E2EE"}  # light tints of Tol yellow and blue
NEIGHBOUR_FILL = "#DCDCDC"
OTHER_FILL = "#EEEEEE"
WATER = "#F7FAFC"
BORDER = "#4D4D4D"
CAPITAL_CLASS = "Admin-0 capital"
NK_PLACE = "Stepanakert"  # the de facto capital, marked like a city
NK_LABEL_AT = (47.45, 40.2)  # the area's name, just outside it, with a leader line
SCALE_KM = 100
KM_PER_DEG_LAT = 111.32

ARROWS = ["\u2192", "\u2197", "\u2191", "\u2196", "\u2190", "\u2199", "\u2193", "\u2198"]


def _rings(geometry):
    """The polygons of a GeoJSON geometry, each as a list of rings (exterior first)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _signed_area(ring) -> float:
    a = np.asarray(ring, dtype=float)
    x, y = a[:, 0], a[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _centroid(ring) -> tuple[float, float]:
    a = np.asarray(ring, dtype=float)
    x, y = a[:, 0], a[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    area = cross.sum() / 2
    if area == 0:
        return float(x.mean()), float(y.mean())
    return float(((x + x1) * cross).sum() / (6 * area)), float(((y + y1) * cross).sum() / (6 * area))


def _path(polygons) -> Path:
    """One compound path; exteriors counter-clockwise, holes clockwise, so holes stay open."""
    verts, codes = [], []
    for rings in polygons:
        for k, ring in enumerate(rings):
            r = np.asarray(ring, dtype=float)
            ccw = _signed_area(r) > 0
            if (k == 0) != ccw:
                r = r[::-1]
            verts.extend(r.tolist())
            verts.append(r[0].tolist())
            codes.extend([Path.MOVETO] + [Path.LINETO] * (len(r) - 1) + [Path.CLOSEPOLY])
    return Path(verts, codes)


def _in_window(lon, lat) -> bool:
    return LON[0] <= lon <= LON[1] and LAT[0] <= lat <= LAT[1]


def _halo(width=2.5):
    return [patheffects.withStroke(linewidth=width, foreground="white")]


def locator_map(t):
    countries = data.geojson(COUNTRIES_FILE)
    area = data.geojson(AREA_FILE)
    places = data.geojson(PLACES_FILE)

    # The exclave is named from the actors table where it is an actor there.
    exclave_row = None
    if "actors" in t and (t["actors"]["actor_id"] == EXCLAVE_ACTOR).any():
        exclave_row = t["actors"][t["actors"]["actor_id"] == EXCLAVE_ACTOR].iloc[0]
    exclave_sources = [str(exclave_row["source_id"])] if exclave_row is not None else []

    # The Source line: the geo files, the credit the sources row gives, and its citation.
    has_credit = (t.sources["source_id"] == SOURCE_ID).any()
    source_ids = ([SOURCE_ID] if has_credit else []) + [s for s in exclave_sources if s != SOURCE_ID]
    files = ", ".join(f"data/geo/{n}" for n in (COUNTRIES_FILE, AREA_FILE, PLACES_FILE))
    if has_credit:
        credit = str(t.sources.loc[t.sources["source_id"] == SOURCE_ID, "title"].iloc[0]).split(":")[0]
        files += f" ({credit})"
    line = citations.source_line(t.sources, source_ids, tables=["actors"] if exclave_sources else [])
    line = line.replace("Source: ", f"Source: {files}; ", 1)

    mid_lat = (LAT[0] + LAT[1]) / 2
    x_per_y = math.cos(math.radians(mid_lat))  # equirectangular, true to scale at mid latitude
    ax_w = 7.0
    ax_h = ax_w * (LAT[1] - LAT[0]) / ((LON[1] - LON[0]) * x_per_y)
    top_in, bottom_in = 0.4, 0.62 + source_line_height(line)
    height = ax_h + top_in + bottom_in
    fig = style.new_figure(height)
    with style.rc():
        ax = fig.add_axes([0.6 / style.WIDTH, bottom_in / height, ax_w / style.WIDTH, ax_h / height])
        ax.set_xlim(*LON)
        ax.set_ylim(*LAT)
        ax.set_aspect(1 / x_per_y)
        ax.set_facecolor(WATER)
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(True)
            ax.spines[side].set_color(style.GREY)

        drawn: list[str] = []
        exclave = None
        features = sorted(countries["features"], key=lambda f: f["properties"]["ADM0_A3"])
        for feat in features:
            code = feat["properties"]["ADM0_A3"]
            polys = _rings(feat["geometry"])
            if not polys:
                continue
            fill = FILL.get(code, NEIGHBOUR_FILL if code in NEIGHBOURS else OTHER_FILL)
            patch = PathPatch(_path(polys), facecolor=fill, edgecolor=BORDER, linewidth=0.6, zorder=1)
            patch.set_gid(f"country:{code}")
            ax.add_patch(patch)
            if code in PARTIES or code in NEIGHBOURS:
                drawn.append(code)
            if code == "AZE" and len(polys) > 1:
                # The exclave: the largest part apart from the mainland (Nakhchivan).
                by_area = sorted(polys, key=lambda p: -abs(_signed_area(p[0])))
                exclave = by_area[1]

        # Country names (Natural Earth NAME).
        names = {f["properties"]["ADM0_A3"]: f["properties"]["NAME"] for f in features}
        for code in sorted(LABEL_AT):
            if code not in names:
                continue
            lon, lat = LABEL_AT[code]
            party = code in PARTIES
            txt = ax.text(lon, lat, names[code].upper(), ha="center", va="center",
                          fontsize=10.5 if party else 9.5, fontweight="bold" if party else "normal",
                          color=style.BLACK if party else "#333333", zorder=6, path_effects=_halo())
            txt.set_gid(f"label:{code}")

        # The exclave, named from the actors table where it is an actor, else described.
        if exclave is not None:
            if exclave_row is not None:
                exclave_label = f"{exclave_row['name']}\n({names.get('AZE', '')})"
            else:
                exclave_label = f"{names.get('AZE', '')}\n(exclave)"
            cx, cy = _centroid(exclave[0])
            txt = ax.text(cx, cy - 0.02, exclave_label, ha="center", va="center", fontsize=8,
                          style="italic", linespacing=1.0, zorder=6, path_effects=_halo())
            txt.set_gid("label:exclave")

        # The Nagorno-Karabakh area, hatched over Azerbaijan's tint.
        area_names = []
        for feat in sorted(area["features"], key=lambda f: f["properties"].get("BRK_NAME", "")):
            polys = _rings(feat["geometry"])
            if not polys:
                continue
            name = feat["properties"].get("BRK_NAME", "")
            patch = PathPatch(_path(polys), facecolor="none", edgecolor=style.BLACK, hatch="////",
                              linewidth=0.9, zorder=2)
            patch.set_gid(f"area:{name}")
            ax.add_patch(patch)
            area_names.append((name, feat["properties"].get("TYPE", ""), polys))

        # Capitals (star) and Stepanakert (circle); capitals beyond the window point off-map.
        feats = sorted(places["features"], key=lambda f: f["properties"]["name"])
        capitals = [f for f in feats if f["properties"].get("featurecla") == CAPITAL_CLASS]
        nk_places = [f for f in feats if f["properties"]["name"] == NK_PLACE]
        marked = []
        for f in capitals + nk_places:
            lon, lat = f["geometry"]["coordinates"]
            name = f["properties"]["name"]
            capital = f in capitals
            if _in_window(lon, lat):
                ax.plot([lon], [lat], marker="*" if capital else "o", markersize=11 if capital else 6,
                        markerfacecolor=style.BLACK, markeredgecolor="white", markeredgewidth=0.8,
                        linestyle="none", zorder=7, gid=f"place:{name}")
                dx = 0.12
                # Names sit to the right, or to the left where the right would run off-map.
                ha = "left" if lon + 1.2 < LON[1] else "right"
                ax.text(lon + (dx if ha == "left" else -dx), lat - 0.12 if name == NK_PLACE else lat + 0.1,
                        name, ha=ha, va="center", fontsize=9 if capital else 8.5,
                        fontweight="bold" if capital else "normal", zorder=7, path_effects=_halo(),
                        gid=f"placelabel:{name}")
                marked.append(name)
            else:
                angle = math.degrees(math.atan2((lat - mid_lat), (lon - (LON[0] + LON[1]) / 2) * x_per_y))
                arrow = ARROWS[int(((angle + 22.5) % 360) // 45)]
                x = min(max(lon, LON[0] + 0.1), LON[1] - 0.1)
                y = min(max(lat, LAT[0] + 0.18), LAT[1] - 0.18)
                right = x > (LON[0] + LON[1]) / 2
                label = f"{name} {arrow}" if right else f"{arrow} {name}"
                ax.text(x, y, label, ha="right" if right else "left", va="center", fontsize=9,
                        fontweight="bold", zorder=7, path_effects=_halo(), gid=f"placelabel:{name}")
                marked.append(name)

        # The area's name outside it, with a leader line to its centre.
        for name, kind, polys in area_names:
            main = max(polys, key=lambda p: abs(_signed_area(p[0])))
            cx, cy = _centroid(main[0])
            ax.annotate(name, xy=(cx + 0.2, cy + 0.3), xytext=NK_LABEL_AT, ha="left", va="center",
                        fontsize=9, fontweight="bold", zorder=8, path_effects=_halo(),
                        arrowprops=dict(arrowstyle="-", color=style.BLACK, linewidth=0.8,
                                        shrinkA=2, shrinkB=0))

        # Graticule labels and a scale bar.
        ax.set_xticks(np.arange(math.ceil(LON[0] / 2) * 2, LON[1] + 0.01, 2))
        ax.set_yticks(np.arange(math.ceil(LAT[0]), LAT[1] + 0.01, 1))
        ax.set_xticklabels([f"{v:g}°E" for v in ax.get_xticks()])
        ax.set_yticklabels([f"{v:g}°N" for v in ax.get_yticks()])
        ax.tick_params(labelsize=8, length=3, color=style.GREY)
        sb_lat = LAT[0] + 0.3
        sb_len = SCALE_KM / (KM_PER_DEG_LAT * math.cos(math.radians(sb_lat)))
        x0 = LON[0] + 0.35
        ax.add_patch(Rectangle((x0 - 0.15, sb_lat - 0.17), sb_len + 1.2, 0.5, facecolor="white",
                               edgecolor="none", alpha=0.85, zorder=8))
        ax.plot([x0, x0 + sb_len], [sb_lat, sb_lat], color=style.BLACK, linewidth=2.5,
                solid_capstyle="butt", zorder=9, gid="scalebar")
        for xx in (x0, x0 + sb_len):
            ax.plot([xx, xx], [sb_lat - 0.06, sb_lat + 0.06], color=style.BLACK, linewidth=0.8, zorder=9)
        ax.text(x0 + sb_len + 0.12, sb_lat, f"{SCALE_KM} km", ha="left", va="center", fontsize=8, zorder=9)
        ax.text(x0, sb_lat + 0.16, f"scale at {sb_lat:.1f}°N", ha="left", va="center", fontsize=7.5,
                color="#333333", zorder=9)

        # Legend (below the map).
        handles, labels = [], []
        for code in PARTIES:
            if code in names:
                handles.append(Rectangle((0, 0), 1, 1, facecolor=FILL[code], edgecolor=BORDER, linewidth=0.6))
                labels.append(names[code])
        handles.append(Rectangle((0, 0), 1, 1, facecolor=NEIGHBOUR_FILL, edgecolor=BORDER, linewidth=0.6))
        labels.append("neighbours")
        for name, kind, _ in area_names:
            handles.append(Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=style.BLACK, hatch="////",
                                     linewidth=0.8))
            labels.append(f"{name} ({kind.lower()} area)" if kind else name)
        handles.append(Line2D([], [], marker="*", markersize=10, color=style.BLACK, linestyle="none"))
        labels.append("capital")
        if nk_places:
            handles.append(Line2D([], [], marker="o", markersize=6, color=style.BLACK, linestyle="none"))
            labels.append(NK_PLACE)
        fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.6 / style.WIDTH, (bottom_in - 0.32) / height),
                   ncol=len(handles), fontsize=8, handlelength=1.6, columnspacing=1.0, handletextpad=0.5,
                   borderaxespad=0)

    shown = [names[c] for c in PARTIES + NEIGHBOURS if c in drawn]
    alt = (
        f"Locator map of the South Caucasus ({LON[0]:g}–{LON[1]:g}°E, {LAT[0]:g}–{LAT[1]:g}°N) showing "
        f"{', '.join(shown)}"
        + (f", {names.get('AZE', '')}'s exclave" if exclave is not None else "")
        + (f", the hatched {' and '.join(n for n, _, _ in area_names)} area" if area_names else "")
        + f", and {len(marked)} places marked ({', '.join(marked)})."
    )
    return style.finish(fig, title="The South Caucasus", alt=alt, source_line=line, source_ids=source_ids)
