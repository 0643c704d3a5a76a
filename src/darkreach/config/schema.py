"""The configuration's JSON schema: the file, its enumerations filled from the registries, and validation.

``config.schema.yaml`` (next to this file) checks structure and types; nodes marked ``x-darkreach-enum`` get their
``enum`` from darkreach's registries (plugins included) in :func:`load_schema`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from darkreach.config.errors import ConfigError

SCHEMA_PATH: Path = Path(__file__).with_name("config.schema.yaml")


#: Marker of a schema node whose ``enum`` comes from a registry (see :func:`schema_enumerations`).
ENUM_MARKER = "x-darkreach-enum"


def schema_enumerations() -> dict[str, list[str]]:
    """The registries the schema's enumerations come from, plugins included (models and geometries), and the beam
    frames of :class:`darkreach.production.BeamFrame`."""
    from darkreach.detectors.geometry import geometry_types
    from darkreach.mesons import MESONS, MULTIPLICITY_TABLES, PYTHIA_PROCESSES
    from darkreach.models import model_names
    from darkreach.production import BeamFrame
    from darkreach.production.meson_beams.engines import ENGINES

    models = model_names()  # first: a model plugin may register mesons or processes on import
    return {
        "models": models,
        "geometry_types": geometry_types(),
        "mesons": list(MESONS),
        "processes": list(PYTHIA_PROCESSES),
        "engines": list(ENGINES),
        "multiplicity_tables": [*MULTIPLICITY_TABLES, "generated"],
        "beam_frames": [frame.value for frame in BeamFrame],
    }


def _fill_enums(node: Any, enums: Mapping[str, list[str]]) -> Any:
    if isinstance(node, dict):
        out = {k: _fill_enums(v, enums) for k, v in node.items() if k != ENUM_MARKER}
        if ENUM_MARKER in node:
            out["enum"] = list(enums[node[ENUM_MARKER]])
        return out
    if isinstance(node, list):
        return [_fill_enums(v, enums) for v in node]
    return node


def load_schema() -> dict[str, Any]:
    """The configuration JSON schema as a dict, its registry enumerations filled in (:func:`schema_enumerations`)."""
    with SCHEMA_PATH.open() as fh:
        raw = yaml.safe_load(fh)
    return _fill_enums(raw, schema_enumerations())


def schema_file(directory: str | Path | None = None) -> Path:
    """:func:`load_schema` written to a file (for ``snakemake.utils.validate``, which takes a path).

    The file is named by the hash of its content, in ``directory`` (default: the system's temporary folder),
    so concurrent runs with the same registries share it and different plugin sets never collide.
    """
    import hashlib
    import os
    import tempfile

    text = json.dumps(load_schema(), indent=1, sort_keys=True)
    folder = Path(directory) if directory is not None else Path(tempfile.gettempdir())
    path = folder / f"darkreach-config-schema-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"
    if not path.is_file() or path.read_text() != text:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text)
        tmp.replace(path)
    return path


def _key_path(parts: Sequence[Any]) -> str:
    return ".".join(str(p) for p in parts) or "<root>"


def validate_schema(cfg: Mapping[str, Any]) -> None:
    """Validate ``cfg`` against the JSON schema; raise :class:`ConfigError` for the first violation."""
    validator = jsonschema.Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(cfg), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        if err.validator == "required" and not err.absolute_path:
            from darkreach.config.loading import CATALOGUES

            missing = sorted(set(err.validator_value) - set(cfg))
            raise ConfigError(
                f"config is missing the required section(s) {missing}: a --configfile is the whole configuration "
                f"unless it says 'extends: <catalogue>' ({', '.join(CATALOGUES)})"
            )
        # oneOf failures: report the most specific sub-error
        if err.context:
            err = min(err.context, key=lambda e: len(e.message))
            path = list(errors[0].absolute_path) + list(err.relative_path)
        else:
            path = list(err.absolute_path)
        if "propertyNames" in err.schema_path:  # a bad key: name it in the path
            path.append(err.instance)
        value = repr(err.instance)
        if len(value) > 120:
            value = value[:117] + "..."
        raise ConfigError(f"config key {_key_path(path)!r}: {err.message} (value: {value})")
