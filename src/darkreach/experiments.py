"""Experiments as configured: geometry, acceptance mode, exposures, thresholds and meson normalisation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from darkreach.detectors.geometry import Geometry, KernelGeometry, geometry_from_config
from darkreach.mesons import PAPER000_TABLE1, nuclear_scaling


@dataclass(frozen=True)
class Experiment:
    """One experiment entry of the configuration.

    ``mesons_per_interaction`` is f_M of eq. (4.2) of paper 000 times A^0.29 for charm and beauty, for
    every species the experiment's beam generates (config overrides, else Table 1 of paper 000).
    """

    name: str
    beam: str
    geometry: Geometry
    acceptance: str
    exposures: tuple[float, ...]
    energy_thresholds_gev: tuple[float, ...]
    mesons_per_interaction: Mapping[str, float]
    efficiency: float = 1.0
    channel_efficiencies: Mapping[str, float] = field(default_factory=dict)
    target_mass_number: float = 1.0
    description: str = ""
    species: tuple[str, ...] = field(default_factory=tuple)

    def kernel_geometry(self, acceptance: str | None = None) -> KernelGeometry:
        """Kernel parameters for this experiment's (or the given) acceptance mode."""
        return self.geometry.kernel(acceptance or self.acceptance)


def experiment_from_config(cfg: Mapping[str, Any], name: str) -> Experiment:
    """Build :class:`Experiment` ``name`` from a validated configuration."""
    try:
        ecfg = cfg["experiments"][name]
    except KeyError:
        raise KeyError(f"unknown experiment {name!r}; known: {', '.join(sorted(cfg['experiments']))}") from None
    beam = cfg["beams"][ecfg["beam"]]
    species = tuple(s for gen in beam["generators"].values() for s in gen["species"])
    overrides = ecfg.get("multiplicities", {})
    a_mass = float(ecfg["target_mass_number"])
    mult: dict[str, float] = {}
    for key in species:
        if key in overrides:
            base = float(overrides[key])
        elif key in PAPER000_TABLE1:
            base = PAPER000_TABLE1[key]
        else:
            raise KeyError(f"no multiplicity for {key!r}: set experiments.{name}.multiplicities.{key}")
        mult[key] = base * nuclear_scaling(key, a_mass)
    return Experiment(
        name=name,
        beam=ecfg["beam"],
        geometry=geometry_from_config(ecfg["geometry"]),
        acceptance=ecfg["acceptance"],
        exposures=tuple(float(x) for x in ecfg["exposures"]),
        energy_thresholds_gev=tuple(float(x) for x in ecfg["energy_thresholds_gev"]),
        mesons_per_interaction=mult,
        efficiency=float(ecfg.get("efficiency", 1.0)),
        channel_efficiencies={k: float(v) for k, v in ecfg.get("channel_efficiencies", {}).items()},
        target_mass_number=a_mass,
        description=ecfg.get("description", ""),
        species=species,
    )
