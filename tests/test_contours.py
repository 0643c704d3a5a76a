"""Coupling intervals where N >= level, on analytic event curves with known crossings."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from darkreach.sensitivity.contours import contour_rows, coupling_intervals

A = 1e24
B = 1e8
LEVEL = 3.0
GRID = np.logspace(-8, -2, 200)


def n_analytic(d):
    """N(d) = A d^4 exp(-B d^2): d^4 rise, exponential fall, maximum at d^2 = 2/B."""
    return A * d**4 * math.exp(-B * d * d)


def _true_crossings():
    d_peak = math.sqrt(2.0 / B)

    def g(x):  # log N - log level, written analytically so it never underflows
        return math.log(A) + 4.0 * math.log(x) - B * x * x - math.log(LEVEL)

    lo = brentq(g, GRID[0], d_peak, xtol=1e-30, rtol=1e-15)
    hi = brentq(g, d_peak, GRID[-1], xtol=1e-30, rtol=1e-15)
    return lo, hi


def test_analytic_crossings_grid_interpolation():
    lo, hi = _true_crossings()
    assert n_analytic(lo) == pytest.approx(LEVEL, rel=1e-10) and n_analytic(hi) == pytest.approx(LEVEL, rel=1e-10)
    assert GRID[0] < lo < hi < GRID[-1]
    values = np.array([n_analytic(x) for x in GRID])
    ivs = coupling_intervals(GRID, values, LEVEL)
    assert len(ivs) == 1
    iv = ivs[0]
    assert iv.low == pytest.approx(lo, rel=0.01)
    assert iv.high == pytest.approx(hi, rel=0.01)
    assert not iv.low_open and not iv.high_open
    # the edges are bracketed by the grid points on either side of the true crossing
    i_lo = np.searchsorted(GRID, lo)
    i_hi = np.searchsorted(GRID, hi)
    assert GRID[i_lo - 1] <= iv.low <= GRID[i_lo]
    assert GRID[i_hi - 1] <= iv.high <= GRID[i_hi]


def test_analytic_crossings_refined():
    lo, hi = _true_crossings()
    values = np.array([n_analytic(x) for x in GRID])
    ivs = coupling_intervals(GRID, values, LEVEL, refine=n_analytic)
    assert len(ivs) == 1
    assert ivs[0].low == pytest.approx(lo, rel=1e-8)
    assert ivs[0].high == pytest.approx(hi, rel=1e-8)


def test_entirely_below_level():
    values = np.array([n_analytic(x) for x in GRID])
    assert coupling_intervals(GRID, values, 10.0 * values.max()) == []
    assert coupling_intervals(GRID, np.zeros_like(GRID), 1.0) == []


def test_entirely_above_level_is_open_at_both_edges():
    values = np.full(GRID.size, 5.0)
    ivs = coupling_intervals(GRID, values, LEVEL)
    assert len(ivs) == 1
    iv = ivs[0]
    assert iv.low == GRID[0] and iv.high == GRID[-1]
    assert iv.low_open and iv.high_open


def test_open_at_one_edge():
    # monotonically rising N crosses once: interval open at the upper grid edge only
    values = np.array([A * x**4 for x in GRID])
    ivs = coupling_intervals(GRID, values, LEVEL)
    assert len(ivs) == 1
    assert ivs[0].high == GRID[-1] and ivs[0].high_open and not ivs[0].low_open
    assert ivs[0].low == pytest.approx((LEVEL / A) ** 0.25, rel=1e-6)  # power law: log-log interpolation is exact


def test_two_bumps_give_two_intervals():
    shift = 1e6

    def two_bumps(d):
        return n_analytic(d) + n_analytic(d / shift)  # second bump six decades higher

    grid = np.logspace(-8, 4, 400)
    values = np.array([two_bumps(x) for x in grid])
    # true crossings of the sum, each bracketed between a bump's peak and a point far on its side
    peak = math.sqrt(2.0 / B)
    f = lambda x: two_bumps(x) - LEVEL  # noqa: E731
    truth = [
        brentq(f, 1e-8, peak, xtol=1e-30, rtol=1e-14),
        brentq(f, peak, 1e-3, xtol=1e-30, rtol=1e-14),
        brentq(f, 1e-8 * shift, peak * shift, xtol=1e-30, rtol=1e-14),
        brentq(f, peak * shift, 1e-3 * shift, xtol=1e-30, rtol=1e-14),
    ]
    lo, hi = _true_crossings()
    assert truth[0] == pytest.approx(lo, rel=1e-12) and truth[3] == pytest.approx(shift * hi, rel=1e-12)
    ivs = coupling_intervals(grid, values, LEVEL, refine=two_bumps)
    assert len(ivs) == 2
    got = [ivs[0].low, ivs[0].high, ivs[1].low, ivs[1].high]
    np.testing.assert_allclose(got, truth, rtol=1e-8)
    assert not any(iv.low_open or iv.high_open for iv in ivs)
    # without refinement: same structure, edges within the grid-interpolation accuracy
    coarse = coupling_intervals(grid, values, LEVEL)
    assert len(coarse) == 2
    np.testing.assert_allclose([coarse[0].low, coarse[0].high, coarse[1].low, coarse[1].high], truth, rtol=0.01)


def test_drop_to_exact_zero():
    # N falls from above the level to exactly 0 (exp underflow, closed channel) within one grid step:
    # the upper edge lies inside that step
    values = np.array([n_analytic(x) for x in GRID])
    j = int(np.argmax(values)) + 3
    assert values[j] > LEVEL
    values[j + 1 :] = 0.0
    ivs = coupling_intervals(GRID, values, LEVEL)
    assert len(ivs) == 1
    assert GRID[j] <= ivs[0].high <= GRID[j + 1]
    assert not ivs[0].high_open


@pytest.mark.parametrize(
    "couplings,values,level",
    [
        ([1e-3, 1e-4, 1e-2], [1.0, 2.0, 3.0], 1.0),  # unsorted
        ([1e-3, 1e-3, 1e-2], [1.0, 2.0, 3.0], 1.0),  # repeated
        ([-1e-3, 1e-3, 1e-2], [1.0, 2.0, 3.0], 1.0),  # non-positive
        ([1e-4, 1e-3, 1e-2], [1.0, float("nan"), 3.0], 1.0),
        ([1e-4, 1e-3, 1e-2], [1.0, float("inf"), 3.0], 1.0),
        ([1e-4, 1e-3, 1e-2], [1.0, -2.0, 3.0], 1.0),
        ([1e-4, 1e-3, 1e-2], [1.0, 2.0, 3.0], 0.0),
        ([1e-4, 1e-3, 1e-2], [1.0, 2.0, 3.0], -1.0),
        ([1e-4, 1e-3, 1e-2], [1.0, 2.0, 3.0], float("nan")),
        ([1e-4, 1e-3, 1e-2], [1.0, 2.0], 1.0),  # length mismatch
        ([1e-4], [1.0], 1.0),  # too short
    ],
)
def test_invalid_inputs_raise(couplings, values, level):
    with pytest.raises(ValueError):
        coupling_intervals(couplings, values, level)


def test_contour_rows_shapes():
    masses = [0.1, 0.2, 0.3, 0.4]
    couplings = np.logspace(-8, 1, 120)
    grid = np.zeros((len(masses), couplings.size))
    grid[0] = [n_analytic(x) for x in couplings]  # one interval
    grid[1] = [n_analytic(x) + n_analytic(x / 1e3) for x in couplings]  # two intervals
    grid[2] = 0.0  # none
    grid[3] = 10.0  # open everywhere
    rows = contour_rows(masses, couplings, grid, LEVEL)
    assert [r["mass"] for r in rows] == [0.1, 0.2, 0.2, 0.4]
    assert [r["interval"] for r in rows] == [0, 0, 1, 0]
    keys = {"mass", "interval", "coupling_low", "coupling_high", "low_at_grid_edge", "high_at_grid_edge"}
    for r in rows:
        assert set(r) == keys
        assert r["coupling_low"] <= r["coupling_high"]
    assert rows[-1]["low_at_grid_edge"] and rows[-1]["high_at_grid_edge"]
    assert not rows[0]["low_at_grid_edge"] and not rows[0]["high_at_grid_edge"]
    lo, hi = _true_crossings()
    assert rows[0]["coupling_low"] == pytest.approx(lo, rel=0.01)
    assert rows[0]["coupling_high"] == pytest.approx(hi, rel=0.01)
    with pytest.raises(ValueError):
        contour_rows(masses, couplings, grid.T, LEVEL)
    with pytest.raises(ValueError):
        contour_rows(masses[:3], couplings, grid, LEVEL)
