"""Where meson samples live: the workflow's content-addressed files, and the command line's cache.

* The workflow writes the merged sample of generator ``g`` of beam ``b`` to
  ``<results>/mesons/<b>/<g>-<hash>.root`` (:func:`meson_sample_path`), the hash being that of the settings that
  generate it (:func:`darkreach.config.slices.sample_id`, kept in :attr:`darkreach.config.BeamSpec.sample_ids`), and PYTHIA's multiplicities of the beam to
  ``<results>/mesons/<b>/multiplicities-<hash>.csv`` (:func:`multiplicity_table_path`). The rules
  (``workflow/rules/common.smk``) name their outputs with these functions, so the command line finds them.
* ``darkreach reach`` (:func:`ensure_samples`) reads the workflow's samples when they exist and otherwise
  generates small ones into ``<results>/cli_cache/mesons/<b>/<g>-seed<seed>-n<events>.root``, reused by later
  calls with the same seed and size; a generator with a ``tail_stratum`` gets it too, scaled to the same ratio of
  tail to nominal events (``<g>-seed<seed>-n<events>-tail<n>-p<cut>.root``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from darkreach.config.specs import BeamSpec

from darkreach.production.meson_beams.engines import engine_of

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


def meson_sample_path(results_dir: str | Path, beam: BeamSpec, generator: str) -> Path:
    """Where the workflow writes the merged sample of ``generator`` of ``beam``:
    ``<results>/mesons/<beam>/<generator>-<hash>.root``, the hash being that of the settings that generate it
    (:attr:`darkreach.config.BeamSpec.sample_ids`), so samples of different settings never share a path."""
    return Path(results_dir) / "mesons" / beam.name / f"{beam.sample_id(generator)}.root"


def multiplicity_table_path(results_dir: str | Path, beam: BeamSpec) -> Path:
    """Where the workflow writes PYTHIA's multiplicities of ``beam``: ``<results>/mesons/<beam>/
    multiplicities-<hash>.csv``, the hash being that of the beam's sample ids."""
    if not beam.samples_id:
        raise KeyError(f"beam {beam.name!r} has no sample-set id (known to a whole RunConfig only)")
    return Path(results_dir) / "mesons" / beam.name / f"multiplicities-{beam.samples_id}.csv"


def cli_cache_path(results_dir: str | Path, beam: str, generator: str, seed: int, n_events: int) -> Path:
    """The command line's own sample of ``generator`` for ``beam``: ``<results>/cli_cache/mesons/<beam>/
    <generator>-seed<seed>-n<n_events>.root``."""
    return Path(results_dir) / "cli_cache" / "mesons" / beam / f"{generator}-seed{seed}-n{n_events}.root"


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def ensure_samples(
    beam: BeamSpec,
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
    files: dict[str, Path] = {}
    for generator in beam.needed_generators(species):
        gen = beam.generators[generator]
        path = meson_sample_path(results, beam, generator)
        if path.is_file():
            files[generator] = path
            continue
        engine = engine_of(gen.entry())
        what = gen.process if engine.takes_process and gen.process is not None else engine.name
        n = sample_events or CLI_SAMPLE_EVENTS[what]
        cached = cli_cache_path(results, beam.name, generator, seed, n)
        if not cached.is_file():
            from darkreach.production.meson_beams.engines import generate_shard

            log(
                f"darkreach: no meson sample at {path}; generating {n} {what} events for beam {beam.name!r} "
                f"(later calls reuse {cached})"
            )
            cached.parent.mkdir(parents=True, exist_ok=True)
            settings = beam.generator_settings(generator)
            t0 = time.perf_counter()
            tmp = cached.with_suffix(".tmp.root")
            generate_shard(settings, n, derive_seed(seed, "cli", beam.name, generator), tmp)
            tmp.replace(cached)
            log(f"darkreach: generated {cached.name} in {time.perf_counter() - t0:.1f} s")
        files[generator] = (
            cached if gen.tail_stratum is None else _cli_stratified(beam, generator, cached, n, seed, log)
        )
    return files


def _cli_stratified(
    beam: BeamSpec, generator: str, nominal: Path, n: int, seed: int, log: Callable[[str], None]
) -> Path:
    """The CLI sample ``nominal`` (``n`` events) with the generator's tail stratum, scaled to the same ratio
    N_tail / N_nom as the workflow's: one tail shard of ``round(n N_tail / N_nom)`` events (own seed), merged with
    the stratified weights (:mod:`darkreach.production.meson_beams.stratum`); cached beside ``nominal``."""
    from darkreach.production.meson_beams.merge import merge_stratified
    from darkreach.production.meson_beams.stratum import generate_tail_shard
    from darkreach.seeds import derive_seed

    gen = beam.generators[generator]
    stratum = gen.tail_stratum
    assert stratum is not None
    n_tail = max(1, round(n * stratum.n_events / (gen.events_per_shard * gen.shards)))
    p_cut = stratum.min_momentum_gev
    out = nominal.with_name(f"{nominal.stem}-tail{n_tail}-p{p_cut:g}.root")
    if out.is_file():
        return out
    log(f"darkreach: generating the tail stratum of {generator!r}: {n_tail} events, mesons with |p| > {p_cut:g} GeV")
    t0 = time.perf_counter()
    shard = out.with_suffix(".shard.root")
    tail_seed = derive_seed(seed, "cli-tail", beam.name, generator)
    generate_tail_shard(beam.generator_settings(generator), n_tail, tail_seed, p_cut, shard)
    merge_stratified([nominal], [shard], out)
    shard.unlink()
    log(f"darkreach: generated {out.name} in {time.perf_counter() - t0:.1f} s")
    return out
