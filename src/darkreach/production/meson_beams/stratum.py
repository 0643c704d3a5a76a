"""Tail stratum of a meson sample: extra generated events of which only the high-momentum mesons are kept.

Stratified sampling (config ``beams.<beam>.generators.<name>.tail_stratum``, issue 12). A generator makes its
``N_nom`` nominal events as usual, and ``N_tail = shards x events_per_shard`` further events with their own seeds,
of which only the mesons with lab momentum ``|p| > p_cut`` (``min_momentum_gev``) are kept. The merged sample holds

* the mesons of the nominal events with ``|p| <= p_cut``, weight ``w`` (the generator's event weight, 1);
* the mesons of the nominal *and* the tail events with ``|p| > p_cut``, weight ``w f`` with
  ``f = N_nom / (N_nom + N_tail)`` (:func:`tail_weight_factor`).

Every weighted sum over the sample, divided by ``N_nom`` (the per-event normalisation the yields and the
multiplicities use), then has the same expectation as over the nominal events alone: the tail region is estimated
from ``N_nom + N_tail`` events instead of ``N_nom``, i.e. with ``1 + N_tail / N_nom`` times more mesons. The stratum
boundary is a function of each meson alone, so each meson's weight is exact (no per-event approximation). The
merged file's ``n_events`` and ``sum_weights`` stay those of the nominal events; ``counts`` are the tree entries.

``|p|`` is the lab-frame momentum at a fixed target and the CM (= lab) momentum at a collider; both are invariant
under the collider's hemisphere folding.

This module imports neither a generator nor uproot at import time (the configuration reads :class:`TailStratum`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from darkreach.production.meson_beams.settings import GeneratorSettings

__all__ = ["TailStratum", "apply_tail_stratum", "generate_tail_shard", "momentum", "tail_weight_factor"]


@dataclass(frozen=True)
class TailStratum:
    """The tail stratum of a generator: ``shards`` extra shards of ``events_per_shard`` events each, of which the
    mesons with ``|p| > min_momentum_gev`` are kept."""

    events_per_shard: int
    shards: int
    min_momentum_gev: float

    @property
    def n_events(self) -> int:
        """Events the stratum generates in total (``N_tail``)."""
        return self.events_per_shard * self.shards

    @classmethod
    def from_mapping(cls, source: Any, key: str) -> TailStratum:
        """The stratum of the config entry ``source`` at config key ``key``.

        Raises
        ------
        darkreach.config.ConfigError
            Naming the key and the value: a missing or unknown key, non-positive integers, or a non-positive cut
            (the beam checks that the cut lies below its largest meson momentum).
        """
        from darkreach.config.reading import fail, integer, mapping, number, require

        source = mapping(source, key)
        unknown = sorted(set(source) - {"events_per_shard", "shards", "min_momentum_gev"})
        if unknown:
            raise fail(key, f"unknown keys {unknown}; known: events_per_shard, shards, min_momentum_gev", dict(source))
        return cls(
            events_per_shard=integer(require(source, "events_per_shard", key), f"{key}.events_per_shard"),
            shards=integer(require(source, "shards", key), f"{key}.shards"),
            min_momentum_gev=number(require(source, "min_momentum_gev", key), f"{key}.min_momentum_gev", positive=True),
        )

    def check_cut(self, max_momentum_gev: float, key: str) -> None:
        """Refuse a cut at or above ``max_momentum_gev`` (the largest meson momentum of the beam) for the generator
        at config key ``key``: the stratum would hold no meson."""
        from darkreach.config.reading import fail

        if not self.min_momentum_gev < max_momentum_gev:
            raise fail(
                f"{key}.tail_stratum.min_momentum_gev",
                f"must be below the largest meson momentum of the beam, {max_momentum_gev} GeV",
                self.min_momentum_gev,
            )

    def as_dict(self) -> dict[str, Any]:
        """The config entry."""
        return {
            "events_per_shard": self.events_per_shard,
            "shards": self.shards,
            "min_momentum_gev": self.min_momentum_gev,
        }


def tail_weight_factor(n_nominal: int | float, n_tail: int | float) -> float:
    """``f = N_nom / (N_nom + N_tail)``: the factor on the weight of every meson above the cut, so that the tail
    region, estimated from ``N_nom + N_tail`` events, keeps the normalisation of ``N_nom`` events."""
    if not n_nominal > 0 or not n_tail >= 0:
        raise ValueError(f"event counts must be N_nom > 0 and N_tail >= 0, got {n_nominal!r} and {n_tail!r}")
    return float(n_nominal) / (float(n_nominal) + float(n_tail))


def momentum(arrays: dict[str, np.ndarray]) -> np.ndarray:
    """``|p|`` of the instances of a species tree (branches ``px, py, pz``)."""
    return np.sqrt(arrays["px"] ** 2 + arrays["py"] ** 2 + arrays["pz"] ** 2)


def _select(arrays: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, np.ndarray]:
    return {k: np.ascontiguousarray(v[mask]) for k, v in arrays.items()}


def generate_tail_shard(
    settings: GeneratorSettings,
    n_events: int,
    seed: int,
    min_momentum_gev: float,
    out_path: str | PathLike[str],
) -> dict[str, Any]:
    """Generate one tail-stratum shard: ``n_events`` events of ``settings`` with ``seed`` (the engine's
    ``generate_shard``), keeping only the mesons with ``|p| > min_momentum_gev``.

    The metadata is the engine's, with ``counts`` and ``weight_sums`` of the kept mesons, plus ``stratum: "tail"``
    and ``min_momentum_gev``.
    """
    from darkreach.production.meson_beams.engines import generate_shard
    from darkreach.production.meson_beams.samples import open_root, read_species_arrays, write_sample

    if not min_momentum_gev > 0.0:
        raise ValueError(f"min_momentum_gev must be positive, got {min_momentum_gev!r}")
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, full = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".full.root", dir=out_path.parent)
    os.close(fd)
    try:
        metadata = generate_shard(settings, n_events, seed, full)
        kept: dict[str, dict[str, np.ndarray]] = {}
        with open_root(full) as file:
            for key in metadata["species"]:
                arrays = read_species_arrays(file, key, full)
                kept[key] = _select(arrays, momentum(arrays) > min_momentum_gev)
    finally:
        os.unlink(full)
    metadata.update(
        {
            "stratum": "tail",
            "min_momentum_gev": float(min_momentum_gev),
            "counts": {k: int(a["px"].size) for k, a in kept.items()},
            "weight_sums": {k: float(a["weight"].sum()) for k, a in kept.items()},
        }
    )
    write_sample(out_path, {k: [a] for k, a in kept.items()}, metadata)
    return metadata


def apply_tail_stratum(
    merged_nominal: str | PathLike[str], merged_tail: str | PathLike[str], out_path: str | PathLike[str]
) -> dict[str, Any]:
    """Combine the merged nominal shards and the merged tail shards of one generator into the stratified sample
    (weights as in the module docstring) at ``out_path``.

    Raises
    ------
    ValueError
        If the tail file is not a tail stratum, or its species differ from the nominal sample's.
    """
    from darkreach.production.meson_beams.samples import open_root, read_metadata, read_species_arrays, write_sample

    nominal = read_metadata(merged_nominal)
    tail = read_metadata(merged_tail)
    if tail.get("stratum") != "tail" or nominal.get("stratum") is not None:
        raise ValueError(f"{str(merged_tail)!r} must be the tail stratum of the nominal {str(merged_nominal)!r}")
    if list(tail["species"]) != list(nominal["species"]):
        raise ValueError(f"tail species {tail['species']} differ from the nominal {nominal['species']}")
    p_cut = float(tail["min_momentum_gev"])
    n_nom, n_tail = int(nominal["n_events"]), int(tail["n_events"])
    factor = tail_weight_factor(n_nom, n_tail)
    combined: dict[str, Iterable[dict[str, np.ndarray]]] = {}
    for key in nominal["species"]:
        with open_root(merged_nominal) as file:
            nom = read_species_arrays(file, key, merged_nominal)
        with open_root(merged_tail) as file:
            extra = read_species_arrays(file, key, merged_tail)
        if np.any(momentum(extra) <= p_cut):
            raise ValueError(f"{str(merged_tail)!r}: {key!r} instances at |p| <= {p_cut} GeV in the tail stratum")
        nom["weight"] = np.where(momentum(nom) > p_cut, nom["weight"] * factor, nom["weight"])
        extra["weight"] = extra["weight"] * factor
        combined[key] = [nom, extra]
    metadata = dict(nominal)
    metadata.update(
        {
            "counts": {k: int(sum(c["px"].size for c in combined[k])) for k in combined},
            "nominal_counts": dict(nominal["counts"]),
            "weight_sums": {k: float(sum(c["weight"].sum() for c in combined[k])) for k in combined},
            "tail_stratum": {
                "min_momentum_gev": p_cut,
                "n_events": n_tail,
                "weight_factor": factor,
                "seeds": tail.get("seeds", [tail.get("seed")]),
                "counts": dict(tail["counts"]),
                "generation_seconds": float(tail.get("generation_seconds", 0.0)),
            },
        }
    )
    seeds = set(metadata.get("seeds", [])) & set(metadata["tail_stratum"]["seeds"])
    if seeds:
        raise ValueError(f"seeds {sorted(seeds)} appear in both the nominal and the tail shards")
    write_sample(out_path, combined, metadata)
    return metadata
