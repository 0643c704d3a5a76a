"""Production of phi1 phi2 in meson decays (paper 003, sec. 2.1 and appendix A.1).

Gamma(V -> phi1 phi2) (A.11, first line) for V = rho, omega (f_V of A.9), J/psi, Upsilon (A.12), and
Gamma(P -> phi1 phi2 gamma) for P = pi0, eta, eta' (A.11, second line). The second line of (A.11) is
misprinted: its bracket must be lambda(s, m1^2, m2^2)/M^4 (the leading "1" is m1^4/M^4); see
:func:`pseudoscalar_to_phi1phi2gamma_dgamma_ds` for the evidence. This does not enter any lifetime.
"""

from __future__ import annotations

import math

from darkreach.constants import E_CHARGE
from darkreach.mesons import MESONS
from darkreach.models.inelastic_scalar.couplings import (
    DEMOCRATIC,
    F_PAPER,
    PRODUCTION_MESONS,
    ScalarCouplings,
    pseudoscalar_vector_coupling,
    vector_decay_constant,
)
from darkreach.models.inelastic_scalar.numerics import a_function, check_masses, integrate_unit, kallen, m2_from_delta


def vector_to_phi1phi2_width(
    meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> float:
    """Gamma(V -> phi1 phi2) in GeV, eq. (A.11) first line, V = rho, omega (f_V of A.9), J/psi, Upsilon (A.12).

    f_V^2 M^3/(48 pi Lambda^4) A(m1^2, m2^2, M^2) [1-(m1-m2)^2/M^2]^{1/2} [1-(m1+m2)^2/M^2]^{1/2}
    = f_V^2 M^3 A^{3/2}/(48 pi Lambda^4); exactly 0 when m1 + m2 >= M.
    """
    check_masses(m1, m2, Lambda)
    mass = MESONS[meson].mass
    f_v = vector_decay_constant(meson, couplings, F)
    if m1 + m2 >= mass:
        return 0.0
    a = 1.0 - (m1 - m2) ** 2 / mass**2
    b = 1.0 - (m1 + m2) ** 2 / mass**2
    return f_v**2 * mass**3 / (48.0 * math.pi * Lambda**4) * a_function(m1**2, m2**2, mass**2) * math.sqrt(a * b)


def pseudoscalar_to_phi1phi2gamma_dgamma_ds(
    s: float,
    meson: str,
    m1: float,
    m2: float,
    Lambda: float,
    couplings: ScalarCouplings = DEMOCRATIC,
    F: float = F_PAPER,
) -> float:
    """dGamma(P -> phi1 phi2 gamma)/ds in GeV^-1, s = (p_phi1 + p_phi2)^2, eq. (A.11) second line, corrected.

    Printed:  2 e^2 c_P^2/(3 (4 pi)^7 F^2 Lambda^4) M^3 (M^2 - s)^3/s^2 [1 + (m2^2-s)^2/M^4 - 2 m1^2 (m2^2+s)/M^4]^{3/2}.
    Used:     the same with the bracket replaced by lambda(s, m1^2, m2^2)/M^4, i.e. the leading "1" -> m1^4/M^4.

    Evidence for the misprint: (i) the printed bracket does not vanish at the threshold s = (m1+m2)^2 where
    the phi1 phi2 momentum does; (ii) for m1, m2 -> 0 it tends to 1, so the 1/s^2 makes the rate diverge like
    M^9/(m1+m2)^2, an infrared divergence a massive dark pair cannot have; (iii) the corrected form is the crossed
    version of the phi2 -> phi1 gamma P formula of (A.14) (which is printed consistently), and it agrees with
    the direct Dalitz integration of |M|^2 = 16 C^2 Gram(k, p1, p2), C = e c_P/(8 pi^2 F Lambda^2), from the
    Wess-Zumino term of (A.1) (tests). The prefactor 2/(3 (4 pi)^7) is confirmed by that calculation;
    (iv) with the printed bracket, at the Fig. 1 benchmark (delta = 10, Lambda = 1 TeV, m1 = 1 MeV)
    BR(eta -> phi1 phi2 gamma) = 6e-12 and BR(pi0 -> ...) = 1.5e-14, so eta and pi0 would out-produce the omega
    (BR 2.8e-14) at SHiP by orders of magnitude, contradicting sec. 2.1 ("dominated by the omega contribution
    for small dark scalar masses"; J/psi and Upsilon "exceed those from the light mesons, except for the
    omega"); the corrected form gives 1.5e-16 and 6e-18, consistent with both statements.
    """
    mass = MESONS[meson].mass
    if not ((m1 + m2) ** 2 < s < mass**2):
        return 0.0
    c_p = pseudoscalar_vector_coupling(meson, couplings)
    pre = 2.0 * E_CHARGE**2 * c_p**2 / (3.0 * (4.0 * math.pi) ** 7 * F**2 * Lambda**4)
    lam = max(kallen(s, m1**2, m2**2), 0.0)
    return pre * mass**3 * (mass**2 - s) ** 3 / s**2 * (lam / mass**4) ** 1.5


def pseudoscalar_to_phi1phi2gamma_width(
    meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> float:
    """Gamma(P -> phi1 phi2 gamma) in GeV for P = pi0, eta, eta': (A.11) integrated from (m1+m2)^2 to M^2.

    Exactly 0 when m1 + m2 >= M.
    """
    check_masses(m1, m2, Lambda)
    mass = MESONS[meson].mass
    c_p = pseudoscalar_vector_coupling(meson, couplings)
    if m1 + m2 >= mass or c_p == 0.0:
        return 0.0
    # integrate at Lambda = 1 and rescale (keeps quad's relative error meaningful for tiny widths)
    lo, hi = (m1 + m2) ** 2, mass**2
    integrand = lambda s: pseudoscalar_to_phi1phi2gamma_dgamma_ds(s, meson, m1, m2, 1.0, couplings, F)  # noqa: E731
    return integrate_unit(integrand, lo, hi) / Lambda**4


def meson_widths(
    m1: float, delta: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> dict[str, float]:
    """Gamma(M -> phi1 phi2 + X) in GeV for M in :data:`PRODUCTION_MESONS` (X = gamma for pi0, eta, eta')."""
    m2 = m2_from_delta(m1, delta)
    out: dict[str, float] = {}
    for key in PRODUCTION_MESONS:
        if MESONS[key].kind == "pseudoscalar":
            out[key] = pseudoscalar_to_phi1phi2gamma_width(key, m1, m2, Lambda, couplings, F)
        else:
            out[key] = vector_to_phi1phi2_width(key, m1, m2, Lambda, couplings, F)
    return out


def meson_branching_ratios(
    m1: float, delta: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> dict[str, float]:
    """BR(M -> phi1 phi2 + X) = Gamma / Gamma_tot(M) with the PDG total widths (left panel of Fig. 1)."""
    return {k: w / MESONS[k].width for k, w in meson_widths(m1, delta, Lambda, couplings, F).items()}
