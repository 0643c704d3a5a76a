"""The typed configuration: frozen specs built once from the validated mapping, errors naming key and value,
and rule scripts that read their own typed slice and nothing else."""

from __future__ import annotations

import ast
import copy
import dataclasses
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, TEST_CONFIG

from darkreach.config import (
    BeamSpec,
    BenchmarkSpec,
    ConfigError,
    GeneratorSpec,
    ModelSpec,
    RunConfig,
    SampleSpec,
    ScanSlice,
    grid_values,
    load_config,
    load_run_config,
)
from darkreach.config.slices import beam_samples_id, sample_id, sample_spec
from darkreach.models import get_model
from darkreach.production import BeamFrame
from darkreach.production.meson_beams.settings import settings_from_config

PAPER = REPO / "config" / "paper.yaml"
SCRIPTS = REPO / "workflow" / "scripts"


def test_run_config_types_every_section() -> None:
    cfg = load_config(PAPER)
    run = load_run_config(PAPER)
    assert run == RunConfig.from_mapping(cfg)  # built from the mapping alone: the same twice
    assert run.seed == cfg["seed"] and set(run.experiments) == set(cfg["experiments"])
    sps = run.beams["sps400"]
    assert sps.frame is BeamFrame.FIXED_TARGET and sps.energy == sps.energy_gev == 400.0 and sps.sqrt_s_gev is None
    assert run.beams["pep2"].energy == run.beams["pep2"].sqrt_s_gev
    # sample ids are those of the content-addressed files the workflow writes
    assert dict(sps.sample_ids) == {g: sample_id(cfg, "sps400", g) for g in cfg["beams"]["sps400"]["generators"]}
    assert sps.samples_id == beam_samples_id(cfg, "sps400")
    # the settings PYTHIA gets are those of the mapping
    for name in sps.generators:
        assert sps.generator_settings(name) == settings_from_config(
            cfg["beams"]["sps400"], cfg["beams"]["sps400"]["generators"][name]
        )
    assert run.scan.level == cfg["scan"]["level"] and run.targets is not None
    assert set(run.figures) == set(cfg.get("figures", {}))
    model = run.models["idm-dipole"]
    assert [b.as_dict() for b in model.benchmarks] == cfg["models"]["idm-dipole"]["benchmarks"]
    assert model.benchmark(model.benchmarks[0].label) == model.benchmarks[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.seed = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        sps.generators["x"] = sps.generators["softqcd"]  # type: ignore[index]


def test_grids_expand_as_the_config_says() -> None:
    cfg = load_config(TEST_CONFIG)
    run = RunConfig.from_mapping(cfg)
    assert run.scan.mass_gev is not None
    np.testing.assert_array_equal(run.scan.mass_gev.array(), grid_values(cfg["scan"]["mass_gev"], "scan.mass_gev"))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: BeamSpec.from_mapping("b", {"frame": "muon", "energy_gev": 1.0}), r"'beams\.b\.frame'.*'muon'"),
        (lambda: BeamSpec.from_mapping("b", {"frame": "fixed_target"}), r"'beams\.b\.energy_gev' is required"),
        (
            lambda: BeamSpec.from_mapping("b", {"frame": "collider", "sqrt_s_gev": -1.0}),
            r"'beams\.b\.sqrt_s_gev': must be positive \(value: -1\.0\)",
        ),
        (
            lambda: GeneratorSpec.from_mapping("g", {"process": "SoftQCD:inelastic", "species": "pi0", "shards": 1}),
            r"'generators\.g\.species': must be a list of strings \(value: 'pi0'\)",
        ),
        (
            lambda: ModelSpec.from_mapping("m", {"coupling": [1.0, 0.5]}),
            r"'models\.m\.coupling': grid must be strictly increasing",
        ),
        (lambda: BenchmarkSpec.from_mapping("m", [0.1]), r"'models\.m\.benchmarks': must be a mapping"),
    ],
)
def test_from_mapping_names_key_and_value(build, message) -> None:
    with pytest.raises(ConfigError, match=message):
        build()


def test_experiment_errors_name_key_and_value() -> None:
    cfg = load_config(TEST_CONFIG)
    cfg["experiments"]["hike"]["exposures"] = [5.0e19, "lots"]
    with pytest.raises(
        ConfigError, match=r"'experiments\.hike\.exposures\.1': must be a finite number \(value: 'lots'\)"
    ):
        RunConfig.from_mapping(cfg)


def test_scan_slice_types_what_the_scan_job_reads() -> None:
    cfg = load_config(TEST_CONFIG)
    bench = cfg["models"]["idm-dipole"]["benchmarks"][0]
    spec = ScanSlice.of(cfg, "hike", "idm-dipole", bench)
    run = RunConfig.from_mapping(cfg)
    # the slice is canonical (keys sorted), so the beam lists its generators, and the experiment its species, in
    # alphabetical order, and it drops descriptions; otherwise the job's experiment is the whole configuration's
    whole = run.experiment("hike")
    assert spec.experiment == dataclasses.replace(whole, species=spec.experiment.species, description="")
    assert sorted(spec.experiment.species) == sorted(whole.species)
    assert (spec.beam.name, spec.beam.frame) == ("sps400", BeamFrame.FIXED_TARGET)
    assert dict(spec.beam.generators) == dict(run.beams["sps400"].generators)
    assert spec.events_per_mass == cfg["scan"]["events_per_mass"]
    model = get_model("idm-dipole")
    np.testing.assert_array_equal(spec.axis_grid(model, bench), grid_values(cfg["scan"]["mass_gev"], "m"))
    np.testing.assert_array_equal(spec.coupling_grid(), grid_values(cfg["scan"]["coupling"], "c"))
    # an experiment's own events_per_mass and level replace the scan defaults, which leave the slice
    own = copy.deepcopy(cfg)
    own["experiments"]["hike"].update(events_per_mass=500, level=2.3)
    spec = ScanSlice.of(own, "hike", "idm-dipole", bench)
    assert spec.scan.events_per_mass is None and spec.scan.level is None
    assert (spec.events_per_mass, spec.experiment.level) == (500, 2.3)


def test_sample_spec_is_the_generate_rules_parameter() -> None:
    cfg = load_config(TEST_CONFIG)
    spec = SampleSpec.from_mapping(sample_spec(cfg, "sps400", "charmonium"))
    gen = cfg["beams"]["sps400"]["generators"]["charmonium"]
    assert spec.seed == cfg["seed"] and spec.generator.events_per_shard == gen["events_per_shard"]
    assert spec.settings() == settings_from_config(cfg["beams"]["sps400"], gen)


def _reads_snakemake_config(path: Path) -> list[str]:
    """``snakemake.config`` (attribute or ``getattr``) anywhere in the script."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "config":
            found.append(f"{path.name}:{node.lineno}")
        if isinstance(node, ast.Constant) and node.value == "config":
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_rule_scripts_read_no_snakemake_config() -> None:
    """Each rule passes its own slice as params; a script reading ``snakemake.config`` would depend on the whole
    configuration without Snakemake knowing (its outputs would go stale)."""
    scripts = sorted(SCRIPTS.glob("*.py"))
    assert len(scripts) >= 6
    assert [hit for script in scripts for hit in _reads_snakemake_config(script)] == []
    # the scripts that read a configuration slice build its typed spec from their params
    assert "ScanSlice.from_mapping(params.spec)" in (SCRIPTS / "scan.py").read_text()
    assert "SampleSpec.from_mapping(snakemake.params.settings)" in (SCRIPTS / "generate_mesons.py").read_text()
    assert "figure_spec_from_config(name, dict(params.spec))" in (SCRIPTS / "figure.py").read_text()
