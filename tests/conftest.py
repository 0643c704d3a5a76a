"""Shared fixtures and helpers: the tiny end-to-end workflow run (once per session), repository paths, the
command line (``darkreach reach`` arguments, a command's JSON answer) and the Dalitz-plot range of the tests'
independent width integrations."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_CONFIG = REPO / ".test" / "config.yaml"
SNAKEMAKE = Path(sys.executable).with_name("snakemake")


def run_snakemake(
    workdir: Path, *args: str, config: Path = TEST_CONFIG, check: bool = True
) -> subprocess.CompletedProcess:
    """Run the repository's workflow in ``workdir`` with ``config``; returns the completed process."""
    # the form the README shows: targets after `--configfile=FILE`
    cmd = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--cores", "2", f"--configfile={config}", *args]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, env=env, timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc


def reach_argv(experiment: str, *, model: str = "idm-dipole", json_output: bool = True, **options: Any) -> list[str]:
    """The arguments of ``darkreach reach --model MODEL --experiment EXPERIMENT``, then ``--name value`` for each
    option in the order given (``sample_events=321`` -> ``--sample-events 321``; values as ``str``), then
    ``--json`` unless ``json_output`` is False."""
    argv = ["reach", "--model", model, "--experiment", experiment]
    for name, value in options.items():
        argv += [f"--{name.replace('_', '-')}", str(value)]
    return [*argv, "--json"] if json_output else argv


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    """The JSON answer of ``darkreach ARGV --json`` run in-process, which must succeed (exit status 0)."""
    from darkreach.cli import main

    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def m23_range(s12: float, big_m: float, ma: float, mb: float, mc: float) -> tuple[float, float]:
    """Range of m_bc^2 at fixed m_ab^2 = s12 in big_m -> a b c (PDG kinematics review, eq. 49.23), written here
    independently of :func:`darkreach.kinematics.decays.dalitz_m12_limits`."""
    r = math.sqrt(s12)
    eb = (s12 - ma**2 + mb**2) / (2.0 * r)
    ec = (big_m**2 - s12 - mc**2) / (2.0 * r)
    pb = math.sqrt(max(eb * eb - mb * mb, 0.0))
    pc = math.sqrt(max(ec * ec - mc * mc, 0.0))
    return (eb + ec) ** 2 - (pb + pc) ** 2, (eb + ec) ** 2 - (pb - pc) ** 2


def synthetic_mesons(
    keys: tuple[str, ...], n: int, seed: int, *, pz_mean: float, pt_mean: float, pz_min: float = 0.0
) -> dict[str, Any]:
    """Forward meson samples without PYTHIA, one per species in ``keys``: unit weights, p_z = pz_min + an
    exponential of mean ``pz_mean``, p_T exponential of mean ``pt_mean``, azimuth uniform (GeV; one seeded stream
    drawn in that order, species by species)."""
    import numpy as np

    from darkreach.sensitivity.yields import MesonKinematics

    rng = np.random.default_rng(seed)
    out = {}
    for key in keys:
        pz = rng.exponential(pz_mean, n) + pz_min
        pt = rng.exponential(pt_mean, n)
        phi = rng.uniform(0.0, 2.0 * math.pi, n)
        out[key] = MesonKinematics(np.column_stack([pt * np.cos(phi), pt * np.sin(phi), pz]), np.ones(n))
    return out


@pytest.fixture(scope="session")
def tiny_workflow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Working directory in which the tiny config (.test/config.yaml) has been run to completion."""
    workdir = tmp_path_factory.mktemp("tiny_workflow")
    run_snakemake(workdir)
    return workdir


@pytest.fixture(scope="session")
def reference_partons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small reference parton sample at sqrt(s) = 14 TeV (darkreach.production.partons.reference): 4,000 events,
    seed 5, in two shards merged (about 5 s)."""
    from darkreach.production.partons.sample_file import generate_parton_file, merge_parton_shards

    folder = tmp_path_factory.mktemp("partons")
    shards = [folder / f"s{i}.root" for i in range(2)]
    for i, shard in enumerate(shards):
        generate_parton_file(14000.0, 2000, 5 + i, 4.0, False, shard, beam="lhc14")
    merge_parton_shards(shards, folder / "merged.root")
    return folder / "merged.root"
