"""The parton production source: pp -> phi1 phi2 at a collider, reweighted from the beam's parton sample.

Serves ``collider`` beams; an experiment switches it on with ``production: [mesons, partons]`` (or
``[partons]``). It reads one file, the beam's reference parton sample (sample key ``partons``: the workflow's
rule ``merge_partons``, or the command line's small one, :func:`.sample_file.ensure_parton_sample`).
:meth:`PartonSource.simulate` asks the model for its process
(:meth:`darkreach.models.base.DarkSectorModel.parton_process`), reweights the sample to it (:mod:`.reweight`)
and runs the phi2 through the experiment's geometry, decays and selection (:mod:`.simulation`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from darkreach.experiments import Experiment
from darkreach.production import BeamFrame, ProductionSource
from darkreach.production.partons.sample_file import PartonSample, check_sample, read_parton_sample
from darkreach.production.partons.settings import PartonSettings
from darkreach.production.partons.signal import PartonSignal
from darkreach.production.partons.simulation import simulate_partons

if TYPE_CHECKING:
    from darkreach.config.specs import BeamSpec
    from darkreach.models.base import DarkSectorModel, Point

__all__ = ["SAMPLE_KEY", "PartonSource"]

#: The key of the parton sample among a scan's sample files (the rule scan's named input).
SAMPLE_KEY = "partons"


class PartonSource(ProductionSource):
    """q qbar -> phi1 phi2 at the experiment's sqrt(s), through its detector."""

    frames: ClassVar[tuple[BeamFrame, ...]] = (BeamFrame.COLLIDER,)
    #: The one sample key it reads (the meson samples of the beam are not read).
    sample_key: ClassVar[str] = SAMPLE_KEY

    def __init__(self, experiment: Experiment, sample: PartonSample, events_per_point: int | None = None) -> None:
        super().__init__(experiment)
        if experiment.cross_section_mb is None:
            raise ValueError(f"experiment {experiment.name!r}: parton production needs cross_section_mb")
        self.sample = sample
        self.events_per_point = events_per_point
        self.sqrt_s = sample.sqrt_s
        self._signals: dict[tuple[Any, ...], PartonSignal] = {}

    @classmethod
    def from_spec(
        cls, experiment: Experiment, beam: BeamSpec, samples: Mapping[str, str | Path], seed: int
    ) -> PartonSource:
        if set(samples) != {SAMPLE_KEY}:
            raise ValueError(f"the parton source of {experiment.name!r} reads one sample {SAMPLE_KEY!r} (the beam's "
                             f"parton sample), got {sorted(samples)}")  # fmt: skip
        sample = read_parton_sample(samples[SAMPLE_KEY])
        check_sample(sample, beam.energy, f"experiment {experiment.name!r} on beam {beam.name!r}")
        return cls(experiment, sample, (beam.partons or PartonSettings()).events_per_point)

    @classmethod
    def ensure_samples(
        cls,
        beam: BeamSpec,
        experiment: Experiment,
        results_dir: str | Path,
        seed: int,
        sample_events: int | None = None,
    ) -> dict[str, Path]:
        """The workflow's parton sample of the beam, else the command line's (``sample_events`` events, default
        :data:`.sample_file.CLI_EVENTS`)."""
        from darkreach.production.partons.sample_file import ensure_parton_sample

        return {SAMPLE_KEY: ensure_parton_sample(beam, results_dir, seed, sample_events)}

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
        """Simulate ``point`` with every event of the beam's parton sample, reweighted to it (``n_events``, the
        meson count of the scan, does not apply to partons).

        A point simulated again by this source (a convergence round of the scan, which adds meson events; see
        :func:`darkreach.sensitivity.scan.scan_signals`) gets the signal of its first call back (the point's
        reweighting and chain are cached per point): the parton statistics are fixed by the sample. The combined
        estimate stays unbiased and its jackknife replicates keep the partons' spread. The first call of a point
        is always its round-0 stream, so the events do not depend on the number of rounds or threads.
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
            self.sample,
            exp.kernel_geometry(acceptance),
            seed,
            stream_key,
            exp.cross_section_mb,
            exp.efficiency,
            exp.channel_efficiencies,
            exp.energy_max_gev,
            batches,
            self.events_per_point,
        )
        self._signals[key] = signal
        return signal

    def scan_metadata(self, summaries: Sequence[Mapping[str, float]]) -> dict[str, Any]:
        return {
            "partons": {
                **{k: self.sample.metadata.get(k) for k in ("sqrt_s_gev", "mhat_min_gev", "isr", "n_events")},
                "events_per_point": self.events_per_point,
            },
            "parton_sigma_pb": [float(s.get("parton_sigma_pb", 0.0)) for s in summaries],
        }
