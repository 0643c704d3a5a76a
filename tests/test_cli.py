"""The darkreach command line: JSON outputs against the library, errors and exit codes."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from darkreach.cli import main
from darkreach.constants import HBARC_GEV_M
from darkreach.models import get_model
from darkreach.models.idm_dipole import chi2_width

from conftest import TEST_CONFIG

DARKREACH = Path(sys.executable).with_name("darkreach")


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_lifetime_matches_eq_a1(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "lifetime", "--model", "idm-dipole", "--m1", "0.5", "--delta", "0.1", "--coupling", "1e-5")
    width = chi2_width(0.5, 0.1, 1e-5)
    assert out["width_gev"] == pytest.approx(width, rel=1e-12)
    assert out["ctau_m"] == pytest.approx(HBARC_GEV_M / width, rel=1e-12)


def test_br_matches_model_and_closes_at_threshold(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "br", "--model", "idm-dipole", "--meson", "jpsi", "--m1", "0.5", "--delta", "0.1",
                   "--coupling", "1e-5")
    model = get_model("idm-dipole")
    assert out["br"] == pytest.approx(model.branching_ratio("jpsi", {"m1": 0.5, "delta": 0.1}, 1e-5), rel=1e-12)
    # M1 + M2 = 2.1 M1 > M_J/psi for M1 = 1.5 GeV: closed, exactly 0
    out = run_json(capsys, "br", "--model", "idm-dipole", "--meson", "jpsi", "--m1", "1.5", "--delta", "0.1",
                   "--coupling", "1e-5")
    assert out["br"] == 0.0


@pytest.mark.parametrize(
    "argv",
    [
        ["lifetime", "--model", "idm-dipole", "--m1", "-1", "--delta", "0.1", "--coupling", "1e-5"],
        ["lifetime", "--model", "idm-dipole", "--m1", "1", "--delta", "0", "--coupling", "1e-5"],
        ["lifetime", "--model", "idm-dipole", "--m1", "1", "--delta", "0.1", "--coupling", "-1e-5"],
        ["lifetime", "--model", "idm-dipole", "--m1", "1", "--coupling", "1e-5"],
        ["lifetime", "--model", "no-such-model", "--m1", "1", "--delta", "0.1", "--coupling", "1e-5"],
        ["br", "--model", "idm-dipole", "--meson", "kaon", "--m1", "1", "--delta", "0.1", "--coupling", "1e-5"],
        ["reach", "--model", "idm-dipole", "--experiment", "lhcb", "--m1", "1", "--delta", "0.1"],
        ["reach", "--model", "idm-dipole", "--experiment", "na62", "--m1", "1", "--delta", "0.1", "--npot", "0"],
        ["reach", "--model", "idm-dipole", "--experiment", "na62", "--m1", "1", "--delta", "0.1", "--acceptance", "x"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv: list[str]) -> None:
    proc = subprocess.run([str(DARKREACH), *argv], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("darkreach: error:"), proc.stderr


@pytest.mark.slow
def test_reach_uses_workflow_samples(tiny_workflow: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = tiny_workflow / "results"
    common = ["reach", "--model", "idm-dipole", "--experiment", "na62", "--m1", "0.1", "--delta", "0.1",
              "--results", str(results), "--events", "5000", "--seed", "3", "--config", str(TEST_CONFIG)]
    out = run_json(capsys, *common)
    assert out["scan_variable"] == "d" and out["scan_unit"] == "GeV^-1"
    assert len(out["intervals"]) == 1
    lo, hi = out["intervals"][0]
    assert 1e-8 < lo < hi < 1e-2
    # more protons: the interval widens on both sides (lower edge ~ N^-1/4, upper edge logarithmically)
    wide = run_json(capsys, *common, "--npot", "1e20")
    assert wide["intervals"][0][0] < lo and wide["intervals"][0][1] > hi
    # deterministic
    again = run_json(capsys, *common)
    assert again["intervals"] == out["intervals"]
    # a mass where every production channel is closed: no interval, no error
    none = run_json(capsys, *common[:6], "6.0", *common[7:])
    assert none["intervals"] == [] and none["max_events"] == 0.0
    # the exact acceptance mode runs too and gives a comparable reach
    exact = run_json(capsys, *common, "--acceptance", "exact")
    assert exact["acceptance"] == "exact"
    assert math.isclose(math.log10(exact["intervals"][0][0]), math.log10(lo), abs_tol=0.3)


def test_every_generator_process_has_a_cli_sample_size() -> None:
    """`reach` generates missing samples itself: it must know a default size for every allowed process."""
    from darkreach.cli import CLI_SAMPLE_EVENTS
    from darkreach.config import load_schema

    schema = load_schema()
    generator = schema["properties"]["beams"]["additionalProperties"]["properties"]["generators"]
    processes = generator["additionalProperties"]["properties"]["process"]["enum"]
    assert set(processes) <= set(CLI_SAMPLE_EVENTS)
