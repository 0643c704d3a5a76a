"""Loading and preparing the meson samples an experiment scans (:mod:`.store` says where they are).

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

Tail sampling (config ``tail_sampling``, :mod:`darkreach.sensitivity.tail`) does not change the sample: it
attaches the draw probabilities q_i ~ |p_i|^k with which the scan draws its mesons (weights 1/(N q_i)).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from darkreach.experiments import Experiment
from darkreach.mesons import meson as meson_spec
from darkreach.production.meson_beams.samples import load_meson_sample
from darkreach.sensitivity.tail import tail_draw_cdf
from darkreach.sensitivity.yields import MesonKinematics

if TYPE_CHECKING:
    from darkreach.config.specs import BeamSpec

__all__ = ["fold_hemispheres", "importance_thin", "load_mesons", "needed_generators", "prepare_mesons"]


def needed_generators(beam: BeamSpec, species: Iterable[str]) -> list[str]:
    """The generators of ``beam`` whose samples an experiment of ``species`` reads
    (:meth:`darkreach.config.BeamSpec.needed_generators`)."""
    return beam.needed_generators(species)


def load_mesons(
    files: Mapping[str, str | Path], beam: BeamSpec, generators: Iterable[str] | None = None
) -> dict[str, MesonKinematics]:
    """Load every species of ``beam`` from its merged generator files (generator name -> path); with
    ``generators``, only the species of those generators.

    Raises
    ------
    KeyError
        If a generator to load has no file in ``files``.
    """
    selected = None if generators is None else set(generators)
    mesons: dict[str, MesonKinematics] = {}
    for generator, gen in beam.generators.items():
        if selected is not None and generator not in selected:
            continue
        if generator not in files:
            raise KeyError(f"no meson file given for generator {generator!r}")
        for species in gen.species:
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
        prepared = fold_hemispheres(sample) if experiment.frame.folds_hemispheres else sample
        sampling = experiment.importance_sampling
        if sampling is not None:
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, meson_spec(key).pdgid])))
            prepared = importance_thin(prepared, sampling.theta_max_rad, sampling.keep_fraction, rng)
        if experiment.tail_momentum_power is not None:
            cdf = tail_draw_cdf(prepared.momenta, experiment.tail_momentum_power, experiment.tail_fraction)
            prepared = MesonKinematics(prepared.momenta, prepared.weights, draw_cdf=cdf)
        out[key] = prepared
    return out, experiment.hemisphere_factor
