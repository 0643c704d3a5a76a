"""Reading configuration files: YAML with file-and-line errors, ``extends:`` of a catalogue or file, and the
configuration a workflow run uses (a ``--configfile`` is the whole configuration unless it says ``extends``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from darkreach.config.checks import check_config
from darkreach.config.errors import ConfigError
from darkreach.config.variations import expand_variations

#: Folder of the named catalogues that ``extends:`` may name (links to the repository's ``config/*.yaml``).
CATALOGUE_DIR: Path = Path(__file__).parent

#: Catalogue names and their files: ``extends: paper`` reads ``config/paper.yaml``.
CATALOGUES: dict[str, str] = {
    "default": "default.yaml",
    "paper": "paper.yaml",
    "scalar": "scalar.yaml",
    "sterile": "sterile.yaml",
}

#: The top-level key with which a config file names the config it extends.
EXTENDS_KEY = "extends"


def read_yaml_mapping(path: str | Path, what: str = "config file") -> dict[str, Any]:
    """Read a YAML (or JSON) file holding a mapping. Syntax errors name the file, line and column."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{what} {str(path)!r} does not exist")
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        context = getattr(err, "context", None)
        detail = f"{context}, {problem}" if context else problem
        raise ConfigError(f"{what} {where}: invalid YAML: {detail}") from None
    except UnicodeDecodeError as err:
        raise ConfigError(f"{what} {str(path)!r} is not UTF-8 text: {err}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{what} {str(path)!r} must contain a mapping, got {type(data).__name__}")
    return data


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``: mappings merge key by key, any other value (lists included) replaces
    the base's, and ``null`` removes the key (``experiments: {hike: null}`` drops an inherited experiment)."""
    out: dict[str, Any] = {k: copy.deepcopy(v) for k, v in base.items()}
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _extends_path(value: Any, origin: Path | None) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(
            f"config key {EXTENDS_KEY!r}: must be a catalogue name ({', '.join(CATALOGUES)}) or the path of a YAML "
            f"file, got {value!r}"
        )
    if value in CATALOGUES:
        return CATALOGUE_DIR / CATALOGUES[value]
    path = Path(value)
    if not path.is_absolute() and origin is not None:
        path = origin.parent / path
    if not path.is_file():
        raise ConfigError(
            f"config key {EXTENDS_KEY!r}: {value!r} is neither a catalogue ({', '.join(CATALOGUES)}) nor an existing "
            f"file (looked for {str(path)!r})"
        )
    return path


def resolve_extends(
    cfg: Mapping[str, Any], origin: Path | None = None, _chain: tuple[Path, ...] = ()
) -> dict[str, Any]:
    """Resolve the ``extends:`` key: the named catalogue or file (resolved relative to ``origin``, the file
    ``cfg`` was read from), itself resolved, with ``cfg`` laid over it by :func:`deep_merge`. A config without
    ``extends`` is returned as it is: it must then be complete on its own."""
    if EXTENDS_KEY not in cfg:
        return dict(cfg)
    base_path = _extends_path(cfg[EXTENDS_KEY], origin).resolve()
    if base_path in _chain:
        cycle = " -> ".join(str(p) for p in (*_chain, base_path))
        raise ConfigError(f"config key {EXTENDS_KEY!r}: circular extension {cycle}")
    base = resolve_extends(read_yaml_mapping(base_path), base_path, (*_chain, base_path))
    return deep_merge(base, {k: v for k, v in cfg.items() if k != EXTENDS_KEY})


def load_config(path: str | Path) -> dict[str, Any]:
    """Read a YAML config file, resolve its ``extends``, expand its systematic ``variations`` into derived
    experiments (:func:`darkreach.config.variations.expand_variations`) and validate it (schema and semantics)."""
    path = Path(path)
    cfg = expand_variations(resolve_extends(read_yaml_mapping(path), path))
    check_config(cfg)
    return cfg


def resolve_workflow_config(
    config: Mapping[str, Any], configfiles: Sequence[str | Path], default: str | Path
) -> dict[str, Any]:
    """The configuration a workflow run uses, validated.

    ``config`` is what Snakemake assembled from ``--configfile`` files and ``--config`` overrides. With no
    ``--configfile``, the run uses ``default`` (the embedded ``config/config.yaml``) with the overrides laid
    over it. With one or more, they are the whole configuration: nothing is inherited unless a file says
    ``extends: <catalogue or path>``, resolved relative to the file that says it.
    """
    files = [Path(f) for f in configfiles]
    if not files:
        load_config(default)  # the default must be valid on its own; its variations expand after the merge
        cfg = deep_merge(resolve_extends(read_yaml_mapping(default), Path(default)), config)
    else:
        origin = None
        for f in files:
            if EXTENDS_KEY in read_yaml_mapping(f):
                origin = f
        cfg = resolve_extends(config, origin)
    cfg = expand_variations(cfg)
    check_config(cfg)
    return cfg
