"""The (mass, coupling) scan: one simulation per mass, every coupling evaluated from it.

:func:`scan_signals` runs the grid for any production source (a ``simulate(point, stream_key)`` returning a
:class:`darkreach.production.PointSignal`); :func:`run_scan` is the meson-beam case on given samples.

Yields are computed per interaction (per proton on target) and for each energy threshold; exposures
only multiply them, so contours for any number of exposures come from one scan. The contour tables and yield
grids of a scan are written by :mod:`darkreach.output.contour_table`.
"""

from __future__ import annotations

import json
import logging
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from darkreach.detectors.geometry import KernelGeometry
from darkreach.models.base import DarkSectorModel, Point
from darkreach.sensitivity.bands import column_precision
from darkreach.sensitivity.yields import DEFAULT_BATCHES, MesonKinematics, MesonSignal, simulate_signal

if TYPE_CHECKING:
    from darkreach.production import PointSignal


@dataclass
class ScanResult:
    """Expected events per interaction, shape (n_thresholds, n_masses, n_couplings).

    ``masses`` are the values of the horizontal-axis parameter ``mass_parameter`` (a mass in GeV, or e.g.
    delta, unit ``mass_unit``). ``interactions_per_exposure`` converts the experiment's exposure unit (POT,
    fb^-1) into interactions: events(exposure) = per_interaction x exposure x interactions_per_exposure.
    ``replicates`` (n_thresholds, n_masses, B, n_couplings, float32) are the jackknife replicates of
    ``per_interaction`` (:mod:`darkreach.sensitivity.bands`); None for a scan made without them.
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
    replicates: np.ndarray | None = None

    def events(self, exposure: float) -> np.ndarray:
        """Expected events for ``exposure`` (N_POT, or luminosity in fb^-1 at colliders)."""
        return self.per_interaction * (exposure * self.interactions_per_exposure)

    def replicate_events(self, exposure: float) -> np.ndarray:
        """The jackknife replicates of :meth:`events` (n_thresholds, n_masses, B, n_couplings).

        Raises
        ------
        ValueError
            For a scan without replicates (written before statistical bands existed: rerun the scan).
        """
        if self.replicates is None:
            raise ValueError("this scan has no jackknife replicates (an older scan file?); rerun the scan rule")
        return self.replicates.astype(np.float64) * (exposure * self.interactions_per_exposure)

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
        arrays: dict[str, Any] = {
            "masses": self.masses,
            "couplings": self.couplings,
            "thresholds": self.thresholds,
            "per_interaction": self.per_interaction,
            "metadata": np.array(json.dumps(meta)),
        }
        if self.replicates is not None:
            arrays["replicates"] = self.replicates.astype(np.float32)
        np.savez_compressed(path, **arrays)

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
                replicates = data["replicates"] if "replicates" in data.files else None
        except (OSError, ValueError, KeyError) as err:
            raise ValueError(f"scan file {str(path)!r} is corrupt or incomplete: {err}") from None
        base = {k: meta.pop(k) for k in ("model", "benchmark", "mass_parameter", "coupling_name", "coupling_unit")}
        optional = {k: meta.pop(k) for k in ("mass_unit", "interactions_per_exposure") if k in meta}
        return cls(**base, **arrays, **optional, metadata=meta, replicates=replicates)


#: ``simulate(point, stream_key, n_events)``: one simulation of a model point (a
#: :class:`darkreach.production.PointSignal`) with ``n_events`` events per channel.
Simulate = Callable[[Point, int, int], "PointSignal"]

log = logging.getLogger(__name__)


#: Below this many distinct accepted mesons at a mass, a missed precision is blamed on the meson sample.
FEW_MESONS = 200


class PrecisionWarning(UserWarning):
    """A scan point reached the event cap before its contour edges reached the target precision."""


@dataclass(frozen=True)
class Convergence:
    """Convergence control of a scan (config ``scan.edge_precision``, ``scan.max_events_per_mass``).

    ``levels`` are the yields per interaction whose contours count (level / (exposure x interactions per
    exposure), one per exposure). ``label`` names the scan in warnings (experiment, model, benchmark).
    """

    target: float
    max_events: int
    levels: tuple[float, ...]
    label: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.target) and self.target > 0.0):
            raise ValueError(f"scan.edge_precision must be a positive number, got {self.target!r}")
        if self.max_events < 1:
            raise ValueError(f"scan.max_events_per_mass must be a positive integer, got {self.max_events!r}")


def _signal_columns(
    signal: PointSignal, couplings: np.ndarray, thresholds: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """(thresholds, couplings) yields per interaction and their replicates (thresholds, B, couplings)."""
    pairs = [signal.expected_events_replicates(couplings, thr, 1.0) for thr in thresholds]
    return np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs])


def _next_events(used: int, precision: float, convergence: Convergence) -> int:
    """Events for the next round: enough for the 1/sqrt(n) scaling to reach the target (x 1.2), at least as many
    as already used, within the cap."""
    wanted = used * ((precision / convergence.target) ** 2 * 1.2 - 1.0)
    return int(min(convergence.max_events - used, max(used, math.ceil(wanted))))


def scan_signals(
    model: DarkSectorModel,
    benchmark: Mapping[str, Any],
    masses: np.ndarray,
    couplings: np.ndarray,
    thresholds: Sequence[float],
    simulate: Simulate,
    n_events: int,
    threads: int = 1,
    interactions_per_exposure: float = 1.0,
    metadata: Mapping[str, Any] | None = None,
    convergence: Convergence | None = None,
) -> tuple[ScanResult, list[Mapping[str, float]]]:
    """Scan ``masses`` x ``couplings`` at a benchmark: ``simulate(point, i, n_events)`` per mass i, every coupling
    and threshold evaluated from it (events per interaction, i.e. ``n_interactions = 1``), with jackknife
    replicates (:mod:`darkreach.sensitivity.bands`).

    ``masses`` are values of the benchmark's axis parameter (:meth:`DarkSectorModel.axis_parameter`: the
    model's mass unless the benchmark names another ``axis``, e.g. delta at fixed m2). Masses run in
    ``threads`` threads (the kernels release the GIL); the random stream of mass i is keyed by i, so results do
    not depend on ``threads``.

    With ``convergence``, a mass whose worst contour edge is less precise than the target is simulated again
    with new streams (keys i + r n_masses for round r) and more events, until the target or the cap; rounds
    are combined weighted by their events (each round is an unbiased estimate; replicate b of the combination
    leaves batch b out of every round, and a meson keeps its batch in every round). The metadata records per
    mass ``edge_precision`` and ``events_used``, and the masses where the cap stopped the loop
    (``precision_not_reached``, also a :class:`PrecisionWarning`).

    Returns the scan and each point's ``summary`` (empty for signals without one), in mass order.
    """
    masses = np.asarray(masses, dtype=np.float64)
    couplings = np.asarray(couplings, dtype=np.float64)
    if masses.ndim != 1 or couplings.ndim != 1:
        raise ValueError(f"masses and couplings must be 1-d arrays, got shapes {masses.shape} and {couplings.shape}")
    if n_events <= 0:
        raise ValueError(f"n_events must be positive, got {n_events!r}")
    points = [model.point_at(benchmark, float(m)) for m in masses]
    for p in points:
        model.validate_point(p)
    n_masses = len(points)

    def one(i: int) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
        signal = simulate(points[i], i, n_events)
        column, reps = _signal_columns(signal, couplings, thresholds)
        summary = dict(getattr(signal, "summary", {}))
        used = n_events
        rounds = 1
        precision = math.nan
        while convergence is not None:
            precision = max(column_precision(couplings, column[t], reps[t], convergence.levels)
                            for t in range(len(thresholds)))  # fmt: skip
            if precision <= convergence.target or used >= convergence.max_events:
                break
            extra = _next_events(used, precision, convergence)
            more = simulate(points[i], i + rounds * n_masses, extra)
            col2, reps2 = _signal_columns(more, couplings, thresholds)
            summary = dict(getattr(more, "summary", summary))
            column = (used * column + extra * col2) / (used + extra)
            reps = (used * reps + extra * reps2) / (used + extra)
            used += extra
            rounds += 1
        summary["events_used"] = float(used)
        if convergence is not None:
            summary["edge_precision"] = float(precision)
        return column, reps, summary

    if threads > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            outcomes = list(pool.map(one, range(n_masses)))
    else:
        outcomes = [one(i) for i in range(n_masses)]
    n_b = outcomes[0][1].shape[1] if outcomes else DEFAULT_BATCHES
    if outcomes:
        grid = np.stack([o[0] for o in outcomes], axis=1)
        reps = np.stack([o[1] for o in outcomes], axis=1)
    else:
        grid = np.zeros((len(thresholds), 0, couplings.size))
        reps = np.zeros((len(thresholds), 0, n_b, couplings.size))
    if not (np.all(np.isfinite(grid)) and np.all(np.isfinite(reps))):
        raise FloatingPointError("scan produced non-finite yields; refusing to write them")
    summaries: list[Mapping[str, float]] = [o[2] for o in outcomes]
    meta = dict(metadata or {})
    meta["batches"] = int(n_b)
    meta["events_used"] = [int(s["events_used"]) for s in summaries]
    if summaries and all("accepted_distinct_mesons" in s for s in summaries):
        meta["accepted_distinct_mesons"] = [int(s["accepted_distinct_mesons"]) for s in summaries]
    if convergence is not None:
        meta["edge_precision"] = [s["edge_precision"] for s in summaries]
        meta["edge_precision_target"] = convergence.target
        meta["max_events_per_mass"] = convergence.max_events
        missed = [float(m) for m, s in zip(masses, summaries) if s["edge_precision"] > convergence.target]
        meta["precision_not_reached"] = missed
        if missed:
            message = (
                f"{convergence.label or model.name}: edge precision {convergence.target:g} not reached within "
                f"{convergence.max_events} events at {model.axis_parameter(benchmark)} = "
                f"{', '.join(f'{m:.4g}' for m in missed)}"
            )
            few = [float(m) for m, s in zip(masses, summaries)
                   if float(m) in missed and s.get("accepted_distinct_mesons", math.inf) < FEW_MESONS]  # fmt: skip
            if few:
                message += (
                    f"; at {', '.join(f'{m:.4g}' for m in few)} fewer than {FEW_MESONS} distinct mesons reach the "
                    "detector: the meson sample, not the decay sampling, limits the precision (generate more mesons)"
                )
            log.warning(message)
            warnings.warn(message, PrecisionWarning, stacklevel=2)
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
        metadata=meta,
        mass_unit=model.axis_unit(benchmark),
        interactions_per_exposure=float(interactions_per_exposure),
        replicates=reps.astype(np.float32),
    )
    return result, summaries


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

    def simulate(point: Point, stream_key: int, n: int) -> MesonSignal:
        return simulate_signal(
            model,
            point,
            mesons,
            geometry,
            n,
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
        n_events,
        threads,
        interactions_per_exposure,
        metadata={"n_events": n_events, "seed": seed},
    )
    return result
