"""Partonic cross section of q qbar -> phi1 phi2 through a vector current (paper 003, eqs. 1.4, 1.5, 1.7-1.10).

Derivation (contact operator)
-----------------------------
The operator (1.8) with the dark current (1.5), J^mu = (d^mu phi2) phi1 - phi2 (d^mu phi1), couples a quark
of flavour q through c_Vq (and c_Aq) / Lambda^2. For q(k1) qbar(k2) -> phi1(p3) phi2(p4) both outgoing fields
are created with e^{+ip.x}, so d^mu -> i p^mu and the current gives the vertex i (p4 - p3)^mu:

    M = (c_Vq / Lambda^2) vbar(k2) gamma_mu u(k1) q^mu,          q = p4 - p3.

With massless quarks the spin sum is Tr[k2/ gamma_mu k1/ gamma_nu] q^mu q^nu = 4 [2 (k1.q)(k2.q) - (k1.k2) q^2]
(an axial coupling c_Aq adds the same trace, its gamma5 cross term is antisymmetric in mu nu and vanishes
against q^mu q^nu: |c|^2 -> c_Vq^2 + c_Aq^2). With t = (k1 - p3)^2, u = (k1 - p4)^2, t + u = m1^2 + m2^2 - s,
Delta = m2^2 - m1^2: 2 (k1.q)(k2.q) = [Delta^2 - (t - u)^2] / 2 and (k1.k2) q^2 = s (2 m1^2 + 2 m2^2 - s) / 2,
so the bracket is [lambda(s, m1^2, m2^2) - (t - u)^2] / 2 = lambda sin^2(theta) / 2 (Kallen function lambda).
Averaging over spins (1/4) and colours (delta_ij summed over 3 colours, averaged over 9 pairs: 1/3):

    <|M|^2>  = c^2 [lambda - (t - u)^2] / (6 Lambda^4),
    dsigma/dt = <|M|^2> / (16 pi s^2) = c^2 [lambda - (t - u)^2] / (96 pi s^2 Lambda^4),
    sigma(s)  = c^2 lambda^{3/2} / (144 pi s^2 Lambda^4)        (dt = sqrt(lambda)/2 dcos(theta)).

Massless limit: sigma = c^2 s / (144 pi Lambda^4), i.e. 1/3 of e+e- -> S+S- (sigma = e^4 beta^3 / (48 pi s))
with e^2/s -> c/Lambda^2, as it must be (the same complex-scalar current, eq. 1.5).

Z' propagator (eq. 1.4)
-----------------------
With the Z' of eq. (1.4) (vector couplings g_Vq to quarks, g_phi to the dark current), c/Lambda^2 is replaced
by the full Breit-Wigner g_phi g_Vq / (s - M^2 + i M Gamma), so every formula above holds with

    c^2 / Lambda^4  ->  g_phi^2 (g_Vq^2 + g_Aq^2) / [(s - M^2)^2 + M^2 Gamma^2]

(no EFT cut). For M^2 >> s it goes to the contact limit with c/Lambda^2 = g_phi g_q / M^2 (eq. 4.1).

Units: GeV^-2 for sigma, GeV^-4 for dsigma/dt. Everything is exactly 0 below threshold (sqrt(s) <= m1 + m2).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "GEV2_TO_PB",
    "coupling_factor",
    "dsigma_dt",
    "kallen",
    "sigma_hat",
    "zprime_coupling_factor",
]

#: 1 GeV^-2 = 0.3893794 mb = 3.893794e8 pb ((hbar c)^2, PDG).
GEV2_TO_PB: float = 0.3893793721e9


def kallen(a: ArrayLike, b: float, c: float) -> np.ndarray:
    """Kallen function lambda(a, b, c) = a^2 + b^2 + c^2 - 2ab - 2ac - 2bc."""
    a = np.asarray(a, dtype=np.float64)
    return a * a + b * b + c * c - 2.0 * (a * b + a * c + b * c)


def coupling_factor(c_squared: float, lam: float) -> float:
    """c^2 / Lambda^4 of the contact operator (c^2 = c_Vq^2 + c_Aq^2), GeV^-4."""
    if not (lam > 0.0 and math.isfinite(lam)):
        raise ValueError(f"Lambda must be positive and finite, got {lam!r}")
    return c_squared / lam**4


def zprime_coupling_factor(s: ArrayLike, g_q_squared: float, g_phi: float, mass: float, width: float) -> np.ndarray:
    """g_phi^2 g_q^2 / [(s - M^2)^2 + M^2 Gamma^2]: the Z' s-channel (eq. 1.4, full Breit-Wigner), GeV^-4."""
    if not (mass > 0.0 and math.isfinite(mass)):
        raise ValueError(f"the Z' mass must be positive and finite, got {mass!r}")
    if not (width >= 0.0 and math.isfinite(width)):
        raise ValueError(f"the Z' width must be non-negative and finite, got {width!r}")
    s = np.asarray(s, dtype=np.float64)
    return g_phi**2 * g_q_squared / ((s - mass**2) ** 2 + (mass * width) ** 2)


def sigma_hat(s: ArrayLike, m1: float, m2: float, factor: ArrayLike = 1.0) -> np.ndarray:
    """sigma(q qbar -> phi1 phi2) in GeV^-2 at partonic s (GeV^2): factor x lambda^{3/2} / (144 pi s^2).

    ``factor`` is c^2/Lambda^4 (:func:`coupling_factor`) or the Z' Breit-Wigner (:func:`zprime_coupling_factor`),
    evaluated at the same ``s``. Exactly 0 where sqrt(s) <= m1 + m2.
    """
    s = np.asarray(s, dtype=np.float64)
    lam = kallen(s, m1 * m1, m2 * m2)
    open_ = (s > (m1 + m2) ** 2) & (lam > 0.0)
    safe_s = np.where(open_, s, 1.0)
    value = np.asarray(factor, dtype=np.float64) * np.where(open_, lam, 0.0) ** 1.5 / (144.0 * math.pi * safe_s**2)
    return np.where(open_, value, 0.0)


def dsigma_dt(s: ArrayLike, t: ArrayLike, m1: float, m2: float, factor: ArrayLike = 1.0) -> np.ndarray:
    """dsigma/dt(q qbar -> phi1 phi2) in GeV^-4: factor x [lambda - (t - u)^2] / (96 pi s^2), u = m1^2 + m2^2 - s - t.

    ``t`` = (p_q - p_phi1)^2. Exactly 0 below threshold; negative values outside the physical t range are
    clipped to 0.
    """
    s = np.asarray(s, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    u = m1 * m1 + m2 * m2 - s - t
    lam = kallen(s, m1 * m1, m2 * m2)
    open_ = s > (m1 + m2) ** 2
    safe_s = np.where(open_, s, 1.0)
    value = np.asarray(factor, dtype=np.float64) * np.maximum(lam - (t - u) ** 2, 0.0) / (96.0 * math.pi * safe_s**2)
    return np.where(open_, value, 0.0)
