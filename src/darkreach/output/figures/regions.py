"""The N >= level region of a contour table as closed outlines, and how it is drawn (outline, optional fill).

In the figures each region is drawn as its lower edge forward and its upper edge back, one polygon per interval
index and contiguous run of masses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np


def _runs(masses: np.ndarray) -> list[slice]:
    """Split sorted masses into contiguous runs (a gap is a step > 1.6x the median log step)."""
    if masses.size < 2:
        return [slice(0, masses.size)]
    steps = np.diff(np.log(masses))
    cut = 1.6 * np.median(steps)
    bounds = [0, *list(np.nonzero(steps > cut)[0] + 1), masses.size]
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]


def region_polygons(rows: Sequence[Mapping[str, Any]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Closed outlines (mass, coupling) of the N >= level region of one contour set.

    One polygon per interval index and contiguous mass run: lower edge forward, upper edge back, closed on the
    first point. Several intervals per mass give several polygons.
    """
    by_interval: dict[int, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_interval.setdefault(int(row["interval"]), []).append(row)
    polygons = []
    for k in sorted(by_interval):
        sel = sorted(by_interval[k], key=lambda r: r["mass"])
        m = np.array([r["mass"] for r in sel], dtype=float)
        lo = np.array([r["coupling_low"] for r in sel], dtype=float)
        hi = np.array([r["coupling_high"] for r in sel], dtype=float)
        for run in _runs(m):
            xs = np.concatenate([m[run], m[run][::-1], m[run][:1]])
            ys = np.concatenate([lo[run], hi[run][::-1], lo[run][:1]])
            polygons.append((xs, ys))
    return polygons


def draw_region(ax: Any, rows: Sequence[Mapping[str, Any]], fill_alpha: float | None = None, **style: Any) -> list:
    """Outline the N >= level region of one contour set: lower edge forward, upper edge back.

    With ``fill_alpha`` the region is also filled (an excluded region) in the outline's colour at that opacity.
    Returns the artists drawn.
    """
    label = style.pop("label", None)
    artists: list = []
    for xs, ys in region_polygons(rows):
        (line,) = ax.plot(xs, ys, label=label, **style)
        artists.append(line)
        if fill_alpha is not None:
            artists.extend(ax.fill(xs, ys, color=line.get_color(), alpha=fill_alpha, lw=0))
        label = None
    return artists


#: Opacity of the statistical bands of the edges.
BAND_ALPHA = 0.25


def draw_edge_bands(ax: Any, rows: Sequence[Mapping[str, Any]], color: Any, alpha: float = BAND_ALPHA) -> list:
    """Shade the 68 % statistical band of each edge (``coupling_{low,high}_{min,max}``), per interval index and
    contiguous mass run; rows without the band columns draw nothing. Returns the artists drawn."""
    keys = ("coupling_low_min", "coupling_low_max", "coupling_high_min", "coupling_high_max")
    if not rows or not all(k in r for r in rows for k in keys):
        return []
    by_interval: dict[int, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_interval.setdefault(int(row["interval"]), []).append(row)
    artists: list = []
    for k in sorted(by_interval):
        sel = sorted(by_interval[k], key=lambda r: r["mass"])
        m = np.array([r["mass"] for r in sel], dtype=float)
        for run in _runs(m):
            for edge in ("low", "high"):
                lo = np.array([r[f"coupling_{edge}_min"] for r in sel], dtype=float)[run]
                hi = np.array([r[f"coupling_{edge}_max"] for r in sel], dtype=float)[run]
                artists.append(ax.fill_between(m[run], lo, hi, color=color, alpha=alpha, lw=0, zorder=2))
    return artists


def draw_bound_region(
    ax: Any, rows: Sequence[Mapping[str, Any]], colour: Any, alpha: float, linestyle: str,
    edge_styles: Mapping[str, str], label: str | None = None,
) -> list:  # fmt: skip
    """A computed bound: the region filled, each edge in its own line style (``edge_styles`` maps ``low`` /
    ``high`` to a matplotlib style; missing: ``linestyle``; an open edge, one at the end of the coupling range, is
    not drawn), the closing vertical segments in ``linestyle``.

    Used for the LEP bound, whose lower edge (the EFT-validity floor) is dashed (paper 003, sec. 2.3).
    """
    artists: list = []
    by_interval: dict[int, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_interval.setdefault(int(row["interval"]), []).append(row)
    for k in sorted(by_interval):
        sel = sorted(by_interval[k], key=lambda r: r["mass"])
        m = np.array([r["mass"] for r in sel], dtype=float)
        lo = np.array([r["coupling_low"] for r in sel], dtype=float)
        hi = np.array([r["coupling_high"] for r in sel], dtype=float)
        for run in _runs(m):
            xs, ys_lo, ys_hi = m[run], lo[run], hi[run]
            artists.extend(ax.fill(np.concatenate([xs, xs[::-1]]), np.concatenate([ys_lo, ys_hi[::-1]]),
                                   color=colour, alpha=alpha, lw=0, zorder=1))  # fmt: skip
            artists.extend(draw_bound_edges(ax, sel[run], colour, linestyle, edge_styles))
            for j in (0, -1):
                artists.extend(ax.plot([xs[j], xs[j]], [ys_lo[j], ys_hi[j]], color=colour, lw=1.2, zorder=1,
                                       linestyle=linestyle))  # fmt: skip
    if artists and label is not None:
        artists[0].set_label(label)
    return artists


def draw_bound_edges(
    ax: Any, rows: Sequence[Mapping[str, Any]], colour: Any, linestyle: str, edge_styles: Mapping[str, str]
) -> list:
    """The lower and upper edges of a computed bound's rows (one mass run, one interval) as lines, skipping the
    points where an edge is open (``low_at_grid_edge`` / ``high_at_grid_edge``). Also how a projection is drawn."""
    sel = sorted(rows, key=lambda r: r["mass"])
    xs = np.array([r["mass"] for r in sel], dtype=float)
    artists: list = []
    for edge in ("low", "high"):
        ys = np.array([np.nan if r[f"{edge}_at_grid_edge"] else r[f"coupling_{edge}"] for r in sel], dtype=float)
        if np.all(np.isnan(ys)):
            continue
        style = edge_styles.get(edge, linestyle)
        artists.extend(ax.plot(xs, ys, color=colour, lw=1.2, zorder=1, linestyle=style))
    return artists
