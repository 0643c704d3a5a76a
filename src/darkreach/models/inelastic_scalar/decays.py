"""Decays of phi2 -> phi1 + X (paper 003, appendix A.2, eqs. A.13-A.14): widths, branching ratios, lifetime.

Channels: phi1 V (V = rho, omega), phi1 P' P'bar (P' = pi+, K+, K0), phi1 f fbar (leptons, neutrinos and, above
the pQCD switch, quarks) and phi1 gamma P (P = pi0, eta, eta'); :func:`phi2_channel_widths` returns all of
them by name (:data:`PHI2_CHANNELS`).

Interpretation choices (all needed to reproduce the four lifetimes quoted in sec. 3 within 5 %)
--------------------------------------------------------------------------------------------
1. phi2 -> phi1 f fbar, eq. (A.14) third line: ``s`` is the invariant mass squared of phi1 and ONE fermion,
   s = (p_phi1 + p_f)^2, integrated from (m1 + m_f)^2 to (m2 - m_f)^2 as stated under (A.14). With this reading
   the printed formula is exact: it equals, point by point in s, the Dalitz-plot integral over the other
   invariant of the spin-summed |M|^2 of (c/Lambda^2)(p2 + p1)_mu fbar gamma^mu (c_V + c_A gamma5) f (agreement
   to 1e-9 in ``tests/test_scalar_widths.py``, vector and axial parts). Quarks carry N_c = 3.
2. Neutrinos (``neutrino_convention="paper"``, the default): each flavour nu_l nu_l~ is given HALF of the
   width that (A.14) yields with c_V = -c_A = c_L/2 (V-A, c_R = 0). This is what the quoted lifetimes
   require: at (m1, delta, Lambda) = (2 MeV, 10, 100 GeV) and (0.1 GeV, 0.1, 100 GeV) only e+e- and nu nu~
   are open, and the full V-A neutrino rate gives c*tau = 3.9e4 m and 1.7e5 m (0.70 and 0.69 of the quoted
   5.6e4 m and 2.5e5 m), whereas the halved rate gives 5.60e4 m and 2.47e5 m. The same factor is consistent
   with the two hadronic benchmarks (1.42 m vs 1.4 m; 4.21 m vs 4.2 m; the full rate would give 1.33 m and
   3.86 m). For massless neutrinos the vector and axial terms of (A.14) are equal, so the paper's numbers are
   equally well described as "the c_A term dropped for neutrinos" or "a spurious symmetry factor 1/2";
   ``neutrino_convention="v-a"`` gives the textbook V-A rate (the same for Dirac or Majorana neutrinos).
3. Hadronic decays of phi2: for m2 - m1 > 2 GeV, free quarks u, d, s, c, b, t with N_c = 3 (pQCD); otherwise
   the meson channels phi1 rho, phi1 omega (the only vectors with an f_V in eq. A.9; phi(1020) is not in the
   paper), phi1 pi+pi-, phi1 K+K-, phi1 K0K0~ (c_P' of A.4, vanishing for democratic couplings) and
   phi1 gamma pi0/eta/eta' (c_P of A.7). At the (10 GeV, delta = 0.1) benchmark m2 - m1 = 1 GeV, so ChPT
   applies: rho, omega, pi0 gamma, eta gamma, eta' gamma are open (phi1 omega dominates, BR = 68 %).
4. F = 93 MeV (:data:`~darkreach.models.inelastic_scalar.couplings.F_PAPER`).
"""

from __future__ import annotations

import math
from typing import Literal

from darkreach.constants import E_CHARGE, ctau_from_width
from darkreach.mesons import MESONS
from darkreach.models.inelastic_scalar.couplings import (
    DEMOCRATIC,
    F_PAPER,
    LIGHT_VECTORS,
    NEUTRINOS,
    QUARKS,
    ScalarCouplings,
    charged_meson_coupling,
    charged_pseudoscalar_mass,
    colour_factor,
    fermion_mass,
    light_vector_decay_constant,
    pseudoscalar_vector_coupling,
)
from darkreach.models.inelastic_scalar.numerics import check_masses, integrate_unit, kallen, m2_from_delta, sqrt0
from darkreach.models.inelastic_scalar.production import meson_branching_ratios

#: m2 - m1 above which phi2 hadronic decays are computed with free quarks (end of appendix A.2), in GeV.
PQCD_THRESHOLD: float = 2.0
#: Factor applied to each neutrino channel in the "paper" convention (interpretation choice 2 above).
PAPER_NEUTRINO_FACTOR: float = 0.5

NeutrinoConvention = Literal["paper", "v-a"]


def phi2_to_phi1_vector_width(
    meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> float:
    """Gamma(phi2 -> phi1 V) in GeV, eq. (A.14) first line, V = rho, omega with f_V of (A.9).

    f_V^2 m2^3/(16 pi Lambda^4) [1-(m1-M)^2/m2^2]^{3/2} [1-(m1+M)^2/m2^2]^{3/2} = f_V^2 lambda^{3/2}/(16 pi m2^3
    Lambda^4) (= |M|^2 = f_V^2 lambda/Lambda^4 summed over V polarisations, times two-body phase space).
    Exactly 0 when m1 + M >= m2.
    """
    check_masses(m1, m2, Lambda)
    if meson not in LIGHT_VECTORS:
        raise KeyError(f"phi2 -> phi1 V is implemented for {', '.join(LIGHT_VECTORS)} (eq. A.9), not {meson!r}")
    mass = MESONS[meson].mass
    if m1 + mass >= m2:
        return 0.0
    f_v = light_vector_decay_constant(meson, couplings, F)
    a = 1.0 - (m1 - mass) ** 2 / m2**2
    b = 1.0 - (m1 + mass) ** 2 / m2**2
    return f_v**2 * m2**3 / (16.0 * math.pi * Lambda**4) * a**1.5 * b**1.5


def phi2_to_phi1_ff_dgamma_ds(
    s: float, m1: float, m2: float, m_f: float, c_V: float, c_A: float, Lambda: float
) -> float:
    """dGamma(phi2 -> phi1 f fbar)/ds in GeV^-1 for ONE colour, eq. (A.14) third line, as printed.

    ``s`` = (p_phi1 + p_f)^2, the invariant mass squared of phi1 and one fermion (integration limits
    (m1+m_f)^2 ... (m2-m_f)^2 under A.14). With this reading the printed expression is exact - it is the
    integral over the other Dalitz variable of |M|^2 for (c/Lambda^2)(p1+p2)_mu fbar gamma^mu (c_V + c_A g5) f,
    no interference (see module doc, choice 1). m1^2/m2 A(s, m_f^2, m1^2)^{1/2} A(s, m_f^2, m2^2)^{1/2}
    = lambda^{1/2}(s, m_f^2, m1^2) lambda^{1/2}(s, m_f^2, m2^2)/m2^3 is used so that m1 -> 0 is regular.
    """
    lo, hi = (m1 + m_f) ** 2, (m2 - m_f) ** 2
    if not (lo < s < hi):
        return 0.0
    mf2, m12, m22 = m_f * m_f, m1 * m1, m2 * m2
    phase = sqrt0(kallen(s, mf2, m12)) * sqrt0(kallen(s, mf2, m22)) / m2**3
    vec = ((s - mf2) ** 2 * (m12 + m22 - mf2 - s) - m12 * m22 * (s + mf2)) / s**2
    axi = ((m12 + m22) * (s + mf2) - m12 * m22 - (s - mf2) ** 2) / s
    return phase / (64.0 * math.pi**3 * Lambda**4) * (c_V**2 * vec + c_A**2 * axi)


def phi2_to_phi1_ff_width(
    fermion: str,
    m1: float,
    m2: float,
    Lambda: float,
    couplings: ScalarCouplings = DEMOCRATIC,
    *,
    neutrino_convention: NeutrinoConvention = "paper",
) -> float:
    """Gamma(phi2 -> phi1 f fbar) in GeV: (A.14) integrated over s in [(m1+m_f)^2, (m2-m_f)^2], times N_c.

    Colour factor N_c = 3 for quarks (pQCD prescription, end of A.2). Neutrinos use c_V, c_A of eq. (1.9)
    (V-A for c_R = 0) and, in the default ``"paper"`` convention, an extra factor 1/2 (module doc, choice 2).
    Exactly 0 when m2 - m1 <= 2 m_f.
    """
    check_masses(m1, m2, Lambda)
    m_f = fermion_mass(fermion)
    c_v, c_a = couplings.c_V(fermion), couplings.c_A(fermion)
    if m2 - m1 <= 2.0 * m_f or (c_v == 0.0 and c_a == 0.0):
        return 0.0
    lo, hi = (m1 + m_f) ** 2, (m2 - m_f) ** 2
    g = integrate_unit(lambda s: phi2_to_phi1_ff_dgamma_ds(s, m1, m2, m_f, c_v, c_a, 1.0), lo, hi) / Lambda**4
    g *= colour_factor(fermion)
    if fermion in NEUTRINOS:
        if neutrino_convention == "paper":
            g *= PAPER_NEUTRINO_FACTOR
        elif neutrino_convention != "v-a":
            raise ValueError(f"neutrino_convention must be 'paper' or 'v-a', got {neutrino_convention!r}")
    return g


def _pp_f1_f2(s: float, m1: float, m2: float, mass: float) -> tuple[float, float]:
    """F1 and F2 of eq. (A.13)."""
    m12, m22, M2 = m1 * m1, m2 * m2, mass * mass
    root = sqrt0((s + M2 - m12) ** 2 / (4.0 * s * M2) - 1.0) * sqrt0((s + M2 - m22) ** 2 / (4.0 * s * M2) - 1.0)
    f1 = 2.0 * (m12 - M2) * (m22 - M2) + 2.0 * s * (m12 + m22 + 2.0 * M2) - 6.0 * s * s + 8.0 * s * M2 * root
    # m1^2 m2^2 A(M^2, s, m1^2)^{1/2} A(M^2, s, m2^2)^{1/2} written as lambda^{1/2} lambda^{1/2} (regular at m1 -> 0)
    roots = sqrt0(kallen(M2, s, m12)) * sqrt0(kallen(M2, s, m22))
    f2 = (m12 - M2) * (m22 - M2) - roots + (m12 + m22 + 2.0 * M2) * s - 3.0 * s * s
    return f1, f2


def phi2_to_phi1_pp_dgamma_ds(
    s: float, meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC
) -> float:
    """dGamma(phi2 -> phi1 P' P'bar)/ds in GeV^-1, eq. (A.14) second line with F1, F2 of (A.13), as printed.

    ``s`` = (p_phi1 + p_P')^2. Checked against the Dalitz integral of |M|^2 = c_P'^2 (s - t)^2/Lambda^4,
    t = (p_phi1 + p_P'bar)^2, which it reproduces exactly: F1 and 2 F2 are 2s(s - t) at the two ends of the
    t range (up to sign), so (F1^3 - 8 F2^3)/(3 ...) is the t integral of (s - t)^2.
    """
    mass = charged_pseudoscalar_mass(meson)
    if not ((m1 + mass) ** 2 < s < (m2 - mass) ** 2):
        return 0.0
    c = charged_meson_coupling(meson, couplings)
    f1, f2 = _pp_f1_f2(s, m1, m2, mass)
    return 2.0 * c**2 / (3.0 * (32.0 * math.pi) ** 3 * Lambda**4) * (f1**3 - 8.0 * f2**3) / (m2**3 * s**3)


def phi2_to_phi1_pp_width(
    meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC
) -> float:
    """Gamma(phi2 -> phi1 P' P'bar) in GeV, P' = pi+, K+, K0; s in [(m1+M)^2, (m2-M)^2]. 0 when m2 - m1 <= 2M."""
    check_masses(m1, m2, Lambda)
    mass = charged_pseudoscalar_mass(meson)
    if m2 - m1 <= 2.0 * mass or charged_meson_coupling(meson, couplings) == 0.0:
        return 0.0
    lo, hi = (m1 + mass) ** 2, (m2 - mass) ** 2
    return integrate_unit(lambda s: phi2_to_phi1_pp_dgamma_ds(s, meson, m1, m2, 1.0, couplings), lo, hi) / Lambda**4


def phi2_to_phi1_gamma_p_dgamma_ds(
    s: float,
    meson: str,
    m1: float,
    m2: float,
    Lambda: float,
    couplings: ScalarCouplings = DEMOCRATIC,
    F: float = F_PAPER,
) -> float:
    """dGamma(phi2 -> phi1 gamma P)/ds in GeV^-1, eq. (A.14) fourth line, as printed; s = (p_phi1 + p_P)^2.

    2 c_P^2 e^2/(3 (4 pi)^7 F^2 Lambda^4) M^6 m2^3/s^2 (1 - s/m2^2)^3 A(m1^2, s, M^2)^{3/2}
    (M^6 A^{3/2} = lambda^{3/2}(m1^2, s, M^2) is used so that the expression is regular).
    """
    mass = MESONS[meson].mass
    if not ((m1 + mass) ** 2 < s < m2**2):
        return 0.0
    c_p = pseudoscalar_vector_coupling(meson, couplings)
    pre = 2.0 * c_p**2 * E_CHARGE**2 / (3.0 * (4.0 * math.pi) ** 7 * F**2 * Lambda**4)
    return pre * m2**3 / s**2 * (1.0 - s / m2**2) ** 3 * max(kallen(m1**2, s, mass**2), 0.0) ** 1.5


def phi2_to_phi1_gamma_p_width(
    meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> float:
    """Gamma(phi2 -> phi1 gamma P) in GeV, P = pi0, eta, eta'; s in [(M+m1)^2, m2^2]. 0 when m1 + M >= m2."""
    check_masses(m1, m2, Lambda)
    mass = MESONS[meson].mass
    if m1 + mass >= m2 or pseudoscalar_vector_coupling(meson, couplings) == 0.0:
        return 0.0
    lo, hi = (m1 + mass) ** 2, m2**2
    return (
        integrate_unit(lambda s: phi2_to_phi1_gamma_p_dgamma_ds(s, meson, m1, m2, 1.0, couplings, F), lo, hi)
        / Lambda**4
    )


# channel names
_LEPTON_CHANNEL = {
    "e": "e+e-", "mu": "mu+mu-", "tau": "tau+tau-", "nu_e": "nu_e nu_e~", "nu_mu": "nu_mu nu_mu~", "nu_tau": "nu_tau nu_tau~",
}  # fmt: skip
_QUARK_CHANNEL = {q: f"{q} {q}~" for q in QUARKS}
_PP_CHANNEL = {"pi+": "pi+pi-", "K+": "K+K-", "K0": "K0K0~"}
_GAMMA_P_CHANNEL = {"pi0": "pi0 gamma", "eta": "eta gamma", "etap": "etap gamma"}
#: Every channel name returned by :func:`phi2_channel_widths`, in a fixed order.
PHI2_CHANNELS: tuple[str, ...] = (
    *_LEPTON_CHANNEL.values(), *LIGHT_VECTORS, *_PP_CHANNEL.values(), *_GAMMA_P_CHANNEL.values(), *_QUARK_CHANNEL.values()
)  # fmt: skip
#: Hadronic channels of each regime.
CHPT_CHANNELS: tuple[str, ...] = (*LIGHT_VECTORS, *_PP_CHANNEL.values(), *_GAMMA_P_CHANNEL.values())
PQCD_CHANNELS: tuple[str, ...] = tuple(_QUARK_CHANNEL.values())


def uses_pqcd(m1: float, m2: float, threshold: float = PQCD_THRESHOLD) -> bool:
    """True when phi2 hadronic decays go to free quarks: m2 - m1 > 2 GeV (end of appendix A.2)."""
    return m2 - m1 > threshold


def phi2_channel_widths(
    m1: float,
    delta: float,
    Lambda: float,
    couplings: ScalarCouplings = DEMOCRATIC,
    *,
    F: float = F_PAPER,
    neutrino_convention: NeutrinoConvention = "paper",
    pqcd_threshold: float = PQCD_THRESHOLD,
) -> dict[str, float]:
    """Partial widths (GeV) of phi2 -> phi1 + X for every name in :data:`PHI2_CHANNELS`.

    Leptons (e, mu, tau, three neutrino flavours) always; hadrons either as free quarks with N_c = 3
    (m2 - m1 > ``pqcd_threshold`` = 2 GeV) or as the meson channels rho, omega (A.9), P'P'bar (A.4, A.13) and
    gamma P (A.7); the channels of the regime not in use, and closed channels, are exactly 0.
    """
    m2 = m2_from_delta(m1, delta)
    check_masses(m1, m2, Lambda)
    out = dict.fromkeys(PHI2_CHANNELS, 0.0)
    for f, name in _LEPTON_CHANNEL.items():
        out[name] = phi2_to_phi1_ff_width(f, m1, m2, Lambda, couplings, neutrino_convention=neutrino_convention)
    if uses_pqcd(m1, m2, pqcd_threshold):
        for q, name in _QUARK_CHANNEL.items():
            out[name] = phi2_to_phi1_ff_width(q, m1, m2, Lambda, couplings)
    else:
        for v in LIGHT_VECTORS:
            out[v] = phi2_to_phi1_vector_width(v, m1, m2, Lambda, couplings, F)
        for p, name in _PP_CHANNEL.items():
            out[name] = phi2_to_phi1_pp_width(p, m1, m2, Lambda, couplings)
        for p, name in _GAMMA_P_CHANNEL.items():
            out[name] = phi2_to_phi1_gamma_p_width(p, m1, m2, Lambda, couplings, F)
    return out


def phi2_total_width(
    m1: float,
    delta: float,
    Lambda: float,
    couplings: ScalarCouplings = DEMOCRATIC,
    *,
    F: float = F_PAPER,
    neutrino_convention: NeutrinoConvention = "paper",
    pqcd_threshold: float = PQCD_THRESHOLD,
) -> float:
    """Total width of phi2 in GeV (sum of :func:`phi2_channel_widths`)."""
    return math.fsum(
        phi2_channel_widths(
            m1, delta, Lambda, couplings, F=F, neutrino_convention=neutrino_convention, pqcd_threshold=pqcd_threshold
        ).values()
    )


def phi2_branching_ratios(
    m1: float,
    delta: float,
    Lambda: float = 1000.0,
    couplings: ScalarCouplings = DEMOCRATIC,
    *,
    F: float = F_PAPER,
    neutrino_convention: NeutrinoConvention = "paper",
    pqcd_threshold: float = PQCD_THRESHOLD,
) -> dict[str, float]:
    """Branching ratios of phi2 (independent of Lambda); all 0 if no channel is open."""
    widths = phi2_channel_widths(
        m1, delta, Lambda, couplings, F=F, neutrino_convention=neutrino_convention, pqcd_threshold=pqcd_threshold
    )
    total = math.fsum(widths.values())
    if total == 0.0:
        return dict.fromkeys(widths, 0.0)
    return {k: w / total for k, w in widths.items()}


def phi2_ctau_m(
    m1: float,
    delta: float,
    Lambda: float,
    couplings: ScalarCouplings = DEMOCRATIC,
    *,
    F: float = F_PAPER,
    neutrino_convention: NeutrinoConvention = "paper",
    pqcd_threshold: float = PQCD_THRESHOLD,
) -> float:
    """Proper decay length c tau of phi2 in metres (``inf`` if stable)."""
    return ctau_from_width(
        phi2_total_width(
            m1, delta, Lambda, couplings, F=F, neutrino_convention=neutrino_convention, pqcd_threshold=pqcd_threshold
        )
    )


#: The four lifetimes quoted in sec. 3 of paper 003 for democratic couplings: (m1 [GeV], delta, Lambda [GeV]) -> c tau [m].
PAPER_CTAU_BENCHMARKS: dict[tuple[float, float, float], float] = {
    (2e-3, 10.0, 100.0): 5.6e4,
    (0.3, 10.0, 6000.0): 1.4,
    (0.1, 0.1, 100.0): 2.5e5,
    (10.0, 0.1, 3000.0): 4.2,
}


def _report() -> None:  # pragma: no cover - convenience printout: python -m darkreach.models.inelastic_scalar.decays
    print("c tau(phi2) benchmarks of sec. 3 (democratic couplings):")
    for (m1, delta, lam), ref in PAPER_CTAU_BENCHMARKS.items():
        ct = phi2_ctau_m(m1, delta, lam)
        ct_va = phi2_ctau_m(m1, delta, lam, neutrino_convention="v-a")
        print(
            f"  m1={m1:g} delta={delta:g} Lambda={lam:g}: {ct:.4g} m "
            f"(paper {ref:g}, ratio {ct / ref:.3f}; V-A nu: {ct_va / ref:.3f})"
        )
    print("\nFig. 1 (c = 1, delta = 10, Lambda = 1 TeV): meson BRs into phi1 phi2 (+gamma)")
    for m1 in (1e-3, 3e-3, 1e-2, 3e-2, 0.06, 0.1, 0.2, 0.3, 0.5, 1.0):
        br = meson_branching_ratios(m1, 10.0, 1000.0)
        print(f"  m1={m1:<6g}", " ".join(f"{k}={v:.2e}" for k, v in br.items()))
    print("phi2 BRs")
    for m1 in (1e-3, 3e-3, 1e-2, 3e-2, 0.06, 0.1, 0.15, 0.19, 0.21, 0.3, 0.5, 1.0):
        br = phi2_branching_ratios(m1, 10.0, 1000.0)
        print(f"  m1={m1:<6g}", " ".join(f"{k}={v:.3f}" for k, v in br.items() if v > 1e-3))


if __name__ == "__main__":  # pragma: no cover
    _report()
