"""Shared fixtures: the tiny end-to-end workflow run (once per session) and repository paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


@pytest.fixture(scope="session")
def tiny_workflow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Working directory in which the tiny config (.test/config.yaml) has been run to completion."""
    workdir = tmp_path_factory.mktemp("tiny_workflow")
    run_snakemake(workdir)
    return workdir
