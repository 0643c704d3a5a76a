"""Parton production pp -> phi1 phi2 (issue 13): partonic cross section, PDF convolution against PYTHIA's sigmaGen,
the generated events, the EFT cut, the Z' propagator's contact limit, and a MATHUSLA point with both sources."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from conftest import REPO, synthetic_mesons
from scipy.integrate import quad

from darkreach.config import load_run_config
from darkreach.models import get_model
from darkreach.production import experiment_source_class, production_problem
from darkreach.production.combined import CombinedSource
from darkreach.production.meson_beams.source import MesonBeamSource
from darkreach.production.partons.convolution import hadronic_cross_section_pb, pythia_proton_pdf
from darkreach.production.partons.cross_section import dsigma_dt, kallen, sigma_hat
from darkreach.production.partons.generator import (
    ID_PHI1,
    ID_PHI2,
    _sigma_class,
    generate_events,
    pythia_settings,
)
from darkreach.production.partons.process import Mediator, PartonProcess
from darkreach.production.partons.source import PartonSource

SQRT_S = 14000.0
MODEL = get_model("inelastic-scalar")
POINT = {"m1": 0.1, "delta": 10.0}


@pytest.fixture(scope="module")
def pdf():
    return pythia_proton_pdf()[0]


def test_dsigma_dt_integrates_to_sigma_and_massless_limit():
    """sigma(s) = int dsigma/dt dt over the physical t range; for massless scalars sigma = c^2 s/(144 pi Lambda^4),
    a third (colour average) of e+e- -> S+S- with e^2/s -> c/Lambda^2 (sigma = e^4 / (48 pi s))."""
    for s, m1, m2 in [(1.0e4, 0.1, 1.1), (50.0, 2.0, 3.0), (1.0e6, 10.0, 110.0)]:
        lam = float(kallen(s, m1**2, m2**2))
        e3 = (s + m1**2 - m2**2) / (2 * math.sqrt(s))
        p3 = math.sqrt(lam) / (2 * math.sqrt(s))
        t_lo, t_hi = m1**2 - math.sqrt(s) * (e3 + p3), m1**2 - math.sqrt(s) * (e3 - p3)
        integral = quad(lambda t: float(dsigma_dt(s, t, m1, m2)), t_lo, t_hi, epsabs=0, epsrel=1e-10)[0]
        assert integral == pytest.approx(float(sigma_hat(s, m1, m2)), rel=1e-8)
    s, c2, lam4 = 2.0e5, 0.7, 1.0e12
    e4_over_s2 = c2 / lam4  # (e^2/s)^2 <-> c^2/Lambda^4
    assert float(sigma_hat(s, 0.0, 0.0, c2 / lam4)) == pytest.approx(e4_over_s2 * s / (48 * math.pi) / 3, rel=1e-12)


def test_sigma_is_exactly_zero_at_and_above_threshold(pdf):
    assert float(sigma_hat(4.0, 1.0, 1.0)) == 0.0 and float(sigma_hat(3.0, 1.0, 1.0)) == 0.0
    heavy = MODEL.parton_process({"m1": 7000.0, "delta": 0.1})  # m1 + m2 > sqrt(s)
    assert hadronic_cross_section_pb(heavy, pdf, SQRT_S) == 0.0
    light = MODEL.parton_process({"m1": 100.0, "delta": 0.1})  # threshold 210 GeV above the cut
    assert hadronic_cross_section_pb(light, pdf, SQRT_S, cut=200.0) == 0.0
    assert hadronic_cross_section_pb(light, pdf, SQRT_S, cut=220.0) > 0.0
    events = generate_events(heavy, SQRT_S, 10, 1, slices=2)
    assert events.sigma_total_pb == 0.0 and events.weights.size == 0


def test_lambda_scaling_and_cut_monotonic(capsys):
    """sigma without cut goes as Lambda^-4 (xsec CLI); with sqrt(s_hat) <= Lambda it is below it and grows with
    Lambda toward it."""
    from conftest import run_json

    out = [run_json(capsys, "xsec", "--model", "inelastic-scalar", "--m1", "0.1", "--delta", "10", "--lambda",
                    str(lam)) for lam in (300.0, 1000.0, 3000.0, 10000.0)]  # fmt: skip
    sig = np.array([o["sigma_pb"] for o in out])
    cut = np.array([o["sigma_pb_cut"] for o in out])
    lam = np.array([300.0, 1000.0, 3000.0, 10000.0])
    np.testing.assert_allclose(sig * lam**4, sig[0] * lam[0] ** 4, rtol=1e-12)
    assert np.all(cut < sig) and np.all(cut > 0.0)
    assert np.all(np.diff(cut / sig) > 0.0)  # the cut removes less at larger Lambda
    assert out[0]["scale"] == "Q^2 = s_hat" and out[0]["sqrt_s_gev"] == SQRT_S and "PDF:pSet" in out[0]["pdf"]


def test_zprime_propagator_goes_to_contact_limit(pdf):
    """Z' (eq. 1.4) with M^2 >> s_hat equals the contact operator with c/Lambda^2 = g_phi g_q / M^2 (eq. 4.1)."""
    g_q, g_phi, mass = 0.25, 1.0, 1.0e6
    zp = PartonProcess(0.1, 1.1, {q: g_q**2 for q in range(1, 6)}, 1.0, 2.0, False,
                       Mediator(mass, 0.05 * mass, g_phi))  # fmt: skip
    contact = PartonProcess(0.1, 1.1, {q: (g_phi * g_q) ** 2 for q in range(1, 6)}, mass, -4.0, False)
    s = np.geomspace(10.0, SQRT_S**2, 7)
    # corrections of order s/M^2 and Gamma^2/M^2
    np.testing.assert_allclose(zp.sigma_hat(s, 2), contact.sigma_hat(s, 2), rtol=2 * (SQRT_S / mass) ** 2 + 0.0026)
    assert hadronic_cross_section_pb(zp, pdf, SQRT_S) == pytest.approx(
        hadronic_cross_section_pb(contact, pdf, SQRT_S), rel=3e-3
    )
    light = dataclasses.replace(zp, mediator=Mediator(1000.0, 30.0, g_phi))  # on-shell: far above the contact value
    contact_1tev = dataclasses.replace(contact, reference_coupling=1000.0)
    assert hadronic_cross_section_pb(light, pdf, SQRT_S) > 10 * hadronic_cross_section_pb(contact_1tev, pdf, SQRT_S)


@pytest.fixture(scope="module")
def sample():
    process = MODEL.parton_process(POINT)
    return process, generate_events(process, SQRT_S, 1200, 7, slices=4)


def test_pythia_sigma_gen_matches_the_pdf_convolution(sample, pdf):
    """PYTHIA's sigmaGen of every sqrt(s_hat) slice equals our own convolution within its stated MC error."""
    process, events = sample
    for k in range(events.sigma_pb.size):
        lo, hi = events.edges[k], events.edges[k + 1]
        ours = hadronic_cross_section_pb(process, pdf, SQRT_S, mhat_min=lo, mhat_max=hi)
        assert abs(events.sigma_pb[k] - ours) <= 4.0 * events.sigma_err_pb[k] + 1e-3 * ours, k
    assert events.sigma_total_pb == pytest.approx(hadronic_cross_section_pb(process, pdf, SQRT_S, mhat_min=4.0),
                                                  rel=0.05)  # fmt: skip
    # the weights sum to sigma, every event lies in its slice
    assert events.weights.sum() == pytest.approx(events.sigma_total_pb, rel=1e-12)
    lo, hi = events.edges[events.slice_index], events.edges[events.slice_index + 1]
    assert np.all((events.sqrt_shat >= lo * (1 - 1e-9)) & (events.sqrt_shat <= hi * (1 + 1e-9)))


def test_same_seed_same_events(sample):
    process, events = sample
    again = generate_events(process, SQRT_S, 1200, 7, slices=4)
    np.testing.assert_array_equal(events.momenta, again.momenta)
    np.testing.assert_array_equal(events.weights, again.weights)
    other = generate_events(process, SQRT_S, 1200, 8, slices=4)
    assert not np.array_equal(events.momenta, other.momenta)


@pytest.mark.parametrize("isr", [False, True])
def test_generated_events_conserve_four_momentum(isr):
    """Hard process: p(q) + p(qbar) = p(phi1) + p(phi2), masses on shell, m(phi1 phi2) = sqrt(s_hat)."""
    import pythia8mc

    process = MODEL.parton_process(POINT)
    pythia = pythia8mc.Pythia("", False)
    for line in pythia_settings(process, SQRT_S, 50.0, 2000.0, 3, isr):
        assert pythia.readString(line)
    sigma = _sigma_class()(process)
    pythia.setSigmaPtr(sigma)
    assert pythia.init()
    for _ in range(50):
        assert pythia.next()
        rec = pythia.process
        ids = [rec[i].id() for i in range(rec.size())]
        i3, i4 = ids.index(ID_PHI1), ids.index(ID_PHI2)
        p_in = np.array([rec[3].p().px() + rec[4].p().px(), rec[3].py() + rec[4].py(), rec[3].pz() + rec[4].pz(),
                         rec[3].e() + rec[4].e()])  # fmt: skip
        p_out = np.array([rec[i3].px() + rec[i4].px(), rec[i3].py() + rec[i4].py(), rec[i3].pz() + rec[i4].pz(),
                          rec[i3].e() + rec[i4].e()])  # fmt: skip
        np.testing.assert_allclose(p_out, p_in, atol=1e-6 * p_in[3])
        assert rec[i3].m() == pytest.approx(process.m_partner, rel=1e-9)
        assert rec[i4].m() == pytest.approx(process.m_llp, rel=1e-9)
        m_pair = math.sqrt(max(p_out[3] ** 2 - p_out[0] ** 2 - p_out[1] ** 2 - p_out[2] ** 2, 0.0))
        assert m_pair == pytest.approx(pythia.infoPython().mHat(), rel=1e-6)
        if isr:
            ev = pythia.event
            phi2 = [ev[i] for i in range(ev.size()) if ev[i].id() == ID_PHI2 and ev[i].isFinal()]
            assert len(phi2) == 1 and phi2[0].m() == pytest.approx(process.m_llp, rel=1e-6)


def test_mathusla_mesons_and_partons_add(reference_partons):
    """MATHUSLA lists both sources (Table 2 of paper 003); at a point where both contribute, the combined N is
    their sum, replicate by replicate."""
    run = load_run_config(REPO / "config" / "paper.yaml")
    exp = run.experiments["mathusla"]
    assert exp.production == ("mesons", "partons")
    assert experiment_source_class(exp) is CombinedSource
    assert production_problem(exp, get_model("idm-dipole")) is not None  # no parton hook
    assert production_problem(exp, MODEL) is None
    mesons = synthetic_mesons(exp.species, 20000, 3, pz_mean=20.0, pt_mean=8.0)
    partons = PartonSource.from_spec(exp, run.beams["lhc14"], {"partons": reference_partons}, 11)
    source = CombinedSource(exp, {"mesons": MesonBeamSource(exp, mesons, 0.5), "partons": partons})
    signal = source.simulate(MODEL, POINT, 20000, 11, 0, batches=10)
    lam = np.geomspace(300.0, 10000.0, 12)
    n_lumi = 3000.0 * exp.interactions_per_exposure
    total, reps = signal.expected_events_replicates(lam, 2.0, n_lumi)
    parts = {k: p.expected_events_replicates(lam, 2.0, n_lumi) for k, p in signal.parts.items()}
    assert parts["mesons"][0].max() > 0.0 and parts["partons"][0].max() > 0.0
    np.testing.assert_allclose(total, parts["mesons"][0] + parts["partons"][0], rtol=1e-14)
    np.testing.assert_allclose(reps, parts["mesons"][1] + parts["partons"][1], rtol=1e-14)
    assert np.all(np.isfinite(reps)) and reps.shape == (10, lam.size)
    # the EFT cut: at Lambda below m1 + m2 + ... nothing; below mhat_min = 4 GeV no parton event survives
    assert signal.parts["partons"].expected_events(np.array([3.0]), 2.0, n_lumi)[0] == 0.0
    # a convergence round (new stream, more meson events) reuses the point's parton events, not its mesons
    again = source.simulate(MODEL, POINT, 20000, 11, 1, batches=10)
    assert again.parts["partons"] is signal.parts["partons"]
    assert again.parts["mesons"] is not signal.parts["mesons"]


def test_production_key_is_validated():
    from darkreach.config import ConfigError, load_config
    from darkreach.config.experiment import experiment_from_mapping

    cfg = load_config(REPO / "config" / "paper.yaml")
    run = load_run_config(REPO / "config" / "paper.yaml")
    entry = dict(cfg["experiments"]["ship"])
    beam = run.beams[entry["beam"]]
    with pytest.raises(ConfigError, match="production.*partons.*fixed-target"):
        experiment_from_mapping("ship", {**entry, "production": ["mesons", "partons"]}, beam, 2.3)
    with pytest.raises(ConfigError, match="production.*unknown production 'gluons'"):
        experiment_from_mapping("ship", {**entry, "production": ["gluons"]}, beam, 2.3)
    assert experiment_from_mapping("ship", entry, beam, 2.3).production == ("mesons",)
    mat = dict(cfg["experiments"]["mathusla"])
    with pytest.raises(ConfigError, match=r"experiments.mathusla.partons.*beams.<beam>.partons"):
        experiment_from_mapping("mathusla", {**mat, "partons": {"events": 2, "slices": 4}}, run.beams["lhc14"], 2.3)


def test_beam_parton_sample_settings_are_validated():
    """beams.<name>.partons: errors name the key and the value; the sample id follows the generation settings
    only, and the meson samples' ids do not depend on it."""
    from darkreach.config import ConfigError, load_config
    from darkreach.config.slices import parton_sample_id, sample_id
    from darkreach.config.specs import BeamSpec

    cfg = load_config(REPO / "config" / "paper.yaml")
    lhc = dict(cfg["beams"]["lhc14"])
    for bad, match in [({"events": 5}, r"beams.lhc14.partons.events"), ({"shards": 0}, r"beams.lhc14.partons.shards"),
                       ({"mhat_min_gev": -1.0}, r"beams.lhc14.partons.mhat_min_gev.*-1"),
                       ({"mhat_min_gev": 8000.0}, r"beams.lhc14.partons.mhat_min_gev.*8000"),
                       ({"isr": "yes"}, r"beams.lhc14.partons.isr.*yes")]:  # fmt: skip
        with pytest.raises(ConfigError, match=match):
            BeamSpec.from_mapping("lhc14", {**lhc, "partons": bad})
    sps = dict(cfg["beams"]["sps400"])
    with pytest.raises(ConfigError, match="beams.sps400.partons.*collider"):
        BeamSpec.from_mapping("sps400", {**sps, "partons": {}})
    other = {**cfg, "beams": {**cfg["beams"], "lhc14": {**lhc, "partons": {**lhc["partons"], "events_per_point": 9}}}}
    assert parton_sample_id(other, "lhc14") == parton_sample_id(cfg, "lhc14")
    more = {**cfg, "beams": {**cfg["beams"], "lhc14": {**lhc, "partons": {**lhc["partons"], "shards": 3}}}}
    assert parton_sample_id(more, "lhc14") != parton_sample_id(cfg, "lhc14")
    assert sample_id(more, "lhc14", "sibyll") == sample_id(cfg, "lhc14", "sibyll")


def test_production_figure_counts_phi2_per_channel(tmp_path):
    """fig_scalar_2 (Fig. 2 of paper 003) on three masses: SHiP has meson channels only, MATHUSLA both; partons give
    N = L sigma(sqrt(s_hat) <= Lambda) and dominate at MATHUSLA where no meson channel is open."""
    from darkreach.config import load_config
    from darkreach.config.figures import figure_spec_from_config
    from darkreach.config.slices import figure_slice
    from darkreach.output.figures.production import make_production_figure
    from darkreach.output.hepdata import validate_submission
    from darkreach.output.tables import read_table

    cfg = load_config(REPO / "config" / "paper.yaml")
    entry = figure_slice(cfg, "fig_scalar_2")
    entry["mass_gev"] = [0.01, 0.3, 2.0]
    spec = figure_spec_from_config("fig_scalar_2", entry)
    out = {ext: tmp_path / f"f{ext}" for ext in (".png", ".pdf", ".csv")}
    rows = make_production_figure(spec, out[".png"], out[".pdf"], out[".csv"], tmp_path / "hep")
    assert validate_submission(tmp_path / "hep") == []
    _, table = read_table(out[".csv"], "production")
    assert len(table) == 3
    assert "ship2019:partons" not in rows[0] and "mathusla:partons" in rows[0] and "ship2019:omega" in rows[0]
    light, heavy = rows[0], rows[2]
    assert heavy["mathusla:partons"] > 0.0 and heavy["mathusla:upsilon"] == 0.0  # m1 + m2 = 24 GeV > M_Upsilon
    meson_sum = sum(v for k, v in light.items() if k.startswith("mathusla:") and k != "mathusla:partons")
    assert light["mathusla:partons"] > meson_sum  # "for MATHUSLA parton production dominates" (sec. 2.2)
    run = load_run_config(REPO / "config" / "paper.yaml")
    xf = pythia_proton_pdf()[0]
    sigma = hadronic_cross_section_pb(MODEL.parton_process({"m1": 2.0, "delta": 10.0}), xf, SQRT_S, cut=1000.0,
                                      mhat_min=4.0)  # fmt: skip
    assert heavy["mathusla:partons"] == pytest.approx(max(run.experiments["mathusla"].exposures) * 1e3 * sigma)


def test_cli_reach_partons_only(capsys, tmp_path):
    """`reach --production partons` at MATHUSLA needs no meson sample: it generates a small parton sample once and
    reuses it; a model without parton process is refused."""
    from conftest import run_json

    from darkreach.cli import main

    argv = ("reach", "--model", "inelastic-scalar", "--experiment", "mathusla", "--m1", "0.3", "--delta", "10",
            "--production", "partons", "--events", "200", "--sample-events", "1500", "--results", str(tmp_path))  # fmt: skip
    out = run_json(capsys, *argv)
    assert out["production"] == ["partons"] and out["max_events"] > 0.0
    cached = list((tmp_path / "cli_cache" / "partons" / "lhc14").glob("partons-seed*-n1500-m4.root"))
    assert len(cached) == 1
    mtime = cached[0].stat().st_mtime_ns
    assert run_json(capsys, *argv)["max_events"] == out["max_events"]
    assert cached[0].stat().st_mtime_ns == mtime
    assert main(["reach", "--model", "idm-dipole", "--experiment", "mathusla", "--m1", "0.1", "--delta", "0.1"]) == 2
    assert "--production mesons" in capsys.readouterr().err
