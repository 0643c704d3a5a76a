"""Upper limits on the signal of a counting experiment (the existing bounds of paper 000, sec. 4.2).

The bounds of paper 000 (sec. 4.2) turn an observation into an upper limit on the number of signal events
s_up, and the excluded region is where the expected signal N(mass, coupling) exceeds s_up:

* BEBC: 1 event observed, background 0.5 +- 0.1, 95% CL;
* NuCal: 5 events observed, background 3.5, 95% CL;
* CHARM-II: 5429 observed neutrino-electron events and no excess, 95% CL, large-count (Gaussian) limit
  following appendix B of ref. [27] of paper 000 (Magill, Plestid, Pospelov, Tsai 2018);
* BaBar: a sensitivity criterion of 10 signal events (following ref. [31] of paper 000), ``{events: 10}``.

Methods (n = observed count, b = expected background, s = signal, P(n <= n_obs | mu) the Poisson cdf, which
equals the regularised upper incomplete gamma function Q(n_obs + 1, mu)):

``classical``
    Neyman upper limit, the s_up solving P(n <= n_obs | s_up + b) = 1 - CL. When the observation lies so far
    below the background that even s = 0 gives P(n <= n_obs | b) < 1 - CL, the Neyman interval is empty;
    0 is returned.
``cls``
    Modified frequentist CL_s (A. L. Read, J. Phys. G 28 (2002) 2693): P(n <= n_obs | s_up + b) /
    P(n <= n_obs | b) = 1 - CL. Never smaller than the classical limit and never zero.
``gaussian``
    Large-count limit s_up = max(n_obs - b, 0) + z sqrt(n_obs + sigma_b^2), z the standard-normal quantile
    (one-sided: Phi^-1(CL); two-sided: Phi^-1((1 + CL)/2)).

Background uncertainty (``classical`` and ``cls``): the background is integrated over a Gamma distribution
with mean b and standard deviation sigma_b (shape k = b^2/sigma_b^2, scale theta = sigma_b^2/b), a hybrid
Bayesian-frequentist treatment in the spirit of Cousins & Highland (NIM A 320 (1992) 331). The Gamma density
is chosen rather than a truncated Gaussian because it lives on b >= 0 without truncation and because the
Poisson-Gamma mixture of the background count is a negative binomial, so that

    P(n <= n_obs | s) = sum_{j=0}^{n_obs} Pois(j; s) NB_cdf(n_obs - j; k, p = 1/(1 + theta)),

an exact finite sum (no numerical integration). As sigma_b -> 0 the negative binomial tends to Pois(b) and
the limit to the one without uncertainty (the shift is of order sigma_b^2).

All limits are solved with Brent's method (:func:`scipy.optimize.brentq`) to a relative precision of
1e-12 in s, far below the 1e-8 the bounds need.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np
from scipy import optimize, special, stats

__all__ = [
    "METHODS",
    "gaussian_upper_limit",
    "poisson_cdf",
    "poisson_upper_limit",
    "signal_upper_limit",
]

#: Methods understood by :func:`signal_upper_limit`.
METHODS: tuple[str, ...] = ("classical", "cls", "gaussian")


# --------------------------------------------------------------------------- validation helpers
def _check_count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (Integral, np.integer)):
        raise ValueError(f"{name} must be a non-negative integer count, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer count, got {value!r}")
    return int(value)


def _check_nonnegative(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)):
        raise ValueError(f"{name} must be a non-negative finite number, got {value!r}")
    value = float(value)
    if not (value >= 0.0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a non-negative finite number, got {value!r}")
    return value


def _check_cl(cl: Any) -> float:
    if isinstance(cl, bool) or not isinstance(cl, (Real, np.floating)):
        raise ValueError(f"cl must be a number in (0, 1), got {cl!r}")
    cl = float(cl)
    if not 0.0 < cl < 1.0:
        raise ValueError(f"cl must be a number in (0, 1), got {cl!r}")
    return cl


# --------------------------------------------------------------------------- Poisson cdf
def poisson_cdf(n_observed: int, mean: float, background_uncertainty: float = 0.0, background: float = 0.0) -> float:
    """P(n <= n_observed) for a Poisson count of mean ``mean`` (signal + background).

    Parameters
    ----------
    n_observed
        Observed count n_obs >= 0.
    mean
        Total expected count s + b >= 0.
    background_uncertainty
        Standard deviation sigma_b of the background. When positive, the background part ``background`` of
        ``mean`` is integrated over a Gamma density of mean b and standard deviation sigma_b (module
        docstring), i.e. the cdf of Pois(s) convolved with a negative binomial.
    background
        The background b contained in ``mean`` (only used when ``background_uncertainty`` > 0).

    Returns
    -------
    float
        Q(n_obs + 1, mean) without uncertainty (regularised upper incomplete gamma function).
    """
    n = _check_count("n_observed", n_observed)
    mean = _check_nonnegative("mean", mean)
    sigma = _check_nonnegative("background_uncertainty", background_uncertainty)
    b = _check_nonnegative("background", background)
    if b > mean * (1.0 + 1e-12):
        raise ValueError(f"background must not exceed mean = {mean!r}, got {background!r}")
    if sigma == 0.0 or b == 0.0:
        if mean == 0.0:
            return 1.0
        return float(special.gammaincc(n + 1, mean))
    s = max(mean - b, 0.0)
    return _mixed_cdf(n, s, b, sigma)


def _mixed_cdf(n: int, s: float, b: float, sigma: float) -> float:
    """sum_j Pois(j; s) NB_cdf(n - j) with the Gamma(mean b, sd sigma) background (module docstring).

    The negative-binomial pmf is built by its recursion, NB(0) = (1 + theta)^-k and
    NB(m + 1) = NB(m) (k + m)/(m + 1) theta/(1 + theta), with log1p, so it stays exact as k -> infinity
    (sigma -> 0), where library cdfs based on the incomplete beta function lose precision.
    """
    shape = b * b / (sigma * sigma)
    theta = sigma * sigma / b
    q = theta / (1.0 + theta)
    nb_pmf = np.empty(n + 1)
    nb_pmf[0] = math.exp(-shape * math.log1p(theta))
    for m in range(n):
        nb_pmf[m + 1] = nb_pmf[m] * (shape + m) / (m + 1.0) * q
    nb_cdf = np.cumsum(nb_pmf)
    j = np.arange(n + 1)
    signal_pmf = stats.poisson.pmf(j, s) if s > 0.0 else (j == 0).astype(float)
    return float(np.sum(signal_pmf * nb_cdf[n - j]))


# --------------------------------------------------------------------------- root finding
def _solve_decreasing(func: Callable[[float], float], target: float, start: float) -> float:
    """The s >= 0 with func(s) = target for a function decreasing from func(0) > target towards 0."""
    hi = max(start, 1.0)
    while func(hi) > target:
        hi *= 2.0
        if hi > 1e12:
            raise RuntimeError(f"no upper limit below 1e12 (target {target!r})")
    return float(optimize.brentq(lambda s: func(s) - target, 0.0, hi, xtol=1e-300, rtol=1e-12, maxiter=500))


def poisson_upper_limit(
    n_observed: int,
    background: float = 0.0,
    cl: float = 0.95,
    method: str = "classical",
    background_uncertainty: float = 0.0,
) -> float:
    """Upper limit s_up on the mean signal of a Poisson counting experiment.

    Parameters
    ----------
    n_observed
        Observed number of events (non-negative integer).
    background
        Expected background b >= 0.
    cl
        Confidence level in (0, 1).
    method
        ``"classical"`` (Neyman: P(n <= n_obs | s_up + b) = 1 - CL) or ``"cls"`` (Read 2002:
        P(n <= n_obs | s_up + b) / P(n <= n_obs | b) = 1 - CL).
    background_uncertainty
        Standard deviation sigma_b of the background; > 0 integrates b over a Gamma density of mean b and
        standard deviation sigma_b (module docstring).

    Returns
    -------
    float
        s_up. ``classical`` returns 0 when even s = 0 is excluded (observation far below the background).

    Examples
    --------
    >>> round(poisson_upper_limit(0, cl=0.9), 4)
    2.3026
    >>> round(poisson_upper_limit(1, background=0.5), 3)
    4.244
    """
    n = _check_count("n_observed", n_observed)
    b = _check_nonnegative("background", background)
    cl = _check_cl(cl)
    sigma = _check_nonnegative("background_uncertainty", background_uncertainty)
    if method not in ("classical", "cls"):
        raise ValueError(f"method must be 'classical' or 'cls' for a Poisson limit, got {method!r}")
    alpha = 1.0 - cl

    def cdf(s: float) -> float:
        return poisson_cdf(n, s + b, sigma, b)

    cdf_b = cdf(0.0)
    start = n + b + 10.0 * math.sqrt(n + 1.0) + 10.0
    if method == "classical":
        if cdf_b <= alpha:
            return 0.0
        return _solve_decreasing(cdf, alpha, start)
    # CL_s: the ratio is 1 at s = 0 and decreases to 0
    return _solve_decreasing(lambda s: cdf(s) / cdf_b, alpha, start)


def gaussian_upper_limit(
    n_observed: float,
    background: float,
    cl: float = 0.95,
    sigma_background: float = 0.0,
    one_sided: bool = True,
) -> float:
    """Large-count upper limit s_up = max(n_obs - b, 0) + z sqrt(n_obs + sigma_b^2).

    The prescription used for CHARM-II in paper 000 (sec. 4.2, appendix B of its ref. [27]): with 5429
    observed events and no excess (b = n_obs), s_up = 1.645 sqrt(5429) = 121.2 at 95% CL one-sided.

    Parameters
    ----------
    n_observed
        Observed count (a non-negative number; large counts).
    background
        Expected background b >= 0.
    cl
        Confidence level in (0, 1).
    sigma_background
        Absolute background uncertainty, added in quadrature to the statistical sqrt(n_obs).
    one_sided
        z = Phi^-1(CL) if True, Phi^-1((1 + CL)/2) otherwise.

    Returns
    -------
    float
        s_up.
    """
    n = _check_nonnegative("n_observed", n_observed)
    b = _check_nonnegative("background", background)
    cl = _check_cl(cl)
    sigma = _check_nonnegative("sigma_background", sigma_background)
    z = float(stats.norm.ppf(cl if one_sided else 0.5 * (1.0 + cl)))
    return max(n - b, 0.0) + z * math.sqrt(n + sigma * sigma)


_SPEC_KEYS = frozenset({"observed", "background", "background_uncertainty", "cl", "method"})


def signal_upper_limit(spec: Mapping[str, Any]) -> float:
    """Upper limit on the signal events from a config mapping.

    Parameters
    ----------
    spec
        Either ``{events: N}`` (a required number of signal events, e.g. the BaBar sensitivity criterion of
        10 events of paper 000, sec. 4.2), returned as ``float(N)``; or ``{observed: int, background: float,
        background_uncertainty: float = 0, cl: float = 0.95, method: "classical" | "cls" | "gaussian"}``
        (``method`` defaults to ``"classical"``; ``gaussian`` uses ``background_uncertainty`` as sigma_b,
        one-sided).

    Returns
    -------
    float
        s_up.

    Raises
    ------
    ValueError
        Naming the key, for a missing, unknown or unphysical entry.
    """
    if not isinstance(spec, Mapping):
        raise ValueError(f"limit spec must be a mapping, got {spec!r}")
    if "events" in spec:
        extra = sorted(set(spec) - {"events"})
        if extra:
            raise ValueError(f"limit spec key {extra[0]!r} cannot be combined with 'events' (spec {dict(spec)!r})")
        events = spec["events"]
        if isinstance(events, bool) or not isinstance(events, (Real, np.floating, np.integer)):
            raise ValueError(f"limit spec key 'events' must be a positive number, got {events!r}")
        if not (float(events) > 0.0 and math.isfinite(float(events))):
            raise ValueError(f"limit spec key 'events' must be a positive number, got {events!r}")
        return float(events)
    unknown = sorted(set(spec) - _SPEC_KEYS)
    if unknown:
        raise ValueError(f"unknown limit spec key {unknown[0]!r}; allowed: events, {', '.join(sorted(_SPEC_KEYS))}")
    for key in ("observed", "background"):
        if key not in spec:
            raise ValueError(f"limit spec needs key {key!r} (or 'events'), got {dict(spec)!r}")
    method = spec.get("method", "classical")
    if method not in METHODS:
        raise ValueError(f"limit spec key 'method' must be one of {', '.join(METHODS)}, got {method!r}")
    cl = spec.get("cl", 0.95)
    sigma = spec.get("background_uncertainty", 0.0)
    # re-raise argument errors under the spec key they come from
    checks = (("observed", spec["observed"]), ("background", spec["background"]), ("background_uncertainty", sigma))
    for key, value in checks:
        if key == "observed" and method != "gaussian":
            _wrap(key, _check_count, value)
        else:
            _wrap(key, _check_nonnegative, value)
    _wrap("cl", lambda _name, v: _check_cl(v), cl)
    if method == "gaussian":
        return gaussian_upper_limit(spec["observed"], spec["background"], cl, sigma_background=sigma)
    return poisson_upper_limit(spec["observed"], spec["background"], cl, method, sigma)


def _wrap(key: str, check: Callable[[str, Any], Any], value: Any) -> None:
    try:
        check(key, value)
    except ValueError as err:
        raise ValueError(f"limit spec key {key!r}: {err}") from None
