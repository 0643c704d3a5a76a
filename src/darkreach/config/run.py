"""The typed configuration of a run (:class:`RunConfig`) and of one scan job (:class:`ScanSlice`).

:func:`load_run_config` reads, resolves and validates a config file once and returns a :class:`RunConfig`;
the command line and the workflow's parse step use it. A scan job receives its slice of the configuration
(:func:`darkreach.config.slices.scan_slice`) as a rule parameter and builds a :class:`ScanSlice` from it:
nothing else of the configuration reaches the job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from darkreach.config.errors import ConfigError
from darkreach.config.experiment import experiment_from_mapping
from darkreach.config.reading import frozen_mapping, integer, mapping, require
from darkreach.config.specs import BeamSpec, BenchmarkSpec, Grid, ModelSpec, ScanSpec, TargetsSpec
from darkreach.experiments import Experiment

if TYPE_CHECKING:
    from darkreach.config.figures import BranchingFigureSpec, FigureSpec, ProductionFigureSpec
    from darkreach.models.base import DarkSectorModel

__all__ = ["RunConfig", "ScanSlice", "load_run_config"]


def _beams(cfg: Mapping[str, Any]) -> dict[str, BeamSpec]:
    """The typed beams of ``cfg`` with their content-addressed sample ids (the master seed enters them)."""
    from darkreach.config.slices import beam_samples_id, parton_sample_id, sample_id

    beams = mapping(require(cfg, "beams", "<root>"), "beams")
    out: dict[str, BeamSpec] = {}
    for name, source in beams.items():
        beam = BeamSpec.from_mapping(name, source)
        if beam.generators:
            ids = frozen_mapping((g, sample_id(cfg, name, g)) for g in beam.generators)
            beam = replace(beam, sample_ids=ids, samples_id=beam_samples_id(cfg, name))
        if beam.partons is not None:
            beam = replace(beam, parton_sample_id=parton_sample_id(cfg, name))
        out[name] = beam
    return out


def _experiments(
    cfg: Mapping[str, Any], beams: Mapping[str, BeamSpec], level: float | None, names: Iterable[str] | None
) -> dict[str, Experiment]:
    experiments = mapping(require(cfg, "experiments", "<root>"), "experiments")
    out: dict[str, Experiment] = {}
    for name in experiments if names is None else names:
        source = mapping(experiments[name], f"experiments.{name}")
        beam = require(source, "beam", f"experiments.{name}")
        if beam not in beams:
            raise ConfigError(f"config key 'experiments.{name}.beam': unknown beam {beam!r}; known: {sorted(beams)}")
        out[name] = experiment_from_mapping(name, source, beams[beam], level)
    return out


@dataclass(frozen=True)
class RunConfig:
    """A whole validated configuration, typed.

    Attributes
    ----------
    seed
        The master seed every random stream derives from (:mod:`darkreach.seeds`).
    beams, experiments, models
        Typed entries by name (:class:`BeamSpec`, :class:`~darkreach.experiments.Experiment`,
        :class:`ModelSpec`).
    scan
        The scan defaults.
    targets
        What the default workflow target builds (None for a configuration without ``targets``).
    figures
        Figure specs by name (:mod:`darkreach.config.figures`).
    """

    seed: int
    beams: Mapping[str, BeamSpec]
    experiments: Mapping[str, Experiment]
    models: Mapping[str, ModelSpec] = field(default_factory=frozen_mapping)
    scan: ScanSpec = field(default_factory=ScanSpec)
    targets: TargetsSpec | None = None
    figures: Mapping[str, FigureSpec | BranchingFigureSpec | ProductionFigureSpec] = field(
        default_factory=frozen_mapping
    )

    @classmethod
    def from_mapping(cls, cfg: Mapping[str, Any], experiments: Iterable[str] | None = None) -> RunConfig:
        """The typed form of the whole validated configuration ``cfg`` (:func:`darkreach.config.load_config`);
        a job's slice is typed by its own spec (:class:`ScanSlice`, :class:`~darkreach.config.SampleSpec`).

        ``experiments`` limits the experiments built (all by default).
        """
        from darkreach.config.figures import figure_spec_from_config

        seed = integer(require(cfg, "seed", "<root>"), "seed", 0)
        scan = ScanSpec.from_mapping(require(cfg, "scan", "<root>"))
        beams = _beams(cfg)
        models = mapping(cfg.get("models", {}), "models")
        figures = mapping(cfg.get("figures", {}), "figures")
        return cls(
            seed=seed,
            beams=frozen_mapping(beams),
            experiments=frozen_mapping(_experiments(cfg, beams, scan.level, experiments)),
            models=frozen_mapping((name, ModelSpec.from_mapping(name, m)) for name, m in models.items()),
            scan=scan,
            targets=TargetsSpec.from_mapping(cfg["targets"]) if "targets" in cfg else None,
            figures=frozen_mapping((name, figure_spec_from_config(name, f)) for name, f in figures.items()),
        )

    def experiment(self, name: str) -> Experiment:
        """Experiment ``name``; a :class:`KeyError` naming the known ones if there is none."""
        if name not in self.experiments:
            raise KeyError(f"unknown experiment {name!r}; known: {', '.join(sorted(self.experiments))}")
        return self.experiments[name]

    def beam_of(self, experiment: Experiment | str) -> BeamSpec:
        """The beam of ``experiment``."""
        exp = self.experiment(experiment) if isinstance(experiment, str) else experiment
        return self.beams[exp.beam]


def load_run_config(path: str | Path) -> RunConfig:
    """Read, resolve and validate the config file ``path`` (:func:`darkreach.config.load_config`), typed."""
    from darkreach.config.loading import load_config

    return RunConfig.from_mapping(load_config(path))


def _only(section: Mapping[str, Any], what: str) -> tuple[str, Any]:
    if len(section) != 1:
        raise ConfigError(f"config key {what!r}: a scan slice holds exactly one entry, got {sorted(section)}")
    ((name, value),) = section.items()
    return str(name), value


@dataclass(frozen=True)
class ScanSlice:
    """What one scan job reads (:func:`darkreach.config.slices.scan_slice`): its experiment on its beam, the
    model's grids and the scan defaults the experiment and model do not override."""

    experiment: Experiment
    beam: BeamSpec
    model: ModelSpec
    scan: ScanSpec

    @classmethod
    def from_mapping(cls, source: Any) -> ScanSlice:
        """The slice mapping ``source`` (one experiment, its beam, one model entry, the scan defaults used)."""
        source = mapping(source, "<scan slice>")
        beam_name, beam_cfg = _only(mapping(require(source, "beams", "<scan slice>"), "beams"), "beams")
        exp_name, exp_cfg = _only(mapping(require(source, "experiments", "<scan slice>"), "experiments"), "experiments")
        model_name, model_cfg = _only(mapping(require(source, "models", "<scan slice>"), "models"), "models")
        scan = ScanSpec.from_mapping(source.get("scan", {}))
        beam = BeamSpec.from_mapping(beam_name, beam_cfg)
        return cls(
            experiment=experiment_from_mapping(exp_name, exp_cfg, beam, scan.level),
            beam=beam,
            model=ModelSpec.from_mapping(model_name, model_cfg),
            scan=scan,
        )

    @classmethod
    def of(cls, cfg: Mapping[str, Any], experiment: str, model: str, benchmark: Mapping[str, Any]) -> ScanSlice:
        """The slice of a whole validated configuration ``cfg`` for one scan job."""
        from darkreach.config.slices import scan_slice

        return cls.from_mapping(scan_slice(cfg, experiment, model, benchmark))

    def _grid(self, grid: Grid | None, default: Grid | None, what: str) -> np.ndarray:
        chosen = grid if grid is not None else default
        if chosen is None:
            raise ConfigError(f"no {what} grid: set models.{self.model.name}.{what} or scan.{what}")
        return chosen.array()

    def axis_grid(self, model: DarkSectorModel, benchmark: BenchmarkSpec | Mapping[str, Any]) -> np.ndarray:
        """Grid of the benchmark's horizontal-axis parameter: the model's mass grid (model entry, else
        ``scan.mass_gev``), or ``models.<name>.axis_grids.<axis>`` for another axis."""
        values = benchmark.values if isinstance(benchmark, BenchmarkSpec) else benchmark
        axis = model.axis_parameter(values)
        if axis == model.mass_parameter:
            return self._grid(self.model.mass_gev, self.scan.mass_gev, "mass_gev")
        if axis not in self.model.axis_grids:
            raise KeyError(f"no grid for axis {axis!r}: set models.{model.name}.axis_grids.{axis}")
        return self.model.axis_grids[axis].array()

    def coupling_grid(self) -> np.ndarray:
        """The scanned coupling grid (model entry, else ``scan.coupling``)."""
        return self._grid(self.model.coupling, self.scan.coupling, "coupling")

    @property
    def events_per_mass(self) -> int:
        """Mesons simulated per channel and grid point: the experiment's, else ``scan.events_per_mass``."""
        if self.experiment.events_per_mass is not None:
            return self.experiment.events_per_mass
        if self.scan.events_per_mass is None:
            raise ConfigError(
                f"no events_per_mass: set experiments.{self.experiment.name}.events_per_mass or scan.events_per_mass"
            )
        return self.scan.events_per_mass
