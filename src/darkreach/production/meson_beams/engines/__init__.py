"""Hadronic event generators ("engines") that make a beam's meson samples, chosen per generator entry.

A generator entry of a beam (config ``beams.<beam>.generators.<name>``) names its engine with ``engine``:

* ``pythia8`` (the default): PYTHIA 8 through ``pythia8mc``, one process switch per entry (``process``), optional
  ``tune`` (:data:`PYTHIA_TUNES`) and ``extra_settings``; module :mod:`darkreach.production.meson_beams.pythia`;
* ``sibyll23d``: SIBYLL 2.3d through ``chromo`` (the model FORESEE uses for forward mesons); minimum-bias
  inelastic events only, so no ``process``, and only the species of :data:`SIBYLL_SPECIES`; module
  :mod:`.sibyll`.

Both write the same ROOT sample (:mod:`darkreach.production.meson_beams.samples`): lab-frame meson momenta,
event weights, the number of events and the generated cross section that the multiplicities need.

This module imports neither generator: the configuration checks use it (:func:`check_generator_entry`), and
:func:`generate_shard` imports the engine's module only when it runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from darkreach.production.meson_beams.settings import GeneratorSettings

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "MINIMUM_BIAS_PROCESS",
    "PYTHIA_TUNES",
    "SIBYLL_SPECIES",
    "Engine",
    "check_generator_entry",
    "engine_of",
    "generate_shard",
    "is_minimum_bias",
    "tune_lines",
]

#: The PYTHIA process whose sample is the beam's minimum-bias reference (sigma_gen = sigma_inel).
MINIMUM_BIAS_PROCESS = "SoftQCD:inelastic"

#: Species SIBYLL 2.3d serves. Light mesons only: in minimum-bias events J/psi appears ~1e-3 times per event at
#: 13.6 TeV and never in 2000 events at 400 GeV, D+- and Ds at 1e-3..1e-1, B+ never (docs/validation.md), so
#: heavy flavour stays with PYTHIA's hard processes. K+- is stable in SIBYLL and recorded as a final particle.
SIBYLL_SPECIES: frozenset[str] = frozenset({"pi0", "eta", "etap", "rho", "omega", "phi", "kplus"})

#: ``Tune:pp`` values a PYTHIA generator entry may set (config ``tune``), with what they are: the tunes of the
#: minimum-bias / underlying-event families that initialise with the PDF sets bundled in ``pythia8mc`` (no LHAPDF;
#: tests/test_engines.py initialises each). Without ``tune`` PYTHIA keeps its default, Monash 2013 (14).
PYTHIA_TUNES: dict[int, str] = {
    5: "Tune 4C (Corke, Sjostrand, JHEP 03 (2011) 032): early-LHC minimum-bias tune, CTEQ6L1, default before 8.2",
    7: "ATLAS A2-CTEQ6L1 (ATL-PHYS-PUB-2012-003): ATLAS minimum-bias tune based on 4Cx",
    14: "Monash 2013 (Skands, Carrazza, Rojo, EPJC 74 (2014) 3024): PYTHIA's default, NNPDF2.3 QCD+QED LO",
    18: "CMS CUETP8M1 (EPJC 76 (2016) 155): underlying-event tune based on Monash 2013",
    21: "ATLAS A14 NNPDF2.3LO (ATL-PHYS-PUB-2014-021): jets and underlying event, based on Monash 2013",
}


@dataclass(frozen=True)
class Engine:
    """One hadronic event generator.

    Attributes
    ----------
    name
        Config value of ``engine``.
    label
        Human-readable name and version (docs, errors).
    module
        Module whose ``generate_shard(settings, n_events, seed, out_path)`` writes one shard.
    package
        The Python package the engine needs.
    takes_process
        Whether a generator entry names a process (PYTHIA) or the engine makes minimum-bias events only (SIBYLL).
    species
        The species the engine serves (None: any).
    tunable
        Whether ``tune`` and ``extra_settings`` apply.
    """

    name: str
    label: str
    module: str
    package: str
    takes_process: bool
    species: frozenset[str] | None
    tunable: bool


#: The engines, by config name.
ENGINES: dict[str, Engine] = {
    "pythia8": Engine(
        name="pythia8",
        label="PYTHIA 8.3 (pythia8mc)",
        module="darkreach.production.meson_beams.pythia",
        package="pythia8mc",
        takes_process=True,
        species=None,
        tunable=True,
    ),
    "sibyll23d": Engine(
        name="sibyll23d",
        label="SIBYLL 2.3d (chromo)",
        module="darkreach.production.meson_beams.engines.sibyll",
        package="chromo",
        takes_process=False,
        species=SIBYLL_SPECIES,
        tunable=False,
    ),
}
#: The engine of a generator entry without ``engine``.
DEFAULT_ENGINE = "pythia8"


def engine_of(generator: Mapping[str, Any]) -> Engine:
    """The :class:`Engine` of a generator config entry (``engine``, default :data:`DEFAULT_ENGINE`).

    Raises
    ------
    ValueError
        For an unknown engine name.
    """
    name = generator.get("engine", DEFAULT_ENGINE)
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")
    return ENGINES[name]


def is_minimum_bias(generator: Mapping[str, Any]) -> bool:
    """Whether a generator entry makes minimum-bias inelastic events, whose generated cross section is the
    inelastic one that generated multiplicities are normalised to: PYTHIA's ``SoftQCD:inelastic``, or any entry
    of an engine without processes (SIBYLL)."""
    engine = engine_of(generator)
    return not engine.takes_process or generator.get("process") == MINIMUM_BIAS_PROCESS


def check_tune(tune: object) -> int:
    """``tune`` if it is one of :data:`PYTHIA_TUNES`.

    Raises
    ------
    ValueError
        For anything else (``bool`` included).
    """
    if isinstance(tune, bool) or not isinstance(tune, int) or tune not in PYTHIA_TUNES:
        known = "; ".join(f"{k} = {v.split(' (')[0]}" for k, v in PYTHIA_TUNES.items())
        raise ValueError(f"unknown PYTHIA tune {tune!r}; known Tune:pp values: {known}")
    return tune


def tune_lines(tune: int | None) -> list[str]:
    """The ``Pythia.readString`` lines of ``tune`` (none for PYTHIA's default)."""
    return [] if tune is None else [f"Tune:pp = {check_tune(tune)}"]


def check_generator_entry(generator: Mapping[str, Any], key: str) -> None:
    """Check what a generator entry asks of its engine: the engine exists, it takes a process (or not), serves the
    species, and accepts ``tune`` / ``extra_settings``. ``key`` is the entry's config path, for the messages.

    Raises
    ------
    ValueError
        Naming the key and the offending value.
    """
    name = generator.get("engine", DEFAULT_ENGINE)
    if name not in ENGINES:
        raise ValueError(f"config key '{key}.engine': unknown engine {name!r}; known: {', '.join(ENGINES)}")
    engine = ENGINES[name]
    if engine.takes_process and "process" not in generator:
        raise ValueError(f"config key '{key}.process' is required for engine {name!r} ({engine.label})")
    if not engine.takes_process and "process" in generator:
        raise ValueError(
            f"config key '{key}.process': engine {name!r} ({engine.label}) generates minimum-bias inelastic events "
            f"only and takes no process; remove it (value: {generator['process']!r})"
        )
    if engine.species is not None:
        unavailable = [s for s in generator.get("species", ()) if s not in engine.species]
        if unavailable:
            raise ValueError(
                f"config key '{key}.species': engine {name!r} ({engine.label}) does not serve {unavailable}; "
                f"it serves {sorted(engine.species)} (generate the others with a pythia8 entry)"
            )
    for option in ("tune", "extra_settings"):
        if option in generator and not engine.tunable:
            raise ValueError(
                f"config key '{key}.{option}' does not apply to engine {name!r} ({engine.label}); "
                f"value: {generator[option]!r}"
            )
    if "tune" in generator:
        try:
            check_tune(generator["tune"])
        except ValueError as err:
            raise ValueError(f"config key '{key}.tune': {err}") from None


def generate_shard(
    settings: GeneratorSettings, n_events: int, seed: int, out_path: str | PathLike[str]
) -> dict[str, Any]:
    """Generate one shard with the engine of ``settings`` and write it to ``out_path`` (the engine module's
    ``generate_shard``; same arguments and return value as :func:`darkreach.production.meson_beams.pythia.generate_shard`).
    """
    engine = ENGINES[settings.engine]
    module = importlib.import_module(engine.module)
    metadata: dict[str, Any] = module.generate_shard(settings, n_events, seed, out_path)
    return metadata
