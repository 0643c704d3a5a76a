"""What every engine's shard shares: the per-species arrays of the ROOT sample, the lab-frame sanity check and the
metadata keys that do not depend on the engine (:func:`shard_metadata`). No generator import here."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

import darkreach
from darkreach.production import BeamFrame
from darkreach.production.meson_beams.engines import ENGINES, MINIMUM_BIAS_PROCESS
from darkreach.production.meson_beams.extraction import species_pdgids
from darkreach.production.meson_beams.samples import FORMAT_VERSION
from darkreach.production.meson_beams.settings import GeneratorSettings

__all__ = ["check_lab_frame", "package_version", "shard_metadata", "species_arrays"]

_PROTON_MASS_GEV = 0.93827208943


def package_version(name: str) -> str | None:
    """Installed version of the distribution ``name`` (None if it is not installed)."""
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def check_lab_frame(momenta: np.ndarray, settings: GeneratorSettings) -> None:
    """Guard against a wrong frame: no meson can carry more than the total lab energy; the
    fixed-target boost makes the large majority of them move along the beam (+z), while collider
    events populate both hemispheres.

    Raises
    ------
    RuntimeError
        If the momenta (rows px, py, pz, E) cannot be in the lab frame of ``settings``.
    """
    if momenta.shape[0] == 0:
        return
    e_max = float(momenta[:, 3].max())
    if settings.frame is BeamFrame.COLLIDER:  # beam_energy_gev is sqrt(s)
        e_lab = settings.beam_energy_gev
    else:  # a beam of beam_energy_gev on a proton at rest
        e_lab = settings.beam_energy_gev + _PROTON_MASS_GEV
    if e_max > e_lab + 1e-6:
        raise RuntimeError(f"meson energy {e_max} GeV exceeds the lab energy: event record not in the lab frame")
    if settings.frame is BeamFrame.FIXED_TARGET and momenta.shape[0] >= 100 and np.mean(momenta[:, 2] > 0.0) < 0.5:
        raise RuntimeError("most mesons have pz < 0: the beam is not along +z in the event record")


def species_arrays(
    ids: np.ndarray, momenta: np.ndarray, weights: np.ndarray, species: Sequence[str]
) -> dict[str, dict[str, np.ndarray]]:
    """Split instances (signed PDG ``ids``, ``momenta`` rows px, py, pz, E, ``weights``) into the per-species
    branches of the sample format (:data:`darkreach.production.meson_beams.samples.BRANCHES`)."""
    out = {}
    for key in species:
        mask = np.isin(ids, species_pdgids(key))
        rows = momenta[mask]
        out[key] = {
            "px": np.ascontiguousarray(rows[:, 0]),
            "py": np.ascontiguousarray(rows[:, 1]),
            "pz": np.ascontiguousarray(rows[:, 2]),
            "E": np.ascontiguousarray(rows[:, 3]),
            "weight": np.ascontiguousarray(weights[mask]),
        }
    return out


def shard_metadata(settings: GeneratorSettings, arrays: dict[str, dict[str, np.ndarray]]) -> dict[str, Any]:
    """The metadata keys of a shard that every engine writes the same way (the engine adds its own)."""
    engine = ENGINES[settings.engine]
    return {
        "format_version": FORMAT_VERSION,
        "generator": engine.name,
        "generator_package_version": package_version(engine.package),
        "darkreach_version": darkreach.__version__,
        "beam_energy_gev": float(settings.beam_energy_gev),
        "frame": settings.frame.value,
        "species": list(settings.species),
        "extra_settings": list(settings.extra_settings),
        "tune": settings.tune,
        "minimum_bias": (not engine.takes_process) or settings.process == MINIMUM_BIAS_PROCESS,
        "counts": {key: int(a["px"].size) for key, a in arrays.items()},
        "weight_sums": {key: float(a["weight"].sum()) for key, a in arrays.items()},
        "host": platform.node(),
    }
