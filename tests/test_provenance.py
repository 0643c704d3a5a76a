"""Provenance of every CSV and HEPData record (darkreach.output.provenance), the licence and the citation file."""

from __future__ import annotations

import csv
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
import yaml

from darkreach.config.figures import figure_spec_from_config
from darkreach.output import provenance as prov_mod
from darkreach.output.contour_table import read_contour_table, write_contours_csv, write_grid_csv
from darkreach.output.figures import contours as figures
from darkreach.output.figures.branching import figure1_header, figure1_table, read_figure1_csv, write_figure1_csv
from darkreach.output.hepdata import read_submission, read_submission_provenance, validate_submission
from darkreach.output.provenance import (
    PROVENANCE_KEYS,
    data_lines,
    parse_provenance_text,
    provenance,
    provenance_from_metadata,
    provenance_text,
    read_csv_provenance,
)
from darkreach.output.tables import TableFormatError, write_table
from darkreach.production.meson_beams.multiplicities import CSV_COLUMNS as MULT_COLUMNS
from darkreach.production.meson_beams.multiplicities import read_multiplicity_csv, write_multiplicity_csv
from darkreach.sensitivity.scan import ScanResult

ROOT = Path(__file__).resolve().parents[1]
COMMIT = re.compile(r"^[0-9a-f]{40}(-dirty)?$")
HASH = "0123456789abcdef"
EXPOSURES = [1e17, 1e18]


def scan_result(metadata: dict | None = None) -> ScanResult:
    """A closed sensitivity region: N ~ c^2 exp(-(c/c0)^2), for two thresholds."""
    masses = np.geomspace(0.01, 1.0, 5)
    couplings = np.geomspace(1e-9, 1e-2, 30)
    shape = (1e-15 * (couplings / 1e-6) ** 2 * np.exp(-((couplings / 1e-3) ** 2)))[None, :] * (1 + masses)[:, None]
    per = np.stack([shape, 0.5 * shape])
    # jackknife replicates (thresholds, masses, batches, couplings): the contours rule requires them
    scale = 1.0 + 0.01 * np.random.default_rng(0).standard_normal(20)
    reps = per[:, :, None, :] * scale[None, None, :, None]
    return ScanResult(
        model="idm-dipole", benchmark={"delta": 0.1}, mass_parameter="m1", coupling_name="d",
        coupling_unit="GeV^-1", masses=masses, couplings=couplings, thresholds=np.array([0.0, 1.0]),
        per_interaction=per, metadata={"exposures": EXPOSURES, "level": 3.0, **(metadata or {})}, replicates=reps,
    )  # fmt: skip


def leading_comments(path: Path) -> list[str]:
    out = []
    with path.open() as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            out.append(line.rstrip("\n"))
    return out


# ------------------------------------------------------------------------------------------------ provenance()


def test_provenance_keys_and_types() -> None:
    p = provenance(HASH, 42)
    assert tuple(p) == PROVENANCE_KEYS
    assert p["darkreach_version"] == importlib.metadata.version("darkreach")
    assert p["pythia_version"] == importlib.metadata.version("pythia8mc")
    assert p["config_hash"] == HASH and p["seed"] == 42 and type(p["seed"]) is int
    assert p["created_by"] == "darkreach"
    assert p["git_commit"] is None or isinstance(p["git_commit"], str)
    empty = provenance()
    assert empty["config_hash"] is None and empty["seed"] is None
    assert provenance(HASH, np.int64(7))["seed"] == 7
    # nothing depends on the time or the machine: two calls agree exactly
    assert provenance(HASH, 42) == p


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_git_commit_of_this_checkout() -> None:
    commit = provenance()["git_commit"]
    assert commit is not None and COMMIT.match(commit), commit
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert commit.removesuffix("-dirty") == head.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_commit_clean_dirty_and_untracked(tmp_path: Path) -> None:
    pkg = tmp_path / "repo" / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("x = 1\n")
    git = ["git", "-C", str(pkg.parent), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "pkg/__init__.py"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "init"], check=True)
    commit = prov_mod.git_commit.__wrapped__(str(pkg))
    assert commit is not None and re.fullmatch(r"[0-9a-f]{40}", commit)
    (pkg.parent / "untracked.txt").write_text("not part of the checkout\n")
    assert prov_mod.git_commit.__wrapped__(str(pkg)) == commit  # untracked files do not count
    (pkg / "__init__.py").write_text("x = 2\n")
    assert prov_mod.git_commit.__wrapped__(str(pkg)) == commit + "-dirty"
    # an untracked package inside a checkout (e.g. installed under an ignored .venv/) has no commit
    other = pkg.parent / "venv" / "pkg"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("")
    assert prov_mod.git_commit.__wrapped__(str(other)) is None


def test_git_commit_without_git_or_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert prov_mod.git_commit.__wrapped__(str(tmp_path)) is None
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert prov_mod.git_commit.__wrapped__(str(ROOT / "src" / "darkreach")) is None


def test_provenance_text_round_trip() -> None:
    p = provenance(HASH, 3)
    assert parse_provenance_text(provenance_text(provenance())) == provenance()
    assert parse_provenance_text("Some comment. " + provenance_text(p)) == p
    assert parse_provenance_text("no provenance here") == {}
    assert list(data_lines(["# a: b\n", "x,y\n", "#c\n", "1,2\n"])) == ["x,y\n", "1,2\n"]


def test_provenance_from_scan_metadata() -> None:
    p = provenance_from_metadata({"config_hash": HASH, "seed": 5, "pythia_version": "8.317"})
    assert (p["config_hash"], p["seed"], p["pythia_version"]) == (HASH, 5, "8.317")
    absent = provenance_from_metadata({})
    assert absent["config_hash"] is None and absent["seed"] is None and absent["pythia_version"] is None
    assert absent["darkreach_version"] == importlib.metadata.version("darkreach")


# ------------------------------------------------------------------------------------------------ CSV writers


def test_contour_and_grid_csv_carry_the_scan_provenance(tmp_path: Path) -> None:
    result = scan_result({"config_hash": HASH, "seed": 11, "pythia_version": "8.317"})
    contours = tmp_path / "contours.csv"
    rows = write_contours_csv(result, EXPOSURES, 3.0, contours)
    head = leading_comments(contours)
    assert len(head) == 1 and head[0].startswith('# {"table": "contours"')  # one JSON header line
    header = json.loads(head[0][2:])
    assert header["model"] == "idm-dipole" and header["benchmark"] == {"delta": 0.1}
    assert header["provenance"] == provenance_from_metadata(result.metadata)
    assert header["provenance"]["config_hash"] == HASH and header["provenance"]["seed"] == 11
    assert header["provenance"]["pythia_version"] == "8.317"
    assert read_csv_provenance(contours) == provenance_from_metadata(result.metadata)
    table = read_contour_table(contours)
    assert table.model == "idm-dipole" and table.benchmark == {"delta": 0.1}
    assert table.mass_label == "m1 [GeV]" and table.coupling_label == "d [GeV^-1]"
    assert table.provenance["config_hash"] == HASH and table.provenance["seed"] == 11
    back = table.rows
    assert len(back) == len(rows) > 0
    assert [r["coupling_low"] for r in back] == pytest.approx([r["coupling_low"] for r in rows], rel=1e-7)

    grid = tmp_path / "grid.csv"
    write_grid_csv(result, EXPOSURES, grid)
    assert read_csv_provenance(grid) == provenance_from_metadata(result.metadata)
    with grid.open() as fh:
        table = list(csv.DictReader(data_lines(fh)))
    assert list(table[0]) == ["exposure", "energy_threshold_gev", "m1", "d", "n_events"]
    assert len(table) == len(EXPOSURES) * 2 * 5 * 30
    # byte-identical when written again
    again = tmp_path / "again.csv"
    write_grid_csv(result, EXPOSURES, again)
    assert again.read_bytes() == grid.read_bytes()


def test_contour_csv_without_provenance_metadata_writes_null(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    write_contours_csv(scan_result(), EXPOSURES, 3.0, path)
    head = leading_comments(path)
    assert '"config_hash": null' in head[0] and '"seed": null' in head[0]
    table = read_contour_table(path)
    assert table.provenance["config_hash"] is None and table.provenance["seed"] is None and table.rows


def test_multiplicity_csv(tmp_path: Path) -> None:
    rows = [
        {"species": "pi0", "generator": "softqcd", "process": "SoftQCD:inelastic", "n_events": 10, "n_instances": 43,
         "per_event": 4.3, "sigma_gen_mb": 40.0, "per_pp_interaction": 4.3, "table1_paper000": 4.3, "ratio": 1.0},
        {"species": "phi", "generator": "softqcd", "process": "SoftQCD:inelastic", "n_events": 10, "n_instances": 1,
         "per_event": 0.1, "sigma_gen_mb": 40.0, "per_pp_interaction": 0.1, "table1_paper000": None, "ratio": None},
    ]  # fmt: skip
    path = tmp_path / "m.csv"
    write_multiplicity_csv(rows, path, provenance=provenance(HASH, 9))
    head = leading_comments(path)
    assert len(head) == 1  # one JSON header line, as every darkreach table
    want = {"table": "multiplicities", "format_version": 1, "provenance": provenance(HASH, 9)}
    assert json.loads(head[0][2:]) == want
    with path.open(newline="") as fh:
        back = list(csv.DictReader(data_lines(fh)))
    assert tuple(back[0]) == MULT_COLUMNS and back[1]["ratio"] == ""
    assert read_multiplicity_csv(path) == (provenance(HASH, 9), rows)  # typed back, None for the empty cells
    write_multiplicity_csv(rows, path)  # default: this process's provenance, no config hash
    assert read_csv_provenance(path) == provenance()


def test_multiplicity_csv_of_the_old_format_is_refused(tmp_path: Path) -> None:
    """The '# key: value' provenance lines of older multiplicity CSVs are refused, naming the file and the fix."""
    old = tmp_path / "multiplicities-old.csv"
    old.write_text(
        "# darkreach_version: 0.1.0\n# config_hash: null\n" + ",".join(MULT_COLUMNS) + "\n"
        "pi0,softqcd,SoftQCD:inelastic,10,43,4.3,40.0,4.3,4.3,1.0\n"
    )
    with pytest.raises(TableFormatError, match=r"multiplicities-old.csv' has no darkreach JSON header line.*rerun"):
        read_multiplicity_csv(old)
    with pytest.raises(TableFormatError, match="no darkreach JSON header line"):
        read_csv_provenance(old)
    contours = tmp_path / "c.csv"
    write_table(contours, {"table": "contours"}, ["a"], [{"a": 1}])
    with pytest.raises(TableFormatError, match="holds a 'contours' table, not a 'multiplicities' table"):
        read_multiplicity_csv(contours)


def test_figure1_csv(tmp_path: Path) -> None:
    rows = figure1_table(np.geomspace(1e-3, 1.0, 4), delta=10.0, Lambda=1000.0)
    path = tmp_path / "fig1.csv"
    write_figure1_csv(rows, path, delta=10.0, Lambda=1000.0, provenance=provenance(HASH))
    head = leading_comments(path)
    assert len(head) == 1
    want = {**figure1_header(10.0, 1000.0), "format_version": 1, "provenance": provenance(HASH)}
    assert json.loads(head[0][2:]) == want
    assert read_csv_provenance(path) == provenance(HASH)
    back = read_figure1_csv(path)
    assert [r["m1_gev"] for r in back] == pytest.approx([r["m1_gev"] for r in rows], rel=1e-7)


# ------------------------------------------------------------------------------------------------ figure + HEPData


def test_figure_csv_and_hepdata_record_carry_the_config_hash(tmp_path: Path) -> None:
    """Scan -> contour CSV -> figure (CSV, HEPData): provenance everywhere, the record still valid."""
    spec = figure_spec_from_config(
        "fig_prov",
        {"model": "idm-dipole", "source": "test", "panels": [{"benchmark": {"delta": 0.1}, "curves": [
            {"experiment": "na62", "exposure": 1e18, "threshold_gev": 1.0}]}]},
    )  # fmt: skip
    files = figures.contour_files(spec, tmp_path / "results")
    (path,) = files.values()
    path.parent.mkdir(parents=True)
    write_contours_csv(scan_result({"config_hash": "feedfacefeedface", "seed": 1}), EXPOSURES, 3.0, path)
    out = tmp_path / "fig"
    out.mkdir()
    png, pdf, csv_path, hep = out / "f.png", out / "f.pdf", out / "f.csv", out / "hep"
    curves = figures.make_figure(spec, files, png, pdf, csv_path, hep, config_hash=HASH, seed=None)
    assert not curves[0].no_reach
    assert read_csv_provenance(csv_path) == provenance(HASH)
    with csv_path.open() as fh:
        rows = list(csv.DictReader(data_lines(fh)))
    assert list(rows[0]) == list(figures.CSV_COLUMNS) and len(rows) == len(curves[0].rows)
    assert validate_submission(hep) == []
    comment, tables = read_submission(hep)
    assert HASH in comment and "Provenance: " in comment and len(tables) == 1
    assert read_submission_provenance(hep) == provenance(HASH)
    assert read_csv_provenance(hep / "f.csv")["config_hash"] == HASH  # the CSV resource too


# ------------------------------------------------------------------------------------------------ workflow script


def test_contours_script_fills_in_the_rule_params(tmp_path: Path) -> None:
    """workflow/scripts/contours.py: a scan without provenance metadata takes params.config_hash / seed."""
    npz = tmp_path / "scan.npz"
    scan_result().save(npz)
    out = {"contours": str(tmp_path / "c.csv"), "grid": str(tmp_path / "g.csv")}
    script = ROOT / "workflow" / "scripts" / "contours.py"
    code = f"""
import runpy, types
ns = types.SimpleNamespace
smk = ns(log=[{str(tmp_path / "c.log")!r}], input=[{str(npz)!r}], params=ns(config_hash={HASH!r}, seed=4, level=3.0),
         wildcards=ns(experiment="na62"), output=ns(**{out!r}))
runpy.run_path({str(script)!r}, init_globals={{"snakemake": smk}}, run_name="__main__")
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr + (tmp_path / "c.log").read_text()
    for name in ("contours", "grid"):
        p = read_csv_provenance(Path(out[name]))
        assert (p["config_hash"], p["seed"]) == (HASH, 4), name


# ------------------------------------------------------------------------------------------------ licence, citation


def _pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)


def test_license_matches_pyproject() -> None:
    project = _pyproject()["project"]
    licence = project["license"]
    spdx = licence if isinstance(licence, str) else licence.get("text")
    assert spdx == "MIT"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 The darkreach developers" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text
    if isinstance(licence, str):
        assert project["license-files"] == ["LICENSE"]
    urls = project["urls"]
    assert {"Homepage", "Repository", "Documentation", "Issues"} <= set(urls)
    assert all(u.startswith("https://github.com/darkreach/darkreach") for u in urls.values())
    assert project["authors"] == [{"name": "The darkreach developers"}]


def test_citation_cff_names_both_papers() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors"):
        assert cff.get(key), key
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == _pyproject()["project"]["version"] and cff["license"] == "MIT"
    refs = {r["title"]: r for r in cff["references"]}
    paper000 = refs["Illuminating the dark: mono-γ signals at NA62"]
    assert paper000["doi"] == "10.1007/JHEP10(2024)016" and paper000["year"] == 2024
    assert [a["family-names"] for a in paper000["authors"]] == ["Barducci", "Bertuzzo", "Taoso", "Ternes", "Toni"]
    paper003 = refs["Probing light dark scalars with future experiments"]
    assert [a["family-names"] for a in paper003["authors"]] == ["Bertuzzo", "Taoso"]
    assert {"type": "other", "value": "arXiv:2011.04735", "description": "arXiv preprint"} in paper003["identifiers"]
