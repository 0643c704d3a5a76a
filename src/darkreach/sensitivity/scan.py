"""The (mass, coupling) scan: one simulation per mass, every coupling evaluated from it.

:func:`scan_signals` runs the grid for any production source (a ``simulate(point, stream_key)`` returning a
:class:`darkreach.production.PointSignal`); :func:`run_scan` is the meson-beam case on given samples.

Yields are computed per interaction (per proton on target) and for each energy threshold; exposures
only multiply them, so contours for any number of exposures come from one scan. The contour tables and yield
grids of a scan are written by :mod:`darkreach.output.contour_table`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from darkreach.detectors.geometry import KernelGeometry
from darkreach.models.base import DarkSectorModel, Point
from darkreach.sensitivity.yields import MesonKinematics, MesonSignal, simulate_signal

if TYPE_CHECKING:
    from darkreach.production import PointSignal


@dataclass
class ScanResult:
    """Expected events per interaction, shape (n_thresholds, n_masses, n_couplings).

    ``masses`` are the values of the horizontal-axis parameter ``mass_parameter`` (a mass in GeV, or e.g.
    delta, unit ``mass_unit``). ``interactions_per_exposure`` converts the experiment's exposure unit (POT,
    fb^-1) into interactions: events(exposure) = per_interaction x exposure x interactions_per_exposure.
    """

    model: str
    benchmark: dict[str, Any]
    mass_parameter: str
    coupling_name: str
    coupling_unit: str
    masses: np.ndarray
    couplings: np.ndarray
    thresholds: np.ndarray
    per_interaction: np.ndarray
    metadata: dict[str, Any] = field(default_factory=dict)
    mass_unit: str = "GeV"
    interactions_per_exposure: float = 1.0

    def events(self, exposure: float) -> np.ndarray:
        """Expected events for ``exposure`` (N_POT, or luminosity in fb^-1 at colliders)."""
        return self.per_interaction * (exposure * self.interactions_per_exposure)

    def save(self, path: str | Path) -> None:
        """Write the scan to a compressed ``.npz`` (arrays plus JSON metadata)."""
        meta = {
            "model": self.model,
            "benchmark": self.benchmark,
            "mass_parameter": self.mass_parameter,
            "coupling_name": self.coupling_name,
            "coupling_unit": self.coupling_unit,
            "mass_unit": self.mass_unit,
            "interactions_per_exposure": self.interactions_per_exposure,
            **self.metadata,
        }
        np.savez_compressed(
            path,
            masses=self.masses,
            couplings=self.couplings,
            thresholds=self.thresholds,
            per_interaction=self.per_interaction,
            metadata=np.array(json.dumps(meta)),
        )

    @classmethod
    def load(cls, path: str | Path) -> ScanResult:
        """Read a scan written by :meth:`save`."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"scan file {str(path)!r} does not exist; run the scan rule first")
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["metadata"]))
                arrays = {k: data[k] for k in ("masses", "couplings", "thresholds", "per_interaction")}
        except (OSError, ValueError, KeyError) as err:
            raise ValueError(f"scan file {str(path)!r} is corrupt or incomplete: {err}") from None
        base = {k: meta.pop(k) for k in ("model", "benchmark", "mass_parameter", "coupling_name", "coupling_unit")}
        optional = {k: meta.pop(k) for k in ("mass_unit", "interactions_per_exposure") if k in meta}
        return cls(**base, **arrays, **optional, metadata=meta)


#: ``simulate(point, stream_key)``: one simulation of a model point (a :class:`darkreach.production.PointSignal`).
Simulate = Callable[[Point, int], "PointSignal"]


def scan_signals(
    model: DarkSectorModel,
    benchmark: Mapping[str, Any],
    masses: np.ndarray,
    couplings: np.ndarray,
    thresholds: Sequence[float],
    simulate: Simulate,
    threads: int = 1,
    interactions_per_exposure: float = 1.0,
    metadata: Mapping[str, Any] | None = None,
) -> tuple[ScanResult, list[Mapping[str, float]]]:
    """Scan ``masses`` x ``couplings`` at a benchmark: one ``simulate(point, i)`` per mass i, every coupling and
    threshold evaluated from it (events per interaction, i.e. ``n_interactions = 1``).

    ``masses`` are values of the benchmark's axis parameter (:meth:`DarkSectorModel.axis_parameter`: the
    model's mass unless the benchmark names another ``axis``, e.g. delta at fixed m2). Masses run in
    ``threads`` threads (the kernels release the GIL); the random stream of mass i is keyed by i, so results do
    not depend on ``threads``. Returns the scan and each point's ``summary`` (empty for signals without one), in
    mass order; the signals themselves are dropped as soon as their column is computed.
    """
    masses = np.asarray(masses, dtype=np.float64)
    couplings = np.asarray(couplings, dtype=np.float64)
    if masses.ndim != 1 or couplings.ndim != 1:
        raise ValueError(f"masses and couplings must be 1-d arrays, got shapes {masses.shape} and {couplings.shape}")
    points = [model.point_at(benchmark, float(m)) for m in masses]
    for p in points:
        model.validate_point(p)

    def one(i: int) -> tuple[np.ndarray, Mapping[str, float]]:
        signal = simulate(points[i], i)
        column = np.stack([signal.expected_events(couplings, thr, 1.0) for thr in thresholds])
        return column, dict(getattr(signal, "summary", {}))

    if threads > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            outcomes = list(pool.map(one, range(len(points))))
    else:
        outcomes = [one(i) for i in range(len(points))]
    columns = [column for column, _ in outcomes]
    grid = np.stack(columns, axis=1) if columns else np.zeros((len(thresholds), 0, couplings.size))
    if not np.all(np.isfinite(grid)):
        raise FloatingPointError("scan produced non-finite yields; refusing to write them")
    result = ScanResult(
        model=model.name,
        benchmark=dict(benchmark),
        mass_parameter=model.axis_parameter(benchmark),
        coupling_name=model.scan.name,
        coupling_unit=model.scan.unit,
        masses=masses,
        couplings=couplings,
        thresholds=np.asarray(thresholds, dtype=np.float64),
        per_interaction=grid,
        metadata=dict(metadata or {}),
        mass_unit=model.axis_unit(benchmark),
        interactions_per_exposure=float(interactions_per_exposure),
    )
    return result, [summary for _, summary in outcomes]


def run_scan(
    model: DarkSectorModel,
    benchmark: Mapping[str, Any],
    masses: np.ndarray,
    couplings: np.ndarray,
    mesons: Mapping[str, MesonKinematics],
    geometry: KernelGeometry,
    thresholds: Sequence[float],
    mesons_per_interaction: Mapping[str, float],
    n_events: int,
    seed: int,
    threads: int = 1,
    efficiency: float = 1.0,
    channel_efficiencies: Mapping[str, float] | None = None,
    energy_max: float = math.inf,
    interactions_per_exposure: float = 1.0,
) -> ScanResult:
    """Scan ``masses`` x ``couplings`` at a benchmark point on meson samples (:func:`scan_signals` with the
    meson chain of :func:`darkreach.sensitivity.yields.simulate_signal`); masses run in parallel threads."""

    def simulate(point: Point, stream_key: int) -> MesonSignal:
        return simulate_signal(
            model,
            point,
            mesons,
            geometry,
            n_events,
            seed,
            stream_key,
            mesons_per_interaction,
            efficiency,
            channel_efficiencies,
            energy_max,
        )

    result, _ = scan_signals(
        model,
        benchmark,
        masses,
        couplings,
        thresholds,
        simulate,
        threads,
        interactions_per_exposure,
        metadata={"n_events": n_events, "seed": seed},
    )
    return result
