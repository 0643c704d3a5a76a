"""Generate Standard Model mesons with PYTHIA8 and store their lab four-momenta in ROOT files.

Paper 000, sec. 4.1, simulates the production of the neutral mesons of Table 1 in proton-proton
collisions with PYTHIA8 for the fixed-target experiments (NA62/HIKE, SHiP: 400 GeV protons on a target
at rest). This module runs that simulation, one *shard* (one seed) at a time (:func:`generate_shard`);
:mod:`.merge` merges shards, :mod:`.extraction` selects the mesons of a batch, :mod:`.samples` writes them.

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

import time
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from typing import Any

import numpy as np
import pythia8mc

from darkreach.production.meson_beams.extraction import Batch, select_instances, wanted_ids
from darkreach.production.meson_beams.samples import write_sample
from darkreach.production.meson_beams.settings import GeneratorSettings, pythia_settings
from darkreach.production.meson_beams.shards import check_lab_frame, package_version, shard_metadata, species_arrays

__all__ = ["BATCH_SIZE", "generate_shard"]

#: Events per ``Pythia.nextBatch`` call. A batch holds the full event records of its events (~7 kB per
#: SoftQCD event at 400 GeV, ~11 kB per Charmonium event, twice that while it is being converted), so
#: 2000 events keep the extraction's memory at a few tens of MB; larger batches are not faster.
BATCH_SIZE: int = 2000
#: ``nextBatch`` error mode: failed events are returned as None (counted), not silently skipped.
_ERROR_MODE = "none"


def _make_pythia(lines: Sequence[str]) -> Any:
    pythia = pythia8mc.Pythia("", False)
    for line in lines:
        if not pythia.readString(line):
            raise ValueError(f"PYTHIA rejected the setting {line!r}")
    if not hasattr(pythia, "nextBatch"):
        raise RuntimeError(
            f"pythia8mc {package_version('pythia8mc')} has no Pythia.nextBatch (awkward interface), "
            "which the meson extraction needs"
        )
    return pythia


def _pythia_version(pythia: Any) -> str:
    return f"{pythia.parm('Pythia:versionNumber'):.3f}"


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

    wanted = wanted_ids(settings.species)
    batches: list[Batch] = []
    max_failures = 10 + n_events
    n_failed = n_accepted = 0
    while n_accepted < n_events:
        n_try = min(batch_size, n_events - n_accepted)
        raw = pythia.nextBatch(n_try, _ERROR_MODE)
        if raw is None:
            raise RuntimeError(f"Pythia.nextBatch rejected errorMode {_ERROR_MODE!r}")
        batch = select_instances(raw, wanted)
        del raw  # the full event records: free them before the next batch is built
        if batch.n_accepted + batch.n_failed != n_try:
            raise RuntimeError(
                f"Pythia.nextBatch({n_try}) returned {batch.n_accepted} accepted and {batch.n_failed} failed events"
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


def generate_shard(
    settings: GeneratorSettings, n_events: int, seed: int, out_path: str | PathLike[str]
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
        PYTHIA seed in [:data:`darkreach.seeds.SEED_MIN`, :data:`darkreach.seeds.SEED_MAX`]; equal settings and seed give identical output arrays.
    out_path
        ROOT file to (over)write; parent directories are created. Written atomically.

    Returns
    -------
    dict
        The metadata stored in the file (see :mod:`.samples` for the layout).

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
    check_lab_frame(run.momenta, settings)
    arrays = species_arrays(run.ids, run.momenta, run.instance_weights, settings.species)

    metadata: dict[str, Any] = shard_metadata(settings, arrays)
    metadata.update(
        {
            "pythia_version": _pythia_version(run.pythia),
            "pythia8mc_version": package_version("pythia8mc"),
            "process": settings.process,
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
            "construct_seconds": run.construct_seconds,
            "init_seconds": run.init_seconds,
            "generation_seconds": run.loop_seconds,
            "extraction": "nextBatch",
            "batch_size": run.batch_size,
        }
    )
    write_sample(out_path, {key: [a] for key, a in arrays.items()}, metadata)
    return metadata
