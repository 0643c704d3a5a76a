"""Snakemake conventions of the workflow (issue 10, item 6): the conda environment carries the pins of
pyproject.toml, every job rule has `conda:` and `log:`, `min_version`, `localrules`, `snakemake --lint` is clean,
shards are temp() files, and `snakemake --report` gives a self-contained report of a run.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SNAKEMAKE, TEST_CONFIG, run_snakemake
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ENV_FILE = REPO / "envs" / "darkreach.yaml"
SNAKEFILE = REPO / "Snakefile"
RULE_FILES = sorted((REPO / "workflow" / "rules").glob("*.smk"))
# Jobs that take seconds: run on the submitting node, never queued on a cluster.
LOCAL_RULES = {"merge_mesons", "multiplicities", "contours", "plot_experiment", "plot_model", "figure"}
HEAVY_RULES = {"generate_mesons", "scan"}


def _norm(name: str) -> str:
    """PEP 503 name normalisation (PyYAML == pyyaml, snakemake_executor_plugin_slurm == ...-slurm)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in ("test", "slurm"):
        reqs += project["optional-dependencies"][extra]
    pins = {}
    for line in reqs:
        req = Requirement(line)
        (spec,) = req.specifier  # exactly one specifier per dependency ...
        assert spec.operator == "==", f"pyproject.toml: {line!r} is not pinned with =="  # ... and it is a pin
        pins[_norm(req.name)] = spec.version
    return pins


def _env() -> dict:
    return yaml.safe_load(ENV_FILE.read_text())


def _env_pins() -> tuple[dict[str, str], str, list[str]]:
    """(package -> version, python version, pip options such as `-e ...`) of envs/darkreach.yaml."""
    pins, python, options = {}, None, []

    def add(name, version, where):
        key = _norm(name)
        assert key not in pins, f"{ENV_FILE.name}: {name} listed twice"
        assert version, f"{ENV_FILE.name}: {name} is not pinned ({where})"
        pins[key] = version

    for dep in _env()["dependencies"]:
        if isinstance(dep, dict):
            for line in dep["pip"]:
                if line.startswith("-"):
                    options.append(line)
                    continue
                name, _, version = line.partition("==")
                add(name.strip(), version.strip(), "pip: name==version")
            continue
        name, _, version = dep.partition("=")
        if name == "python":
            python = version
        elif name != "pip":
            add(name.strip(), version.lstrip("=").strip(), "conda: name=version")
    return pins, python, options


def test_conda_env_has_exactly_the_pins_of_pyproject():
    env, _, _ = _env_pins()
    pyproject = _pyproject_pins()
    assert env == pyproject, (
        f"only in pyproject.toml: {sorted(set(pyproject) - set(env))}; only in {ENV_FILE.name}: "
        f"{sorted(set(env) - set(pyproject))}; different: "
        f"{ {k: (pyproject[k], env[k]) for k in set(env) & set(pyproject) if env[k] != pyproject[k]} }"
    )


def test_conda_env_python_satisfies_requires_python():
    _, python, _ = _env_pins()
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert python, f"{ENV_FILE.name} does not pin python"
    assert SpecifierSet(requires).contains(python), f"python={python} is outside requires-python {requires!r}"
    assert _env()["channels"][0] == "conda-forge"


def test_conda_env_installs_this_checkout():
    """Snakemake hands conda a copy of the env file under <conda-prefix>/<hash>.yaml and conda runs pip in that
    copy's directory, so a relative path (`-e ..`) would not name the repository: the env file names it through
    ${DARKREACH_REPO}, which pip expands and which the workflow sets to its base directory."""
    _, _, options = _env_pins()
    assert options == ["-e ${DARKREACH_REPO}"], options
    workflow_text = "\n".join(
        line
        for f in [SNAKEFILE, *RULE_FILES]
        for line in f.read_text().splitlines()
        if not line.lstrip().startswith("#")
    )
    assert re.search(r"DARKREACH_REPO\W*=\s*str\(Path\(workflow\.basedir\)", workflow_text), (
        "the workflow must set DARKREACH_REPO to workflow.basedir before conda environments are created"
    )


def _rule_blocks() -> dict[str, str]:
    """Named rules of workflow/rules/*.smk and the Snakefile -> their text (up to the next top-level statement)."""
    blocks = {}
    for path in [SNAKEFILE, *RULE_FILES]:
        text = path.read_text()
        headers = list(re.finditer(r"^rule (\w+):\n", text, flags=re.M))
        for header in headers:
            body = text[header.end() :]
            end = re.search(r"^\S", body, flags=re.M)  # the rule ends at the next unindented line
            blocks[header.group(1)] = body[: end.start()] if end else body
    return blocks


def _directives(block: str) -> set[str]:
    return set(re.findall(r"^    (\w+):", block, flags=re.M))


def test_every_job_rule_has_conda_and_log():
    blocks = _rule_blocks()
    jobs = {
        name for name, block in blocks.items() if _directives(block) & {"script", "shell", "run", "notebook", "wrapper"}
    }
    assert jobs >= LOCAL_RULES | HEAVY_RULES, sorted(jobs)
    env_path = re.search(r'^ENV = "([^"]+)"', (REPO / "workflow" / "rules" / "common.smk").read_text(), flags=re.M)
    assert env_path and (REPO / "workflow" / "rules" / env_path.group(1)).resolve() == ENV_FILE.resolve()
    for name in sorted(jobs):
        directives = _directives(blocks[name])
        assert {"conda", "log"} <= directives, f"rule {name}: missing {sorted({'conda', 'log'} - directives)}"
        assert re.search(r"^    conda:\n        ENV\n", blocks[name], flags=re.M), f"rule {name}: conda is not ENV"


def test_min_version_and_localrules():
    snakefile = SNAKEFILE.read_text()
    version = re.search(r'^min_version\("([\d.]+)"\)', snakefile, flags=re.M)
    assert version, "the Snakefile does not call min_version"
    pinned = _pyproject_pins()["snakemake"]
    assert SpecifierSet(f">={version.group(1)}").contains(pinned)
    block = re.search(r"^localrules:\n((?:[ \t]+\w+,?\n)+)", snakefile, flags=re.M)
    assert block, "the Snakefile has no localrules block"
    local = set(re.findall(r"\w+", block.group(1)))
    assert local >= LOCAL_RULES, sorted(LOCAL_RULES - local)
    assert not local & HEAVY_RULES, sorted(local & HEAVY_RULES)
    assert local <= set(_rule_blocks()) | {"all"}, sorted(local - set(_rule_blocks()))


@pytest.mark.parametrize("configfile", [None, "config/paper.yaml", ".test/config.yaml", ".test/paper.yaml"], ids=str)
def test_snakemake_lint_is_clean(configfile):
    cmd = [str(SNAKEMAKE), "--lint"] + ([f"--configfile={configfile}"] if configfile else [])
    proc = subprocess.run(
        cmd, cwd=REPO, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONHASHSEED": "0"}
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "Congratulations" in out, out[-4000:]


@pytest.mark.slow
def test_shards_are_temporary(tiny_workflow: Path):
    beam = tiny_workflow / "results" / "mesons" / "sps400"
    generators = yaml.safe_load(TEST_CONFIG.read_text())["beams"]["sps400"]["generators"]
    for generator in generators:
        merged = [
            p for p in beam.glob(f"{generator}-*.root") if re.fullmatch(rf"{generator}-[0-9a-f]{{12}}\.root", p.name)
        ]
        assert len(merged) == 1 and merged[0].stat().st_size > 0, (generator, merged)
    assert not list(beam.glob("shards/*.root")), "shard files survived the merge"
    # the shards were made (one generate log each) and removed once merged
    logs = list((tiny_workflow / "logs" / "generate" / "sps400").glob("*.log"))
    assert len(logs) == sum(g["shards"] for g in generators.values())


@pytest.mark.slow
def test_report_of_the_tiny_run(tiny_workflow: Path, tmp_path: Path):
    report = tmp_path / "report.html"
    run_snakemake(tiny_workflow, "--report", str(report))
    html = report.read_text()
    assert report.stat().st_size > 100_000  # the figures are embedded
    assert not re.search(r"""(src|href)=["']https?://""", html), "the report loads something from the network"
    for text in (
        "Sensitivity",
        "Meson samples",  # categories
        "results/figures/idm-dipole.png",
        "results/figures/idm-dipole/na62.png",
        "results/figures/idm-dipole/hike.png",
        "multiplicities-",
        "Sensitivity contours of model",
        "Targets of this run: experiments na62, hike",  # captions
        "data:image/png;",
    ):  # embedded as data: URIs
        assert text in html, text
