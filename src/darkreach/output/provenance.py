"""Provenance of every table and record darkreach writes: version, git commit, config hash, seed, PYTHIA version.

:func:`provenance` collects the fields. The tables of :mod:`darkreach.output` carry them under ``provenance`` in
their JSON header line (:mod:`darkreach.output.tables`), read back by :func:`read_csv_provenance`;
:func:`provenance_text` renders them as one sentence for a HEPData record. :func:`data_lines` drops every ``#``
line before a ``csv.DictReader``.

Nothing here depends on the time or the machine: re-running a job gives byte-identical files. The git commit
is that of the checkout holding the darkreach package (``-dirty`` when tracked files differ from it), None for
an installed package or without git.
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from darkreach.output.tables import read_header

#: Fields of :func:`provenance`, in the order they are written.
PROVENANCE_KEYS: tuple[str, ...] = (
    "darkreach_version",
    "git_commit",
    "config_hash",
    "seed",
    "pythia_version",
    "created_by",
)
#: How a missing value (None) is written in a provenance sentence (:func:`provenance_text`).
NULL = "null"
_GIT_TIMEOUT_S = 10.0
#: The darkreach package (this module lives in its ``output`` subpackage).
_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _git(args: list[str], cwd: Path) -> str | None:
    """stdout of ``git -C cwd <args>`` (stripped), None if git is missing, fails or times out."""
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    try:
        proc = subprocess.run(
            ["git", "--no-optional-locks", "-C", str(cwd), *args],
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT_S,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout.strip()


@functools.cache
def git_commit(package_dir: str | None = None) -> str | None:
    """Commit of the git checkout holding the darkreach sources, ``<sha>-dirty`` if tracked files changed.

    None when the package is not a tracked part of a git checkout (e.g. installed into a virtualenv that lives
    inside one), git is not installed or does not answer in time. Cached: one lookup per process.
    """
    where = Path(package_dir) if package_dir else _PACKAGE_DIR
    # the package itself must be tracked: an installed copy under an ignored .venv/ of a checkout is not
    if _git(["ls-files", "--error-unmatch", "--", "__init__.py"], where) is None:
        return None
    sha = _git(["rev-parse", "HEAD"], where)
    if not sha:
        return None
    status = _git(["status", "--porcelain", "--untracked-files=no"], where)
    return f"{sha}-dirty" if status else sha


def provenance(config_hash: str | None = None, seed: int | None = None) -> dict[str, Any]:
    """Provenance of an output: darkreach version, git commit, config hash, seed and PYTHIA version.

    Parameters
    ----------
    config_hash
        Hash of the config slice the output depends on (the workflow's ``params.config_hash``), or None.
    seed
        Random seed of the job, or None when none is involved.

    Returns
    -------
    dict
        The keys of :data:`PROVENANCE_KEYS`: ``darkreach_version`` (str), ``git_commit`` (str or None),
        ``config_hash`` (str or None), ``seed`` (int or None), ``pythia_version`` (the installed ``pythia8mc``,
        str or None) and ``created_by`` ("darkreach").
    """
    return {
        "darkreach_version": _package_version("darkreach") or "0.0.0",
        "git_commit": git_commit(),
        "config_hash": None if config_hash is None else str(config_hash),
        "seed": None if seed is None else int(seed),
        "pythia_version": _package_version("pythia8mc"),
        "created_by": "darkreach",
    }


def provenance_from_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Provenance of an output derived from a scan: config hash, seed and PYTHIA version from ``metadata``
    (a ``ScanResult.metadata``; absent keys give None), version and commit from the scan if it recorded them,
    otherwise from this process."""
    prov = provenance(metadata.get("config_hash"), metadata.get("seed"))
    prov["pythia_version"] = metadata.get("pythia_version")
    for key in ("darkreach_version", "git_commit"):
        if metadata.get(key):
            prov[key] = str(metadata[key])
    return prov


def _text(value: Any) -> str:
    text = NULL if value is None else str(value)
    return " ".join(text.split())  # one line, whatever the value


def data_lines(lines: Iterable[str]) -> Iterator[str]:
    """``lines`` without the ``#`` comment lines, e.g. ``csv.DictReader(data_lines(fh))``."""
    return (line for line in lines if not line.startswith("#"))


def read_csv_provenance(path: str | Path) -> dict[str, Any]:
    """The ``provenance`` object of the JSON header line of a CSV written by darkreach (:mod:`darkreach.output.tables`);
    {} if the header has none. A file without the header (e.g. written by an older darkreach) is a
    :class:`~darkreach.output.tables.TableFormatError` naming it."""
    return dict(read_header(path).get("provenance") or {})


def provenance_text(prov: Mapping[str, Any]) -> str:
    """One sentence for a HEPData record: 'Provenance: darkreach_version=0.1.0; git_commit=...; ...'."""
    keys = [k for k in PROVENANCE_KEYS if k in prov] + [k for k in prov if k not in PROVENANCE_KEYS]
    return "Provenance: " + "; ".join(f"{key}={_text(prov[key])}" for key in keys) + "."


def parse_provenance_text(text: str) -> dict[str, Any]:
    """The provenance in a text holding a :func:`provenance_text` sentence (e.g. a HEPData comment); {} if none."""
    _, sep, rest = text.rpartition("Provenance: ")
    if not sep:
        return {}
    prov: dict[str, Any] = {}
    for item in rest.strip().removesuffix(".").split("; "):
        key, eq, value = item.partition("=")
        if not eq or key not in PROVENANCE_KEYS:
            continue
        prov[key] = None if value == NULL else (int(value) if key == "seed" else value)
    return prov
