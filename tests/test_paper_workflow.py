"""The paper configuration: its DAG, every named target, and a tiny end-to-end run of every beam frame.

``config/paper.yaml`` itself is only dry-run here (its full run is a Snakemake target, timed in the README);
``.test/paper.yaml`` runs the same machinery (fixed target, pp collider, e+e-, bounds from observed counts,
importance sampling, a delta axis, paper figures with HEPData) on tiny samples.
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import REPO, reach_argv, run_snakemake

from darkreach.config import load_config
from darkreach.output.contour_table import read_contour_table
from darkreach.output.figures.branching import read_figure1_csv
from darkreach.output.hepdata import read_submission, validate_submission
from darkreach.sensitivity.scan import ScanResult

PAPER_CONFIG = REPO / "config" / "paper.yaml"
TINY_PAPER = REPO / ".test" / "paper.yaml"
PAPER_TARGETS = (
    "fig_na62_2", "fig_na62_3", "fig_na62_4", "fig_scalar_1", "fig_scalar_2", "fig_scalar_3", "fig_scalar_4",
    "fig_scalar_5", "fig_scalar_6",
)  # fmt: skip


def _job_counts(stdout: str) -> dict[str, int]:
    counts = {}
    block = stdout.split("Job stats:")[-1]
    for line in block.splitlines():
        m = re.match(r"^(\w+)\s+(\d+)$", line.strip())
        if m:
            counts[m.group(1)] = int(m.group(2))
    return counts


def test_paper_config_is_valid_and_lists_every_experiment():
    cfg = load_config(PAPER_CONFIG)
    expected = {
        "na62",
        "hike",
        "ship",
        "ship2019",
        "faser2",
        "faser",
        "charm",
        "mathusla",
        "charm2",
        "bebc",
        "nucal",
        "babar",
    }
    assert expected <= set(cfg["experiments"])
    assert set(PAPER_TARGETS) <= set(cfg["targets"]["figures"])


def test_paper_config_dry_run_builds_every_target(tmp_path):
    proc = run_snakemake(tmp_path, "-n", config=PAPER_CONFIG)
    # the workstation profile (greedy job selector, rerun-incomplete) is read without a flag, through profiles/
    assert "Using workflow specific profile" in proc.stdout + proc.stderr, proc.stderr[-2000:]
    counts = _job_counts(proc.stdout)
    # five figures of contours, fig_scalar_1 (branching) and fig_scalar_2 (production), all by the one rule
    assert counts["figure"] == 9
    # 3 dipole benchmarks x 8 experiments + 3 sterile x 2 + 3 scalar x 4 + 2 scalar x 2 (MATHUSLA mesons only and
    # partons only, Fig. 3 of paper 003), the systematic variations of the first panels of Fig. 2 (NA62: 5 scans;
    # CHARM-II: its limit, the nominal scan at another level) and of Fig. 4 of paper 003 (SHiP 2019: 2 scans), and
    # Figs. 5 and 6 of paper 003: (4 Z' + 2 dark-photon benchmarks) x 4 experiments
    # every scan job writes its own contours; rule contours only serves CHARM-II's limit variation (its nominal
    # scan at another level)
    assert counts["scan"] == 46 + 5 + 2 + 24 and counts["contours"] == 1
    # fig_scalar_4: LEP, Upsilon, J/psi in each of its 3 panels; fig_scalar_6: EWPM, its projection, dileptons x 2
    assert counts["bound_table"] == 3 * 3 + 3 * 2
    for target in [
        *PAPER_TARGETS,
        "charm",
        "ship2019",
        "faser",
        "mathusla",
        "faser2",
        "babar",
        "nucal",
        "bebc",
        "charm2",
        "ship",
    ]:
        proc = run_snakemake(tmp_path, "-n", target, config=PAPER_CONFIG)
        assert "Nothing to be done" not in proc.stdout, target


@pytest.fixture(scope="module")
def tiny_paper(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("tiny_paper")
    run_snakemake(workdir, config=TINY_PAPER)
    return workdir


@pytest.mark.slow
def test_tiny_paper_figures_and_hepdata(tiny_paper):
    paper = tiny_paper / "results" / "paper"
    for fig in ("fig_dipole", "fig_scalar", "fig_branching"):
        for ext in (".png", ".pdf", ".csv"):
            assert (paper / f"{fig}{ext}").stat().st_size > 0
        assert validate_submission(paper / f"{fig}_hepdata") == []
        assert (paper / f"{fig}_hepdata.zip").stat().st_size > 0
    assert len(read_figure1_csv(paper / "fig_branching.csv")) == 9  # the figure's mass grid
    _, tables = read_submission(paper / "fig_dipole_hepdata")
    assert len(tables) == 5  # one per curve, drawn or not
    with (paper / "fig_dipole.csv").open() as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    kinds = {(r["experiment"], r["kind"]) for r in rows}
    assert ("babar", "bound") in kinds and ("na62", "sensitivity") in kinds
    assert all(np.isfinite(float(r["coupling_low"])) and np.isfinite(float(r["coupling_high"])) for r in rows)
    with (paper / "fig_scalar.csv").open() as fh:
        scalar = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    lep = [r for r in scalar if r["experiment"] == "lep-monophoton"]
    assert lep and {(r["coupling_low"], r["kind"]) for r in lep} == {("200.0", "bound")}  # the EFT floor
    assert any(r["experiment"] == "upsilon-invisible" for r in scalar)


@pytest.mark.slow
def test_tiny_paper_collider_scan_metadata(tiny_paper):
    scan = ScanResult.load(tiny_paper / "results" / "scans" / "faser" / "idm-dipole" / "delta-0.1.npz")
    meta = scan.metadata
    assert meta["exposure_unit"] == "fb^-1" and meta["hemisphere_factor"] == 0.5
    assert meta["level"] == 2.3 and meta["importance_sampling"]["keep_fraction"] == 0.2
    assert scan.interactions_per_exposure == pytest.approx(110.69e12)
    # per_interaction x (3000 fb^-1 x 110.69 mb) is what the contour stage uses
    np.testing.assert_allclose(scan.events(3000.0), scan.per_interaction * 3000.0 * 110.69e12)
    generated = ScanResult.load(
        tiny_paper / "results" / "scans" / "mathusla" / "inelastic-scalar" / "axis-delta_m2-0.3.npz"
    )
    assert generated.mass_parameter == "delta" and generated.mass_unit == ""
    mult = generated.metadata["mesons_per_interaction"]
    assert generated.metadata["multiplicity_table"] == "generated"
    assert 20.0 < mult["pi0"] < 80.0  # PYTHIA 8 at 14 TeV: ~43 pi0 per inelastic event


@pytest.mark.slow
def test_tiny_paper_bounds_levels(tiny_paper):
    charm2 = ScanResult.load(tiny_paper / "results" / "scans" / "charm2" / "idm-dipole" / "delta-0.1.npz")
    assert charm2.metadata["level"] == pytest.approx(1.6448536269514722 * np.sqrt(5429), rel=1e-9)
    assert charm2.metadata["n_events"] == 2000  # the experiment's events_per_mass overrides scan.events_per_mass
    babar = ScanResult.load(tiny_paper / "results" / "scans" / "babar" / "idm-dipole" / "delta-0.1.npz")
    assert babar.metadata["level"] == 10.0 and babar.metadata["exposure_unit"] == "fb^-1"
    assert np.all(np.isfinite(babar.per_interaction)) and babar.per_interaction.max() > 0
    contours = tiny_paper / "results" / "contours" / "mathusla" / "inelastic-scalar"
    table = read_contour_table(contours / "axis-delta_m2-0.3.csv")
    assert table.mass_label.startswith("delta []")
    bench = table.benchmark
    assert bench == {"axis": "delta", "m2": 0.3}
    assert table.experiment == "mathusla" and table.exposure_unit == "fb^-1" and table.level == 2.3


def test_tiny_paper_config_matches_schema():
    cfg = yaml.safe_load(TINY_PAPER.read_text())
    load_config(TINY_PAPER)
    frames = {b["frame"] for b in cfg["beams"].values()}
    assert frames == {"fixed_target", "collider", "electron_positron"}


@pytest.mark.slow
@pytest.mark.parametrize("experiment", ["faser", "mathusla", "charm2", "babar", "ship"])
def test_cli_reach_every_frame(tiny_paper, experiment, capsys):
    """`darkreach reach --experiment NAME` on collider, bound, e+e- and exact-geometry experiments."""
    from darkreach.cli import main

    argv = reach_argv(
        experiment, m1="0.1", delta="0.1", config=TINY_PAPER, results=tiny_paper / "results", events="2000"
    )
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    cfg = load_config(TINY_PAPER)
    exp = cfg["experiments"][experiment]
    assert out["experiment"] == experiment and out["exposure"] == max(exp["exposures"])
    assert out["exposure_unit"] == ("POT" if cfg["beams"][exp["beam"]]["frame"] == "fixed_target" else "fb^-1")
    assert math.isfinite(out["max_events"]) and out["max_events"] >= 0
    assert out["level"] > 0
    for lo, hi in out["intervals"]:
        assert 0 < lo < hi
    if experiment == "babar":
        assert out["acceptance"] is None and out["level"] == 10.0
        assert len(out["intervals"]) == 1  # N grows as d^2 at large d: only a lower edge inside the range


def test_cli_default_config_knows_every_paper_experiment():
    from darkreach.cli import build_parser

    args = build_parser().parse_args(
        ["reach", "--model", "idm-dipole", "--experiment", "x", "--m1", "1", "--delta", "0.1"]
    )
    assert Path(args.config).resolve() == PAPER_CONFIG.resolve()


@pytest.mark.slow
def test_tiny_paper_report(tiny_paper, tmp_path):
    """`snakemake --report` of the paper run: figures, CSVs and HEPData records under "Paper figures", captions
    rendered with the figure's name."""
    report = tmp_path / "report.html"
    run_snakemake(tiny_paper, "--report", str(report), config=TINY_PAPER)
    html = report.read_text()
    assert report.stat().st_size > 100_000  # the figures are embedded
    for fig in ("fig_dipole", "fig_scalar"):
        for suffix in (".png", ".csv", "_hepdata.zip"):
            assert f"results/paper/{fig}{suffix}" in html, fig + suffix
        for caption in ("Paper figure", "Every contour drawn in", "HEPData record of"):
            assert re.search(rf'{caption} <tt class=\\"docutils literal\\">{fig}</tt>', html), (caption, fig)
    for suffix in (".png", ".csv", "_hepdata.zip"):  # the branching figure, by the same rule and captions
        assert f"results/paper/fig_branching{suffix}" in html, suffix
    for caption in ("Paper figure", "Every branching ratio drawn in", "HEPData record of"):
        assert re.search(rf'{caption} <tt class=\\"docutils literal\\">fig_branching</tt>', html), caption
    assert "Paper figures" in html and "Sensitivity" in html


@pytest.mark.slow
def test_tiny_paper_parton_production(tiny_paper):
    """A partons-only experiment scans without meson samples, reading the beam's parton sample (rules
    generate_partons and merge_partons: 2 shards of 400 events), and the production figure has all five outputs."""
    scan = ScanResult.load(
        tiny_paper / "results" / "scans" / "mathusla_partons" / "inelastic-scalar" / "axis-delta_m2-0.3.npz"
    )
    assert scan.metadata["partons"]["n_events"] == 800 and scan.metadata["partons"]["sqrt_s_gev"] == 14000.0
    assert len(list((tiny_paper / "results" / "partons" / "lhc14").glob("partons-*.root"))) == 1
    assert len(scan.metadata["parton_sigma_pb"]) == scan.masses.size
    assert all(s > 0.0 for s in scan.metadata["parton_sigma_pb"]) and np.all(np.isfinite(scan.per_interaction))
    paper = tiny_paper / "results" / "paper"
    for ext in (".png", ".pdf", ".csv", "_hepdata.zip"):
        assert (paper / f"fig_production{ext}").stat().st_size > 0
    assert validate_submission(paper / "fig_production_hepdata") == []
