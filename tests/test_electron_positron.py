"""The e+e- production source: e+e- -> gamma gamma*(-> chi1 chi2), chi2 -> chi1 gamma (paper 000, sec. 4.2).

The pair cross section the model supplies, the ISR radiator and cross section, and the kinematics of the
generated events. The selection and the counting of the BaBar bound are tested in ``test_ee_monophoton.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from darkreach.bounds.ee_monophoton import EESelection
from darkreach.constants import ALPHA_EM
from darkreach.mesons import MESONS
from darkreach.models import get_model
from darkreach.models.idm_dipole import vector_width
from darkreach.production.electron_positron.events import (
    GEV2_TO_FB,
    generate_ee_events,
    isr_cross_section,
    isr_radiator,
)

MODEL = get_model("idm-dipole")
SEL = EESelection()  # the BaBar selection, as the generator's photon acceptance
REF = {"m1": 0.1, "delta": 0.1}


@pytest.fixture(scope="module")
def ref_events():
    return generate_ee_events(MODEL, REF, SEL, 100_000, seed=7)


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
    assert pytest.approx(0.3893793721e12, rel=1e-9) == GEV2_TO_FB


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
    ev = generate_ee_events(MODEL, point, SEL, 50_000, seed=3, x_min=0.01)
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


def test_generated_events_carry_no_selection(ref_events):
    """The source flags nothing: a selection sets ``passed`` (the bound's simulate_ee_events)."""
    assert ref_events.passed is None
    assert ref_events.n_sampled == 100_000 and ref_events.weight.shape == (100_000,)
    with pytest.raises(ValueError, match="n_events"):
        generate_ee_events(MODEL, REF, SEL, 0, 1)
