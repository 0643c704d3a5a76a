"""Heavy-Z' parton production (paper 003 sec. 4.1, Fig. 5 at MATHUSLA): pp -> Z'(*) -> phi1 phi2 from a contact sample
reweighted per event and per scanned M_Z' (darkreach.production.partons.process), inside the one sum kernel of mesons
and partons (darkreach.sensitivity.chain.probability_sums)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from conftest import run_json

from darkreach.models import get_model
from darkreach.models.inelastic_scalar.couplings import fermion_mass
from darkreach.models.inelastic_scalar.zprime import zprime_channel_widths, zprime_chiral_couplings, zprime_width_ff
from darkreach.production.partons.convolution import hadronic_cross_section_pb, pythia_proton_pdf
from darkreach.production.partons.generator import generate_events
from darkreach.production.partons.process import QUARK_IDS, ScannedMediator
from darkreach.production.partons.signal import PartonChannelEvents, PartonSignal
from darkreach.sensitivity.chain import (
    PRODUCTION_BREIT_WIGNER,
    PRODUCTION_CUT,
    PRODUCTION_NONE,
    decay_probability_sums,
    probability_sums,
)

SQRT_S = 14000.0
ZPRIME = get_model("inelastic-scalar-zprime")
HADROPHILIC = {"m1": 0.1, "delta": 10.0, "g_Vq": 0.25, "g_Vl": 0.0}
LEPTONIC = {"m1": 0.3, "delta": 10.0, "g_Vq": 0.1, "g_Vl": 0.01, "g_phi": 0.7}


@pytest.fixture(scope="module")
def pdf():
    return pythia_proton_pdf()[0]


@pytest.mark.parametrize("point", [HADROPHILIC, LEPTONIC])
def test_reweighting_factor_is_breit_wigner_over_contact(point):
    """r(M) of the kernel is F_Z'(s) / F_contact for every flavour (eq. 1.4 over eq. 1.7 at Lambda_ref), with Gamma(M)
    the sum of the (B.1) widths; production_power 0, no EFT cut."""
    process = ZPRIME.parton_process(point)
    assert ZPRIME.has_parton_production() and process.production_power == 0.0 and not process.eft_cut
    masses_tev = np.array([0.03, 0.2, 0.35, 1.0, 7.0, 50.0])
    kind, params = process.production_factors(masses_tev)
    assert kind == PRODUCTION_BREIT_WIGNER and params.shape == (masses_tev.size, 3)
    np.testing.assert_array_equal(process.coupling_weight(masses_tev), 1.0)
    s = np.geomspace(16.0, SQRT_S**2, 40)
    m2 = point["m1"] * (1.0 + point["delta"])
    g_l, g_r = zprime_chiral_couplings(point["g_Vq"], point["g_Vl"])
    for j, m in enumerate(masses_tev):
        at_m = process.at_coupling(float(m))
        med = at_m.mediator
        assert med is not None and med.mass == pytest.approx(1000.0 * m, rel=1e-15)
        widths = zprime_channel_widths(med.mass, point["m1"], m2, point.get("g_phi", 1.0), g_l, g_r)
        assert med.width == pytest.approx(math.fsum(widths.values()), rel=1e-14)
        assert (widths["t"] == 0.0) == (med.mass <= 2.0 * fermion_mass("t"))  # opens at 2 m_t, exactly 0 below
        r = params[j, 0] / ((s - params[j, 1]) ** 2 + params[j, 2])
        for q in QUARK_IDS:
            np.testing.assert_allclose(r, at_m.factor(s, q) / process.factor(s, q), rtol=1e-12)


def test_scanned_mediator_is_validated():
    process = ZPRIME.parton_process(HADROPHILIC)
    with pytest.raises(ValueError, match="eft_cut = False"):
        dataclasses.replace(process, eft_cut=True)
    with pytest.raises(ValueError, match="production_power = 0"):
        dataclasses.replace(process, production_power=-4.0)
    dead = ScannedMediator(unit=1000.0, g_phi=1.0, width=lambda m: 0.0)
    with pytest.raises(ValueError, match="total width at M = 2000.0 GeV"):
        dead.mediator(2.0)
    with pytest.raises(ValueError, match="positive finite mass"):
        process.production_factors([math.inf])


def test_sum_kernel_production_factors():
    """The one sum kernel: no factor is the meson sum (bit-identical); the cut and the Breit-Wigner factors match
    numpy; batch rows add up to the total."""
    rng = np.random.default_rng(3)
    n, nb = 500, 7
    w, bg = rng.random(n), 1.0 + 50.0 * rng.random(n)
    sa = 10.0 * rng.random(n)
    sb = sa + 5.0 * rng.random(n)
    shat = np.geomspace(4.0, 14000.0, n)
    batch = np.arange(n, dtype=np.int64) % nb
    ctau = np.array([0.1, 3.0, 40.0, np.inf])
    prob = np.exp(-sa[:, None] / (bg[:, None] * ctau)) - np.exp(-sb[:, None] / (bg[:, None] * ctau))
    plain, _ = probability_sums(w, bg, sa, sb, ctau)
    np.testing.assert_array_equal(plain, decay_probability_sums(w, bg, sa, sb, ctau))
    cut = np.zeros((ctau.size, 3))
    cut[:, 0] = [50.0, 500.0, 5000.0, 1.0e5]
    bw = np.array([[1.0e12, m**2, (0.03 * m * m) ** 2] for m in (100.0, 1000.0, 3000.0, 100.0)])
    for kind, params, factor in (
        (PRODUCTION_NONE, None, np.ones((n, ctau.size))),
        (PRODUCTION_CUT, cut, (shat[:, None] <= cut[:, 0]).astype(float)),
        (PRODUCTION_BREIT_WIGNER, bw, bw[:, 0] / ((shat[:, None] ** 2 - bw[:, 1]) ** 2 + bw[:, 2])),
    ):
        sums, per_batch = probability_sums(w, bg, sa, sb, ctau, batch, nb, kind, shat, params)
        np.testing.assert_allclose(sums, np.sum(w[:, None] * factor * prob, axis=0), rtol=1e-12)
        np.testing.assert_allclose(per_batch.sum(axis=0), sums, rtol=1e-12)
        assert sums[-1] == 0.0 and np.all(np.isfinite(per_batch))
    with pytest.raises(ValueError, match="sqrt_shat"):
        probability_sums(w, bg, sa, sb, ctau, batch, nb, PRODUCTION_CUT)


def test_reweighted_contact_sample_matches_direct_zprime_generation():
    """sigma(pp -> Z'(*) -> phi1 phi2) at M_Z' = 0.3 TeV: the contact sample reweighted by r_i equals PYTHIA's own
    sigma with the Z' propagator in the matrix element, within the MC errors of both."""
    process, mass = ZPRIME.parton_process(HADROPHILIC), 0.3
    contact = generate_events(process, SQRT_S, 4000, 5, slices=1, mhat_min=200.0)
    direct = generate_events(process.at_coupling(mass), SQRT_S, 300, 6, slices=1, mhat_min=200.0)
    _, params = process.production_factors([mass])
    assert params is not None
    wr = contact.weights * params[0, 0] / ((contact.sqrt_shat**2 - params[0, 1]) ** 2 + params[0, 2])
    error = math.sqrt(wr.size * np.var(wr) + direct.sigma_err_pb[0] ** 2)
    assert abs(wr.sum() - direct.sigma_total_pb) < 4.0 * error, (wr.sum(), direct.sigma_total_pb, error)
    assert error < 0.15 * direct.sigma_total_pb  # the check has teeth


def test_on_shell_peak_is_the_narrow_width_cross_section(pdf):
    """For M_Z' < sqrt(s) the Breit-Wigner is on shell: sigma -> sum_q (4 pi^2 / 3) Gamma(Z' -> q qbar) / M
    x (1/s) dL_qq/dtau (tau = M^2/s) x BR(Z' -> phi1 phi2), the narrow-width cross section (Gamma/M = 1.1 %)."""
    point = {"m1": 0.1, "delta": 10.0, "g_Vq": 0.1, "g_Vl": 0.01}
    process = ZPRIME.parton_process(point)
    for m_tev in (0.5, 2.0):
        at_m = process.at_coupling(m_tev)
        med = at_m.mediator
        assert med is not None
        mass = med.mass
        widths = zprime_channel_widths(mass, 0.1, 1.1, 1.0, *zprime_chiral_couplings(0.1, 0.01))
        br = widths["phi1 phi2"] / med.width
        tau, s = mass**2 / SQRT_S**2, SQRT_S**2
        y, wy = np.polynomial.legendre.leggauss(64)
        ys = -0.5 * math.log(tau) * y  # y in [-ln(1/tau)/2, +ln(1/tau)/2]
        sigma_nwa = 0.0
        for q in QUARK_IDS:
            gamma_q = zprime_width_ff(mass, 0.0, 0.1, 0.0, 3)  # massless quarks, N_c = 3
            lum = sum(
                wk * (pdf(q, math.sqrt(tau) * math.exp(yk), mass**2) * pdf(-q, math.sqrt(tau) * math.exp(-yk), mass**2)
                      + pdf(-q, math.sqrt(tau) * math.exp(yk), mass**2) * pdf(q, math.sqrt(tau) * math.exp(-yk), mass**2))
                for yk, wk in zip(ys, wy)
            ) * (-0.5 * math.log(tau)) / tau  # fmt: skip
            sigma_nwa += 4.0 * math.pi**2 / 3.0 * gamma_q / mass * lum / s * br
        sigma_nwa *= 0.3893793721e9  # GeV^-2 -> pb
        peak = hadronic_cross_section_pb(
            at_m, pdf, SQRT_S, mhat_min=mass - 20 * med.width, mhat_max=mass + 20 * med.width
        )
        assert peak == pytest.approx(sigma_nwa, rel=0.06)
        # the whole spectrum is dominated by the peak, and far above the contact operator at Lambda = M (eq. 4.1)
        full = hadronic_cross_section_pb(at_m, pdf, SQRT_S, mhat_min=4.0)
        assert peak < full < 1.3 * peak
        contact = dataclasses.replace(process, reference_coupling=mass)
        assert full > 10.0 * hadronic_cross_section_pb(contact, pdf, SQRT_S, mhat_min=4.0)


def _synthetic_channels(model, point, n=3000, batches=10, seed=1):
    rng = np.random.default_rng(seed)
    out = []
    for dec in [ch for ch in model.decay_channels(point) if ch.visible][:2]:
        sa = 70.0 + 10.0 * rng.random(n)
        out.append(
            PartonChannelEvents(
                decay=dec, weight=np.full(n, 1.0 / n), betagamma=10.0 ** rng.uniform(1.0, 1.3, n), s_a=sa,
                s_b=sa + 100.0 * rng.random(n), e_visible=5.0 + 100.0 * rng.random(n),
                sqrt_shat=np.geomspace(4.0, SQRT_S, n), batch=np.arange(n) % batches, total=1.0,
                batch_totals=np.bincount(np.arange(n) % batches, minlength=batches) / n,
            )
        )  # fmt: skip
    return out


def _signal(model, point, process, channels):
    return PartonSignal(model=model, point=point, process=process, channels=channels, sigma_pb=5.0,
                        sigma_inel_mb=80.0, factor=0.5, channel_efficiencies={}, batches=10)  # fmt: skip


def _matched_contact(process):
    """The contact sample at Lambda_ref scaled as (M / Lambda_ref)^-4 (scan unit TeV): the EFT of eq. (4.1) with
    c_q^2 = g_q^2 (times g_phi^2 for the Z'), no EFT cut."""
    return dataclasses.replace(process, scanned_mediator=None, reference_coupling=process.reference_coupling / 1e3,
                               production_power=-4.0)  # fmt: skip


def test_heavy_zprime_signal_is_the_matched_contact_operator():
    """M_Z' >> sqrt(s): the reweighted signal equals the contact operator with c/Lambda^2 = g_phi g_q / M^2
    (eq. 4.1, no EFT cut), replicates included, up to s_hat/M^2 and Gamma^2/M^2 (< 2e-3 here)."""
    process = ZPRIME.parton_process(LEPTONIC)
    channels = _synthetic_channels(ZPRIME, LEPTONIC)
    masses = np.array([300.0, 1000.0, 3000.0])  # TeV
    zp = _signal(ZPRIME, LEPTONIC, process, channels)
    contact = _signal(ZPRIME, LEPTONIC, _matched_contact(process), channels)
    total, reps = zp.expected_events_replicates(masses, 2.0, 1.0e15)
    c_total, c_reps = contact.expected_events_replicates(masses, 2.0, 1.0e15)
    assert np.all(c_total > 0.0)
    np.testing.assert_allclose(total, LEPTONIC["g_phi"] ** 2 * c_total, rtol=2e-3)
    np.testing.assert_allclose(reps, LEPTONIC["g_phi"] ** 2 * c_reps, rtol=2e-3)


def test_signal_finite_for_every_mass_with_its_pole_and_zero_when_closed():
    """N(M_Z') over six decades: finite, >= 0, exactly 0 where phi2 decays before the detector (as for the contact
    operator: same lifetime), far above the contact operator where the pole lies inside the sample; replicates
    consistent with the total; a pair heavier than sqrt(s) gives exactly 0."""
    process = ZPRIME.parton_process(HADROPHILIC)
    channels = _synthetic_channels(ZPRIME, HADROPHILIC, n=20000)
    zp = _signal(ZPRIME, HADROPHILIC, process, channels)
    contact = _signal(ZPRIME, HADROPHILIC, _matched_contact(process), channels)
    masses = np.geomspace(1e-3, 1e3, 121)
    total, reps = zp.expected_events_replicates(masses, 2.0, 1.0e15)
    c_total = contact.expected_events(masses, 2.0, 1.0e15)
    assert np.all(np.isfinite(total)) and np.all(total >= 0.0) and np.all(np.isfinite(reps)) and reps.shape == (10, 121)
    # zero together (a contact sum near the double underflow, ~1e-300, may round to 0 where the pole's is not)
    assert np.all(c_total[total == 0.0] == 0.0) and np.all(total[c_total > 1e-250] > 0.0)
    assert np.any(total == 0.0) and np.any(total > 0.0)
    # the jackknife replicates scatter around the total (leave-one-out of 10 batches)
    live = total > 0.0
    np.testing.assert_allclose(reps.mean(axis=0)[live], total[live], rtol=0.2)
    # the pole inside the sample (sqrt(s_hat) log-uniform from 4 GeV to 14 TeV, lifetimes independent of it): N over
    # the contact operator at Lambda = M is the sample mean of M^4 / |s - M^2 + i M Gamma|^2, about
    # [pi M / (2 Gamma) + ln(M / 4 GeV)] / ln(14 TeV / 4 GeV) ~ 6 (the peak's pi / (2 Gamma/M) dominates)
    shat = channels[0].sqrt_shat ** 2
    for j in np.flatnonzero((masses > 0.3) & (masses < 10.0)):
        med = process.at_coupling(float(masses[j])).mediator
        assert med is not None
        expected = np.mean(med.mass**4 / ((shat - med.mass**2) ** 2 + (med.mass * med.width) ** 2))
        assert expected > 4.0 and total[j] / c_total[j] == pytest.approx(expected, rel=0.15)
    # a pair heavier than sqrt(s): no phase space, nothing generated, exactly 0
    closed = {**HADROPHILIC, "m1": 7000.0}
    events = generate_events(ZPRIME.parton_process(closed), SQRT_S, 10, 1, slices=2)
    assert events.sigma_total_pb == 0.0 and events.weights.size == 0


def test_cli_xsec_and_reach_of_the_heavy_zprime(capsys, pdf):
    """`darkreach xsec` gives the Z' cross section at the scanned M_Z' (the Breit-Wigner there); `reach` at MATHUSLA
    with partons only finds an interval in M_Z' (Fig. 5)."""
    args = ["--model", "inelastic-scalar-zprime", "--m1", "0.1", "--delta", "10", "--g-vq", "0.25", "--g-vl", "0"]
    out = run_json(capsys, "xsec", *args, "--mzprime", "2")
    expected = hadronic_cross_section_pb(ZPRIME.parton_process(HADROPHILIC).at_coupling(2.0), pdf, SQRT_S, mhat_min=4.0)
    assert out["sigma_pb"] == pytest.approx(expected, rel=1e-12) and out["sigma_pb_cut"] == out["sigma_pb"]
    assert out["cut"] is None
    reach = run_json(capsys, "reach", *args, "--experiment", "mathusla", "--production", "partons", "--events", "200")
    assert reach["production"] == ["partons"] and reach["max_events"] > 2.3
    lo, hi = reach["intervals"][0]
    assert 0.03 < lo < hi < 14.0  # the reach ends below the kinematic reach of the LHC
