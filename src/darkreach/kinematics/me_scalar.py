"""Spin-summed |M|^2 of the inelastic dark scalars of paper 003 (eqs. 1.7-1.9 and A.1), for numba kernels.

Each function takes the parent mass, the three daughter masses in the labels of
:func:`darkreach.kinematics.decays.three_body_decay` (particles 1, 2, 3) and the Dalitz variables
m12^2 = (p1 + p2)^2, m23^2 = (p2 + p3)^2; m13^2 follows from m12^2 + m23^2 + m13^2 = M^2 + m1^2 + m2^2 + m3^2.
The labels are chosen so that the paper's ``s`` of (A.11) / (A.14) is one of the two Dalitz variables:

===========================  ==========  ======  ======  ======  ===============================
decay                        code        1       2       3       paper's s
===========================  ==========  ======  ======  ======  ===============================
phi2 -> phi1 f fbar          3           phi1    f       fbar    m12^2 = (p_phi1 + p_f)^2 (A.14)
phi2 -> phi1 P' P'bar        4           phi1    P'      P'bar   m12^2 = (p_phi1 + p_P')^2 (A.14)
phi2 -> phi1 gamma P         5           phi1    P       gamma   m12^2 = (p_phi1 + p_P)^2 (A.14)
P -> gamma phi1 phi2         6           gamma   phi1    phi2    m23^2 = (p_phi1 + p_phi2)^2 (A.11)
===========================  ==========  ======  ======  ======  ===============================

(code 6 is a production channel: the LLP phi2 is p3, as :class:`~darkreach.models.base.ThreeBodyProduction`
requires.) The amplitudes are derived from the operators, not from the paper's integrated formulas; their
Dalitz integrals over the other variable reproduce dGamma/ds of :mod:`darkreach.models.inelastic_scalar`
(``tests/test_inelastic_scalar.py``), including the absolute normalisation with the parameters below at
Lambda = 1 GeV:

* fermions: (1/Lambda^2)(p_phi1 + p_phi2)_mu fbar gamma^mu (c_V + c_A gamma5) f; params = (c_V, c_A). The
  V-A interference is an epsilon tensor contracted with P P and vanishes. Colour factors are not included.
* P' P'bar: c_P' (p_phi1 + p_phi2).(p_P' - p_P'bar)/Lambda^2 from (A.1); params = (c_P',).
* gamma P and P -> gamma phi1 phi2: the Wess-Zumino term of (A.1), |M|^2 = 16 C^2 Gram(k, a, b) with k the
  photon and a, b the two massive momenta other than the decaying one (the parent's momentum is eliminated
  by momentum conservation), C = e c_P/(8 pi^2 F Lambda^2); params = (C,).

Normalisation is irrelevant for event sampling (weights are self-normalised per channel), but the functions
are kept absolutely normalised so that the tests can compare them to the widths directly.
"""

from __future__ import annotations

import numba as nb


@nb.njit(cache=True)
def msq_scalar_fermions(m2: float, m1: float, mf: float, m12sq: float, m23sq: float, c_v: float, c_a: float) -> float:
    """|M|^2 of phi2 -> phi1(1) f(2) fbar(3) at Lambda = 1 GeV, summed over fermion spins (one colour).

    With P = p_phi2 + p_phi1 = 2 p_phi1 + k1 + k2 (k1 = f, k2 = fbar):
    vector: 4 [2 (P.k1)(P.k2) - P^2 (k1.k2 + mf^2)], axial: the same with -mf^2.
    """
    mf2 = mf * mf
    m1s = m1 * m1
    m13sq = m2 * m2 + m1s + 2.0 * mf2 - m12sq - m23sq
    k1k2 = 0.5 * (m23sq - 2.0 * mf2)
    p1k1 = 0.5 * (m12sq - m1s - mf2)
    p1k2 = 0.5 * (m13sq - m1s - mf2)
    pk1 = 2.0 * p1k1 + mf2 + k1k2
    pk2 = 2.0 * p1k2 + mf2 + k1k2
    pp = 2.0 * m1s + 2.0 * m2 * m2 - m23sq
    vec = 4.0 * (2.0 * pk1 * pk2 - pp * (k1k2 + mf2))
    axi = 4.0 * (2.0 * pk1 * pk2 - pp * (k1k2 - mf2))
    val = c_v * c_v * vec + c_a * c_a * axi
    return val if val > 0.0 else 0.0


@nb.njit(cache=True)
def msq_scalar_meson_pair(m2: float, m1: float, mp: float, m12sq: float, m23sq: float, c: float) -> float:
    """|M|^2 of phi2 -> phi1(1) P'(2) P'bar(3) at Lambda = 1 GeV: c^2 (m12^2 - m13^2)^2."""
    m13sq = m2 * m2 + m1 * m1 + 2.0 * mp * mp - m12sq - m23sq
    d = m12sq - m13sq
    return c * c * d * d


@nb.njit(cache=True, inline="always")
def _gram_null(ka: float, kb: float, ab: float, a2: float, b2: float) -> float:
    """Gram determinant of (k, a, b) with k^2 = 0: 2 (k.a)(k.b)(a.b) - (k.a)^2 b^2 - (k.b)^2 a^2."""
    return 2.0 * ka * kb * ab - ka * ka * b2 - kb * kb * a2


@nb.njit(cache=True)
def msq_scalar_gamma_meson(m2: float, m1: float, mp: float, m12sq: float, m23sq: float, c: float) -> float:
    """|M|^2 of phi2 -> phi1(1) P(2) gamma(3) at Lambda = 1 GeV: 16 C^2 Gram(k, q, p_phi1), params C."""
    m1s = m1 * m1
    mps = mp * mp
    m13sq = m2 * m2 + m1s + mps - m12sq - m23sq
    kq = 0.5 * (m23sq - mps)
    kp1 = 0.5 * (m13sq - m1s)
    qp1 = 0.5 * (m12sq - m1s - mps)
    val = 16.0 * c * c * _gram_null(kq, kp1, qp1, mps, m1s)
    return val if val > 0.0 else 0.0


@nb.njit(cache=True)
def msq_pseudoscalar_scalars(mp: float, m1: float, m2: float, m12sq: float, m23sq: float, c: float) -> float:
    """|M|^2 of P -> gamma(1) phi1(2) phi2(3) at Lambda = 1 GeV: 16 C^2 Gram(k, p_phi1, p_phi2), params C."""
    m1s = m1 * m1
    m2s = m2 * m2
    m13sq = mp * mp + m1s + m2s - m12sq - m23sq
    kp1 = 0.5 * (m12sq - m1s)
    kp2 = 0.5 * (m13sq - m2s)
    p1p2 = 0.5 * (m23sq - m1s - m2s)
    val = 16.0 * c * c * _gram_null(kp1, kp2, p1p2, m1s, m2s)
    return val if val > 0.0 else 0.0
