"""Squared matrix elements for three-body production, evaluated inside numba kernels.

Each matrix element has an integer code; :func:`msq` dispatches on it so that a kernel compiled once
serves every model. Arguments are the parent mass, the three daughter masses (the papers' p1, p2, p3),
the Dalitz variables m12^2 and m23^2, and a parameter array. Normalisation is irrelevant for event
sampling (weights are self-normalised); widths are computed in the model modules.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from darkreach.kinematics.me_scalar import (
    msq_pseudoscalar_scalars,
    msq_scalar_fermions,
    msq_scalar_gamma_meson,
    msq_scalar_meson_pair,
)
from darkreach.kinematics.me_sterile import msq_charged_sterile_dipole

#: P0 -> gamma(p1) chi1(p2) chi2(p3) through the anomaly and the dark dipole, eq. (A.4) of paper 000.
#: params = (F_P, d); a flat phase-space code is kept for tests.
ME_FLAT = 0
ME_PSEUDOSCALAR_DIPOLE = 1
#: P+ -> gamma(p1) l+(p2) N(p3), active-sterile dipole, eq. (A.7) of paper 000; params = (f_P, |V_CKM|, d).
ME_CHARGED_STERILE_DIPOLE = 2
#: phi2 -> phi1 f fbar through the vector/axial current of eq. (1.8), paper 003 (A.14).
ME_SCALAR_FERMIONS = 3
#: phi2 -> phi1 P Pbar (charged/neutral kaon and pion pairs), paper 003 (A.13)-(A.14).
ME_SCALAR_MESON_PAIR = 4
#: phi2 -> phi1 gamma P through the Wess-Zumino term, paper 003 (A.14).
ME_SCALAR_GAMMA_MESON = 5
#: P -> gamma phi1 phi2 through the Wess-Zumino term, paper 003 (A.11).
ME_PSEUDOSCALAR_SCALARS = 6


@nb.njit(cache=True, fastmath=False)
def msq_pseudoscalar_dipole(mp: float, m1: float, m2: float, m12sq: float, m23sq: float, fp: float, d: float) -> float:
    """Spin-summed |M|^2 of eq. (A.4), paper 000, for P0 -> gamma(p1) Psi_M1(p2) Psi_M2(p3)."""
    e2 = 4.0 * math.pi * 0.0072973525643
    pre = d * d * e2 * e2 / (4.0 * math.pi**4 * fp * fp * m23sq * m23sq)
    mp2 = mp * mp
    m1s = m1 * m1
    m2s = m2 * m2
    t1 = mp2 * mp2 * (m23sq * (m2s + 2.0 * m1 * m2 - m1s) - (m1s - m2s) ** 2)
    t2 = m23sq * m23sq * (
        m1s * m1s
        - 2.0 * m1s * m12sq
        - m23sq * (m1 + m2) ** 2
        + 2.0 * m12sq * m12sq
        - 2.0 * m12sq * m2s
        + 2.0 * m12sq * m23sq
        + m2s * m2s
    )
    t3 = 2.0 * m23sq * mp2 * ((m1s - m2s) * (m2s - m12sq) + m2 * m23sq * (2.0 * m1 + m2) - m12sq * m23sq)
    val = pre * (t1 - t2 - t3)
    return val if val > 0.0 else 0.0


@nb.njit(cache=True)
def msq(code: int, mp: float, ma: float, mb: float, mc: float, m12sq: float, m23sq: float, params: np.ndarray) -> float:
    """Dispatch to the matrix element ``code`` (see module constants)."""
    if code == ME_PSEUDOSCALAR_DIPOLE:
        # ma is the photon (massless); mb = M1, mc = M2 as in eq. (A.3) of paper 000.
        return msq_pseudoscalar_dipole(mp, mb, mc, m12sq, m23sq, params[0], params[1])
    if code == ME_CHARGED_STERILE_DIPOLE:  # P+ -> gamma(a) l+(b) N(c), eq. (A.7); params (f_P, |V_CKM|, d)
        return msq_charged_sterile_dipole(mp, mb, mc, m12sq, m23sq, params[0], params[1], params[2])
    # Inelastic scalars (paper 003), labels as in darkreach.kinematics.me_scalar:
    if code == ME_SCALAR_FERMIONS:  # phi2 -> phi1(a) f(b) fbar(c); params (c_V, c_A)
        return msq_scalar_fermions(mp, ma, mb, m12sq, m23sq, params[0], params[1])
    if code == ME_SCALAR_MESON_PAIR:  # phi2 -> phi1(a) P'(b) P'bar(c); params (c_P',)
        return msq_scalar_meson_pair(mp, ma, mb, m12sq, m23sq, params[0])
    if code == ME_SCALAR_GAMMA_MESON:  # phi2 -> phi1(a) P(b) gamma(c); params (C,)
        return msq_scalar_gamma_meson(mp, ma, mb, m12sq, m23sq, params[0])
    if code == ME_PSEUDOSCALAR_SCALARS:  # P -> gamma(a) phi1(b) phi2(c); params (C,)
        return msq_pseudoscalar_scalars(mp, mb, mc, m12sq, m23sq, params[0])
    return 1.0
