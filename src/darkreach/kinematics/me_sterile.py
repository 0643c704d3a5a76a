"""|M|^2 of P+ -> gamma(p1) l+(p2) N(p3) through the active-sterile dipole, eqs. (A.6)-(A.7) of paper 000.

The meson decays leptonically, P+ -> l+ nu*, and the off-shell active neutrino turns into the sterile one,
nu* -> N gamma, through d_i nubar_i sigma^{mu nu} N F_{mu nu} (eq. 2.3). With m_ij^2 = (p_i + p_j)^2 the
propagator is 1/m13^2 and m13^2 = M_P^2 + M_l^2 + M_N^2 - m12^2 - m23^2 (massless photon), which is the
denominator of eq. (A.7). The expression is summed over the spins of l+ and N and the photon polarisations;
tests compare it with a trace evaluation of the amplitude

    M = (G_F/sqrt2) V f_P  ubar_N(p3) [2 d sigma^{mu nu} p1_mu eps*_nu P_L] (q-slash / q^2) p_P-slash (1-g5) v_l(p2),

q = p1 + p3, whose dipole vertex gives Gamma(N -> nu gamma) = d^2 M_N^3/(4 pi) (eq. A.1), and agree to
rounding: eq. (A.7) is used exactly as printed (f_P in the f_pi ~ 130 MeV normalisation).

Widths follow from dGamma = |M|^2 / ((2 pi)^3 32 M_P^3) dm12^2 dm23^2 (eq. A.5); see
:func:`darkreach.models.sterile_dipole.charged_width`.
"""

from __future__ import annotations

import numba as nb

from darkreach.constants import G_FERMI


@nb.njit(cache=True)
def msq_charged_sterile_dipole_raw(
    mp: float, ml: float, mn: float, m12sq: float, m23sq: float, fp: float, vckm: float, d: float
) -> float:
    """Eq. (A.7) of paper 000 as printed, without clamping (may be -0 at the Dalitz boundary)."""
    mp2 = mp * mp
    ml2 = ml * ml
    mn2 = mn * mn
    m13sq = mp2 + ml2 + mn2 - m23sq - m12sq
    pre = 16.0 * d * d * G_FERMI * G_FERMI * fp * fp * vckm * vckm / (m13sq * m13sq)
    bracket = (
        m12sq**3
        - m12sq * m12sq * (2.0 * mp2 + 2.0 * mn2 + ml2 - 2.0 * m23sq)
        + m12sq * (mn2 * mn2 + 2.0 * mn2 * (mp2 + ml2 - m23sq) + m23sq * m23sq - m23sq * (2.0 * mp2 + ml2) + mp2 * mp2)
        + ml2 * (-mn2 * mn2 - mp2 * (mn2 - ml2 + m23sq) + mn2 * m23sq + mp2 * mp2)
    )
    return pre * (mp2 + ml2 - m12sq - m23sq) * bracket


@nb.njit(cache=True)
def msq_charged_sterile_dipole(
    mp: float, ml: float, mn: float, m12sq: float, m23sq: float, fp: float, vckm: float, d: float
) -> float:
    """Spin- and polarisation-summed |M|^2 of eq. (A.7), paper 000, for P+ -> gamma(p1) l+(p2) N(p3).

    ``ml`` is the charged-lepton mass, ``mn`` = M_N, ``fp`` the decay constant f_P (GeV), ``vckm`` = |V_CKM|
    and ``d`` the dipole d_i (GeV^-1). Rounding at the Dalitz boundary is clamped to 0.
    """
    val = msq_charged_sterile_dipole_raw(mp, ml, mn, m12sq, m23sq, fp, vckm, d)
    return val if val > 0.0 else 0.0
