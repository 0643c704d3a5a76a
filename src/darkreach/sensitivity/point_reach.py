"""The reach of one experiment at one model point, with statistical bands and optional convergence control.

What the command line's ``reach`` computes: the yields N(c) of one simulated point (stream key 0, as the first
mass of a scan), their jackknife replicates (:mod:`darkreach.sensitivity.bands`) and, with a precision target,
more rounds of events (stream keys 1, 2, ...) until every edge inside the coupling grid is that precise or the
event cap is reached, rounds combined weighted by their events exactly as
:func:`darkreach.sensitivity.scan.scan_signals` does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from darkreach.sensitivity.bands import EdgeBand, column_precision, interval_bands
from darkreach.sensitivity.contours import coupling_intervals

if TYPE_CHECKING:
    from darkreach.models.base import DarkSectorModel, Point
    from darkreach.production import PointSignal, ProductionSource

__all__ = ["PointReach", "point_reach"]


@dataclass(frozen=True)
class PointReach:
    """N(c) on the grid, its replicates (B, n_couplings), the continuous N(c) (None for grid-only sources), the
    events used per channel and the worst edge precision reached (0 without edges inside the grid)."""

    couplings: np.ndarray
    grid: np.ndarray
    replicates: np.ndarray
    refine: Callable[[float], float] | None
    events_used: int
    precision: float

    def bands(self, level: float) -> list[EdgeBand]:
        """Intervals with N >= ``level`` (edges refined on the continuous N(c) when available) and their bands.

        The band half-width s of each edge comes from the grid replicates; it is applied around the refined
        edge (the refined and grid intervals are the same intervals: both follow the grid's N >= level mask).
        """
        grid_bands = interval_bands(self.couplings, self.grid, self.replicates, level)
        refined = coupling_intervals(self.couplings, self.grid, level, refine=self.refine)
        return [
            EdgeBand(iv, b.precision_low, b.precision_high, b.vanished, b.replicate_only)
            for iv, b in zip(refined, grid_bands)
        ]


def point_reach(
    source: ProductionSource,
    model: DarkSectorModel,
    point: Point,
    couplings: np.ndarray,
    threshold: float,
    n_interactions: float,
    n_events: int,
    seed: int,
    level: float,
    precision: float | None = None,
    max_events: int | None = None,
    acceptance: str | None = None,
    batches: int = 20,
) -> PointReach:
    """The reach of ``source``'s experiment at ``point`` (module docstring); ``max_events`` defaults to 8 x
    ``n_events`` when a ``precision`` is asked for."""
    if precision is not None and not (math.isfinite(precision) and precision > 0.0):
        raise ValueError(f"precision must be a positive number, got {precision!r}")
    cap = max_events if max_events is not None else 8 * n_events
    signals: list[tuple[int, PointSignal]] = []
    grid = reps = np.zeros(0)
    used = 0
    worst = 0.0
    n = n_events
    while True:
        signal = source.simulate(model, point, n, seed, len(signals), acceptance=acceptance, batches=batches)
        g, r = signal.expected_events_replicates(couplings, threshold, n_interactions)
        grid = g if not signals else (used * grid + n * g) / (used + n)
        reps = r if not signals else (used * reps + n * r) / (used + n)
        signals.append((n, signal))
        used += n
        worst = column_precision(couplings, grid, reps, (level,))
        if precision is None or worst <= precision or used >= cap:
            break
        n = int(min(cap - used, max(used, math.ceil(used * ((worst / precision) ** 2 * 1.2 - 1.0)))))

    def refine(c: float) -> float:
        if len(signals) == 1:
            return float(signals[0][1].expected_events(np.array([c]), threshold, n_interactions)[0])
        values = [k * float(s.expected_events(np.array([c]), threshold, n_interactions)[0]) for k, s in signals]
        return sum(values) / used

    continuous = getattr(source, "continuous_reach", True)
    return PointReach(couplings, grid, reps, refine if continuous else None, used, worst)
