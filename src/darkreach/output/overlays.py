"""Curve overlays: the ``darkreach-curve`` file format, its reader (validated) and how a figure draws one.

A curve file is a CSV whose first lines are ``# key: value`` header lines, then a CSV header row, then rows::

    # darkreach-curve: 1
    # label: Thermal relic, delta = 0.1
    # kind: target
    # x: m1
    # x_unit: GeV
    # y: d
    # y_unit: GeV^-1
    # source: computed by darkreach darkreach.relic
    # style: dashed
    # benchmark: {"delta": 0.1}
    x,y
    0.01,1.2e-7
    ...

Required keys: ``darkreach-curve`` (format version, 1), ``label``, ``kind`` (``bound`` | ``projection`` |
``target``; a target is a theory-motivated line such as a thermal relic), ``x``, ``x_unit``, ``y``, ``y_unit``,
``source`` (a citation, or "computed by darkreach <module>"). Optional: ``style`` (solid | dashed | dotted |
dashdot), ``color`` (a matplotlib colour), ``model`` (the model the curve belongs to), ``benchmark`` (a JSON object;
the curve is drawn only in panels of that benchmark), ``excluded`` (``above`` | ``below`` | ``between``: which side
a ``bound`` excludes, for shading). Columns: ``x,y`` (a line) or ``x,y_low,y_high`` (a band, the region between two
edges). Numbers must be finite and x increasing; y positive (the axes are logarithmic).

Drawing (:func:`draw_overlay`): a ``bound`` is shaded (a band between its edges; a line towards the side of
``excluded``, up to the axis edge) with its outline; a ``projection`` is a line (default dashed), a ``target`` a
line (default dashed, black). Errors name the file, the line and the key or value.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CURVE_KINDS", "CurveFile", "CurveFileError", "check_axes", "draw_overlay", "read_curve_file"]

FORMAT_KEY = "darkreach-curve"
CURVE_KINDS: tuple[str, ...] = ("bound", "projection", "target")
REQUIRED_KEYS: tuple[str, ...] = (FORMAT_KEY, "label", "kind", "x", "x_unit", "y", "y_unit", "source")
OPTIONAL_KEYS: tuple[str, ...] = ("style", "color", "model", "benchmark", "excluded")
STYLES: dict[str, str] = {"solid": "-", "dashed": "--", "dotted": ":", "dashdot": "-."}
EXCLUDED_SIDES: tuple[str, ...] = ("above", "below", "between")


class CurveFileError(ValueError):
    """A curve file that does not follow the format (the message names the file and the key, line or value)."""


@dataclass(frozen=True)
class CurveFile:
    """A validated curve file: header fields and columns (``y_low``/``y_high`` None for a line)."""

    path: str
    label: str
    kind: str
    x_name: str
    x_unit: str
    y_name: str
    y_unit: str
    source: str
    x: np.ndarray
    y: np.ndarray | None = None
    y_low: np.ndarray | None = None
    y_high: np.ndarray | None = None
    style: str | None = None
    color: str | None = None
    model: str | None = None
    benchmark: Mapping[str, Any] | None = None
    excluded: str | None = None
    header: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_band(self) -> bool:
        return self.y_low is not None

    @property
    def line_style(self) -> str:
        """The style drawn: the file's, else solid for a bound and dashed for a projection or target."""
        return self.style or ("solid" if self.kind == "bound" else "dashed")


def _fail(path: str | Path, message: str) -> CurveFileError:
    return CurveFileError(f"curve file {str(path)!r}: {message}")


def _header(lines: list[str], path: str | Path) -> tuple[dict[str, str], int]:
    head: dict[str, str] = {}
    n = 0
    for n, line in enumerate(lines):
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if not body:
            continue
        key, sep, value = body.partition(":")
        if not sep:
            raise _fail(path, f"header line {n + 1} {line.strip()!r} is not '# key: value'")
        key = key.strip()
        if key in head:
            raise _fail(path, f"header key {key!r} appears twice (line {n + 1})")
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            raise _fail(
                path, f"unknown header key {key!r} (line {n + 1}); allowed: {list(REQUIRED_KEYS + OPTIONAL_KEYS)}"
            )
        head[key] = value.strip()
    else:
        n = len(lines)
    return head, n


def _validate_header(head: Mapping[str, str], path: str | Path) -> dict[str, Any]:
    from matplotlib.colors import is_color_like

    for key in REQUIRED_KEYS:
        if not head.get(key):
            raise _fail(path, f"required header key {key!r} is missing or empty")
    if head[FORMAT_KEY] != "1":
        raise _fail(path, f"{FORMAT_KEY}: unsupported format version {head[FORMAT_KEY]!r} (this darkreach reads 1)")
    if head["kind"] not in CURVE_KINDS:
        raise _fail(path, f"kind must be one of {list(CURVE_KINDS)}, got {head['kind']!r}")
    out: dict[str, Any] = {}
    if "style" in head and head["style"] not in STYLES:
        raise _fail(path, f"style must be one of {list(STYLES)}, got {head['style']!r}")
    if "color" in head and not is_color_like(head["color"]):
        raise _fail(path, f"color must be a matplotlib colour, got {head['color']!r}")
    if "excluded" in head:
        if head["excluded"] not in EXCLUDED_SIDES:
            raise _fail(path, f"excluded must be one of {list(EXCLUDED_SIDES)}, got {head['excluded']!r}")
        if head["kind"] != "bound":
            raise _fail(path, f"excluded applies to kind 'bound' only, got kind {head['kind']!r}")
    if "benchmark" in head:
        try:
            bench = json.loads(head["benchmark"])
        except json.JSONDecodeError:
            raise _fail(path, f"benchmark must be a JSON object, got {head['benchmark']!r}") from None
        if not isinstance(bench, dict) or not bench:
            raise _fail(path, f"benchmark must be a non-empty JSON object, got {head['benchmark']!r}")
        out["benchmark"] = bench
    return out


def _column(rows: list[list[str]], j: int, name: str, path: str | Path, first_line: int) -> np.ndarray:
    values = []
    for i, row in enumerate(rows):
        try:
            v = float(row[j])
        except (ValueError, IndexError):
            raise _fail(path, f"line {first_line + i}: column {name!r} must be a number, got {row!r}") from None
        if not math.isfinite(v):
            raise _fail(path, f"line {first_line + i}: column {name!r} must be finite, got {row[j]!r}")
        values.append(v)
    return np.array(values)


def read_curve_file(path: str | Path) -> CurveFile:
    """Read and validate a curve file (module docstring); :class:`CurveFileError` naming file and key otherwise."""
    p = Path(path)
    if not p.is_file():
        raise _fail(path, "does not exist")
    lines = p.read_text().splitlines()
    head, start = _header(lines, path)
    extra = _validate_header(head, path)
    body = [row for row in csv.reader(lines[start:]) if row]
    if not body:
        raise _fail(path, "has no column header row after the '# key: value' lines")
    columns = [c.strip() for c in body[0]]
    if columns not in (["x", "y"], ["x", "y_low", "y_high"]):
        raise _fail(path, f"columns must be 'x,y' or 'x,y_low,y_high', got {','.join(columns)!r}")
    rows = body[1:]
    if len(rows) < 2:
        raise _fail(path, f"needs at least 2 data rows, got {len(rows)}")
    first = start + 2
    bad = [first + i for i, r in enumerate(rows) if len(r) != len(columns)]
    if bad:
        raise _fail(path, f"line {bad[0]}: expected {len(columns)} values")
    data = {name: _column(rows, j, name, path, first) for j, name in enumerate(columns)}
    if not np.all(np.diff(data["x"]) > 0):
        raise _fail(path, "column 'x' must be strictly increasing")
    for name in columns[1:]:
        if not np.all(data[name] > 0):
            raise _fail(path, f"column {name!r} must be positive (logarithmic axes)")
    if "y_low" in data and not np.all(data["y_low"] <= data["y_high"]):
        raise _fail(path, "column 'y_low' must not exceed 'y_high'")
    return CurveFile(
        path=str(path), label=head["label"], kind=head["kind"], x_name=head["x"], x_unit=head["x_unit"],
        y_name=head["y"], y_unit=head["y_unit"], source=head["source"], x=data["x"], y=data.get("y"),
        y_low=data.get("y_low"), y_high=data.get("y_high"), style=head.get("style"), color=head.get("color"),
        model=head.get("model"), benchmark=extra.get("benchmark"), excluded=head.get("excluded"), header=dict(head),
    )  # fmt: skip


def _unit(text: str) -> str:
    t = text.replace(" ", "").replace("1/GeV", "GeV^-1")
    return "" if t in ("", "1", "-") else t


def check_axes(curve: CurveFile, model: str, x_name: str, x_unit: str, y_name: str, y_unit: str, where: str) -> None:
    """ValueError naming ``where`` and the file when the curve's model or axes differ from the panel's."""
    if curve.model is not None and curve.model != model:
        raise ValueError(f"{where}: curve file {curve.path!r} is for model {curve.model!r}, the figure draws {model!r}")
    for what, mine, theirs in (("x", (curve.x_name, curve.x_unit), (x_name, x_unit)),
                               ("y", (curve.y_name, curve.y_unit), (y_name, y_unit))):  # fmt: skip
        if mine[0].lower() != theirs[0].lower() or _unit(mine[1]) != _unit(theirs[1]):
            raise ValueError(
                f"{where}: curve file {curve.path!r} has {what} = {mine[0]} [{mine[1]}], the panel's axis is "
                f"{theirs[0]} [{theirs[1]}]"
            )


def matches_benchmark(curve: CurveFile, benchmark: Mapping[str, Any]) -> bool:
    """Whether the curve belongs in a panel of ``benchmark`` (a curve without benchmark belongs everywhere)."""
    if curve.benchmark is None:
        return True
    return all(k in benchmark and _same(benchmark[k], v) for k, v in curve.benchmark.items())


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9)
    return bool(a == b)


def draw_overlay(ax: Any, curve: CurveFile, colour: str, alpha: float = 0.25) -> Any:
    """Draw ``curve`` on ``ax`` (module docstring); returns the legend handle."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ls: Any = STYLES[curve.line_style]
    colour = curve.color or colour
    edges = [curve.y_low, curve.y_high] if curve.is_band else [curve.y]
    for y in edges:
        ax.plot(curve.x, y, color=colour, linestyle=ls, lw=1.4, zorder=2)
    if curve.kind != "bound":
        return Line2D([], [], color=colour, linestyle=ls, lw=1.4)
    if curve.is_band:
        ax.fill_between(curve.x, curve.y_low, curve.y_high, color=colour, alpha=alpha, lw=0, zorder=1)
    elif curve.excluded in ("above", "below"):
        # shade to the axis edge without changing the limits (set by the panel or the other curves)
        lo, hi = ax.get_ylim()
        y = np.asarray(curve.y)
        edge = hi if curve.excluded == "above" else lo
        ax.fill_between(curve.x, y, np.full_like(y, edge), color=colour, alpha=alpha, lw=0, zorder=1)
        ax.set_ylim(lo, hi)
    return Patch(facecolor=colour, alpha=alpha, edgecolor=colour, linestyle=ls)


def panel_overlays(paths: Sequence[str], benchmark: Mapping[str, Any]) -> list[CurveFile]:
    """The curve files of ``paths`` that belong in a panel of ``benchmark`` (read and validated)."""
    return [c for c in (read_curve_file(p) for p in paths) if matches_benchmark(c, benchmark)]
