"""Locating and loading the meson samples an experiment needs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from darkreach.sensitivity.yields import MesonKinematics


def meson_sample_path(results_dir: str | Path, beam: str, generator: str) -> Path:
    """Where the workflow writes the merged sample of ``generator`` for ``beam``."""
    return Path(results_dir) / "mesons" / beam / f"{generator}.root"


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
