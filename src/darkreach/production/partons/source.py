"""The parton production source: pp -> phi1 phi2 at a collider, generated per point inside PYTHIA8.

Serves ``collider`` beams; an experiment switches it on with ``production: [mesons, partons]`` (or
``[partons]``). There are no samples to prepare: :meth:`PartonSource.simulate` asks the model for its process
(:meth:`darkreach.models.base.DarkSectorModel.parton_process`), generates the point's phi2
(:mod:`.generator`, the experiment's ``partons`` settings) and runs them through the experiment's geometry,
decays and selection (:mod:`.simulation`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from darkreach.experiments import Experiment
from darkreach.production import BeamFrame, ProductionSource
from darkreach.production.partons.settings import PartonSettings
from darkreach.production.partons.signal import PartonSignal
from darkreach.production.partons.simulation import simulate_partons

if TYPE_CHECKING:
    from darkreach.config.specs import BeamSpec
    from darkreach.models.base import DarkSectorModel, Point

__all__ = ["PartonSource"]


class PartonSource(ProductionSource):
    """q qbar -> phi1 phi2 at the experiment's sqrt(s), through its detector."""

    frames: ClassVar[tuple[BeamFrame, ...]] = (BeamFrame.COLLIDER,)
    #: The meson samples of the beam are not read.
    reads_samples: ClassVar[bool] = False

    def __init__(self, experiment: Experiment, sqrt_s: float, settings: PartonSettings) -> None:
        super().__init__(experiment)
        if experiment.cross_section_mb is None:
            raise ValueError(f"experiment {experiment.name!r}: parton production needs cross_section_mb")
        self.sqrt_s = float(sqrt_s)
        self.settings = settings
        self._signals: dict[tuple[Any, ...], PartonSignal] = {}

    @classmethod
    def from_spec(
        cls, experiment: Experiment, beam: BeamSpec, samples: Mapping[str, str | Path], seed: int
    ) -> PartonSource:
        if samples:
            raise ValueError(f"the parton source reads no meson samples; got {sorted(samples)} for {experiment.name!r}")
        return cls(experiment, beam.energy, experiment.partons or PartonSettings())

    @classmethod
    def model_problem(cls, model: DarkSectorModel) -> str | None:
        if model.has_parton_production():
            return None
        return "has no parton-level process (DarkSectorModel.parton_process)"

    def simulate(
        self,
        model: DarkSectorModel,
        point: Point,
        n_events: int,
        seed: int,
        stream_key: int = 0,
        acceptance: str | None = None,
        batches: int = 20,
    ) -> PartonSignal:
        """Simulate ``point`` with the experiment's ``partons.events`` PYTHIA events (``n_events``, the meson count
        of the scan, does not apply to partons).

        A point simulated again by this source (a convergence round of the scan, which adds meson events; see
        :func:`darkreach.sensitivity.scan.scan_signals`) gets the signal of its first call back: the parton sample's
        size is fixed by ``partons.events``, and each round would otherwise pay the whole PYTHIA initialisation
        again (about 1 s per point). The combined estimate stays unbiased and its jackknife replicates keep the
        partons' spread; only the parton statistics do not grow with the rounds. The first call of a point is
        always its round-0 stream, so the events do not depend on the number of rounds or threads.
        """
        key = (tuple(sorted((k, repr(v)) for k, v in point.items())), acceptance, batches, seed)
        cached = self._signals.get(key)
        if cached is not None:
            return cached
        problem = self.model_problem(model)
        if problem:
            raise TypeError(f"model {model.name!r} {problem}; experiment {self.experiment.name!r} lists partons")
        process = model.parton_process(point)
        if process is None:
            raise TypeError(f"model {model.name!r} returned no parton process at {dict(point)}")
        exp = self.experiment
        assert exp.cross_section_mb is not None  # checked in __init__
        signal = simulate_partons(
            model,
            point,
            process,
            self.settings,
            self.sqrt_s,
            exp.kernel_geometry(acceptance),
            seed,
            stream_key,
            exp.cross_section_mb,
            exp.efficiency,
            exp.channel_efficiencies,
            exp.energy_max_gev,
            batches,
        )
        self._signals[key] = signal
        return signal

    def scan_metadata(self, summaries: Sequence[Mapping[str, float]]) -> dict[str, Any]:
        return {
            "partons": {**vars(self.settings), "sqrt_s_gev": self.sqrt_s},
            "parton_sigma_pb": [float(s.get("parton_sigma_pb", 0.0)) for s in summaries],
        }
