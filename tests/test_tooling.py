"""Code checks run with the tests (and so in CI): ruff lint, ruff format, mypy, and the typed-package marker.

The rules are configured in pyproject.toml ([tool.ruff], [tool.mypy]); each check takes seconds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

BIN = Path(sys.executable).parent
CHECKED = ["src", "tests", "workflow/scripts", "benchmarks"]


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("ruff check", ("ruff", "check", *CHECKED)),
        ("ruff format", ("ruff", "format", "--check", *CHECKED)),
        ("mypy", ("mypy",)),  # files = ["src/darkreach"] in pyproject.toml
    ],
)
def test_code_checks_pass(name: str, args: tuple[str, ...]) -> None:
    proc = _run(str(BIN / args[0]), *args[1:])
    assert proc.returncode == 0, f"{name} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"


def test_package_is_typed() -> None:
    """PEP 561: the py.typed marker ships with the package."""
    import tomllib

    import darkreach

    assert (Path(darkreach.__file__).parent / "py.typed").is_file()
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "py.typed" in data["tool"]["setuptools"]["package-data"]["darkreach"]
