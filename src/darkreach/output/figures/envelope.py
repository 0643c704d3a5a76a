"""The systematic envelope of a contour: how far the region moves over the documented readings.

A ``contours`` figure with ``systematic_band`` (:class:`darkreach.config.figures.FigureSpec`) reads, for each curve,
the contour tables of the curve's experiment and of its derived experiments ``<experiment>~<variation>``
(:mod:`darkreach.config.variations`). Per mass, over the nominal reading and every variation that has an interval
there (:func:`envelope`):

* the *outer* edges: the smallest lower edge and the largest upper edge (the union of the regions' spans);
* the *inner* edges: the largest lower edge and the smallest upper edge, where every reading has an interval and
  these still bound a non-empty span (the part every reading reaches); otherwise none.

The band between outer and inner edges is where the boundary lies depending on the reading. It is drawn as a
hatched band in the curve's colour (:func:`draw_envelope`), one legend entry per panel; the figure's CSV gets one
row of kind ``envelope`` per curve and mass (:func:`envelope_csv_rows`), and its HEPData record one table per curve
(:func:`envelope_hepdata_tables`). A mass where no reading has an interval has no envelope; nothing is NaN.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from darkreach.config.variations import split_name

if TYPE_CHECKING:
    from darkreach.config.figures import FigureSpec
    from darkreach.output.contour_table import ContourTable
    from darkreach.output.figures.contours import DrawnCurve
    from darkreach.output.hepdata import Table

log = logging.getLogger("darkreach.output.figures.envelope")

#: Columns the envelope adds to a figure's CSV (empty on the rows of the curves themselves).
ENVELOPE_COLUMNS: tuple[str, ...] = ("envelope_inner_low", "envelope_inner_high", "envelope_of")
#: Hatch and opacity of the band.
ENVELOPE_HATCH = "////"
ENVELOPE_ALPHA = 0.6
#: Opacity of the light fill under the hatch.
ENVELOPE_FILL_ALPHA = 0.12


@dataclass(frozen=True)
class EnvelopePoint:
    """The envelope at one mass: outer edges, inner edges (None where the readings share no span) and how many of
    the ``total`` readings have an interval there."""

    mass: float
    low: float
    high: float
    inner_low: float | None
    inner_high: float | None
    with_interval: int
    total: int


@dataclass(frozen=True)
class CurveEnvelope:
    """The envelope around one drawn curve, and the derived experiments it is made of."""

    curve: DrawnCurve
    variations: tuple[str, ...]
    points: tuple[EnvelopePoint, ...]


def _spans(rows: Sequence[Mapping[str, Any]]) -> dict[float, tuple[float, float]]:
    """mass -> (lowest lower edge, highest upper edge) of one reading's intervals at that mass."""
    out: dict[float, tuple[float, float]] = {}
    for r in rows:
        m, lo, hi = float(r["mass"]), float(r["coupling_low"]), float(r["coupling_high"])
        if not (math.isfinite(lo) and math.isfinite(hi) and 0 < lo <= hi):
            raise ValueError(f"contour row at mass {m!r} has edges {lo!r}, {hi!r}: not finite, positive and ordered")
        key = float(f"{m:.8g}")  # the tables write 8 significant digits
        if key in out:
            out[key] = (min(out[key][0], lo), max(out[key][1], hi))
        else:
            out[key] = (lo, hi)
    return out


def envelope(readings: Sequence[Sequence[Mapping[str, Any]]]) -> list[EnvelopePoint]:
    """The envelope, mass by mass, of contour rows (``mass``, ``coupling_low``, ``coupling_high``), one sequence per
    reading (the nominal one and each variation); masses where no reading has an interval are left out."""
    spans = [_spans(rows) for rows in readings]
    masses = sorted({m for s in spans for m in s})
    points = []
    for m in masses:
        here = [s[m] for s in spans if m in s]
        low, high = min(lo for lo, _ in here), max(hi for _, hi in here)
        inner_low = inner_high = None
        if len(here) == len(spans):
            a, b = max(lo for lo, _ in here), min(hi for _, hi in here)
            if a < b:
                inner_low, inner_high = a, b
        points.append(EnvelopePoint(m, low, high, inner_low, inner_high, len(here), len(spans)))
    return points


def curve_envelopes(
    spec: FigureSpec, curves: Sequence[DrawnCurve], files: Mapping[tuple[str, str], str | Path]
) -> list[CurveEnvelope]:
    """The envelope of every curve with variations among ``files`` ((experiment, benchmark label) -> contour table):
    the tables of ``<curve experiment>~<variation>`` for the variations the figure's ``systematic_band`` selects, read
    at the curve's exposure and threshold (each at its own level)."""
    from darkreach.output.contour_table import read_contour_table
    from darkreach.output.figures.contours import select_rows

    band = spec.systematic_band
    if not band:
        return []
    chosen: tuple[str, ...] | None = band if isinstance(band, tuple) else None
    out = []
    for c in curves:
        if not spec.panels[c.panel].systematic_band:
            continue
        label = spec.panels[c.panel].label
        derived = sorted(
            exp
            for exp, lab in files
            if lab == label
            and split_name(exp)[0] == c.spec.experiment
            and split_name(exp)[1] is not None
            and (chosen is None or split_name(exp)[1] in chosen)
        )
        if not derived:
            continue
        readings = [c.rows]
        at = replace(c.spec, exposure=c.exposure, threshold_gev=c.threshold_gev)
        for exp in derived:
            path = Path(files[(exp, label)])
            table: ContourTable = read_contour_table(path)
            where = f"figures.{spec.name}.panels.{c.panel} ({exp}, {label})"
            readings.append(select_rows(table.rows, at, where, path)[3] if table.rows else [])
        points = envelope(readings)
        no_reach = [exp for exp, rows in zip(derived, readings[1:]) if not rows]
        if no_reach:
            log.info("%s panel %d, %s: no reach under %s", spec.name, c.panel, c.spec.experiment, no_reach)
        out.append(CurveEnvelope(c, tuple(derived), tuple(points)))
    return out


def _band_edges(points: Sequence[EnvelopePoint]) -> tuple[np.ndarray, ...]:
    """mass, outer low, lower band top, upper band bottom, outer high. Where there are no inner edges the two
    bands meet (at the geometric mean of the outer edges), so that the whole span is covered."""
    m = np.array([p.mass for p in points])
    low = np.array([p.low for p in points])
    high = np.array([p.high for p in points])
    mid = np.sqrt(low * high)
    a = np.array([p.inner_low if p.inner_low is not None else x for p, x in zip(points, mid)])
    b = np.array([p.inner_high if p.inner_high is not None else x for p, x in zip(points, mid)])
    return m, low, a, b, high


def draw_envelope(ax: Any, points: Sequence[EnvelopePoint], colour: str, zorder: float = 2.0) -> list[Any]:
    """Hatch the envelope band in ``colour`` on ``ax``, one piece per contiguous run of masses; returns the artists."""
    from darkreach.output.figures.regions import _runs

    if not points:
        return []
    from matplotlib.colors import to_rgba

    m, low, a, b, high = _band_edges(points)
    style = {
        "facecolor": to_rgba(colour, ENVELOPE_FILL_ALPHA),
        "edgecolor": to_rgba(colour, ENVELOPE_ALPHA),
        "hatch": ENVELOPE_HATCH,
        "lw": 0.0,
    }
    artists = []
    for run in _runs(m):
        artists.append(ax.fill_between(m[run], low[run], a[run], zorder=zorder, **style))
        artists.append(ax.fill_between(m[run], b[run], high[run], zorder=zorder, **style))
    return artists


def add_envelopes(fig: Any, envelopes: Sequence[CurveEnvelope]) -> None:
    """Draw every envelope on its panel of ``fig`` (made by :func:`darkreach.output.figures.contours.draw_figure`)
    and add one "systematic envelope" entry to the legend of each panel that has one."""
    from matplotlib.patches import Patch

    axes = fig.axes
    panels = sorted({e.curve.panel for e in envelopes})
    for e in envelopes:
        draw_envelope(axes[e.curve.panel], e.points, e.curve.colour)
    for i in panels:
        ax = axes[i]
        legend = ax.get_legend()
        handles = list(legend.legend_handles) if legend is not None else []
        labels = [t.get_text() for t in legend.get_texts()] if legend is not None else []
        key = Patch(facecolor=(0.3, 0.3, 0.3, ENVELOPE_FILL_ALPHA), edgecolor="0.3", hatch=ENVELOPE_HATCH, lw=0.0)
        ax.legend([*handles, key], [*labels, "systematic envelope"], fontsize=7.5, loc="best", framealpha=0.85)


def envelope_csv_rows(spec: FigureSpec, envelopes: Sequence[CurveEnvelope]) -> list[dict[str, Any]]:
    """Rows of kind ``envelope`` for the figure's CSV: outer edges as ``coupling_low``/``coupling_high``, inner
    edges in :data:`ENVELOPE_COLUMNS` (empty where the readings share no span)."""
    out = []
    for e in envelopes:
        c = e.curve
        bench = json.dumps(dict(spec.panels[c.panel].benchmark), sort_keys=False)
        for p in e.points:
            out.append(
                {
                    "panel": c.panel,
                    "benchmark": bench,
                    "experiment": c.spec.experiment,
                    "label": f"{c.label} (systematic envelope)",
                    "kind": "envelope",
                    "exposure": "" if c.exposure is None else repr(float(c.exposure)),
                    "threshold_gev": "" if c.threshold_gev is None else repr(float(c.threshold_gev)),
                    "level": "" if c.level is None else repr(float(c.level)),
                    "mass": repr(p.mass),
                    "interval": 0,
                    "coupling_low": repr(p.low),
                    "coupling_high": repr(p.high),
                    "low_at_grid_edge": False,
                    "high_at_grid_edge": False,
                    "envelope_inner_low": "" if p.inner_low is None else repr(p.inner_low),
                    "envelope_inner_high": "" if p.inner_high is None else repr(p.inner_high),
                    "envelope_of": " ".join([c.spec.experiment, *e.variations]),
                }
            )
    return out


def envelope_hepdata_tables(
    spec: FigureSpec, envelopes: Sequence[CurveEnvelope], panel_tables: Sequence[ContourTable | None], first: int
) -> list[Table]:
    """One HEPData table per envelope: x = the mass parameter, y = the outer lower and upper edges; data files
    numbered from ``first``."""
    from darkreach.output.hepdata import Qualifier, Table, Variable
    from darkreach.output.style import display_name, latex_name, plain_text, split_axis

    tables = []
    names: set[str] = set()
    for n, e in enumerate(envelopes):
        c = e.curve
        panel = spec.panels[c.panel]
        table = panel_tables[c.panel]
        x_name, x_unit = split_axis(table.mass_label if table else "mass")
        y_name, y_unit = split_axis(table.coupling_label if table else "coupling")
        prefix = f"Panel {c.panel + 1}: " if len(spec.panels) > 1 else ""
        bench_text = ", ".join(f"{key} = {value}" for key, value in panel.benchmark.items())
        readings = ", ".join(split_name(v)[1] or v for v in e.variations)
        desc = (
            f"Systematic envelope of {c.label} ({c.spec.experiment}) at {bench_text}: for each {x_name}, the smallest "
            f"lower and the largest upper {y_name} edge over the nominal reading and the variations {readings} "
            "(darkreach.config.variations); a mass appears where at least one reading has an interval."
        )
        quals = [
            Qualifier("experiment", display_name(c.spec.experiment)),
            Qualifier("benchmark", bench_text),
            Qualifier("variations", readings),
        ]
        if c.exposure is not None:
            quals.append(Qualifier("exposure", float(c.exposure)))
        if c.threshold_gev is not None:
            quals.append(Qualifier("energy threshold", float(c.threshold_gev), "GeV"))
        base = (prefix + plain_text(c.label))[:44]
        name, k = f"{base} (syst. envelope)", 2
        while name in names:
            name, k = f"{base} (syst. envelope {k})", k + 1
        names.add(name)
        tables.append(
            Table(
                name=name,
                description=desc,
                independent=(Variable(latex_name(x_name), tuple(p.mass for p in e.points), x_unit),),
                dependent=(
                    Variable(f"{latex_name(y_name)} envelope lower edge", tuple(p.low for p in e.points), y_unit),
                    Variable(f"{latex_name(y_name)} envelope upper edge", tuple(p.high for p in e.points), y_unit),
                ),
                qualifiers=tuple(quals),
                keywords={"phrases": ["Dark sector", "Long-lived particles", "Systematic uncertainty"]},
                data_file=f"table{first + n:02d}_{re.sub(r'[^A-Za-z0-9]+', '_', c.spec.experiment)}_envelope.yaml",
            )
        )
    return tables
