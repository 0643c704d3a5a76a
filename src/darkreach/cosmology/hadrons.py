"""The photon's spectral function: R(s) = sigma(e+e- -> hadrons)/sigma(e+e- -> mu+mu-) and the lepton pairs.

Any final state made by the electromagnetic current through one photon has a rate proportional to
Pi(s) = sum_l beta_l (1 + 2 m_l^2/s) + R(s) in units of sigma_0(s) = 4 pi alpha^2/(3 s) (massless muons), so
the dark annihilation chi1 chi2 -> gamma* -> SM of :mod:`darkreach.cosmology.relic` needs only Pi(s).

R(s) is a documented parametrisation, not a fit (no data file can be fetched here; the PDG R compilation is
the reference it is meant to follow, R. L. Workman et al. (PDG), Prog. Theor. Exp. Phys. 2022, 083C01,
"Plots of cross sections and related quantities"):

- **rho, omega, phi** below ~1.1 GeV: relativistic Breit-Wigner resonances normalised to their measured
  leptonic widths, R_V(s) = 9 M^2 Gamma_ee Gamma_had(s) / (alpha^2 [(s - M^2)^2 + M^2 Gamma(s)^2]), whose
  integral sum_V int R_V ds = 9 pi M Gamma_ee B_had/alpha^2 is the narrow-width sum rule. The rho width runs
  with the pi pi phase space, Gamma(s) = Gamma_rho (M/sqrt s) (p_pi(s)/p_pi(M))^3, so R ~ beta_pi^3 at the pi pi
  threshold; at the rho peak R = 8 (data: ~9 with rho-omega interference, which is not modelled). Below
  0.6 GeV this tail is about half the measured pi pi rate (no Gounaris-Sakurai form factor with F(0) = 1);
  there the muon pair dominates Pi(s), so Pi is ~10 % low.
- **continuum**: R_uds = N_c sum Q_q^2 (1 + alpha_s(sqrt s)/pi) = 2 (1 + alpha_s/pi), switched on linearly in
  sqrt s between 1.0 and 1.5 GeV (the multi-pion region, where data scatter between 1 and 2.5 around it);
  c and b add N_c Q_q^2 (1 + alpha_s/pi) beta (3 - beta^2)/2 above the open-flavour thresholds 2 m_D0, 2 m_B+,
  with beta that of a quark of the meson's mass.
- **J/psi, psi(2S), Upsilon(1S, 2S, 3S)**: Breit-Wigners as above with B_had = 1 - n_l B_ee (lepton
  universality, n_l the open lepton pairs).
- R = 0 below the pi+ pi- threshold (e+e- -> pi0 gamma, below 1 nb there, is neglected).

Expected accuracy of R: ~20 % near the rho, omega, phi, ~30 % between 1 and 2 GeV, ~10 % in the continuum above.
Masses and total widths come from :mod:`particle` (PDG 2024); leptonic branching ratios are PDG 2024.
alpha_s runs at one loop from alpha_s(M_Z) = 0.1180 with flavour thresholds at m_b = 4.18 and m_c = 1.27 GeV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from particle import Particle

from darkreach.constants import ALPHA_EM

__all__ = [
    "LEPTON_MASSES",
    "Resonance",
    "alpha_s",
    "lepton_factor",
    "r_ratio",
    "resonances",
    "spectral_function",
    "thresholds",
]

#: alpha_s(M_Z) (PDG 2024 world average) and the quark-mass thresholds of its running (GeV).
ALPHA_S_MZ = 0.1180
_MZ, _MB_QUARK, _MC_QUARK = 91.1876, 4.18, 1.27
#: Continuum ramp of the u, d, s quarks in sqrt(s) (GeV): 0 below the first value, full above the second.
CONTINUUM_RAMP = (1.0, 1.5)


def _mass(pdgid: int) -> float:
    mass = Particle.from_pdgid(pdgid).mass
    if mass is None:
        raise ValueError(f"particle package has no mass for PDG id {pdgid}")
    return float(mass) * 1e-3


#: Charged-lepton masses in GeV (PDG via :mod:`particle`).
LEPTON_MASSES: dict[str, float] = {"e": _mass(11), "mu": _mass(13), "tau": _mass(15)}
_M_PI = _mass(211)
_M_D0 = _mass(421)
_M_BPLUS = _mass(521)


@dataclass(frozen=True)
class Resonance:
    """A vector resonance of R(s): mass, total width, Gamma_ee and hadronic branching ratio (GeV)."""

    name: str
    mass: float
    width: float
    width_ee: float
    br_had: float
    #: the width runs with the pi pi phase space (the rho)
    p_wave_pipi: bool = False

    def r(self, s: NDArray[np.float64]) -> NDArray[np.float64]:
        """R_V(s) of the module docstring; 0 below the pi+ pi- threshold."""
        m2 = self.mass**2
        width = np.full_like(s, self.width)
        open_ = s > 4.0 * _M_PI**2
        if self.p_wave_pipi:
            p = np.sqrt(np.maximum(s / 4.0 - _M_PI**2, 0.0))
            p_m = math.sqrt(m2 / 4.0 - _M_PI**2)
            width = self.width * self.mass / np.sqrt(s) * (p / p_m) ** 3
        num = 9.0 * m2 * self.width_ee * self.br_had * width
        return np.where(open_, num / (ALPHA_EM**2 * ((s - m2) ** 2 + m2 * width**2)), 0.0)


@cache
def resonances() -> tuple[Resonance, ...]:
    """The resonances of R(s); B_ee from PDG 2024 (J/psi and Upsilon(1S) as in :mod:`darkreach.mesons`)."""
    # (name, PDG id, B(V -> e+e-), open lepton pairs, p-wave pi pi width)
    table = (
        ("rho", 113, 4.72e-5, 0, True),
        ("omega", 223, 7.38e-5, 0, False),
        ("phi", 333, 2.979e-4, 0, False),
        ("jpsi", 443, 5.971e-2, 2, False),
        ("psi2s", 100443, 7.93e-3, 3, False),
        ("upsilon1s", 553, 2.39e-2, 3, False),
        ("upsilon2s", 100553, 1.91e-2, 3, False),
        ("upsilon3s", 200553, 2.18e-2, 3, False),
    )
    out = []
    for name, pdgid, br_ee, n_lep, p_wave in table:
        p = Particle.from_pdgid(pdgid)
        if p.mass is None or p.width is None:
            raise ValueError(f"particle package has no mass/width for {name} (PDG id {pdgid})")
        width = float(p.width) * 1e-3
        br_had = 1.0 - n_lep * br_ee if n_lep else 1.0 - br_ee
        out.append(Resonance(name, float(p.mass) * 1e-3, width, br_ee * width, br_had, p_wave))
    return tuple(out)


def alpha_s(mu: ArrayLike) -> NDArray[np.float64]:
    """One-loop alpha_s(mu) from alpha_s(M_Z), continuous at the b and c thresholds; mu >= 1 GeV."""
    mu_arr = np.asarray(mu, dtype=np.float64)
    if not np.all(np.isfinite(mu_arr) & (mu_arr >= 1.0)):
        raise ValueError(f"alpha_s is used at mu >= 1 GeV only, got {mu!r}")

    def run(a0: float, m0: float, m: NDArray[np.float64] | float, nf: int) -> NDArray[np.float64]:
        b0 = (33.0 - 2.0 * nf) / (12.0 * math.pi)
        return np.asarray(a0 / (1.0 + a0 * b0 * np.log(np.asarray(m) ** 2 / m0**2)))

    a_b = float(run(ALPHA_S_MZ, _MZ, _MB_QUARK, 5))
    a_c = float(run(a_b, _MB_QUARK, _MC_QUARK, 4))
    return np.where(
        mu_arr >= _MB_QUARK,
        run(ALPHA_S_MZ, _MZ, mu_arr, 5),
        np.where(mu_arr >= _MC_QUARK, run(a_b, _MB_QUARK, mu_arr, 4), run(a_c, _MC_QUARK, mu_arr, 3)),
    )


def _pair_factor(s: NDArray[np.float64], mass: float) -> NDArray[np.float64]:
    """beta (3 - beta^2)/2 = beta (1 + 2 m^2/s) of a pair of mass-``mass`` fermions; exactly 0 below 2 m."""
    open_ = s > 4.0 * mass**2
    beta2 = np.where(open_, 1.0 - 4.0 * mass**2 / np.where(open_, s, 1.0), 0.0)
    return np.where(open_, np.sqrt(beta2) * (3.0 - beta2) / 2.0, 0.0)


def lepton_factor(s: ArrayLike, lepton: str) -> NDArray[np.float64]:
    """sigma(gamma* -> l+ l-)/sigma_0 = beta (1 + 2 m_l^2/s) for ``lepton`` in e, mu, tau."""
    if lepton not in LEPTON_MASSES:
        raise ValueError(f"lepton must be one of {sorted(LEPTON_MASSES)}, got {lepton!r}")
    return _pair_factor(_check_s(s), LEPTON_MASSES[lepton])


def _check_s(s: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(s, dtype=np.float64)
    if not np.all(np.isfinite(arr) & (arr > 0.0)):
        raise ValueError(f"s must be positive and finite (GeV^2), got {s!r}")
    return arr


def r_ratio(s: ArrayLike) -> NDArray[np.float64]:
    """R(s) = sigma(e+e- -> hadrons)/sigma(e+e- -> mu+mu-) of the module docstring; s in GeV^2."""
    s_arr = _check_s(s)
    root = np.sqrt(s_arr)
    lo, hi = CONTINUUM_RAMP
    ramp = np.clip((root - lo) / (hi - lo), 0.0, 1.0)
    qcd = 1.0 + alpha_s(np.maximum(root, 1.0)) / math.pi
    r = 2.0 * qcd * ramp
    r = r + 3.0 * (4.0 / 9.0) * qcd * _pair_factor(s_arr, _M_D0)
    r = r + 3.0 * (1.0 / 9.0) * qcd * _pair_factor(s_arr, _M_BPLUS)
    for res in resonances():
        r = r + res.r(s_arr)
    return np.where(root > 2.0 * _M_PI, r, 0.0)


def spectral_function(s: ArrayLike) -> NDArray[np.float64]:
    """Pi(s) = sum over e, mu, tau of beta (1 + 2 m^2/s) + R(s): every SM pair a time-like photon makes."""
    s_arr = _check_s(s)
    out = r_ratio(s_arr)
    for mass in LEPTON_MASSES.values():
        out = out + _pair_factor(s_arr, mass)
    return np.asarray(out, dtype=np.float64)


def thresholds() -> tuple[float, ...]:
    """sqrt(s) values (GeV) where Pi(s) has a kink (pair thresholds and the continuum ramp), for quadratures."""
    pairs = [2.0 * m for m in LEPTON_MASSES.values()] + [2.0 * _M_PI, 2.0 * _M_D0, 2.0 * _M_BPLUS]
    return tuple(sorted([*pairs, *CONTINUUM_RAMP]))
