"""Generate Standard Model mesons with PYTHIA8 and store their lab four-momenta in ROOT files.

Paper 000, sec. 4.1, simulates the production of the neutral mesons of Table 1 in proton-proton
collisions with PYTHIA8 for the fixed-target experiments (NA62/HIKE, SHiP: 400 GeV protons on a target
at rest). This module runs that simulation, one *shard* (one seed) at a time, and merges shards.

Extraction method
-----------------
Looping over the event record in Python costs ~40% of the bare ``Pythia.next()`` rate. Instead events
are generated in batches with ``Pythia.nextBatch`` (pythia8mc's awkward-array interface: the C++ side
calls ``next()`` and copies each final event record into columnar buffers), and the mesons are selected
from the whole batch at once with numpy:

* every instance of a species in the final event record is recorded, whatever its status: feed-down
  (``psi(2S) -> J/psi X``, ``eta' -> rho gamma`` ...) is included, and so are instances that do not
  decay (``mayDecay = off``, ``tau0Max`` ...), which appear as final-state particles;
* each physical particle is counted once: an entry whose single daughter is a carbon copy of itself
  (``daughter1 == daughter2 > 0`` and the daughter has the same id) is skipped, i.e. only the bottom
  copy of a chain of copies is kept;
* instances are stored in event order, and within an event in event-record order;
* ``nextBatch`` runs with ``errorMode = "none"``: a failed ``next()`` appears as a missing event, is
  counted in the metadata ``n_failed`` and retried in the next batch, so exactly ``n_events`` events are
  accepted. The sequence of ``next()`` calls, hence the random stream and the output, is the same as
  that of a plain ``while accepted < n_events: pythia.next()`` loop and does not depend on the batch
  size;
* since only finished events are read, PYTHIA's internal restarts of an event are invisible (metadata
  ``n_events_reread`` is kept for the file format and is always 0).

Event weights are read for every event (``info.weights``, whose first entry is the nominal weight);
each instance carries its event's weight, and the metadata flag ``weighted`` tells whether any event
weight differed from 1.
"""

from __future__ import annotations

import json
import math
import os
import platform
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import awkward as ak
import numpy as np
import pythia8mc
import uproot
from particle import Particle

import darkreach
from darkreach.generation.samples import (
    BRANCHES,
    METADATA_KEY,
    open_root,
    read_metadata,
    read_species_arrays,
)
from darkreach.mesons import MESONS

__all__ = [
    "FRAMES",
    "SEED_MAX",
    "SEED_MIN",
    "GeneratorSettings",
    "generate_shard",
    "merge_shards",
    "pythia_settings",
    "read_metadata",
    "settings_from_config",
]

#: Supported beam configurations: a proton beam on a proton at rest (lab frame = target frame), or
#: symmetric proton-proton collisions (lab frame = CM frame, beam A along +z).
FRAMES: tuple[str, ...] = ("fixed_target", "collider")
#: PYTHIA's ``Random:seed`` accepts 0..900000000, but 0 means "seed from the clock" (not reproducible).
SEED_MIN: int = 1
SEED_MAX: int = 900_000_000
#: Version of the ROOT/metadata layout written here.
FORMAT_VERSION: int = 1
#: Basket compression. uproot's default ZLIB(1) costs ~6x more CPU than ZSTD(1) for a slightly larger
#: file (float64 momenta barely compress); ZSTD needs ROOT >= 6.20 to be read outside uproot.
COMPRESSION = uproot.ZSTD(1)
_PROTON = 2212
_PROTON_MASS_GEV = 0.93827208943
#: ``extra_settings`` may not touch what :func:`pythia_settings` fixes (lower-case prefixes).
_RESERVED_PREFIXES: tuple[str, ...] = ("beams:", "random:")
#: Events per ``Pythia.nextBatch`` call. A batch holds the full event records of its events (~7 kB per
#: SoftQCD event at 400 GeV, ~11 kB per Charmonium event, twice that while it is being converted), so
#: 2000 events keep the extraction's memory at a few tens of MB; larger batches are not faster.
BATCH_SIZE: int = 2000
#: ``nextBatch`` error mode: failed events are returned as None (counted), not silently skipped.
_ERROR_MODE = "none"
#: Metadata fields that must agree between shards for them to be merged.
_MERGE_KEYS: tuple[str, ...] = (
    "process",
    "beam_energy_gev",
    "species",
    "frame",
    "extra_settings",
    "pythia_version",
)


@dataclass(frozen=True)
class GeneratorSettings:
    """What to generate: one PYTHIA process for one beam.

    Attributes
    ----------
    process
        PYTHIA process switch, e.g. ``"SoftQCD:inelastic"``, ``"Charmonium:all"``, ``"Bottomonium:all"``.
    beam_energy_gev
        ``fixed_target``: proton beam energy in GeV (400 for the CERN SPS, paper 000 sec. 3);
        ``collider``: the centre-of-mass energy sqrt(s) in GeV (13600, 14000 at the LHC).
    species
        Meson keys from :data:`darkreach.mesons.MESONS` to record.
    extra_settings
        Further ``Pythia.readString`` lines (tunes, ``PhaseSpace:pTHatMin``...), applied last.
    frame
        ``"fixed_target"``: beam along +z on a proton at rest, event record in the lab frame;
        ``"collider"``: head-on pp collisions at ``beam_energy_gev`` = sqrt(s), beam A along +z, event
        record in the CM (= lab) frame.
    """

    process: str
    beam_energy_gev: float
    species: tuple[str, ...]
    extra_settings: tuple[str, ...] = ()
    frame: str = "fixed_target"

    def __post_init__(self) -> None:
        if isinstance(self.species, str):
            raise ValueError(f"species must be a sequence of keys, got the string {self.species!r}")
        object.__setattr__(self, "species", tuple(self.species))
        object.__setattr__(self, "extra_settings", tuple(self.extra_settings))
        if not self.process or "=" in self.process:
            raise ValueError(f"process must be a PYTHIA switch name like 'SoftQCD:inelastic', got {self.process!r}")
        if self.frame not in FRAMES:
            raise ValueError(f"unsupported frame {self.frame!r}; supported: {', '.join(FRAMES)}")
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
    ``generator`` holds ``process``, ``species`` and optional ``extra_settings``.
    """
    frame = beam["frame"]
    key = "sqrt_s_gev" if frame == "collider" else "energy_gev"
    if key not in beam:
        raise ValueError(f"a {frame} beam needs {key!r}; got keys {sorted(beam)}")
    return GeneratorSettings(
        process=generator["process"],
        beam_energy_gev=float(beam[key]),
        species=tuple(generator["species"]),
        extra_settings=tuple(generator.get("extra_settings", ())),
        frame=frame,
    )


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if not SEED_MIN <= seed <= SEED_MAX:
        raise ValueError(
            f"seed {seed} outside [{SEED_MIN}, {SEED_MAX}] (PYTHIA's Random:seed range; "
            "0 would mean a clock-based, irreproducible seed)"
        )
    return int(seed)


def pythia_settings(settings: GeneratorSettings, seed: int) -> list[str]:
    """Return the exact ``Pythia.readString`` lines for ``settings`` and ``seed``.

    Raises
    ------
    ValueError
        If ``seed`` is not an integer in [:data:`SEED_MIN`, :data:`SEED_MAX`].
    """
    seed = _check_seed(seed)
    if settings.frame == "fixed_target":
        beams = ["Beams:frameType = 2", f"Beams:eA = {settings.beam_energy_gev!r}", "Beams:eB = 0."]
    elif settings.frame == "collider":
        beams = ["Beams:frameType = 1", f"Beams:eCM = {settings.beam_energy_gev!r}"]
    else:  # GeneratorSettings already validates
        raise ValueError(f"unsupported frame {settings.frame!r}")
    return [
        beams[0],
        f"Beams:idA = {_PROTON}",
        f"Beams:idB = {_PROTON}",
        *beams[1:],
        f"{settings.process} = on",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "Next:numberCount = 0",
        "Print:quiet = on",
        *settings.extra_settings,
    ]


@lru_cache(maxsize=None)
def _species_pdgids(key: str) -> tuple[int, ...]:
    """PDG id of ``key`` and, if different, of its antiparticle."""
    pdgid = MESONS[key].pdgid
    anti = int(Particle.from_pdgid(pdgid).invert().pdgid)
    return (pdgid,) if anti == pdgid else (pdgid, anti)


def _wanted_ids(species: Iterable[str]) -> np.ndarray:
    """Sorted absolute PDG ids of ``species`` (particles and antiparticles)."""
    return np.array(sorted({abs(p) for key in species for p in _species_pdgids(key)}), dtype=np.int32)


def _make_pythia(lines: Sequence[str]) -> Any:
    pythia = pythia8mc.Pythia("", False)
    for line in lines:
        if not pythia.readString(line):
            raise ValueError(f"PYTHIA rejected the setting {line!r}")
    if not hasattr(pythia, "nextBatch"):
        raise RuntimeError(
            f"pythia8mc {_package_version('pythia8mc')} has no Pythia.nextBatch (awkward interface), "
            "which the meson extraction needs"
        )
    return pythia


@dataclass
class _Batch:
    """Mesons selected from one ``nextBatch`` result (internal)."""

    n_accepted: int
    n_failed: int
    ids: np.ndarray  # (N,) signed PDG id of each instance
    momenta: np.ndarray  # (N, 4): px, py, pz, E
    instance_weights: np.ndarray  # (N,) weight of the instance's event
    event_weights: np.ndarray  # (n_accepted,) nominal weight of each accepted event


def _numpy(layout: ak.contents.Content) -> np.ndarray:
    if isinstance(layout, ak.contents.NumpyArray):
        return np.asarray(layout.data)
    return ak.to_numpy(ak.Array(layout))


def _accepted_events(batch: Any) -> tuple[ak.contents.Content, int]:
    """The records of the accepted events of a ``nextBatch`` result, and the number of failed events.

    With ``errorMode = "none"`` the result is an option array in which failed events are None; the
    accepted events are then, in order, the option array's content (no copy is made in that case).
    """
    layout = ak.to_layout(batch)
    n_failed = 0
    if layout.is_option:
        option = layout.to_IndexedOptionArray64()
        index = np.asarray(option.index)
        valid = index >= 0
        n_valid = int(np.count_nonzero(valid))
        n_failed = int(index.size - n_valid)
        if option.content.length >= n_valid and np.array_equal(index[valid], np.arange(n_valid)):
            layout = option.content[:n_valid]
        else:  # not the layout nextBatch builds; general but copying
            layout = option.project()
    if isinstance(layout, ak.contents.IndexedArray):
        layout = layout.project()
    return layout, n_failed


def _select_instances(batch: Any, pdgids: Iterable[int]) -> _Batch:
    """Select the instances of ``pdgids`` (either sign) from a ``Pythia.nextBatch`` result.

    An entry of the event record is counted unless its only daughter is a carbon copy of it
    (``daughter1 == daughter2 > 0`` and the daughter has the same signed id): each particle is counted
    once, as its bottom copy, whether it decayed or not. Vectorised over the whole batch: daughter
    indices are local to an event, so ``event offset + daughter1`` indexes the flattened particles.
    """
    wanted = np.unique(np.abs(np.asarray(list(pdgids), dtype=np.int64)))
    events, n_failed = _accepted_events(batch)
    n_accepted = int(events.length)

    prt = events.content("prt").to_ListOffsetArray64(True)
    offsets = np.asarray(prt.offsets)
    particles = prt.content
    ids = _numpy(particles.content("id"))[: offsets[-1]]
    abs_ids = np.abs(ids)
    mask = abs_ids == wanted[0]
    for pdgid in wanted[1:]:
        mask |= abs_ids == pdgid
    candidates = np.flatnonzero(mask)
    event_of = np.searchsorted(offsets, candidates, side="right") - 1
    daughter1 = _numpy(particles.content("daughter1"))[candidates]
    daughter2 = _numpy(particles.content("daughter2"))[candidates]
    single = np.flatnonzero((daughter1 == daughter2) & (daughter1 > 0))
    is_copy = np.zeros(candidates.size, dtype=bool)
    is_copy[single] = ids[offsets[event_of[single]] + daughter1[single]] == ids[candidates[single]]
    keep = candidates[~is_copy]
    keep_event = event_of[~is_copy]

    p = particles.content("p")
    momenta = np.empty((keep.size, 4), dtype=np.float64)
    for column, name in enumerate(("px", "py", "pz", "e")):
        momenta[:, column] = _numpy(p.content(name))[keep]

    weights = events.content("info").content("weights").to_ListOffsetArray64(True)
    weight_offsets = np.asarray(weights.offsets)
    if n_accepted and np.any(weight_offsets[1:] == weight_offsets[:-1]):
        raise RuntimeError("PYTHIA returned an event without weights (info.weights is empty)")
    event_weights = _numpy(weights.content)[weight_offsets[:-1]].astype(np.float64, copy=True)
    return _Batch(
        n_accepted=n_accepted,
        n_failed=n_failed,
        ids=ids[keep].astype(np.int64),
        momenta=momenta,
        instance_weights=event_weights[keep_event],
        event_weights=event_weights,
    )


def _pythia_version(pythia: Any) -> str:
    return f"{pythia.parm('Pythia:versionNumber'):.3f}"


def _package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


@dataclass
class _Run:
    """Outcome of one PYTHIA run (internal)."""

    pythia: Any
    ids: np.ndarray  # (N,) signed PDG ids
    momenta: np.ndarray  # (N, 4): px, py, pz, E
    instance_weights: np.ndarray  # (N,)
    event_weights: np.ndarray  # (n_events,)
    n_failed: int
    batch_size: int
    construct_seconds: float
    init_seconds: float
    loop_seconds: float


def _run_events(settings: GeneratorSettings, n_events: int, seed: int, batch_size: int | None = None) -> _Run:
    """Initialise PYTHIA and generate batches until ``n_events`` events are accepted.

    Each ``nextBatch(n)`` call makes exactly ``n`` calls to ``next()``; the failed ones are retried in the
    next batch, so the sequence of ``next()`` calls is that of a plain loop, whatever ``batch_size``.
    """
    batch_size = BATCH_SIZE if batch_size is None else int(batch_size)
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    lines = pythia_settings(settings, seed)
    t_construct = time.perf_counter()
    pythia = _make_pythia(lines)  # reads PYTHIA's XML settings and particle data (~0.15 s)
    t_init = time.perf_counter()
    if not pythia.init():
        raise RuntimeError(f"Pythia.init() failed for process {settings.process!r}; settings: {lines}")
    t_loop = time.perf_counter()

    wanted = _wanted_ids(settings.species)
    batches: list[_Batch] = []
    max_failures = 10 + n_events
    n_failed = n_accepted = 0
    while n_accepted < n_events:
        n_try = min(batch_size, n_events - n_accepted)
        raw = pythia.nextBatch(n_try, _ERROR_MODE)
        if raw is None:
            raise RuntimeError(f"Pythia.nextBatch rejected errorMode {_ERROR_MODE!r}")
        batch = _select_instances(raw, wanted)
        del raw  # the full event records: free them before the next batch is built
        if batch.n_accepted + batch.n_failed != n_try:
            raise RuntimeError(
                f"Pythia.nextBatch({n_try}) returned {batch.n_accepted} accepted and {batch.n_failed} "
                "failed events"
            )
        batches.append(batch)
        n_accepted += batch.n_accepted
        n_failed += batch.n_failed
        if n_failed > max_failures:
            raise RuntimeError(
                f"Pythia.next() failed {n_failed} times for {n_accepted} accepted events; "
                "check the settings (errors are listed by Pythia.stat())"
            )
    loop_seconds = time.perf_counter() - t_loop
    return _Run(
        pythia=pythia,
        ids=np.concatenate([b.ids for b in batches]),
        momenta=np.concatenate([b.momenta for b in batches]),
        instance_weights=np.concatenate([b.instance_weights for b in batches]),
        event_weights=np.concatenate([b.event_weights for b in batches]),
        n_failed=n_failed,
        batch_size=batch_size,
        construct_seconds=t_init - t_construct,
        init_seconds=t_loop - t_init,
        loop_seconds=loop_seconds,
    )


def _check_lab_frame(momenta: np.ndarray, settings: GeneratorSettings) -> None:
    """Guard against a wrong frame: no meson can carry more than the total lab energy; the
    fixed-target boost makes the large majority of them move along the beam (+z), while collider
    events populate both hemispheres."""
    if momenta.shape[0] == 0:
        return
    e_max = float(momenta[:, 3].max())
    if settings.frame == "collider":
        e_lab = settings.beam_energy_gev
    else:
        e_lab = settings.beam_energy_gev + _PROTON_MASS_GEV
    if e_max > e_lab + 1e-6:
        raise RuntimeError(f"meson energy {e_max} GeV exceeds the lab energy: event record not in the lab frame")
    if settings.frame == "fixed_target" and momenta.shape[0] >= 100 and np.mean(momenta[:, 2] > 0.0) < 0.5:
        raise RuntimeError("most mesons have pz < 0: the beam is not along +z in the event record")


def _species_arrays(
    ids: np.ndarray, momenta: np.ndarray, weights: np.ndarray, species: Sequence[str]
) -> dict[str, dict[str, np.ndarray]]:
    out = {}
    for key in species:
        mask = np.isin(ids, _species_pdgids(key))
        rows = momenta[mask]
        out[key] = {
            "px": np.ascontiguousarray(rows[:, 0]),
            "py": np.ascontiguousarray(rows[:, 1]),
            "pz": np.ascontiguousarray(rows[:, 2]),
            "E": np.ascontiguousarray(rows[:, 3]),
            "weight": np.ascontiguousarray(weights[mask]),
        }
    return out


def _write_root(
    out_path: str | os.PathLike[str],
    chunks: dict[str, Iterable[dict[str, np.ndarray]]],
    metadata: dict[str, Any],
) -> None:
    """Write one TTree per species (filled chunk by chunk) and the metadata, atomically."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    os.close(fd)
    try:
        with uproot.recreate(tmp_name, compression=COMPRESSION) as file:
            for key, species_chunks in chunks.items():
                # mktree + extend: assigning a dict would write an RNTuple with uproot >= 5.6
                tree = file.mktree(key, {b: np.float64 for b in BRANCHES})
                for chunk in species_chunks:
                    if len(chunk["px"]):
                        tree.extend({b: chunk[b] for b in BRANCHES})
            file[METADATA_KEY] = json.dumps(metadata, sort_keys=True)
        os.replace(tmp_name, out_path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def generate_shard(
    settings: GeneratorSettings, n_events: int, seed: int, out_path: str | os.PathLike[str]
) -> dict[str, Any]:
    """Generate ``n_events`` accepted PYTHIA events and write the selected mesons to ``out_path``.

    Parameters
    ----------
    settings
        Process, beam energy and species (see :class:`GeneratorSettings`).
    n_events
        Number of accepted events; failed ``next()`` calls are retried and counted as ``n_failed``
        (PYTHIA's ``sigmaGen`` already accounts for them).
    seed
        PYTHIA seed in [1, 900000000]; equal settings and seed give identical output arrays.
    out_path
        ROOT file to (over)write; parent directories are created. Written atomically.

    Returns
    -------
    dict
        The metadata stored in the file (see :mod:`darkreach.generation.samples` for the layout).

    Raises
    ------
    ValueError
        For a bad seed or event count, or a setting PYTHIA rejects.
    RuntimeError
        If PYTHIA fails to initialise or ``next()`` fails more often than it succeeds.
    """
    if isinstance(n_events, bool) or not isinstance(n_events, (int, np.integer)) or n_events < 1:
        raise ValueError(f"n_events must be a positive integer, got {n_events!r}")
    lines = pythia_settings(settings, seed)
    run = _run_events(settings, int(n_events), seed)
    info = run.pythia.infoPython()  # a snapshot: take it after the run
    weighted = bool(np.any(run.event_weights != 1.0))
    _check_lab_frame(run.momenta, settings)
    arrays = _species_arrays(run.ids, run.momenta, run.instance_weights, settings.species)

    metadata: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "generator": "pythia8",
        "pythia_version": _pythia_version(run.pythia),
        "pythia8mc_version": _package_version("pythia8mc"),
        "darkreach_version": darkreach.__version__,
        "process": settings.process,
        "beam_energy_gev": float(settings.beam_energy_gev),
        "frame": settings.frame,
        "species": list(settings.species),
        "extra_settings": list(settings.extra_settings),
        "settings": lines,
        "seed": int(seed),
        "seeds": [int(seed)],
        "n_events": int(n_events),
        "n_failed": int(run.n_failed),
        "n_events_reread": 0,  # batch extraction reads finished events only (kept for the format)
        "weighted": weighted,
        "sum_weights": float(run.event_weights.sum()),
        "sigma_gen_mb": float(info.sigmaGen()),
        "sigma_err_mb": float(info.sigmaErr()),
        "counts": {key: int(a["px"].size) for key, a in arrays.items()},
        "weight_sums": {key: float(a["weight"].sum()) for key, a in arrays.items()},
        "construct_seconds": run.construct_seconds,
        "init_seconds": run.init_seconds,
        "generation_seconds": run.loop_seconds,
        "extraction": "nextBatch",
        "batch_size": run.batch_size,
        "host": platform.node(),
    }
    _write_root(out_path, {key: [a] for key, a in arrays.items()}, metadata)
    return metadata


def _check_mergeable(metas: Sequence[dict[str, Any]], paths: Sequence[str]) -> None:
    for key in _MERGE_KEYS:
        values = {json.dumps(m.get(key), sort_keys=True) for m in metas}
        if len(values) > 1:
            detail = "; ".join(f"{p}: {m.get(key)!r}" for p, m in zip(paths, metas))
            raise ValueError(f"cannot merge shards with different {key}: {detail}")
    seen: dict[int, str] = {}
    for path, meta in zip(paths, metas):
        for seed in meta.get("seeds", [meta.get("seed")]):
            if seed in seen:
                raise ValueError(
                    f"seed {seed} appears in both {seen[seed]} and {path}: merging would duplicate events"
                )
            seen[seed] = path


def merge_shards(paths: Sequence[str | os.PathLike[str]], out_path: str | os.PathLike[str]) -> dict[str, Any]:
    """Concatenate shards of the same generation into one ROOT file.

    ``n_events``, ``n_failed``, counts and weight sums add up; the cross section is the
    ``n_events``-weighted mean of the shards' ``sigma_gen_mb``, with error
    ``sqrt(sum (n_i err_i)^2) / sum n_i``. Per-shard seeds and statistics are kept in the metadata
    (``seeds`` and ``shards``). Merged files can be merged again.

    Raises
    ------
    ValueError
        If ``paths`` is empty, or the shards differ in process, beam energy, species, frame, extra
        settings or PYTHIA version, or share a seed (the message names the files).
    FileNotFoundError
        If a shard is missing.
    """
    paths = [str(p) for p in paths]
    if not paths:
        raise ValueError("merge_shards needs at least one shard path")
    if len(set(paths)) != len(paths):
        raise ValueError(f"shard paths listed more than once: {sorted(p for p in set(paths) if paths.count(p) > 1)}")
    metas = [read_metadata(p) for p in paths]
    _check_mergeable(metas, paths)
    first = metas[0]
    species: list[str] = list(first["species"])

    n = np.array([m["n_events"] for m in metas], dtype=np.float64)
    sigma = np.array([m["sigma_gen_mb"] for m in metas], dtype=np.float64)
    sigma_err = np.array([m["sigma_err_mb"] for m in metas], dtype=np.float64)
    n_total = float(n.sum())
    shards: list[dict[str, Any]] = []
    for path, meta in zip(paths, metas):
        shards.extend(
            meta.get("shards")
            or [
                {
                    "path": path,
                    "seed": meta.get("seed"),
                    "n_events": meta["n_events"],
                    "n_failed": meta["n_failed"],
                    "sigma_gen_mb": meta["sigma_gen_mb"],
                    "sigma_err_mb": meta["sigma_err_mb"],
                }
            ]
        )
    metadata: dict[str, Any] = {key: first[key] for key in first if key not in ("seed", "host", "shards")}
    metadata.update(
        {
            "settings": [line for line in first["settings"] if not line.startswith("Random:seed")],
            "seed": None,
            "seeds": [s for m in metas for s in m.get("seeds", [m.get("seed")])],
            "n_events": int(n_total),
            "n_failed": int(sum(m["n_failed"] for m in metas)),
            "n_events_reread": int(sum(m.get("n_events_reread", 0) for m in metas)),
            "weighted": any(m.get("weighted", False) for m in metas),
            "sum_weights": float(sum(m.get("sum_weights", m["n_events"]) for m in metas)),
            "sigma_gen_mb": float((n * sigma).sum() / n_total),
            "sigma_err_mb": float(np.sqrt(((n * sigma_err) ** 2).sum()) / n_total),
            "counts": {k: int(sum(m["counts"][k] for m in metas)) for k in species},
            "weight_sums": {k: float(sum(m["weight_sums"][k] for m in metas)) for k in species},
            "init_seconds": float(sum(m.get("init_seconds", 0.0) for m in metas)),
            "generation_seconds": float(sum(m.get("generation_seconds", 0.0) for m in metas)),
            "merged_from": paths,
            "shards": shards,
            "darkreach_version_merge": darkreach.__version__,
        }
    )

    def chunks(key: str) -> Iterable[dict[str, np.ndarray]]:
        for path, meta in zip(paths, metas):
            with open_root(path) as file:
                arrays = read_species_arrays(file, key, path)
            if arrays["px"].size != meta["counts"][key]:
                raise ValueError(
                    f"{path}: tree {key!r} has {arrays['px'].size} entries but its metadata says "
                    f"{meta['counts'][key]}; the shard is corrupt"
                )
            yield arrays

    _write_root(out_path, {key: chunks(key) for key in species}, metadata)
    return metadata
