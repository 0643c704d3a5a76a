"""The production interface (``darkreach.production``): beam frames, the source registry, and one code path for
the workflow's scan and the command line's ``reach``.

The agreement tests write tiny synthetic meson samples in the sample format (no PYTHIA) where the workflow would
put them, then ask the scan (:func:`scan_experiment`, as the ``scan`` rule runs it) and the command line
(:func:`darkreach.cli.reach_events` and ``darkreach reach``) for the same experiment, point, samples and seed.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import REPO, reach_argv

from darkreach import cli
from darkreach.config import SCHEMA_PATH, BenchmarkSpec, ConfigError, RunConfig, ScanSlice, load_config
from darkreach.config.schema import ENUM_MARKER, load_schema, validate_schema
from darkreach.models import get_model
from darkreach.production import (
    FRAME_SOURCES,
    SOURCES,
    BeamFrame,
    ProductionSource,
    open_source,
    source_class,
)
from darkreach.production.meson_beams.samples import BRANCHES, FORMAT_VERSION, write_sample
from darkreach.production.meson_beams.settings import GeneratorSettings, settings_from_config
from darkreach.production.meson_beams.store import meson_sample_path
from darkreach.seeds import SEED_MAX, SEED_MIN, check_pythia_seed, derive_seed
from darkreach.sensitivity.experiment_scan import scan_experiment

PAPER_TEST = REPO / ".test" / "paper.yaml"


# --------------------------------------------------------------------------- frames and the registry
def test_every_frame_has_a_source_that_serves_it():
    assert set(FRAME_SOURCES) == set(BeamFrame)
    for frame in BeamFrame:
        cls = source_class(frame)
        assert issubclass(cls, ProductionSource) and frame in cls.frames
        assert source_class(frame.value) is cls  # the configuration's string works as well
    assert set(FRAME_SOURCES.values()) <= set(SOURCES)


def test_schema_frames_are_the_beam_frames():
    """The frame enumeration is filled from BeamFrame (no hand copy); each frame has its own rules in the file."""
    raw = yaml.safe_load(Path(SCHEMA_PATH).read_text())
    frame_node = raw["properties"]["beams"]["additionalProperties"]["properties"]["frame"]
    assert frame_node[ENUM_MARKER] == "beam_frames" and "enum" not in frame_node
    filled = load_schema()["properties"]["beams"]["additionalProperties"]["properties"]["frame"]
    assert filled["enum"] == [f.value for f in BeamFrame] == ["fixed_target", "collider", "electron_positron"]
    rules = raw["properties"]["beams"]["additionalProperties"]["allOf"]
    assert {r["if"]["properties"]["frame"]["const"] for r in rules} == {f.value for f in BeamFrame}
    cfg = load_config(PAPER_TEST)
    cfg["beams"]["pep2"]["frame"] = "muon_collider"
    with pytest.raises(ConfigError, match=r"config key 'beams.pep2.frame'.*'muon_collider'"):
        validate_schema(cfg)


def test_unknown_frame_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown beam frame 'muon_collider'; known: fixed_target, collider, "):
        source_class("muon_collider")
    with pytest.raises(ValueError, match="unknown beam frame 'muon_collider'"):
        BeamFrame("muon_collider")
    cfg = load_config(PAPER_TEST)
    broken = copy.deepcopy(cfg)
    broken["beams"]["pep2"]["frame"] = "muon_collider"
    with pytest.raises(ValueError, match="unknown beam frame 'muon_collider'"):
        RunConfig.from_mapping(broken)
    run = RunConfig.from_mapping(cfg)
    with pytest.raises(KeyError, match="unknown experiment 'lhcb'"):
        run.experiment("lhcb")
    with pytest.raises(ValueError, match="experiment 'babar' is on beam 'pep2', not 'sps400'"):
        open_source(run.experiment("babar"), run.beams["sps400"], {}, 1)


def test_frame_properties():
    ft, pp, ee = BeamFrame.FIXED_TARGET, BeamFrame.COLLIDER, BeamFrame.ELECTRON_POSITRON
    assert ft == "fixed_target" and json.dumps({"frame": pp}) == '{"frame": "collider"}'
    assert [f.generates_mesons for f in (ft, pp, ee)] == [True, True, False]
    assert [f.energy_key for f in (ft, pp, ee)] == ["energy_gev", "sqrt_s_gev", "sqrt_s_gev"]
    assert [f.exposure_unit for f in (ft, pp, ee)] == ["POT", "fb^-1", "fb^-1"]
    assert [f.hemisphere_factor for f in (ft, pp, ee)] == [1.0, 0.5, 1.0]
    assert [f.nuclear_target for f in (ft, pp, ee)] == [True, False, False]
    assert [f.label for f in (ft, pp, ee)] == ["fixed-target", "pp collider", "e+e-"]


def test_pythia_generates_meson_beams_only():
    with pytest.raises(ValueError, match="'electron_positron'"):
        GeneratorSettings("SoftQCD:inelastic", 10.58, ("pi0",), frame="electron_positron")
    with pytest.raises(ValueError, match="no mesons for a electron_positron beam"):
        settings_from_config({"frame": "electron_positron", "sqrt_s_gev": 10.58}, {"process": "x", "species": ["pi0"]})
    settings = GeneratorSettings("SoftQCD:inelastic", 14000.0, ("pi0",), frame="collider")
    assert settings.frame is BeamFrame.COLLIDER


def test_a_source_refuses_an_experiment_of_another_frame():
    run = RunConfig.from_mapping(load_config(PAPER_TEST))
    ee = run.experiment("babar")
    with pytest.raises(ValueError, match="serves fixed_target, collider beams, not experiment 'babar'"):
        source_class("collider")(ee, {}, 1.0)
    with pytest.raises(ValueError, match="reads no meson samples"):
        source_class("electron_positron").from_spec(ee, run.beam_of(ee), {"softqcd": "x.root"}, 1)


def test_one_seed_range():
    """PYTHIA's range lives in darkreach.seeds: derived seeds, the PYTHIA check, the schema and the CLI use it."""
    assert (SEED_MIN, SEED_MAX) == (1, 900_000_000)
    seeds = [derive_seed(m, "x", i) for m in (0, 1, 2**31) for i in range(200)]
    assert min(seeds) >= SEED_MIN and max(seeds) <= SEED_MAX
    assert check_pythia_seed(SEED_MAX) == SEED_MAX and check_pythia_seed(np.int64(SEED_MIN)) == SEED_MIN
    for bad in (0, SEED_MAX + 1, True, 1.0):
        with pytest.raises(ValueError, match="seed"):
            check_pythia_seed(bad)
    schema = yaml.safe_load(Path(SCHEMA_PATH).read_text())
    assert schema["properties"]["seed"]["maximum"] == SEED_MAX
    argv = ["reach", "--model", "idm-dipole", "--experiment", "babar", "--m1", "0.1", "--delta", "0.1"]
    assert cli.main([*argv, "--seed", str(SEED_MAX + 1)]) == 2


# --------------------------------------------------------------------------- the scan and the CLI agree
def _write_synthetic_samples(cfg: dict, beam: str, results: Path) -> dict[str, Path]:
    """Synthetic merged samples of every generator of ``beam`` at the workflow's paths (no PYTHIA)."""
    bcfg = cfg["beams"][beam]
    frame = BeamFrame(bcfg["frame"])
    files = {}
    for g_index, (generator, gcfg) in enumerate(bcfg["generators"].items()):
        rng = np.random.default_rng(100 + g_index)
        n_events = 1000
        arrays = {}
        for species in gcfg["species"]:
            n = 4000
            pt = rng.exponential(0.35, n)
            if frame is BeamFrame.COLLIDER:  # both hemispheres: a forward tail and a hard central part
                pz = rng.exponential(400.0, n) * rng.choice([-1.0, 1.0], n)
                central = rng.random(n) < 0.3
                pz[central] = rng.normal(0.0, 40.0, central.sum())
                pt[central] = rng.exponential(20.0, central.sum())
            else:
                pz = 1.0 + rng.exponential(40.0, n)
            phi = rng.uniform(0.0, 2.0 * math.pi, n)
            px, py = pt * np.cos(phi), pt * np.sin(phi)
            arrays[species] = {
                "px": px,
                "py": py,
                "pz": pz,
                "E": np.sqrt(px**2 + py**2 + pz**2 + 0.3),
                "weight": np.ones(n),
            }
        metadata = {
            "format_version": FORMAT_VERSION,
            "generator": "synthetic",
            "pythia_version": "synthetic",
            "process": gcfg["process"],
            "frame": frame.value,
            "beam_energy_gev": float(bcfg[frame.energy_key]),
            "species": list(gcfg["species"]),
            "n_events": n_events,
            "sum_weights": float(n_events),
            "sigma_gen_mb": 40.0,
            "sigma_err_mb": 0.1,
            "counts": {k: int(a["px"].size) for k, a in arrays.items()},
            "weight_sums": {k: float(a["weight"].sum()) for k, a in arrays.items()},
        }
        assert set(arrays[gcfg["species"][0]]) == set(BRANCHES)
        files[generator] = meson_sample_path(results, RunConfig.from_mapping(cfg).beams[beam], generator)
        write_sample(files[generator], {k: [a] for k, a in arrays.items()}, metadata)
    return files


CASES = [
    # experiment, model, point: every frame, importance sampling and folding (faser), generated multiplicities
    # (mathusla), an energy window and a three-body model (charm2), the e+e- source (babar)
    ("na62", "idm-dipole", {"m1": 0.1, "delta": 0.1}),
    ("faser", "idm-dipole", {"m1": 0.05, "delta": 0.1}),
    ("mathusla", "idm-dipole", {"m1": 0.05, "delta": 0.1}),
    ("charm2", "inelastic-scalar", {"m1": 0.2, "delta": 0.1}),
    ("babar", "idm-dipole", {"m1": 0.1, "delta": 0.1}),
]


def _scan_and_cli(tmp_path: Path, experiment: str, model_name: str, point: dict, seed: int = 5):
    cfg = load_config(PAPER_TEST)
    results = tmp_path / "results"
    beam = cfg["experiments"][experiment]["beam"]
    files = _write_synthetic_samples(cfg, beam, results) if cfg["beams"][beam].get("generators") else {}
    model = get_model(model_name)
    lo, hi = model.scan.search_range
    couplings = np.geomspace(lo, hi, int(20 * np.log10(hi / lo)) + 1)  # the CLI's grid
    benchmark = {k: v for k, v in point.items() if k != model.mass_parameter}
    cfg["models"][model_name] = {
        "benchmarks": [benchmark],
        "mass_gev": [point[model.mass_parameter]],
        "coupling": {"min": lo, "max": hi, "num": couplings.size, "spacing": "log"},
    }
    spec = ScanSlice.of(cfg, experiment, model_name, benchmark)
    scan = scan_experiment(spec, BenchmarkSpec(model_name, benchmark), files, seed)
    np.testing.assert_array_equal(scan.couplings, couplings)
    run = RunConfig.from_mapping(cfg)
    exp = run.experiment(experiment)
    # the job's slice types the experiment as the whole configuration does (species in the slice's sorted order;
    # no description)
    assert spec.experiment == dataclasses.replace(exp, species=spec.experiment.species, description="")
    return run, results, model, couplings, scan, exp, spec.events_per_mass


@pytest.mark.parametrize(("experiment", "model_name", "point"), CASES, ids=[c[0] for c in CASES])
def test_scan_and_cli_give_the_same_events(tmp_path, experiment, model_name, point):
    """N(d) of the command line equals the scan's at the same experiment, point, samples and seed: exactly per
    interaction (per POT, per fb^-1), and at the experiment's exposure up to the order of one multiplication."""
    run, results, model, couplings, scan, exp, n_events = _scan_and_cli(tmp_path, experiment, model_name, point)
    assert scan.per_interaction.max() > 0.0  # the comparison is not trivially 0 = 0
    for it, threshold in enumerate(scan.thresholds):
        unit = 1.0 / exp.interactions_per_exposure  # one interaction (exactly, where it is 1)
        per_unit = cli.reach_events(
            run, exp, model, point, couplings, float(threshold), unit, n_events, 5, results
        ).grid
        if exp.interactions_per_exposure == 1.0:
            np.testing.assert_array_equal(per_unit, scan.per_interaction[it, 0])
        else:
            np.testing.assert_allclose(per_unit, scan.per_interaction[it, 0], rtol=1e-13, atol=0.0)
        exposure = max(exp.exposures)
        reach = cli.reach_events(run, exp, model, point, couplings, float(threshold), exposure, n_events, 5, results)
        events, refine = reach.grid, reach.refine
        np.testing.assert_allclose(events, scan.events(exposure)[it, 0], rtol=1e-13, atol=0.0)
        if exp.frame is BeamFrame.ELECTRON_POSITRON:  # the same multiplications in the same order
            np.testing.assert_array_equal(events, scan.events(exposure)[it, 0])
            assert refine is None
        else:
            assert refine(float(couplings[40])) == events[40]
    # the CLI made no samples of its own: it found the workflow's
    assert not (results / "cli_cache").exists()


def test_cli_command_and_scan_agree(tmp_path, capsys):
    """``darkreach reach`` itself: the BaBar intervals are the scan's contour (grid interpolation), and at one proton
    on target NA62's largest N is the scan's largest N per POT, to the last bit."""
    from darkreach.sensitivity.contours import coupling_intervals

    _, results, _, couplings, scan, exp, n_events = _scan_and_cli(
        tmp_path, "babar", "idm-dipole", {"m1": 0.1, "delta": 0.1}
    )
    argv = reach_argv("babar", m1="0.1", delta="0.1", seed="5", events=n_events, config=PAPER_TEST, results=results)
    assert cli.main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    grid = scan.events(60.0)[0, 0]
    assert out["max_events"] == float(grid.max())
    assert out["intervals"] == [[iv.low, iv.high] for iv in coupling_intervals(couplings, grid, exp.level)]

    _, results, _, _, scan, _, n_events = _scan_and_cli(
        tmp_path / "na62", "na62", "idm-dipole", {"m1": 0.1, "delta": 0.1}
    )
    argv = reach_argv(
        "na62", m1="0.1", delta="0.1", seed="5", events=n_events, exposure="1", config=PAPER_TEST, results=results
    )
    assert cli.main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["max_events"] == float(scan.per_interaction[0, 0].max()) > 0.0


def test_reach_applies_the_threshold_of_an_ee_experiment(capsys):
    """``--ethreshold`` reaches the e+e- selection (it used to be reported but not applied): a higher leading-photon
    cut re-cuts the same events, a lower one than the simulated cut is refused with the reason."""
    argv = reach_argv("babar", m1="0.3", delta="0.1", events="2000", config=PAPER_TEST)
    assert cli.main(argv) == 0
    default = json.loads(capsys.readouterr().out)
    assert cli.main([*argv, "--ethreshold", "2"]) == 0
    assert json.loads(capsys.readouterr().out) == default
    assert cli.main([*argv, "--ethreshold", "3"]) == 0
    tight = json.loads(capsys.readouterr().out)
    assert tight["ethreshold_gev"] == 3.0 and 0.0 < tight["max_events"] < default["max_events"]
    assert cli.main([*argv, "--ethreshold", "1"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["type"] == "runtime" and "not sampled" in error["message"]
