"""Numerical helpers of the inelastic-scalar widths: phase-space functions, quadrature, mass checks."""

from __future__ import annotations

import math
from collections.abc import Callable

from scipy import integrate

from darkreach.kinematics.lorentz import kallen as _kallen_jit

#: The package's Kallen function lambda(x, y, z) = x^2 + y^2 + z^2 - 2xy - 2xz - 2yz
#: (:func:`darkreach.kinematics.lorentz.kallen`), called as plain Python on floats.
kallen: Callable[[float, float, float], float] = _kallen_jit.py_func

_QUAD_OPTS = {"epsabs": 0.0, "epsrel": 1e-10, "limit": 200}


def a_function(x: float, y: float, z: float) -> float:
    """A(x, y, z) = 1 + (x - y)^2/z^2 - 2 (x + y)/z of eq. (A.10); equal to lambda(x, y, z)/z^2."""
    return 1.0 + (x - y) ** 2 / z**2 - 2.0 * (x + y) / z


def sqrt0(x: float) -> float:
    """sqrt clipped at 0 (rounding at the edges of phase space)."""
    return math.sqrt(x) if x > 0.0 else 0.0


def integrate_unit(f: Callable[[float], float], lo: float, hi: float) -> float:
    """Integral of f over [lo, hi] by adaptive quadrature, on the unit interval (relative accuracy 1e-10)."""
    if hi <= lo:
        return 0.0
    width = hi - lo

    def g(x: float) -> float:
        return f(lo + width * x)

    # full_output=1 turns quad's warnings into the flag ``ier`` (warnings filters are not thread-safe).
    res = integrate.quad(g, 0.0, 1.0, full_output=1, **_QUAD_OPTS)
    if len(res) > 3:  # ier != 0: retry with a looser tolerance
        res = integrate.quad(g, 0.0, 1.0, full_output=1, epsabs=0.0, epsrel=1e-6, limit=200)
    val, err = res[0], res[1]
    # A failed estimate was only seen within ~1e-7 (relative) of a threshold, where the width is suppressed by a
    # power >= 3 of the excess and round-off in the integrand dominates; the estimate is kept there (negligible).
    if len(res) > 3 and not err <= 1e-3 * abs(val) and hi - lo > 1e-6 * hi:
        raise RuntimeError(f"integration did not converge on [{lo!r}, {hi!r}]: {val!r} +- {err!r} ({res[3]})")
    return val * width


def check_masses(m1: float, m2: float, Lambda: float) -> None:
    if not (m1 >= 0.0 and m2 >= m1):
        raise ValueError(f"need 0 <= m1 <= m2, got m1={m1!r}, m2={m2!r}")
    if not Lambda > 0.0:
        raise ValueError(f"Lambda must be positive, got {Lambda!r}")


def m2_from_delta(m1: float, delta: float) -> float:
    """m2 = (1 + delta) m1, eq. (1.3)."""
    if not (m1 > 0.0 and delta >= 0.0):
        raise ValueError(f"need m1 > 0 and delta >= 0, got m1={m1!r}, delta={delta!r}")
    return m1 * (1.0 + delta)
