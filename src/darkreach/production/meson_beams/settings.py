"""What a generator entry generates for a beam (:class:`GeneratorSettings`) and PYTHIA's exact ``Pythia.readString``
lines for it.

Two beam frames produce mesons (:attr:`darkreach.production.BeamFrame.generates_mesons`): a proton beam on a
proton at rest (``fixed_target``: lab frame = target frame, ``Beams:frameType = 2``) and symmetric
proton-proton collisions (``collider``: lab frame = CM frame, beam A along +z, ``Beams:frameType = 1``).
The engine (:mod:`darkreach.production.meson_beams.engines`) is PYTHIA 8 unless the entry names another.
No generator import here: settings are checked and written without running a generator.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from darkreach.mesons import MESONS
from darkreach.production import BeamFrame
from darkreach.production.meson_beams.engines import DEFAULT_ENGINE, ENGINES, check_generator_entry, tune_lines
from darkreach.seeds import check_pythia_seed

__all__ = ["FRAMES", "GeneratorSettings", "pythia_settings", "settings_from_config"]

#: The beam frames PYTHIA generates mesons for.
FRAMES: tuple[BeamFrame, ...] = tuple(f for f in BeamFrame if f.generates_mesons)
PROTON = 2212
#: ``extra_settings`` may not touch what :func:`pythia_settings` fixes (lower-case prefixes).
_RESERVED_PREFIXES: tuple[str, ...] = ("beams:", "random:")


@dataclass(frozen=True)
class GeneratorSettings:
    """What to generate: one PYTHIA process, or an engine's minimum-bias events, for one beam.

    Attributes
    ----------
    process
        PYTHIA process switch, e.g. ``"SoftQCD:inelastic"``, ``"Charmonium:all"``, ``"Bottomonium:all"``;
        None for an engine that makes minimum-bias events only (``sibyll23d``).
    beam_energy_gev
        ``fixed_target``: proton beam energy in GeV (400 for the CERN SPS, paper 000 sec. 3);
        ``collider``: the centre-of-mass energy sqrt(s) in GeV (13600, 14000 at the LHC).
    species
        Meson keys from :data:`darkreach.mesons.MESONS` to record.
    extra_settings
        Further ``Pythia.readString`` lines (``PhaseSpace:pTHatMin``...), applied last.
    frame
        ``"fixed_target"``: beam along +z on a proton at rest, event record in the lab frame;
        ``"collider"``: head-on pp collisions at ``beam_energy_gev`` = sqrt(s), beam A along +z, event
        record in the CM (= lab) frame.
    engine
        Key of :data:`darkreach.production.meson_beams.engines.ENGINES`: ``"pythia8"`` (default) or
        ``"sibyll23d"``.
    tune
        PYTHIA ``Tune:pp`` value from :data:`darkreach.production.meson_beams.engines.PYTHIA_TUNES`, read before
        ``extra_settings``; None keeps PYTHIA's default (Monash 2013).
    """

    process: str | None
    beam_energy_gev: float
    species: tuple[str, ...]
    extra_settings: tuple[str, ...] = ()
    frame: BeamFrame = BeamFrame.FIXED_TARGET
    engine: str = DEFAULT_ENGINE
    tune: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.species, str):
            raise ValueError(f"species must be a sequence of keys, got the string {self.species!r}")
        object.__setattr__(self, "species", tuple(self.species))
        object.__setattr__(self, "extra_settings", tuple(self.extra_settings))
        entry: dict[str, Any] = {"engine": self.engine, "species": self.species}
        if self.process is not None:
            entry["process"] = self.process
        if self.tune is not None:
            entry["tune"] = self.tune
        if self.extra_settings:
            entry["extra_settings"] = self.extra_settings
        check_generator_entry(entry, "generator")
        if ENGINES[self.engine].takes_process and (not self.process or "=" in self.process):
            raise ValueError(f"process must be a PYTHIA switch name like 'SoftQCD:inelastic', got {self.process!r}")
        if self.frame not in FRAMES:
            raise ValueError(f"unsupported frame {str(self.frame)!r}; supported: {', '.join(FRAMES)}")
        object.__setattr__(self, "frame", BeamFrame(self.frame))
        if not (math.isfinite(self.beam_energy_gev) and self.beam_energy_gev > 0.0):
            raise ValueError(f"beam_energy_gev must be positive and finite, got {self.beam_energy_gev!r}")
        if not self.species:
            raise ValueError("species is empty; give at least one meson key")
        for key in self.species:
            if key not in MESONS:
                raise ValueError(f"unknown meson species {key!r}; known: {', '.join(MESONS)}")
        duplicates = sorted({k for k in self.species if self.species.count(k) > 1})
        if duplicates:
            raise ValueError(f"species listed more than once: {duplicates}")
        for line in self.extra_settings:
            if line.strip().lower().startswith(_RESERVED_PREFIXES):
                raise ValueError(
                    f"extra setting {line!r} would override the beam or seed set by pythia_settings; "
                    "use beam_energy_gev / frame / the seed argument instead"
                )


def settings_from_config(beam: Mapping[str, Any], generator: Mapping[str, Any]) -> GeneratorSettings:
    """:class:`GeneratorSettings` for one generator entry of a validated beam config entry.

    ``beam`` holds ``frame`` and ``energy_gev`` (fixed target) or ``sqrt_s_gev`` (collider);
    ``generator`` holds ``species``, and ``process`` (PYTHIA), optional ``engine``, ``tune`` and ``extra_settings``.
    """
    frame = BeamFrame(beam["frame"])
    if frame not in FRAMES:
        raise ValueError(f"the engines generate no mesons for a {frame} beam; supported: {', '.join(FRAMES)}")
    key = frame.energy_key
    if key not in beam:
        raise ValueError(f"a {frame} beam needs {key!r}; got keys {sorted(beam)}")
    return GeneratorSettings(
        process=generator.get("process"),
        beam_energy_gev=float(beam[key]),
        species=tuple(generator["species"]),
        extra_settings=tuple(generator.get("extra_settings", ())),
        frame=frame,
        engine=generator.get("engine", DEFAULT_ENGINE),
        tune=generator.get("tune"),
    )


def pythia_settings(settings: GeneratorSettings, seed: int) -> list[str]:
    """Return the exact ``Pythia.readString`` lines for ``settings`` and ``seed``.

    The tune (``Tune:pp``, when set) is read before ``extra_settings``, so that they may refine it.

    Raises
    ------
    ValueError
        If ``seed`` is not an integer in [:data:`darkreach.seeds.SEED_MIN`, :data:`darkreach.seeds.SEED_MAX`],
        or ``settings`` are not for PYTHIA.
    """
    if settings.engine != "pythia8" or settings.process is None:
        raise ValueError(f"pythia_settings: settings are for engine {settings.engine!r}, not 'pythia8'")
    seed = check_pythia_seed(seed)
    if settings.frame is BeamFrame.FIXED_TARGET:
        beams = ["Beams:frameType = 2", f"Beams:eA = {settings.beam_energy_gev!r}", "Beams:eB = 0."]
    else:  # BeamFrame.COLLIDER; GeneratorSettings admits no other frame
        beams = ["Beams:frameType = 1", f"Beams:eCM = {settings.beam_energy_gev!r}"]
    return [
        beams[0],
        f"Beams:idA = {PROTON}",
        f"Beams:idB = {PROTON}",
        *beams[1:],
        f"{settings.process} = on",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "Next:numberCount = 0",
        "Print:quiet = on",
        *tune_lines(settings.tune),
        *settings.extra_settings,
    ]
