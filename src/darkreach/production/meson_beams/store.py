"""Where meson samples live: the workflow's content-addressed files, and the command line's cache.

* The workflow writes the merged sample of generator ``g`` of beam ``b`` to
  ``<results>/mesons/<b>/<g>-<hash>.root`` (:func:`meson_sample_path`), the hash being that of the settings that
  generate it (:func:`darkreach.config.slices.sample_id`), and PYTHIA's multiplicities of the beam to
  ``<results>/mesons/<b>/multiplicities-<hash>.csv`` (:func:`multiplicity_table_path`). The rules
  (``workflow/rules/common.smk``) name their outputs with these functions, so the command line finds them.
* ``darkreach reach`` (:func:`ensure_samples`) reads the workflow's samples when they exist and otherwise
  generates small ones into ``<results>/cli_cache/mesons/<b>/<g>-seed<seed>-n<events>.root``, reused by later
  calls with the same seed and size.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from darkreach.production.meson_beams.engines import engine_of
from darkreach.production.meson_beams.preparation import needed_generators

__all__ = [
    "CLI_SAMPLE_EVENTS",
    "cli_cache_path",
    "ensure_samples",
    "meson_sample_path",
    "multiplicity_table_path",
]

#: Default sample sizes when ``reach`` must generate mesons itself (events per generator), by PYTHIA process, or by
#: engine for an engine without processes (SIBYLL).
CLI_SAMPLE_EVENTS: dict[str, int] = {
    "SoftQCD:inelastic": 20000,
    "Charmonium:all": 5000,
    "Bottomonium:all": 5000,
    "HardQCD:hardccbar": 5000,
    "HardQCD:hardbbbar": 5000,
    "sibyll23d": 20000,
}


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


def cli_cache_path(results_dir: str | Path, beam: str, generator: str, seed: int, n_events: int) -> Path:
    """The command line's own sample of ``generator`` for ``beam``: ``<results>/cli_cache/mesons/<beam>/
    <generator>-seed<seed>-n<n_events>.root``."""
    return Path(results_dir) / "cli_cache" / "mesons" / beam / f"{generator}-seed{seed}-n{n_events}.root"


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def ensure_samples(
    cfg: Mapping[str, Any],
    beam: str,
    species: Iterable[str],
    results_dir: str | Path,
    seed: int,
    sample_events: int | None = None,
    log: Callable[[str], None] = _stderr,
) -> dict[str, Path]:
    """Merged meson files of the generators of ``beam`` that make ``species`` (and of its minimum-bias
    generator): the workflow's if present, else generated into the CLI cache (``sample_events`` per
    generator, default :data:`CLI_SAMPLE_EVENTS`). Generation is announced through ``log``."""
    from darkreach.seeds import derive_seed

    results = Path(results_dir)
    bcfg = cfg["beams"][beam]
    files: dict[str, Path] = {}
    for generator in needed_generators(bcfg, species):
        gcfg = bcfg["generators"][generator]
        path = meson_sample_path(results, cfg, beam, generator)
        if path.is_file():
            files[generator] = path
            continue
        engine = engine_of(gcfg)
        what = gcfg["process"] if engine.takes_process else engine.name
        n = sample_events or CLI_SAMPLE_EVENTS[what]
        cached = cli_cache_path(results, beam, generator, seed, n)
        if not cached.is_file():
            from darkreach.production.meson_beams.engines import generate_shard
            from darkreach.production.meson_beams.settings import settings_from_config

            log(
                f"darkreach: no meson sample at {path}; generating {n} {what} events for beam {beam!r} "
                f"(later calls reuse {cached})"
            )
            cached.parent.mkdir(parents=True, exist_ok=True)
            settings = settings_from_config(bcfg, gcfg)
            t0 = time.perf_counter()
            tmp = cached.with_suffix(".tmp.root")
            generate_shard(settings, n, derive_seed(seed, "cli", beam, generator), tmp)
            tmp.replace(cached)
            log(f"darkreach: generated {cached.name} in {time.perf_counter() - t0:.1f} s")
        files[generator] = cached
    return files
