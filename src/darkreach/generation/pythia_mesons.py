"""Generate Standard Model mesons with PYTHIA8 and store their lab four-momenta in ROOT files.

Paper 000, sec. 4.1, simulates the production of the neutral mesons of Table 1 in proton-proton
collisions with PYTHIA8 for the fixed-target experiments (NA62/HIKE, SHiP: 400 GeV protons on a target
at rest). This module runs that simulation, one *shard* (one seed) at a time, and merges shards.

Extraction method
-----------------
Looping over the event record in Python costs ~40% of the bare ``Pythia.next()`` rate. Instead a
:class:`pythia8mc.DecayHandler` is registered for the selected PDG ids: PYTHIA calls it once for every
decaying instance, with the lab four-momentum of the meson, and the handler returns ``False`` so that
PYTHIA performs the decay itself. Feed-down (``psi(2S) -> J/psi X``, ``eta' -> rho gamma`` ...) is
therefore included and carbon copies are never double counted. Consequences:

* only instances that *decay* are seen, so the selected species must be allowed to decay
  (checked after ``init``: ``mayDecay`` and ``HadronLevel:Decay``);
* when PYTHIA internally restarts an event after the decays (e.g. a failed ``Check:event``), the
  handler has seen the decays of the abandoned attempt too. This is detected by checking the first
  recorded instance against the final event record, and the event is then re-read from the record
  (rare; counted in the metadata as ``n_events_reread``).

Event weights: reading ``info.weight()`` costs a copy of PYTHIA's whole ``Info`` object per event
(4-6% of the event rate), so a run first assumes unit weights and checks at the end that PYTHIA's
``weightSum()`` equals the number of accepted events; if not (biased generation), the same seed is run
again reading every weight. Metadata ``weighted`` tells which case occurred.
"""

from __future__ import annotations

import array
import json
import math
import os
import platform
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

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
]

#: Supported beam configurations.
FRAMES: tuple[str, ...] = ("fixed_target",)
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
_N_FIELDS = 6  # per recorded instance: pdg id, event index, px, py, pz, E
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
        Proton beam energy in GeV (400 for the CERN SPS, paper 000 sec. 3).
    species
        Meson keys from :data:`darkreach.mesons.MESONS` to record.
    extra_settings
        Further ``Pythia.readString`` lines (tunes, ``PhaseSpace:pTHatMin``...), applied last.
    frame
        ``"fixed_target"``: beam along +z on a proton at rest, event record in the lab frame.
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
    if settings.frame != "fixed_target":  # GeneratorSettings already validates; kept for future frames
        raise ValueError(f"unsupported frame {settings.frame!r}")
    return [
        "Beams:frameType = 2",
        f"Beams:idA = {_PROTON}",
        f"Beams:idB = {_PROTON}",
        f"Beams:eA = {settings.beam_energy_gev!r}",
        "Beams:eB = 0.",
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


class _MesonRecorder(pythia8mc.DecayHandler):
    """Decay handler that records each decaying meson and lets PYTHIA decay it.

    Every call appends ``(pdg id, event index, px, py, pz, E)`` to the flat ``buffer``. Kept minimal:
    it runs once per meson instance, inside ``Pythia.next()``. ``Vec4`` components are read by index
    (0 = E, 1-3 = px, py, pz): the overloaded getters ``px()``... cost ~0.1 us more each in pybind.
    """

    def __init__(self) -> None:
        super().__init__()
        self.buffer = array.array("d")
        self._extend = self.buffer.extend

    def decay(self, idProd, mProd, pProd, iDec, event) -> bool:  # noqa: N803 (PYTHIA's names)
        p = pProd[0]
        self._extend((idProd[0], iDec, p[1], p[2], p[3], p[0]))
        return False


def _record_is_stale(event: Any, buffer: array.array, start: int) -> bool:
    """True if the first instance recorded for this event is not in the final event record.

    That happens only when PYTHIA abandoned an attempt after some decays and regenerated the event.
    """
    i_dec = int(buffer[start + 1])
    if i_dec >= event.size():
        return True
    particle = event[i_dec]
    return abs(particle.id()) != abs(int(buffer[start])) or particle.e() != buffer[start + 5]


def decays_from_record(event: Any, pdgids: Iterable[int]) -> list[float]:
    """Instances of ``pdgids`` that decayed in a finished event, read from the event record.

    Uses the same definition as the decay handler: the last carbon copy (``iBotCopyId() == i``) with a
    negative (decayed) status. Returns the flat ``(id, index, px, py, pz, E)`` list. Slow (a Python loop
    over the record); used only for events PYTHIA regenerated internally, and by the tests.
    """
    wanted = {abs(p) for p in pdgids}
    out: list[float] = []
    for i in range(event.size()):
        particle = event[i]
        if abs(particle.id()) in wanted and particle.status() < 0 and particle.iBotCopyId() == i:
            out.extend((particle.id(), i, particle.px(), particle.py(), particle.pz(), particle.e()))
    return out


def _make_pythia(lines: Sequence[str]) -> Any:
    pythia = pythia8mc.Pythia("", False)
    for line in lines:
        if not pythia.readString(line):
            raise ValueError(f"PYTHIA rejected the setting {line!r}")
    return pythia


def _check_decays_enabled(pythia: Any, settings: GeneratorSettings) -> None:
    """The decay handler only sees decaying instances: make sure the species do decay."""
    for switch in ("HadronLevel:all", "HadronLevel:Decay"):
        if not pythia.flag(switch):
            raise ValueError(f"{switch} is off: the selected mesons would not decay and would not be recorded")
    tau0_max = pythia.parm("ParticleDecays:tau0Max") if pythia.flag("ParticleDecays:limitTau0") else math.inf
    for key in settings.species:
        pdgid = MESONS[key].pdgid
        if not pythia.particleData.mayDecay(pdgid):
            raise ValueError(f"{key} (PDG {pdgid}) has mayDecay = off; instances would not be recorded")
        if pythia.particleData.tau0(pdgid) > tau0_max:
            raise ValueError(f"{key} (PDG {pdgid}) has tau0 above ParticleDecays:tau0Max; it would not decay")


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
    table: np.ndarray  # (N, 6): pdg id, event index, px, py, pz, E
    instance_weights: np.ndarray  # (N,)
    sum_weights: float
    n_failed: int
    n_reread: int
    init_seconds: float
    loop_seconds: float


def _run_events(
    settings: GeneratorSettings, n_events: int, seed: int, read_weights: bool
) -> _Run:
    """Initialise PYTHIA with the recorder and run until ``n_events`` events are accepted.

    With ``read_weights`` false every event weight is taken to be 1 (``Pythia.infoPython()`` copies
    the whole ``Info`` object, 8-25 us per event); the caller verifies this afterwards.
    """
    lines = pythia_settings(settings, seed)
    pythia = _make_pythia(lines)
    recorder = _MesonRecorder()
    pdgids = sorted({abs(p) for key in settings.species for p in _species_pdgids(key)})
    if not pythia.setDecayPtr(recorder, pdgids):
        raise RuntimeError("Pythia.setDecayPtr refused the meson decay handler")
    t_init = time.perf_counter()
    if not pythia.init():
        raise RuntimeError(f"Pythia.init() failed for process {settings.process!r}; settings: {lines}")
    _check_decays_enabled(pythia, settings)
    t_loop = time.perf_counter()

    buffer = recorder.buffer
    per_event_counts = array.array("q")
    event_weights = array.array("d")
    next_event = pythia.next
    info = pythia.infoPython
    max_failures = 10 + n_events
    n_failed = n_reread = n_accepted = 0
    while n_accepted < n_events:
        start = len(buffer)
        if not next_event():
            del buffer[start:]  # instances of an event PYTHIA gave up on
            n_failed += 1
            if n_failed > max_failures:
                raise RuntimeError(
                    f"Pythia.next() failed {n_failed} times for {n_accepted} accepted events; "
                    "check the settings (errors are listed by Pythia.stat())"
                )
            continue
        if len(buffer) > start and _record_is_stale(pythia.event, buffer, start):
            del buffer[start:]
            buffer.extend(decays_from_record(pythia.event, pdgids))
            n_reread += 1
        if read_weights:
            per_event_counts.append((len(buffer) - start) // _N_FIELDS)
            event_weights.append(info().weight())
        n_accepted += 1
    loop_seconds = time.perf_counter() - t_loop

    table = np.array(buffer, dtype=np.float64).reshape(-1, _N_FIELDS)
    if read_weights:
        event_w = np.array(event_weights, dtype=np.float64)
        instance_w = np.repeat(event_w, np.array(per_event_counts, dtype=np.int64))
        sum_weights = float(event_w.sum())
    else:
        instance_w = np.ones(table.shape[0])
        sum_weights = float(n_events)
    return _Run(pythia, table, instance_w, sum_weights, n_failed, n_reread, t_loop - t_init, loop_seconds)


def _check_lab_frame(table: np.ndarray, settings: GeneratorSettings) -> None:
    """Guard against a wrong frame: no meson can carry more than the total lab energy, and the
    fixed-target boost makes the large majority of them move along the beam (+z)."""
    if table.shape[0] == 0:
        return
    e_max = float(table[:, 5].max())
    if e_max > settings.beam_energy_gev + _PROTON_MASS_GEV + 1e-6:
        raise RuntimeError(f"meson energy {e_max} GeV exceeds the lab energy: event record not in the lab frame")
    if table.shape[0] >= 100 and np.mean(table[:, 4] > 0.0) < 0.5:
        raise RuntimeError("most mesons have pz < 0: the beam is not along +z in the event record")


def _species_arrays(
    table: np.ndarray, weights: np.ndarray, species: Sequence[str]
) -> dict[str, dict[str, np.ndarray]]:
    ids = table[:, 0].astype(np.int64)
    out = {}
    for key in species:
        mask = np.isin(ids, _species_pdgids(key))
        rows = table[mask]
        out[key] = {
            "px": np.ascontiguousarray(rows[:, 2]),
            "py": np.ascontiguousarray(rows[:, 3]),
            "pz": np.ascontiguousarray(rows[:, 4]),
            "E": np.ascontiguousarray(rows[:, 5]),
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
        For a bad seed or event count, a setting PYTHIA rejects, or settings that stop the selected
        mesons from decaying (they would be invisible to the decay handler).
    RuntimeError
        If PYTHIA fails to initialise or ``next()`` fails more often than it succeeds.
    """
    if isinstance(n_events, bool) or not isinstance(n_events, (int, np.integer)) or n_events < 1:
        raise ValueError(f"n_events must be a positive integer, got {n_events!r}")
    lines = pythia_settings(settings, seed)
    run = _run_events(settings, int(n_events), seed, read_weights=False)
    info = run.pythia.infoPython()  # a snapshot: take it after the run
    weighted = info.weightSum() != float(n_events)
    if weighted:  # biased generation: same seed again, reading every event weight
        run = _run_events(settings, int(n_events), seed, read_weights=True)
        info = run.pythia.infoPython()
    _check_lab_frame(run.table, settings)
    arrays = _species_arrays(run.table, run.instance_weights, settings.species)

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
        "n_events_reread": int(run.n_reread),
        "weighted": bool(weighted),
        "sum_weights": run.sum_weights,
        "sigma_gen_mb": float(info.sigmaGen()),
        "sigma_err_mb": float(info.sigmaErr()),
        "counts": {key: int(a["px"].size) for key, a in arrays.items()},
        "weight_sums": {key: float(a["weight"].sum()) for key, a in arrays.items()},
        "init_seconds": run.init_seconds,
        "generation_seconds": run.loop_seconds,
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
