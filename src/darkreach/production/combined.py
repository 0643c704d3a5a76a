"""Several production sources of one experiment, their signals summed (``production: [mesons, partons]``).

Expected events add: N = N_mesons + N_partons at every coupling, and the jackknife replicates add replicate by
replicate (each source's batches are its own; the sources are independent samples, so pairing replicate b of
one with replicate b of the other keeps each source's variance and adds no correlation that is not there on
average). Every member simulates the point with the same (seed, stream_key); each keys its own streams.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from darkreach.experiments import Experiment
from darkreach.production import BeamFrame, PointSignal, ProductionSource, production_source_classes

if TYPE_CHECKING:
    from darkreach.config.specs import BeamSpec
    from darkreach.models.base import DarkSectorModel, Point

__all__ = ["CombinedSignal", "CombinedSource"]


@dataclass(frozen=True)
class CombinedSignal:
    """The sum of the signals of several sources (a :class:`darkreach.production.PointSignal`)."""

    parts: Mapping[str, PointSignal]

    def expected_events(self, couplings: np.ndarray, threshold: float, n_interactions: float = 1.0) -> np.ndarray:
        """Sum of the parts' expected events."""
        return np.sum([p.expected_events(couplings, threshold, n_interactions) for p in self.parts.values()], axis=0)

    def expected_events_replicates(
        self, couplings: np.ndarray, threshold: float, n_interactions: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sum of the parts' expected events and of their replicates (the parts must have as many batches)."""
        pairs = [p.expected_events_replicates(couplings, threshold, n_interactions) for p in self.parts.values()]
        # a part with no signal at all has zero replicates in any batching (a closed channel's default shape)
        live = {r.shape for t, r in pairs if np.any(t) or np.any(r)}
        if len(live) == 1:
            shape = next(iter(live))
            pairs = [(t, r if r.shape == shape else np.zeros(shape)) for t, r in pairs]
        shapes = {r.shape for _, r in pairs}
        if len(shapes) != 1:
            raise ValueError(f"the sources of a combined signal have different replicate shapes {sorted(shapes)}")
        return np.sum([t for t, _ in pairs], axis=0), np.sum([r for _, r in pairs], axis=0)

    @property
    def summary(self) -> dict[str, float]:
        """The parts' summaries merged."""
        out: dict[str, float] = {}
        for part in self.parts.values():
            out.update(getattr(part, "summary", {}))
        return out


def _samples_of(src: type[ProductionSource], samples: Mapping[str, str | Path], own: set[str]) -> dict[str, str | Path]:
    """The files of ``samples`` that ``src`` reads: its ``sample_key`` only, or every file not claimed by one."""
    key = getattr(src, "sample_key", None)
    if key is not None:
        return {k: v for k, v in samples.items() if k == key}
    return {k: v for k, v in samples.items() if k not in own}


class CombinedSource(ProductionSource):
    """The sources an experiment lists in ``production``, simulated at each point and summed."""

    frames: ClassVar[tuple[BeamFrame, ...]] = tuple(BeamFrame)

    def __init__(self, experiment: Experiment, sources: Mapping[str, ProductionSource]) -> None:
        super().__init__(experiment)
        if len(sources) < 2:
            raise ValueError(f"a combined source needs at least two sources, got {sorted(sources)}")
        self.sources = dict(sources)
        # the meson source may complete the experiment (f_M from the samples): keep its view
        self.experiment = next(iter(self.sources.values())).experiment

    @classmethod
    def from_spec(
        cls, experiment: Experiment, beam: BeamSpec, samples: Mapping[str, str | Path], seed: int
    ) -> CombinedSource:
        classes = production_source_classes(experiment)
        # a source with its own sample key (the partons) reads that file only; the others read the rest
        own: set[str] = {key for src in classes.values() if (key := getattr(src, "sample_key", None)) is not None}
        sources = {
            name: src.from_spec(experiment, beam, _samples_of(src, samples, own), seed) for name, src in classes.items()
        }
        return cls(experiment, sources)

    @classmethod
    def ensure_samples(
        cls,
        beam: BeamSpec,
        experiment: Experiment,
        results_dir: str | Path,
        seed: int,
        sample_events: int | None = None,
    ) -> dict[str, Path]:
        files: dict[str, Path] = {}
        for src in production_source_classes(experiment).values():
            files.update(src.ensure_samples(beam, experiment, results_dir, seed, sample_events))
        return files

    def model_problem_of(self, model: DarkSectorModel) -> str | None:
        """Why one of the sources cannot produce ``model``, naming it; None when all can."""
        for name, src in self.sources.items():
            problem = src.model_problem(model)
            if problem:
                return f"{problem} (production source {name!r})"
        return None

    def simulate(
        self,
        model: DarkSectorModel,
        point: Point,
        n_events: int,
        seed: int,
        stream_key: int = 0,
        acceptance: str | None = None,
        batches: int = 20,
    ) -> CombinedSignal:
        parts = {
            name: src.simulate(model, point, n_events, seed, stream_key, acceptance, batches)
            for name, src in self.sources.items()
        }
        return CombinedSignal(parts)

    def scan_metadata(self, summaries: Sequence[Mapping[str, float]]) -> dict[str, Any]:
        meta: dict[str, Any] = {"production": list(self.sources)}
        for src in self.sources.values():
            meta.update(src.scan_metadata(summaries))
        return meta
