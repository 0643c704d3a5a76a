"""The Z' model behind the inelastic-scalar EFT (paper 003): matching, eqs. (4.1) and (4.3), and widths, eq. (B.1).

Integrating out the Z' of eq. (1.4) gives the EFT of eq. (1.7) with c_fL/Lambda^2 = g_phi g_L^f / M_Z'^2 and
c_fR/Lambda^2 = g_phi g_R^f / M_Z'^2 (eq. 4.1); a dark photon has g_Vf = epsilon e Q_f, g_Af = 0 (eq. 4.3).
The Z' models of sec. 4 (:mod:`darkreach.models.scalar_zprime`, :mod:`darkreach.models.scalar_dark_photon`)
are the EFT with these couplings; :mod:`darkreach.output.reinterpret` converts finished Lambda contours instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from darkreach.constants import E_CHARGE
from darkreach.models.inelastic_scalar.couplings import (
    FERMIONS,
    NEUTRINOS,
    QUARKS,
    ScalarCouplings,
    colour_factor,
    fermion_charge,
    fermion_mass,
)


def couplings_from_gauge(
    g_phi: float, g_L: Mapping[str, float], g_R: Mapping[str, float], M_Zprime: float
) -> tuple[ScalarCouplings, float]:
    """EFT matching of the Z' model (1.4) onto (1.7), eq. (4.1): c_fL/Lambda^2 = g_phi g_L^f / M_Z'^2.

    Convention: Lambda = M_Z' and c_fL = g_phi g_L^f, c_fR = g_phi g_R^f (only the ratio c/Lambda^2 is
    physical). Returns ``(couplings, Lambda)``.
    """
    if not M_Zprime > 0.0:
        raise ValueError(f"M_Zprime must be positive, got {M_Zprime!r}")
    couplings = ScalarCouplings(
        c_L={f: g_phi * float(g) for f, g in g_L.items()}, c_R={f: g_phi * float(g) for f, g in g_R.items()}
    )
    return couplings, float(M_Zprime)


def couplings_at_unit_scale(couplings: ScalarCouplings, Lambda: float) -> ScalarCouplings:
    """The same EFT written with Lambda = 1 GeV: c_f -> c_f (1 GeV / Lambda)^2 (only c/Lambda^2 enters eq. 1.7).

    The inelastic-scalar widths are tabulated at Lambda = 1 GeV (``phi2_unit_widths``, ``meson_unit_widths``); a
    matched Z' point at its unit coupling is the EFT with these coefficients (the models ``inelastic-scalar-zprime``
    and ``inelastic-scalar-dark-photon``).
    """
    if not (Lambda > 0.0 and math.isfinite(Lambda)):
        raise ValueError(f"Lambda must be positive and finite, got {Lambda!r}")
    scale = 1.0 / (Lambda * Lambda)
    return ScalarCouplings(
        c_L={f: c * scale for f, c in couplings.c_L.items()}, c_R={f: c * scale for f, c in couplings.c_R.items()}
    )


def zprime_chiral_couplings(g_V_quark: float, g_V_lepton: float) -> tuple[dict[str, float], dict[str, float]]:
    """(g_L, g_R) of the flavour-blind vector Z' of sec. 4.1: g_L^f = g_R^f = g_Vq (quarks), g_Vl (leptons).

    Neutrinos: g_L = g_Vl (SU(2)_L partner of the charged lepton, eq. 1.4 is written for chiral multiplets),
    g_R = 0.
    """
    g_l = {f: (g_V_quark if f in QUARKS else g_V_lepton) for f in FERMIONS}
    g_r = {f: (0.0 if f in NEUTRINOS else g_l[f]) for f in FERMIONS}
    return g_l, g_r


def couplings_from_zprime(
    g_phi: float, g_V_quark: float, g_V_lepton: float, M_Zprime: float
) -> tuple[ScalarCouplings, float]:
    """EFT couplings of the heavy vector Z' of sec. 4.1 via eq. (4.1); returns ``(couplings, Lambda = M_Z')``.

    c_fL = c_fR = g_phi g_Vq for quarks and g_phi g_Vl for charged leptons, c_L = g_phi g_Vl for neutrinos.
    """
    g_l, g_r = zprime_chiral_couplings(g_V_quark, g_V_lepton)
    return couplings_from_gauge(g_phi, g_l, g_r, M_Zprime)


def dark_photon_vector_couplings(epsilon: float) -> dict[str, float]:
    """g_Vf = epsilon e Q_f, g_Af = 0 (eq. 4.3); neutrinos decouple."""
    return {f: epsilon * E_CHARGE * fermion_charge(f) for f in FERMIONS}


def couplings_from_dark_photon(epsilon: float, g_phi: float, M_Zprime: float) -> tuple[ScalarCouplings, float]:
    """EFT couplings of the dark photon of sec. 4.2 (eqs. 4.1 and 4.3); returns ``(couplings, Lambda = M_Z')``."""
    g_v = dark_photon_vector_couplings(epsilon)
    return couplings_from_gauge(g_phi, g_v, g_v, M_Zprime)


def zprime_width_ff(M_Zprime: float, m_f: float, g_V: float, g_A: float, n_c: int = 1) -> float:
    """Gamma(Z' -> f fbar), eq. (B.1) first line; exactly 0 below threshold (2 m_f >= M_Z')."""
    if 2.0 * m_f >= M_Zprime:
        return 0.0
    r = m_f**2 / M_Zprime**2
    couplings = g_V**2 * (1.0 + 2.0 * r) + g_A**2 * (1.0 - 4.0 * r)
    return n_c / (12.0 * math.pi) * M_Zprime * math.sqrt(1.0 - 4.0 * r) * couplings


def zprime_width_phi1phi2(M_Zprime: float, m1: float, m2: float, g_phi: float) -> float:
    """Gamma(Z' -> phi1 phi2), eq. (B.1) second line; exactly 0 below threshold (m1 + m2 >= M_Z')."""
    if m1 + m2 >= M_Zprime:
        return 0.0
    a = 1.0 - (m1 - m2) ** 2 / M_Zprime**2
    b = 1.0 - (m1 + m2) ** 2 / M_Zprime**2
    return g_phi**2 / (48.0 * math.pi) * M_Zprime * a**1.5 * b**1.5


def zprime_channel_widths(
    M_Zprime: float, m1: float, m2: float, g_phi: float, g_L: Mapping[str, float], g_R: Mapping[str, float]
) -> dict[str, float]:
    """All Z' partial widths of eq. (B.1): one entry per SM fermion (colour included) and ``"phi1 phi2"``.

    Chiral couplings g_L, g_R (missing fermions are 0) are turned into g_V, g_A by eq. (1.10); free quarks
    with the :mod:`particle` masses (no QCD corrections).
    """
    out: dict[str, float] = {}
    for f in FERMIONS:
        gl, gr = float(g_L.get(f, 0.0)), float(g_R.get(f, 0.0))
        out[f] = zprime_width_ff(M_Zprime, fermion_mass(f), 0.5 * (gl + gr), 0.5 * (gr - gl), colour_factor(f))
    out["phi1 phi2"] = zprime_width_phi1phi2(M_Zprime, m1, m2, g_phi)
    return out


def zprime_total_width(
    M_Zprime: float, m1: float, m2: float, g_phi: float, g_L: Mapping[str, float], g_R: Mapping[str, float]
) -> float:
    """The Z' total width: the sum of :func:`zprime_channel_widths` (eq. B.1, every channel with its threshold)."""
    return math.fsum(zprime_channel_widths(M_Zprime, m1, m2, g_phi, g_L, g_R).values())
