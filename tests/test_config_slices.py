"""A config is what it says, and outputs follow exactly the slice of it they depend on.

Unit level: content hashes, the scan slice, content-addressed sample ids, ``extends`` and YAML errors.
Workflow level (on the tiny run): editing one experiment reruns its scans and what follows, and nothing else;
editing a description reruns nothing; a --configfile inherits nothing unless it says ``extends``.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TEST_CONFIG, run_snakemake

from darkreach.config import (
    BenchmarkSpec,
    ConfigError,
    RunConfig,
    ScanSlice,
    deep_merge,
    load_config,
    read_yaml_mapping,
    resolve_workflow_config,
)
from darkreach.config.slices import beam_samples_id, canonical_json, content_hash, sample_id, scan_slice
from darkreach.sensitivity.experiment_scan import scan_experiment

DEFAULT = REPO / "config" / "config.yaml"


def _tiny() -> dict:
    return yaml.safe_load(TEST_CONFIG.read_text())


# --- hashes and slices -------------------------------------------------------------------------------------


def test_canonical_json_ignores_key_order_and_descriptions() -> None:
    a = {"b": 1, "a": {"y": [1, 2], "x": 2.5, "description": "one"}}
    b = {"a": {"x": 2.5, "y": [1, 2], "description": "another"}, "b": 1}
    assert canonical_json(a) == canonical_json(b) == '{"a":{"x":2.5,"y":[1,2]},"b":1}'
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({**a, "b": 2})
    with pytest.raises(ValueError, match="finite"):
        canonical_json({"x": float("nan")})


def test_scan_slice_holds_only_what_the_scan_reads() -> None:
    cfg = _tiny()
    bench = cfg["models"]["idm-dipole"]["benchmarks"][0]
    sl = scan_slice(cfg, "hike", "idm-dipole", bench)
    assert set(sl) == {"beams", "experiments", "models", "scan"}
    assert list(sl["experiments"]) == ["hike"] and list(sl["beams"]) == ["sps400"]
    assert set(sl["scan"]) == {"mass_gev", "coupling", "events_per_mass", "level"}  # not threads
    # another experiment, another benchmark, the targets or a description change nothing
    other = copy.deepcopy(cfg)
    other["experiments"]["na62"]["exposures"] = [3.0e17]
    other["models"]["idm-dipole"]["benchmarks"].append({"delta": 0.5})
    other["targets"]["experiments"] = ["hike"]
    other["scan"]["threads"] = 1
    other["experiments"]["hike"]["description"] = "a new description"
    assert content_hash(scan_slice(other, "hike", "idm-dipole", bench)) == content_hash(sl)
    # the experiment's own keys, its beam and the scan defaults it uses do change it
    for mutate in (
        lambda c: c["experiments"]["hike"].update(exposures=[1.0e20]),
        lambda c: c["experiments"]["hike"]["geometry"].update(z_start_m=80.0),
        lambda c: c["experiments"]["hike"].update(energy_thresholds_gev=[2.0]),
        lambda c: c["experiments"]["hike"].update(efficiency=0.5),
        lambda c: c["beams"]["sps400"]["generators"]["softqcd"].update(events_per_shard=1600),
        lambda c: c["scan"].update(events_per_mass=3000),
        lambda c: c["scan"].update(level=2.3),
    ):
        changed = copy.deepcopy(cfg)
        mutate(changed)
        assert content_hash(scan_slice(changed, "hike", "idm-dipole", bench)) != content_hash(sl)


def test_scan_slice_drops_defaults_the_experiment_overrides() -> None:
    cfg = _tiny()
    cfg["experiments"]["hike"].update(level=2.3, events_per_mass=500)
    bench = cfg["models"]["idm-dipole"]["benchmarks"][0]
    sl = scan_slice(cfg, "hike", "idm-dipole", bench)
    assert "level" not in sl["scan"] and "events_per_mass" not in sl["scan"]
    cfg["scan"]["level"] = 10.0  # not read by this scan, so it does not rerun it
    assert scan_slice(cfg, "hike", "idm-dipole", bench) == sl


def test_scan_reads_its_slice_only() -> None:
    """The scan job types its slice (ScanSlice) and reads nothing else: a configuration that differs outside the
    slice gives the same scan, bit for bit. e+e- needs no PYTHIA, so compare on the paper catalogue's BaBar."""
    cfg = load_config(REPO / "config" / "paper.yaml")
    cfg["scan"]["events_per_mass"] = 300
    cfg["experiments"]["babar"]["events_per_mass"] = 300
    cfg["models"]["idm-dipole"]["mass_gev"] = [0.1, 0.5]
    bench = {"delta": 0.1}
    other = copy.deepcopy(cfg)
    other["experiments"]["na62"]["exposures"] = [1.0]
    other["scan"]["mass_gev"] = [0.2]  # overridden by the model's grid
    other["models"]["idm-dipole"]["benchmarks"].append({"delta": 0.7})
    spec = ScanSlice.of(cfg, "babar", "idm-dipole", bench)
    assert spec == ScanSlice.of(other, "babar", "idm-dipole", bench)
    # the slice drops descriptions (they change no number)
    assert spec.experiment == dataclasses.replace(RunConfig.from_mapping(cfg).experiment("babar"), description="")
    one = scan_experiment(spec, BenchmarkSpec("idm-dipole", bench), {}, seed=5)
    two = scan_experiment(
        ScanSlice.of(other, "babar", "idm-dipole", bench), BenchmarkSpec("idm-dipole", bench), {}, seed=5
    )
    assert (one.per_interaction == two.per_interaction).all()
    assert one.per_interaction.max() > 0


def test_samples_are_content_addressed() -> None:
    cfg = _tiny()
    base = sample_id(cfg, "sps400", "softqcd")
    assert re.fullmatch(r"softqcd-[0-9a-f]{12}", base)
    same = copy.deepcopy(cfg)
    same["beams"]["sps400"]["description"] = "described differently"
    same["beams"]["sps400"]["generators"]["softqcd"]["correction_factor"] = 2.0  # normalisation, not generation
    same["experiments"]["na62"]["exposures"] = [1.0]
    assert sample_id(same, "sps400", "softqcd") == base
    for mutate in (
        lambda c: c["beams"]["sps400"]["generators"]["softqcd"].update(events_per_shard=1000),
        lambda c: c["beams"]["sps400"]["generators"]["softqcd"].update(shards=3),
        lambda c: c["beams"]["sps400"].update(energy_gev=450.0),
        lambda c: c.update(seed=8),
    ):
        other = copy.deepcopy(cfg)
        mutate(other)
        assert sample_id(other, "sps400", "softqcd") != base
    # the default and the tiny config describe sps400 differently: their samples never share a path
    default = load_config(DEFAULT)
    assert sample_id(default, "sps400", "softqcd") != base
    assert beam_samples_id(default, "sps400") != beam_samples_id(cfg, "sps400")


# --- extends, completeness, YAML errors -----------------------------------------------------------------


def test_deep_merge_replaces_lists_and_null_removes() -> None:
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 2, "c": {"k": 1}}
    over = {"a": {"y": [3]}, "c": None}
    assert deep_merge(base, over) == {"a": {"x": 1, "y": [3]}, "b": 2}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 2, "c": {"k": 1}}  # untouched


def test_extends_a_catalogue(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "extends: paper\ntargets: {experiments: [na62], models: [idm-dipole], figures: null}\n"
        "experiments: {hike: null}\nfigures: null\n"
    )
    cfg = load_config(mine)
    paper = load_config(REPO / "config" / "paper.yaml")
    assert cfg["targets"] == {"experiments": ["na62"], "models": ["idm-dipole"]}
    assert "hike" not in cfg["experiments"] and set(cfg["experiments"]) == set(paper["experiments"]) - {"hike"}
    assert "figures" not in cfg and cfg["beams"] == paper["beams"]
    assert "extends" not in cfg


def test_extends_a_relative_path_and_cycles(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(TEST_CONFIG.read_text())
    (tmp_path / "sub").mkdir()
    child = tmp_path / "sub" / "child.yaml"
    child.write_text("extends: ../base.yaml\nseed: 99\n")
    assert load_config(child)["seed"] == 99
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(ConfigError, match="circular"):
        load_config(tmp_path / "a.yaml")
    (tmp_path / "c.yaml").write_text("extends: nowhere\n")
    with pytest.raises(ConfigError, match="'nowhere' is neither a catalogue"):
        load_config(tmp_path / "c.yaml")


def test_a_configfile_inherits_nothing(tmp_path: Path) -> None:
    partial = {"seed": 3, "beams": _tiny()["beams"]}
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(partial))
    with pytest.raises(
        ConfigError, match=r"missing the required section\(s\) \['experiments', 'models', 'scan', 'targets'\]"
    ):
        resolve_workflow_config(partial, [path], DEFAULT)
    # without --configfile the default is used, with --config overrides laid over it
    cfg = resolve_workflow_config({"seed": 3}, [], DEFAULT)
    assert cfg["seed"] == 3 and cfg["experiments"] == load_config(DEFAULT)["experiments"]


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("seed: 1\nbeams:\n  sps400: [a\n    b: 2\n")
    with pytest.raises(ConfigError, match=rf"{re.escape(str(bad))}:4:\d+: invalid YAML"):
        read_yaml_mapping(bad)
    child = tmp_path / "child.yaml"
    child.write_text("extends: bad.yaml\n")
    with pytest.raises(ConfigError, match=rf"{re.escape(str(bad))}:4:"):
        load_config(child)


# --- the workflow ----------------------------------------------------------------------------------------

pytestmark_slow = pytest.mark.slow


def _dry_run_jobs(workdir: Path, config: Path, *targets: str) -> dict[str, list[str]]:
    """rule -> outputs of the jobs a dry run would run."""
    proc = run_snakemake(workdir, "-n", *targets, config=config)
    jobs: dict[str, list[str]] = {}
    for block in re.split(r"\n(?=rule |localrule )", proc.stdout):
        m = re.match(r"(?:local)?rule (\w+):", block)
        if m:
            out = re.search(r"output: (.*)", block)
            jobs.setdefault(m.group(1), []).append(out.group(1) if out else "")
    return jobs


@pytest.mark.slow
def test_editing_an_experiment_reruns_it_and_nothing_else(tiny_workflow: Path, tmp_path: Path) -> None:
    cfg = _tiny()
    cfg["experiments"]["hike"]["exposures"] = [9.0e19]
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(cfg, sort_keys=False))
    jobs = _dry_run_jobs(tiny_workflow, edited)
    assert {k for k in jobs if k != "all"} == {"scan", "plot_experiment", "plot_model"}, jobs
    assert all("/hike/" in o for o in jobs["scan"]), jobs
    assert jobs["plot_experiment"] == ["results/figures/idm-dipole/hike.png, results/figures/idm-dipole/hike.pdf"]

    cfg = _tiny()
    cfg["experiments"]["na62"]["geometry"]["z_start_m"] = 80.0  # shared YAML anchor: edit NA62's copy only
    cfg["experiments"]["hike"]["geometry"] = dict(_tiny()["experiments"]["hike"]["geometry"])
    edited.write_text(yaml.safe_dump(cfg, sort_keys=False))
    jobs = _dry_run_jobs(tiny_workflow, edited)
    assert jobs["scan"] and all("/na62/" in o for o in jobs["scan"]), jobs
    assert "generate_mesons" not in jobs


@pytest.mark.slow
def test_editing_a_description_reruns_nothing(tiny_workflow: Path, tmp_path: Path) -> None:
    cfg = _tiny()
    cfg["beams"]["sps400"]["description"] = "SPS protons, described anew"
    cfg["experiments"]["hike"]["description"] = "HIKE, described anew"
    edited = tmp_path / "described.yaml"
    edited.write_text(yaml.safe_dump(cfg, sort_keys=False))
    proc = run_snakemake(tiny_workflow, "-n", config=edited)
    assert "Nothing to be done" in proc.stdout + proc.stderr, proc.stdout[-3000:]


@pytest.mark.slow
def test_editing_generation_regenerates_only_that_sample(tiny_workflow: Path, tmp_path: Path) -> None:
    cfg = _tiny()
    cfg["beams"]["sps400"]["generators"]["charmonium"]["events_per_shard"] = 400
    edited = tmp_path / "gen.yaml"
    edited.write_text(yaml.safe_dump(cfg, sort_keys=False))
    jobs = _dry_run_jobs(tiny_workflow, edited)
    assert len(jobs["generate_mesons"]) == 1 and "charmonium-" in jobs["generate_mesons"][0], jobs
    assert len(jobs["scan"]) == 2  # both experiments use the beam


@pytest.mark.slow
def test_user_config_without_sections_stops_before_any_job(tmp_path: Path) -> None:
    partial = tmp_path / "partial.yaml"
    partial.write_text(yaml.safe_dump({"seed": 3, "beams": _tiny()["beams"]}))
    proc = run_snakemake(tmp_path, config=partial, check=False)
    assert proc.returncode != 0
    assert "missing the required section(s) ['experiments', 'models', 'scan', 'targets']" in proc.stdout + proc.stderr
    assert not (tmp_path / "results").exists()
