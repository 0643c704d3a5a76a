"""The beam's reference parton sample (issues 12-13): unbiased under its importance bias, reweighted exactly to any
(m1, m2), flavour coupling and mediator (paper 003, eqs. 1.4, 1.7, 2.4), against a direct PYTHIA generation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from darkreach.models import get_model
from darkreach.production.partons.convolution import hadronic_cross_section_pb, pythia_proton_pdf
from darkreach.production.partons.generator import generate_events
from darkreach.production.partons.process import Mediator, PartonProcess
from darkreach.production.partons.reference import REFERENCE_MASS, reference_process
from darkreach.production.partons.reweight import rebuild_phi2, reweight_sample, thinning_threshold
from darkreach.production.partons.sample_file import generate_parton_file, read_parton_sample

SQRT_S = 14000.0
MODEL = get_model("inelastic-scalar")


@pytest.fixture(scope="module")
def sample(reference_partons):
    return read_parton_sample(reference_partons)


@pytest.fixture(scope="module")
def pdf():
    return pythia_proton_pdf()[0]


def _agree(a: float, err_a: float, b: float, err_b: float = 0.0, k: float = 4.0) -> bool:
    return abs(a - b) <= k * np.hypot(err_a, err_b) + 1e-3 * abs(b)


def test_reference_sample_is_unbiased_and_flat_in_ln_mhat(sample, pdf):
    """sum w over any sqrt(s_hat) range = our PDF convolution of the reference process (|c_q|^2 = 1, Lambda_ref)
    within the MC error; PYTHIA reported no maximum violation; the events are about flat in ln sqrt(s_hat)."""
    assert all(s["max_violations"] == 0 for s in sample.metadata["shards"])
    ref = reference_process()
    edges = [4.0, 40.0, 400.0, 4000.0, SQRT_S]
    counts = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (sample.sqrt_shat >= lo) & (sample.sqrt_shat < hi)
        w = sample.weight[sel]
        ours = hadronic_cross_section_pb(ref, pdf, SQRT_S, mhat_min=lo, mhat_max=hi)
        assert _agree(w.sum(), np.sqrt(np.sum(w * w)), ours), (lo, hi, w.sum(), ours)
        counts.append(sel.sum())
    total = hadronic_cross_section_pb(ref, pdf, SQRT_S, mhat_min=4.0)
    assert _agree(sample.weight.sum(), np.sqrt(np.sum(sample.weight**2)), total)
    # flat in ln sqrt(s_hat) up to sqrt(s)/2: the three full decades hold similar numbers of events
    decade = np.array(counts[:3]) / sample.weight.size
    assert np.all(np.abs(decade / decade.mean() - 1.0) < 0.15), decade
    assert set(np.unique(sample.quark)) == {1, 2, 3, 4, 5}


def test_rebuilt_momenta_conserve_four_momentum_and_round_trip(sample):
    """At the reference masses the rebuilt phi2 is PYTHIA's phi2 (the stored direction's convention); at other
    masses phi2 and phi1 = P - p2 are on shell and add up to the hard system."""
    sel = slice(0, 500)
    s, hard = sample.sqrt_shat[sel], sample.hard[sel]
    for m1, m2 in [(REFERENCE_MASS, REFERENCE_MASS), (0.3, 3.3), (1.5, 2.5)]:
        p2 = rebuild_phi2(s, hard, sample.cos_theta[sel], sample.phi[sel], m1, m2)
        p1 = hard - p2
        mass2 = p2[:, 3] ** 2 - np.sum(p2[:, :3] ** 2, axis=1)
        mass1 = p1[:, 3] ** 2 - np.sum(p1[:, :3] ** 2, axis=1)
        scale = hard[:, 3] ** 2
        np.testing.assert_allclose(mass2, m2 * m2, atol=1e-9 * scale.max())
        np.testing.assert_allclose(mass1, m1 * m1, atol=1e-9 * scale.max())
        assert np.all(p2[:, 3] > 0.0) and np.all(p1[:, 3] > 0.0)


def test_reweighted_sample_matches_direct_pythia(sample, pdf):
    """At m1 = 5, m2 = 10 GeV (threshold above mhat_min): sigma and phi2's lab distributions of the reweighted sample
    agree with a direct PYTHIA generation at those masses and with the convolution, within MC errors; the angle in
    the hard frame has <cos^2 theta*> = 1/5 (sin^2 theta*)."""
    process = MODEL.parton_process({"m1": 5.0, "delta": 1.0})
    assert process.threshold == pytest.approx(15.0)
    events = reweight_sample(sample, process)
    direct = generate_events(process, SQRT_S, 3000, 21, slices=3, mhat_min=4.0)
    ours = hadronic_cross_section_pb(process, pdf, SQRT_S, mhat_min=4.0)
    assert _agree(events.sigma_total_pb, float(events.sigma_err_pb[0]), ours)
    assert _agree(events.sigma_total_pb, float(events.sigma_err_pb[0]), direct.sigma_total_pb,
                  float(np.sqrt(np.sum(direct.sigma_err_pb**2))))  # fmt: skip
    assert np.all(events.sqrt_shat > process.threshold)

    def mean(ev, x):
        w = ev.weights / ev.weights.sum()
        mu = np.sum(w * x)
        return mu, np.sqrt(np.sum(w * w * (x - mu) ** 2))

    for name, f in [("log10 E", lambda p: np.log10(p[:, 3])), ("log10 pT", lambda p: np.log10(np.hypot(p[:, 0], p[:, 1]))),
                    ("|pz|/E", lambda p: np.abs(p[:, 2]) / p[:, 3])]:  # fmt: skip
        a, ea = mean(events, f(events.momenta))
        b, eb = mean(direct, f(direct.momenta))
        assert abs(a - b) <= 4.0 * np.hypot(ea, eb), (name, a, ea, b, eb)
    keep = sample.sqrt_shat > process.threshold
    w = sample.weight[keep] / sample.weight[keep].sum()
    cos2 = np.sum(w * sample.cos_theta[keep] ** 2)
    assert cos2 == pytest.approx(0.2, abs=4.0 * np.sqrt(np.sum(w * w * (sample.cos_theta[keep] ** 2 - 0.2) ** 2)))


def test_flavour_mediator_and_closed_points(sample, pdf):
    """Only the u quark coupled: sigma is the u-only convolution; a broad Z' (eq. 1.4) reweights to its convolution;
    a point above sqrt(s) gives exactly 0 and no event."""
    up = PartonProcess(0.1, 1.1, {2: 1.0}, 1000.0, -4.0, True)
    ev = reweight_sample(sample, up)
    assert set(np.unique(ev.quark)) == {2}
    assert _agree(
        ev.sigma_total_pb, float(ev.sigma_err_pb[0]), hadronic_cross_section_pb(up, pdf, SQRT_S, mhat_min=4.0)
    )
    zp = dataclasses.replace(up, quark_couplings={q: 0.01 for q in range(1, 6)}, eft_cut=False,
                             mediator=Mediator(200.0, 40.0, 1.0), production_power=2.0)  # fmt: skip
    ev = reweight_sample(sample, zp)
    assert _agree(
        ev.sigma_total_pb, float(ev.sigma_err_pb[0]), hadronic_cross_section_pb(zp, pdf, SQRT_S, mhat_min=4.0)
    )
    closed = reweight_sample(sample, MODEL.parton_process({"m1": 7000.0, "delta": 0.1}))
    assert closed.sigma_total_pb == 0.0 and closed.weights.size == 0 and closed.momenta.shape == (0, 4)


def test_thinning_keeps_the_expected_number_and_is_unbiased(sample):
    """Thinning with p_i = min(1, r_i / t): sum p_i = n exactly; the thinned weights add up to sigma on average."""
    ratio = np.random.default_rng(3).lognormal(0.0, 2.0, 5000)
    for n in (10, 700, 4990):
        assert np.minimum(ratio / thinning_threshold(ratio, n), 1.0).sum() == pytest.approx(n, rel=1e-9)
    process = MODEL.parton_process({"m1": 0.3, "delta": 10.0})
    full = reweight_sample(sample, process)
    sums = [reweight_sample(sample, process, 800, np.random.default_rng(k)).weights for k in range(40)]
    assert np.mean([s.size for s in sums]) == pytest.approx(800, rel=0.05)
    totals = np.array([s.sum() for s in sums])
    assert abs(totals.mean() - full.sigma_total_pb) <= 4.0 * totals.std() / np.sqrt(totals.size)


def test_same_seed_same_file(tmp_path):
    paths = [tmp_path / f"{k}.root" for k in ("a", "b", "c")]
    for path, seed in zip(paths, (9, 9, 10)):
        generate_parton_file(SQRT_S, 150, seed, 4.0, False, path)
    a, b, c = (read_parton_sample(p) for p in paths)
    for field in ("quark", "sqrt_shat", "hard", "cos_theta", "phi", "weight"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.sqrt_shat, c.sqrt_shat)


def test_stored_direction_rebuilds_pythias_phi2():
    """The stored (cos theta*, phi*) in the hard rest frame and the hard-system momentum give back PYTHIA's own phi2
    at the reference masses (with ISR: the hard system has a transverse momentum); PYTHIA's statistics were read."""
    from darkreach.production.partons.reference import generate_reference
    from darkreach.production.partons.sample_file import shard_arrays

    for isr in (False, True):
        shard = generate_reference(SQRT_S, 100, 4, 4.0, isr)
        arrays = shard_arrays(shard)
        hard = np.stack([arrays[k] for k in ("px", "py", "pz", "E")], axis=1)
        if isr:
            assert np.any(np.hypot(hard[:, 0], hard[:, 1]) > 1.0)
        p2 = rebuild_phi2(arrays["sqrt_shat"], hard, arrays["cos_theta"], arrays["phi"], REFERENCE_MASS, REFERENCE_MASS)
        np.testing.assert_allclose(p2, shard.events.phi2, rtol=1e-6, atol=1e-6)
        assert shard.max_violations == 0
