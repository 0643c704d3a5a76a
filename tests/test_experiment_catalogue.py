"""Experiments of both papers as configured: normalisation (eq. 4.2 of paper 000, eqs. 2.3/2.6 of paper 003),
multiplicity tables, collider hemisphere folding, importance sampling, energy windows, axes, config errors."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import yaml
from conftest import REPO

from darkreach.config import ConfigError, check_config
from darkreach.experiments import MB_TIMES_INVERSE_FB, experiment_from_config
from darkreach.mesons import PAPER000_TABLE1, PAPER003_TABLE1_FIXED_TARGET, PAPER003_TABLE1_LHC
from darkreach.models import get_model
from darkreach.production.meson_beams.preparation import fold_hemispheres, importance_thin, prepare_mesons
from darkreach.sensitivity.yields import ChannelEvents, MesonKinematics, expected_events, simulate_point

PAPER = yaml.safe_load((REPO / "config" / "paper.yaml").read_text())


def _cfg():
    return copy.deepcopy(PAPER)


# ------------------------------------------------------------------------------------------ normalisation
def test_collider_exposure_is_sigma_times_luminosity():
    """FASER 2: N_M = sigma_inel x L x f_M with 79.5 mb and 3 ab^-1 (eq. 4.2 of paper 000)."""
    exp = experiment_from_config(PAPER, "faser2")
    assert exp.exposure_unit == "fb^-1" and exp.exposures == (3000.0,)
    n = exp.exposures[0] * exp.interactions_per_exposure
    assert n == pytest.approx(79.5e-27 * 3000e39, rel=1e-12)  # mb -> cm^2, fb^-1 -> cm^-2
    assert MB_TIMES_INVERSE_FB == 1e12
    mathusla = experiment_from_config(PAPER, "mathusla")
    assert mathusla.interactions_per_exposure == pytest.approx(110.69e12)  # eq. (2.6) of paper 003
    assert experiment_from_config(PAPER, "na62").interactions_per_exposure == 1.0


def test_paper003_tables_and_no_nuclear_scaling():
    charm = experiment_from_config(PAPER, "charm")
    assert dict(charm.mesons_per_interaction) == PAPER003_TABLE1_FIXED_TARGET  # paper 003 applies no A^0.29
    faser = experiment_from_config(PAPER, "faser")
    assert dict(faser.mesons_per_interaction) == PAPER003_TABLE1_LHC
    assert PAPER003_TABLE1_LHC["jpsi"] == 7.9e-4 and PAPER003_TABLE1_LHC["upsilon"] == 8.4e-6
    na62 = experiment_from_config(PAPER, "na62")  # paper 000: A^0.29 on heavy flavour, Cu
    assert na62.mesons_per_interaction["jpsi"] == pytest.approx(PAPER000_TABLE1["jpsi"] * 63.546**0.29)
    assert na62.mesons_per_interaction["pi0"] == PAPER000_TABLE1["pi0"]


def test_charm_coverage_follows_the_acceptance_mode():
    """CHARM's 9.5 % azimuthal coverage (Table 2 of paper 003) multiplies the paper-mode acceptance only: it is
    in the kernel geometry the CLI and the scans obtain for a mode, not in the experiment's efficiency."""
    from darkreach.detectors.geometry import KernelGeometry

    charm = experiment_from_config(PAPER, "charm")
    assert charm.efficiency == 1.0 and "efficiency" not in PAPER["experiments"]["charm"]
    paper, exact = charm.kernel_geometry("paper"), charm.kernel_geometry("exact")
    assert paper.factor == 0.095 and exact.factor == 1.0
    assert charm.kernel_geometry().factor == 0.095  # the configured default mode is paper
    # simulate_point multiplies every accepted weight by the factor and changes nothing else
    model = get_model("inelastic-scalar")
    point = {"m1": 0.05, "delta": 10.0}
    rng = np.random.default_rng(8)
    n = 20_000
    theta = rng.uniform(0.0, 0.02, n)
    phi = rng.uniform(0, 2 * np.pi, n)
    p = rng.uniform(20.0, 200.0, n)
    mom = np.column_stack([p * np.sin(theta) * np.cos(phi), p * np.sin(theta) * np.sin(phi), p * np.cos(theta)])
    mesons = {"omega": MesonKinematics(mom, np.ones(n))}
    with_cov = simulate_point(model, point, mesons, paper, n, 3)
    without = simulate_point(model, point, mesons, KernelGeometry(paper.kind, paper.params), n, 3)
    assert sum(ev.weight.size for ev in with_cov) > 50
    for a, b in zip(with_cov, without, strict=True):
        np.testing.assert_array_equal(a.s_a, b.s_a)
        np.testing.assert_allclose(a.weight, 0.095 * b.weight, rtol=1e-15)
        assert a.total_weight == b.total_weight
    d = np.array([300.0, 1000.0])
    mult = {"omega": 1.0}
    n_with = expected_events(model, point, with_cov, d, mult, 1.0, 2.0)
    n_without = expected_events(model, point, without, d, mult, 1.0, 2.0)
    np.testing.assert_allclose(n_with, 0.095 * n_without, rtol=1e-12)


def test_bound_levels_from_observed_counts():
    assert experiment_from_config(PAPER, "charm").level == pytest.approx(-math.log(0.1))  # 0 observed, 90 % CL
    assert experiment_from_config(PAPER, "charm2").level == pytest.approx(1.6448536269514722 * math.sqrt(5429))
    assert experiment_from_config(PAPER, "bebc").level == pytest.approx(4.2478, abs=1e-3)
    assert experiment_from_config(PAPER, "nucal").level == pytest.approx(7.0130, abs=1e-3)
    assert experiment_from_config(PAPER, "babar").level == 10.0
    assert experiment_from_config(PAPER, "faser").level == 2.3 and experiment_from_config(PAPER, "na62").level == 3.0


def test_generated_multiplicities_apply_correction_factors(tmp_path):
    """f_M = per-event x sigma_gen(X)/sigma_gen(SoftQCD) x correction factor (LHCb 1.6 for J/psi)."""
    pytest.importorskip("pythia8mc")
    from darkreach.production.meson_beams.pythia import generate_shard
    from darkreach.production.meson_beams.samples import read_metadata
    from darkreach.production.meson_beams.settings import settings_from_config

    beam = {
        "frame": "fixed_target",
        "energy_gev": 400.0,
        "generators": {
            "softqcd": {"process": "SoftQCD:inelastic", "species": ["pi0"], "events_per_shard": 200, "shards": 1},
            "charmonium": {
                "process": "Charmonium:all",
                "species": ["jpsi"],
                "events_per_shard": 100,
                "shards": 1,
                "correction_factor": 1.6,
            },
        },
    }
    files = {}
    for name, gen in beam["generators"].items():
        files[name] = tmp_path / f"{name}.root"
        generate_shard(settings_from_config(beam, gen), gen["events_per_shard"], 5, files[name])
    from darkreach.production.meson_beams.multiplicities import generated_multiplicities

    mult = generated_multiplicities(files, beam, target_mass_number=63.546)
    soft, charm = read_metadata(files["softqcd"]), read_metadata(files["charmonium"])
    pi0 = soft["counts"]["pi0"] / soft["n_events"]
    jpsi = charm["counts"]["jpsi"] / charm["n_events"] * charm["sigma_gen_mb"] / soft["sigma_gen_mb"]
    assert mult["pi0"] == pytest.approx(pi0, rel=1e-12)
    assert mult["jpsi"] == pytest.approx(jpsi * 1.6 * 63.546**0.29, rel=1e-12)


# ------------------------------------------------------------------------------------ sample preparation
def _isotropic(n: int, seed: int) -> MesonKinematics:
    rng = np.random.default_rng(seed)
    cos = rng.uniform(-1, 1, n)
    phi = rng.uniform(0, 2 * np.pi, n)
    p = rng.exponential(50.0, n)
    sin = np.sqrt(1 - cos**2)
    mom = np.column_stack([p * sin * np.cos(phi), p * sin * np.sin(phi), p * cos])
    return MesonKinematics(mom, np.ones(n))


def test_fold_hemispheres_is_a_reflection():
    sample = _isotropic(1000, 1)
    folded = fold_hemispheres(sample)
    assert np.all(folded.momenta[:, 2] >= 0)
    np.testing.assert_array_equal(folded.momenta[:, :2], sample.momenta[:, :2])
    np.testing.assert_array_equal(np.abs(sample.momenta[:, 2]), folded.momenta[:, 2])
    assert sample.momenta[:, 2].min() < 0  # the input was not modified in place


def test_importance_thinning_is_unbiased():
    """Weighted mean of any function over the thinned sample equals its mean over the full sample."""
    sample = fold_hemispheres(_isotropic(400_000, 2))
    p = sample.momenta
    theta = np.arctan2(np.hypot(p[:, 0], p[:, 1]), p[:, 2])
    f = np.exp(-theta / 0.05) + 0.1 * (theta > 1.0)
    full = f.mean()
    thin = importance_thin(sample, 0.2, 0.05, np.random.default_rng(3))
    t_theta = np.arctan2(np.hypot(thin.momenta[:, 0], thin.momenta[:, 1]), thin.momenta[:, 2])
    t_f = np.exp(-t_theta / 0.05) + 0.1 * (t_theta > 1.0)
    estimate = np.sum(thin.weights * t_f) / np.sum(thin.weights)
    assert estimate == pytest.approx(full, rel=0.02)
    assert thin.momenta.shape[0] < 0.1 * p.shape[0]  # most of the sample was outside 0.2 rad
    assert np.all(thin.weights[t_theta <= 0.2] == 1.0) and np.all(thin.weights[t_theta > 0.2] == 20.0)
    with pytest.raises(ValueError, match="keep_fraction"):
        importance_thin(sample, 0.2, 0.0, np.random.default_rng(3))


def test_folding_halves_the_yield_of_a_symmetric_sample():
    """A detector on +z sees the same yield from the raw sample and from the folded one times 1/2."""
    model = get_model("idm-dipole")
    point = {"m1": 0.05, "delta": 0.1}
    rng = np.random.default_rng(4)
    n = 40_000
    pt = rng.exponential(0.3, n)
    phi = rng.uniform(0, 2 * np.pi, n)
    pz = rng.choice([-1.0, 1.0], n) * rng.exponential(500.0, n)
    raw = {"omega": MesonKinematics(np.column_stack([pt * np.cos(phi), pt * np.sin(phi), pz]), np.ones(n))}
    faser = experiment_from_config(PAPER, "faser")
    geometry = faser.kernel_geometry()
    d = np.array([1e-6])
    mult = {"omega": 1.0}
    direct = expected_events(model, point, simulate_point(model, point, raw, geometry, n, 9), d, mult, 1.0, 0.0)
    folded, factor = prepare_mesons(faser.__class__(**{**vars(faser), "importance_sampling": None}), raw, 9)
    assert factor == 0.5
    via_fold = factor * expected_events(
        model, point, simulate_point(model, point, folded, geometry, n, 9), d, mult, 1.0, 0.0
    )
    assert via_fold[0] == pytest.approx(direct[0], rel=0.1)


def test_energy_window_selects_between_cuts():
    ev = ChannelEvents(
        None, None, np.ones(5), np.ones(5), np.zeros(5), np.ones(5), np.array([1.0, 3.0, 10.0, 24.0, 30.0]), 5.0, 5
    )
    w, *_ = ev.select(3.0, 24.0)
    assert w.size == 2  # 10 and 24 GeV: E in (3, 24]
    w, *_ = ev.select(3.0)
    assert w.size == 3


# --------------------------------------------------------------------------------------------- axes
def test_delta_axis_at_fixed_m2():
    model = get_model("inelastic-scalar")
    bench = {"axis": "delta", "m2": 1.0}
    assert model.axis_parameter(bench) == "delta" and model.axis_unit(bench) == ""
    point = model.point_at(bench, 10.0)
    assert point["m1"] == pytest.approx(1.0 / 11.0) and point["delta"] == 10.0 and "m2" not in point
    assert model.llp_mass(point) == pytest.approx(1.0, rel=1e-14)
    with pytest.raises(ValueError, match="m1 or m2"):
        model.resolve_point({"m1": 0.1, "m2": 1.0, "delta": 1.0})
    with pytest.raises(ValueError, match="not a parameter"):
        model.axis_parameter({"axis": "Lambda"})


# -------------------------------------------------------------------------------------------- config errors
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c["experiments"]["faser2"].pop("cross_section_mb"), "faser2.cross_section_mb' is required"),
        (
            lambda c: c["experiments"]["babar"].update(
                geometry={"type": "cone", "theta_max_rad": 0.1, "l_i_m": 1.0, "l_f_m": 2.0}
            ),
            "babar.geometry' is not allowed",
        ),
        (lambda c: c["experiments"]["charm"].update(level=2.3), "either 'level' or 'limit'"),
        (lambda c: c["experiments"]["bebc"]["limit"].update(cl=1.5), "limit.cl"),
        (lambda c: c["experiments"]["faser"].update(multiplicity_table="paper000"), "fixed-target table"),
        (lambda c: c["experiments"]["charm"].update(species=["pi0", "phi"]), "has no multiplicity for ['phi']"),
        (lambda c: c["experiments"]["charm2"].update(energy_max_gev=2.0), "energy_max_gev"),
        (lambda c: c["experiments"]["babar"].update(energy_thresholds_gev=[1.0, 2.0]), "one threshold"),
        (lambda c: c["experiments"]["babar"].update(selection={"photon_energy": 1.0}), "unknown cut"),
        (lambda c: c["beams"]["lhc14"].update(energy_gev=7000.0), "beams.lhc14"),
        (lambda c: c["beams"]["sps400"]["generators"]["charm"]["species"].append("jpsi"), "already generated"),
        (lambda c: c["models"]["inelastic-scalar"].pop("axis_grids"), "no grid for 'delta'"),
        (
            lambda c: c["models"]["inelastic-scalar"]["benchmarks"].append({"axis": "delta", "m2": 1.0, "delta": 1.0}),
            "on the scan axis",
        ),
        (
            lambda c: c["figures"]["fig_na62_2"]["panels"][0]["curves"].append({"experiment": "lhcb"}),
            "unknown experiment 'lhcb'",
        ),
        (lambda c: c["figures"]["fig_na62_4"]["panels"][0].update(benchmark={"flavour": "x"}), "is not a benchmark"),
        (lambda c: c["figures"]["fig_na62_2"]["panels"][0]["curves"][0].update(exposure=2.0e18), "is not an exposure"),
        (lambda c: c["targets"].update(figures=["fig_99"]), "unknown figure 'fig_99'"),
        (lambda c: c["figures"].update(all=c["figures"]["fig_na62_4"]), "is taken"),
        (lambda c: c["figures"].update(figure=c["figures"]["fig_na62_4"]), "is taken"),  # the rule's name
        (
            lambda c: c["figures"]["fig_na62_2"]["panels"][0]["curves"][0].update(colour="notacolour"),
            "'figures.fig_na62_2.panels.0.curves.0.colour': must be a matplotlib colour",
        ),
        (lambda c: c["figures"]["fig_scalar_1"].update(model="idm-dipole"), "no branching figure for model"),
        (lambda c: c["figures"]["fig_scalar_1"]["benchmark"].update(m2=1.0), "fig_scalar_1.benchmark"),
        (lambda c: c["figures"]["fig_scalar_1"].update(panels=[]), "fig_scalar_1"),
        (lambda c: c["figures"]["fig_scalar_1"].update(kind="histogram"), "fig_scalar_1"),
    ],
)
def test_config_errors_name_key_and_value(edit, message):
    cfg = _cfg()
    edit(cfg)
    with pytest.raises(ConfigError) as err:
        check_config(cfg)
    assert message in str(err.value)
