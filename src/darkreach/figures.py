"""Paper figures from contour tables: multi-panel PNG/PDF, the long-format CSV of every curve and a HEPData record.

A figure is described by a config mapping (``figures.<name>`` of the workflow config)::

    model: idm-dipole
    title: "Dipole inelastic DM: NA62 and bounds"
    source: "paper 000, Fig. 2"
    x_range: [0.01, 5]            # optional, for every panel
    y_range: [1.0e-9, 1.0e-2]     # optional
    panels:
      - benchmark: {delta: 0.1}   # -> results/contours/<experiment>/<model>/<benchmark_label>.csv
        title: "δ = 0.1"          # optional; x_range / y_range may also be set per panel
        curves:
          - {experiment: na62, exposure: 1.0e+18, threshold_gev: 1.0, label: "NA62 $10^{18}$ POT", style: solid}
          - {experiment: babar, kind: bound, label: "BaBar", style: dotted}

:func:`figure_spec_from_config` validates it into a :class:`FigureSpec`, :func:`contour_files` lists the contour
tables it needs and :func:`make_figure` draws it. A *sensitivity* is drawn as the outline of its N >= level
region; a *bound* as a filled, semi-transparent excluded region with its outline. A curve whose table has no row
for its exposure and threshold appears in the legend as "(no reach)" and is logged.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import is_color_like, to_rgba  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import NullFormatter  # noqa: E402

from darkreach.config import benchmark_label  # noqa: E402
from darkreach.hepdata import Qualifier, Table, Variable, write_validated_submission  # noqa: E402
from darkreach.plotting import EXPERIMENT_COLOURS, draw_region, read_contours_csv  # noqa: E402
from darkreach.provenance import provenance as make_provenance  # noqa: E402
from darkreach.provenance import write_provenance_lines  # noqa: E402

log = logging.getLogger("darkreach.figures")

STYLES = {"solid": "-", "dotted": ":", "dashed": "--", "dashdot": "-."}
KINDS = ("sensitivity", "bound")
CURVE_KEYS = ("experiment", "exposure", "threshold_gev", "label", "style", "colour", "kind")
PANEL_KEYS = ("benchmark", "title", "curves", "x_range", "y_range")
FIGURE_KEYS = ("model", "title", "source", "panels", "x_range", "y_range")

#: fixed colour per experiment (the beam-dump ones of darkreach.plotting, then the others of the two papers)
PALETTE = {
    **EXPERIMENT_COLOURS,
    "ship_ecn3": "tab:red",
    "ship2019": "tab:orange",
    "faser": "tab:pink",
    "mathusla": "tab:cyan",
    "charm": "tab:brown",
    "charm2": "tab:olive",
    "nucal": "darkgoldenrod",
    "bebc": "teal",
    "babar": "tab:gray",
    "lsnd": "darkslategray",
}
#: colours handed out, in order of first appearance, to experiments missing from PALETTE
FALLBACK_COLOURS = ("navy", "crimson", "darkgreen", "darkorange", "indigo", "saddlebrown", "deeppink", "black")
DISPLAY_NAMES = {"ship_ecn3": "SHiP", "ship2019": "SHiP (2019)", "charm2": "CHARM-II", "faser2": "FASER 2"}
BOUND_ALPHA = 0.25

CSV_COLUMNS = (
    "panel", "benchmark", "experiment", "label", "kind", "exposure", "threshold_gev", "level", "mass", "interval",
    "coupling_low", "coupling_high", "low_at_grid_edge", "high_at_grid_edge",
)  # fmt: skip

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
    "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
}  # fmt: skip


# ----------------------------------------------------------------------------------------------------------------
# specification


@dataclass(frozen=True)
class CurveSpec:
    """One curve of a panel: the contour of ``experiment`` at one exposure and threshold.

    ``exposure`` / ``threshold_gev`` None means "the only value in the table"; ``label`` None means one made
    from the experiment, exposure and threshold drawn. ``style`` is one of
    :data:`STYLES`, ``colour`` None means the experiment's palette colour, ``kind`` is sensitivity or bound.
    """

    experiment: str
    label: str | None = None
    exposure: float | None = None
    threshold_gev: float | None = None
    style: str = "solid"
    colour: str | None = None
    kind: str = "sensitivity"


@dataclass(frozen=True)
class PanelSpec:
    """One panel: a benchmark point of the model, its curves and optional axis limits."""

    benchmark: Mapping[str, Any]
    title: str
    curves: tuple[CurveSpec, ...]
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None

    @property
    def label(self) -> str:
        """File name stem of the panel's contour tables (:func:`darkreach.config.benchmark_label`)."""
        return benchmark_label(self.benchmark)


@dataclass(frozen=True)
class FigureSpec:
    """A validated figure description (see the module docstring)."""

    name: str
    model: str
    title: str
    panels: tuple[PanelSpec, ...]
    source: str = ""
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None


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


def latex_name(name: str) -> str:
    """Mathtext of a parameter name: m1 -> $m_1$, Lambda -> $\\Lambda$, M_Zprime -> $M_{Z'}$, delta -> $\\delta$."""
    name = name.strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        return name

    def part(text: str) -> str:
        if text.lower() in GREEK:
            return "\\" + text
        return text.replace("prime", "'")

    if "_" in name:
        base, sub = name.split("_", 1)
    else:
        match = re.fullmatch(r"([A-Za-z]+?)(\d+)", name)
        base, sub = (match.group(1), match.group(2)) if match else (name, "")
    text = part(base)
    if sub:
        sub = part(sub.replace("_", ","))
        text += f"_{{{sub}}}" if len(sub) > 1 else f"_{sub}"
    return f"${text}$"


def latex_unit(unit: str) -> str:
    """Mathtext of a unit: GeV^-1 -> GeV$^{-1}$."""
    return re.sub(r"\^\{?(-?[0-9.]+)\}?", r"$^{\1}$", unit.strip())


def axis_label(header: str) -> str:
    """Axis label of a contour-table header entry, e.g. 'd [GeV^-1]' -> '$d$ [GeV$^{-1}$]', 'delta []' -> '$\\delta$'.

    Text after the unit (e.g. 'from Lambda with {...}') is left out.
    """
    match = re.match(r"\s*(\S+)\s*(?:\[([^\]]*)\])?", header)
    if not match:
        return header.strip()
    name, unit = match.group(1), (match.group(2) or "").strip()
    return f"{latex_name(name)} [{latex_unit(unit)}]" if unit else latex_name(name)


def _split_header(header: str) -> tuple[str, str]:
    """(name, unit) of a header entry such as 'd [GeV^-1]'."""
    match = re.match(r"\s*(\S+)\s*(?:\[([^\]]*)\])?", header)
    if not match:
        return header.strip(), ""
    return match.group(1), (match.group(2) or "").strip()


def power_text(x: float) -> str:
    """1e18 -> '$10^{18}$', 5e19 -> '$5\\times10^{19}$', 300 -> '300'."""
    if x <= 0 or not math.isfinite(x):
        return f"{x:g}"
    exponent = math.floor(math.log10(x))
    if -2 <= exponent <= 3:
        return f"{x:g}"
    mantissa = x / 10**exponent
    if math.isclose(mantissa, round(mantissa), rel_tol=1e-9):
        mantissa = round(mantissa)
    if mantissa == 1:
        return f"$10^{{{exponent}}}$"
    return f"${mantissa:g}\\times10^{{{exponent}}}$"


def display_name(experiment: str) -> str:
    return DISPLAY_NAMES.get(experiment, experiment.upper())


def _default_label(experiment: str, exposure: float | None, threshold: float | None) -> str:
    label = display_name(experiment)
    if exposure is not None:
        label += f" {power_text(exposure)}"
    if threshold is not None:
        label += f", $E > {threshold:g}$ GeV"
    return label


def _benchmark_title(benchmark: Mapping[str, Any]) -> str:
    parts = []
    for key, value in benchmark.items():
        text = "custom" if isinstance(value, Mapping) else (f"{value:g}" if isinstance(value, float) else str(value))
        parts.append(f"{latex_name(key)} = {text}")
    return ", ".join(parts)


def _curve_spec(mapping: Any, path: str) -> CurveSpec:
    _check_keys(mapping, CURVE_KEYS, ("experiment",), path)
    experiment = _string(mapping["experiment"], f"{path}.experiment")
    exposure = threshold = None
    if mapping.get("exposure") is not None:
        exposure = _positive(mapping["exposure"], f"{path}.exposure")
    if mapping.get("threshold_gev") is not None:
        threshold = _positive(mapping["threshold_gev"], f"{path}.threshold_gev", allow_zero=True)
    style = mapping.get("style", "solid")
    if style not in STYLES:
        raise _fail(f"{path}.style", f"must be one of {list(STYLES)}", style)
    kind = mapping.get("kind", "sensitivity")
    if kind not in KINDS:
        raise _fail(f"{path}.kind", f"must be one of {list(KINDS)}", kind)
    colour = mapping.get("colour")
    if colour is not None and (not isinstance(colour, str) or not is_color_like(colour)):
        raise _fail(f"{path}.colour", "must be a matplotlib colour name or #rrggbb", colour)
    label = mapping.get("label")
    label = None if label is None else _string(label, f"{path}.label")
    return CurveSpec(experiment, label, exposure, threshold, style, colour, kind)


def _panel_spec(mapping: Any, path: str) -> PanelSpec:
    _check_keys(mapping, PANEL_KEYS, ("benchmark", "curves"), path)
    benchmark = mapping["benchmark"]
    if not isinstance(benchmark, Mapping) or not benchmark:
        raise _fail(f"{path}.benchmark", "must be a non-empty mapping of benchmark parameters", benchmark)
    curves = mapping["curves"]
    if isinstance(curves, (str, bytes, Mapping)) or not isinstance(curves, Sequence) or not curves:
        raise _fail(f"{path}.curves", "must be a non-empty list of curves", curves)
    specs = tuple(_curve_spec(c, f"{path}.curves.{j}") for j, c in enumerate(curves))
    title = mapping.get("title")
    title = _benchmark_title(benchmark) if title is None else _string(title, f"{path}.title", allow_empty=True)
    return PanelSpec(
        dict(benchmark),
        title,
        specs,
        _range(mapping.get("x_range"), f"{path}.x_range"),
        _range(mapping.get("y_range"), f"{path}.y_range"),
    )


def figure_spec_from_config(name: str, mapping: Mapping[str, Any]) -> FigureSpec:
    """Validate ``figures.<name>`` of the config into a :class:`FigureSpec`.

    Errors are ValueErrors naming the key, e.g. ``figures.fig_2.panels.0.curves.1.style``, and the value.
    """
    path = f"figures.{name}"
    _check_keys(mapping, FIGURE_KEYS, ("model", "panels"), path)
    model = _string(mapping["model"], f"{path}.model")
    panels = mapping["panels"]
    if isinstance(panels, (str, bytes, Mapping)) or not isinstance(panels, Sequence) or not panels:
        raise _fail(f"{path}.panels", "must be a non-empty list of panels", panels)
    title = _string(mapping.get("title", ""), f"{path}.title", allow_empty=True)
    source = _string(mapping.get("source", ""), f"{path}.source", allow_empty=True)
    return FigureSpec(
        name=name,
        model=model,
        title=title,
        panels=tuple(_panel_spec(p, f"{path}.panels.{i}") for i, p in enumerate(panels)),
        source=source,
        x_range=_range(mapping.get("x_range"), f"{path}.x_range"),
        y_range=_range(mapping.get("y_range"), f"{path}.y_range"),
    )


def contour_files(spec: FigureSpec, results_dir: str | Path) -> dict[tuple[str, str], Path]:
    """Contour tables the figure reads: (experiment, benchmark label) -> results/contours/<exp>/<model>/<label>.csv."""
    results_dir = Path(results_dir)
    files: dict[tuple[str, str], Path] = {}
    for panel in spec.panels:
        for curve in panel.curves:
            key = (curve.experiment, panel.label)
            files.setdefault(key, results_dir / "contours" / curve.experiment / spec.model / f"{panel.label}.csv")
    return files


# ----------------------------------------------------------------------------------------------------------------
# selection


@dataclass
class DrawnCurve:
    """A curve resolved against its contour table: the chosen exposure/threshold/level and its rows."""

    panel: int
    spec: CurveSpec
    colour: str
    exposure: float | None
    threshold_gev: float | None
    level: float | None
    rows: list[dict[str, Any]]
    path: Path

    @property
    def no_reach(self) -> bool:
        return not self.rows

    @property
    def label(self) -> str:
        return self.spec.label or _default_label(self.spec.experiment, self.exposure, self.threshold_gev)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def select_rows(
    rows: Sequence[Mapping[str, Any]], curve: CurveSpec, where: str, path: str | Path = ""
) -> tuple[float | None, float | None, float | None, list[dict[str, Any]]]:
    """Rows of ``curve``'s exposure and threshold: (exposure, threshold, level, rows).

    An exposure or threshold left out must be unique in the table (ValueError naming ``where`` and the available
    values otherwise); one absent from the table gives no rows.
    """
    chosen: dict[str, float | None] = {}
    selected = [dict(r) for r in rows]
    for key, column, requested in (
        ("exposure", "exposure", curve.exposure),
        ("threshold_gev", "energy_threshold_gev", curve.threshold_gev),
        ("level", "level", None),
    ):
        available = sorted({float(r[column]) for r in rows})
        if requested is None:
            if len(available) > 1:
                hint = f"; set {key} to one of them" if key != "level" else ""
                raise ValueError(
                    f"{where}: {key} is not given and {str(path) or 'the contour table'} holds several values "
                    f"{[float(f'{v:.8g}') for v in available]}{hint}"
                )
            value = available[0] if available else None
        else:
            value = requested
        chosen[key] = value
        if value is not None:
            selected = [r for r in selected if _close(float(r[column]), value)]
    return chosen["exposure"], chosen["threshold_gev"], chosen["level"], selected


def _finite_rows(rows: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    good = []
    for r in rows:
        values = (r["mass"], r["coupling_low"], r["coupling_high"])
        if all(math.isfinite(v) and v > 0 for v in values) and r["coupling_low"] <= r["coupling_high"]:
            good.append(r)
    if len(good) < len(rows):
        dropped = len(rows) - len(good)
        log.warning("%s: dropped %d rows with non-finite, non-positive or reversed values", where, dropped)
    return good


def _colours(spec: FigureSpec) -> dict[str, str]:
    colours: dict[str, str] = {}
    spare = iter(FALLBACK_COLOURS * 8)
    for panel in spec.panels:
        for curve in panel.curves:
            if curve.experiment not in colours:
                colours[curve.experiment] = PALETTE.get(curve.experiment) or next(spare, "black")
    return colours


def resolve_curves(
    spec: FigureSpec, files: Mapping[tuple[str, str], str | Path]
) -> tuple[list[DrawnCurve], list[dict[str, Any]]]:
    """Read every curve's table and select its rows; returns the curves and each panel's header metadata."""
    colours = _colours(spec)
    cache: dict[Path, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    curves: list[DrawnCurve] = []
    panel_meta: list[dict[str, Any]] = []
    for i, panel in enumerate(spec.panels):
        meta_here: dict[str, Any] = {}
        for j, curve in enumerate(panel.curves):
            where = f"figures.{spec.name}.panels.{i}.curves.{j} ({curve.experiment}, {panel.label})"
            key = (curve.experiment, panel.label)
            if key not in files:
                raise KeyError(f"{where}: no contour file given for {key}")
            path = Path(files[key])
            if path not in cache:
                cache[path] = read_contours_csv(path)
            meta, rows = cache[path]
            if meta["model"] != spec.model:
                raise ValueError(f"{where}: {str(path)!r} is a contour of model {meta['model']!r}, not {spec.model!r}")
            if benchmark_label(meta["benchmark"]) != panel.label:
                log.warning("%s: %s holds benchmark %s, the panel asks for %s", where, path, meta["benchmark"],
                            dict(panel.benchmark))  # fmt: skip
            if not meta_here:
                meta_here = meta
            else:
                for axis in ("mass_label", "coupling_label"):
                    if _split_header(meta[axis]) != _split_header(meta_here[axis]):
                        raise ValueError(
                            f"{where}: axis {meta[axis]!r} of {str(path)!r} differs from {meta_here[axis]!r} of the "
                            "panel's other curves"
                        )
            exposure, threshold, level, sel = select_rows(rows, curve, where, path)
            sel = _finite_rows(sel, where)
            if not sel:
                have = sorted({(r["exposure"], r["energy_threshold_gev"]) for r in rows})
                log.warning(
                    "%s: no reach (no rows for exposure=%s, threshold_gev=%s in %s; the table holds %s)",
                    where, exposure, threshold, path, have or "no rows",
                )  # fmt: skip
            else:
                log.info("%s: %d rows (exposure=%g, threshold_gev=%g, level=%g)", where, len(sel), exposure,
                         threshold, level)  # fmt: skip
            colour = curve.colour or colours[curve.experiment]
            curves.append(DrawnCurve(i, curve, colour, exposure, threshold, level, sel, path))
        panel_meta.append(meta_here)
    return curves, panel_meta


# ----------------------------------------------------------------------------------------------------------------
# drawing and tables


def _grid(n: int) -> tuple[int, int]:
    if n <= 3:
        return 1, n
    ncols = math.ceil(math.sqrt(n))
    return math.ceil(n / ncols), ncols


def _legend_handle(curve: DrawnCurve) -> Any:
    """The curve's legend key; faded for a curve without reach (nothing of it is drawn)."""
    ls = STYLES[curve.spec.style]
    fade = 0.35 if curve.no_reach else 1.0
    edge = to_rgba(curve.colour, fade)
    if curve.spec.kind == "bound":
        face = to_rgba(curve.colour, BOUND_ALPHA * fade)
        return Patch(facecolor=face, edgecolor=edge, linestyle=ls, lw=1.4)
    return Line2D([], [], color=edge, linestyle=ls, lw=1.8)


def draw_figure(spec: FigureSpec, curves: Sequence[DrawnCurve], panel_meta: Sequence[Mapping[str, Any]]) -> Any:
    """The matplotlib figure: one column per panel (a grid above three panels), log-log axes."""
    nrows, ncols = _grid(len(spec.panels))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.8 * ncols, 4.3 * nrows), squeeze=False)
    flat = list(axes.flat)
    for ax in flat[len(spec.panels) :]:
        ax.set_visible(False)
    for i, (panel, ax) in enumerate(zip(spec.panels, flat)):
        meta = panel_meta[i]
        handles, labels = [], []
        for curve in (c for c in curves if c.panel == i):
            label = curve.label + (" (no reach)" if curve.no_reach else "")
            handles.append(_legend_handle(curve))
            labels.append(label)
            if curve.no_reach:
                continue
            style = {"color": curve.colour, "linestyle": STYLES[curve.spec.style]}
            if curve.spec.kind == "bound":
                draw_region(ax, curve.rows, fill_alpha=BOUND_ALPHA, lw=1.2, zorder=1, **style)
            else:
                draw_region(ax, curve.rows, lw=1.8, zorder=3, **style)
        ax.set_xscale("log")
        ax.set_yscale("log")
        for axis in (ax.xaxis, ax.yaxis):  # decade labels only: minor labels overlap on short log ranges
            axis.set_minor_formatter(NullFormatter())
        x_range = panel.x_range or spec.x_range
        y_range = panel.y_range or spec.y_range
        if x_range:
            ax.set_xlim(*x_range)
        if y_range:
            ax.set_ylim(*y_range)
        ax.set_xlabel(axis_label(meta.get("mass_label", "mass")))
        ax.set_ylabel(axis_label(meta.get("coupling_label", "coupling")))
        ax.set_title(panel.title)
        ax.grid(True, which="major", alpha=0.3)
        if not any(c.panel == i and not c.no_reach for c in curves):
            ax.text(0.5, 0.5, "no sensitivity", transform=ax.transAxes, ha="center", va="center", color="0.4")
        ax.legend(handles, labels, fontsize=7.5, loc="best", framealpha=0.85)
    if spec.title:
        fig.suptitle(spec.title)
    fig.tight_layout()
    return fig


def _num(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def curve_table_rows(spec: FigureSpec, curves: Sequence[DrawnCurve]) -> list[dict[str, Any]]:
    """The long-format rows of every curve drawn (one per mass and interval), as written to the CSV."""
    out = []
    for c in curves:
        panel = spec.panels[c.panel]
        bench = json.dumps(dict(panel.benchmark), sort_keys=False)
        for r in sorted(c.rows, key=lambda r: (r["mass"], r["interval"])):
            out.append(
                {
                    "panel": c.panel,
                    "benchmark": bench,
                    "experiment": c.spec.experiment,
                    "label": c.label,
                    "kind": c.spec.kind,
                    "exposure": _num(r["exposure"]),
                    "threshold_gev": _num(r["energy_threshold_gev"]),
                    "level": _num(r["level"]),
                    "mass": _num(r["mass"]),
                    "interval": int(r["interval"]),
                    "coupling_low": _num(r["coupling_low"]),
                    "coupling_high": _num(r["coupling_high"]),
                    "low_at_grid_edge": bool(r.get("low_at_grid_edge", False)),
                    "high_at_grid_edge": bool(r.get("high_at_grid_edge", False)),
                }
            )
    return out


def write_curves_csv(
    spec: FigureSpec, curves: Sequence[DrawnCurve], path: str | Path, provenance: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Write :func:`curve_table_rows` to ``path`` after the ``# key: value`` provenance lines (``provenance``,
    default :func:`darkreach.provenance.provenance`); returns the rows."""
    rows = curve_table_rows(spec, curves)
    with Path(path).open("w", newline="") as fh:
        write_provenance_lines(fh, make_provenance() if provenance is None else provenance)
        writer = csv.DictWriter(fh, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _plain(text: str) -> str:
    """A label without mathtext markup: 'NA62 $10^{18}$ POT' -> 'NA62 10^18 POT'."""
    text = text.replace("$", "").replace("\\times", "x").replace("\\", "")
    text = re.sub(r"\{([^{}]*)\}", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def hepdata_tables(
    spec: FigureSpec, curves: Sequence[DrawnCurve], panel_meta: Sequence[Mapping[str, Any]]
) -> list[Table]:
    """One HEPData table per curve: x = mass parameter, y = lower and upper coupling edges."""
    tables: list[Table] = []
    names: set[str] = set()
    multi = len(spec.panels) > 1
    for n, c in enumerate(curves):
        panel = spec.panels[c.panel]
        meta = panel_meta[c.panel]
        x_name, x_unit = _split_header(meta.get("mass_label", "mass"))
        y_name, y_unit = _split_header(meta.get("coupling_label", "coupling"))
        rows = sorted(c.rows, key=lambda r: (r["mass"], r["interval"]))
        prefix = f"Panel {c.panel + 1}: " if multi else ""
        base = (prefix + _plain(c.label))[:60]
        name, k = base, 2
        while name in names:
            name, k = f"{base[:56]} ({k})", k + 1
        names.add(name)
        bench_text = ", ".join(f"{key} = {value}" for key, value in panel.benchmark.items())
        region = "excluded region (existing bound)" if c.spec.kind == "bound" else "sensitivity region"
        level_text = f"N >= {c.level:g} signal events" if c.level is not None else "N >= level"
        desc = [
            f"{c.label} ({c.spec.experiment}): {region}, where {level_text}, of model {spec.model} at "
            f"{bench_text}; panel {c.panel + 1} of {spec.name}{' (' + spec.source + ')' if spec.source else ''}.",
        ]
        if rows:
            desc.append(
                f"For each {x_name} the columns give the lower and upper edge of a {y_name} interval inside the "
                "region; rows with the same x are disjoint intervals, in increasing order."
            )
            n_lo = sum(bool(r.get("low_at_grid_edge")) for r in rows)
            n_hi = sum(bool(r.get("high_at_grid_edge")) for r in rows)
            if n_lo or n_hi:
                desc.append(
                    f"Edges at the end of the scanned {y_name} grid (lower: {n_lo}, upper: {n_hi} of {len(rows)} "
                    "rows) are limits of the scan: there the region extends beyond the value given."
                )
        else:
            desc.append("No mass reaches the level for this exposure and threshold: the table is empty (no reach).")
        quals = [Qualifier("experiment", display_name(c.spec.experiment)), Qualifier("benchmark", bench_text)]
        if c.exposure is not None:
            quals.append(Qualifier("exposure", float(c.exposure)))
        if c.threshold_gev is not None:
            quals.append(Qualifier("energy threshold", float(c.threshold_gev), "GeV"))
        if c.level is not None:
            quals.append(Qualifier("level (signal events)", float(c.level)))
        phrases = ["Dark sector", "Long-lived particles", "Beam dump"]
        phrases.append("Exclusion" if c.spec.kind == "bound" else "Sensitivity")
        tables.append(
            Table(
                name=name,
                description=" ".join(desc),
                independent=(Variable(latex_name(x_name), tuple(r["mass"] for r in rows), x_unit),),
                dependent=(
                    Variable(f"{latex_name(y_name)} lower edge", tuple(r["coupling_low"] for r in rows), y_unit),
                    Variable(f"{latex_name(y_name)} upper edge", tuple(r["coupling_high"] for r in rows), y_unit),
                ),
                qualifiers=tuple(quals),
                keywords={"phrases": phrases},
                data_file=f"table{n + 1:02d}_{re.sub(r'[^A-Za-z0-9]+', '_', c.spec.experiment)}.yaml",
            )
        )
    return tables


def make_figure(
    spec: FigureSpec,
    files: Mapping[tuple[str, str], str | Path],
    png: str | Path,
    pdf: str | Path,
    csv: str | Path,
    hepdata_dir: str | Path,
    config_hash: str | None = None,
    seed: int | None = None,
) -> list[DrawnCurve]:
    """Draw ``spec`` from the contour tables ``files`` ((experiment, benchmark label) -> CSV).

    Writes the figure (``png``, ``pdf``), the long-format CSV of every curve drawn (``csv``) and a HEPData
    record (``hepdata_dir``: one table per curve, the PNG and CSV as additional resources). Returns the curves.
    The CSV's leading comment lines and the record's comment carry the provenance
    (:func:`darkreach.provenance.provenance` of ``config_hash`` and ``seed``).
    """
    curves, panel_meta = resolve_curves(spec, files)
    fig = draw_figure(spec, curves, panel_meta)
    try:
        fig.savefig(png, dpi=150)
        fig.savefig(pdf)
    finally:
        plt.close(fig)
    prov = make_provenance(config_hash, seed)
    rows = write_curves_csv(spec, curves, csv, provenance=prov)
    tables = hepdata_tables(spec, curves, panel_meta)
    comment = (
        f"{spec.title or spec.name}. "
        + (f"Source: {spec.source}. " if spec.source else "")
        + "Sensitivity regions: N >= level signal events for the given exposure and visible-energy threshold; "
        "bounds: regions excluded by existing experiments. Written by darkreach."
    )
    resources = [(png, "The figure (PNG)."), (csv, "All curves of the figure in one CSV (long format).")]
    write_validated_submission(hepdata_dir, tables, comment, resources=resources, provenance=prov)
    n_none = sum(c.no_reach for c in curves)
    log.info("figure %s: %d curves (%d without reach), %d CSV rows, %d HEPData tables", spec.name, len(curves),
             n_none, len(rows), len(tables))  # fmt: skip
    return curves
