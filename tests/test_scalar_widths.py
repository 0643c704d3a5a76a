"""Widths of the inelastic dark scalars of paper 003 (Bertuzzo & Taoso), darkreach.models.inelastic_scalar (couplings, production, decays, zprime).

The key checks: the four c*tau(phi2) values quoted in sec. 3, and independent Dalitz-plot integrations of
|M|^2 written here from the operators themselves (not from the paper's formulas) for phi2 -> phi1 f fbar,
phi2 -> phi1 P'P'bar, phi2 -> phi1 gamma P and P -> phi1 phi2 gamma.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from conftest import m23_range
from scipy import integrate, optimize

from darkreach.constants import E_CHARGE, HBARC_GEV_M
from darkreach.mesons import MESONS
from darkreach.models.inelastic_scalar.couplings import (
    CHARGED_PSEUDOSCALARS,
    DEMOCRATIC,
    F_PAPER,
    FERMIONS,
    NEUTRINOS,
    PRODUCTION_MESONS,
    ScalarCouplings,
    charged_meson_coupling,
    charged_pseudoscalar_mass,
    colour_factor,
    fermion_mass,
    light_vector_decay_constant,
    pseudoscalar_axial_coupling,
    pseudoscalar_vector_coupling,
    quarkonium_quark_decay_constant,
    vector_decay_constant,
)
from darkreach.models.inelastic_scalar.decays import (
    CHPT_CHANNELS,
    PAPER_CTAU_BENCHMARKS,
    PHI2_CHANNELS,
    PQCD_CHANNELS,
    phi2_branching_ratios,
    phi2_channel_widths,
    phi2_ctau_m,
    phi2_to_phi1_ff_dgamma_ds,
    phi2_to_phi1_ff_width,
    phi2_to_phi1_gamma_p_width,
    phi2_to_phi1_pp_dgamma_ds,
    phi2_to_phi1_pp_width,
    phi2_to_phi1_vector_width,
    phi2_total_width,
    uses_pqcd,
)
from darkreach.models.inelastic_scalar.numerics import kallen
from darkreach.models.inelastic_scalar.production import (
    meson_branching_ratios,
    meson_widths,
    pseudoscalar_to_phi1phi2gamma_dgamma_ds,
    pseudoscalar_to_phi1phi2gamma_width,
    vector_to_phi1phi2_width,
)
from darkreach.models.inelastic_scalar.zprime import (
    couplings_from_dark_photon,
    couplings_from_zprime,
    dark_photon_vector_couplings,
    zprime_channel_widths,
    zprime_chiral_couplings,
    zprime_width_ff,
    zprime_width_phi1phi2,
)

ME = fermion_mass("e")
MMU = fermion_mass("mu")


# =========================================================================== helpers: independent Dalitz integration
def _dgamma_ds12(msq, s12: float, big_m: float, ma: float, mb: float, mc: float) -> float:
    """dGamma/dm_ab^2 = 1/((2 pi)^3 32 M^3) int |M|^2 dm_bc^2 (spin-0 parent, averaged already)."""
    lo, hi = m23_range(s12, big_m, ma, mb, mc)
    val, _ = integrate.quad(lambda s23: msq(s12, s23), lo, hi, epsabs=0.0, epsrel=1e-11)
    return val / ((2.0 * math.pi) ** 3 * 32.0 * big_m**3)


def _dalitz_width(msq, big_m: float, ma: float, mb: float, mc: float) -> float:
    lo, hi = (ma + mb) ** 2, (big_m - mc) ** 2
    val, _ = integrate.quad(
        lambda s: _dgamma_ds12(msq, s, big_m, ma, mb, mc), lo, hi, epsabs=0.0, epsrel=1e-9, limit=200
    )
    return val


def _msq_ff(m1: float, m2: float, mf: float, c_v: float, c_a: float, lam: float):
    """Spin-summed |M|^2 of phi2(p2) -> phi1(p1) f(k1) fbar(k2) for (1/Lambda^2)(p1+p2)_mu fbar g^mu (c_V + c_A g5) f.

    Tr[(k1+m) g^mu (k2-m) g^nu] P_mu P_nu = 4[2 (P.k1)(P.k2) - P^2 (k1.k2 + m^2)], and the axial trace flips
    the sign of m^2; the V-A interference is an epsilon tensor contracted with P P and vanishes.
    Variables: s12 = (p1 + k1)^2, s23 = (k1 + k2)^2.
    """

    def msq(s12: float, s23: float) -> float:
        s13 = m2**2 + m1**2 + 2.0 * mf**2 - s12 - s23
        k1k2 = 0.5 * (s23 - 2.0 * mf**2)
        p1k1 = 0.5 * (s12 - m1**2 - mf**2)
        p1k2 = 0.5 * (s13 - m1**2 - mf**2)
        # P = p1 + p2 = 2 p1 + k1 + k2
        pk1 = 2.0 * p1k1 + mf**2 + k1k2
        pk2 = 2.0 * p1k2 + k1k2 + mf**2
        pp = 2.0 * m1**2 + 2.0 * m2**2 - s23
        vec = 4.0 * (2.0 * pk1 * pk2 - pp * (k1k2 + mf**2))
        axi = 4.0 * (2.0 * pk1 * pk2 - pp * (k1k2 - mf**2))
        return (c_v**2 * vec + c_a**2 * axi) / lam**4

    return msq


def _gram3(a: np.ndarray) -> float:
    return float(np.linalg.det(a))


def _msq_p_to_phi1phi2gamma(big_m: float, m1: float, m2: float, c_p: float, lam: float, f: float):
    """|M|^2 of P(p) -> phi1(p1) phi2(p2) gamma(k) from the Wess-Zumino term of eq. (A.1).

    M = C eps^{a b r m} F_ab d_r P J_m, C = e c_P/(8 pi^2 F Lambda^2); with F_ab -> i(k_a e_b - k_b e_a),
    d_r P -> -i p_r, J_m -> i (p2 - p1)_m: |M| = 2 C |eps(k, e, p, p2 - p1)| = 4 C |eps(k, e, p1, p2)|, and the
    photon polarisation sum gives |M|^2 = 16 C^2 Gram(k, p1, p2). Variables: s12 = (p1+p2)^2, s23 = (p2+k)^2.
    """
    c = E_CHARGE * c_p / (8.0 * math.pi**2 * f * lam**2)

    def msq(s12: float, s23: float) -> float:
        s13 = big_m**2 + m1**2 + m2**2 - s12 - s23
        kp1, kp2 = 0.5 * (s13 - m1**2), 0.5 * (s23 - m2**2)
        p1p2 = 0.5 * (s12 - m1**2 - m2**2)
        g = np.array([[0.0, kp1, kp2], [kp1, m1**2, p1p2], [kp2, p1p2, m2**2]])
        return 16.0 * c * c * _gram3(g)

    return msq


def _msq_phi2_to_phi1_p_gamma(m2: float, m1: float, mp: float, c_p: float, lam: float, f: float):
    """|M|^2 of phi2(p2) -> phi1(p1) P(q) gamma(k): |M| = 2 C |eps(k, e, q, p1 + p2)| = 4 C |eps(k, e, q, p1)|.

    Variables: s12 = (p1 + q)^2, s23 = (q + k)^2.
    """
    c = E_CHARGE * c_p / (8.0 * math.pi**2 * f * lam**2)

    def msq(s12: float, s23: float) -> float:
        s13 = m2**2 + m1**2 + mp**2 - s12 - s23
        kq, kp1 = 0.5 * (s23 - mp**2), 0.5 * (s13 - m1**2)
        qp1 = 0.5 * (s12 - m1**2 - mp**2)
        g = np.array([[0.0, kq, kp1], [kq, mp**2, qp1], [kp1, qp1, m1**2]])
        return 16.0 * c * c * _gram3(g)

    return msq


def _msq_pp(m1: float, m2: float, mp: float, c: float, lam: float):
    """|M|^2 of phi2 -> phi1(p1) P'(k+) P'bar(k-): |c (p1+p2).(k+ - k-)|^2/Lambda^4 = c^2 (s12 - s13)^2/Lambda^4."""

    def msq(s12: float, s23: float) -> float:
        s13 = m2**2 + m1**2 + 2.0 * mp**2 - s12 - s23
        return c * c * (s12 - s13) ** 2 / lam**4

    return msq


# =========================================================================== sec. 3: the four quoted lifetimes
@pytest.mark.parametrize(("point", "quoted"), list(PAPER_CTAU_BENCHMARKS.items()), ids=lambda x: str(x))
def test_paper_ctau_benchmarks(point, quoted):
    m1, delta, lam = point
    assert phi2_ctau_m(m1, delta, lam) == pytest.approx(quoted, rel=0.05)


def test_full_v_a_neutrino_rate_does_not_reproduce_the_paper():
    # Interpretation choice 2: with the textbook V-A neutrino rate the two purely leptonic benchmarks come out
    # 30 % short, the hadronic ones 5-8 % short, so the paper counts each nu nu~ channel with half that rate.
    ratios = {
        point: phi2_ctau_m(*point, neutrino_convention="v-a") / quoted
        for point, quoted in PAPER_CTAU_BENCHMARKS.items()
    }
    assert ratios[(2e-3, 10.0, 100.0)] == pytest.approx(0.70, abs=0.02)
    assert ratios[(0.1, 0.1, 100.0)] == pytest.approx(0.69, abs=0.02)
    assert ratios[(10.0, 0.1, 3000.0)] < 0.95


def test_benchmark_channel_content():
    # (10 GeV, delta = 0.1): m2 - m1 = 1 GeV -> ChPT; open: e, mu, nu, rho, omega, gamma pi0/eta/eta'
    w = phi2_channel_widths(10.0, 0.1, 3000.0)
    open_ = {k for k, v in w.items() if v > 0.0}
    assert open_ == {"e+e-", "mu+mu-", "nu_e nu_e~", "nu_mu nu_mu~", "nu_tau nu_tau~", "rho", "omega",
                     "pi0 gamma", "eta gamma", "etap gamma"}  # fmt: skip
    assert max(w, key=w.get) == "omega"
    # (0.3 GeV, delta = 10): m2 - m1 = 3 GeV -> pQCD with u, d, s, c (2 m_c = 2.55 GeV < 3 GeV), no tau
    w = phi2_channel_widths(0.3, 10.0, 6000.0)
    open_ = {k for k, v in w.items() if v > 0.0}
    assert open_ == {"e+e-", "mu+mu-", "nu_e nu_e~", "nu_mu nu_mu~", "nu_tau nu_tau~", "u u~", "d d~", "s s~", "c c~"}
    # light quark: N_c x the muon-like width
    assert w["u u~"] / w["e+e-"] == pytest.approx(3.0, rel=0.01)


# =========================================================================== independent |M|^2 cross-checks
@pytest.mark.parametrize(
    ("fermion", "m1", "m2", "c_l", "c_r"),
    [
        ("e", 2e-3, 22e-3, 1.0, 1.0),  # vector, benchmark 1
        ("mu", 0.1, 0.5, 1.0, 1.0),  # vector, m_f comparable to the masses
        ("mu", 0.1, 0.5, 1.0, 0.0),  # V-A: c_V = 1/2, c_A = -1/2
        ("mu", 10.0, 11.0, 0.3, 1.7),  # small splitting, vector + axial
        ("c", 0.3, 3.3, 1.0, -0.5),  # quark (N_c = 3), heavy
    ],
)
def test_phi2_to_phi1_ff_matches_independent_matrix_element(fermion, m1, m2, c_l, c_r):
    cpl = ScalarCouplings.from_mapping({fermion: {"c_L": c_l, "c_R": c_r}})
    c_v, c_a = 0.5 * (c_l + c_r), 0.5 * (c_r - c_l)
    mf = fermion_mass(fermion)
    msq = _msq_ff(m1, m2, mf, c_v, c_a, 1.0)
    # pointwise in s = (p_phi1 + p_f)^2: the (A.14) integrand is the Dalitz integral over the other invariant
    lo, hi = (m1 + mf) ** 2, (m2 - mf) ** 2
    for x in (0.1, 0.37, 0.8):
        s = lo + x * (hi - lo)
        assert phi2_to_phi1_ff_dgamma_ds(s, m1, m2, mf, c_v, c_a, 1.0) == pytest.approx(
            _dgamma_ds12(msq, s, m2, m1, mf, mf), rel=1e-9
        )
    expected = colour_factor(fermion) * _dalitz_width(msq, m2, m1, mf, mf)
    assert phi2_to_phi1_ff_width(fermion, m1, m2, 1.0, cpl) == pytest.approx(expected, rel=1e-7)


def test_neutrino_width_conventions_and_massless_closed_form():
    # m1 = 0, massless neutrinos: Gamma = (c_V^2 + c_A^2) m2^5/(768 pi^3 Lambda^4), c_V = -c_A = 1/2 for c_L = 1
    m2, lam = 0.7, 50.0
    closed = 0.5 * m2**5 / (768.0 * math.pi**3 * lam**4)
    assert phi2_to_phi1_ff_width("nu_mu", 0.0, m2, lam, neutrino_convention="v-a") == pytest.approx(closed, rel=1e-8)
    assert phi2_to_phi1_ff_width("nu_mu", 0.0, m2, lam) == pytest.approx(0.5 * closed, rel=1e-8)
    msq = _msq_ff(0.2, m2, 0.0, 0.5, -0.5, lam)
    assert phi2_to_phi1_ff_width("nu_tau", 0.2, m2, lam, neutrino_convention="v-a") == pytest.approx(
        _dalitz_width(msq, m2, 0.2, 0.0, 0.0), rel=1e-7
    )
    with pytest.raises(ValueError, match="neutrino_convention"):
        phi2_to_phi1_ff_width("nu_e", 0.1, 0.5, 1.0, neutrino_convention="majorana")


@pytest.mark.parametrize("meson", ["pi+", "K+"])
def test_phi2_to_phi1_pp_matches_independent_matrix_element(meson):
    cpl = ScalarCouplings.from_mapping({"u": 1.0})  # c_pi+ = c_K+ = -1, c_K0 = 0
    mp = charged_pseudoscalar_mass(meson)
    m1, m2 = 0.15, 1.8
    c = charged_meson_coupling(meson, cpl)
    assert c == -1.0
    msq = _msq_pp(m1, m2, mp, c, 1.0)
    lo, hi = (m1 + mp) ** 2, (m2 - mp) ** 2
    for x in (0.2, 0.6):
        s = lo + x * (hi - lo)
        assert phi2_to_phi1_pp_dgamma_ds(s, meson, m1, m2, 1.0, cpl) == pytest.approx(
            _dgamma_ds12(msq, s, m2, m1, mp, mp), rel=1e-9
        )
    assert phi2_to_phi1_pp_width(meson, m1, m2, 1.0, cpl) == pytest.approx(_dalitz_width(msq, m2, m1, mp, mp), rel=1e-7)


@pytest.mark.parametrize(("meson", "m1", "m2"), [("pi0", 0.05, 0.6), ("eta", 0.3, 1.5)])
def test_phi2_to_phi1_gamma_p_matches_independent_matrix_element(meson, m1, m2):
    mp = MESONS[meson].mass
    c_p = pseudoscalar_vector_coupling(meson)
    msq = _msq_phi2_to_phi1_p_gamma(m2, m1, mp, c_p, 1.0, F_PAPER)
    expected = _dalitz_width(msq, m2, m1, mp, 0.0)
    assert phi2_to_phi1_gamma_p_width(meson, m1, m2, 1.0) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize(("meson", "m1", "m2"), [("pi0", 0.01, 0.11), ("eta", 0.05, 0.3), ("etap", 0.1, 0.5)])
def test_p_to_phi1phi2gamma_matches_independent_matrix_element(meson, m1, m2):
    big_m = MESONS[meson].mass
    c_p = pseudoscalar_vector_coupling(meson)
    msq = _msq_p_to_phi1phi2gamma(big_m, m1, m2, c_p, 1.0, F_PAPER)
    s = 0.5 * ((m1 + m2) ** 2 + big_m**2)
    assert pseudoscalar_to_phi1phi2gamma_dgamma_ds(s, meson, m1, m2, 1.0) == pytest.approx(
        _dgamma_ds12(msq, s, big_m, m1, m2, 0.0), rel=1e-9
    )
    assert pseudoscalar_to_phi1phi2gamma_width(meson, m1, m2, 1.0) == pytest.approx(
        _dalitz_width(msq, big_m, m1, m2, 0.0), rel=1e-6
    )


def test_printed_a11_bracket_is_a_misprint():
    # the printed bracket 1 + (m2^2-s)^2/M^4 - 2 m1^2 (m2^2+s)/M^4 does not vanish at threshold; lambda/M^4 does
    big_m, m1, m2 = MESONS["eta"].mass, 0.05, 0.3
    s_thr = (m1 + m2) ** 2
    printed = 1.0 + (m2**2 - s_thr) ** 2 / big_m**4 - 2.0 * m1**2 * (m2**2 + s_thr) / big_m**4
    assert printed > 0.5
    assert kallen(s_thr, m1**2, m2**2) == pytest.approx(0.0, abs=1e-15)
    assert pseudoscalar_to_phi1phi2gamma_dgamma_ds(s_thr * (1 + 1e-12), "eta", m1, m2, 1.0) < 1e-12


# =========================================================================== two-body widths
def test_phi2_to_phi1_vector_two_body_formula():
    # Gamma = f_V^2 lambda^{3/2}(m2^2, m1^2, M^2)/(16 pi m2^3 Lambda^4): |M|^2 = f_V^2 lambda/Lambda^4 (pol. sum)
    m1, m2, lam = 0.1, 1.2, 500.0
    big_m = MESONS["omega"].mass
    f_v = light_vector_decay_constant("omega")
    expected = f_v**2 * kallen(m2**2, m1**2, big_m**2) ** 1.5 / (16.0 * math.pi * m2**3 * lam**4)
    assert phi2_to_phi1_vector_width("omega", m1, m2, lam) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("meson", ["rho", "omega", "jpsi", "upsilon"])
def test_vector_to_phi1phi2_small_mass_limit(meson):
    big_m, lam = MESONS[meson].mass, 1000.0
    f_v = vector_decay_constant(meson)
    limit = f_v**2 * big_m**3 / (48.0 * math.pi * lam**4)
    assert vector_to_phi1phi2_width(meson, 1e-7, 2e-7, lam) == pytest.approx(limit, rel=1e-6)
    # general masses: f_V^2 lambda^{3/2}(M^2, m1^2, m2^2)/(48 pi M^3 Lambda^4)
    m1, m2 = 0.05 * big_m, 0.4 * big_m
    exact = f_v**2 * kallen(big_m**2, m1**2, m2**2) ** 1.5 / (48.0 * math.pi * big_m**3 * lam**4)
    assert vector_to_phi1phi2_width(meson, m1, m2, lam) == pytest.approx(exact, rel=1e-12)


@pytest.mark.parametrize(("meson", "charge"), [("jpsi", 2.0 / 3.0), ("upsilon", -1.0 / 3.0)])
def test_quarkonium_decay_constant_from_ee_width(meson, charge):
    spec = MESONS[meson]
    f_q = quarkonium_quark_decay_constant(meson)
    # eq. (A.12) inverted back
    assert f_q**2 * E_CHARGE**4 * charge**2 / (12.0 * math.pi * spec.mass) == pytest.approx(spec.width_ee, rel=1e-12)
    # the usual values f_J/psi ~ 0.41 GeV, f_Upsilon ~ 0.70 GeV
    assert f_q == pytest.approx({"jpsi": 0.41, "upsilon": 0.70}[meson], rel=0.05)
    # Gamma(V -> phi1 phi2)/Gamma(V -> ee) = c^2 M^4/(4 e^4 Q^2 Lambda^4) for massless dark scalars
    cpl = ScalarCouplings.democratic(0.7)
    lam = 300.0
    ratio = vector_to_phi1phi2_width(meson, 1e-8, 2e-8, lam, cpl) / spec.width_ee
    assert ratio == pytest.approx(0.49 * spec.mass**4 / (4.0 * E_CHARGE**4 * charge**2 * lam**4), rel=1e-6)


# =========================================================================== thresholds, scaling
def test_closed_channels_are_exactly_zero_at_threshold():
    m1, lam = 0.3, 1000.0
    assert phi2_to_phi1_ff_width("mu", m1, m1 + 2.0 * MMU, lam) == 0.0
    assert phi2_to_phi1_ff_width("e", m1, m1 + 2.0 * ME, lam) == 0.0
    just_open = phi2_to_phi1_ff_width("mu", m1, m1 + 2.0 * MMU * (1 + 1e-9), lam)
    assert math.isfinite(just_open) and 0.0 < just_open < 1e-40  # ~ (excess)^3
    assert phi2_to_phi1_vector_width("omega", m1, m1 + MESONS["omega"].mass, lam) == 0.0
    assert phi2_to_phi1_gamma_p_width("pi0", m1, m1 + MESONS["pi0"].mass, lam) == 0.0
    cpl = ScalarCouplings.from_mapping({"u": 1.0})
    mpi = charged_pseudoscalar_mass("pi+")
    assert phi2_to_phi1_pp_width("pi+", m1, m1 + 2.0 * mpi, lam, cpl) == 0.0
    for meson in PRODUCTION_MESONS:
        big_m = MESONS[meson].mass
        if MESONS[meson].kind == "vector":
            assert vector_to_phi1phi2_width(meson, 0.5 * big_m, 0.5 * big_m, lam) == 0.0
        else:
            assert pseudoscalar_to_phi1phi2gamma_width(meson, 0.5 * big_m, 0.5 * big_m, lam) == 0.0
    assert zprime_width_ff(3.0, 1.5, 1.0, 1.0, 3) == 0.0
    assert zprime_width_phi1phi2(3.0, 1.0, 2.0, 1.0) == 0.0


def test_stable_phi2_below_every_threshold():
    m1, delta = 0.5, 1.5 * ME / 0.5  # m2 - m1 = 1.5 m_e < 2 m_e, neutrinos still open
    w = phi2_channel_widths(m1, delta, 100.0)
    assert set(w) == set(PHI2_CHANNELS)
    assert {k for k, v in w.items() if v > 0.0} == {"nu_e nu_e~", "nu_mu nu_mu~", "nu_tau nu_tau~"}
    w0 = phi2_channel_widths(m1, 0.0, 100.0)
    assert all(v == 0.0 for v in w0.values())
    assert phi2_ctau_m(m1, 0.0, 100.0) == math.inf
    assert all(v == 0.0 for v in phi2_branching_ratios(m1, 0.0).values())


def test_widths_finite_and_nonnegative_on_a_grid():
    cpl = ScalarCouplings.from_mapping(
        {"u": 1.0, "d": 0.3, "s": -0.5, "c": 1.0, "b": 1.0, "e": 1.0, "mu": 1.0, "nu_e": 1.0}
    )
    for m1 in (1e-3, 0.02, 0.19, 0.35, 1.3):
        for delta in (1e-3, 0.3, 2.0, 10.0, 30.0):
            for cp in (cpl, DEMOCRATIC):
                widths = {**phi2_channel_widths(m1, delta, 700.0, cp), **meson_widths(m1, delta, 700.0, cp)}
                assert all(math.isfinite(v) and v >= 0.0 for v in widths.values()), (m1, delta, widths)


def test_widths_scale_as_lambda_to_minus_four():
    for m1, delta in ((2e-3, 10.0), (0.1, 0.1), (0.3, 10.0), (10.0, 0.1)):
        ref = phi2_total_width(m1, delta, 1000.0)
        assert phi2_total_width(m1, delta, 2000.0) * 16.0 == pytest.approx(ref, rel=1e-9)
    w1, w2 = meson_widths(0.01, 10.0, 1000.0), meson_widths(0.01, 10.0, 3000.0)
    for k in w1:
        assert w2[k] * 81.0 == pytest.approx(w1[k], rel=1e-9)
        assert w1[k] > 0.0
    # c tau scales as Lambda^4 (sec. 3), and branching ratios do not depend on Lambda
    assert phi2_ctau_m(0.3, 10.0, 600.0) * 1e4 == pytest.approx(phi2_ctau_m(0.3, 10.0, 6000.0), rel=1e-9)
    assert phi2_branching_ratios(0.1, 10.0, 100.0) == pytest.approx(phi2_branching_ratios(0.1, 10.0, 5000.0), rel=1e-9)


def test_width_scales_as_coupling_squared():
    a = phi2_channel_widths(0.1, 10.0, 1000.0)
    b = phi2_channel_widths(0.1, 10.0, 1000.0, ScalarCouplings.democratic(3.0))
    for k in a:
        assert b[k] == pytest.approx(9.0 * a[k], rel=1e-9, abs=0.0)


def test_chpt_pqcd_switch_at_two_gev():
    below = phi2_channel_widths(0.199, 10.0, 1000.0)  # m2 - m1 = 1.99 GeV
    above = phi2_channel_widths(0.201, 10.0, 1000.0)  # 2.01 GeV
    assert below["omega"] > 0.0 and all(below[c] == 0.0 for c in PQCD_CHANNELS)
    assert above["u u~"] > 0.0 and all(above[c] == 0.0 for c in CHPT_CHANNELS)
    assert uses_pqcd(1.0, 3.5) and not uses_pqcd(1.0, 3.0)


# =========================================================================== meson couplings
def test_f_rho_suppressed_with_respect_to_f_omega_for_democratic_couplings():
    f_rho = light_vector_decay_constant("rho")
    f_omega = light_vector_decay_constant("omega")
    assert f_rho == pytest.approx(0.09 * F_PAPER, rel=1e-9)
    assert f_omega == pytest.approx(2.99 * F_PAPER, rel=1e-9)
    assert abs(f_rho / f_omega) < 0.05
    br = meson_branching_ratios(0.01, 10.0, 1000.0)
    assert br["rho"] < 1e-2 * br["omega"]


def test_charged_meson_couplings_vanish_for_democratic_couplings():
    for m in CHARGED_PSEUDOSCALARS:
        assert charged_meson_coupling(m) == 0.0
    w = phi2_channel_widths(0.1, 10.0, 1000.0)
    assert w["pi+pi-"] == w["K+K-"] == w["K0K0~"] == 0.0
    cpl = ScalarCouplings.from_mapping({"u": 1.0, "d": 2.0, "s": 4.0})
    assert charged_meson_coupling("pi+", cpl) == 1.0
    assert charged_meson_coupling("K+", cpl) == 3.0
    assert charged_meson_coupling("K0", cpl) == 2.0


def test_a7_mass_basis_couplings_follow_from_a3_and_a6():
    # (eta8, eta1) = inverse of the A.6 matrix (rows eta, eta'; columns 8, 1) applied to (eta, eta')
    inv = np.linalg.inv(np.array([[1.19, 0.18], [-0.48, 1.17]]))
    for q in ("u", "d", "s"):
        cpl = ScalarCouplings.from_mapping({q: 1.0})
        cu, cd, cs = (cpl.c_V(x) for x in ("u", "d", "s"))
        c8 = (cd - 2.0 * (cu + cs)) / math.sqrt(3.0)
        c1 = math.sqrt(2.0 / 3.0) * (cd + cs - 2.0 * cu)
        assert pseudoscalar_vector_coupling("eta", cpl) == pytest.approx(c8 * inv[0, 0] + c1 * inv[1, 0], abs=0.012)
        assert pseudoscalar_vector_coupling("etap", cpl) == pytest.approx(c8 * inv[0, 1] + c1 * inv[1, 1], abs=0.012)
        axial = ScalarCouplings.from_mapping({q: {"c_L": -1.0, "c_R": 1.0}})  # c_A = 1, c_V = 0
        au, ad, as_ = (axial.c_A(x) for x in ("u", "d", "s"))
        t8 = -(au + ad - 2.0 * as_) / math.sqrt(3.0)
        t1 = -math.sqrt(2.0 / 3.0) * (au + ad + as_)
        assert pseudoscalar_axial_coupling("eta", axial) == pytest.approx(t8 * inv[0, 0] + t1 * inv[1, 0], abs=0.012)
        assert pseudoscalar_axial_coupling("etap", axial) == pytest.approx(t8 * inv[0, 1] + t1 * inv[1, 1], abs=0.012)
    assert pseudoscalar_vector_coupling("pi0") == 3.0
    assert pseudoscalar_vector_coupling("eta") == pytest.approx(-1.37)
    assert pseudoscalar_vector_coupling("etap") == pytest.approx(0.21)


# =========================================================================== couplings
def test_democratic_couplings():
    c = DEMOCRATIC
    for f in FERMIONS:
        if f in NEUTRINOS:
            assert (c.c_L[f], c.c_R[f], c.c_V(f), c.c_A(f)) == (1.0, 0.0, 0.5, -0.5)
        else:
            assert (c.c_L[f], c.c_R[f], c.c_V(f), c.c_A(f)) == (1.0, 1.0, 1.0, 0.0)
    assert c == ScalarCouplings.from_mapping(c.as_dict())
    assert hash(c) == hash(ScalarCouplings.democratic())
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.c_L = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        c.c_L["u"] = 2.0  # type: ignore[index]


def test_couplings_from_mapping_validation():
    c = ScalarCouplings.from_mapping({"e": 2.0, "nu_mu": 1.0, "b": {"c_L": 1.0}})
    assert (c.c_V("e"), c.c_A("e")) == (2.0, 0.0)
    assert (c.c_L["nu_mu"], c.c_R["nu_mu"]) == (1.0, 0.0)
    assert (c.c_V("b"), c.c_A("b")) == (0.5, -0.5)
    assert c.c_V("u") == 0.0
    with pytest.raises(ValueError, match="'electron'.*'top'"):
        ScalarCouplings.from_mapping({"electron": 1.0, "top": 1.0, "u": 1.0})
    with pytest.raises(ValueError, match="'cV'"):
        ScalarCouplings.from_mapping({"u": {"cV": 1.0}})
    with pytest.raises(ValueError, match="nu_e"):
        ScalarCouplings.from_mapping({"nu_e": {"c_L": 1.0, "c_R": 1.0}})
    with pytest.raises(ValueError, match="number"):
        ScalarCouplings.from_mapping({"u": "one"})
    with pytest.raises(ValueError, match="'x'"):
        ScalarCouplings(c_L={"x": 1.0})
    with pytest.raises(KeyError, match="unknown SM fermion"):
        DEMOCRATIC.c_V("electron")


# =========================================================================== Z' model: eqs. (4.1), (4.3), (B.1)
def test_zprime_mapping_eq_4_1():
    cpl, lam = couplings_from_zprime(g_phi=1.0, g_V_quark=0.1, g_V_lepton=0.01, M_Zprime=3000.0)
    assert lam == 3000.0
    assert (cpl.c_V("b"), cpl.c_A("b")) == pytest.approx((0.1, 0.0))
    assert (cpl.c_V("mu"), cpl.c_A("mu")) == pytest.approx((0.01, 0.0))
    assert (cpl.c_L["nu_e"], cpl.c_R["nu_e"]) == pytest.approx((0.01, 0.0))
    # c/Lambda^2 = g_phi g/M^2: unit couplings with Lambda = M_Z' is the democratic EFT
    cpl1, lam1 = couplings_from_zprime(1.0, 1.0, 1.0, 1000.0)
    assert cpl1 == DEMOCRATIC
    # the EFT width depends on g_phi g/M^2 only
    cpl2, lam2 = couplings_from_zprime(2.0, 0.5, 0.5, 1000.0)
    assert phi2_total_width(0.3, 10.0, lam2, cpl2) == pytest.approx(phi2_total_width(0.3, 10.0, lam1, cpl1), rel=1e-12)


def test_dark_photon_mapping_eq_4_3():
    eps = 1e-3
    g = dark_photon_vector_couplings(eps)
    assert g["u"] == pytest.approx(2.0 / 3.0 * eps * E_CHARGE)
    assert g["d"] == pytest.approx(-1.0 / 3.0 * eps * E_CHARGE)
    assert g["e"] == pytest.approx(-eps * E_CHARGE)
    assert g["nu_e"] == 0.0
    cpl, lam = couplings_from_dark_photon(eps, g_phi=0.5, M_Zprime=40.0)
    assert lam == 40.0
    assert cpl.c_V("e") == pytest.approx(-0.5 * eps * E_CHARGE) and cpl.c_A("e") == 0.0


def test_zprime_widths_b1():
    big_m, g = 1000.0, 0.25
    assert zprime_width_ff(big_m, 0.0, g, 0.0, 3) == pytest.approx(3 * g * g * big_m / (12.0 * math.pi), rel=1e-14)
    assert zprime_width_ff(big_m, 0.0, 0.0, g, 1) == pytest.approx(g * g * big_m / (12.0 * math.pi), rel=1e-14)
    mt = fermion_mass("t")
    r = mt**2 / big_m**2
    expected = 3 * g * g * big_m / (12 * math.pi) * math.sqrt(1 - 4 * r) * (1 + 2 * r)
    assert zprime_width_ff(big_m, mt, g, 0.0, 3) == pytest.approx(expected, rel=1e-12)
    assert zprime_width_phi1phi2(big_m, 0.0, 0.0, 1.0) == pytest.approx(big_m / (48.0 * math.pi), rel=1e-14)
    m1, m2 = 100.0, 300.0
    assert zprime_width_phi1phi2(big_m, m1, m2, 1.0) == pytest.approx(
        kallen(big_m**2, m1**2, m2**2) ** 1.5 / (48.0 * math.pi * big_m**5), rel=1e-12
    )
    # the full list: a left-handed neutrino gets half a charged lepton's width (g_V = -g_A = g/2)
    g_l, g_r = zprime_chiral_couplings(0.1, 0.01)
    w = zprime_channel_widths(3000.0, 1.0, 2.0, 1.0, g_l, g_r)
    assert w["nu_e"] == pytest.approx(0.5 * w["e"], rel=1e-9)
    assert w["u"] == pytest.approx(3.0 * 100.0 * w["e"], rel=1e-9)


def test_dark_photon_lhc_bound_eq_4_4():
    # eq. (4.4): eps^2 BR(Z'->ll)/BR(Z'->ll)|_{g_phi=0} < 3e-6 gives eps < 3.3e-2 for M_Z' = 40 GeV, g_phi = 1
    big_m, m1, m2 = 40.0, 0.1, 1.1

    def lhs(eps: float) -> float:
        g = dark_photon_vector_couplings(eps)
        w = zprime_channel_widths(big_m, m1, m2, 1.0, g, g)
        sm = math.fsum(v for k, v in w.items() if k != "phi1 phi2")
        return eps**2 * sm / (sm + w["phi1 phi2"])

    eps = optimize.brentq(lambda e: lhs(e) - 3e-6, 1e-3, 0.5, xtol=1e-12)
    assert eps == pytest.approx(3.3e-2, rel=0.03)


# =========================================================================== Fig. 1 (c = 1, delta = 10, Lambda = 1 TeV)
def test_fig1_qualitative_features():
    br = meson_branching_ratios(0.01, 10.0, 1000.0)
    light = max(br[k] for k in ("pi0", "eta", "etap", "rho", "omega"))
    assert br["jpsi"] > light and br["upsilon"] > light
    # phi2: phi1 l lbar dominates at small m1, phi1 omega once open, quarks above the 0.2 GeV switch
    b = phi2_branching_ratios(0.01, 10.0)
    assert max(b, key=b.get) == "e+e-"
    b = phi2_branching_ratios(0.1, 10.0)
    assert max(b, key=b.get) == "omega"
    assert b["omega"] + b["rho"] + b["e+e-"] + b["mu+mu-"] > 0.85
    assert sum(phi2_branching_ratios(0.5, 10.0).values()) == pytest.approx(1.0)


def test_ctau_helper_matches_hbarc_over_width():
    w = phi2_total_width(0.3, 10.0, 6000.0)
    assert phi2_ctau_m(0.3, 10.0, 6000.0) == pytest.approx(HBARC_GEV_M / w, rel=1e-12)
