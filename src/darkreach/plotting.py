"""Sensitivity figures from contour tables (the stand-ins for the papers' figures)."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from darkreach.provenance import data_lines, parse_provenance_lines  # noqa: E402

EXPERIMENT_COLOURS = {"na62": "tab:blue", "hike": "tab:green", "ship": "tab:red", "faser2": "tab:purple"}
EXPOSURE_STYLES = ["-", ":", "--", "-."]


def read_contours_csv(path: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Read a contour CSV written by :func:`darkreach.sensitivity.scan.write_contours_csv`.

    Returns the header metadata (model, benchmark, axis names, and ``provenance``: the ``# key: value`` lines
    after the first, see :mod:`darkreach.provenance`; empty for older files) and the typed rows.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"contour file {str(path)!r} does not exist")
    with path.open() as fh:
        first = fh.readline()
        if not first.startswith("# "):
            raise ValueError(f"contour file {str(path)!r} has no metadata header line")
        meta: dict[str, Any] = {}
        head = first[2:].strip()
        model_part, rest = head.split(" benchmark=", 1)
        meta["model"] = model_part.split("=", 1)[1]
        bench_json, axes = rest.split(" mass=", 1)
        meta["benchmark"] = json.loads(bench_json)
        mass_part, coupling_part = axes.split(" coupling=", 1)
        meta["mass_label"] = mass_part
        meta["coupling_label"] = coupling_part
        rest_lines = fh.readlines()
    meta["provenance"] = parse_provenance_lines(line for line in rest_lines if line.startswith("#"))
    rows = []
    for row in csv.DictReader(data_lines(rest_lines)):
        rows.append(
            {
                "exposure": float(row["exposure"]),
                "energy_threshold_gev": float(row["energy_threshold_gev"]),
                "level": float(row["level"]),
                "mass": float(row["mass"]),
                "interval": int(row["interval"]),
                "coupling_low": float(row["coupling_low"]),
                "coupling_high": float(row["coupling_high"]),
                "low_at_grid_edge": _flag(row.get("low_at_grid_edge")),
                "high_at_grid_edge": _flag(row.get("high_at_grid_edge")),
            }
        )
    return meta, rows


def _flag(text: str | None) -> bool:
    """A grid-edge flag of a contour CSV ("True"/"False"; absent or empty is False)."""
    return str(text).strip().lower() in ("true", "1")


def _runs(masses: np.ndarray) -> list[slice]:
    """Split sorted masses into contiguous runs (a gap is a step > 1.6x the median log step)."""
    if masses.size < 2:
        return [slice(0, masses.size)]
    steps = np.diff(np.log(masses))
    cut = 1.6 * np.median(steps)
    bounds = [0, *list(np.nonzero(steps > cut)[0] + 1), masses.size]
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]


def region_polygons(rows: Sequence[Mapping[str, Any]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Closed outlines (mass, coupling) of the N >= level region of one contour set.

    One polygon per interval index and contiguous mass run: lower edge forward, upper edge back, closed on the
    first point. Several intervals per mass give several polygons.
    """
    by_interval: dict[int, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_interval.setdefault(int(row["interval"]), []).append(row)
    polygons = []
    for k in sorted(by_interval):
        sel = sorted(by_interval[k], key=lambda r: r["mass"])
        m = np.array([r["mass"] for r in sel], dtype=float)
        lo = np.array([r["coupling_low"] for r in sel], dtype=float)
        hi = np.array([r["coupling_high"] for r in sel], dtype=float)
        for run in _runs(m):
            xs = np.concatenate([m[run], m[run][::-1], m[run][:1]])
            ys = np.concatenate([lo[run], hi[run][::-1], lo[run][:1]])
            polygons.append((xs, ys))
    return polygons


def draw_region(ax: Any, rows: Sequence[Mapping[str, Any]], fill_alpha: float | None = None, **style: Any) -> list:
    """Outline the N >= level region of one contour set: lower edge forward, upper edge back.

    With ``fill_alpha`` the region is also filled (an excluded region) in the outline's colour at that opacity.
    Returns the artists drawn.
    """
    label = style.pop("label", None)
    artists: list = []
    for xs, ys in region_polygons(rows):
        (line,) = ax.plot(xs, ys, label=label, **style)
        artists.append(line)
        if fill_alpha is not None:
            artists.extend(ax.fill(xs, ys, color=line.get_color(), alpha=fill_alpha, lw=0))
        label = None
    return artists


def plot_contours(
    files: Mapping[tuple[str, str], str | Path],
    experiments: Sequence[str],
    benchmarks: Sequence[str],
    out_paths: Sequence[str | Path],
    title: str = "",
) -> None:
    """One panel per benchmark; one curve per (experiment, exposure, threshold).

    ``files`` maps (experiment, benchmark label) to a contour CSV.
    """
    fig, axes = plt.subplots(1, len(benchmarks), figsize=(5.0 * len(benchmarks), 4.4), squeeze=False)
    for ax, bench in zip(axes[0], benchmarks):
        meta: dict[str, Any] = {}
        for exp in experiments:
            meta, rows = read_contours_csv(files[(exp, bench)])
            exposures = sorted({r["exposure"] for r in rows}, reverse=True)
            thresholds = sorted({r["energy_threshold_gev"] for r in rows})
            colour = EXPERIMENT_COLOURS.get(exp)
            combos = [(e, t) for e in exposures for t in thresholds]
            for ic, (exposure, thr) in enumerate(combos):
                sel = [r for r in rows if r["exposure"] == exposure and r["energy_threshold_gev"] == thr]
                if not sel:
                    continue
                label = f"{exp.upper()} {exposure:.0e}"
                if len(thresholds) > 1:
                    label += f", E > {thr:g} GeV"
                draw_region(ax, sel, color=colour, linestyle=EXPOSURE_STYLES[ic % 4], lw=1.6, label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(f"{meta.get('mass_label', 'mass')}")
        ax.set_ylabel(f"{meta.get('coupling_label', 'coupling')}")
        point = ", ".join(f"{k} = {v}" for k, v in meta.get("benchmark", {}).items())
        ax.set_title(point)
        ax.grid(True, which="major", alpha=0.3)
        if ax.has_data():
            ax.legend(fontsize=8)
        else:
            ax.text(0.5, 0.5, "no sensitivity", transform=ax.transAxes, ha="center")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    for path in out_paths:
        fig.savefig(path, dpi=150)
    plt.close(fig)
