"""Systematic variations: readings of the papers that an experiment is also computed with, as derived experiments.

A configuration names its variations once, in the top-level catalogue ``variations``, and attaches them to
experiments by name::

    variations:
      acceptance-exact:
        description: the exact decay-volume acceptance instead of the paper's cone
        experiment: {acceptance: exact}
      neutrino-va:
        model: inelastic-scalar
        benchmark: {neutrino_convention: v-a}
    experiments:
      na62: {..., variations: [acceptance-exact]}

:func:`expand_variations` (called when a configuration is loaded, before it is checked) turns every attached
variation into a *derived experiment* ``<experiment>~<variation>``: the nominal entry with each key of the
variation's ``experiment`` mapping replaced as a whole (``null`` removes it) and without ``variations``. A derived
experiment is an ordinary experiment for the checks, the scan and the contour rules, so its contour table is
``results/contours/<experiment>~<variation>/<model>/<benchmark>.csv``; ``benchmark`` overrides are model parameters
laid over every benchmark point of the ``model`` the variation names (:func:`scan_benchmark`), and the variation
applies only to that model's figures. A derived experiment whose scan would be the nominal one (it changes only the
contour level: ``level`` or ``limit``; and no model parameter) reuses the nominal scan (:func:`scan_source`) and
only recomputes its contours at its own level (:func:`contour_level`).

A ``contours`` figure with ``systematic_band: true`` (or a list of variation names) draws, around each curve, the
envelope of the curve's experiment and its derived experiments (:func:`figure_variations`;
:mod:`darkreach.output.figures.envelope`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from darkreach.config.errors import ConfigError

#: Separates an experiment's name from its variation's in a derived experiment's name (never in a user's name).
SEPARATOR = "~"
#: Experiment keys read only by the contour stage: a variation changing nothing else reuses the nominal scan.
CONTOUR_STAGE_KEYS: frozenset[str] = frozenset({"level", "limit"})
#: Keys of a catalogue entry.
VARIATION_KEYS: frozenset[str] = frozenset({"description", "experiment", "model", "benchmark"})
#: Experiment keys a variation may not override.
FIXED_KEYS: frozenset[str] = frozenset({"variations"})


def derived_name(experiment: str, variation: str) -> str:
    """Name of the derived experiment of ``experiment`` under ``variation``: ``<experiment>~<variation>``."""
    return f"{experiment}{SEPARATOR}{variation}"


def split_name(name: str) -> tuple[str, str | None]:
    """(nominal experiment, variation) of a derived experiment's name; (name, None) for a nominal one."""
    parent, sep, variation = name.partition(SEPARATOR)
    return (parent, variation) if sep else (name, None)


def is_derived(name: str) -> bool:
    """Whether ``name`` is a derived experiment's (contains :data:`SEPARATOR`)."""
    return SEPARATOR in name


def _experiment_keys() -> frozenset[str]:
    from darkreach.config.schema import load_schema

    props = load_schema()["properties"]["experiments"]["additionalProperties"]["properties"]
    return frozenset(props) - FIXED_KEYS


def _check_catalogue(cfg: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    from darkreach.models import get_model, model_names

    catalogue = cfg.get("variations") or {}
    if not isinstance(catalogue, Mapping):
        raise ConfigError(f"config key 'variations': must be a mapping of variation name -> spec, got {catalogue!r}")
    allowed = _experiment_keys()
    for name, spec in catalogue.items():
        key = f"variations.{name}"
        if not isinstance(name, str) or not name or SEPARATOR in name:
            raise ConfigError(f"config key {key!r}: a variation name is a non-empty string without {SEPARATOR!r}")
        if not isinstance(spec, Mapping):
            raise ConfigError(f"config key {key!r}: must be a mapping (experiment, model, benchmark), got {spec!r}")
        extra = sorted(set(spec) - VARIATION_KEYS)
        if extra:
            raise ConfigError(f"config key {key!r}: unknown key(s) {extra}; known: {sorted(VARIATION_KEYS)}")
        if "experiment" not in spec and "benchmark" not in spec:
            raise ConfigError(
                f"config key {key!r}: a variation changes 'experiment' keys, 'benchmark' parameters or both"
            )
        overrides = spec.get("experiment", {})
        if not isinstance(overrides, Mapping) or ("experiment" in spec and not overrides):
            raise ConfigError(f"config key '{key}.experiment': must be a non-empty mapping, got {overrides!r}")
        for k in overrides:
            if k not in allowed:
                raise ConfigError(
                    f"config key '{key}.experiment.{k}': not an experiment key a variation can set (value: "
                    f"{overrides[k]!r}); known: {sorted(allowed)}"
                )
        if "benchmark" in spec and "model" not in spec:
            raise ConfigError(f"config key '{key}.benchmark': name the model whose parameters it sets ('{key}.model')")
        if "model" in spec:
            try:
                model = get_model(spec["model"])
            except KeyError:
                raise ConfigError(
                    f"config key '{key}.model': unknown model {spec['model']!r}; known: {model_names()}"
                ) from None
            bench = spec.get("benchmark", {})
            if not isinstance(bench, Mapping) or ("benchmark" in spec and not bench):
                raise ConfigError(f"config key '{key}.benchmark': must be a non-empty mapping, got {bench!r}")
            for pname, value in bench.items():
                where = f"config key '{key}.benchmark.{pname}'"
                if pname not in model.parameters:
                    raise ConfigError(f"{where}: not a parameter of {model.name!r}: {model.parameters}")
                if pname == model.mass_parameter or model.parameter_spec(pname).numeric:
                    raise ConfigError(
                        f"{where}: a variation sets model options (non-numeric parameters), not {pname!r} "
                        f"(value: {value!r})"
                    )
                try:
                    model.parameter_spec(pname).validate(value)
                except ValueError as err:
                    raise ConfigError(f"{where}: {err}") from None
    return dict(catalogue)


def expand_variations(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """``cfg`` with every experiment's ``variations`` turned into derived experiments (see the module docstring).

    Checks the catalogue, the names each experiment lists and each figure's ``systematic_band`` (errors name the
    key and the value); the values a variation sets are checked with the derived experiment by
    :func:`darkreach.config.check_config` (errors name ``experiments.<experiment>~<variation>.<key>``).
    """
    out = dict(cfg)
    experiments = cfg.get("experiments")
    if not isinstance(experiments, Mapping):
        return out  # the schema check reports it
    catalogue = _check_catalogue(cfg)
    expanded: dict[str, Any] = {}
    derived: dict[str, Any] = {}
    for name, entry in experiments.items():
        if isinstance(name, str) and SEPARATOR in name:
            raise ConfigError(
                f"config key 'experiments.{name}': {SEPARATOR!r} is reserved for derived experiments "
                "(<experiment>~<variation>); rename it"
            )
        if not isinstance(entry, Mapping) or "variations" not in entry:
            expanded[name] = entry
            continue
        names = entry["variations"]
        if not isinstance(names, list) or not all(isinstance(v, str) for v in names):
            raise ConfigError(f"config key 'experiments.{name}.variations': must be a list of names, got {names!r}")
        nominal = {k: copy.deepcopy(v) for k, v in entry.items() if k != "variations"}
        expanded[name] = nominal
        for i, vname in enumerate(names):
            if vname not in catalogue:
                raise ConfigError(
                    f"config key 'experiments.{name}.variations.{i}': unknown variation {vname!r}; known: "
                    f"{sorted(catalogue)} (top-level 'variations')"
                )
            entry_v = copy.deepcopy(nominal)
            for key, value in catalogue[vname].get("experiment", {}).items():
                if value is None:
                    entry_v.pop(key, None)
                else:
                    entry_v[key] = copy.deepcopy(value)
            derived[derived_name(name, vname)] = entry_v
    expanded.update(derived)
    out["experiments"] = expanded
    _check_figure_bands(out)
    return out


def variation_spec(cfg: Mapping[str, Any], experiment: str) -> Mapping[str, Any] | None:
    """The catalogue entry of a derived experiment's variation; None for a nominal experiment."""
    _, variation = split_name(experiment)
    if variation is None:
        return None
    return cfg["variations"][variation]


def applies_to(cfg: Mapping[str, Any], experiment: str, model: str) -> bool:
    """Whether ``experiment`` is computed for ``model``: a nominal one always, a derived one unless its variation
    names another model."""
    spec = variation_spec(cfg, experiment)
    return spec is None or spec.get("model", model) == model


def scan_source(cfg: Mapping[str, Any], experiment: str) -> str:
    """The experiment whose scan ``experiment``'s contours are made from: the nominal one for a derived experiment
    whose entry differs from it only in :data:`CONTOUR_STAGE_KEYS` and that sets no model parameter, else itself."""
    spec = variation_spec(cfg, experiment)
    if spec is None or "benchmark" in spec:
        return experiment
    parent, _ = split_name(experiment)
    mine, theirs = cfg["experiments"][experiment], cfg["experiments"][parent]

    def scan_part(entry: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in entry.items() if k not in CONTOUR_STAGE_KEYS and k != "description"}

    return parent if scan_part(mine) == scan_part(theirs) else experiment


def contour_level(cfg: Mapping[str, Any], experiment: str) -> float:
    """The N = level of ``experiment``'s contours (its ``limit``, its ``level``, else ``scan.level``)."""
    from darkreach.config.experiment import experiment_level

    scan_level = cfg["scan"].get("level")
    return experiment_level(
        cfg["experiments"][experiment], f"experiments.{experiment}", None if scan_level is None else float(scan_level)
    )


def scan_benchmark(cfg: Mapping[str, Any], experiment: str, model: str, point: Mapping[str, Any]) -> dict[str, Any]:
    """The benchmark ``point`` of ``model`` that ``experiment`` is scanned at: with a derived experiment's model
    parameters (its variation's ``benchmark``) laid over it."""
    spec = variation_spec(cfg, experiment)
    if spec is None or "benchmark" not in spec:
        return dict(point)
    if spec["model"] != model:
        raise ValueError(f"experiment {experiment!r} sets parameters of model {spec['model']!r}, not of {model!r}")
    return {**point, **spec["benchmark"]}


def check_scan_job(
    job: tuple[str, str, str],
    slice_names: tuple[str, str],
    nominal_label: str,
    nominal: Mapping[str, Any],
    point: Mapping[str, Any],
) -> None:
    """Check that a scan job's params belong to it: ``job`` = (experiment, model, benchmark label) of its
    wildcards, ``slice_names`` = (experiment, model) of its config slice, ``nominal`` the configured benchmark
    (label ``nominal_label``) and ``point`` what it is scanned at (:func:`scan_benchmark`: the nominal benchmark
    with a derived experiment's model parameters laid over it, so its label may differ).

    Raises
    ------
    ValueError
        Naming both sides when anything does not match.
    """
    experiment, model, label = job
    if slice_names != (experiment, model) or nominal_label != label:
        raise ValueError(
            f"the scan slice is for {slice_names[0]}/{slice_names[1]}/{nominal_label}, the job for "
            f"{experiment}/{model}/{label}"
        )
    overridden = variation_spec_benchmark_keys(point, nominal)
    if overridden and not is_derived(experiment):
        raise ValueError(
            f"scan {experiment}/{model}/{label}: only a derived experiment changes benchmark parameters, "
            f"got {sorted(overridden)}"
        )


def variation_spec_benchmark_keys(point: Mapping[str, Any], nominal: Mapping[str, Any]) -> set[str]:
    """The keys whose value ``point`` changes or adds with respect to ``nominal``."""
    return {k for k, v in point.items() if k not in nominal or nominal[k] != v}


def _band_names(cfg: Mapping[str, Any], figure: str) -> bool | tuple[str, ...]:
    band = cfg["figures"][figure].get("systematic_band", False)
    return tuple(band) if isinstance(band, list) else bool(band)


def figure_variations(cfg: Mapping[str, Any], figure: str, panel: int | None = None) -> dict[str, tuple[str, ...]]:
    """Curve experiment -> the derived experiments whose envelope a ``contours`` figure draws around it (none
    without ``systematic_band``; only the variations it lists, and only those that apply to its model), in all
    panels or in panel number ``panel`` (none if that panel says ``systematic_band: false``)."""
    spec = cfg["figures"][figure]
    band = _band_names(cfg, figure)
    if not band or spec.get("kind", "contours") != "contours":
        return {}
    chosen: tuple[str, ...] | None = band if isinstance(band, tuple) else None
    out: dict[str, tuple[str, ...]] = {}
    panels = spec["panels"] if panel is None else [spec["panels"][panel]]
    for pspec in panels:
        if pspec.get("systematic_band", True) is False:
            continue
        for curve in pspec["curves"]:
            parent = curve["experiment"]
            if parent in out:
                continue
            out[parent] = tuple(
                name
                for name in cfg["experiments"]
                if is_derived(name)
                and split_name(name)[0] == parent
                and applies_to(cfg, name, spec["model"])
                and (chosen is None or split_name(name)[1] in chosen)
            )
    return {k: v for k, v in out.items() if v}


def _check_figure_bands(cfg: Mapping[str, Any]) -> None:
    figures = cfg.get("figures") or {}
    if not isinstance(figures, Mapping):
        return
    catalogue = cfg.get("variations") or {}
    for fname, fig in figures.items():
        if not isinstance(fig, Mapping) or "systematic_band" not in fig or fig.get("kind", "contours") != "contours":
            continue
        band = fig["systematic_band"]
        key = f"figures.{fname}.systematic_band"
        if isinstance(band, list):
            for i, vname in enumerate(band):
                if vname not in catalogue:
                    raise ConfigError(
                        f"config key '{key}.{i}': unknown variation {vname!r}; known: {sorted(catalogue)}"
                    )
        if not band or not isinstance(fig.get("panels"), list):
            continue
        try:
            drawn = figure_variations(cfg, fname)
        except (KeyError, TypeError):
            continue  # a malformed figure: check_config names it
        shown = {split_name(d)[1] for names in drawn.values() for d in names}
        wanted = set(band) if isinstance(band, list) else set()
        missing = sorted(wanted - shown)
        if missing or not shown:
            raise ConfigError(
                f"config key {key!r}: no curve of the figure has the variation(s) {missing or 'of any kind'} for model "
                f"{fig.get('model')!r} (value: {band!r}); attach them with experiments.<name>.variations"
            )
