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

from darkreach.config.run import ScanSlice
from darkreach.config.specs import BenchmarkSpec, ScanSpec
from darkreach.experiments import Experiment
from darkreach.models import get_model
from darkreach.models.base import DarkSectorModel, Point
from darkreach.production import PointSignal, open_source
from darkreach.sensitivity.scan import Convergence, ScanResult, scan_signals
from darkreach.sensitivity.yields import DEFAULT_BATCHES


def axis_grid(spec: ScanSlice, model: DarkSectorModel, benchmark: BenchmarkSpec | Mapping[str, Any]) -> np.ndarray:
    """Grid of the benchmark's horizontal-axis parameter (:meth:`ScanSlice.axis_grid`)."""
    return spec.axis_grid(model, benchmark)


def coupling_grid(spec: ScanSlice) -> np.ndarray:
    """The scanned coupling grid (:meth:`ScanSlice.coupling_grid`)."""
    return spec.coupling_grid()


def scan_convergence(scan: ScanSpec, experiment: Experiment, n_events: int, label: str) -> Convergence | None:
    """The convergence control of an experiment's scan: ``edge_precision`` and ``max_events_per_mass`` of the
    experiment, else of ``scan`` (cap default 8 x ``n_events``); None when no precision is asked for."""
    target = experiment.edge_precision if experiment.edge_precision is not None else scan.edge_precision
    if target is None:
        return None
    cap = experiment.max_events_per_mass or scan.max_events_per_mass or 8 * n_events
    if cap < n_events:
        raise ValueError(
            f"max_events_per_mass = {cap} of experiment {experiment.name!r} is below its events_per_mass = {n_events}"
        )
    levels = tuple(experiment.level / (x * experiment.interactions_per_exposure) for x in experiment.exposures)
    return Convergence(float(target), int(cap), levels, label)


def scan_experiment(
    spec: ScanSlice,
    benchmark: BenchmarkSpec,
    meson_files: Mapping[str, str | Path],
    seed: int,
    threads: int = 1,
) -> ScanResult:
    """Expected events per unit exposure over the configured grid of one benchmark.

    ``spec`` is the scan job's typed slice (its experiment, beam, model grids and scan defaults);
    ``meson_files`` maps generator name -> merged sample of the experiment's beam (empty for e+e-).
    """
    model = get_model(spec.model.name)
    if benchmark.model != model.name:
        raise ValueError(f"benchmark {benchmark.label!r} is one of {benchmark.model!r}, not of {model.name!r}")
    source = open_source(spec.experiment, spec.beam, meson_files, seed)
    experiment = source.experiment
    masses = spec.axis_grid(model, benchmark)
    couplings = spec.coupling_grid()
    n_events = spec.events_per_mass
    batches = spec.scan.batches or DEFAULT_BATCHES
    convergence = scan_convergence(
        spec.scan, experiment, n_events, f"{experiment.name} x {model.name} {benchmark.label}"
    )

    def simulate(point: Point, stream_key: int, n: int) -> PointSignal:
        return source.simulate(model, point, n, seed, stream_key, batches=batches)

    result, summaries = scan_signals(
        model,
        benchmark.as_dict(),
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
