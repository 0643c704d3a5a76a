"""The workflow through a real single-node SLURM on localhost (workflow/scripts/local_slurm.sh).

Needs root, apt (Debian's slurm-wlm and munge are installed if missing) and the `slurm` extra
(snakemake-executor-plugin-slurm); takes about four minutes. Skipped unless DARKREACH_SLURM_TEST=1, which .ci/run sets.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import REPO, SNAKEMAKE

pytestmark = [pytest.mark.slurm, pytest.mark.slow]

SCRIPT = REPO / "workflow" / "scripts" / "local_slurm.sh"


@pytest.mark.skipif(
    os.environ.get("DARKREACH_SLURM_TEST") != "1",
    reason="starts SLURM daemons as root (apt-get install slurm-wlm munge); set DARKREACH_SLURM_TEST=1 to run",
)
def test_tiny_workflow_through_local_slurm(tmp_path: Path) -> None:
    pytest.importorskip("snakemake_executor_plugin_slurm", reason="pip install -e '.[slurm]'")
    if os.geteuid() != 0:
        pytest.skip("local_slurm.sh needs root")
    workdir = tmp_path / "run"
    # short: the munge socket lives in here, and Unix socket paths are limited to ~100 characters
    state = Path(tempfile.mkdtemp(prefix="darkreach-slurm-", dir="/tmp"))
    env = {
        **os.environ,
        "SNAKEMAKE": str(SNAKEMAKE),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DARKREACH_SLURM_STATE": str(state),
        "DARKREACH_SLURM_WORKDIR": str(workdir),
        "PYTHONHASHSEED": "0",
    }
    try:
        proc = subprocess.run(
            ["bash", str(SCRIPT), "run"], capture_output=True, text=True, env=env, timeout=900, cwd=tmp_path
        )
        # the daemons were stopped by the script's trap
        assert not list((state / "run").glob("*.pid")), "SLURM daemons left running"
    finally:
        if list((state / "run").glob("*.pid")):  # e.g. after the timeout: stop the daemons by their PID files
            subprocess.run(["bash", str(SCRIPT), "stop"], env=env, capture_output=True, timeout=60)
        shutil.rmtree(state, ignore_errors=True)
    assert proc.returncode == 0, f"local_slurm.sh failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    match = re.search(r"slurm_jobs=(\d+)", proc.stdout)
    # 4 PYTHIA shards and 2 scans through sbatch; merges, contours and plots are localrules (Snakefile)
    assert match and int(match.group(1)) == 6, proc.stdout
    log = (workdir / "snakemake.log").read_text()
    assert "has been submitted with SLURM jobid" in log
    slurm_logs = list((workdir / ".snakemake" / "slurm_logs").rglob("*.log"))
    assert len(slurm_logs) == 6, slurm_logs
    assert (workdir / "results" / "figures" / "idm-dipole.png").stat().st_size > 1000
