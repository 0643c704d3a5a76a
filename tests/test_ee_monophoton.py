"""The BaBar e+e- -> gamma chi1 chi2 (chi2 -> chi1 gamma) bound of paper 000, sec. 4.2: selection and counting.

The events come from the e+e- production source (``test_electron_positron.py``).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from darkreach.bounds.ee_monophoton import (
    GEV2_TO_FB,
    EEMonophotonSignal,
    EESelection,
    ee_monophoton_scan,
    expected_events_per_fb,
    simulate_ee_events,
)
from darkreach.models import get_model
from darkreach.models.idm_dipole import chi2_width
from darkreach.production.electron_positron import generate_ee_events
from darkreach.sensitivity.scan import ScanResult

MODEL = get_model("idm-dipole")
SEL = EESelection()
REF = {"m1": 0.1, "delta": 0.1}


@pytest.fixture(scope="module")
def ref_events():
    return simulate_ee_events(MODEL, REF, SEL, 100_000, seed=7)


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

    passed = eem.photon_cuts(ev.photon_isr, ev.photon_decay, tight)
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


def test_selection_flags_the_events_of_the_source(ref_events):
    """simulate_ee_events = the production source's events (same seed, same arrays) + the selection's cuts."""
    from darkreach.bounds.ee_monophoton import photon_cuts

    raw = generate_ee_events(MODEL, REF, SEL, 100_000, seed=7)
    for name in (
        "weight",
        "x",
        "cos_theta",
        "photon_isr",
        "chi1_prod",
        "chi2",
        "chi1_decay",
        "photon_decay",
        "betagamma",
    ):
        assert np.array_equal(getattr(raw, name), getattr(ref_events, name)), name
    assert np.array_equal(ref_events.passed, photon_cuts(raw.photon_isr, raw.photon_decay, SEL))
    # unflagged events are cut on the fly, to the same numbers
    d = np.array([1e-5, 1e-4, 1e-3])
    assert np.array_equal(
        expected_events_per_fb(MODEL, REF, raw, d, SEL), expected_events_per_fb(MODEL, REF, ref_events, d, SEL)
    )


def test_point_signal_thresholds(ref_events):
    """The signal of one point: its own threshold gives expected_events_per_fb x exposure; a higher one re-cuts the
    same events; a lower one needs events that were not sampled."""
    import dataclasses

    signal = EEMonophotonSignal(MODEL, REF, ref_events, SEL)
    d = np.array([1e-4, 1e-3])
    per_fb = expected_events_per_fb(MODEL, REF, ref_events, d, SEL)
    assert np.array_equal(signal.expected_events(d, 2.0), per_fb)
    assert np.array_equal(signal.expected_events(d, 2.0, 60.0), per_fb * 60.0)
    from darkreach.bounds.ee_monophoton import photon_cuts

    tight = dataclasses.replace(SEL, leading_photon_min_gev=3.0)
    recut = dataclasses.replace(ref_events, passed=photon_cuts(ref_events.photon_isr, ref_events.photon_decay, tight))
    assert np.array_equal(signal.expected_events(d, 3.0), expected_events_per_fb(MODEL, REF, recut, d, tight))
    assert np.all(signal.expected_events(d, 3.0) < per_fb)
    with pytest.raises(ValueError, match="not sampled"):
        signal.expected_events(d, 1.0)
    assert signal.summary["isr_cross_section_fb"] == pytest.approx(ref_events.weight.mean() * GEV2_TO_FB, rel=1e-15)
