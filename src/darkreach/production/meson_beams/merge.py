"""Merging shards of one generation (same engine, process, beam, species, settings, generator version; distinct
seeds)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from os import PathLike
from typing import Any

import numpy as np

import darkreach
from darkreach.production.meson_beams.samples import open_root, read_metadata, read_species_arrays, write_sample

__all__ = ["merge_shards", "merge_stratified"]

#: Metadata fields that must agree between shards for them to be merged.
_MERGE_KEYS: tuple[str, ...] = (
    "generator",
    "process",
    "beam_energy_gev",
    "species",
    "frame",
    "extra_settings",
    "tune",
    "pythia_version",
    "model_version",
    "stratum",
    "min_momentum_gev",
)
#: Lines of a shard's ``settings`` that name its seed (PYTHIA's, SIBYLL's); the merged file drops them.
_SEED_LINES: tuple[str, ...] = ("Random:seed", "seed =")


def _check_mergeable(metas: Sequence[dict[str, Any]], paths: Sequence[str]) -> None:
    for key in _MERGE_KEYS:
        values = {json.dumps(m.get(key), sort_keys=True) for m in metas}
        if len(values) > 1:
            detail = "; ".join(f"{p}: {m.get(key)!r}" for p, m in zip(paths, metas))
            raise ValueError(f"cannot merge shards with different {key}: {detail}")
    seen: dict[int, str] = {}
    for path, meta in zip(paths, metas):
        for seed in meta.get("seeds", [meta.get("seed")]):
            if seed in seen:
                raise ValueError(f"seed {seed} appears in both {seen[seed]} and {path}: merging would duplicate events")
            seen[seed] = path


def merge_shards(paths: Sequence[str | PathLike[str]], out_path: str | PathLike[str]) -> dict[str, Any]:
    """Concatenate shards of the same generation into one ROOT file.

    ``n_events``, ``n_failed``, counts and weight sums add up; the cross section is the
    ``n_events``-weighted mean of the shards' ``sigma_gen_mb``, with error
    ``sqrt(sum (n_i err_i)^2) / sum n_i``. Per-shard seeds and statistics are kept in the metadata
    (``seeds`` and ``shards``). Merged files can be merged again.

    Raises
    ------
    ValueError
        If ``paths`` is empty, or the shards differ in engine, process, beam energy, species, frame, extra
        settings, tune or generator version, or share a seed (the message names the files).
    FileNotFoundError
        If a shard is missing.
    """
    names = [str(p) for p in paths]
    if not names:
        raise ValueError("merge_shards needs at least one shard path")
    if len(set(names)) != len(names):
        raise ValueError(f"shard paths listed more than once: {sorted(p for p in set(names) if names.count(p) > 1)}")
    metas = [read_metadata(p) for p in names]
    _check_mergeable(metas, names)
    first = metas[0]
    species: list[str] = list(first["species"])

    n = np.array([m["n_events"] for m in metas], dtype=np.float64)
    sigma = np.array([m["sigma_gen_mb"] for m in metas], dtype=np.float64)
    sigma_err = np.array([m["sigma_err_mb"] for m in metas], dtype=np.float64)
    n_total = float(n.sum())
    shards: list[dict[str, Any]] = []
    for path, meta in zip(names, metas):
        shards.extend(
            meta.get("shards")
            or [
                {
                    "path": path,
                    "seed": meta.get("seed"),
                    "n_events": meta["n_events"],
                    "n_failed": meta["n_failed"],
                    "sigma_gen_mb": meta["sigma_gen_mb"],
                    "sigma_err_mb": meta["sigma_err_mb"],
                }
            ]
        )
    metadata: dict[str, Any] = {key: first[key] for key in first if key not in ("seed", "host", "shards")}
    metadata.update(
        {
            "settings": [line for line in first["settings"] if not line.startswith(_SEED_LINES)],
            "seed": None,
            "seeds": [s for m in metas for s in m.get("seeds", [m.get("seed")])],
            "n_events": int(n_total),
            "n_failed": int(sum(m["n_failed"] for m in metas)),
            "n_events_reread": int(sum(m.get("n_events_reread", 0) for m in metas)),
            "weighted": any(m.get("weighted", False) for m in metas),
            "sum_weights": float(sum(m.get("sum_weights", m["n_events"]) for m in metas)),
            "sigma_gen_mb": float((n * sigma).sum() / n_total),
            "sigma_err_mb": float(np.sqrt(((n * sigma_err) ** 2).sum()) / n_total),
            "counts": {k: int(sum(m["counts"][k] for m in metas)) for k in species},
            "weight_sums": {k: float(sum(m["weight_sums"][k] for m in metas)) for k in species},
            "init_seconds": float(sum(m.get("init_seconds", 0.0) for m in metas)),
            "generation_seconds": float(sum(m.get("generation_seconds", 0.0) for m in metas)),
            "merged_from": names,
            "shards": shards,
            "darkreach_version_merge": darkreach.__version__,
        }
    )

    def chunks(key: str) -> Iterable[dict[str, np.ndarray]]:
        for path, meta in zip(names, metas):
            with open_root(path) as file:
                arrays = read_species_arrays(file, key, path)
            if arrays["px"].size != meta["counts"][key]:
                raise ValueError(
                    f"{path}: tree {key!r} has {arrays['px'].size} entries but its metadata says "
                    f"{meta['counts'][key]}; the shard is corrupt"
                )
            yield arrays

    write_sample(out_path, {key: chunks(key) for key in species}, metadata)
    return metadata


def merge_stratified(
    paths: Sequence[str | PathLike[str]], tail_paths: Sequence[str | PathLike[str]], out_path: str | PathLike[str]
) -> dict[str, Any]:
    """Merge the nominal shards ``paths`` and, when ``tail_paths`` is not empty, the tail-stratum shards of the
    same generator into one stratified sample (:mod:`darkreach.production.meson_beams.stratum`)."""
    if not tail_paths:
        return merge_shards(paths, out_path)
    from darkreach.production.meson_beams.stratum import apply_tail_stratum

    parent = os.path.dirname(os.path.abspath(out_path))
    os.makedirs(parent, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent, prefix=".stratified-") as tmp:
        nominal, tail = os.path.join(tmp, "nominal.root"), os.path.join(tmp, "tail.root")
        merge_shards(paths, nominal)
        merge_shards(tail_paths, tail)
        return apply_tail_stratum(nominal, tail, out_path)
