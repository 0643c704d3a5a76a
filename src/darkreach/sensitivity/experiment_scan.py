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
from darkreach.config.specs import BenchmarkSpec
from darkreach.models import get_model
from darkreach.models.base import DarkSectorModel, Point
from darkreach.production import PointSignal, open_source
from darkreach.sensitivity.scan import ScanResult, scan_signals


def axis_grid(spec: ScanSlice, model: DarkSectorModel, benchmark: BenchmarkSpec | Mapping[str, Any]) -> np.ndarray:
    """Grid of the benchmark's horizontal-axis parameter (:meth:`ScanSlice.axis_grid`)."""
    return spec.axis_grid(model, benchmark)


def coupling_grid(spec: ScanSlice) -> np.ndarray:
    """The scanned coupling grid (:meth:`ScanSlice.coupling_grid`)."""
    return spec.coupling_grid()


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

    def simulate(point: Point, stream_key: int) -> PointSignal:
        return source.simulate(model, point, n_events, seed, stream_key)

    result, summaries = scan_signals(
        model,
        benchmark.as_dict(),
        masses,
        couplings,
        experiment.energy_thresholds_gev,
        simulate,
        threads=threads,
        interactions_per_exposure=experiment.interactions_per_exposure,
        metadata={"n_events": int(n_events), "seed": int(seed)},
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
