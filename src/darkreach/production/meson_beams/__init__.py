"""The meson-beam production source: Standard Model mesons from PYTHIA8 (paper 000 sec. 4.1, Table 1).

One job per module:

* :mod:`.settings`: what to generate for a beam (:class:`GeneratorSettings`, the ``Pythia.readString`` lines);
* :mod:`.pythia`: one PYTHIA run, one shard (:func:`generate_shard`), in batches;
* :mod:`.extraction`: the mesons of a ``Pythia.nextBatch`` result, vectorised;
* :mod:`.samples`: the ROOT sample format, written and read (:func:`load_meson_sample`, :func:`read_metadata`);
* :mod:`.merge`: merging shards (:func:`merge_shards`);
* :mod:`.multiplicities`: PYTHIA's mesons per pp interaction beside Table 1, and an experiment's generated f_M;
* :mod:`.store`: where the samples live (the workflow's content-addressed files, the command line's cache);
* :mod:`.preparation`: loading an experiment's samples, hemisphere folding, importance thinning;
* :mod:`.source`: :class:`~.source.MesonBeamSource`, the :class:`darkreach.production.ProductionSource` of
  ``fixed_target`` and ``collider`` beams.

The PYTHIA-side names are imported lazily so that reading samples does not require ``pythia8mc``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from darkreach.production.meson_beams.merge import merge_shards
from darkreach.production.meson_beams.multiplicities import (
    multiplicity_table,
    read_multiplicity_csv,
    write_multiplicity_csv,
)
from darkreach.production.meson_beams.samples import MesonSample, load_meson_sample, read_metadata
from darkreach.production.meson_beams.settings import GeneratorSettings, pythia_settings, settings_from_config

if TYPE_CHECKING:
    from darkreach.production.meson_beams.pythia import generate_shard

__all__ = [
    "GeneratorSettings",
    "MesonSample",
    "generate_shard",
    "load_meson_sample",
    "merge_shards",
    "multiplicity_table",
    "pythia_settings",
    "read_metadata",
    "read_multiplicity_csv",
    "settings_from_config",
    "write_multiplicity_csv",
]


def __getattr__(name: str) -> Any:
    if name == "generate_shard":
        from darkreach.production.meson_beams import pythia

        return pythia.generate_shard
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
