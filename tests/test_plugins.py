"""Plugins: a toy package defined in one file (tests/plugin_toy/toy_model.py) adds a model, a geometry and a
matrix element through entry points, and runs through the CLI and a tiny workflow without editing darkreach.

The package is installed into a temporary folder the way ``pip install --no-deps --target DIR
tests/plugin_toy`` does (the module plus a dist-info with the entry points of its pyproject.toml; written here
directly so that the test needs no build backend or network), and that folder is put on the PYTHONPATH of the
subprocesses only: the test process's own registries never see the toy.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import REPO, SNAKEMAKE

from darkreach.constants import ALPHA_EM, HBARC_GEV_M
from darkreach.mesons import MESONS

TOY = REPO / "tests" / "plugin_toy"
DARKREACH = Path(sys.executable).with_name("darkreach")
M_E = 0.51099895e-3


def install_toy(target: Path) -> Path:
    """Install the toy package (module + dist-info with its entry points) into ``target``; return ``target``."""
    project = tomllib.loads((TOY / "pyproject.toml").read_text())["project"]
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(TOY / "toy_model.py", target / "toy_model.py")
    dist = target / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    groups = project["entry-points"]
    (dist / "entry_points.txt").write_text(
        "".join(
            f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) + "\n" for group, eps in groups.items()
        )
    )
    (dist / "RECORD").write_text("")
    return target


@pytest.fixture(scope="module")
def toy_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of a subprocess that sees the installed toy plugin."""
    site = install_toy(tmp_path_factory.mktemp("toy_site") / "site")
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "PYTHONHASHSEED": "0"}


def run(env: dict[str, str], *argv: str, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)


def darkreach_json(env: dict[str, str], *argv: str) -> dict:
    proc = run(env, str(DARKREACH), *argv, "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def test_pyproject_declares_both_entry_point_groups() -> None:
    groups = tomllib.loads((TOY / "pyproject.toml").read_text())["project"]["entry-points"]
    assert groups == {
        "darkreach.models": {"toy": "toy_model:ToyDarkPhoton"},
        "darkreach.geometries": {"toy_sphere": "toy_model:Sphere"},
    }


def test_plugin_absent_from_this_process() -> None:
    from darkreach.detectors.geometry import geometry_types
    from darkreach.models import model_names

    assert "toy" not in model_names() and "toy_sphere" not in geometry_types()


def test_toy_model_through_the_cli(toy_env: dict[str, str]) -> None:
    """lifetime and br of the plugin model, with its own options (--mx, --lepton, --epsilon), against the
    closed forms of its module docstring; thresholds are exact."""
    mx, eps = 0.05, 1e-5
    out = darkreach_json(toy_env, "lifetime", "--model", "toy", "--mx", str(mx), "--lepton", "e", "--epsilon", str(eps))
    r = M_E**2 / mx**2
    width = eps**2 * ALPHA_EM * mx / 3.0 * (1.0 + 2.0 * r) * math.sqrt(1.0 - 4.0 * r)
    assert out["model"] == "toy" and out["mx"] == mx and out["lepton"] == "e" and out["epsilon"] == eps
    assert out["width_gev"] == pytest.approx(width, rel=1e-12)
    assert out["ctau_m"] == pytest.approx(HBARC_GEV_M / width, rel=1e-12)
    # below the muon-pair threshold X is stable
    assert (
        darkreach_json(toy_env, "lifetime", "--model", "toy", "--mx", "0.2", "--lepton", "mu", "--epsilon", "1e-5")[
            "width_gev"
        ]
        == 0.0
    )

    pi0 = MESONS["pi0"]
    br = darkreach_json(
        toy_env, "br", "--model", "toy", "--meson", "pi0", "--mx", str(mx), "--lepton", "e", "--epsilon", str(eps)
    )["br"]
    dark = eps**2 * 2.0 * (1.0 - mx**2 / pi0.mass**2) ** 3 * pi0.br_gammagamma * pi0.width
    assert br == pytest.approx(dark / (pi0.width + dark), rel=1e-12)
    closed = darkreach_json(
        toy_env, "br", "--model", "toy", "--meson", "pi0", "--mx", "0.2", "--lepton", "e", "--epsilon", str(eps)
    )
    assert closed["br"] == 0.0

    # the plugin's options are declared by its ParameterSpecs: wrong ones are usage errors
    bad = run(
        toy_env, str(DARKREACH), "lifetime", "--model", "toy", "--mx", "0.05", "--lepton", "tau", "--epsilon", "1"
    )
    assert bad.returncode == 2 and "invalid choice: 'tau'" in bad.stderr
    bad = run(toy_env, str(DARKREACH), "lifetime", "--model", "toy", "--mx", "0.05", "--lepton", "e", "--coupling", "1")
    assert bad.returncode == 2 and "--model toy takes --epsilon, not --coupling" in bad.stderr
    bad = run(toy_env, str(DARKREACH), "lifetime", "--model", "toy", "--mx", "-1", "--lepton", "e", "--epsilon", "1")
    assert bad.returncode == 2 and "mx must be a positive mass in GeV, got -1.0" in bad.stderr


def test_toy_geometry_and_matrix_element_reach_the_kernels(toy_env: dict[str, str]) -> None:
    """The plugin's numba interval function and |M|^2 are dispatched to by darkreach's compiled kernels."""
    script = """
import json, numpy as np
from darkreach.detectors.geometry import geometry_from_config, GEOMETRIES
from darkreach.detectors.kernels import decay_interval_batch
from darkreach.kinematics.decays import three_body_decay_batch
from darkreach.kinematics.matrix_elements import matrix_element_code, msq
g = geometry_from_config({"type": "toy_sphere", "z_center_m": 100.0, "radius_m": 10.0})
kg = g.kernel("exact")
u = np.array([[0.0, 0.0, 1.0], [0.05, 0.0, np.sqrt(1 - 0.05**2)], [0.2, 0.0, np.sqrt(1 - 0.04)]])
iv = decay_interval_batch(kg.kind, kg.params, u, u)
code = matrix_element_code("toy-m23")
rng = np.random.default_rng(1)
_, _, _, w = three_body_decay_batch(np.zeros((20000, 3)), 1.0, 0.1, 0.2, 0.3, code, np.zeros(1), rng.random((20000, 5)))
print(json.dumps({"origin": GEOMETRIES.origin("toy_sphere"), "iv": iv.tolist(), "code": code,
                  "msq": msq(code, 1.0, 0.1, 0.2, 0.3, 0.5, 0.4, np.zeros(1)), "w_mean": float(w.mean())}))
"""
    proc = run(toy_env, sys.executable, "-c", script)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["origin"] == "toy_model.Sphere"
    # on axis: the full diameter; at 0.05 rad the chord of a line passing 5 m from the centre; at 0.2 rad it misses
    assert out["iv"][0] == pytest.approx([90.0, 110.0], rel=1e-12)
    b, half = 100.0 * math.sqrt(1 - 0.05**2), math.sqrt(100.0 - (100.0 * 0.05) ** 2)
    assert out["iv"][1] == pytest.approx([b - half, b + half], rel=1e-12)
    assert out["iv"][2] == [0.0, 0.0]
    assert out["code"] > 6 and out["msq"] == 0.4
    # <|M|^2 x Jacobian> over a flat Dalitz sample is the Dalitz integral of m23^2 (positive, finite)
    assert math.isfinite(out["w_mean"]) and out["w_mean"] > 0.0


@pytest.mark.slow
def test_toy_plugin_runs_through_a_tiny_workflow(toy_env: dict[str, str], tmp_path: Path) -> None:
    """`model: toy` at a `toy_sphere` experiment: config validation (the schema's enumerations include the
    plugin's names), PYTHIA pi0, the scan through the plugin kernel, the contour and the figures."""
    config = TOY / "config.yaml"
    check = darkreach_json(toy_env, "check", str(config))
    assert check["valid"] and check["models"] == ["toy"] and check["experiments"] == ["sphere"]
    proc = run(
        toy_env,
        str(SNAKEMAKE),
        "-s",
        str(REPO / "Snakefile"),
        "--cores",
        "2",
        f"--configfile={config}",
        cwd=tmp_path,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    contour = (tmp_path / "results" / "contours" / "sphere" / "toy" / "lepton-e.csv").read_text().splitlines()
    header_json = json.loads(contour[0][2:])  # the contour table's JSON header (darkreach.output.contour_table)
    assert header_json["model"] == "toy" and header_json["mass_parameter"] == "mx"
    assert header_json["coupling_name"] == "epsilon" and header_json["mass_unit"] == "GeV"
    rows = [line.split(",") for line in contour if line and not line.startswith("#")]
    header, data = rows[0], rows[1:]
    assert header[:6] == ["exposure", "energy_threshold_gev", "level", "mass", "interval", "coupling_low"]
    assert len(data) >= 3  # a closed region at (almost) every mass below m_pi0
    for row in data:
        mass, low, high = float(row[3]), float(row[5]), float(row[6])
        assert mass < MESONS["pi0"].mass and 1e-9 < low < high < 1e-2
    for figure in ("figures/toy/sphere.png", "figures/toy.png"):
        assert (tmp_path / "results" / figure).stat().st_size > 0

    # without the plugin the same config is refused before any job runs, naming the unknown names
    env = {**toy_env, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    bad = run(env, str(DARKREACH), "check", str(config))
    assert bad.returncode == 2 and "'toy_sphere'" in bad.stderr
