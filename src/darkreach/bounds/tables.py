"""A bound over a mass grid, as a contour table (the workflow's ``bound_table`` rule; figures draw it shaded).

The table has the columns of a sensitivity (:data:`darkreach.output.contour_table.CONTOUR_COLUMNS`), so the
figures, their CSV and the HEPData export read it unchanged: one row per axis value and excluded interval, with
``exposure``, ``energy_threshold_gev`` and ``level`` 0 (a bound has none of them), ``low_at_grid_edge`` /
``high_at_grid_edge`` set where the interval continues beyond the coupling range (an open end,
:class:`darkreach.bounds.base.Excluded`). The header carries ``experiment`` = the bound's name and ``bound``: its
metadata (label, source, kind, options) and ``edge_styles`` (how the figures draw each edge).

The axis grid is the benchmark's grid of the run (:meth:`darkreach.config.run.ScanSlice.axis_grid`), refined
``refine`` times in log spacing so that the vertical cut-off edges sit within a few percent of their mass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from darkreach.bounds.base import Bound
from darkreach.models.base import DarkSectorModel
from darkreach.output.contour_table import ContourTable
from darkreach.output.provenance import provenance as make_provenance

__all__ = ["DEFAULT_REFINE", "bound_job", "bound_rows", "bound_table", "refine_grid", "write_bound_job"]


def refine_grid(grid: Sequence[float], refine: int) -> np.ndarray:
    """``grid`` with ``refine - 1`` log-spaced points inserted in every step (``refine = 1``: unchanged)."""
    values = np.asarray(grid, dtype=np.float64)
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values) & (values > 0)):
        raise ValueError(f"axis grid must be a non-empty list of positive finite numbers, got {list(grid)!r}")
    if isinstance(refine, bool) or not isinstance(refine, int) or refine < 1:
        raise ValueError(f"refine must be a positive integer, got {refine!r}")
    values = np.unique(values)
    if refine == 1 or values.size == 1:
        return values
    logs = np.log(values)
    fine = [np.linspace(a, b, refine, endpoint=False) for a, b in zip(logs[:-1], logs[1:])]
    return np.exp(np.concatenate([*fine, logs[-1:]]))


def bound_rows(
    bound: Bound,
    model: DarkSectorModel,
    benchmark: Mapping[str, Any],
    axis_values: Sequence[float],
    coupling_range: tuple[float, float],
) -> list[dict[str, Any]]:
    """The contour rows of ``bound`` at every axis value of ``benchmark`` (see the module docstring)."""
    bound.check_model(model)
    rows: list[dict[str, Any]] = []
    for x in axis_values:
        point = model.point_at(benchmark, float(x))
        for k, iv in enumerate(bound.excluded(model, point, coupling_range)):
            rows.append(
                {
                    "exposure": 0.0, "energy_threshold_gev": 0.0, "level": 0.0, "mass": float(x), "interval": k,
                    "coupling_low": iv.low, "coupling_high": iv.high,
                    "low_at_grid_edge": iv.low_open, "high_at_grid_edge": iv.high_open,
                }
            )  # fmt: skip
    return rows


def bound_table(
    bound: Bound,
    model: DarkSectorModel,
    benchmark: Mapping[str, Any],
    axis_values: Sequence[float],
    coupling_range: tuple[float, float],
    config_hash: str | None = None,
) -> ContourTable:
    """:func:`bound_rows` as a :class:`~darkreach.output.contour_table.ContourTable` with the bound's header."""
    rows = bound_rows(bound, model, benchmark, axis_values, coupling_range)
    meta = {**bound.metadata(), "edge_styles": dict(bound.edge_styles), "coupling_range": list(coupling_range)}
    return ContourTable(
        model=model.name,
        benchmark=dict(benchmark),
        mass_parameter=model.axis_parameter(benchmark),
        mass_unit=model.axis_unit(benchmark),
        coupling_name=model.scan.name,
        coupling_unit=model.scan.unit,
        rows=tuple(rows),
        experiment=bound.name,
        provenance=make_provenance(config_hash),
        bound=meta,
    )


#: Refinement of the run's axis grid for bound tables (cut-off edges within ~5 % of their mass on the paper grid).
DEFAULT_REFINE = 4


def bound_job(run: Any, bound: str, model: str, label: str, refine: int = DEFAULT_REFINE) -> dict[str, Any]:
    """The params of the workflow's ``bound_table`` job (plain data): the bound and its options (the run's seed
    for a Monte Carlo bound), the model, the benchmark ``label`` of ``models.<model>.benchmarks``, the refined axis
    grid and the coupling range (ends of the run's coupling grid). KeyError naming what is missing."""
    import inspect

    from darkreach.bounds.base import bound_class
    from darkreach.models import get_model

    cls = bound_class(bound)
    if model not in run.models:
        raise KeyError(f"bound {bound!r}: model {model!r} has no entry under models: of the config")
    mspec = run.models[model]
    bench = mspec.benchmark(label).as_dict()
    dark = get_model(model)
    axis = dark.axis_parameter(bench)
    if axis == dark.mass_parameter:
        grid = (mspec.mass_gev or run.scan.mass_gev).array()
    elif axis in mspec.axis_grids:
        grid = mspec.axis_grids[axis].array()
    else:
        raise KeyError(f"no grid for axis {axis!r}: set models.{model}.axis_grids.{axis}")
    couplings = (mspec.coupling or run.scan.coupling).array()
    options = {"seed": int(run.seed)} if "seed" in inspect.signature(cls).parameters else {}
    return {
        "bound": bound,
        "options": options,
        "model": model,
        "benchmark": bench,
        "axis_values": [float(x) for x in refine_grid(grid, refine)],
        "coupling_range": [float(couplings.min()), float(couplings.max())],
    }


def write_bound_job(job: Mapping[str, Any], path: str | Any, config_hash: str | None = None) -> ContourTable:
    """Compute the bound table of a :func:`bound_job` and write it to ``path``; returns it."""
    from darkreach.bounds.base import get_bound
    from darkreach.models import get_model
    from darkreach.output.contour_table import write_contour_table

    bound = get_bound(str(job["bound"]), **dict(job.get("options") or {}))
    lo, hi = (float(v) for v in job["coupling_range"])
    table = bound_table(bound, get_model(str(job["model"])), dict(job["benchmark"]), list(job["axis_values"]),
                        (lo, hi), config_hash)  # fmt: skip
    write_contour_table(table, path)
    return table
