"""Stage 1 of darkreach: Standard Model meson generation with PYTHIA8 (paper 000 sec. 4.1, Table 1).

* :mod:`.pythia_mesons` runs PYTHIA (fixed target or pp collider) and writes ROOT shards; merges them.
* :mod:`.samples` reads the ROOT files back for the physics code (no PYTHIA needed).
* :mod:`.multiplicities` compares PYTHIA's multiplicities with Table 1 of paper 000.

The PYTHIA-side names are imported lazily so that reading samples does not require ``pythia8mc``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from darkreach.generation.multiplicities import multiplicity_table, write_multiplicity_csv
from darkreach.generation.samples import MesonSample, load_meson_sample, read_metadata

if TYPE_CHECKING:
    from darkreach.generation.pythia_mesons import (
        GeneratorSettings,
        generate_shard,
        merge_shards,
        pythia_settings,
        settings_from_config,
    )

_LAZY = {"GeneratorSettings", "generate_shard", "merge_shards", "pythia_settings", "settings_from_config"}

__all__ = [
    "GeneratorSettings",
    "MesonSample",
    "generate_shard",
    "load_meson_sample",
    "merge_shards",
    "multiplicity_table",
    "pythia_settings",
    "read_metadata",
    "settings_from_config",
    "write_multiplicity_csv",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from darkreach.generation import pythia_mesons

        return getattr(pythia_mesons, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
