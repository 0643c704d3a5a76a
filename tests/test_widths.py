"""Decay widths of the dipole inelastic-DM model against eqs. (A.1)-(A.5) of paper 000, and meson data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from darkreach.constants import ALPHA_EM
from darkreach.kinematics.matrix_elements import msq_pseudoscalar_dipole
from darkreach.mesons import MESONS, PAPER000_TABLE1, nuclear_scaling
from darkreach.models import get_model
from darkreach.models.idm_dipole import (
    PSEUDOSCALAR_MESONS,
    VECTOR_MESONS,
    chi2_width,
    pseudoscalar_width,
    vector_width,
)

HBARC_GEV_M = 1.973269804e-16


# --------------------------------------------------------------------------- eq. (A.1)
def test_chi2_width_hand_computed_point():
    # M1 = 1 GeV, delta = 0.1, d = 1e-3 GeV^-1:
    # Gamma = d^2 M1^3/(2 pi) * delta^3 (2+delta)^3/(1+delta)^3
    #       = 1e-6/(2 pi) * 0.001 * 9.261 / 1.331
    expected = 1e-6 / (2.0 * math.pi) * 0.001 * 9.261 / 1.331
    assert expected == pytest.approx(1.10741e-9, rel=1e-5)  # the number itself, worked out by hand
    assert chi2_width(1.0, 0.1, 1e-3) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("m1,delta", [(0.01, 0.05), (0.3, 0.1), (1.0, 0.5), (2.5, 2.0)])
def test_chi2_width_scaling_and_equivalent_form(m1, delta):
    d = 3.7e-4
    g = chi2_width(m1, delta, d)
    # d^2 scaling
    assert chi2_width(m1, delta, 10.0 * d) == pytest.approx(100.0 * g, rel=1e-12)
    assert chi2_width(m1, delta, 1.0) == pytest.approx(g / d**2, rel=1e-12)
    # Gamma = d^2 (M2^2 - M1^2)^3 / (2 pi M2^3), the textbook dipole transition width
    m2 = m1 * (1.0 + delta)
    alt = d**2 * (m2**2 - m1**2) ** 3 / (2.0 * math.pi * m2**3)
    assert g == pytest.approx(alt, rel=1e-12)
    assert g > 0.0


# --------------------------------------------------------------------------- eq. (A.2)
@pytest.mark.parametrize("key", VECTOR_MESONS)
def test_vector_width_massless_limit_ratio_to_ee(key):
    spec = MESONS[key]
    d = 1e-3
    m1 = 1e-6
    ratio = vector_width(key, m1, 1.1 * m1, d) / spec.width_ee
    # BR(V -> chi1 chi2) / BR(V -> ee) = d^2 M_V^2 / (2 pi alpha) for M1, M2 -> 0
    assert ratio == pytest.approx(d**2 * spec.mass**2 / (2.0 * math.pi * ALPHA_EM), rel=1e-6)


@pytest.mark.parametrize("key", VECTOR_MESONS)
def test_vector_width_closed_channel_is_exact_zero(key):
    mv = MESONS[key].mass
    # exactly at threshold: M1 + M2 = M_V with M2 = M1 * 1.25 (exact in binary: 0.25 = 2^-2)
    m1 = mv / 2.25
    m2 = mv - m1
    assert m1 + m2 == mv  # exactly at threshold in floating point
    for a, b in [(m1, m2), (mv / 2.0, mv / 2.0), (0.6 * mv, 0.6 * mv), (2.0 * mv, 2.2 * mv), (0.0, mv)]:
        w = vector_width(key, a, b, 1e-3)
        assert isinstance(w, float) and not math.isnan(w)
        assert w == 0.0 and math.copysign(1.0, w) == 1.0  # exactly +0.0, not negative


@pytest.mark.parametrize("key", VECTOR_MESONS)
def test_vector_width_decreases_monotonically_toward_threshold(key):
    mv = MESONS[key].mass
    delta = 0.1
    # M1 + M2 = M1 (2 + delta); scan x = (M1+M2)^2/M_V^2 from 0.6 up to just below 1
    xs = np.linspace(0.6, 1.0 - 1e-9, 400)
    m1s = np.sqrt(xs) * mv / (2.0 + delta)
    widths = np.array([vector_width(key, m1, m1 * (1.0 + delta), 1.0) for m1 in m1s])
    assert np.all(widths > 0.0)
    assert np.all(np.diff(widths) < 0.0)
    # and it goes to zero like sqrt(1 - x)
    assert widths[-1] / widths[0] < 1e-3


# --------------------------------------------------------------------------- eqs. (A.3)-(A.5)
def _msq_a4(mp, m1, m2, m12sq, m23sq, fp, d):
    """Eq. (A.4) of paper 000 written out independently (e^2 = 4 pi alpha), without any clipping."""
    e4 = (4.0 * math.pi * ALPHA_EM) ** 2
    pre = d * d * e4 / (4.0 * math.pi**4 * fp * fp * m23sq**2)
    bracket = (
        mp**4 * (m23sq * (m2**2 + 2.0 * m1 * m2 - m1**2) - (m1**2 - m2**2) ** 2)
        - m23sq**2
        * (
            m1**4
            - 2.0 * m1**2 * m12sq
            - m23sq * (m1 + m2) ** 2
            + 2.0 * m12sq**2
            - 2.0 * m12sq * m2**2
            + 2.0 * m12sq * m23sq
            + m2**4
        )
        - 2.0 * m23sq * mp**2 * ((m1**2 - m2**2) * (m2**2 - m12sq) + m2 * m23sq * (2.0 * m1 + m2) - m12sq * m23sq)
    )
    return pre * bracket


def _m12_limits(mp, m1, m2, m23sq):
    """m12^2 range at fixed m23^2 for P -> gamma(p1) chi1(p2, M1) chi2(p3, M2), evaluated in the (23) frame."""
    w = math.sqrt(m23sq)
    e_gamma = (mp**2 - m23sq) / (2.0 * w)  # photon energy in the (23) rest frame (|p| = E)
    e_chi1 = (m23sq + m1**2 - m2**2) / (2.0 * w)
    p_chi1 = math.sqrt(max(e_chi1**2 - m1**2, 0.0))
    # m12^2 = M1^2 + 2 E_gamma (E_chi1 - p_chi1 cos)
    return m1**2 + 2.0 * e_gamma * (e_chi1 - p_chi1), m1**2 + 2.0 * e_gamma * (e_chi1 + p_chi1)


def _width_by_dalitz_integral(key, m1, m2, d):
    mp = MESONS[key].mass
    fp = MESONS[key].anomaly_decay_constant
    smin, smax = (m1 + m2) ** 2, mp**2

    def inner(s):
        lo, hi = _m12_limits(mp, m1, m2, s)
        return integrate.quad(lambda t: _msq_a4(mp, m1, m2, t, s, fp, d), lo, hi, epsabs=0.0, epsrel=1e-10)[0]

    # outer integral in log(m23^2): the integrand is steep near threshold for small masses
    val = integrate.quad(
        lambda u: inner(math.exp(u)) * math.exp(u), math.log(smin), math.log(smax), epsabs=0.0, epsrel=1e-9, limit=200
    )[0]
    return val / ((2.0 * math.pi) ** 3 * 32.0 * mp**3)


PSEUDO_POINTS = [
    ("pi0", 0.01, 0.1),
    ("pi0", 0.03, 0.5),
    ("pi0", 0.05, 0.2),
    ("eta", 0.01, 0.1),
    ("eta", 0.1, 0.2),
    ("eta", 0.2, 0.05),
    ("etap", 0.03, 0.5),
    ("etap", 0.2, 0.1),
    ("etap", 0.4, 0.1),
]


@pytest.mark.parametrize("key,m1,delta", PSEUDO_POINTS)
def test_pseudoscalar_width_equals_dalitz_integral_of_a4(key, m1, delta):
    m2 = m1 * (1.0 + delta)
    d = 2e-4
    direct = _width_by_dalitz_integral(key, m1, m2, d)
    assert direct > 0.0
    assert pseudoscalar_width(key, m1, m2, d) == pytest.approx(direct, rel=1e-4)


@pytest.mark.parametrize("key", PSEUDOSCALAR_MESONS)
def test_pseudoscalar_width_closed_channel_is_exact_zero(key):
    mp = MESONS[key].mass
    for m1, m2 in [(mp / 2.0, mp / 2.0), (0.4 * mp, 0.6 * mp), (mp, 1.1 * mp), (3.0, 3.3)]:
        w = pseudoscalar_width(key, m1, m2, 1e-3)
        assert isinstance(w, float) and w == 0.0


def test_f_pi_from_two_photon_width_is_92_mev():
    # Gamma(pi0 -> gg) = alpha^2 m^3 / (64 pi^3 F^2)  =>  F = alpha sqrt(m^3 / (64 pi^3 Gamma))
    spec = MESONS["pi0"]
    gamma_gg = spec.width * spec.br_gammagamma
    f_pi = ALPHA_EM * math.sqrt(spec.mass**3 / (64.0 * math.pi**3 * gamma_gg))
    assert spec.anomaly_decay_constant == pytest.approx(f_pi, rel=1e-12)
    assert f_pi == pytest.approx(0.092, rel=0.01)  # the paper's F_pi ~ 92 MeV
    # PDG: Gamma(pi0 -> gg) ~ 7.7 eV
    assert gamma_gg == pytest.approx(7.72e-9, rel=0.02)


@pytest.mark.parametrize(
    "key,m1,delta", [("pi0", 0.01, 0.1), ("eta", 0.1, 0.2), ("etap", 0.05, 3.0), ("etap", 1e-4, 0.1)]
)
def test_msq_pseudoscalar_dipole_non_negative_on_dalitz_grid(key, m1, delta):
    mp = MESONS[key].mass
    fp = MESONS[key].anomaly_decay_constant
    m2 = m1 * (1.0 + delta)
    smin, smax = (m1 + m2) ** 2, mp**2
    ref = []
    got = []
    for s in np.linspace(smin, smax, 61):
        lo, hi = _m12_limits(mp, m1, m2, s)
        for t in np.linspace(lo, hi, 61):
            ref.append(_msq_a4(mp, m1, m2, t, s, fp, 1.0))
            got.append(msq_pseudoscalar_dipole(mp, m1, m2, t, s, fp, 1.0))
    ref = np.array(ref)
    got = np.array(got)
    scale = ref.max()
    assert scale > 0.0
    # eq. (A.4) itself is non-negative over the physical region (up to rounding at the boundary) ...
    assert ref.min() >= -1e-12 * scale
    # ... the kernel returns non-negative values and agrees with the formula.
    assert np.all(got >= 0.0)
    np.testing.assert_allclose(got, np.clip(ref, 0.0, None), rtol=1e-9, atol=1e-12 * scale)


# --------------------------------------------------------------------------- model level
def test_model_omits_closed_channels():
    model = get_model("idm-dipole")
    point = {"m1": 0.1, "delta": 0.1}  # M1 + M2 = 0.21 GeV > m_pi0
    mesons_open = {ch.meson for ch in model.production_channels(point)}
    assert "pi0" not in mesons_open
    assert {"eta", "etap", "rho", "omega", "phi", "jpsi", "upsilon"} <= mesons_open
    assert all(ch.width_unit > 0.0 for ch in model.production_channels(point))
    # M1 + M2 = 2.1 GeV: only J/psi and Upsilon remain
    heavy = {ch.meson for ch in model.production_channels({"m1": 1.0, "delta": 0.1})}
    assert heavy == {"jpsi", "upsilon"}
    assert model.production_channels({"m1": 6.0, "delta": 0.1}) == []


def test_branching_ratio_zero_for_closed_meson_and_small_for_open():
    model = get_model("idm-dipole")
    point = {"m1": 0.1, "delta": 0.1}
    br = model.branching_ratio("pi0", point, 1e-3)
    assert isinstance(br, float) and br == 0.0
    d = 1e-4
    br_rho = model.branching_ratio("rho", point, d)
    gamma_dark = vector_width("rho", 0.1, 0.11, d)
    assert br_rho == pytest.approx(gamma_dark / (MESONS["rho"].width + gamma_dark), rel=1e-12)
    assert 0.0 < br_rho < 1.0


@pytest.mark.parametrize("m1,delta,d", [(0.1, 0.1, 1e-3), (1.0, 0.05, 1e-6), (0.02, 1.0, 1e-2)])
def test_llp_ctau_is_hbarc_over_width(m1, delta, d):
    model = get_model("idm-dipole")
    point = {"m1": m1, "delta": delta}
    gamma = chi2_width(m1, delta, d)
    assert model.llp_width(point, d) == pytest.approx(gamma, rel=1e-12)
    assert model.llp_ctau(point, d) == pytest.approx(HBARC_GEV_M / gamma, rel=1e-9)
    assert model.llp_mass(point) == pytest.approx(m1 * (1.0 + delta), rel=1e-15)


def test_validate_point_rejects_unphysical_parameters():
    model = get_model("idm-dipole")
    for bad in (0.0, -0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="m1"):
            model.validate_point({"m1": bad, "delta": 0.1})
        with pytest.raises(ValueError, match="delta"):
            model.validate_point({"m1": 0.1, "delta": bad})
    with pytest.raises(ValueError, match="delta"):
        model.validate_point({"m1": 0.1})
    model.validate_point({"m1": 0.1, "delta": 0.1})  # a good point passes


# --------------------------------------------------------------------------- meson data
def test_table1_multiplicities_match_paper():
    paper = {
        "pi0": 4.3,
        "eta": 0.49,
        "etap": 0.055,
        "rho": 0.58,
        "omega": 0.57,
        "phi": 0.021,
        "jpsi": 4.7e-6,
        "upsilon": 2.2e-9,
        # charged mesons of Table 1, and K+- decaying in flight per proton interaction (sec. 4.1, ref. [67])
        "dplus": 4.3e-4,
        "ds": 1.8e-4,
        "bplus": 6.0e-8,
        "kplus": 0.29 + 0.07,
    }
    assert set(PAPER000_TABLE1) == set(paper)
    for key, value in paper.items():
        assert PAPER000_TABLE1[key] == pytest.approx(value, rel=1e-12), key


def test_nuclear_scaling():
    a_cu = 63.546
    assert nuclear_scaling("jpsi", a_cu) == pytest.approx(a_cu**0.29, rel=1e-14)
    assert nuclear_scaling("upsilon", a_cu) == pytest.approx(a_cu**0.29, rel=1e-14)
    for key in ("pi0", "eta", "etap", "rho", "omega", "phi"):
        assert nuclear_scaling(key, a_cu) == 1.0
    with pytest.raises(ValueError):
        nuclear_scaling("jpsi", 0.0)
