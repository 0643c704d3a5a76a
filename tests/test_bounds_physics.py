"""Computed bounds (darkreach.bounds): LEP mono-photon recast, quarkonium invisible, EWPM and eq. (4.4) of paper 003."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from darkreach.bounds import Excluded, bound_names, get_bound
from darkreach.bounds.base import clip_interval
from darkreach.bounds.dark_photon import DILEPTON_EPSILON2, dilepton_epsilon_limit
from darkreach.bounds.lep_monophoton import (
    fermion_pair_cross_section,
    lep_scalar_lambda,
    mean_betagamma,
    scalar_pair_cross_section,
)
from darkreach.bounds.quarkonium import lab_mean_betagamma
from darkreach.constants import HBARC_GEV_M
from darkreach.mesons import MESONS
from darkreach.models import get_model
from darkreach.models.inelastic_scalar.production import vector_to_phi1phi2_width
from darkreach.models.inelastic_scalar.zprime import dark_photon_vector_couplings, zprime_channel_widths

SCALAR = get_model("inelastic-scalar")
RANGE = (10.0, 1.0e5)


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    return float(a[0] * b[0] - a[1:] @ b[1:])


def _kinematics(sqrt_s: float, ma: float, mb: float, c: float) -> tuple[np.ndarray, ...]:
    e = 0.5 * sqrt_s
    p1, p2 = np.array([e, 0, 0, e]), np.array([e, 0, 0, -e])
    ea = (sqrt_s**2 + ma**2 - mb**2) / (2 * sqrt_s)
    k = math.sqrt(ea**2 - ma**2)
    s_t = math.sqrt(1 - c * c)
    ka = np.array([ea, k * s_t, 0, k * c])
    kb = np.array([sqrt_s - ea, -k * s_t, 0, -k * c])
    return p1, p2, ka, kb, k


def _sigma_from_amplitude(sqrt_s: float, ma: float, mb: float, msq) -> float:
    """sigma = int dcos |M|^2 |k| / (32 pi s |p|) (2 -> 2 in the CM frame, azimuth integrated)."""

    def f(c: float) -> float:
        p1, p2, ka, kb, k = _kinematics(sqrt_s, ma, mb, c)
        return msq(p1, p2, ka, kb) * k / (32 * math.pi * sqrt_s**2 * 0.5 * sqrt_s)

    return integrate.quad(f, -1, 1, epsrel=1e-11)[0]


@pytest.mark.parametrize("m_chi", [0.0, 30.0, 70.0])
def test_fermion_cross_section_is_the_angular_integral_of_the_traces(m_chi: float) -> None:
    # (1/4) sum |M|^2 = 8 [(p2 k1)(p1 k2) + (p1 k1)(p2 k2) + m^2 (p1 p2)] / Lambda^4 (vector operator of ref. [58])
    def msq(p1, p2, k1, k2):
        return 8 * (_dot(p2, k1) * _dot(p1, k2) + _dot(p1, k1) * _dot(p2, k2) + m_chi**2 * _dot(p1, p2))

    assert fermion_pair_cross_section(200.0, m_chi) == pytest.approx(_sigma_from_amplitude(200.0, m_chi, m_chi, msq))


@pytest.mark.parametrize(("m1", "m2"), [(0.0, 0.0), (1.0, 11.0), (40.0, 44.0)])
def test_scalar_cross_section_is_the_angular_integral_of_the_traces(m1: float, m2: float) -> None:
    # (1/4) sum |M|^2 = [2 (p1 q)(p2 q) - (p1 p2) q^2] / Lambda^4, q = k2 - k1 (eq. 1.7 with J_phi of eq. 1.5)
    def msq(p1, p2, k1, k2):
        q = k2 - k1
        return 2 * _dot(p1, q) * _dot(p2, q) - _dot(p1, p2) * _dot(q, q)

    got = scalar_pair_cross_section(200.0, m1, m2)
    assert got == pytest.approx(_sigma_from_amplitude(200.0, m1, m2, msq), rel=1e-9)


def test_lep_recast_lands_near_the_papers_350_gev() -> None:
    # ratio sigma_phi / sigma_chi = 1/4 for light states: Lambda = 500 / 4^(1/4) = 353.6 GeV; paper: "~ 350 GeV"
    lam = lep_scalar_lambda(200.0)
    assert lam == pytest.approx(500.0 * 0.25**0.25, rel=1e-12)
    assert lam == pytest.approx(350.0, rel=0.02)


@pytest.mark.parametrize(("delta", "paper"), [(10.0, 0.06), (0.1, 2.9)])
def test_lep_cutoff_masses(delta: float, paper: float) -> None:
    # phi2 escapes (c tau <beta gamma> > 5 m) at the EFT floor up to m1 ~ 0.06 GeV (delta 10), 2.9 GeV (0.1)
    bound = get_bound("lep-monophoton")
    m_cut = bound.cutoff_mass(SCALAR, {"delta": delta})
    assert m_cut == pytest.approx(paper, rel=0.1)
    below = bound.excluded(SCALAR, {"m1": 0.95 * m_cut, "delta": delta}, RANGE)
    assert below == [Excluded(200.0, lep_scalar_lambda(200.0))]
    assert bound.excluded(SCALAR, {"m1": 1.05 * m_cut, "delta": delta}, RANGE) == []
    # the requirement itself at the cut-off: c tau(200 GeV) <beta gamma> = 5 m
    point = {"m1": m_cut, "delta": delta}
    bg = mean_betagamma(m_cut, SCALAR.llp_mass(point), bound.selection, bound.n_events, bound.seed)
    assert SCALAR.llp_ctau(point, 200.0) * bg == pytest.approx(5.0, rel=1e-4)


def test_lep_pointwise_cutoff_reaches_higher_masses() -> None:
    floor, pointwise = get_bound("lep-monophoton"), get_bound("lep-monophoton", cutoff="pointwise")
    point = {"m1": 0.07, "delta": 10.0}
    assert floor.excluded(SCALAR, point, RANGE) == []
    (iv,) = pointwise.excluded(SCALAR, point, RANGE)
    assert 200.0 < iv.low < iv.high == pytest.approx(lep_scalar_lambda())


def test_closed_channels_give_no_bound_exactly() -> None:
    assert scalar_pair_cross_section(10.0, 5.0, 5.0) == 0.0
    assert np.all(scalar_pair_cross_section(np.array([5.0, 9.99]), 5.0, 5.0) == 0.0)
    assert lab_mean_betagamma(9.46, 5.0, 4.5, 0.56) == 0.0
    lep = get_bound("lep-monophoton")
    assert mean_betagamma(95.0, 105.0, lep.selection, 200, 1) == 0.0
    ups, jpsi = get_bound("upsilon-invisible"), get_bound("jpsi-invisible")
    heavy = {"m1": 4.6, "delta": 0.1}  # m1 + m2 = 9.66 GeV > M_Upsilon
    assert ups.lambda_bound(heavy) == 0.0
    assert ups.excluded(SCALAR, heavy, RANGE) == []
    assert jpsi.excluded(SCALAR, {"m1": 1.6, "delta": 0.1}, RANGE) == []
    assert lep.excluded(SCALAR, heavy, RANGE) == []


def test_upsilon_bound_is_the_branching_ratio_limit() -> None:
    ups = get_bound("upsilon-invisible")
    point = {"m1": 0.5, "delta": 0.1}
    (iv,) = ups.excluded(SCALAR, point, RANGE)
    assert iv.low == RANGE[0] and iv.low_open and not iv.high_open
    # (A.11)-(A.12) at the edge: BR = 3e-4 exactly
    width = vector_to_phi1phi2_width("upsilon", 0.5, 0.55, iv.high)
    assert width / MESONS["upsilon"].width == pytest.approx(3.0e-4, rel=1e-10)


def test_quarkonium_cutoff_is_the_decay_length_at_the_edge() -> None:
    for name, length in (("upsilon-invisible", 3.0), ("jpsi-invisible", 3.0)):
        bound = get_bound(name)
        masses = np.geomspace(1e-3, 1.0, 400)
        kept = [m for m in masses if bound.excluded(SCALAR, {"m1": m, "delta": 10.0}, RANGE)]
        m_cut = kept[-1]
        nxt = masses[masses > m_cut][0]
        for m, escapes in ((m_cut, True), (nxt, False)):
            point = {"m1": float(m), "delta": 10.0}
            lam = bound.lambda_bound(point)
            bg = lab_mean_betagamma(MESONS[bound.meson].mass, SCALAR.llp_mass(point), m, bound.betagamma)
            assert (SCALAR.llp_ctau(point, lam) * bg > length) is escapes


def test_lab_betagamma_at_rest_and_boosted() -> None:
    m, m2, m1 = 9.46, 1.1, 0.1
    p_star = math.sqrt((m**2 - (m1 + m2) ** 2) * (m**2 - (m2 - m1) ** 2)) / (2 * m)
    assert lab_mean_betagamma(m, m2, m1, 0.0) == pytest.approx(p_star / m2, rel=1e-12)
    # isotropic average of |p_lab| by Monte Carlo
    rng = np.random.default_rng(3)
    c = rng.uniform(-1, 1, 400000)
    bg, g = 0.56, math.sqrt(1 + 0.56**2)
    e_star = math.hypot(p_star, m2)
    p_lab = np.hypot(g * p_star * c + bg * e_star, p_star * np.sqrt(1 - c * c))
    assert lab_mean_betagamma(m, m2, m1, bg) == pytest.approx(p_lab.mean() / m2, rel=2e-3)


def test_dilepton_rescaling_of_eq_4_4() -> None:
    eps = dilepton_epsilon_limit(40.0, 0.01, 0.11, 1.0)
    assert eps == pytest.approx(3.3e-2, rel=0.02)  # paper 003 sec. 4.2: epsilon <~ 3.3e-2 for g_phi = 1
    # eq. (4.4) with the (B.1) widths at the limit
    g_v = dark_photon_vector_couplings(eps)
    widths = zprime_channel_widths(40.0, 0.01, 0.11, 1.0, g_v, g_v)
    sm = math.fsum(w for k, w in widths.items() if k != "phi1 phi2")
    br_ratio = sm / (sm + widths["phi1 phi2"])  # BR(ll)/BR(ll)|_{g_phi = 0}
    assert eps**2 * br_ratio == pytest.approx(DILEPTON_EPSILON2, rel=1e-10)
    # Z' -> phi1 phi2 closed: the unrescaled limit exactly
    assert dilepton_epsilon_limit(40.0, 15.0, 25.0, 1.0) == math.sqrt(DILEPTON_EPSILON2)
    assert dilepton_epsilon_limit(40.0, 0.01, 0.11, 0.0) == pytest.approx(math.sqrt(DILEPTON_EPSILON2), rel=1e-12)


def test_ewpm_and_projection() -> None:
    ewpm, future = get_bound("ewpm"), get_bound("ewpm-projection")
    assert ewpm.epsilon_max({"m1": 0.1, "delta": 10}) == 2.2e-2
    assert future.epsilon_max({"m1": 0.1, "delta": 10}) == 1.1e-2
    assert future.kind == "projection"
    with pytest.raises(ValueError, match="M_Zprime"):
        get_bound("ewpm", M_Zprime=100.0)
    with pytest.raises(ValueError, match="scans 'Lambda'"):
        ewpm.excluded(SCALAR, {"m1": 0.1, "delta": 10.0}, RANGE)


def test_registry_and_intervals() -> None:
    names = bound_names()
    for name in ("lep-monophoton", "upsilon-invisible", "jpsi-invisible", "charm2", "bebc", "nucal", "babar"):
        assert name in names
    with pytest.raises(KeyError, match="unknown bound 'lep'"):
        get_bound("lep")
    with pytest.raises(ValueError, match="NaN"):
        clip_interval(float("nan"), 1.0, 1.0, 2.0)
    assert clip_interval(0.0, math.inf, 1.0, 2.0) == Excluded(1.0, 2.0, True, True)
    assert clip_interval(3.0, 4.0, 1.0, 2.0) is None
    assert HBARC_GEV_M > 0
