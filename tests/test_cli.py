"""The darkreach command line: JSON outputs against the library, errors and exit codes."""

from __future__ import annotations

import json
import math
import shlex
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TEST_CONFIG, reach_argv, run_json

from darkreach.cli import build_parser, main
from darkreach.cli import common as cli  # the helpers the subcommands share (monkeypatched below)
from darkreach.constants import HBARC_GEV_M
from darkreach.models import get_model
from darkreach.models.idm_dipole import chi2_width

DARKREACH = Path(sys.executable).with_name("darkreach")


def test_lifetime_matches_eq_a1(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "lifetime", "--model", "idm-dipole", "--m1", "0.5", "--delta", "0.1", "--coupling", "1e-5")
    width = chi2_width(0.5, 0.1, 1e-5)
    assert out["width_gev"] == pytest.approx(width, rel=1e-12)
    assert out["ctau_m"] == pytest.approx(HBARC_GEV_M / width, rel=1e-12)


def test_br_matches_model_and_closes_at_threshold(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(
        capsys, "br", "--model", "idm-dipole", "--meson", "jpsi", "--m1", "0.5", "--delta", "0.1", "--coupling", "1e-5"
    )
    model = get_model("idm-dipole")
    assert out["br"] == pytest.approx(model.branching_ratio("jpsi", {"m1": 0.5, "delta": 0.1}, 1e-5), rel=1e-12)
    # M1 + M2 = 2.1 M1 > M_J/psi for M1 = 1.5 GeV: closed, exactly 0
    out = run_json(
        capsys, "br", "--model", "idm-dipole", "--meson", "jpsi", "--m1", "1.5", "--delta", "0.1", "--coupling", "1e-5"
    )
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
    options = {"m1": "0.1", "delta": "0.1", "results": results, "events": "5000", "seed": "3", "config": TEST_CONFIG}
    common = reach_argv("na62", json_output=False, **options)
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
    none = run_json(capsys, *reach_argv("na62", json_output=False, **{**options, "m1": "6.0"}))
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


# ----------------------------------------------------------------- conventions: version, python -m, errors, help

LIFETIME = ["lifetime", "--model", "idm-dipole", "--m1", "0.5", "--delta", "0.1", "--coupling", "1e-5"]
COMMANDS = ["lifetime", "br", "reach", "check"]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"darkreach {version('darkreach')}\n"


def test_python_m_darkreach_is_the_darkreach_command() -> None:
    def run(*command: str) -> subprocess.CompletedProcess:
        return subprocess.run(list(command), capture_output=True, text=True, timeout=120)

    proc = run(sys.executable, "-m", "darkreach", "--version")
    assert proc.returncode == 0 and proc.stdout == f"darkreach {version('darkreach')}\n"
    via_m = run(sys.executable, "-m", "darkreach", *LIFETIME, "--json")
    via_script = run(str(DARKREACH), *LIFETIME, "--json")
    assert via_m.returncode == via_script.returncode == 0
    assert json.loads(via_m.stdout) == json.loads(via_script.stdout)
    assert run(sys.executable, "-m", "darkreach", "lifetime", "--model", "idm-dipole").returncode == 2


@pytest.mark.parametrize(
    "argv",
    [
        # rejected by argparse itself, --json before the bad value
        ["reach", "--json", "--m1", "abc", "--model", "idm-dipole", "--experiment", "babar", "--delta", "0.1"],
        reach_argv("babar", m1="0.1", delta="0.1", sample_events="0"),
        ["lifetime", "--js", "--model", "idm-dipole", "--m1", "0.5", "--delta", "0.1"],  # abbreviated --json
        ["--json"],  # no subcommand
        # rejected after parsing
        ["lifetime", "--model", "idm-dipole", "--m1", "-1", "--delta", "0.1", "--coupling", "1e-5", "--json"],
        ["reach", "--model", "idm-dipole", "--experiment", "lhcb", "--m1", "1", "--delta", "0.1", "--json"],
        ["reach", "--model", "sterile-dipole", "--experiment", "babar", "--m1", "0.1", "--flavour", "mu", "--json"],
        reach_argv("babar", m1="0.1", delta="0.1", config="no-such-config.yaml"),
        ["check", "no-such-config.yaml", "--json"],
    ],
)
def test_usage_error_under_json_is_one_object_on_stdout(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.count("\n") == 1
    error = json.loads(captured.out)["error"]
    assert error["type"] == "usage" and error["exit_status"] == 2 and error["message"]


def test_argparse_error_under_json_from_the_shell() -> None:
    argv = ["reach", "--json", "--m1", "abc", "--model", "idm-dipole", "--experiment", "babar", "--delta", "0.1"]
    proc = subprocess.run([str(DARKREACH), *argv], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert json.loads(proc.stdout) == {
        "error": {"type": "usage", "message": "argument --m1: invalid float value: 'abc'", "exit_status": 2}
    }


def test_runtime_failure_exits_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.delenv("DARKREACH_DEBUG", raising=False)
    monkeypatch.setattr(cli, "_coupling", boom)  # called by cmd_lifetime
    assert main(LIFETIME) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "darkreach: error: RuntimeError: boom\n"

    assert main([*LIFETIME, "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    assert json.loads(captured.out) == {"error": {"type": "runtime", "message": "RuntimeError: boom", "exit_status": 1}}

    monkeypatch.setenv("DARKREACH_DEBUG", "1")  # the traceback, then the same line
    assert main(LIFETIME) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback") and err.endswith("\ndarkreach: error: RuntimeError: boom\n")


def test_sample_events_sizes_the_generated_sample_and_a_corrupt_one_is_a_runtime_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--sample-events reaches generation, each size gets its own cache file, and a sample that cannot be read
    is a runtime failure (exit 1). PYTHIA is replaced by a stub that writes junk."""
    import darkreach.production.meson_beams.pythia as pythia_mesons

    made: list[int] = []

    def fake_shard(settings: object, n_events: int, seed: int, path: Path) -> None:
        made.append(n_events)
        Path(path).write_bytes(b"not a ROOT file")

    monkeypatch.setattr(pythia_mesons, "generate_shard", fake_shard)
    argv = reach_argv("na62", m1="0.3", delta="0.01", results=tmp_path, events="500")
    assert build_parser().parse_args(argv).sample_events is None
    assert main([*argv, "--sample-events", "321"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["type"] == "runtime" and error["exit_status"] == 1
    first = sorted(tmp_path.rglob("*.root"))
    assert made and set(made) == {321} and len(first) == len(made)
    assert all("-n321" in p.name for p in first)

    made.clear()
    assert main([*argv, "--sample-events", "654"]) == 1  # another size never reuses the 321-event files
    capsys.readouterr()
    assert set(made) == {654} and len(list(tmp_path.rglob("*.root"))) == 2 * len(first)

    made.clear()
    assert main(argv) == 1  # default: the per-process sizes
    capsys.readouterr()
    assert made and set(made) <= set(cli.CLI_SAMPLE_EVENTS.values())


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main([*argv, "--help"]) == 0
    return capsys.readouterr().out


def _examples(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("example"))
    return [line.strip() for line in lines[start + 1 :] if line.startswith("  darkreach ")]


def test_every_help_ends_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    top = _help(capsys)
    assert "examples:" in top
    for command in COMMANDS:
        assert f"    {command} " in top
        text = _help(capsys, command)
        examples = _examples(text)
        assert "example:" in text and len(examples) == 1
        assert examples[0].split()[1] == command and text.rstrip().endswith(examples[0])
        assert examples[0] in _examples(top)


def test_help_examples_run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Every example of every --help works; a reach example that needs PYTHIA samples must at least parse."""
    from darkreach.config import load_config

    monkeypatch.chdir(REPO)
    examples = set(_examples(_help(capsys)))
    for command in COMMANDS:
        examples.update(_examples(_help(capsys, command)))
    assert len(examples) >= len(COMMANDS)
    for example in sorted(examples):
        argv = shlex.split(example)[1:]
        args = build_parser().parse_args(argv)
        if args.command == "reach":
            cfg = load_config(args.config)
            if cfg["beams"][cfg["experiments"][args.experiment]["beam"]]["frame"] != "electron_positron":
                continue
        assert main(argv) == 0, example
        out = capsys.readouterr().out
        if args.json:
            json.loads(out)


def test_check_valid_config(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(REPO / "config" / "config.yaml")
    cfg = yaml.safe_load(Path(path).read_text())
    assert main(["check", path]) == 0
    n_exp, n_models = len(cfg["experiments"]), len(cfg["models"])
    assert capsys.readouterr().out == f"{path}: valid ({n_exp} experiments, {n_models} models)\n"
    assert run_json(capsys, "check", path) == {
        "config": path,
        "valid": True,
        "experiments": sorted(cfg["experiments"]),
        "models": sorted(cfg["models"]),
    }


def test_check_broken_config_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    experiment = sorted(cfg["experiments"])[0]
    cfg["experiments"][experiment]["exposures"] = [-1.0]
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(cfg))
    key = f"experiments.{experiment}.exposures"

    assert main(["check", str(broken)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("darkreach: error:") and key in captured.err

    assert main(["check", str(broken), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["type"] == "usage" and error["exit_status"] == 2
    assert key in error["message"] and "-1" in error["message"]
