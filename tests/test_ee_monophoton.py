"""The BaBar e+e- -> gamma chi1 chi2 (chi2 -> chi1 gamma) bound of paper 000, sec. 4.2."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import integrate

from darkreach.bounds.ee_monophoton import (
    GEV2_TO_FB,
    EESelection,
    ee_monophoton_scan,
    expected_events_per_fb,
    isr_cross_section,
    isr_radiator,
    simulate_ee_events,
)
from darkreach.constants import ALPHA_EM
from darkreach.mesons import MESONS
from darkreach.models import get_model
from darkreach.models.idm_dipole import chi2_width, vector_width
from darkreach.sensitivity.scan import ScanResult

MODEL = get_model("idm-dipole")
SEL = EESelection()
REF = {"m1": 0.1, "delta": 0.1}


@pytest.fixture(scope="module")
def ref_events():
    return simulate_ee_events(MODEL, REF, SEL, 100_000, seed=7)


# --------------------------------------------------------------------------- sigma(e+e- -> chi1 chi2)
@pytest.mark.parametrize("m1,delta", [(0.01, 0.1), (0.3, 0.5), (1.0, 0.2), (1.4, 0.05)])
def test_pair_cross_section_from_vector_width_relation(m1, delta):
    # sigma(ee -> X)(s = M_V^2) = sigma(ee -> mu mu) Gamma(V -> X)/Gamma(V -> ee), with eq. (A.2)
    jpsi = MESONS["jpsi"]
    m2 = m1 * (1.0 + delta)
    sigma_mumu = 4.0 * math.pi * ALPHA_EM**2 / (3.0 * jpsi.mass**2)
    expected = sigma_mumu * vector_width("jpsi", m1, m2, 1.0) / jpsi.width_ee
    point = {"m1": m1, "delta": delta}
    assert MODEL.ee_pair_cross_section_unit(point, jpsi.mass) == pytest.approx(expected, rel=1e-12)
    # array evaluation agrees elementwise with the scalar one
    roots = np.array([jpsi.mass, 10.58, m1 + m2, 0.5 * (m1 + m2)])
    arr = MODEL.ee_pair_cross_section_unit(point, roots)
    assert arr == pytest.approx([MODEL.ee_pair_cross_section_unit(point, float(r)) for r in roots], rel=1e-14)


def test_pair_cross_section_limits_and_threshold():
    point = {"m1": 0.1, "delta": 0.1}
    # far above threshold: 2 alpha d^2 / 3 (d = 1 GeV^-1)
    tiny = {"m1": 1e-6, "delta": 0.1}
    assert MODEL.ee_pair_cross_section_unit(tiny, 10.58) == pytest.approx(2.0 * ALPHA_EM / 3.0, rel=1e-10)
    # threshold M1 + M2 = 0.21 GeV: exactly 0 at and below, positive just above
    assert MODEL.ee_pair_cross_section_unit(point, 0.21) == 0.0
    assert MODEL.ee_pair_cross_section_unit(point, 0.2) == 0.0
    assert np.all(MODEL.ee_pair_cross_section_unit(point, np.array([0.05, 0.21])) == 0.0)
    assert MODEL.ee_pair_cross_section_unit(point, 0.2101) > 0.0
    with pytest.raises(ValueError, match="sqrt_s"):
        MODEL.ee_pair_cross_section_unit(point, -1.0)
    # 1 GeV^-2 = 0.3893793721 mb = 0.3893793721e12 fb (PDG)
    assert GEV2_TO_FB == pytest.approx(0.3893793721e12, rel=1e-9)


# --------------------------------------------------------------------------- ISR
def test_isr_radiator_by_hand():
    # x = 0.5, cos theta = 0: (alpha/pi) [(1 + 0.25)/0.5 - 0.25] = 2.25 alpha/pi
    assert isr_radiator(0.5, 0.0) == pytest.approx(2.25 * ALPHA_EM / math.pi, rel=1e-14)
    x, c = np.meshgrid(np.linspace(0.01, 1.0, 50), np.linspace(-0.99, 0.99, 50))
    assert np.all(isr_radiator(x, c) > 0.0)
    # symmetric in cos theta
    assert isr_radiator(0.3, 0.4) == isr_radiator(0.3, -0.4)


def test_isr_total_cross_section_against_scipy_and_mc(ref_events):
    # no cuts besides the ISR-photon window and the x range sampled by the MC
    x_lo, x_hi = 2.0 * 2.0 / 10.58, 1.0 - 0.21**2 / 10.58**2  # the ISR photon must lead for this light point
    s = 10.58**2

    def integrand(c, x):
        return isr_radiator(x, c) * MODEL.ee_pair_cross_section_unit(REF, math.sqrt(s * (1.0 - x)))

    direct, _ = integrate.dblquad(integrand, x_lo, x_hi, SEL.cos_theta_min, SEL.cos_theta_max, epsabs=0.0, epsrel=1e-10)
    assert isr_cross_section(MODEL, REF, SEL) == pytest.approx(direct, rel=1e-8)
    assert ref_events.x.min() >= x_lo and ref_events.x.max() <= x_hi
    mc = ref_events.weight.mean()
    err = ref_events.weight.std() / math.sqrt(ref_events.n_sampled)
    assert abs(mc - direct) < 4.0 * err
    assert err / mc < 2e-3  # importance sampling: nearly flat weights


def test_isr_total_cross_section_massless_closed_form():
    # M1 -> 0: sigma_X = 2 alpha/3 for all x (K = 1), and the radiator integrates in closed form
    point = {"m1": 1e-6, "delta": 0.1}
    c1, c2 = SEL.cos_theta_min, SEL.cos_theta_max
    eta = math.atanh(c2) - math.atanh(c1)

    def closed(x1, x2):
        x_part = 2.0 * math.log(x2 / x1) - 2.0 * (x2 - x1) + 0.5 * (x2**2 - x1**2)  # int (1 + (1-x)^2)/x dx
        return 2.0 * ALPHA_EM / 3.0 * ALPHA_EM / math.pi * (eta * x_part - (c2 - c1) * (x2**2 - x1**2) / 4.0)

    assert isr_cross_section(MODEL, point, SEL, x_min=0.01, x_max=0.9) == pytest.approx(closed(0.01, 0.9), rel=1e-8)
    # the MC samples [x_min, x_hi], x_hi = 1 - (M1 + M2)^2/s = 1 - 4e-14
    ev = simulate_ee_events(MODEL, point, SEL, 50_000, seed=3, x_min=0.01)
    x_hi = 1.0 - (2.1e-6) ** 2 / 10.58**2
    assert ev.x.min() >= 0.01 and ev.x.max() <= x_hi
    err = ev.weight.std() / math.sqrt(ev.n_sampled)
    assert abs(ev.weight.mean() - closed(0.01, x_hi)) < 4.0 * err
    assert err / ev.weight.mean() < 2e-3


# --------------------------------------------------------------------------- event kinematics
def test_four_momentum_conservation_and_masses(ref_events):
    ev = ref_events
    total = ev.photon_isr + ev.chi1_prod + ev.chi1_decay + ev.photon_decay
    assert np.max(np.abs(total - np.array([10.58, 0.0, 0.0, 0.0]))) < 1e-12 * 10.58
    # chi2 = chi1 + gamma of its decay
    assert np.max(np.abs(ev.chi2 - ev.chi1_decay - ev.photon_decay)) < 1e-12 * 10.58

    def mass2(p):
        return p[:, 0] ** 2 - np.sum(p[:, 1:] ** 2, axis=1)

    m1, m2 = 0.1, 0.11
    assert np.max(np.abs(mass2(ev.photon_isr))) < 1e-12
    assert np.max(np.abs(mass2(ev.photon_decay))) < 1e-10
    np.testing.assert_allclose(mass2(ev.chi2), m2**2, rtol=0, atol=1e-10)
    np.testing.assert_allclose(mass2(ev.chi1_decay), m1**2, rtol=0, atol=1e-10)
    # the invisible system recoiling against the ISR photon has mass^2 s(1 - x)
    vstar = ev.chi1_prod + ev.chi2
    np.testing.assert_allclose(mass2(vstar), 10.58**2 * (1.0 - ev.x), rtol=1e-10)
    # ISR photon: E = x sqrt(s)/2, inside the acceptance; beta gamma of chi2
    np.testing.assert_allclose(ev.photon_isr[:, 0], 0.5 * ev.x * 10.58, rtol=1e-14)
    assert np.all((ev.cos_theta >= SEL.cos_theta_min) & (ev.cos_theta <= SEL.cos_theta_max))
    np.testing.assert_allclose(ev.betagamma, np.linalg.norm(ev.chi2[:, 1:], axis=1) / m2, rtol=1e-14)
    # chi2 decay photon: isotropic in the chi2 frame -> its energy is flat between k (1 -+ beta) gamma
    k = (m2**2 - m1**2) / (2 * m2)
    gamma = ev.chi2[:, 0] / m2
    beta = np.linalg.norm(ev.chi2[:, 1:], axis=1) / ev.chi2[:, 0]
    u = (ev.photon_decay[:, 0] / (k * gamma) - (1 - beta)) / (2 * beta)
    assert np.all((u > -1e-9) & (u < 1 + 1e-9))
    np.testing.assert_allclose(np.histogram(u, bins=10, range=(0, 1))[0], ev.n_sampled / 10, rtol=0.05)


def test_cuts_applied(ref_events):
    ev = ref_events
    e1, e2 = ev.photon_isr[ev.passed, 0], ev.photon_decay[ev.passed, 0]
    assert np.all(np.maximum(e1, e2) >= 2.0) and np.all(np.minimum(e1, e2) >= 0.02)
    assert np.all(10.58 - e1 - e2 >= 0.05)
    cos_dec = ev.photon_decay[ev.passed, 3] / ev.photon_decay[ev.passed, 0]
    assert np.all((cos_dec >= -0.31) & (cos_dec <= 0.6))
    # M1 = 0.1, delta = 0.1: the chi2 photon never exceeds ~0.92 GeV, so the ISR photon always leads
    assert ev.photon_decay[:, 0].max() < 1.0
    # for this light point the only loss is the decay photon falling outside -0.31 < cos theta < 0.6
    # (the chi2 recoils against the ISR photon, which is inside): about half of the cross section survives
    frac = ev.weight[ev.passed].sum() / ev.weight.sum()
    assert 0.3 < frac < 0.6
    # the automatic x range (x >= 2 E_lead/sqrt(s)) only drops events that fail the cuts
    wide = simulate_ee_events(MODEL, REF, SEL, 100_000, seed=8, x_min=2 * 0.02 / 10.58)
    a = expected_events_per_fb(MODEL, REF, ev, [1e-3], SEL)[0]
    b = expected_events_per_fb(MODEL, REF, wide, [1e-3], SEL)[0]
    assert a == pytest.approx(b, rel=0.02)


def test_higher_threshold_never_adds_events(ref_events):
    tight = EESelection(leading_photon_min_gev=3.0)
    base = expected_events_per_fb(MODEL, REF, ref_events, [1e-4, 1e-3], SEL)
    # same events, re-cut
    ev = ref_events
    from darkreach.bounds import ee_monophoton as eem

    passed = eem._photon_cuts(ev.photon_isr, ev.photon_decay, tight)
    assert np.all(passed <= ev.passed)
    recut = eem.EEEvents(**{**ev.__dict__, "passed": passed})
    assert np.all(expected_events_per_fb(MODEL, REF, recut, [1e-4, 1e-3], tight) < base)


# --------------------------------------------------------------------------- coupling dependence
def test_coupling_scaling_d4_small_d2_large(ref_events):
    d = np.array([1e-8, 2e-8, 1e-1, 2e-1])
    n = expected_events_per_fb(MODEL, REF, ref_events, d, SEL)
    slope_small = math.log(n[1] / n[0]) / math.log(2.0)
    slope_large = math.log(n[3] / n[2]) / math.log(2.0)
    assert slope_small == pytest.approx(4.0, abs=1e-4)  # d^2 production x d^2 decay probability
    assert slope_large == pytest.approx(2.0, abs=1e-9)  # prompt decays: production only
    # large d: every passed event decays inside R_max -> N = L d^2 sigma_acc
    sigma_acc = ref_events.weight[ref_events.passed].sum() / ref_events.n_sampled
    assert n[3] == pytest.approx(GEV2_TO_FB * 0.2**2 * sigma_acc, rel=1e-12)
    # small d: P_dec = R_max / (beta gamma c tau) -> N = L d^4 Gamma(1) R_max/hbar c <w / beta gamma>
    w, bg = ref_events.weight[ref_events.passed], ref_events.betagamma[ref_events.passed]
    hbarc = 1.973269804e-16
    small = GEV2_TO_FB * 1e-8**4 * chi2_width(0.1, 0.1, 1.0) * 1.0 / hbarc * np.sum(w / bg) / ref_events.n_sampled
    assert n[0] == pytest.approx(small, rel=1e-6)
    # R_max = infinity: exactly d^2, and never fewer events than with R_max = 1 m
    inf_sel = EESelection(decay_radius_max_m=math.inf)
    n_inf = expected_events_per_fb(MODEL, REF, ref_events, d, inf_sel)
    assert n_inf / d**2 == pytest.approx(np.full(4, n_inf[0] / d[0] ** 2), rel=1e-12)
    assert np.all(n_inf >= n)


# --------------------------------------------------------------------------- the scan
def test_scan_shape_threshold_closed_and_determinism():
    masses = np.array([0.05, 0.1, 1.0, 4.9, 5.1, 6.0])  # 5.1 and 6.0: M1 + M2 > 10.58 GeV, closed
    couplings = np.logspace(-6, -2, 9)
    res = ee_monophoton_scan(MODEL, {"delta": 0.1}, masses, couplings, SEL, 20_000, seed=11)
    assert isinstance(res, ScanResult)
    assert res.per_interaction.shape == (1, masses.size, couplings.size)
    assert res.thresholds.tolist() == [2.0]
    assert (res.mass_parameter, res.coupling_name, res.coupling_unit) == ("m1", "d", "GeV^-1")
    assert np.all(np.isfinite(res.per_interaction)) and np.all(res.per_interaction >= 0.0)
    assert np.all(res.per_interaction[0, 4:] == 0.0)  # closed channel: exactly 0
    assert np.all(res.per_interaction[0, :3] > 0.0)
    assert np.array_equal(res.events(60.0), 60.0 * res.per_interaction)
    json.dumps(res.metadata)
    # same seed -> identical arrays; another seed -> different numbers
    again = ee_monophoton_scan(MODEL, {"delta": 0.1}, masses, couplings, SEL, 20_000, seed=11)
    assert np.array_equal(res.per_interaction, again.per_interaction)
    other = ee_monophoton_scan(MODEL, {"delta": 0.1}, masses, couplings, SEL, 20_000, seed=12)
    assert not np.array_equal(res.per_interaction, other.per_interaction)
    assert other.per_interaction[0, :3] == pytest.approx(res.per_interaction[0, :3], rel=0.05)


def test_reference_yield(ref_events):
    # M1 = 0.1 GeV, delta = 0.1, d = 1e-4 GeV^-1, 60 fb^-1 (number quoted in the report)
    n = 60.0 * expected_events_per_fb(MODEL, REF, ref_events, [1e-4], SEL)[0]
    assert n == pytest.approx(0.93, rel=0.03)


def test_model_without_cross_section_and_bad_selection():
    with pytest.raises(TypeError, match="inelastic-scalar"):
        ee_monophoton_scan(get_model("inelastic-scalar"), {"delta": 0.1}, np.array([0.1]), np.array([1.0]), SEL, 10, 1)
    for kwargs, name in [
        ({"sqrt_s_gev": -1.0}, "sqrt_s_gev"),
        ({"cos_theta_min": -1.0}, "cos_theta_min"),
        ({"cos_theta_max": -0.5}, "cos_theta_max"),
        ({"decay_radius_max_m": 0.0}, "decay_radius_max_m"),
        ({"subleading_photon_min_gev": 0.0}, "subleading_photon_min_gev"),
        ({"missing_energy_min_gev": -0.1}, "missing_energy_min_gev"),
    ]:
        with pytest.raises(ValueError, match=name):
            EESelection(**kwargs)
    with pytest.raises(ValueError, match="n_events"):
        simulate_ee_events(MODEL, REF, SEL, 0, 1)
