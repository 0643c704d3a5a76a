"""Selecting meson instances from a ``Pythia.nextBatch`` result (awkward arrays), vectorised over the batch.

The rules (module docstring of :mod:`.pythia`): every instance of a wanted species in the final event record
is kept, whatever its status; an entry whose single daughter is a carbon copy of itself is skipped, so each
physical particle counts once, as its bottom copy; instances keep event order, and within an event the
event-record order; each instance carries the nominal weight of its event. Failed events (``errorMode =
"none"``) appear as None and are counted. No PYTHIA import: the selection runs on any array of that layout.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import awkward as ak
import numpy as np
from particle import Particle

from darkreach.mesons import MESONS

__all__ = ["Batch", "select_instances", "species_pdgids", "wanted_ids"]


@cache
def species_pdgids(key: str) -> tuple[int, ...]:
    """PDG id of ``key`` and, if different, of its antiparticle."""
    pdgid = MESONS[key].pdgid
    anti = int(Particle.from_pdgid(pdgid).invert().pdgid)
    return (pdgid,) if anti == pdgid else (pdgid, anti)


def wanted_ids(species: Iterable[str]) -> np.ndarray:
    """Sorted absolute PDG ids of ``species`` (particles and antiparticles)."""
    return np.array(sorted({abs(p) for key in species for p in species_pdgids(key)}), dtype=np.int32)


@dataclass
class Batch:
    """Mesons selected from one ``nextBatch`` result."""

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


def select_instances(batch: Any, pdgids: Iterable[int]) -> Batch:
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
    return Batch(
        n_accepted=n_accepted,
        n_failed=n_failed,
        ids=ids[keep].astype(np.int64),
        momenta=momenta,
        instance_weights=event_weights[keep_event],
        event_weights=event_weights,
    )
