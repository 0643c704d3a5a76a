"""Statistical bands of contour edges: leave-one-batch-out jackknife over the simulated events.

Every simulated event belongs to a batch b = (index of its meson in the sample) mod B (the e+e- source: event
index mod B), so copies of a reused meson share a batch and the batch-to-batch spread covers both the decay
sampling and the finite meson sample. A yield is a sum over channels of ratios sum_i w_i P_i(c) / sum_i w_i;
its replicate N_(-b)(c) takes every ratio without batch b (:func:`darkreach.sensitivity.yields.
expected_events_replicates`). The jackknife variance of any smooth function f of the yields is

    var_J(f) = (B - 1) / B * sum_b (f_(-b) - mean_b f_(-b))^2                    (Efron & Stein 1981)

which for a plain mean equals the usual s^2/n exactly. Contour edges are such functions: each replicate grid
gives its own intervals (:func:`darkreach.sensitivity.contours.coupling_intervals`), and the spread of
s = sd_J(log edge) is the edge's relative uncertainty. The 68 % band of an edge is [edge e^-s, edge e^+s] and
``edge_precision`` = s.

Matching rule for intervals that change between replicates: for a nominal interval [L, H], a replicate's
edges are the lowest low and the highest high of its intervals that overlap [L, H]. A replicate without any
overlapping interval (the region vanished without batch b) counts as an interval shrunk to the nominal one's
geometric centre sqrt(L H): the band then widens towards the centre, it never becomes NaN. Replicate intervals
that do not overlap a nominal one are not drawn (the nominal line has no edge there to attach a band to); their
count is reported as ``replicate_only``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from darkreach.sensitivity.contours import Interval, coupling_intervals

__all__ = ["EdgeBand", "jackknife_sd", "interval_bands"]


def jackknife_sd(replicates: np.ndarray) -> np.ndarray:
    """Jackknife standard deviation over axis 0 of leave-one-out replicates (B, ...): sqrt((B-1)/B sum (x_b -
    mean)^2)."""
    reps = np.asarray(replicates, dtype=np.float64)
    b = reps.shape[0]
    if b < 2:
        raise ValueError(f"a jackknife needs at least 2 replicates, got {b}")
    dev = reps - reps.mean(axis=0)
    return np.sqrt((b - 1) / b * np.sum(dev * dev, axis=0))


@dataclass(frozen=True)
class EdgeBand:
    """A nominal interval with the 68 % band of each edge (``precision_*``: relative half-width s)."""

    interval: Interval
    precision_low: float
    precision_high: float
    vanished: int = 0
    replicate_only: int = 0

    @property
    def low_band(self) -> tuple[float, float]:
        """[low e^-s, low e^+s]."""
        return self.interval.low * math.exp(-self.precision_low), self.interval.low * math.exp(self.precision_low)

    @property
    def high_band(self) -> tuple[float, float]:
        """[high e^-s, high e^+s]."""
        s = self.precision_high
        return self.interval.high * math.exp(-s), self.interval.high * math.exp(s)


def _overlaps(a: Interval, low: float, high: float) -> bool:
    return a.low <= high and a.high >= low


def interval_bands(
    couplings: Sequence[float] | np.ndarray, nominal: np.ndarray, replicates: np.ndarray, level: float
) -> list[EdgeBand]:
    """The intervals of ``nominal`` (n_couplings) with N >= ``level`` and their edge bands from ``replicates``
    (B, n_couplings), with the matching rule of the module docstring."""
    reps = np.asarray(replicates, dtype=np.float64)
    c = np.asarray(couplings, dtype=np.float64)
    if reps.ndim != 2 or reps.shape[1] != c.size:
        raise ValueError(f"replicates must have shape (B, {c.size}), got {reps.shape}")
    base = coupling_intervals(c, nominal, level)
    if not base:
        return []
    per_rep = [coupling_intervals(c, np.maximum(r, 0.0), level) for r in reps]
    out: list[EdgeBand] = []
    for iv in base:
        log_lo = np.empty(reps.shape[0])
        log_hi = np.empty(reps.shape[0])
        vanished = 0
        centre = 0.5 * (math.log(iv.low) + math.log(iv.high))
        for b, ivs in enumerate(per_rep):
            match = [r for r in ivs if _overlaps(r, iv.low, iv.high)]
            if match:
                log_lo[b] = math.log(min(r.low for r in match))
                log_hi[b] = math.log(max(r.high for r in match))
            else:
                vanished += 1
                log_lo[b] = log_hi[b] = centre
        extra = sum(1 for ivs in per_rep for r in ivs if not any(_overlaps(r, x.low, x.high) for x in base))
        out.append(
            EdgeBand(iv, float(jackknife_sd(log_lo)), float(jackknife_sd(log_hi)), vanished, replicate_only=extra)
        )
    return out


def column_precision(
    couplings: np.ndarray, nominal: np.ndarray, replicates: np.ndarray, levels: Sequence[float]
) -> float:
    """The worst edge precision at one mass: the largest s over every interval edge inside the grid, for each
    of ``levels`` (N = level, i.e. one per exposure); 0 when no edge lies inside the grid."""
    worst = 0.0
    for level in levels:
        for band in interval_bands(couplings, nominal, replicates, level):
            if not band.interval.low_open:
                worst = max(worst, band.precision_low)
            if not band.interval.high_open:
                worst = max(worst, band.precision_high)
    return worst
