"""Where the long-lived states come from: one interface for every production source.

An experiment sits on a beam, and the beam's ``frame`` decides where its long-lived particles (LLPs) come from:

=====================  ==========================================================  =====================
frame                  source                                                      module
=====================  ==========================================================  =====================
``fixed_target``       Standard Model mesons from PYTHIA8 (proton beam on target)  :mod:`.meson_beams`
``collider``           Standard Model mesons from PYTHIA8 (symmetric pp)           :mod:`.meson_beams`
``electron_positron``  e+e- -> gamma gamma*(-> LLP + partner), ISR generator       :mod:`.electron_positron`
``collider`` (listed)  pp -> phi1 phi2 from partons, PYTHIA8 hard process         :mod:`.partons`
=====================  ==========================================================  =====================

Both the workflow's ``scan`` rule (:func:`darkreach.sensitivity.experiment_scan.scan_experiment`) and the
command line's ``reach`` go through the same calls, so the two cannot drift apart:

1. ``cls = experiment_source_class(experiment)`` (the frame's source, another one the experiment's
   ``production`` names, or the combined source of several);
2. ``files = cls.ensure_samples(beam, experiment, results_dir, seed)`` (the CLI only: the workflow's samples if
   present, else small ones in ``results/cli_cache``; the workflow passes its rule inputs instead);
3. ``source = cls.from_spec(experiment, beam, files, seed)``: the experiment (with f_M from the samples when it
   asks for generated multiplicities) and its prepared inputs (meson samples loaded, folded into one
   hemisphere at a pp collider and importance-thinned; or the e+e- selection). ``experiment`` is a typed
   :class:`~darkreach.experiments.Experiment` and ``beam`` its :class:`~darkreach.config.BeamSpec`, both from
   a :class:`~darkreach.config.RunConfig` (the CLI) or a :class:`~darkreach.config.ScanSlice` (a scan job);
4. ``signal = source.simulate(model, point, n_events, seed, stream_key)``: one simulation per model point;
5. ``signal.expected_events(couplings, threshold, n_interactions)``: N at any number of couplings (production
   and decay both scale with a power of the coupling, so one simulation serves them all).

:func:`open_source` does 1 and 3 at once.

Which sources an experiment uses is its ``production`` list (default ``[mesons]``): ``mesons`` is the frame's own
source (:data:`FRAME_SOURCES`: the meson beam, or the e+e- generator), ``partons`` the direct pp -> phi1 phi2
production of :mod:`.partons` (collider beams only). With several, :func:`open_source` returns a
:class:`~darkreach.production.combined.CombinedSource` whose signal is the sum of the members' (expected events
add). :func:`production_source_classes` gives the classes of an experiment's list, :func:`production_problem`
why a model cannot be produced by one of them.

Adding a source: write a :class:`ProductionSource` subclass in a module of this package, whose ``simulate`` reads
or generates the LLP four-momenta of the point and runs them through the experiment's geometry (the numba chain of
:mod:`darkreach.sensitivity.chain` takes LLP momenta as well as meson momenta, see
:mod:`darkreach.production.partons.simulation`), and whose signal implements :class:`PointSignal`; add it to
:data:`SOURCES` and, if an experiment may list it, to :data:`PRODUCTION_NAMES`.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np

if TYPE_CHECKING:
    from darkreach.config.specs import BeamSpec
    from darkreach.experiments import Experiment
    from darkreach.models.base import DarkSectorModel, Point

__all__ = [
    "FRAME_SOURCES",
    "PRODUCTION_NAMES",
    "SOURCES",
    "BeamFrame",
    "experiment_source_class",
    "PointSignal",
    "ProductionSource",
    "open_source",
    "production_problem",
    "production_source_classes",
    "source_class",
]


class BeamFrame(StrEnum):
    """How a beam collides, as the configuration's ``beams.<name>.frame`` says.

    A :class:`~enum.StrEnum`: members equal their configuration strings (``BeamFrame.COLLIDER == "collider"``)
    and serialise as them. Code asks a frame what it means (:attr:`generates_mesons`, :attr:`folds_hemispheres`,
    ...) instead of comparing names.
    """

    FIXED_TARGET = "fixed_target"
    COLLIDER = "collider"
    ELECTRON_POSITRON = "electron_positron"

    @classmethod
    def _missing_(cls, value: object) -> BeamFrame:
        raise ValueError(f"unknown beam frame {value!r}; known: {', '.join(f.value for f in cls)}")

    @property
    def label(self) -> str:
        """A short name for messages: ``fixed-target``, ``pp collider``, ``e+e-``."""
        return {"fixed_target": "fixed-target", "collider": "pp collider", "electron_positron": "e+e-"}[self.value]

    @property
    def generates_mesons(self) -> bool:
        """Proton beams whose Standard Model mesons PYTHIA generates (``beams.<name>.generators``)."""
        return self in (BeamFrame.FIXED_TARGET, BeamFrame.COLLIDER)

    @property
    def energy_key(self) -> str:
        """The beam's energy entry: ``energy_gev`` (beam on a target at rest) or ``sqrt_s_gev`` (colliders)."""
        return "energy_gev" if self is BeamFrame.FIXED_TARGET else "sqrt_s_gev"

    @property
    def exposure_unit(self) -> str:
        """Protons on target at a fixed target, integrated luminosity at a collider."""
        return "POT" if self is BeamFrame.FIXED_TARGET else "fb^-1"

    @property
    def nuclear_target(self) -> bool:
        """The beam hits nuclei: generated pp multiplicities of heavy flavour take the A^0.29 scaling."""
        return self is BeamFrame.FIXED_TARGET

    @property
    def folds_hemispheres(self) -> bool:
        """Symmetric pp beams: a meson sample is folded into the +z hemisphere and yields take 1/2."""
        return self is BeamFrame.COLLIDER

    @property
    def hemisphere_factor(self) -> float:
        """The factor on yields from folded samples: 1/2 at a pp collider, else 1."""
        return 0.5 if self.folds_hemispheres else 1.0


class PointSignal(Protocol):
    """One simulation of one model point in one experiment (:meth:`ProductionSource.simulate`).

    A signal may also carry a ``summary`` (a mapping of a few numbers about the point) that scans hand to
    :meth:`ProductionSource.scan_metadata`.
    """

    def expected_events(self, couplings: np.ndarray, threshold: float, n_interactions: float = 1.0) -> np.ndarray:
        """Expected signal events at each coupling for the visible-energy ``threshold`` [GeV] and
        ``n_interactions`` (interactions, or fb^-1 for e+e-; 1 gives the yield per unit)."""
        ...

    def expected_events_replicates(
        self, couplings: np.ndarray, threshold: float, n_interactions: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`expected_events` and its leave-one-batch-out jackknife replicates (B, n_couplings)
        (:mod:`darkreach.sensitivity.bands`)."""
        ...


class ProductionSource(ABC):
    """The long-lived states of one experiment's beam, prepared for that experiment.

    Subclasses serve the frames in :attr:`frames` and are listed in :data:`SOURCES`.
    """

    #: Beam frames this source serves.
    frames: ClassVar[tuple[BeamFrame, ...]] = ()
    #: Whether a point's N(c) may be evaluated between grid couplings (the CLI then refines interval edges with
    #: Brent's method); otherwise the CLI interpolates on its coupling grid.
    continuous_reach: ClassVar[bool] = True

    def __init__(self, experiment: Experiment) -> None:
        if experiment.frame not in self.frames:
            raise ValueError(
                f"{type(self).__name__} serves {', '.join(self.frames)} beams, not experiment {experiment.name!r} "
                f"on a {experiment.frame} beam"
            )
        self.experiment = experiment

    @classmethod
    @abstractmethod
    def from_spec(
        cls, experiment: Experiment, beam: BeamSpec, samples: Mapping[str, str | Path], seed: int
    ) -> ProductionSource:
        """The source of ``experiment`` on ``beam`` (typed, from the validated configuration or a job's slice).

        ``samples`` maps generator name -> merged sample file of the experiment's beam (empty when the source
        generates nothing ahead of time); ``seed`` keys any random preparation step.
        """

    @classmethod
    def model_problem(cls, model: DarkSectorModel) -> str | None:
        """Why ``model`` cannot be produced by this source (a phrase), or None when it can."""
        return None

    @classmethod
    def ensure_samples(
        cls,
        beam: BeamSpec,
        experiment: Experiment,
        results_dir: str | Path,
        seed: int,
        sample_events: int | None = None,
    ) -> dict[str, Path]:
        """The sample files ``from_spec`` needs, made if missing (the CLI; the workflow has rules for this).
        None by default."""
        return {}

    @abstractmethod
    def simulate(
        self,
        model: DarkSectorModel,
        point: Point,
        n_events: int,
        seed: int,
        stream_key: int = 0,
        acceptance: str | None = None,
        batches: int = 20,
    ) -> PointSignal:
        """Simulate ``point`` with ``n_events`` events per channel; the random stream is a function of
        (``seed``, ``stream_key``) only. ``acceptance`` overrides the experiment's acceptance mode; ``batches``
        is the number of jackknife batches of the signal's replicates."""

    def scan_metadata(self, summaries: Sequence[Mapping[str, float]]) -> dict[str, Any]:
        """What a scan records about this source, given the ``summary`` of each scanned point's signal (the
        signals themselves are not kept: they hold every accepted event)."""
        return {}


#: Production sources by name, as ``"module:class"``, imported on first use (PYTHIA and uproot load only when
#: a source needs them).
SOURCES: dict[str, str] = {
    "meson_beam": "darkreach.production.meson_beams.source:MesonBeamSource",
    "electron_positron": "darkreach.production.electron_positron.source:ElectronPositronSource",
    "partons": "darkreach.production.partons.source:PartonSource",
}

#: The names an experiment's ``production`` list may hold -> the source (None: the frame's own source of
#: :data:`FRAME_SOURCES`), and the frames where each applies.
PRODUCTION_NAMES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "mesons": (None, ("fixed_target", "collider", "electron_positron")),
    "partons": ("partons", ("collider",)),
}

#: The source of each beam frame.
FRAME_SOURCES: dict[BeamFrame, str] = {
    BeamFrame.FIXED_TARGET: "meson_beam",
    BeamFrame.COLLIDER: "meson_beam",
    BeamFrame.ELECTRON_POSITRON: "electron_positron",
}


def source_class(frame: BeamFrame | str) -> type[ProductionSource]:
    """The :class:`ProductionSource` subclass serving beam frame ``frame``.

    Raises
    ------
    ValueError
        For an unknown frame, or a frame without a source (the message names the known ones).
    """
    frame = BeamFrame(frame)
    if frame not in FRAME_SOURCES:
        raise ValueError(
            f"no production source for beam frame {frame.value!r}; sources exist for {sorted(FRAME_SOURCES)}"
        )
    cls = _load(FRAME_SOURCES[frame])
    if frame not in cls.frames:  # pragma: no cover - a registry inconsistency
        raise TypeError(f"{cls.__name__} is registered for {frame.value!r} but serves {cls.frames}")
    return cls


def _load(name: str) -> type[ProductionSource]:
    module, _, attr = SOURCES[name].partition(":")
    cls: type[ProductionSource] = getattr(importlib.import_module(module), attr)
    return cls


def production_source_classes(experiment: Experiment) -> dict[str, type[ProductionSource]]:
    """The source classes of ``experiment``'s ``production`` list, by production name.

    Raises
    ------
    ValueError
        For an unknown name or one that does not apply to the experiment's beam frame.
    """
    out: dict[str, type[ProductionSource]] = {}
    for name in experiment.production:
        if name not in PRODUCTION_NAMES:
            raise ValueError(
                f"experiment {experiment.name!r}: unknown production {name!r}; known: {sorted(PRODUCTION_NAMES)}"
            )
        source, frames = PRODUCTION_NAMES[name]
        if experiment.frame.value not in frames:
            raise ValueError(
                f"experiment {experiment.name!r}: production {name!r} does not apply to a {experiment.frame.label} "
                f"beam (only {', '.join(frames)})"
            )
        out[name] = source_class(experiment.frame) if source is None else _load(source)
    return out


def experiment_source_class(experiment: Experiment) -> type[ProductionSource]:
    """The class :func:`open_source` builds for ``experiment``: its single source, or the combined source."""
    classes = production_source_classes(experiment)
    if len(classes) == 1:
        return next(iter(classes.values()))
    from darkreach.production.combined import CombinedSource

    return CombinedSource


def production_problem(experiment: Experiment, model: DarkSectorModel) -> str | None:
    """Why ``model`` cannot be produced by one of ``experiment``'s sources (naming it), or None."""
    for name, cls in production_source_classes(experiment).items():
        problem = cls.model_problem(model)
        if problem:
            return f"{problem} (production {name!r})"
    return None


def open_source(
    experiment: Experiment, beam: BeamSpec, samples: Mapping[str, str | Path], seed: int
) -> ProductionSource:
    """The production source of ``experiment`` on ``beam``, prepared (see the module docstring)."""
    if beam.name != experiment.beam:
        raise ValueError(f"experiment {experiment.name!r} is on beam {experiment.beam!r}, not {beam.name!r}")
    if beam.frame != experiment.frame:
        raise ValueError(f"experiment {experiment.name!r} is on a {experiment.frame} beam, not {beam.frame}")
    return experiment_source_class(experiment).from_spec(experiment, beam, samples, seed)
