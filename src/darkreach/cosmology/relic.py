"""Thermal relic of dipole inelastic dark matter (paper 000, eq. 2.1; Fig. 2, dashed black lines).

chi1 and chi2 (Majorana, g = 2 each, M2 = (1 + delta) M1) freeze out together: the dipole d chi2-bar sigma chi1 F
connects chi1 to chi2 only, so the one annihilation is chi1 chi2 -> gamma* -> SM (no chi1 chi1 or chi2 chi2
term), and chi2 <-> chi1 conversions (chi2 f <-> chi1 f, decays) keep the two in relative equilibrium
(Griest & Seckel, ref. [75] of paper 000, the procedure the paper follows).

**Cross section.** Eq. (A.2) of paper 000 fixes the dark current: a vector V* of mass sqrt(s) coupled to the
photon has Gamma(V* -> chi1 chi2)/Gamma(V* -> e+e-) = d^2 s K(s)/(2 pi alpha) (as in
:func:`darkreach.models.idm_dipole.vector_width`), with
K(s) = (1 - (M2-M1)^2/s)^{3/2} (1 + 2 (M2+M1)^2/s) (1 - (M2+M1)^2/s)^{1/2}; with Gamma(V* -> ee) = alpha sqrt(s)/3,
Gamma_chi(s) = d^2 s^{3/2} K(s) / (6 pi). A single s-channel photon between two conserved currents gives, after
the angular integration, the resonance form for any i -> f (J = 1, spins a, b of i, p_i its CM momentum):

    sigma(i -> f) = 3 * 4 pi / ((2 s_a + 1)(2 s_b + 1) p_i^2) * Gamma_i(s) Gamma_f(s) / s.

Check: e+e- -> mu+mu- (p^2 = s/4, Gamma = alpha sqrt(s)/3) gives 4 pi alpha^2/(3 s); e+e- -> chi1 chi2 gives
(2 alpha d^2/3) K, the BaBar cross section of :meth:`IDMDipole.ee_pair_cross_section_unit`. For f f-bar,
Gamma_f(s) = N_c Q_f^2 alpha sqrt(s)/3 beta_f (1 + 2 m_f^2/s), and summed over every SM pair the photon makes
N_c Q_f^2 beta_f (1 + 2 m_f^2/s) -> Pi(s) = leptons + R(s) (:mod:`darkreach.cosmology.hadrons`). With
p_chi^2 = lambda(s, M1^2, M2^2)/(4 s):

    sigma(chi1 chi2 -> SM) lambda(s, M1^2, M2^2) = (2/3) alpha d^2 s^2 K(s) Pi(s),

finite at threshold (sigma ~ 1/v: s-wave) and exactly 0 for a closed channel. Non-relativistically,
sigma v_rel -> 4 alpha d^2 Pi((M1 + M2)^2), independent of the masses: d_relic is nearly flat in M1.
This K (M2 - M1 in the first factor, M2 + M1 in the others) is the magnetic-type transition of eq. (2.1) that
(A.1) and (A.2) describe; an electric-type one (chi2-bar sigma gamma5 chi1 F) exchanges M1 -> -M1 in K, which
makes the annihilation p-wave (sigma v ~ v^2) and would need a much larger d.

**Thermal average.** Gondolo & Gelmini with co-annihilation (Edsjo & Gondolo 1997): the reaction density
n1 n2 <sigma v> = g1 g2 T/(32 pi^4) int ds sigma lambda / sqrt(s) K1(sqrt(s)/T), and the Griest-Seckel
effective rate <sigma_eff v> = 2 n1 n2 <sigma v> / (n1 + n2)^2, n_i = g_i M_i^2 T K2(M_i/T)/(2 pi^2) (the 2:
chi1 chi2 and chi2 chi1 both remove a pair from n = n1 + n2). Non-relativistically this is the familiar
sigma_eff = 2 sigma w/(1 + w)^2 with w = (1 + delta)^{3/2} exp(-x delta), the Boltzmann weight of chi2.
The s integral runs over u = (sqrt(s) - M1 - M2)/T with points clustered at thresholds and at each resonance
(tan-mapped over its Breit-Wigner), so narrow resonances (J/psi: 93 keV) are integrated, not sampled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

from darkreach.constants import ALPHA_EM
from darkreach.cosmology.dof import DegreesOfFreedom, sm_degrees_of_freedom
from darkreach.cosmology.freezeout import OMEGA_DM_H2, Species, solve_freeze_out
from darkreach.cosmology.hadrons import resonances, spectral_function, thresholds

__all__ = [
    "G_CHI",
    "RelicPoint",
    "d_relic",
    "log_sigma_eff_v",
    "omega_h2",
    "sigma_lambda",
    "sigma_v_nonrelativistic",
]

#: Spin states of each Majorana chi.
G_CHI = 2.0
#: Grid of x = M1/T on which <sigma_eff v>/d^2 is tabulated for the Boltzmann solver.
_X_TABLE = np.geomspace(0.5, 2.0e4, 241)
#: Extent of the u = (sqrt(s) - M1 - M2)/T integral (e^-60 of the integrand left out).
_U_MAX = 60.0


def _check_masses(m1: float, delta: float) -> tuple[float, float]:
    if not (isinstance(m1, (int, float)) and math.isfinite(m1) and m1 > 0.0):
        raise ValueError(f"m1 must be positive and finite (GeV), got {m1!r}")
    if not (isinstance(delta, (int, float)) and math.isfinite(delta) and delta > 0.0):
        raise ValueError(f"delta must be positive and finite, got {delta!r}")
    return float(m1), float(m1) * (1.0 + float(delta))


def _kinematic_factor(s: NDArray[np.float64], m1: float, m2: float) -> NDArray[np.float64]:
    """K(s) of eq. (A.2) of paper 000 at M_V^2 -> s; exactly 0 at and below threshold."""
    open_ = s > (m1 + m2) ** 2
    safe = np.where(open_, s, 2.0 * (m1 + m2) ** 2)
    diff, summ = (m2 - m1) ** 2 / safe, (m2 + m1) ** 2 / safe
    return np.where(open_, (1.0 - diff) ** 1.5 * (1.0 + 2.0 * summ) * np.sqrt(np.maximum(1.0 - summ, 0.0)), 0.0)


def sigma_lambda(s: NDArray[np.float64], m1: float, delta: float, d: float = 1.0) -> NDArray[np.float64]:
    """sigma(chi1 chi2 -> SM)(s) lambda(s, M1^2, M2^2) = (2/3) alpha d^2 s^2 K(s) Pi(s), in GeV^2 (docstring)."""
    m1, m2 = _check_masses(m1, delta)
    s = np.asarray(s, dtype=np.float64)
    return 2.0 / 3.0 * ALPHA_EM * d * d * s**2 * _kinematic_factor(s, m1, m2) * spectral_function(s)


def sigma_v_nonrelativistic(m1: float, delta: float, d: float = 1.0) -> float:
    """lim_{v -> 0} sigma(chi1 chi2 -> SM) v_rel = 4 alpha d^2 Pi((M1 + M2)^2), GeV^-2 (module docstring)."""
    m1, m2 = _check_masses(m1, delta)
    return 4.0 * ALPHA_EM * d * d * float(spectral_function((m1 + m2) ** 2))


def _u_grid(m1: float, m2: float, temperature: float) -> NDArray[np.float64]:
    """Quadrature points in u = (sqrt(s) - M1 - M2)/T: dense at 0, at thresholds and across each resonance."""
    threshold = m1 + m2
    pts = [np.array([0.0]), np.geomspace(1e-8, _U_MAX, 400)]
    theta = np.linspace(-1.5533, 1.5533, 81)  # tan covers +- 60 half-widths
    for res in resonances():
        root = res.mass + 0.5 * res.width * np.tan(theta)
        pts.append((root - threshold) / temperature)
    for edge in thresholds():
        u = (edge - threshold) / temperature
        pts.append(u * (1.0 + np.linspace(-1e-3, 1e-3, 9)) + np.linspace(-1e-3, 1e-3, 9))
    u_all = np.concatenate(pts)
    return np.unique(u_all[(u_all >= 0.0) & (u_all <= _U_MAX)])


def log_sigma_eff_v(x: Sequence[float] | NDArray[np.float64], m1: float, delta: float) -> NDArray[np.float64]:
    """ln(<sigma_eff v>(x) / d^2) in ln(GeV^-2 / GeV^-2) at x = M1/T (module docstring), for d = 1 GeV^-1.

    -inf where the rate vanishes (never for the photon: e+e- is always open).
    """
    m1, m2 = _check_masses(m1, delta)
    x_arr = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x_arr) & (x_arr > 0.0)):
        raise ValueError(f"x = M1/T must be positive and finite, got {x!r}")
    out = np.empty_like(x_arr)
    for k, xv in enumerate(x_arr.flat):
        t = m1 / xv
        x1, x2 = m1 / t, m2 / t
        u = _u_grid(m1, m2, t)
        root_s = m1 + m2 + u * t
        s = root_s**2
        # int ds sigma lambda / sqrt(s) K1(sqrt s/T), ds = 2 sqrt(s) T du, K1(z) = k1e(z) e^{-z}, z = x1 + x2 + u;
        # the common e^{-(x1 + x2)} is carried in the exponent below
        integrand = 2.0 * t * sigma_lambda(s, m1, delta) * special.k1e(root_s / t) * np.exp(-u)
        integral = float(np.trapezoid(integrand, u))
        if integral <= 0.0:
            out.flat[k] = -math.inf
            continue
        # (n1 + n2)^2 = [g M1^2 T k2e(x1)/(2 pi^2)]^2 e^{-2 x1} (1 + r)^2, r = n2/n1
        r = (m2 / m1) ** 2 * special.kve(2, x2) / special.kve(2, x1) * math.exp(-(x2 - x1))
        log_n1_scaled = math.log(G_CHI * m1**2 * t * special.kve(2, x1) / (2.0 * math.pi**2))
        out.flat[k] = (
            math.log(2.0 * G_CHI * G_CHI * t / (32.0 * math.pi**4))
            + math.log(integral)
            - (x2 - x1)
            - 2.0 * log_n1_scaled
            - 2.0 * math.log1p(r)
        )
    return out


@dataclass(frozen=True)
class RelicPoint:
    """The relic coupling at one (M1, delta): d with Omega h^2 = 0.12, and the freeze-out point x_f."""

    m1: float
    delta: float
    d: float
    x_freeze_out: float
    omega_h2: float


class _Rate:
    """<sigma_eff v>/d^2 of one (M1, delta), tabulated in ln x once (sigma is proportional to d^2)."""

    def __init__(self, m1: float, delta: float) -> None:
        self.m1, self.delta = m1, delta
        self._log_x = np.log(_X_TABLE)
        self._log_sv = np.maximum(log_sigma_eff_v(_X_TABLE, m1, delta), -1.0e4)

    def log_sigma_v(self, x: NDArray[np.float64], d: float) -> NDArray[np.float64]:
        return np.interp(np.log(x), self._log_x, self._log_sv) + 2.0 * math.log(d)


def _species(m1: float, delta: float) -> list[Species]:
    return [Species(G_CHI, m1), Species(G_CHI, m1 * (1.0 + delta))]


def omega_h2(m1: float, delta: float, d: float, dof: DegreesOfFreedom | None = None) -> float:
    """Omega h^2 of chi1 (all chi2 having decayed to it) for dipole coefficient d in GeV^-1."""
    _check_masses(m1, delta)
    if not (math.isfinite(d) and d > 0.0):
        raise ValueError(f"d must be positive and finite (GeV^-1), got {d!r}")
    rate = _Rate(m1, delta)
    return solve_freeze_out(_species(m1, delta), lambda x: rate.log_sigma_v(x, d), dof).omega_h2


def d_relic(
    m1: float,
    delta: float,
    dof: DegreesOfFreedom | None = None,
    target: float = OMEGA_DM_H2,
    rtol: float = 1e-4,
) -> RelicPoint:
    """The dipole coefficient d (GeV^-1) for which Omega h^2 = ``target`` (0.12, Planck 2018).

    Omega h^2 falls monotonically with d (about as d^{-2(1 - 1/(2 x_f))}); the root is found by secant steps in
    ln d - ln Omega, starting from the s-wave estimate <sigma v> = 2.2e-26 cm^3/s, to relative precision rtol.
    """
    m1, _ = _check_masses(m1, delta)
    if not (math.isfinite(target) and target > 0.0):
        raise ValueError(f"target Omega h^2 must be positive, got {target!r}")
    dof = dof or sm_degrees_of_freedom()
    rate = _Rate(m1, delta)
    species = _species(m1, delta)

    def log_omega(log_d: float) -> tuple[float, float]:
        res = solve_freeze_out(species, lambda x: rate.log_sigma_v(x, math.exp(log_d)), dof)
        return math.log(res.omega_h2), res.x_freeze_out

    # s-wave start: sigma_eff v ~ sigma v_0 / 2 (delta -> 0) = 1.9e-9 GeV^-2
    log_d = 0.5 * math.log(2.0 * 1.9e-9 / sigma_v_nonrelativistic(m1, delta))
    f0, x_f = log_omega(log_d)
    f0 -= math.log(target)
    slope = -2.0
    for _ in range(40):
        step = -f0 / slope
        log_d_new = log_d + max(min(step, 3.0), -3.0)
        f1, x_f = log_omega(log_d_new)
        f1 -= math.log(target)
        if abs(log_d_new - log_d) < rtol and abs(f1) < 10.0 * rtol:
            return RelicPoint(m1, float(delta), math.exp(log_d_new), x_f, target * math.exp(f1))
        if log_d_new != log_d and f1 != f0:
            slope = (f1 - f0) / (log_d_new - log_d)
            if slope >= 0.0:  # Omega must fall with d
                raise RuntimeError(f"Omega h^2 does not fall with d at m1 = {m1}, delta = {delta}")
        log_d, f0 = log_d_new, f1
    raise RuntimeError(f"no relic coupling found at m1 = {m1}, delta = {delta} (secant did not converge)")
