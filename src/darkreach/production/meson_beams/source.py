"""The meson-beam production source: an experiment's PYTHIA meson samples, prepared, through its detector.

Serves ``fixed_target`` and ``collider`` beams. :meth:`MesonBeamSource.from_spec` completes the experiment (with
f_M from the samples for ``multiplicity_table: generated``), loads the samples of the generators it needs and
prepares them (:func:`.preparation.prepare_mesons`: hemisphere folding at a pp collider, importance thinning);
:meth:`MesonBeamSource.simulate` runs the meson -> LLP -> decay chain through the experiment's geometry
(:func:`darkreach.sensitivity.yields.simulate_signal`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from darkreach.experiments import Experiment
from darkreach.production import BeamFrame, ProductionSource
from darkreach.production.meson_beams.preparation import load_mesons, prepare_mesons
from darkreach.sensitivity.yields import DEFAULT_BATCHES, MesonKinematics, MesonSignal, simulate_signal

if TYPE_CHECKING:
    from darkreach.config.specs import BeamSpec
    from darkreach.models.base import DarkSectorModel, Point

__all__ = ["MesonBeamSource"]


def _generator_version(metadata: Mapping[str, Any]) -> str:
    """PYTHIA's version number for a PYTHIA sample, ``"<engine> <model version>"`` for another engine's."""
    if metadata.get("generator", "pythia8") == "pythia8":
        return str(metadata.get("pythia_version"))
    return f"{metadata['generator']} {metadata.get('model_version')}"


class MesonBeamSource(ProductionSource):
    """Prepared meson samples of one experiment.

    Attributes
    ----------
    experiment
        The experiment, its f_M (``mesons_per_interaction``) included.
    mesons
        Prepared kinematics by species (only the experiment's species).
    hemisphere_factor
        The factor its yields take (1/2 for samples folded into one hemisphere).
    pythia_versions
        Generator versions of the sample files (PYTHIA's version number, or e.g. ``"sibyll23d 2.3d"``).
    """

    frames: ClassVar[tuple[BeamFrame, ...]] = (BeamFrame.FIXED_TARGET, BeamFrame.COLLIDER)

    def __init__(
        self,
        experiment: Experiment,
        mesons: Mapping[str, MesonKinematics],
        hemisphere_factor: float,
        pythia_versions: Sequence[str] = (),
    ) -> None:
        super().__init__(experiment)
        self.mesons = dict(mesons)
        self.hemisphere_factor = float(hemisphere_factor)
        self.pythia_versions = tuple(pythia_versions)

    @classmethod
    def from_spec(
        cls, experiment: Experiment, beam: BeamSpec, samples: Mapping[str, str | Path], seed: int
    ) -> MesonBeamSource:
        from darkreach.production.meson_beams.samples import read_metadata

        files = {k: Path(v) for k, v in samples.items()}
        exp = experiment.with_generated_multiplicities(files, beam)
        raw = load_mesons(files, beam, beam.needed_generators(exp.species))
        mesons, factor = prepare_mesons(exp, {k: v for k, v in raw.items() if k in exp.species}, seed)
        versions = sorted({_generator_version(read_metadata(f)) for f in files.values()})
        return cls(exp, mesons, factor, versions)

    @classmethod
    def ensure_samples(
        cls,
        beam: BeamSpec,
        experiment: Experiment,
        results_dir: str | Path,
        seed: int,
        sample_events: int | None = None,
    ) -> dict[str, Path]:
        from darkreach.production.meson_beams.store import ensure_samples

        return ensure_samples(beam, experiment.species, results_dir, seed, sample_events)

    def simulate(
        self,
        model: DarkSectorModel,
        point: Point,
        n_events: int,
        seed: int,
        stream_key: int = 0,
        acceptance: str | None = None,
        batches: int = DEFAULT_BATCHES,
    ) -> MesonSignal:
        exp = self.experiment
        return simulate_signal(
            model,
            point,
            self.mesons,
            exp.kernel_geometry(acceptance),
            n_events,
            seed,
            stream_key,
            exp.mesons_per_interaction,
            exp.efficiency * self.hemisphere_factor,
            exp.channel_efficiencies,
            exp.energy_max_gev,
            batches,
        )

    def scan_metadata(self, summaries: Sequence[Mapping[str, float]]) -> dict[str, Any]:
        exp = self.experiment
        meta: dict[str, Any] = {
            "pythia_version": ", ".join(self.pythia_versions) if self.pythia_versions else None,
            "acceptance": exp.acceptance,
            "mesons_per_interaction": dict(exp.mesons_per_interaction),
            "multiplicity_table": exp.multiplicity_table,
            "hemisphere_factor": self.hemisphere_factor,
            "sample_sizes": {k: int(v.momenta.shape[0]) for k, v in self.mesons.items()},
        }
        if exp.importance_sampling is not None:
            meta["importance_sampling"] = vars(exp.importance_sampling)
        return meta
