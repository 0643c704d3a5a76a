"""Loading and validating the workflow configuration.

The JSON schema (``config.schema.yaml`` next to this file) checks structure and types; :func:`check_config`
adds what a schema cannot say (grids sorted, references between sections resolve, model benchmark
points physical). Every error names the key path and the offending value.
"""

from __future__ import annotations

import copy
import json
import math
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import yaml

from darkreach.production import BeamFrame

SCHEMA_PATH: Path = Path(__file__).with_name("config.schema.yaml")


#: Rule names of the workflow that a figure or experiment name must not shadow.
RESERVED_TARGETS: tuple[str, ...] = (
    "all",
    "generate_mesons",
    "merge_mesons",
    "multiplicities",
    "scan",
    "contours",
    "plot_experiment",
    "plot_model",
    "figure",
)


class ConfigError(ValueError):
    """Invalid configuration; the message names the key and the value."""


#: Marker of a schema node whose ``enum`` comes from a registry (see :func:`schema_enumerations`).
ENUM_MARKER = "x-darkreach-enum"


def schema_enumerations() -> dict[str, list[str]]:
    """The registries the schema's enumerations come from, plugins included (models and geometries)."""
    from darkreach.detectors.geometry import geometry_types
    from darkreach.mesons import MESONS, MULTIPLICITY_TABLES, PYTHIA_PROCESSES
    from darkreach.models import model_names

    models = model_names()  # first: a model plugin may register mesons or processes on import
    return {
        "models": models,
        "geometry_types": geometry_types(),
        "mesons": list(MESONS),
        "processes": list(PYTHIA_PROCESSES),
        "multiplicity_tables": [*MULTIPLICITY_TABLES, "generated"],
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
    """Read a YAML config file, resolve its ``extends`` and validate it (schema and semantics)."""
    path = Path(path)
    cfg = resolve_extends(read_yaml_mapping(path), path)
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
        cfg = deep_merge(load_config(default), config)
    else:
        origin = None
        for f in files:
            if EXTENDS_KEY in read_yaml_mapping(f):
                origin = f
        cfg = resolve_extends(config, origin)
    check_config(cfg)
    return cfg


def _key_path(parts: Sequence[Any]) -> str:
    return ".".join(str(p) for p in parts) or "<root>"


def validate_schema(cfg: Mapping[str, Any]) -> None:
    """Validate ``cfg`` against the JSON schema; raise :class:`ConfigError` for the first violation."""
    validator = jsonschema.Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(cfg), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        if err.validator == "required" and not err.absolute_path:
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


def grid_values(spec: Any, key: str) -> np.ndarray:
    """Expand a grid spec (explicit list or {min, max, num, spacing}) into a strictly increasing array."""
    if isinstance(spec, Mapping):
        lo, hi, num = spec["min"], spec["max"], spec["num"]
        if not lo < hi:
            raise ConfigError(f"config key {key!r}: min ({lo!r}) must be smaller than max ({hi!r})")
        if spec.get("spacing", "log") == "log":
            return np.geomspace(lo, hi, int(num))
        return np.linspace(lo, hi, int(num))
    values = np.asarray(spec, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ConfigError(f"config key {key!r}: grid must be a non-empty list, got {spec!r}")
    if np.any(~np.isfinite(values)) or np.any(values <= 0):
        raise ConfigError(f"config key {key!r}: grid values must be positive and finite, got {spec!r}")
    if np.any(np.diff(values) <= 0):
        raise ConfigError(f"config key {key!r}: grid must be strictly increasing, got {spec!r}")
    return values


def _check_beams(cfg: Mapping[str, Any]) -> None:
    for name, beam in cfg["beams"].items():
        seen: dict[str, str] = {}
        for gname, gen in beam.get("generators", {}).items():
            for species in gen["species"]:
                if species in seen:
                    raise ConfigError(
                        f"config key 'beams.{name}.generators.{gname}.species': {species!r} is already generated by "
                        f"{seen[species]!r}; each species comes from one generator"
                    )
                seen[species] = gname


_FRAME_KEYS: dict[BeamFrame, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # frame: (required experiment keys, forbidden experiment keys)
    BeamFrame.FIXED_TARGET: (("target_mass_number", "geometry", "acceptance"), ("cross_section_mb", "selection")),
    BeamFrame.COLLIDER: (
        ("cross_section_mb", "multiplicity_table", "geometry", "acceptance"),
        ("target_mass_number", "selection"),
    ),
    BeamFrame.ELECTRON_POSITRON: (
        (),
        (
            "target_mass_number",
            "cross_section_mb",
            "geometry",
            "acceptance",
            "multiplicity_table",
            "multiplicities",
            "importance_sampling",
            "channel_efficiencies",
            "energy_max_gev",
        ),
    ),
}


def _check_experiment(cfg: Mapping[str, Any], name: str, exp: Mapping[str, Any]) -> None:
    from darkreach.detectors.geometry import geometry_from_config

    key = f"experiments.{name}"
    if name in RESERVED_TARGETS:
        raise ConfigError(f"config key {key!r}: the name {name!r} is taken by a workflow rule")
    beams = cfg["beams"]
    if exp["beam"] not in beams:
        raise ConfigError(f"config key '{key}.beam': unknown beam {exp['beam']!r}; known: {sorted(beams)}")
    beam = beams[exp["beam"]]
    frame = BeamFrame(beam["frame"])
    required, forbidden = _FRAME_KEYS[frame]
    for k in required:
        if k not in exp:
            raise ConfigError(
                f"config key '{key}.{k}' is required for an experiment on a {frame} beam ({exp['beam']!r})"
            )
    for k in forbidden:
        if k in exp:
            raise ConfigError(
                f"config key '{key}.{k}' is not allowed for an experiment on a {frame} beam ({exp['beam']!r}); "
                f"value: {exp[k]!r}"
            )
    if frame is BeamFrame.COLLIDER and exp["multiplicity_table"] == "paper000":
        raise ConfigError(
            f"config key '{key}.multiplicity_table': 'paper000' is the 400 GeV fixed-target table; use "
            "'paper003-lhc' or 'generated' for a collider"
        )
    if "geometry" in exp:
        try:
            geometry_from_config(exp["geometry"])
        except ValueError as err:
            raise ConfigError(f"config key '{key}.geometry': {err}") from None
    beam_species = {s for gen in beam.get("generators", {}).values() for s in gen["species"]}
    not_generated = sorted(set(exp.get("species", [])) - beam_species)
    if not_generated:
        raise ConfigError(f"config key '{key}.species': {not_generated} are not generated by beam {exp['beam']!r}")
    species = set(exp.get("species", beam_species))
    unknown = sorted(set(exp.get("multiplicities", {})) - species)
    if unknown:
        raise ConfigError(
            f"config key '{key}.multiplicities': species {unknown} are not among the experiment's species"
        )
    table = exp.get("multiplicity_table", "paper000")
    if frame.generates_mesons and table == "generated":
        processes = [g["process"] for g in beam["generators"].values()]
        if "SoftQCD:inelastic" not in processes:
            raise ConfigError(
                f"config key '{key}.multiplicity_table': 'generated' normalises to the SoftQCD:inelastic cross section, "
                f"but beam {exp['beam']!r} has no SoftQCD:inelastic generator (processes: {processes})"
            )
    elif frame.generates_mesons:
        from darkreach.mesons import MULTIPLICITY_TABLES

        values = MULTIPLICITY_TABLES[table][0]
        missing = sorted(species - set(values) - set(exp.get("multiplicities", {})))
        if missing:
            raise ConfigError(
                f"config key '{key}.multiplicity_table': table {table!r} has no multiplicity for {missing}; add them "
                f"under {key}.multiplicities or leave them out of {key}.species"
            )
    if "energy_max_gev" in exp and exp["energy_max_gev"] <= max(exp["energy_thresholds_gev"]):
        raise ConfigError(
            f"config key '{key}.energy_max_gev': {exp['energy_max_gev']!r} must exceed every energy threshold "
            f"{exp['energy_thresholds_gev']!r}"
        )
    if "level" in exp and "limit" in exp:
        raise ConfigError(f"config key '{key}': give either 'level' or 'limit', not both (level: {exp['level']!r})")
    if "limit" in exp:
        from darkreach.statistics import signal_upper_limit

        try:
            value = signal_upper_limit(exp["limit"])
        except ValueError as err:
            raise ConfigError(f"config key '{key}.limit': {err} (value: {exp['limit']!r})") from None
        if not (math.isfinite(value) and value > 0):
            raise ConfigError(
                f"config key '{key}.limit': upper limit {value!r} is not positive (value: {exp['limit']!r})"
            )
    if frame is BeamFrame.ELECTRON_POSITRON:
        from dataclasses import fields

        from darkreach.bounds.ee_monophoton import EESelection

        if len(exp["energy_thresholds_gev"]) != 1:
            raise ConfigError(
                f"config key '{key}.energy_thresholds_gev': an e+e- experiment takes one threshold (the leading-photon "
                f"cut), got {exp['energy_thresholds_gev']!r}"
            )
        allowed = {f.name for f in fields(EESelection)} - {"sqrt_s_gev", "leading_photon_min_gev"}
        extra = sorted(set(exp.get("selection", {})) - allowed)
        if extra:
            raise ConfigError(f"config key '{key}.selection': unknown cut(s) {extra}; known: {sorted(allowed)}")


def _check_model(cfg: Mapping[str, Any], name: str, mcfg: Mapping[str, Any]) -> None:
    from darkreach.models import AXIS_KEY, get_model, model_names

    try:
        model = get_model(name)
    except KeyError:
        raise ConfigError(f"config key 'models.{name}': unknown model {name!r}; known: {model_names()}") from None
    # the model's parameter declarations (ParameterSpec) decide what a benchmark may contain and scan along
    numeric = [spec.name for spec in model.parameter_specs if spec.numeric]
    axis_grids = mcfg.get("axis_grids", {})
    for axis, grid in axis_grids.items():
        if axis not in model.parameters:
            raise ConfigError(f"config key 'models.{name}.axis_grids.{axis}': {axis!r} is not a parameter of {name!r}")
        if axis not in numeric:
            raise ConfigError(
                f"config key 'models.{name}.axis_grids.{axis}': {axis!r} is not a numeric parameter of {name!r} "
                f"(numeric: {numeric})"
            )
        grid_values(grid, f"models.{name}.axis_grids.{axis}")
    for i, bench in enumerate(mcfg["benchmarks"]):
        key = f"models.{name}.benchmarks.{i}"
        axis = bench.get(AXIS_KEY, model.mass_parameter)
        if axis not in model.parameters:
            raise ConfigError(
                f"config key '{key}.{AXIS_KEY}': {axis!r} is not a parameter of {name!r}: {model.parameters}"
            )
        if axis not in numeric:
            raise ConfigError(
                f"config key '{key}.{AXIS_KEY}': {axis!r} is not a numeric parameter of {name!r}: {numeric}"
            )
        if axis != model.mass_parameter and axis not in axis_grids:
            raise ConfigError(
                f"config key '{key}.{AXIS_KEY}': no grid for {axis!r}; add models.{name}.axis_grids.{axis}"
            )
        given = set(bench) - {AXIS_KEY}
        extra = sorted(given - set(model.parameters) - set(model.alias_parameters))
        if extra:
            raise ConfigError(f"config key {key!r}: unknown parameter(s) {extra} for model {name!r}")
        if axis in given:
            raise ConfigError(f"config key {key!r}: {axis!r} is on the scan axis and cannot be fixed")
        fixed = given | {model.alias_parameters[a] for a in given if a in model.alias_parameters}
        missing = sorted(set(model.parameters) - fixed - {axis} - set(model.optional_parameters))
        if missing:
            raise ConfigError(f"config key {key!r}: missing parameter(s) {missing} for model {name!r}")
        try:
            model.validate_point(model.point_at(bench, 1.0 if axis == model.mass_parameter else 0.1))
        except ValueError as err:
            raise ConfigError(f"config key {key!r}: {err}") from None
    for axis in ("mass_gev", "coupling"):
        if axis in mcfg:
            grid_values(mcfg[axis], f"models.{name}.{axis}")


def _check_figures(cfg: Mapping[str, Any]) -> None:
    from darkreach.config.figures import figure_spec_from_config

    figures = cfg.get("figures", {})
    for fname, fig in figures.items():
        key = f"figures.{fname}"
        if fname in cfg["experiments"] or fname in RESERVED_TARGETS:
            raise ConfigError(
                f"config key {key!r}: the name {fname!r} is taken by an experiment or a workflow rule "
                f"({', '.join(RESERVED_TARGETS)})"
            )
        try:
            spec = figure_spec_from_config(fname, fig)
            if spec.kind == "branching":
                from darkreach.output.figures.branching import check_branching_spec

                check_branching_spec(spec)
        except ValueError as err:
            where, _, message = str(err).partition(": ")
            raise ConfigError(f"config key {where!r}: {message}") from None
        if spec.kind != "contours":
            continue
        if fig["model"] not in cfg["models"]:
            raise ConfigError(f"config key '{key}.model': model {fig['model']!r} has no entry under 'models'")
        labels = [benchmark_label(b) for b in cfg["models"][fig["model"]]["benchmarks"]]
        for ip, panel in enumerate(fig["panels"]):
            if benchmark_label(panel["benchmark"]) not in labels:
                raise ConfigError(
                    f"config key '{key}.panels.{ip}.benchmark': {panel['benchmark']!r} is not a benchmark of model "
                    f"{fig['model']!r}; add it under models.{fig['model']}.benchmarks"
                )
            for ic, curve in enumerate(panel["curves"]):
                ename = curve["experiment"]
                if ename not in cfg["experiments"]:
                    raise ConfigError(
                        f"config key '{key}.panels.{ip}.curves.{ic}.experiment': unknown experiment {ename!r}; "
                        f"known: {sorted(cfg['experiments'])}"
                    )
                exp = cfg["experiments"][ename]
                if "exposure" in curve and not any(math.isclose(curve["exposure"], x) for x in exp["exposures"]):
                    raise ConfigError(
                        f"config key '{key}.panels.{ip}.curves.{ic}.exposure': {curve['exposure']!r} is not an exposure "
                        f"of {ename!r}: {exp['exposures']!r}"
                    )
                thr = curve.get("threshold_gev")
                if thr is not None and not any(math.isclose(thr, x) for x in exp["energy_thresholds_gev"]):
                    raise ConfigError(
                        f"config key '{key}.panels.{ip}.curves.{ic}.threshold_gev': {thr!r} is not an energy threshold "
                        f"of {ename!r}: {exp['energy_thresholds_gev']!r}"
                    )


def check_config(cfg: Mapping[str, Any]) -> None:
    """Schema validation plus cross-references and physics checks."""
    validate_schema(cfg)
    _check_beams(cfg)
    for name, exp in cfg["experiments"].items():
        _check_experiment(cfg, name, exp)
    for name, mcfg in cfg["models"].items():
        _check_model(cfg, name, mcfg)
    grid_values(cfg["scan"]["mass_gev"], "scan.mass_gev")
    grid_values(cfg["scan"]["coupling"], "scan.coupling")
    _check_figures(cfg)
    targets = cfg["targets"]
    for exp in targets["experiments"]:
        if exp not in cfg["experiments"]:
            raise ConfigError(
                f"config key 'targets.experiments': unknown experiment {exp!r}; known: {sorted(cfg['experiments'])}"
            )
    for model in targets["models"]:
        if model not in cfg["models"]:
            raise ConfigError(f"config key 'targets.models': model {model!r} has no entry under 'models'")
    for fig in targets.get("figures", []):
        if fig not in cfg.get("figures", {}):
            raise ConfigError(
                f"config key 'targets.figures': unknown figure {fig!r}; known: {sorted(cfg.get('figures', {}))}"
            )


def benchmark_label(point: Mapping[str, Any]) -> str:
    """File-system friendly label of a benchmark point, e.g. ``delta-0.1``."""
    parts = []
    for key, value in point.items():
        if isinstance(value, Mapping):
            # e.g. a table of Wilson coefficients: a stable short digest of its canonical JSON
            digest = zlib.crc32(json.dumps(value, sort_keys=True).encode())
            text = f"{digest:08x}"
        elif isinstance(value, float) and math.isfinite(value):
            text = f"{value:g}"
        else:
            text = str(value)
        parts.append(f"{key}-{text}")
    return "_".join(parts)
