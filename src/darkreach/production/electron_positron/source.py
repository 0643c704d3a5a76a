"""The e+e- production source as an experiment sees it: ISR events (:mod:`.events`) through a mono-photon selection.

Serves ``electron_positron`` beams (BaBar; LEP next). There are no samples to prepare: each model point is
generated on the fly. The selection, the experiment's ``selection`` cuts with its single energy threshold as the
leading-photon cut, is that of :mod:`darkreach.bounds.ee_monophoton`, which counts the events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from darkreach.bounds.ee_monophoton import EEMonophotonSignal, EESelection, selection_metadata, simulate_ee_events
from darkreach.experiments import Experiment
from darkreach.production import BeamFrame, ProductionSource
from darkreach.production.electron_positron.events import CROSS_SECTION_METHOD

if TYPE_CHECKING:
    from darkreach.config.specs import BeamSpec
    from darkreach.models.base import DarkSectorModel, Point

__all__ = ["ElectronPositronSource", "experiment_selection"]


def experiment_selection(beam: BeamSpec, experiment: Experiment) -> EESelection:
    """The selection of an e+e- experiment: its beam's sqrt(s), its (single) energy threshold as the
    leading-photon cut, and its ``selection`` entries."""
    return EESelection(
        sqrt_s_gev=beam.energy,
        leading_photon_min_gev=experiment.energy_thresholds_gev[0],
        **experiment.selection,
    )


class ElectronPositronSource(ProductionSource):
    """e+e- -> gamma LLP partner at the experiment's sqrt(s), counted by its mono-photon selection."""

    frames: ClassVar[tuple[BeamFrame, ...]] = (BeamFrame.ELECTRON_POSITRON,)
    #: The command line interpolates e+e- intervals on its coupling grid (as it always has).
    continuous_reach: ClassVar[bool] = False

    def __init__(self, experiment: Experiment, selection: EESelection) -> None:
        super().__init__(experiment)
        self.selection = selection

    @classmethod
    def from_spec(
        cls, experiment: Experiment, beam: BeamSpec, samples: Mapping[str, str | Path], seed: int
    ) -> ElectronPositronSource:
        if samples:
            raise ValueError(
                f"an e+e- experiment reads no meson samples; got {sorted(samples)} for {experiment.name!r}"
            )
        return cls(experiment, experiment_selection(beam, experiment))

    @classmethod
    def model_problem(cls, model: DarkSectorModel) -> str | None:
        if model.has_ee_production():
            return None
        return "has no e+e- pair cross section"

    def simulate(
        self,
        model: DarkSectorModel,
        point: Point,
        n_events: int,
        seed: int,
        stream_key: int = 0,
        acceptance: str | None = None,
        batches: int = 20,
    ) -> EEMonophotonSignal:
        if acceptance is not None:
            raise ValueError(f"acceptance modes do not apply to the e+e- experiment {self.experiment.name!r}")
        problem = self.model_problem(model)
        if problem:
            raise TypeError(f"model {model.name!r} {problem}; the e+e- source needs {CROSS_SECTION_METHOD}")
        events = simulate_ee_events(model, point, self.selection, n_events, seed, stream_key=stream_key)
        return EEMonophotonSignal(model, point, events, self.selection, batches)

    def scan_metadata(self, summaries: Sequence[Mapping[str, float]]) -> dict[str, Any]:
        return selection_metadata(self.selection, summaries)
