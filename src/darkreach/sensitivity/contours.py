"""Iso-event contours: the coupling intervals where N >= level, mass by mass.

A sensitivity region in the (mass, coupling) plane is usually closed: at small couplings too few LLPs
are produced, at large couplings they decay before the detector. Each mass therefore gives zero, one or
several intervals [c_low, c_high]. Crossings are found on the scan grid and placed by log-log
interpolation, or refined by root finding when the caller supplies the continuous N(c).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq


@dataclass(frozen=True)
class Interval:
    """A coupling interval where N >= level; ``*_open`` flags an edge that lies at the end of the grid."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False


def _crossing(c0: float, c1: float, n0: float, n1: float, level: float) -> float:
    """Log-log interpolation of the point between (c0, n0) and (c1, n1) where N = level."""
    if n0 > 0.0 and n1 > 0.0:
        l0, l1, ll = math.log(n0), math.log(n1), math.log(level)
        t = (ll - l0) / (l1 - l0)
    else:  # one side is exactly zero (closed channel or vanishing decay probability): linear in N
        t = (level - n0) / (n1 - n0)
    t = min(1.0, max(0.0, t))
    return math.exp(math.log(c0) + t * (math.log(c1) - math.log(c0)))


def coupling_intervals(
    couplings: Sequence[float] | np.ndarray,
    n_events: Sequence[float] | np.ndarray,
    level: float,
    refine: Callable[[float], float] | None = None,
) -> list[Interval]:
    """Intervals of ``couplings`` (strictly increasing, positive) where ``n_events`` >= ``level``.

    With ``refine`` (the continuous N(c)), every crossing bracketed by two grid points is located by
    Brent's method on log N - log level in log c, to relative precision 1e-10.
    """
    c = np.asarray(couplings, dtype=np.float64)
    n = np.asarray(n_events, dtype=np.float64)
    if c.ndim != 1 or c.shape != n.shape or c.size < 2:
        raise ValueError("couplings and n_events must be 1-d arrays of the same length >= 2")
    if np.any(~np.isfinite(n)) or np.any(n < 0):
        raise ValueError("n_events must be finite and non-negative")
    if np.any(c <= 0) or np.any(np.diff(c) <= 0):
        raise ValueError("couplings must be positive and strictly increasing")
    if not level > 0:
        raise ValueError(f"level must be positive, got {level!r}")
    above = n >= level

    def locate(i: int) -> float:
        # crossing between grid points i and i+1
        if refine is not None:

            def f(logc: float) -> float:
                val = refine(math.exp(logc))
                return (math.log(val) if val > 0 else -745.0) - math.log(level)

            try:
                return math.exp(brentq(f, math.log(c[i]), math.log(c[i + 1]), xtol=1e-12, rtol=1e-10))
            except ValueError:
                pass  # refined function does not change sign in the bracket: keep the grid estimate
        return _crossing(c[i], c[i + 1], n[i], n[i + 1], level)

    intervals: list[Interval] = []
    i = 0
    size = c.size
    while i < size:
        if not above[i]:
            i += 1
            continue
        start = i
        while i + 1 < size and above[i + 1]:
            i += 1
        stop = i
        low = c[0] if start == 0 else locate(start - 1)
        high = c[-1] if stop == size - 1 else locate(stop)
        intervals.append(Interval(low, high, low_open=start == 0, high_open=stop == size - 1))
        i += 1
    return intervals


def contour_rows(
    masses: Sequence[float], couplings: Sequence[float], grid: np.ndarray, level: float
) -> list[dict[str, float | int | bool]]:
    """Table of intervals for every mass of ``grid`` (shape n_masses x n_couplings)."""
    grid = np.asarray(grid)
    if grid.shape != (len(masses), len(couplings)):
        raise ValueError(f"grid shape {grid.shape} does not match {len(masses)} masses x {len(couplings)} couplings")
    rows: list[dict[str, float | int | bool]] = []
    for mass, column in zip(masses, grid):
        for k, iv in enumerate(coupling_intervals(couplings, column, level)):
            rows.append(
                {
                    "mass": float(mass),
                    "interval": k,
                    "coupling_low": iv.low,
                    "coupling_high": iv.high,
                    "low_at_grid_edge": iv.low_open,
                    "high_at_grid_edge": iv.high_open,
                }
            )
    return rows


def contour_polygon(rows: Sequence[dict[str, float | int | bool]]) -> tuple[np.ndarray, np.ndarray]:
    """Closed outline (mass, coupling) of the first interval per mass: lower edge forward, upper edge back.

    Good for drawing one connected region; masses without an interval break nothing (they are skipped).
    """
    first = [r for r in rows if r["interval"] == 0]
    if not first:
        return np.empty(0), np.empty(0)
    m = np.array([r["mass"] for r in first], dtype=float)
    lo = np.array([r["coupling_low"] for r in first], dtype=float)
    hi = np.array([r["coupling_high"] for r in first], dtype=float)
    xs = np.concatenate([m, m[::-1], m[:1]])
    ys = np.concatenate([lo, hi[::-1], lo[:1]])
    return xs, ys
