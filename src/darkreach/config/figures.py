"""The configured figures (``figures.<name>`` of the config) as frozen, typed specs.

A figure has a ``kind`` (default ``contours``), and each kind its spec:

- ``contours`` (:class:`FigureSpec`): panels, each a benchmark of the model, with curves read from the contour
  tables of the workflow::

      model: idm-dipole
      title: "Dipole inelastic DM: NA62 and bounds"
      source: "paper 000, Fig. 2"
      x_range: [0.01, 5]            # optional, for every panel
      y_range: [1.0e-9, 1.0e-2]     # optional
      statistical_band: true        # optional (default true): shade the 68 % Monte Carlo band of each edge
      panels:
        - benchmark: {delta: 0.1}   # -> results/contours/<experiment>/<model>/<benchmark_label>.csv
          title: "δ = 0.1"          # optional; x_range / y_range may also be set per panel
          curves:
            - {experiment: na62, exposure: 1.0e+18, threshold_gev: 1.0, label: "NA62 $10^{18}$ POT", style: solid}
            - {experiment: babar, kind: bound, label: "BaBar", style: dotted}

- ``branching`` (:class:`BranchingFigureSpec`): the production and decay branching ratios of a model against its
  mass (Fig. 1 of paper 003), computed from the model alone::

      kind: branching
      model: inelastic-scalar
      title: "paper 003 Fig. 1"          # optional; the benchmark is appended
      source: "paper 003, Fig. 1"
      benchmark: {delta: 10}
      coupling: 1000.0                  # the model's scanned coupling (Lambda, GeV)
      mass_gev: {min: 1.0e-3, max: 2.0, num: 121}

:func:`figure_spec_from_config` validates one entry into its spec; errors are ValueErrors naming the key, e.g.
``figures.fig_2.panels.0.curves.1.style``, and the value. The configuration checks
(:func:`darkreach.config.check_config`) run it on every figure, and the ``figure`` rule's script turns its
``params.spec`` into the spec with it; drawing is :mod:`darkreach.output.figures`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from darkreach.output.style import CURVE_KINDS, LINE_STYLES, latex_name

#: Figure kinds and what each draws.
FIGURE_KINDS: dict[str, str] = {
    "contours": "sensitivity regions and bounds read from the contour tables, one panel per benchmark",
    "branching": "production and decay branching ratios of a model against its mass",
    "production": "LLPs produced per meson channel and from partons at some experiments, against the mass",
}
DEFAULT_KIND = "contours"

CURVE_KEYS = ("experiment", "exposure", "threshold_gev", "label", "style", "colour", "kind")
PANEL_KEYS = ("benchmark", "title", "curves", "x_range", "y_range", "systematic_band", "bounds", "overlays")
FIGURE_KEYS = (
    "kind",
    "model",
    "title",
    "source",
    "panels",
    "x_range",
    "y_range",
    "systematic_band",
    "statistical_band",
    "overlays",
)
BRANCHING_KEYS = ("kind", "model", "title", "source", "benchmark", "coupling", "mass_gev")
PRODUCTION_KEYS = (*BRANCHING_KEYS, "experiments", "context")


@dataclass(frozen=True)
class CurveSpec:
    """One curve of a panel: the contour of ``experiment`` at one exposure and threshold.

    ``exposure`` / ``threshold_gev`` None means "the only value in the table"; ``label`` None means one made
    from the experiment, exposure and threshold drawn. ``style`` is one of
    :data:`~darkreach.output.style.LINE_STYLES`, ``colour`` None means the experiment's palette colour, ``kind``
    is sensitivity or bound.
    """

    experiment: str
    label: str | None = None
    exposure: float | None = None
    threshold_gev: float | None = None
    style: str = "solid"
    colour: str | None = None
    kind: str = "sensitivity"
    #: Where the table lives: ``contours`` (an experiment's scan) or ``bounds`` (a computed bound of
    #: :mod:`darkreach.bounds`, from the panel's ``bounds`` list).
    table: str = "contours"


@dataclass(frozen=True)
class PanelSpec:
    """One panel: a benchmark point of the model, its curves and optional axis limits."""

    benchmark: Mapping[str, Any]
    title: str
    curves: tuple[CurveSpec, ...]
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    #: False: no systematic envelope in this panel even if the figure draws them.
    systematic_band: bool = True
    #: Curve files (:mod:`darkreach.output.overlays`) drawn in this panel: the panel's ``overlays`` and those of the
    #: figure.
    overlays: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """File name stem of the panel's contour tables (:func:`darkreach.config.benchmark_label`)."""
        from darkreach.config import benchmark_label

        return benchmark_label(self.benchmark)


@dataclass(frozen=True)
class FigureSpec:
    """A validated ``contours`` figure (see the module docstring)."""

    kind: ClassVar[str] = "contours"
    name: str
    model: str
    title: str
    panels: tuple[PanelSpec, ...]
    source: str = ""
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    #: Draw the envelope of the curves' systematic variations: False, True (all) or the variation names
    #: (:mod:`darkreach.config.variations`, :mod:`darkreach.output.figures.envelope`).
    systematic_band: bool | tuple[str, ...] = False
    #: Shade the 68 % Monte Carlo band of every contour edge (:mod:`darkreach.sensitivity.bands`).
    statistical_band: bool = True


@dataclass(frozen=True)
class BranchingFigureSpec:
    """A validated ``branching`` figure: branching ratios of ``model`` at ``benchmark`` (without the mass) and
    scanned coupling ``coupling``, at the masses ``mass_gev`` (a grid spec: :func:`darkreach.config.grid_values`)."""

    kind: ClassVar[str] = "branching"
    name: str
    model: str
    title: str
    benchmark: Mapping[str, Any]
    coupling: float
    mass_gev: Any
    source: str = ""


@dataclass(frozen=True)
class ProductionFigureSpec:
    """A validated ``production`` figure: LLPs produced (eqs. 2.3, 2.6, 2.7 of paper 003) per meson channel and
    from partons at each of ``experiments`` (one panel each), for ``model`` at ``benchmark`` and ``coupling``,
    against the masses ``mass_gev``. ``context`` holds the experiments' and beams' config entries; the workflow's
    figure slice adds it (:func:`darkreach.config.slices.figure_slice`), the builder needs it."""

    kind: ClassVar[str] = "production"
    name: str
    model: str
    title: str
    benchmark: Mapping[str, Any]
    coupling: float
    mass_gev: Any
    experiments: tuple[str, ...]
    source: str = ""
    context: Mapping[str, Any] | None = None


def _fail(path: str, message: str, value: Any) -> ValueError:
    return ValueError(f"{path}: {message} (got {value!r})")


def _check_keys(mapping: Any, allowed: Sequence[str], required: Sequence[str], path: str) -> None:
    if not isinstance(mapping, Mapping):
        raise _fail(path, "must be a mapping", mapping)
    for key in mapping:
        if key not in allowed:
            raise _fail(f"{path}.{key}", f"unknown key; allowed keys are {list(allowed)}", mapping[key])
    for key in required:
        if key not in mapping:
            raise ValueError(f"{path}.{key}: required key is missing")


def _string(value: Any, path: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not value.strip() and not allow_empty):
        raise _fail(path, "must be a non-empty string" if not allow_empty else "must be a string", value)
    return value


def _positive(value: Any, path: str, allow_zero: bool = False) -> float:
    if isinstance(value, bool):
        raise _fail(path, "must be a number", value)
    try:
        x = float(value)  # YAML 1.1 reads 1e18 (no dot) as a string
    except (TypeError, ValueError):
        raise _fail(path, "must be a number", value) from None
    if not math.isfinite(x) or x < 0 or (x == 0 and not allow_zero):
        raise _fail(path, "must be a finite number " + (">= 0" if allow_zero else "> 0"), value)
    return x


def _range(value: Any, path: str) -> tuple[float, float] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise _fail(path, "must be a list [low, high]", value)
    lo, hi = (_positive(v, f"{path}[{i}]") for i, v in enumerate(value))
    if not lo < hi:
        raise _fail(path, "low must be below high", value)
    return lo, hi


def benchmark_title(benchmark: Mapping[str, Any]) -> str:
    """Default panel title of a benchmark: '$\\delta$ = 0.1', tables of couplings as 'custom'."""
    parts = []
    for key, value in benchmark.items():
        text = "custom" if isinstance(value, Mapping) else (f"{value:g}" if isinstance(value, float) else str(value))
        parts.append(f"{latex_name(key)} = {text}")
    return ", ".join(parts)


def _curve_spec(mapping: Any, path: str) -> CurveSpec:
    from matplotlib.colors import is_color_like

    _check_keys(mapping, CURVE_KEYS, ("experiment",), path)
    experiment = _string(mapping["experiment"], f"{path}.experiment")
    exposure = threshold = None
    if mapping.get("exposure") is not None:
        exposure = _positive(mapping["exposure"], f"{path}.exposure")
    if mapping.get("threshold_gev") is not None:
        threshold = _positive(mapping["threshold_gev"], f"{path}.threshold_gev", allow_zero=True)
    style = mapping.get("style", "solid")
    if style not in LINE_STYLES:
        raise _fail(f"{path}.style", f"must be one of {list(LINE_STYLES)}", style)
    kind = mapping.get("kind", "sensitivity")
    if kind not in CURVE_KINDS:
        raise _fail(f"{path}.kind", f"must be one of {list(CURVE_KINDS)}", kind)
    colour = mapping.get("colour")
    if colour is not None and (not isinstance(colour, str) or not is_color_like(colour)):
        raise _fail(f"{path}.colour", "must be a matplotlib colour name or #rrggbb", colour)
    label = mapping.get("label")
    label = None if label is None else _string(label, f"{path}.label")
    return CurveSpec(experiment, label, exposure, threshold, style, colour, kind)


def _panel_spec(mapping: Any, path: str, figure_overlays: tuple[str, ...] = ()) -> PanelSpec:
    _check_keys(mapping, PANEL_KEYS, ("benchmark", "curves"), path)
    benchmark = mapping["benchmark"]
    if not isinstance(benchmark, Mapping) or not benchmark:
        raise _fail(f"{path}.benchmark", "must be a non-empty mapping of benchmark parameters", benchmark)
    curves = mapping["curves"]
    if isinstance(curves, (str, bytes, Mapping)) or not isinstance(curves, Sequence) or not curves:
        raise _fail(f"{path}.curves", "must be a non-empty list of curves", curves)
    specs = tuple(_curve_spec(c, f"{path}.curves.{j}") for j, c in enumerate(curves))
    specs += _bound_curves(mapping.get("bounds", []), f"{path}.bounds")
    title = mapping.get("title")
    title = benchmark_title(benchmark) if title is None else _string(title, f"{path}.title", allow_empty=True)
    if mapping.get("systematic_band", False) is not False:
        raise _fail(f"{path}.systematic_band", "can only be false (the figure's systematic_band chooses)",
                    mapping["systematic_band"])  # fmt: skip
    return PanelSpec(
        dict(benchmark),
        title,
        specs,
        _range(mapping.get("x_range"), f"{path}.x_range"),
        _range(mapping.get("y_range"), f"{path}.y_range"),
        systematic_band="systematic_band" not in mapping,
        overlays=_paths(mapping.get("overlays", []), f"{path}.overlays") + figure_overlays,
    )


def _paths(value: Any, path: str) -> tuple[str, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise _fail(path, "must be a list of curve-file paths", value)
    return tuple(_string(v, f"{path}.{i}") for i, v in enumerate(value))


def _bound_curves(value: Any, path: str) -> tuple[CurveSpec, ...]:
    """The curves of a panel's ``bounds`` list: one computed bound each (:mod:`darkreach.bounds`)."""
    from darkreach.bounds import bound_class
    from darkreach.bounds.experiment_bounds import ExperimentBound

    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise _fail(path, "must be a list of bound names", value)
    out = []
    for i, name in enumerate(value):
        where = f"{path}.{i}"
        _string(name, where)
        try:
            cls = bound_class(name)
        except KeyError as err:
            raise _fail(where, str(err.args[0]), name) from None
        if issubclass(cls, ExperimentBound):
            raise _fail(where, f"{name!r} is computed as an experiment; draw it as a curve "
                        f"{{experiment: {name}, kind: bound}}", name)  # fmt: skip
        kind = "bound" if cls.kind == "bound" else "sensitivity"
        style = "solid" if cls.kind == "bound" else "dotted"
        out.append(CurveSpec(name, cls.label, style=style, colour=cls.colour, kind=kind, table="bounds"))
    return tuple(out)


def _contour_figure(name: str, mapping: Mapping[str, Any], path: str) -> FigureSpec:
    _check_keys(mapping, FIGURE_KEYS, ("model", "panels"), path)
    model = _string(mapping["model"], f"{path}.model")
    panels = mapping["panels"]
    if isinstance(panels, (str, bytes, Mapping)) or not isinstance(panels, Sequence) or not panels:
        raise _fail(f"{path}.panels", "must be a non-empty list of panels", panels)
    title = _string(mapping.get("title", ""), f"{path}.title", allow_empty=True)
    source = _string(mapping.get("source", ""), f"{path}.source", allow_empty=True)
    overlays = _paths(mapping.get("overlays", []), f"{path}.overlays")
    return FigureSpec(
        name=name,
        model=model,
        title=title,
        panels=tuple(_panel_spec(p, f"{path}.panels.{i}", overlays) for i, p in enumerate(panels)),
        source=source,
        x_range=_range(mapping.get("x_range"), f"{path}.x_range"),
        y_range=_range(mapping.get("y_range"), f"{path}.y_range"),
        systematic_band=_band(mapping.get("systematic_band", False), f"{path}.systematic_band"),
        statistical_band=_flag(mapping.get("statistical_band", True), f"{path}.statistical_band"),
    )


def _band(value: Any, path: str) -> bool | tuple[str, ...]:
    if isinstance(value, bool):
        return value
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)) and value:
        return tuple(_string(v, f"{path}.{i}") for i, v in enumerate(value))
    raise _fail(path, "must be true, false or a non-empty list of variation names", value)


def _flag(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, "must be true or false", value)
    return value


def _branching_figure(name: str, mapping: Mapping[str, Any], path: str) -> BranchingFigureSpec:
    from darkreach.config import ConfigError, grid_values

    _check_keys(mapping, BRANCHING_KEYS, ("model", "benchmark", "coupling", "mass_gev"), path)
    model = _string(mapping["model"], f"{path}.model")
    benchmark = mapping["benchmark"]
    if not isinstance(benchmark, Mapping) or not benchmark:
        raise _fail(f"{path}.benchmark", "must be a non-empty mapping of benchmark parameters", benchmark)
    try:
        grid_values(mapping["mass_gev"], f"{path}.mass_gev")
    except ConfigError as err:  # "config key 'figures.f.mass_gev': <message>"
        raise ValueError(f"{path}.mass_gev: {str(err).partition(': ')[2]}") from None
    except (KeyError, TypeError, ValueError):
        message = "must be a grid: a list or {min, max, num, spacing}"
        raise _fail(f"{path}.mass_gev", message, mapping["mass_gev"]) from None
    return BranchingFigureSpec(
        name=name,
        model=model,
        title=_string(mapping.get("title", ""), f"{path}.title", allow_empty=True),
        benchmark=dict(benchmark),
        coupling=_positive(mapping["coupling"], f"{path}.coupling"),
        mass_gev=mapping["mass_gev"],
        source=_string(mapping.get("source", ""), f"{path}.source", allow_empty=True),
    )


def _production_figure(name: str, mapping: Mapping[str, Any], path: str) -> ProductionFigureSpec:
    _check_keys(mapping, PRODUCTION_KEYS, ("model", "benchmark", "coupling", "mass_gev", "experiments"), path)
    base = _branching_figure(name, {k: v for k, v in mapping.items() if k in BRANCHING_KEYS}, path)
    experiments = mapping["experiments"]
    if (isinstance(experiments, str) or not isinstance(experiments, Sequence) or not experiments
            or not all(isinstance(e, str) and e for e in experiments)):  # fmt: skip
        raise _fail(f"{path}.experiments", "must be a non-empty list of experiment names", experiments)
    context = mapping.get("context")
    if context is not None and not isinstance(context, Mapping):
        raise _fail(f"{path}.context", "must be a mapping", context)
    return ProductionFigureSpec(
        name=name, model=base.model, title=base.title, benchmark=base.benchmark, coupling=base.coupling,
        mass_gev=base.mass_gev, experiments=tuple(experiments), source=base.source, context=context,
    )  # fmt: skip


def figure_kind(mapping: Mapping[str, Any]) -> str:
    """The ``kind`` of a figure entry (``contours`` when not given)."""
    return mapping.get("kind", DEFAULT_KIND) if isinstance(mapping, Mapping) else DEFAULT_KIND


def figure_spec_from_config(
    name: str, mapping: Mapping[str, Any]
) -> FigureSpec | BranchingFigureSpec | ProductionFigureSpec:
    """Validate ``figures.<name>`` of the config into the spec of its kind (:data:`FIGURE_KINDS`).

    Errors are ValueErrors naming the key, e.g. ``figures.fig_2.panels.0.curves.1.style``, and the value.
    """
    path = f"figures.{name}"
    if not isinstance(mapping, Mapping):
        raise _fail(path, "must be a mapping", mapping)
    kind = figure_kind(mapping)
    if kind == "contours":
        return _contour_figure(name, mapping, path)
    if kind == "branching":
        return _branching_figure(name, mapping, path)
    if kind == "production":
        return _production_figure(name, mapping, path)
    raise _fail(f"{path}.kind", f"must be one of {list(FIGURE_KINDS)}", kind)
