"""Locating, loading and preparing the meson samples an experiment needs.

Two transformations, both exact in expectation, prepare a sample for an experiment:

* **Hemisphere folding** (pp colliders). The two beams are identical, so the meson distribution is
  symmetric under z -> -z. Every meson with pz < 0 is reflected to +z, which doubles the statistics in
  a forward detector; the yield is then multiplied by 1/2 (:attr:`Experiment.hemisphere_factor`),
  because a detector on one side sees each meson's mirror image only once.
* **Importance sampling** (config ``importance_sampling``). Mesons at an angle above ``theta_max_rad``
  from the beam (after folding) are kept with probability f and weight 1/f; the others are all kept.
  Weighted averages over the thinned sample are unbiased estimators of those over the full sample, and
  the simulated events concentrate where a small forward detector (FASER: theta < 2.1 mrad; FASER 2:
  theta < 1.6 mrad) can see the LLP. The kept fraction and the seed are recorded in the scan metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from darkreach.experiments import Experiment
from darkreach.mesons import meson as meson_spec
from darkreach.sensitivity.yields import MesonKinematics


def meson_sample_path(results_dir: str | Path, cfg: Mapping[str, Any], beam: str, generator: str) -> Path:
    """Where the workflow writes the merged sample of ``generator`` for ``beam`` of configuration ``cfg``:
    ``<results>/mesons/<beam>/<generator>-<hash>.root``, the hash being that of the settings that generate it
    (:func:`darkreach.config.slices.sample_id`), so samples of different settings never share a path."""
    from darkreach.config.slices import sample_id

    return Path(results_dir) / "mesons" / beam / f"{sample_id(cfg, beam, generator)}.root"


def multiplicity_table_path(results_dir: str | Path, cfg: Mapping[str, Any], beam: str) -> Path:
    """Where the workflow writes PYTHIA's multiplicities of ``beam``: ``<results>/mesons/<beam>/
    multiplicities-<hash>.csv``, the hash being that of the beam's sample ids."""
    from darkreach.config.slices import beam_samples_id

    return Path(results_dir) / "mesons" / beam / f"multiplicities-{beam_samples_id(cfg, beam)}.csv"


def load_mesons(files: Mapping[str, Path], cfg_beam: Mapping[str, Any]) -> dict[str, MesonKinematics]:
    """Load every species of a beam from its merged generator files (generator name -> path)."""
    from darkreach.generation.samples import load_meson_sample

    mesons: dict[str, MesonKinematics] = {}
    for generator, gcfg in cfg_beam["generators"].items():
        if generator not in files:
            raise KeyError(f"no meson file given for generator {generator!r}")
        for species in gcfg["species"]:
            sample = load_meson_sample(files[generator], species)
            mesons[species] = MesonKinematics(
                np.ascontiguousarray(sample.momenta, dtype=np.float64),
                np.ascontiguousarray(sample.weights, dtype=np.float64),
            )
    return mesons


def fold_hemispheres(sample: MesonKinematics) -> MesonKinematics:
    """Reflect every meson with pz < 0 to +z (symmetric pp beams); weights unchanged."""
    momenta = sample.momenta.copy()
    momenta[:, 2] = np.abs(momenta[:, 2])
    return MesonKinematics(momenta, sample.weights.copy())


def importance_thin(
    sample: MesonKinematics, theta_max_rad: float, keep_fraction: float, rng: np.random.Generator
) -> MesonKinematics:
    """Keep every meson within ``theta_max_rad`` of +z; keep the others with probability ``keep_fraction``
    and weight 1/``keep_fraction``. The order of the kept mesons is preserved."""
    if not 0.0 < keep_fraction <= 1.0:
        raise ValueError(f"keep_fraction must be in (0, 1], got {keep_fraction!r}")
    if not theta_max_rad > 0.0:
        raise ValueError(f"theta_max_rad must be positive, got {theta_max_rad!r}")
    p = sample.momenta
    theta = np.arctan2(np.hypot(p[:, 0], p[:, 1]), p[:, 2])
    inside = theta <= theta_max_rad
    keep = inside | (rng.random(p.shape[0]) < keep_fraction)
    weights = np.where(inside, sample.weights, sample.weights / keep_fraction)[keep]
    return MesonKinematics(np.ascontiguousarray(p[keep]), np.ascontiguousarray(weights))


def prepare_mesons(
    experiment: Experiment, mesons: Mapping[str, MesonKinematics], seed: int
) -> tuple[dict[str, MesonKinematics], float]:
    """The samples ``experiment`` scans, and the factor its yields take (1/2 after hemisphere folding).

    Folding applies at pp colliders; importance sampling when the experiment configures it. The thinning
    stream is keyed by (seed, meson PDG id), so the prepared samples are reproducible.
    """
    out: dict[str, MesonKinematics] = {}
    for key, sample in mesons.items():
        prepared = fold_hemispheres(sample) if experiment.frame == "collider" else sample
        sampling = experiment.importance_sampling
        if sampling is not None:
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, meson_spec(key).pdgid])))
            prepared = importance_thin(prepared, sampling.theta_max_rad, sampling.keep_fraction, rng)
        out[key] = prepared
    return out, experiment.hemisphere_factor
