"""One configured experiment x model x benchmark scan, as the workflow's ``scan`` rule runs it.

The experiment's production source (:func:`darkreach.production.open_source`: prepared meson samples at a
fixed target or pp collider, the e+e- ISR source for the BaBar bound) simulates each point of the grid, and
:func:`darkreach.sensitivity.scan.scan_signals` evaluates every coupling and threshold, exactly as the command
line's ``reach`` does at one point. The result is a :class:`~darkreach.sensitivity.scan.ScanResult` whose
metadata carries everything the contour stage needs: the exposures, their unit, the contour level.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from darkreach.config import grid_values
from darkreach.models import get_model
from darkreach.models.base import DarkSectorModel, Point
from darkreach.production import PointSignal, open_source
from darkreach.sensitivity.scan import Convergence, ScanResult, scan_signals
from darkreach.sensitivity.yields import DEFAULT_BATCHES


def axis_grid(cfg: Mapping[str, Any], model: DarkSectorModel, benchmark: Mapping[str, Any]) -> np.ndarray:
    """Grid of the benchmark's horizontal-axis parameter: the model's mass grid (model entry, else
    ``scan.mass_gev``), or ``models.<name>.axis_grids.<axis>`` for another axis."""
    mcfg = cfg["models"][model.name]
    axis = model.axis_parameter(benchmark)
    if axis == model.mass_parameter:
        if "mass_gev" in mcfg:
            return grid_values(mcfg["mass_gev"], f"models.{model.name}.mass_gev")
        return grid_values(cfg["scan"]["mass_gev"], "scan.mass_gev")
    grids = mcfg.get("axis_grids", {})
    if axis not in grids:
        raise KeyError(f"no grid for axis {axis!r}: set models.{model.name}.axis_grids.{axis}")
    return grid_values(grids[axis], f"models.{model.name}.axis_grids.{axis}")


def coupling_grid(cfg: Mapping[str, Any], model: DarkSectorModel) -> np.ndarray:
    """The scanned coupling grid (model entry, else ``scan.coupling``)."""
    mcfg = cfg["models"][model.name]
    if "coupling" in mcfg:
        return grid_values(mcfg["coupling"], f"models.{model.name}.coupling")
    return grid_values(cfg["scan"]["coupling"], "scan.coupling")


def scan_convergence(cfg: Mapping[str, Any], experiment: Any, n_events: int, label: str) -> Convergence | None:
    """The convergence control of an experiment's scan: ``edge_precision`` and ``max_events_per_mass`` of the
    experiment, else of ``scan`` (cap default 8 x ``n_events``); None when no precision is asked for."""
    scan = cfg["scan"]
    target = experiment.edge_precision if experiment.edge_precision is not None else scan.get("edge_precision")
    if target is None:
        return None
    cap = experiment.max_events_per_mass or int(scan.get("max_events_per_mass", 8 * n_events))
    if cap < n_events:
        raise ValueError(
            f"max_events_per_mass = {cap} of experiment {experiment.name!r} is below its events_per_mass = {n_events}"
        )
    levels = tuple(experiment.level / (x * experiment.interactions_per_exposure) for x in experiment.exposures)
    return Convergence(float(target), int(cap), levels, label)


def scan_experiment(
    cfg: Mapping[str, Any],
    experiment_name: str,
    model_name: str,
    benchmark: Mapping[str, Any],
    meson_files: Mapping[str, str | Path],
    seed: int,
    threads: int = 1,
) -> ScanResult:
    """Expected events per unit exposure over the configured grid of one benchmark.

    ``meson_files`` maps generator name -> merged sample of the experiment's beam (empty for e+e-).
    """
    model = get_model(model_name)
    source = open_source(cfg, experiment_name, meson_files, seed)
    experiment = source.experiment
    masses = axis_grid(cfg, model, benchmark)
    couplings = coupling_grid(cfg, model)
    n_events = experiment.events_per_mass or int(cfg["scan"]["events_per_mass"])
    batches = int(cfg["scan"].get("batches", DEFAULT_BATCHES))
    convergence = scan_convergence(cfg, experiment, n_events, f"{experiment.name} x {model.name} {dict(benchmark)}")

    def simulate(point: Point, stream_key: int, n: int) -> PointSignal:
        return source.simulate(model, point, n, seed, stream_key, batches=batches)

    result, summaries = scan_signals(
        model,
        benchmark,
        masses,
        couplings,
        experiment.energy_thresholds_gev,
        simulate,
        n_events,
        threads=threads,
        interactions_per_exposure=experiment.interactions_per_exposure,
        metadata={"n_events": int(n_events), "seed": int(seed)},
        convergence=convergence,
    )
    result.metadata.update(
        {
            "experiment": experiment.name,
            "exposures": list(experiment.exposures),
            "exposure_unit": experiment.exposure_unit,
            "level": experiment.level,
            **source.scan_metadata(summaries),
        }
    )
    return result
