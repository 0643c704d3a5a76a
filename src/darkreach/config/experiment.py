"""An experiment entry of the configuration (``experiments.<name>``) as a typed
:class:`darkreach.experiments.Experiment`.

The meson count of eq. (4.2) of paper 000 (eqs. 2.3 and 2.6 of paper 003) needs f_M per species: from a
published table (Table 1 of paper 000, x A^0.29 for charm and beauty on a nucleus; the two rows of Table 1 of
paper 003), with the experiment's ``multiplicities`` laid over it, or from the beam's own samples
(``multiplicity_table: generated``: :meth:`~darkreach.experiments.Experiment.with_generated_multiplicities`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from darkreach.config.errors import ConfigError
from darkreach.config.reading import fail, integer, mapping, number, numbers, require, strings
from darkreach.config.specs import BeamSpec
from darkreach.experiments import Experiment, ImportanceSampling
from darkreach.production import BeamFrame

__all__ = ["experiment_from_config", "experiment_from_mapping", "experiment_level", "nuclear_scaling_mode"]


def experiment_level(source: Mapping[str, Any], key: str, default_level: float | None) -> float:
    """The contour level: the ``limit`` turned into events, else ``level``, else the scan's ``level``."""
    if "limit" in source:
        from darkreach.bounds.statistics import signal_upper_limit

        limit = mapping(source["limit"], f"{key}.limit")
        try:
            return float(signal_upper_limit(limit))
        except ValueError as err:
            raise fail(f"{key}.limit", str(err), dict(limit)) from None
    if "level" in source:
        return number(source["level"], f"{key}.level", positive=True)
    if default_level is None:
        raise ConfigError(f"config key '{key}': no 'level' or 'limit', and no scan.level to fall back on")
    return float(default_level)


def nuclear_scaling_mode(source: Mapping[str, Any], key: str, frame: BeamFrame, table: str) -> str:
    """The experiment's ``nuclear_scaling`` (:data:`darkreach.mesons.NUCLEAR_SCALING_CLASSES`), else its table's
    reading: ``heavy-flavour`` for the paper-000 table and for generated multiplicities on a nuclear target (paper
    000 sec. 4.1), ``none`` for the paper-003 tables (sec. 2.1 of paper 003) and at a collider."""
    from darkreach.mesons import MULTIPLICITY_TABLES, NUCLEAR_SCALING_CLASSES

    if "nuclear_scaling" in source:
        mode = source["nuclear_scaling"]
        if mode not in NUCLEAR_SCALING_CLASSES:
            raise fail(f"{key}.nuclear_scaling", f"must be one of {list(NUCLEAR_SCALING_CLASSES)}", mode)
        return str(mode)
    if not frame.nuclear_target or (table != "generated" and not MULTIPLICITY_TABLES[table][1]):
        return "none"
    return "heavy-flavour"


def _multiplicities(
    name: str,
    table: str,
    species: tuple[str, ...],
    overrides: Mapping[str, float],
    a_mass: float,
    scaling: str,
) -> dict[str, float]:
    """f_M of ``species`` from ``table`` with ``overrides`` (none for ``generated``, filled from the samples)."""
    from darkreach.mesons import MULTIPLICITY_TABLES, nuclear_scaling

    if table == "generated":
        return {}
    values = MULTIPLICITY_TABLES[table][0]  # the table name is checked by experiment_from_mapping
    mult: dict[str, float] = {}
    for key in species:
        if key not in overrides and key not in values:
            raise KeyError(
                f"multiplicity table {table!r} has no entry for {key!r}: set experiments.{name}.multiplicities.{key}"
            )
        base = float(overrides.get(key, values.get(key, 0.0)))
        mult[key] = base * nuclear_scaling(key, a_mass, scaling)
    return mult


def _floats(source: Any, key: str) -> dict[str, float]:
    return {str(k): number(v, f"{key}.{k}") for k, v in mapping(source, key).items()}


def experiment_from_mapping(name: str, source: Any, beam: BeamSpec, default_level: float | None = None) -> Experiment:
    """Experiment ``name`` from its config entry ``source`` on ``beam``; ``default_level`` is ``scan.level``
    (used when the entry has neither ``level`` nor ``limit``)."""
    from darkreach.detectors.geometry import geometry_from_config

    key = f"experiments.{name}"
    source = mapping(source, key)
    if require(source, "beam", key) != beam.name:
        raise fail(f"{key}.beam", f"the experiment is built on beam {beam.name!r}", source["beam"])
    species = strings(source["species"], f"{key}.species") if "species" in source else beam.species
    a_mass = number(source.get("target_mass_number", 1.0), f"{key}.target_mass_number", positive=True)
    table = source.get("multiplicity_table", "paper000")
    if not isinstance(table, str):
        raise fail(f"{key}.multiplicity_table", "must be a table name", table)
    overrides = _floats(source.get("multiplicities", {}), f"{key}.multiplicities")
    if table != "generated":
        from darkreach.mesons import MULTIPLICITY_TABLES

        if table not in MULTIPLICITY_TABLES:
            raise fail(f"{key}.multiplicity_table", f"unknown table; known: {sorted(MULTIPLICITY_TABLES)}", table)
    scaling = nuclear_scaling_mode(source, key, beam.frame, table)
    geometry = None
    if "geometry" in source:
        try:
            geometry = geometry_from_config(mapping(source["geometry"], f"{key}.geometry"))
        except ValueError as err:
            raise fail(f"{key}.geometry", str(err), source["geometry"]) from None
    sampling = source.get("importance_sampling")
    if sampling is not None:
        sampling = mapping(sampling, f"{key}.importance_sampling")
        sampling = ImportanceSampling(
            theta_max_rad=number(
                require(sampling, "theta_max_rad", f"{key}.importance_sampling"),
                f"{key}.importance_sampling.theta_max_rad",
                positive=True,
            ),
            keep_fraction=number(
                require(sampling, "keep_fraction", f"{key}.importance_sampling"),
                f"{key}.importance_sampling.keep_fraction",
                positive=True,
            ),
        )
    return Experiment(
        name=name,
        beam=beam.name,
        frame=beam.frame,
        geometry=geometry,
        acceptance=str(source.get("acceptance", "paper")),
        exposures=numbers(require(source, "exposures", key), f"{key}.exposures", positive=True),
        energy_thresholds_gev=numbers(
            require(source, "energy_thresholds_gev", key), f"{key}.energy_thresholds_gev", minimum=0.0
        ),
        mesons_per_interaction=_multiplicities(name, table, species, overrides, a_mass, scaling),
        level=experiment_level(source, key, default_level),
        efficiency=number(source.get("efficiency", 1.0), f"{key}.efficiency", positive=True),
        channel_efficiencies=_floats(source.get("channel_efficiencies", {}), f"{key}.channel_efficiencies"),
        target_mass_number=a_mass,
        description=str(source.get("description", "")),
        species=species,
        cross_section_mb=number(source["cross_section_mb"], f"{key}.cross_section_mb", positive=True)
        if "cross_section_mb" in source
        else None,
        energy_max_gev=number(source["energy_max_gev"], f"{key}.energy_max_gev", positive=True)
        if "energy_max_gev" in source
        else math.inf,
        multiplicity_table=table,
        nuclear_scaling=scaling,
        importance_sampling=sampling,
        selection=_floats(source.get("selection", {}), f"{key}.selection"),
        limit=dict(mapping(source["limit"], f"{key}.limit")) if "limit" in source else None,
        events_per_mass=integer(source["events_per_mass"], f"{key}.events_per_mass", 100)
        if "events_per_mass" in source
        else None,
        multiplicity_overrides=overrides,
        edge_precision=number(source["edge_precision"], f"{key}.edge_precision", positive=True)
        if "edge_precision" in source
        else None,
        max_events_per_mass=integer(source["max_events_per_mass"], f"{key}.max_events_per_mass", 100)
        if "max_events_per_mass" in source
        else None,
        **_tail_sampling(source, key),
        **_production(source, key, beam.frame),
    )


def _production(source: Mapping[str, Any], key: str, frame: BeamFrame) -> dict[str, Any]:
    """``production`` (names of :data:`darkreach.production.PRODUCTION_NAMES` that apply to ``frame``) as an
    Experiment field; an experiment-level ``partons`` block (the former per-point sampling) is an error."""
    from darkreach.production import PRODUCTION_NAMES

    out: dict[str, Any] = {}
    if "production" in source:
        names = strings(source["production"], f"{key}.production")
        if not names or len(set(names)) != len(names):
            raise fail(f"{key}.production", "must be a non-empty list without repeats", source["production"])
        for name in names:
            if name not in PRODUCTION_NAMES:
                raise fail(
                    f"{key}.production", f"unknown production {name!r}; known: {sorted(PRODUCTION_NAMES)}", names
                )
            if frame.value not in PRODUCTION_NAMES[name][1]:
                raise fail(f"{key}.production", f"{name!r} does not apply to a {frame.label} beam", names)
        out["production"] = tuple(names)
    if "partons" in source:
        raise fail(
            f"{key}.partons",
            "no longer an experiment setting: the parton sample is generated once per beam and reweighted to every "
            "point; set beams.<beam>.partons {events_per_shard, shards, mhat_min_gev, isr} instead",
            source["partons"],
        )
    return out


def _tail_sampling(source: Mapping[str, Any], key: str) -> dict[str, Any]:
    """``tail_sampling: {momentum_power, tail_fraction}`` as Experiment fields (:mod:`darkreach.sensitivity.tail`)."""
    if "tail_sampling" not in source:
        return {}
    tail = mapping(source["tail_sampling"], f"{key}.tail_sampling")
    out: dict[str, Any] = {
        "tail_momentum_power": number(
            require(tail, "momentum_power", f"{key}.tail_sampling"), f"{key}.tail_sampling.momentum_power", minimum=0.0
        )
    }
    if "tail_fraction" in tail:
        fraction = number(tail["tail_fraction"], f"{key}.tail_sampling.tail_fraction", minimum=0.0)
        if not fraction < 1.0:
            raise fail(f"{key}.tail_sampling.tail_fraction", "must be below 1", fraction)
        out["tail_fraction"] = fraction
    return out


def experiment_from_config(
    cfg: Mapping[str, Any], name: str, meson_files: Mapping[str, str | Path] | None = None
) -> Experiment:
    """Experiment ``name`` of a validated configuration mapping (a whole one or a job's slice).

    With ``meson_files`` (generator name -> merged sample), an experiment on ``multiplicity_table: generated``
    takes f_M from the samples.
    """
    experiments = mapping(require(cfg, "experiments", "<root>"), "experiments")
    if name not in experiments:
        raise KeyError(f"unknown experiment {name!r}; known: {', '.join(sorted(experiments))}")
    source = mapping(experiments[name], f"experiments.{name}")
    beams = mapping(require(cfg, "beams", "<root>"), "beams")
    beam_name = require(source, "beam", f"experiments.{name}")
    if beam_name not in beams:
        raise fail(f"experiments.{name}.beam", f"unknown beam; known: {sorted(beams)}", beam_name)
    beam = BeamSpec.from_mapping(beam_name, beams[beam_name])
    scan = mapping(cfg.get("scan", {}), "scan")
    level = number(scan["level"], "scan.level", positive=True) if "level" in scan else None
    exp = experiment_from_mapping(name, source, beam, level)
    if meson_files is not None:
        exp = exp.with_generated_multiplicities(meson_files, beam)
    return exp
