"""Configured ``contours`` figures: sensitivity regions and bounds drawn from contour tables.

For a figure (rule ``figure``, spec :class:`darkreach.config.figures.FigureSpec`), :func:`contour_files` lists the
contour tables it needs, :func:`resolve_curves` selects each curve's rows, :func:`draw_figure` draws them and
:func:`make_figure` writes the PNG, the PDF, the long-format CSV of every curve and the HEPData record
(:func:`darkreach.output.hepdata_records.contour_figure_tables`). The overview plots of the workflow are
:mod:`darkreach.output.figures.overview`.

A *sensitivity* is drawn as the outline of its N >= level region; a *bound* as a filled, semi-transparent
excluded region with its outline. A curve whose table has no row for its exposure and threshold appears in the
legend as "(no reach)" and is logged.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from darkreach.config import benchmark_label
from darkreach.config.figures import CurveSpec, FigureSpec
from darkreach.output.contour_table import ContourTable, read_contour_table
from darkreach.output.figures.envelope import ENVELOPE_COLUMNS
from darkreach.output.figures.regions import draw_bound_edges, draw_bound_region, draw_edge_bands, draw_region
from darkreach.output.hepdata import write_validated_submission
from darkreach.output.overlays import check_axes, draw_overlay, panel_overlays
from darkreach.output.provenance import provenance as make_provenance
from darkreach.output.style import (
    BOUND_ALPHA,
    FALLBACK_COLOURS,
    LINE_STYLES,
    PALETTE,
    axis_label,
    display_name,
    power_text,
    pyplot,
    split_axis,
)
from darkreach.output.tables import write_table

plt = pyplot()
log = logging.getLogger("darkreach.output.figures.contours")

#: Columns of a figure's CSV (one row per curve, mass and interval drawn).
CSV_COLUMNS = (
    "panel", "benchmark", "experiment", "label", "kind", "exposure", "threshold_gev", "level", "mass", "interval",
    "coupling_low", "coupling_high", "low_at_grid_edge", "high_at_grid_edge", *ENVELOPE_COLUMNS,
)  # fmt: skip
#: ``table`` of a figure CSV's header.
FIGURE_TABLE = "figure"


# ----------------------------------------------------------------------------------------------------------------
# configured figures: selection


def contour_files(spec: FigureSpec, results_dir: str | Path) -> dict[tuple[str, str], Path]:
    """Contour tables the figure reads: (experiment, benchmark label) -> results/contours/<exp>/<model>/<label>.csv."""
    results_dir = Path(results_dir)
    files: dict[tuple[str, str], Path] = {}
    for panel in spec.panels:
        for curve in panel.curves:
            key = (curve.experiment, panel.label)
            files.setdefault(key, results_dir / curve.table / curve.experiment / spec.model / f"{panel.label}.csv")
    return files


def default_label(experiment: str, exposure: float | None, threshold: float | None) -> str:
    """Legend text of a curve without ``label``: 'HIKE $5\\times10^{19}$, $E > 1$ GeV'."""
    label = display_name(experiment)
    if exposure is not None:
        label += f" {power_text(exposure)}"
    if threshold is not None:
        label += f", $E > {threshold:g}$ GeV"
    return label


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
    #: Line style per edge of a computed bound (its table's ``bound.edge_styles``; matplotlib styles).
    edge_styles: Mapping[str, str] | None = None

    @property
    def no_reach(self) -> bool:
        return not self.rows

    @property
    def label(self) -> str:
        return self.spec.label or default_label(self.spec.experiment, self.exposure, self.threshold_gev)


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


def curve_colours(spec: FigureSpec) -> dict[str, str]:
    """Colour of every experiment of the figure: its palette colour, else the next fallback colour."""
    colours: dict[str, str] = {}
    spare = iter(FALLBACK_COLOURS * 8)
    for panel in spec.panels:
        for curve in panel.curves:
            if curve.experiment not in colours:
                colours[curve.experiment] = PALETTE.get(curve.experiment) or next(spare, "black")
    return colours


def resolve_curves(
    spec: FigureSpec, files: Mapping[tuple[str, str], str | Path]
) -> tuple[list[DrawnCurve], list[ContourTable | None]]:
    """Read every curve's table and select its rows; returns the curves and each panel's first table (its axes)."""
    colours = curve_colours(spec)
    cache: dict[Path, ContourTable] = {}
    curves: list[DrawnCurve] = []
    panel_tables: list[ContourTable | None] = []
    for i, panel in enumerate(spec.panels):
        first: ContourTable | None = None
        for j, curve in enumerate(panel.curves):
            where = f"figures.{spec.name}.panels.{i}.curves.{j} ({curve.experiment}, {panel.label})"
            key = (curve.experiment, panel.label)
            if key not in files:
                raise KeyError(f"{where}: no contour file given for {key}")
            path = Path(files[key])
            if path not in cache:
                cache[path] = read_contour_table(path)
            table = cache[path]
            if table.model != spec.model:
                raise ValueError(f"{where}: {str(path)!r} is a contour of model {table.model!r}, not {spec.model!r}")
            if benchmark_label(table.benchmark) != panel.label:
                log.warning("%s: %s holds benchmark %s, the panel asks for %s", where, path, dict(table.benchmark),
                            dict(panel.benchmark))  # fmt: skip
            if first is None:
                first = table
            else:
                for axis in ("mass_label", "coupling_label"):
                    mine, theirs = getattr(table, axis), getattr(first, axis)
                    if split_axis(mine) != split_axis(theirs):
                        raise ValueError(
                            f"{where}: axis {mine!r} of {str(path)!r} differs from {theirs!r} of the panel's other "
                            "curves"
                        )
            exposure, threshold, level, sel = select_rows(table.rows, curve, where, path)
            sel = _finite_rows(sel, where)
            edge_styles = None
            if table.bound is not None:  # a computed bound: no exposure, threshold or level
                exposure = threshold = level = None
                edge_styles = {k: LINE_STYLES[v] for k, v in dict(table.bound.get("edge_styles") or {}).items()}
            if not sel:
                have = sorted({(r["exposure"], r["energy_threshold_gev"]) for r in table.rows})
                log.warning(
                    "%s: no reach (no rows for exposure=%s, threshold_gev=%s in %s; the table holds %s)",
                    where, exposure, threshold, path, have or "no rows",
                )  # fmt: skip
            else:
                log.info("%s: %d rows (exposure=%s, threshold_gev=%s, level=%s)", where, len(sel), exposure,
                         threshold, level)  # fmt: skip
            colour = curve.colour or colours[curve.experiment]
            curves.append(DrawnCurve(i, curve, colour, exposure, threshold, level, sel, path, edge_styles))
        panel_tables.append(first)
    return curves, panel_tables


# ----------------------------------------------------------------------------------------------------------------
# configured figures: drawing and table


def _grid(n: int) -> tuple[int, int]:
    if n <= 3:
        return 1, n
    ncols = math.ceil(math.sqrt(n))
    return math.ceil(n / ncols), ncols


def _legend_handle(curve: DrawnCurve) -> Any:
    """The curve's legend key; faded for a curve without reach (nothing of it is drawn)."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ls: Any = LINE_STYLES[curve.spec.style]
    fade = 0.35 if curve.no_reach else 1.0
    edge = to_rgba(curve.colour, fade)
    if curve.spec.kind == "bound":
        face = to_rgba(curve.colour, BOUND_ALPHA * fade)
        return Patch(facecolor=face, edgecolor=edge, linestyle=ls, lw=1.4)
    return Line2D([], [], color=edge, linestyle=ls, lw=1.8)


def draw_figure(spec: FigureSpec, curves: Sequence[DrawnCurve], panel_tables: Sequence[ContourTable | None]) -> Any:
    """The matplotlib figure: one column per panel (a grid above three panels), log-log axes."""
    from matplotlib.ticker import NullFormatter

    nrows, ncols = _grid(len(spec.panels))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.8 * ncols, 4.3 * nrows), squeeze=False)
    flat = list(axes.flat)
    for ax in flat[len(spec.panels) :]:
        ax.set_visible(False)
    for i, (panel, ax) in enumerate(zip(spec.panels, flat)):
        table = panel_tables[i]
        handles, labels = [], []
        for curve in (c for c in curves if c.panel == i):
            label = curve.label + (" (no reach)" if curve.no_reach else "")
            handles.append(_legend_handle(curve))
            labels.append(label)
            if curve.no_reach:
                continue
            style: dict[str, Any] = {"color": curve.colour, "linestyle": LINE_STYLES[curve.spec.style]}
            if spec.statistical_band:
                draw_edge_bands(ax, curve.rows, curve.colour)
            if curve.spec.kind == "bound" and curve.edge_styles is not None:
                draw_bound_region(ax, curve.rows, curve.colour, BOUND_ALPHA, style["linestyle"], curve.edge_styles)
            elif curve.edge_styles is not None:  # a computed projection: its limit as a line
                draw_bound_edges(ax, curve.rows, curve.colour, style["linestyle"], curve.edge_styles)
            elif curve.spec.kind == "bound":
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
        ax.set_xlabel(axis_label(table.mass_label if table else "mass"))
        ax.set_ylabel(axis_label(table.coupling_label if table else "coupling"))
        ax.set_title(panel.title)
        ax.grid(True, which="major", alpha=0.3)
        for overlay in panel_overlays(panel.overlays, panel.benchmark):
            if table is not None:
                check_axes(overlay, spec.model, table.mass_parameter, table.mass_unit, table.coupling_name,
                           table.coupling_unit, f"figures.{spec.name}.panels.{i}.overlays")  # fmt: skip
            handles.append(draw_overlay(ax, overlay, "black" if overlay.kind == "target" else "0.3"))
            labels.append(overlay.label)
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
    spec: FigureSpec,
    curves: Sequence[DrawnCurve],
    path: str | Path,
    provenance: Mapping[str, Any] | None = None,
    extra_rows: Sequence[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Write :func:`curve_table_rows` (then ``extra_rows``, e.g. the systematic envelopes) to ``path`` after the JSON
    header line (the figure, its model and the ``provenance``, default
    :func:`darkreach.output.provenance.provenance`); returns the rows."""
    rows = curve_table_rows(spec, curves) + [dict(r) for r in extra_rows]
    header = {
        "table": FIGURE_TABLE,
        "figure": spec.name,
        "kind": spec.kind,
        "model": spec.model,
        "title": spec.title,
        "source": spec.source,
        "provenance": make_provenance() if provenance is None else dict(provenance),
    }
    write_table(path, header, CSV_COLUMNS, rows)
    return rows


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
    The CSV's header and the record's comment carry the provenance
    (:func:`darkreach.output.provenance.provenance` of ``config_hash`` and ``seed``).
    """
    from darkreach.output.figures import envelope as env
    from darkreach.output.hepdata_records import contour_figure_comment, contour_figure_tables

    curves, panel_tables = resolve_curves(spec, files)
    fig = draw_figure(spec, curves, panel_tables)
    envelopes = env.curve_envelopes(spec, curves, files)  # systematic_band: the variations' envelope
    env.add_envelopes(fig, envelopes)
    try:
        fig.savefig(png, dpi=150)
        fig.savefig(pdf)
    finally:
        plt.close(fig)
    prov = make_provenance(config_hash, seed)
    rows = write_curves_csv(spec, curves, csv, provenance=prov, extra_rows=env.envelope_csv_rows(spec, envelopes))
    tables = contour_figure_tables(spec, curves, panel_tables)
    tables += env.envelope_hepdata_tables(spec, envelopes, panel_tables, first=len(tables) + 1)
    resources = [(png, "The figure (PNG)."), (csv, "All curves of the figure in one CSV (long format).")]
    write_validated_submission(hepdata_dir, tables, contour_figure_comment(spec), resources=resources, provenance=prov)
    n_none = sum(c.no_reach for c in curves)
    log.info("figure %s: %d curves (%d without reach), %d CSV rows, %d HEPData tables", spec.name, len(curves),
             n_none, len(rows), len(tables))  # fmt: skip
    return curves
