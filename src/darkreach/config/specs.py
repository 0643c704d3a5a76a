"""Typed, frozen views of a validated configuration: beams and their generators, model entries and their
benchmarks, the scan defaults and the build targets.

Each dataclass is built by ``from_mapping`` from the mapping that :func:`darkreach.config.check_config` has
validated; ``from_mapping`` checks the types it reads once more (a slice handed to a rule script has not been
through the schema) and every :class:`~darkreach.config.ConfigError` names the key path and the value.
Experiments are typed by :class:`darkreach.experiments.Experiment` (built in
:mod:`darkreach.config.experiment`), figures by :mod:`darkreach.config.figures`, the whole run by
:mod:`darkreach.config.run`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from darkreach.config.checks import benchmark_label, grid_values
from darkreach.config.errors import ConfigError
from darkreach.config.reading import fail, frozen_mapping, integer, mapping, number, require, strings
from darkreach.production import BeamFrame

if TYPE_CHECKING:
    from darkreach.production.meson_beams.settings import GeneratorSettings
    from darkreach.production.meson_beams.stratum import TailStratum
    from darkreach.production.partons.settings import PartonSettings

__all__ = [
    "BeamSpec",
    "BenchmarkSpec",
    "GeneratorSpec",
    "Grid",
    "ModelSpec",
    "SampleSpec",
    "ScanSpec",
    "TargetsSpec",
]


# --- grids -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """A scan grid: the strictly increasing values of a ``grid`` entry (a list, or ``{min, max, num, spacing}``).

    Attributes
    ----------
    key
        Where the grid was configured, e.g. ``scan.mass_gev`` or ``models.idm-dipole.coupling``.
    values
        The grid points, as :func:`darkreach.config.grid_values` expands them.
    """

    key: str
    values: tuple[float, ...]

    @classmethod
    def from_mapping(cls, spec: Any, key: str) -> Grid:
        """The grid of config entry ``key`` holding ``spec``."""
        return cls(key, tuple(float(v) for v in grid_values(spec, key)))

    def array(self) -> np.ndarray:
        """The grid as a float64 array."""
        return np.asarray(self.values, dtype=np.float64)


def _optional_grid(source: Mapping[str, Any], name: str, key: str) -> Grid | None:
    return Grid.from_mapping(source[name], f"{key}.{name}") if name in source else None


# --- beams -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratorSpec:
    """One PYTHIA generator of a beam (``beams.<beam>.generators.<name>``)."""

    name: str
    process: str | None
    species: tuple[str, ...]
    events_per_shard: int
    shards: int
    extra_settings: tuple[str, ...] = ()
    correction_factor: float = 1.0
    engine: str = "pythia8"
    tune: int | None = None
    tail_stratum: TailStratum | None = None

    def entry(self) -> dict[str, Any]:
        """The generator's config entry as the engine registry reads it
        (:mod:`darkreach.production.meson_beams.engines`)."""
        entry: dict[str, Any] = {"engine": self.engine, "species": list(self.species)}
        if self.process is not None:
            entry["process"] = self.process
        if self.tune is not None:
            entry["tune"] = self.tune
        if self.extra_settings:
            entry["extra_settings"] = list(self.extra_settings)
        return entry

    @property
    def minimum_bias(self) -> bool:
        """Whether the generator makes minimum-bias inelastic events (SoftQCD:inelastic, or SIBYLL)."""
        from darkreach.production.meson_beams.engines import is_minimum_bias

        return is_minimum_bias(self.entry())

    @classmethod
    def from_mapping(cls, name: str, source: Any, key: str | None = None) -> GeneratorSpec:
        """The generator ``name`` from its config entry ``source`` (at config key ``key``)."""
        key = key or f"generators.{name}"
        from darkreach.production.meson_beams.engines import DEFAULT_ENGINE, check_generator_entry

        source = mapping(source, key)
        try:
            check_generator_entry(source, key)
        except ValueError as err:
            raise ConfigError(str(err)) from None
        process = source.get("process")
        if process is not None and (not isinstance(process, str) or not process):
            raise fail(f"{key}.process", "must be a PYTHIA process name", process)
        tune = source.get("tune")
        stratum = source.get("tail_stratum")
        if stratum is not None:
            from darkreach.production.meson_beams.stratum import TailStratum
        return cls(
            name=name,
            process=process,
            engine=str(source.get("engine", DEFAULT_ENGINE)),
            tune=None if tune is None else integer(tune, f"{key}.tune"),
            species=strings(require(source, "species", key), f"{key}.species"),
            events_per_shard=integer(require(source, "events_per_shard", key), f"{key}.events_per_shard"),
            shards=integer(require(source, "shards", key), f"{key}.shards"),
            extra_settings=strings(source.get("extra_settings", []), f"{key}.extra_settings"),
            correction_factor=number(source.get("correction_factor", 1.0), f"{key}.correction_factor", positive=True),
            tail_stratum=None if stratum is None else TailStratum.from_mapping(stratum, f"{key}.tail_stratum"),
        )


@dataclass(frozen=True)
class BeamSpec:
    """One beam (``beams.<name>``): its frame, its energy and its generators.

    Attributes
    ----------
    energy_gev
        Lab energy of a ``fixed_target`` proton beam; None otherwise.
    sqrt_s_gev
        Centre-of-mass energy of a ``collider`` or ``electron_positron`` beam; None otherwise.
    generators
        The beam's PYTHIA generators by name (none for e+e-).
    sample_ids
        Generator name -> the content-addressed id of its merged sample
        (:func:`darkreach.config.slices.sample_id`); filled by :class:`darkreach.config.RunConfig`, which knows
        the master seed, and empty for a beam read from a job's slice.
    samples_id
        The hash of all sample ids (names the beam's multiplicity table); empty like ``sample_ids``.
    partons
        The settings of the beam's reference parton sample (``partons``, collider beams only; None: no entry,
        the command line's defaults apply).
    parton_sample_id
        The content-addressed id of the merged parton sample (:func:`darkreach.config.slices.parton_sample_id`);
        filled by :class:`darkreach.config.RunConfig` like ``sample_ids``.
    """

    name: str
    frame: BeamFrame
    energy_gev: float | None = None
    sqrt_s_gev: float | None = None
    generators: Mapping[str, GeneratorSpec] = field(default_factory=frozen_mapping)
    description: str = ""
    sample_ids: Mapping[str, str] = field(default_factory=frozen_mapping)
    samples_id: str = ""
    partons: PartonSettings | None = None
    parton_sample_id: str = ""

    @classmethod
    def from_mapping(cls, name: str, source: Any) -> BeamSpec:
        """Beam ``name`` from its config entry ``source``."""
        key = f"beams.{name}"
        source = mapping(source, key)
        frame_value = require(source, "frame", key)
        try:
            frame = BeamFrame(frame_value)
        except ValueError as err:
            raise fail(f"{key}.frame", str(err), frame_value) from None
        energy_key = frame.energy_key
        energy = number(require(source, energy_key, key), f"{key}.{energy_key}", positive=True)
        generators = mapping(source.get("generators", {}), f"{key}.generators")
        specs = {g: GeneratorSpec.from_mapping(g, v, f"{key}.generators.{g}") for g, v in generators.items()}
        for g, gen in specs.items():  # largest meson momentum: the beam's (fixed target), sqrt(s)/2 (collider)
            if gen.tail_stratum is not None:
                gen.tail_stratum.check_cut(
                    energy if energy_key == "energy_gev" else energy / 2.0, f"{key}.generators.{g}"
                )
        partons = None
        if "partons" in source:
            from darkreach.production.partons.settings import PartonSettings

            if frame is not BeamFrame.COLLIDER:
                raise fail(
                    f"{key}.partons", f"a parton sample needs a collider beam, not {frame.value}", source["partons"]
                )
            partons = PartonSettings.from_mapping(source["partons"], f"{key}.partons")
            if not partons.mhat_min_gev < energy / 2.0:
                raise fail(f"{key}.partons.mhat_min_gev", f"must be below sqrt(s)/2 = {energy / 2.0:g} GeV",
                           partons.mhat_min_gev)  # fmt: skip
        return cls(
            name=name,
            frame=frame,
            energy_gev=energy if energy_key == "energy_gev" else None,
            sqrt_s_gev=energy if energy_key == "sqrt_s_gev" else None,
            generators=frozen_mapping(specs.items()),
            description=str(source.get("description", "")),
            partons=partons,
        )

    @property
    def energy(self) -> float:
        """The energy the frame is defined by: ``energy_gev`` at a fixed target, else ``sqrt_s_gev``."""
        value = self.energy_gev if self.frame.energy_key == "energy_gev" else self.sqrt_s_gev
        assert value is not None  # from_mapping requires the frame's energy
        return value

    @property
    def species(self) -> tuple[str, ...]:
        """Every species the beam's generators make, in configuration order."""
        return tuple(s for gen in self.generators.values() for s in gen.species)

    def needed_generators(self, species: Iterable[str]) -> list[str]:
        """The generators whose samples an experiment of ``species`` reads: those that make one of the species,
        and the minimum-bias one (PYTHIA's SoftQCD:inelastic or SIBYLL: the reference cross section of generated
        multiplicities)."""
        wanted = set(species)
        return [name for name, gen in self.generators.items() if wanted & set(gen.species) or gen.minimum_bias]

    def generator_settings(self, generator: str) -> GeneratorSettings:
        """What PYTHIA generates for ``generator`` of this beam."""
        from darkreach.production.meson_beams.settings import GeneratorSettings

        if not self.frame.generates_mesons:
            raise ValueError(f"PYTHIA generates no mesons for a {self.frame} beam ({self.name!r})")
        gen = self.generators[generator]
        return GeneratorSettings(
            gen.process, self.energy, gen.species, gen.extra_settings, self.frame, engine=gen.engine, tune=gen.tune
        )

    def sample_id(self, generator: str) -> str:
        """The content-addressed id of ``generator``'s merged sample (see :attr:`sample_ids`)."""
        if generator not in self.sample_ids:
            raise KeyError(
                f"beam {self.name!r} has no sample id for generator {generator!r} (generators: "
                f"{sorted(self.generators)}; sample ids are known to a whole RunConfig only)"
            )
        return self.sample_ids[generator]

    def as_mapping(self) -> dict[str, Any]:
        """The beam as a configuration mapping (frame, energy, generators with species and correction factor),
        for the functions that read one (:func:`darkreach.production.meson_beams.multiplicities.generated_multiplicities`)."""
        out: dict[str, Any] = {"frame": self.frame.value, self.frame.energy_key: self.energy}
        if self.generators:
            out["generators"] = {
                name: {
                    **gen.entry(),
                    "events_per_shard": gen.events_per_shard,
                    "shards": gen.shards,
                    "correction_factor": gen.correction_factor,
                    **({} if gen.tail_stratum is None else {"tail_stratum": gen.tail_stratum.as_dict()}),
                }
                for name, gen in self.generators.items()
            }
        return out


# --- models, benchmarks, scan defaults, targets ------------------------------------------------------------


@dataclass(frozen=True)
class BenchmarkSpec:
    """One benchmark of a model (``models.<model>.benchmarks.<i>``): the parameters it fixes, and ``axis`` when
    it scans along a parameter other than the mass.

    ``values`` is the mapping the model functions take (:meth:`darkreach.models.base.DarkSectorModel.point_at`).
    """

    model: str
    values: Mapping[str, Any]

    @classmethod
    def from_mapping(cls, model: str, source: Any, key: str | None = None) -> BenchmarkSpec:
        """The benchmark ``source`` of ``model``."""
        return cls(model, frozen_mapping(mapping(source, key or f"models.{model}.benchmarks")))

    @property
    def label(self) -> str:
        """The benchmark's file-name label, e.g. ``delta-0.1`` (:func:`darkreach.config.benchmark_label`)."""
        return benchmark_label(self.values)

    def as_dict(self) -> dict[str, Any]:
        """A plain copy of :attr:`values`."""
        return dict(self.values)


@dataclass(frozen=True)
class ModelSpec:
    """A model entry (``models.<name>``): benchmarks and the grids that override the scan defaults."""

    name: str
    benchmarks: tuple[BenchmarkSpec, ...] = ()
    mass_gev: Grid | None = None
    coupling: Grid | None = None
    axis_grids: Mapping[str, Grid] = field(default_factory=frozen_mapping)

    @classmethod
    def from_mapping(cls, name: str, source: Any) -> ModelSpec:
        """Model entry ``name`` from its config entry ``source`` (a job's slice may leave out the benchmarks)."""
        key = f"models.{name}"
        source = mapping(source, key)
        benches = source.get("benchmarks", [])
        if not isinstance(benches, list):
            raise fail(f"{key}.benchmarks", "must be a list of mappings", benches)
        grids = mapping(source.get("axis_grids", {}), f"{key}.axis_grids")
        return cls(
            name=name,
            benchmarks=tuple(
                BenchmarkSpec.from_mapping(name, b, f"{key}.benchmarks.{i}") for i, b in enumerate(benches)
            ),
            mass_gev=_optional_grid(source, "mass_gev", key),
            coupling=_optional_grid(source, "coupling", key),
            axis_grids=frozen_mapping(
                (axis, Grid.from_mapping(spec, f"{key}.axis_grids.{axis}")) for axis, spec in grids.items()
            ),
        )

    def benchmark(self, label: str) -> BenchmarkSpec:
        """The benchmark labelled ``label``."""
        for bench in self.benchmarks:
            if bench.label == label:
                return bench
        raise KeyError(f"model {self.name!r} has no benchmark {label!r}; known: {[b.label for b in self.benchmarks]}")


@dataclass(frozen=True)
class ScanSpec:
    """The scan defaults (``scan``). Every field is optional in a job's slice, which holds only the defaults
    the job uses; a whole configuration has all but ``threads`` (default 2)."""

    mass_gev: Grid | None = None
    coupling: Grid | None = None
    events_per_mass: int | None = None
    level: float | None = None
    threads: int = 2
    #: Jackknife batches of the statistical bands (:mod:`darkreach.sensitivity.bands`); None: the default, 20.
    batches: int | None = None
    #: Target relative precision of contour edges (convergence control); None: no control.
    edge_precision: float | None = None
    #: Cap on the events simulated per mass and channel by the convergence control; None: 8 x events_per_mass.
    max_events_per_mass: int | None = None

    @classmethod
    def from_mapping(cls, source: Any) -> ScanSpec:
        """The ``scan`` section ``source``."""
        source = mapping(source, "scan")
        return cls(
            mass_gev=_optional_grid(source, "mass_gev", "scan"),
            coupling=_optional_grid(source, "coupling", "scan"),
            events_per_mass=integer(source["events_per_mass"], "scan.events_per_mass", 100)
            if "events_per_mass" in source
            else None,
            level=number(source["level"], "scan.level", positive=True) if "level" in source else None,
            threads=integer(source.get("threads", 2), "scan.threads"),
            batches=integer(source["batches"], "scan.batches", 2) if "batches" in source else None,
            edge_precision=number(source["edge_precision"], "scan.edge_precision", positive=True)
            if "edge_precision" in source
            else None,
            max_events_per_mass=integer(source["max_events_per_mass"], "scan.max_events_per_mass", 100)
            if "max_events_per_mass" in source
            else None,
        )


@dataclass(frozen=True)
class TargetsSpec:
    """What the default workflow target builds (``targets``)."""

    experiments: tuple[str, ...]
    models: tuple[str, ...]
    figures: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, source: Any) -> TargetsSpec:
        """The ``targets`` section ``source``."""
        source = mapping(source, "targets")
        return cls(
            experiments=strings(require(source, "experiments", "targets"), "targets.experiments"),
            models=strings(require(source, "models", "targets"), "targets.models"),
            figures=strings(source.get("figures", []), "targets.figures"),
        )


@dataclass(frozen=True)
class SampleSpec:
    """What one merged PYTHIA sample is made of (:func:`darkreach.config.slices.sample_spec`, the
    ``generate_mesons`` rule's parameter): the beam, its generator and the master seed."""

    beam: BeamSpec
    generator: GeneratorSpec
    seed: int

    @classmethod
    def from_mapping(cls, source: Any) -> SampleSpec:
        """The sample spec mapping ``source`` (keys ``beam``, ``generator``, ``seed``, ``beam_settings``,
        ``generator_settings``)."""
        source = mapping(source, "<sample spec>")
        beam_name = require(source, "beam", "<sample spec>")
        name = require(source, "generator", "<sample spec>")
        generator = GeneratorSpec.from_mapping(
            name, require(source, "generator_settings", "<sample spec>"), f"beams.{beam_name}.generators.{name}"
        )
        beam_settings = mapping(require(source, "beam_settings", "<sample spec>"), f"beams.{beam_name}")
        beam = BeamSpec.from_mapping(beam_name, {**beam_settings, "generators": {}})
        beam = BeamSpec(
            beam.name, beam.frame, beam.energy_gev, beam.sqrt_s_gev, frozen_mapping({name: generator}), beam.description
        )
        return cls(beam, generator, integer(require(source, "seed", "<sample spec>"), "seed", 0))

    def settings(self) -> GeneratorSettings:
        """What PYTHIA generates for this sample."""
        return self.beam.generator_settings(self.generator.name)
