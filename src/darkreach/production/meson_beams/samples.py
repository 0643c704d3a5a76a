"""The meson sample format: ROOT files of lab-frame meson momenta and their JSON metadata, written and read.

Written by :func:`.pythia.generate_shard` and :func:`.merge.merge_shards` (through :func:`write_sample`), read
by the physics code. This module deliberately does not import PYTHIA, so that the physics code (and
environments without ``pythia8mc``) can load meson samples.

File layout (one file per shard, or per merged beam/process)
-------------------------------------------------------------
* one ``TTree`` per meson species, named by its key in :data:`darkreach.mesons.MESONS`, with float64
  branches ``px, py, pz, E, weight`` (lab frame, GeV; ``weight`` is PYTHIA's event weight);
* a ``TObjString`` named ``metadata`` holding a JSON object (PYTHIA version and settings, seeds, number
  of accepted events, generated cross section in mb, per-species counts...).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import uproot

#: Branches of every species tree, in order.
BRANCHES: tuple[str, ...] = ("px", "py", "pz", "E", "weight")
#: Name of the JSON ``TObjString`` holding the run metadata.
METADATA_KEY: str = "metadata"
#: Version of the ROOT/metadata layout written here.
FORMAT_VERSION: int = 1
#: Basket compression. uproot's default ZLIB(1) costs ~6x more CPU than ZSTD(1) for a slightly larger
#: file (float64 momenta barely compress); ZSTD needs ROOT >= 6.20 to be read outside uproot.
COMPRESSION = uproot.ZSTD(1)

_GENERATION_HINT = (
    "run the meson generation rule of the workflow "
    "(darkreach.production.meson_beams.generate_shard followed by merge_shards) to produce it"
)


@dataclass
class MesonSample:
    """Lab-frame momenta of every instance of one meson species in a generated sample.

    Attributes
    ----------
    species
        Key in :data:`darkreach.mesons.MESONS` (``"pi0"``, ``"jpsi"``...).
    momenta
        ``(N, 3)`` float64 array of ``(px, py, pz)`` in GeV, beam along +z.
    weights
        ``(N,)`` float64 array of PYTHIA event weights (1 for unbiased generation).
    n_events
        Number of accepted PYTHIA events the instances come from (the denominator of a multiplicity).
    sigma_gen_mb
        PYTHIA's estimate of the cross section of the generated process, in mb.
    metadata
        The full JSON metadata of the file.
    """

    species: str
    momenta: np.ndarray
    weights: np.ndarray
    n_events: int
    sigma_gen_mb: float
    metadata: dict[str, Any] = field(repr=False)

    def __len__(self) -> int:
        return int(self.momenta.shape[0])

    @property
    def multiplicity_per_event(self) -> float:
        """Weighted number of instances per accepted event of the generated process."""
        sum_weights = float(self.metadata.get("sum_weights", self.n_events))
        if sum_weights <= 0.0:
            raise ValueError(f"sample for {self.species!r} has no events (sum of weights {sum_weights})")
        return float(self.weights.sum()) / sum_weights


def open_root(path: str | os.PathLike[str]) -> uproot.ReadOnlyDirectory:
    """Open ``path`` with uproot, turning low-level failures into clear errors.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist (the message suggests running the generation rule).
    ValueError
        If the file is not a readable ROOT file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"meson sample {str(path)!r} does not exist; {_GENERATION_HINT}")
    try:
        return uproot.open(path)
    except (OSError, ValueError, uproot.deserialization.DeserializationError) as exc:
        raise ValueError(f"{str(path)!r} is not a valid ROOT file ({exc.__class__.__name__}: {exc})") from exc


def _metadata_from(file: uproot.ReadOnlyDirectory, path: str | os.PathLike[str]) -> dict[str, Any]:
    if METADATA_KEY not in file:
        raise ValueError(f"{str(path)!r} has no {METADATA_KEY!r} object; not a darkreach meson sample")
    try:
        text = str(file[METADATA_KEY])
        metadata = json.loads(text)
    except (OSError, ValueError, uproot.deserialization.DeserializationError) as exc:
        raise ValueError(f"{METADATA_KEY!r} in {str(path)!r} is not readable JSON ({exc})") from exc
    if not isinstance(metadata, dict):
        raise ValueError(f"{METADATA_KEY!r} in {str(path)!r} is not a JSON object")
    return metadata


def read_metadata(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the JSON metadata stored in a meson ROOT file.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not valid ROOT or has no readable ``metadata`` object.
    """
    with open_root(path) as file:
        return _metadata_from(file, path)


def read_species_arrays(
    file: uproot.ReadOnlyDirectory, species: str, path: str | os.PathLike[str]
) -> dict[str, np.ndarray]:
    """Read the branches :data:`BRANCHES` of tree ``species`` as float64 numpy arrays.

    Raises
    ------
    ValueError
        If the tree or one of its branches is missing or unreadable.
    """
    trees = sorted(k for k, cls in file.classnames(cycle=False).items() if cls == "TTree")
    if species not in trees:
        raise ValueError(f"{str(path)!r} has no TTree {species!r} (trees present: {', '.join(trees) or 'none'})")
    tree = file[species]
    missing = [b for b in BRANCHES if b not in tree]
    if missing:
        raise ValueError(f"tree {species!r} in {str(path)!r} lacks branches {missing}")
    try:
        arrays = tree.arrays(list(BRANCHES), library="np")
    except (OSError, ValueError, uproot.deserialization.DeserializationError) as exc:
        raise ValueError(f"tree {species!r} in {str(path)!r} is unreadable ({exc})") from exc
    return {b: np.asarray(arrays[b], dtype=np.float64) for b in BRANCHES}


def load_meson_sample(path: str | os.PathLike[str], species: str) -> MesonSample:
    """Load every generated instance of ``species`` from a (merged) meson ROOT file.

    An empty tree is valid (a rare species in a short run) and gives zero-length arrays.

    Parameters
    ----------
    path
        ROOT file written by :func:`darkreach.production.meson_beams.generate_shard` or ``merge_shards``.
    species
        Species key, e.g. ``"pi0"`` or ``"jpsi"``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not valid ROOT, lacks the species tree or the metadata, or contains
        non-finite momenta or weights.
    """
    with open_root(path) as file:
        metadata = _metadata_from(file, path)
        arrays = read_species_arrays(file, species, path)
    momenta = np.column_stack([arrays["px"], arrays["py"], arrays["pz"]]).reshape(-1, 3)
    weights = arrays["weight"]
    for name, values in (("momenta", momenta), ("weights", weights)):
        bad = ~np.isfinite(values)
        if bad.any():
            n_bad = int(bad.any(axis=-1).sum()) if values.ndim == 2 else int(bad.sum())
            raise ValueError(f"{n_bad} non-finite {name} for {species!r} in {str(path)!r}")
    for key in ("n_events", "sigma_gen_mb"):
        if key not in metadata:
            raise ValueError(f"metadata of {str(path)!r} lacks {key!r}")
    return MesonSample(
        species=species,
        momenta=momenta,
        weights=weights,
        n_events=int(metadata["n_events"]),
        sigma_gen_mb=float(metadata["sigma_gen_mb"]),
        metadata=metadata,
    )


def write_sample(
    out_path: str | os.PathLike[str],
    chunks: dict[str, Iterable[dict[str, np.ndarray]]],
    metadata: dict[str, Any],
    branches: Sequence[str] = BRANCHES,
) -> None:
    """Write one TTree per species (filled chunk by chunk: ``chunks`` maps species -> iterable of arrays of the
    float64 ``branches``, default :data:`BRANCHES`) and the JSON ``metadata``, atomically: a temporary file in the
    same folder, then renamed."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    os.close(fd)
    try:
        with uproot.recreate(tmp_name, compression=COMPRESSION) as file:
            for key, species_chunks in chunks.items():
                # mktree + extend: assigning a dict would write an RNTuple with uproot >= 5.6
                tree = file.mktree(key, dict.fromkeys(branches, np.float64))
                for chunk in species_chunks:
                    if len(chunk[branches[0]]):
                        tree.extend({b: chunk[b] for b in branches})
            file[METADATA_KEY] = json.dumps(metadata, sort_keys=True)
        os.replace(tmp_name, out_path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
