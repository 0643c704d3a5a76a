"""Experiments as configured: beam, geometry, acceptance, exposures, selection and meson normalisation.

The number of signal events is eq. (4.1) of paper 000 (eqs. 2.2-2.6 of paper 003) with the meson count
of eq. (4.2) / (2.3) / (2.6):

* fixed target: N_M = N_POT x f_M (x A^0.29 for heavy flavour with the paper-000 table; which species:
  ``nuclear_scaling``);
* pp collider: N_M = sigma x L x f_M, sigma = ``cross_section_mb`` (79.5 mb inelastic in paper 000,
  110.69 mb in paper 003), L in fb^-1;
* e+e- collider (the BaBar bound): the experiment computes its own process; exposures are in fb^-1.

:meth:`Experiment.interactions_per_exposure` converts one unit of the configured exposure (one proton on
target, or one fb^-1) into the quantity a scan is normalised to (pp interactions, or fb^-1 for e+e-).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from darkreach.detectors.geometry import Geometry, KernelGeometry
from darkreach.mesons import nuclear_scaling
from darkreach.production import BeamFrame

if TYPE_CHECKING:
    from darkreach.config.specs import BeamSpec

#: 1 mb x 1 fb^-1 = 1e-27 cm^2 x 1e39 cm^-2 = 1e12 interactions.
MB_TIMES_INVERSE_FB: float = 1.0e12


@dataclass(frozen=True)
class ImportanceSampling:
    """Weighted thinning of a meson sample (config ``importance_sampling``): mesons at more than
    ``theta_max_rad`` from the beam axis are kept with probability ``keep_fraction``, weight 1/keep_fraction."""

    theta_max_rad: float
    keep_fraction: float


@dataclass(frozen=True)
class Experiment:
    """One experiment entry of the configuration.

    ``mesons_per_interaction`` is f_M of eq. (4.2) of paper 000 (times A^0.29 for charm and beauty when the
    table calls for it) for every species the experiment's beam generates; it is empty for an e+e- experiment
    and for ``multiplicity_table = generated`` until the samples are read (:meth:`with_generated_multiplicities`).
    Built from the configuration by :func:`darkreach.config.experiment.experiment_from_mapping`.
    """

    name: str
    beam: str
    frame: BeamFrame
    geometry: Geometry | None
    acceptance: str
    exposures: tuple[float, ...]
    energy_thresholds_gev: tuple[float, ...]
    mesons_per_interaction: Mapping[str, float]
    level: float
    efficiency: float = 1.0
    channel_efficiencies: Mapping[str, float] = field(default_factory=dict)
    target_mass_number: float = 1.0
    description: str = ""
    species: tuple[str, ...] = field(default_factory=tuple)
    cross_section_mb: float | None = None
    energy_max_gev: float = math.inf
    multiplicity_table: str = "paper000"
    nuclear_scaling: str = "heavy-flavour"
    importance_sampling: ImportanceSampling | None = None
    selection: Mapping[str, float] = field(default_factory=dict)
    limit: Mapping[str, Any] | None = None
    events_per_mass: int | None = None
    multiplicity_overrides: Mapping[str, float] = field(default_factory=dict)
    edge_precision: float | None = None
    max_events_per_mass: int | None = None
    tail_momentum_power: float | None = None
    tail_fraction: float = 0.9
    #: The production sources (``production``: ``mesons`` = the frame's own source, ``partons`` = pp -> phi1 phi2,
    #: :data:`darkreach.production.PRODUCTION_NAMES`); several add their expected events.
    production: tuple[str, ...] = ("mesons",)

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame", BeamFrame(self.frame))

    def kernel_geometry(self, acceptance: str | None = None) -> KernelGeometry:
        """Kernel parameters for this experiment's (or the given) acceptance mode."""
        if self.geometry is None:
            raise ValueError(f"experiment {self.name!r} ({self.frame} beam) has no decay-volume geometry")
        return self.geometry.kernel(acceptance or self.acceptance)

    @property
    def interactions_per_exposure(self) -> float:
        """Interactions per unit exposure: 1 per POT, sigma[mb] x 1e12 per fb^-1 at a pp collider, 1 for e+e-."""
        if self.frame is BeamFrame.COLLIDER:
            assert self.cross_section_mb is not None  # enforced by check_config
            return self.cross_section_mb * MB_TIMES_INVERSE_FB
        return 1.0

    @property
    def exposure_unit(self) -> str:
        return self.frame.exposure_unit

    @property
    def hemisphere_factor(self) -> float:
        """0.5 at a symmetric pp collider, whose meson samples are folded into the +z hemisphere."""
        return self.frame.hemisphere_factor

    def with_generated_multiplicities(self, meson_files: Mapping[str, str | Path], beam: BeamSpec) -> Experiment:
        """This experiment with f_M from its beam's PYTHIA samples when it asks for ``multiplicity_table:
        generated``: the generated multiplicities of its species
        (:func:`darkreach.production.meson_beams.multiplicities.generated_multiplicities`), with its
        ``multiplicities`` overrides (x A^0.29 for heavy flavour on a nuclear target, paper 000 sec. 4.1) laid
        over them. An experiment on another table is returned unchanged."""
        if self.multiplicity_table != "generated":
            return self
        from darkreach.production.meson_beams.multiplicities import generated_multiplicities

        generated = generated_multiplicities(
            meson_files, beam.as_mapping(), self.target_mass_number, self.nuclear_scaling
        )
        mult = {k: v for k, v in generated.items() if k in self.species}
        nuclear = self.frame.nuclear_target
        for key, value in self.multiplicity_overrides.items():
            mult[key] = float(value) * (
                nuclear_scaling(key, self.target_mass_number, self.nuclear_scaling) if nuclear else 1.0
            )
        return replace(self, mesons_per_interaction=mult)


def experiment_from_config(
    cfg: Mapping[str, Any], name: str, meson_files: Mapping[str, str | Path] | None = None
) -> Experiment:
    """Build :class:`Experiment` ``name`` from a validated configuration mapping (typed code asks a
    :class:`darkreach.config.RunConfig` instead); see :func:`darkreach.config.experiment.experiment_from_config`."""
    from darkreach.config.experiment import experiment_from_config as build

    return build(cfg, name, meson_files)
