"""End-to-end: the Snakemake workflow on the tiny config, targets by name, determinism, bad config."""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import TEST_CONFIG, run_snakemake

pytestmark = pytest.mark.slow


def _contour_rows(path: Path) -> list[dict[str, str]]:
    with path.open() as fh:
        header = json.loads(fh.readline().removeprefix("# "))  # the JSON header line of darkreach.output.tables
        assert header["table"] == "contours" and header["model"] == "idm-dipole"
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def test_outputs_exist_and_are_physical(tiny_workflow: Path) -> None:
    res = tiny_workflow / "results"
    for exp in ("na62", "hike"):
        rows = _contour_rows(res / "contours" / exp / "idm-dipole" / "delta-0.1.csv")
        assert rows, f"{exp}: no contour rows"
        for row in rows:
            lo, hi = float(row["coupling_low"]), float(row["coupling_high"])
            assert 0 < lo < hi and math.isfinite(hi)
        assert (res / "grids" / exp / "idm-dipole" / "delta-0.1.csv").stat().st_size > 0
        for ext in ("png", "pdf"):
            assert (res / "figures" / "idm-dipole" / f"{exp}.{ext}").stat().st_size > 1000
    assert (res / "figures" / "idm-dipole.png").stat().st_size > 1000
    for log in (tiny_workflow / "logs").rglob("*.log"):
        assert "Traceback" not in log.read_text(), log


def test_grid_has_no_nan_and_scales_with_exposure(tiny_workflow: Path) -> None:
    path = tiny_workflow / "results" / "grids" / "na62" / "idm-dipole" / "delta-0.1.csv"
    with path.open() as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    n = {(r["exposure"], r["m1"], r["d"]): float(r["n_events"]) for r in rows}
    values = np.array(list(n.values()))
    assert np.all(np.isfinite(values)) and np.all(values >= 0)
    # N is linear in N_POT (eq. 4.2 of paper 000)
    pairs = [(v, n[("1e+18", m, d)]) for (e, m, d), v in n.items() if e == "1e+17" and v > 0]
    assert pairs
    for v17, v18 in pairs:
        assert v18 == pytest.approx(10 * v17, rel=1e-6)


def test_exposure_ordering_of_contours(tiny_workflow: Path) -> None:
    """More protons on target reach smaller couplings: the 1e18 lower edge lies below the 1e17 one."""
    rows = _contour_rows(tiny_workflow / "results" / "contours" / "na62" / "idm-dipole" / "delta-0.1.csv")
    low = {}
    for r in rows:
        if r["interval"] == "0":
            low[(r["exposure"], r["mass"])] = float(r["coupling_low"])
    common = [m for (e, m) in low if e == "1e+17" and ("1e+18", m) in low]
    assert common
    for m in common:
        assert low[("1e+18", m)] < low[("1e+17", m)]


def test_multiplicity_table(tiny_workflow: Path) -> None:
    (table,) = (tiny_workflow / "results" / "mesons" / "sps400").glob("multiplicities-*.csv")
    with table.open() as fh:
        rows = {r["species"]: r for r in csv.DictReader(line for line in fh if not line.startswith("#"))}
    assert set(rows) == {"pi0", "eta", "etap", "rho", "omega", "phi", "jpsi", "upsilon"}
    assert float(rows["pi0"]["table1_paper000"]) == 4.3


def test_job_benchmarks_record_memory(tiny_workflow: Path) -> None:
    tsvs = list((tiny_workflow / "results" / "benchmarks").rglob("*.tsv"))
    assert len(tsvs) >= 9
    for tsv in tsvs:
        with tsv.open() as fh:
            row = next(csv.DictReader(fh, delimiter="\t"))
        assert float(row["max_rss"]) < 4000.0, f"{tsv}: {row['max_rss']} MB"


def test_experiment_target_is_deterministic(tiny_workflow: Path, tmp_path: Path) -> None:
    """`snakemake na62` in a fresh folder rebuilds NA62 only, byte-identical to the full run."""
    proc = run_snakemake(tmp_path, "na62")
    assert "hike" not in proc.stdout + proc.stderr or not (tmp_path / "results" / "contours" / "hike").exists()
    assert not (tmp_path / "results" / "contours" / "hike").exists()
    # byte-identical but for the git commit of the provenance, which gains "-dirty" if the tree is edited between
    # the two runs (a developer editing while the suite runs); on a clean checkout (CI) it is identical too
    dirty = re.compile(rb'("git_commit": "[0-9a-f]{40})(-dirty)?"')
    for sub in ("contours", "grids"):
        a = tiny_workflow / "results" / sub / "na62" / "idm-dipole" / "delta-0.1.csv"
        b = tmp_path / "results" / sub / "na62" / "idm-dipole" / "delta-0.1.csv"
        assert dirty.sub(rb'\1"', a.read_bytes()) == dirty.sub(rb'\1"', b.read_bytes()), sub


def test_dry_run_lists_jobs(tmp_path: Path) -> None:
    proc = run_snakemake(tmp_path, "-n", "hike")
    out = proc.stdout + proc.stderr
    for rule in ("generate_mesons", "merge_mesons", "scan", "contours", "plot_experiment"):
        assert rule in out


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda c: c["models"]["idm-dipole"]["benchmarks"].append({"delta": -0.1}), "delta must be positive"),
        (lambda c: c["targets"]["experiments"].append("nowhere"), "unknown experiment 'nowhere'"),
        (lambda c: c["experiments"]["na62"].update(exposures=[-1.0]), "experiments.na62.exposures.0"),
        (lambda c: c["scan"].update(mass_gev=[1.0, 0.5]), "scan.mass_gev"),
        (lambda c: c["scan"].update(unknown_key=1), "unknown_key"),
    ],
)
def test_bad_config_stops_before_any_job(tmp_path: Path, mutate, expected: str) -> None:
    cfg = yaml.safe_load(TEST_CONFIG.read_text())
    mutate(cfg)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(cfg))
    proc = run_snakemake(tmp_path, config=bad, check=False)
    assert proc.returncode != 0
    assert expected in proc.stdout + proc.stderr
    assert not (tmp_path / "results").exists()


def test_missing_meson_file_is_a_clear_error(tiny_workflow: Path, tmp_path: Path) -> None:
    """A corrupt merged meson file makes the scan fail with a message naming the file."""
    work = tmp_path / "w"
    shutil.copytree(tiny_workflow / "results" / "mesons", work / "results" / "mesons")
    (sample,) = (work / "results" / "mesons" / "sps400").glob("charmonium-*.root")
    sample.write_bytes(b"not a root file")
    proc = run_snakemake(work, "results/scans/na62/idm-dipole/delta-0.1.npz", check=False)
    assert proc.returncode != 0
    log = (work / "logs" / "scan" / "na62" / "idm-dipole" / "delta-0.1.log").read_text()
    assert sample.name in log
