"""Upper limits of darkreach.bounds.statistics against textbook numbers, brute force and toy Monte Carlo."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

from darkreach.bounds.statistics import (
    gaussian_upper_limit,
    poisson_cdf,
    poisson_upper_limit,
    signal_upper_limit,
)


# --------------------------------------------------------------------------- brute-force references
def _poisson_cdf_explicit(n: int, mu: np.ndarray) -> np.ndarray:
    """sum_{k<=n} e^-mu mu^k / k!, written out term by term (no incomplete gamma function)."""
    return sum(np.exp(-mu) * mu**k / math.factorial(k) for k in range(n + 1))


def _first_crossing(s_grid: np.ndarray, values: np.ndarray, target: float) -> float:
    """s where a decreasing tabulated function crosses ``target``, linear between grid points."""
    i = int(np.argmax(values < target))
    assert i > 0, "grid does not bracket the crossing"
    s0, s1, v0, v1 = s_grid[i - 1], s_grid[i], values[i - 1], values[i]
    return float(s0 + (target - v0) * (s1 - s0) / (v1 - v0))


def _brute_force_limit(n: int, b: float, cl: float, sigma_b: float = 0.0, cls: bool = False) -> float:
    """Scan s on a fine grid; with sigma_b, average P(n <= n_obs | s + b') over a Gamma(mean b, sd sigma_b)
    density of b' tabulated on a grid (trapezoid rule) -- independent of the negative-binomial sum."""
    s_grid = np.linspace(0.0, 20.0, 20001)  # step 1e-3
    if sigma_b == 0.0:
        p = _poisson_cdf_explicit(n, s_grid + b)
        p0 = _poisson_cdf_explicit(n, np.array(b))
    else:
        k, theta = (b / sigma_b) ** 2, sigma_b**2 / b
        b_grid = np.linspace(max(b - 8 * sigma_b, 1e-9), b + 8 * sigma_b, 1601)
        dens = stats.gamma.pdf(b_grid, k, scale=theta)
        dens /= np.trapezoid(dens, b_grid)
        table = _poisson_cdf_explicit(n, s_grid[:, None] + b_grid[None, :])
        p = np.trapezoid(table * dens[None, :], b_grid, axis=1)
        p0 = p[0]
    values = p / p0 if cls else p
    return _first_crossing(s_grid, values, 1.0 - cl)


# --------------------------------------------------------------------------- known numbers
def test_classical_known_numbers():
    # n = 0, b = 0: s_up = -ln(1 - CL)
    assert poisson_upper_limit(0, 0.0, cl=0.9) == pytest.approx(2.302585093, rel=1e-9)
    assert poisson_upper_limit(0, 0.0, cl=0.95) == pytest.approx(2.995732274, rel=1e-9)
    # n = 1, b = 0.5, 95% CL: mu_up = 4.7439 (PDG table of Poisson upper limits), minus b
    assert poisson_upper_limit(1, 0.5, cl=0.95) == pytest.approx(4.244, abs=5e-4)
    # the classical limit is the inverse of the regularised incomplete gamma function, to 1e-10
    for n, b, cl in [(0, 0.0, 0.95), (1, 0.5, 0.95), (5, 3.5, 0.95), (3, 1.2, 0.9), (20, 10.0, 0.99)]:
        exact = special.gammainccinv(n + 1, 1.0 - cl) - b
        assert poisson_upper_limit(n, b, cl) == pytest.approx(exact, rel=1e-10)


def test_cls_known_numbers():
    # n = 0: CLs(s) = e^-(s+b) / e^-b = e^-s, so the limit is -ln(1-CL) for every background
    for b in (0.0, 0.5, 3.0, 10.0):
        assert poisson_upper_limit(0, b, 0.95, method="cls") == pytest.approx(-math.log(0.05), rel=1e-10)
    # b = 0: CLs coincides with the classical limit
    assert poisson_upper_limit(4, 0.0, 0.9, "cls") == pytest.approx(poisson_upper_limit(4, 0.0, 0.9), rel=1e-12)


# --------------------------------------------------------------------------- paper 000 sec. 4.2 bounds
def test_bebc_limit_against_brute_force():
    # BEBC: 1 observed event, background 0.5 +- 0.1, 95% CL
    s_up = poisson_upper_limit(1, 0.5, cl=0.95, background_uncertainty=0.1)
    assert s_up == pytest.approx(_brute_force_limit(1, 0.5, 0.95, sigma_b=0.1), rel=2e-5)
    assert s_up == pytest.approx(4.2478, abs=1e-4)
    # background uncertainty makes the limit weaker (Cousins-Highland), by ~4e-3 here
    assert 0.0 < s_up - poisson_upper_limit(1, 0.5, cl=0.95) < 0.01
    # CLs, same inputs
    s_cls = poisson_upper_limit(1, 0.5, 0.95, "cls", 0.1)
    assert s_cls == pytest.approx(_brute_force_limit(1, 0.5, 0.95, sigma_b=0.1, cls=True), rel=2e-5)
    assert s_cls == pytest.approx(4.3640, abs=1e-4)


def test_nucal_limit_against_brute_force():
    # NuCal: 5 observed events, background 3.5, 95% CL
    s_up = poisson_upper_limit(5, 3.5, cl=0.95)
    assert s_up == pytest.approx(_brute_force_limit(5, 3.5, 0.95), rel=1e-5)
    assert s_up == pytest.approx(7.0130, abs=1e-4)
    s_cls = poisson_upper_limit(5, 3.5, 0.95, "cls")
    assert s_cls == pytest.approx(_brute_force_limit(5, 3.5, 0.95, cls=True), rel=1e-5)
    assert s_cls == pytest.approx(7.2751, abs=1e-4)


def test_charm2_gaussian_limit():
    # CHARM-II: 5429 observed, no excess (b = n_obs), 95% CL one-sided -> 1.645 sqrt(5429)
    s_up = gaussian_upper_limit(5429, 5429, cl=0.95)
    assert s_up == pytest.approx(121.2, abs=0.05)
    assert s_up == pytest.approx(1.6448536269514722 * math.sqrt(5429.0), rel=1e-12)
    assert signal_upper_limit({"observed": 5429, "background": 5429, "method": "gaussian"}) == s_up
    # two-sided uses z = 1.96; background uncertainty adds in quadrature; an excess adds linearly
    two_sided = gaussian_upper_limit(5429, 5429, 0.95, one_sided=False)
    assert two_sided == pytest.approx(1.959964 * math.sqrt(5429), rel=1e-6)
    assert gaussian_upper_limit(100, 90, 0.95, sigma_background=5.0) == pytest.approx(
        10.0 + 1.6448536 * math.sqrt(125.0), rel=1e-7
    )
    assert gaussian_upper_limit(100, 120, 0.95) == pytest.approx(16.448536, rel=1e-7)  # deficit: no negative part


def test_gaussian_approaches_classical_at_large_counts():
    # with n = b = 400 the Poisson (classical) and Gaussian limits agree to a few per cent
    assert poisson_upper_limit(400, 400.0, 0.95) == pytest.approx(gaussian_upper_limit(400, 400.0, 0.95), rel=0.05)


# --------------------------------------------------------------------------- background uncertainty
def test_background_uncertainty_limits():
    base = poisson_upper_limit(1, 0.5, 0.95)
    # sigma -> 0 reduces to the exact-background limit, with a shift ~ sigma^2
    shifts = [poisson_upper_limit(1, 0.5, 0.95, background_uncertainty=s) - base for s in (1e-2, 1e-3)]
    assert shifts[0] > 0.0 and shifts[1] > 0.0
    assert shifts[0] / shifts[1] == pytest.approx(100.0, rel=1e-3)
    assert poisson_upper_limit(1, 0.5, 0.95, background_uncertainty=1e-6) == pytest.approx(base, rel=1e-10)
    # larger uncertainty -> weaker limit (here and for NuCal-like numbers)
    seq = [poisson_upper_limit(1, 0.5, 0.95, background_uncertainty=s) for s in (0.0, 0.1, 0.2, 0.4)]
    assert all(a < b for a, b in zip(seq[:-1], seq[1:]))
    assert poisson_upper_limit(5, 3.5, 0.95, background_uncertainty=1.0) > poisson_upper_limit(5, 3.5, 0.95)
    # the negative-binomial cdf matches a direct integration over the Gamma density
    k, theta = (3.5 / 1.0) ** 2, 1.0 / 3.5
    b_grid = np.linspace(1e-6, 12.0, 40001)
    dens = stats.gamma.pdf(b_grid, k, scale=theta)
    direct = np.trapezoid(_poisson_cdf_explicit(5, 2.0 + b_grid) * dens, b_grid)
    assert poisson_cdf(5, 5.5, background_uncertainty=1.0, background=3.5) == pytest.approx(direct, rel=1e-7)


# --------------------------------------------------------------------------- monotonicity and ordering
def test_monotonicity_and_cls_not_below_classical():
    for b in (0.0, 0.5, 3.5):
        limits = [poisson_upper_limit(n, b, 0.95) for n in range(12)]
        assert all(a < c for a, c in zip(limits[:-1], limits[1:])), b
    for n in (0, 1, 5):
        limits = [poisson_upper_limit(n, b, 0.95) for b in np.linspace(0.0, 4.0, 9)]
        positive = [x for x in limits if x > 0.0]
        assert all(a > c for a, c in zip(positive[:-1], positive[1:])), n
    for n in range(8):
        for b in (0.0, 0.3, 1.0, 3.0, 8.0):
            assert poisson_upper_limit(n, b, 0.9, "cls") >= poisson_upper_limit(n, b, 0.9) - 1e-12
    # far below the background the Neyman interval is empty -> 0; CLs stays positive
    assert poisson_upper_limit(0, 5.0, 0.95) == 0.0
    assert poisson_upper_limit(0, 5.0, 0.95, "cls") == pytest.approx(2.9957, abs=1e-4)


def test_classical_coverage_toy_mc():
    # b = 3, CL = 90%: the classical upper limit covers the true signal in >= 90% of the toys
    rng = np.random.default_rng(20240521)
    b, cl = 3.0, 0.9
    table = np.array([poisson_upper_limit(n, b, cl) for n in range(60)])  # s_up for every count that occurs
    for s_true in (1.0, 4.0):
        counts = rng.poisson(s_true + b, size=20000)
        ups = table[counts]
        coverage = float(np.mean(ups >= s_true))
        assert coverage >= cl - 3.0 * math.sqrt(cl * (1 - cl) / counts.size), (s_true, coverage)
        # Neyman construction of a discrete count over-covers, but not grossly for these values
        assert coverage < 0.99


# --------------------------------------------------------------------------- dispatch and errors
def test_signal_upper_limit_dispatch():
    assert signal_upper_limit({"events": 10}) == 10.0
    assert isinstance(signal_upper_limit({"events": 10}), float)
    assert signal_upper_limit({"observed": 5, "background": 3.5}) == poisson_upper_limit(5, 3.5, 0.95)
    assert signal_upper_limit(
        {"observed": 1, "background": 0.5, "background_uncertainty": 0.1, "cl": 0.95, "method": "cls"}
    ) == poisson_upper_limit(1, 0.5, 0.95, "cls", 0.1)
    assert signal_upper_limit({"observed": 0, "background": 0.0, "cl": 0.9}) == pytest.approx(2.302585093)


@pytest.mark.parametrize(
    "spec,key",
    [
        ({"background": 1.0}, "observed"),
        ({"observed": 1}, "background"),
        ({"observed": 1, "background": 0.5, "sigma": 0.1}, "sigma"),
        ({"observed": 1, "background": 0.5, "method": "bayes"}, "method"),
        ({"observed": -1, "background": 0.5}, "observed"),
        ({"observed": 1.5, "background": 0.5}, "observed"),
        ({"observed": 1, "background": -0.5}, "background"),
        ({"observed": 1, "background": 0.5, "cl": 1.0}, "cl"),
        ({"observed": 1, "background": 0.5, "background_uncertainty": -0.1}, "background_uncertainty"),
        ({"events": 0}, "events"),
        ({"events": 10, "cl": 0.9}, "cl"),
    ],
)
def test_signal_upper_limit_errors_name_the_key(spec, key):
    with pytest.raises(ValueError, match=repr(key)):
        signal_upper_limit(spec)


@pytest.mark.parametrize(
    "kwargs,name",
    [
        ({"n_observed": -1}, "n_observed"),
        ({"n_observed": 2.0}, "n_observed"),
        ({"n_observed": 1, "background": -0.1}, "background"),
        ({"n_observed": 1, "cl": 0.0}, "cl"),
        ({"n_observed": 1, "cl": 1.0}, "cl"),
        ({"n_observed": 1, "method": "bayes"}, "method"),
        ({"n_observed": 1, "background_uncertainty": float("nan")}, "background_uncertainty"),
    ],
)
def test_poisson_upper_limit_errors(kwargs, name):
    with pytest.raises(ValueError, match=name):
        poisson_upper_limit(**kwargs)
