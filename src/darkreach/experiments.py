"""Experiments as configured: beam, geometry, acceptance, exposures, selection and meson normalisation.

The number of signal events is eq. (4.1) of paper 000 (eqs. 2.2-2.6 of paper 003) with the meson count
of eq. (4.2) / (2.3) / (2.6):

* fixed target: N_M = N_POT x f_M (x A^0.29 for heavy flavour with the paper-000 table);
* pp collider: N_M = sigma x L x f_M, sigma = ``cross_section_mb`` (79.5 mb inelastic in paper 000,
  110.69 mb in paper 003), L in fb^-1;
* e+e- collider (the BaBar bound): the experiment computes its own process; exposures are in fb^-1.

:meth:`Experiment.interactions_per_exposure` converts one unit of the configured exposure (one proton on
target, or one fb^-1) into the quantity a scan is normalised to (pp interactions, or fb^-1 for e+e-).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from darkreach.detectors.geometry import Geometry, KernelGeometry, geometry_from_config
from darkreach.mesons import MULTIPLICITY_TABLES, nuclear_scaling
from darkreach.production import BeamFrame

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
    and for ``multiplicity_table = generated`` until the samples are read (:func:`experiment_from_config`
    with ``meson_files``).
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
    importance_sampling: ImportanceSampling | None = None
    selection: Mapping[str, float] = field(default_factory=dict)
    limit: Mapping[str, Any] | None = None
    events_per_mass: int | None = None
    edge_precision: float | None = None
    max_events_per_mass: int | None = None
    tail_momentum_power: float | None = None
    tail_fraction: float = 0.9

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


def _level(ecfg: Mapping[str, Any], scan_cfg: Mapping[str, Any]) -> float:
    """The contour level: the experiment's ``limit`` turned into events, its ``level``, else ``scan.level``."""
    if "limit" in ecfg:
        from darkreach.bounds.statistics import signal_upper_limit

        return float(signal_upper_limit(ecfg["limit"]))
    if "level" in ecfg:
        return float(ecfg["level"])
    return float(scan_cfg["level"])


def experiment_from_config(
    cfg: Mapping[str, Any], name: str, meson_files: Mapping[str, str | Path] | None = None
) -> Experiment:
    """Build :class:`Experiment` ``name`` from a validated configuration.

    ``meson_files`` (generator name -> merged sample) is needed only for ``multiplicity_table: generated``.
    """
    try:
        ecfg = cfg["experiments"][name]
    except KeyError:
        raise KeyError(f"unknown experiment {name!r}; known: {', '.join(sorted(cfg['experiments']))}") from None
    beam = cfg["beams"][ecfg["beam"]]
    frame = BeamFrame(beam["frame"])
    beam_species = tuple(s for gen in beam.get("generators", {}).values() for s in gen["species"])
    species = tuple(ecfg.get("species", beam_species))
    a_mass = float(ecfg.get("target_mass_number", 1.0))
    table = ecfg.get("multiplicity_table", "paper000")
    overrides = ecfg.get("multiplicities", {})
    mult: dict[str, float] = {}
    if table == "generated":
        if meson_files is not None:
            from darkreach.production.meson_beams.multiplicities import generated_multiplicities

            generated = generated_multiplicities(meson_files, beam, a_mass)
            mult = {k: v for k, v in generated.items() if k in species}
    elif species:
        values, scaled = MULTIPLICITY_TABLES[table]
        for key in species:
            if key not in overrides and key not in values:
                raise KeyError(
                    f"multiplicity table {table!r} has no entry for {key!r}: set experiments.{name}.multiplicities.{key}"
                )
            base = float(overrides.get(key, values.get(key, 0.0)))
            mult[key] = base * (nuclear_scaling(key, a_mass) if scaled else 1.0)
    for key, value in overrides.items():
        if table == "generated" and meson_files is not None:
            mult[key] = float(value) * (nuclear_scaling(key, a_mass) if frame.nuclear_target else 1.0)
    sampling = ecfg.get("importance_sampling")
    return Experiment(
        name=name,
        beam=ecfg["beam"],
        frame=frame,
        geometry=geometry_from_config(ecfg["geometry"]) if "geometry" in ecfg else None,
        acceptance=ecfg.get("acceptance", "paper"),
        exposures=tuple(float(x) for x in ecfg["exposures"]),
        energy_thresholds_gev=tuple(float(x) for x in ecfg["energy_thresholds_gev"]),
        mesons_per_interaction=mult,
        level=_level(ecfg, cfg["scan"]),
        efficiency=float(ecfg.get("efficiency", 1.0)),
        channel_efficiencies={k: float(v) for k, v in ecfg.get("channel_efficiencies", {}).items()},
        target_mass_number=a_mass,
        description=ecfg.get("description", ""),
        species=species,
        cross_section_mb=float(ecfg["cross_section_mb"]) if "cross_section_mb" in ecfg else None,
        energy_max_gev=float(ecfg.get("energy_max_gev", math.inf)),
        multiplicity_table=table,
        importance_sampling=ImportanceSampling(**sampling) if sampling else None,
        selection={k: float(v) for k, v in ecfg.get("selection", {}).items()},
        limit=dict(ecfg["limit"]) if "limit" in ecfg else None,
        events_per_mass=int(ecfg["events_per_mass"]) if "events_per_mass" in ecfg else None,
        edge_precision=float(ecfg["edge_precision"]) if "edge_precision" in ecfg else None,
        max_events_per_mass=int(ecfg["max_events_per_mass"]) if "max_events_per_mass" in ecfg else None,
        tail_momentum_power=float(ecfg["tail_sampling"]["momentum_power"]) if "tail_sampling" in ecfg else None,
        tail_fraction=float(ecfg.get("tail_sampling", {}).get("tail_fraction", 0.9)),
    )
