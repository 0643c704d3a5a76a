"""The parton sample file of a beam: written per shard, merged, read; where the workflow and the CLI keep it.

File layout (ROOT, like the meson samples of :mod:`darkreach.production.meson_beams.samples`)
------------------------------------------------------------------------------------------
* a ``TTree`` named ``partons`` with float64 branches, one entry per event of the reference process
  (:mod:`.reference`): ``quark`` (|PDG id| of the incoming quark, 1..5), ``sqrt_shat`` (GeV), ``px, py, pz, E``
  (the hard system phi1 + phi2 in the lab, GeV, after ISR when it is on), ``cos_theta, phi`` (phi2's direction
  in the hard-system rest frame reached from the lab by the pure boost along the hard-system momentum: polar
  angle to the lab +z axis and azimuth from the lab +x axis), ``bias`` (b(s_hat) of the generation) and
  ``weight`` (pb at the reference process; the weights sum to its cross section for sqrt(s_hat) >= mhat_min);
* a ``TObjString`` ``metadata`` (JSON): sqrt(s), the settings, the seeds, PYTHIA's sigma of the biased process
  per shard and the number of events, maximum violations, the reference masses and Lambda.

Paths: the workflow writes ``<results>/partons/<beam>/partons-<hash>.root`` (:func:`parton_sample_path`, hash of
:func:`darkreach.config.slices.parton_sample_spec`); the command line reads it when present, else generates a
small one into ``<results>/cli_cache/partons/<beam>/partons-seed<seed>-n<events>-m<mhat_min>[-isr].root``
(:func:`ensure_parton_sample`).
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from darkreach.production.meson_beams.samples import open_root, read_metadata, write_sample
from darkreach.production.partons.generator import MB_TO_PB

if TYPE_CHECKING:
    from darkreach.config.specs import BeamSpec
    from darkreach.production.partons.reference import ReferenceShard

__all__ = [
    "BRANCHES",
    "CLI_EVENTS",
    "PartonSample",
    "ensure_parton_sample",
    "merge_parton_shards",
    "parton_sample_path",
    "read_parton_sample",
    "write_parton_shard",
]

#: The tree and its branches.
TREE = "partons"
BRANCHES: tuple[str, ...] = ("quark", "sqrt_shat", "px", "py", "pz", "E", "cos_theta", "phi", "bias", "weight")
#: Events of the command line's own sample (about 20 s of PYTHIA).
CLI_EVENTS = 20000


@dataclass(frozen=True)
class PartonSample:
    """A merged sample read back: the per-event arrays (:data:`BRANCHES`; ``hard`` = (N, 4) px, py, pz, E of the
    hard system) and the metadata."""

    quark: np.ndarray
    sqrt_shat: np.ndarray
    hard: np.ndarray
    cos_theta: np.ndarray
    phi: np.ndarray
    weight: np.ndarray
    metadata: dict[str, Any]

    @property
    def sqrt_s(self) -> float:
        return float(self.metadata["sqrt_s_gev"])

    @property
    def mhat_min(self) -> float:
        return float(self.metadata["mhat_min_gev"])


def _boost_to_rest(p: np.ndarray, frame: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Three-momenta (N, 3) of four-momenta ``p`` (N, 4) in the rest frame of ``frame`` (N, 4) of ``mass`` (N,),
    reached by the pure boost along the frame's momentum."""
    b = frame[:, :3] / frame[:, 3:4]
    gamma = frame[:, 3] / mass
    bp = np.einsum("ij,ij->i", b, p[:, :3])
    return np.asarray(p[:, :3] + ((gamma**2 / (gamma + 1.0)) * bp - gamma * p[:, 3])[:, None] * b)


def shard_arrays(shard: ReferenceShard) -> dict[str, np.ndarray]:
    """The branches of one generated shard (its weights (sigma_biased / N) / b_i in pb)."""
    ev = shard.events
    hard = ev.phi1 + ev.phi2
    rest = _boost_to_rest(ev.phi2, hard, ev.sqrt_shat)
    norm = np.linalg.norm(rest, axis=1)
    return {
        "quark": ev.quark.astype(np.float64),
        "sqrt_shat": ev.sqrt_shat,
        "px": hard[:, 0],
        "py": hard[:, 1],
        "pz": hard[:, 2],
        "E": hard[:, 3],
        "cos_theta": np.clip(rest[:, 2] / norm, -1.0, 1.0),
        "phi": np.arctan2(rest[:, 1], rest[:, 0]),
        "bias": shard.bias,
        "weight": shard.weights_pb,
    }


def write_parton_shard(shard: ReferenceShard, path: str | Path, metadata: dict[str, Any]) -> dict[str, Any]:
    """Write one shard with ``metadata`` plus its sigma, event count and maximum violations; returns the metadata."""
    meta = {
        **metadata,
        "format": "darkreach parton sample 1",
        "n_events": int(shard.bias.size),
        "shards": [{"n_events": int(shard.bias.size), "sigma_biased_mb": shard.sigma_biased_mb,
                    "sigma_biased_err_mb": shard.sigma_biased_err_mb, "max_violations": shard.max_violations}],
    }  # fmt: skip
    write_sample(path, {TREE: [shard_arrays(shard)]}, meta, BRANCHES)
    return meta


def _read_arrays(path: str | Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    with open_root(path) as file:
        if TREE not in file:
            raise ValueError(f"{path}: no {TREE!r} tree (not a parton sample)")
        arrays = file[TREE].arrays(list(BRANCHES), library="np")
    return {b: np.asarray(arrays[b], dtype=np.float64) for b in BRANCHES}, read_metadata(path)


def merge_parton_shards(paths: Sequence[str | Path], out: str | Path) -> dict[str, Any]:
    """Concatenate shards into ``out``. Each shard's PYTHIA sigma_k of the biased process is an estimate from
    N_k events; the merged weights use their combination sigma = sum_k N_k sigma_k / N: w_i = (sigma / N) / b_i."""
    if not paths:
        raise ValueError("no parton shards to merge")
    parts = [_read_arrays(p) for p in paths]
    metas = [m for _, m in parts]
    for key in ("sqrt_s_gev", "mhat_min_gev", "isr", "reference"):
        values = {json.dumps(m.get(key), sort_keys=True) for m in metas}
        if len(values) != 1:
            raise ValueError(f"parton shards differ in {key!r}: {sorted(values)}")
    shards = [s for m in metas for s in m["shards"]]
    n = sum(s["n_events"] for s in shards)
    sigma = sum(s["n_events"] * s["sigma_biased_mb"] for s in shards) / n
    merged = {b: np.concatenate([a[b] for a, _ in parts]) for b in BRANCHES}
    merged["weight"] = sigma * MB_TO_PB / n / merged["bias"]
    meta = {**metas[0], "n_events": n, "shards": shards, "sigma_biased_mb": sigma,
            "seeds": [s for m in metas for s in m.get("seeds", [])]}  # fmt: skip
    write_sample(out, {TREE: [merged]}, meta, BRANCHES)
    return meta


def read_parton_sample(path: str | Path) -> PartonSample:
    """The sample at ``path`` (a merged file or a single shard)."""
    arrays, meta = _read_arrays(path)
    hard = np.stack([arrays["px"], arrays["py"], arrays["pz"], arrays["E"]], axis=1)
    return PartonSample(arrays["quark"].astype(np.int64), arrays["sqrt_shat"], hard, arrays["cos_theta"],
                        arrays["phi"], arrays["weight"], meta)  # fmt: skip


def generate_parton_file(
    sqrt_s: float, n_events: int, seed: int, mhat_min: float, isr: bool, path: str | Path, **metadata: Any
) -> dict[str, Any]:
    """Generate one shard of the reference process (:func:`.reference.generate_reference`) and write it."""
    import pythia8mc

    from darkreach.production.partons.reference import REFERENCE_LAMBDA, REFERENCE_MASS, generate_reference

    shard = generate_reference(sqrt_s, n_events, seed, mhat_min, isr)
    meta = {
        **metadata,
        "sqrt_s_gev": float(sqrt_s),
        "mhat_min_gev": float(mhat_min),
        "isr": bool(isr),
        "seeds": [int(seed)],
        "reference": {"m1_gev": REFERENCE_MASS, "m2_gev": REFERENCE_MASS, "lambda_gev": REFERENCE_LAMBDA,
                      "quark_couplings_squared": 1.0},
        "pythia_version": f"pythia8mc {getattr(pythia8mc, '__version__', '?')}",
    }  # fmt: skip
    return write_parton_shard(shard, path, meta)


def parton_sample_path(results_dir: str | Path, beam: BeamSpec) -> Path:
    """Where the workflow writes the merged parton sample of ``beam``: ``<results>/partons/<beam>/<id>.root``."""
    if not beam.parton_sample_id:
        raise KeyError(f"beam {beam.name!r} has no parton-sample id (a collider beam with `partons`, in a RunConfig)")
    return Path(results_dir) / "partons" / beam.name / f"{beam.parton_sample_id}.root"


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def ensure_parton_sample(
    beam: BeamSpec,
    results_dir: str | Path,
    seed: int,
    n_events: int | None = None,
    log: Callable[[str], None] = _stderr,
) -> Path:
    """The workflow's parton sample of ``beam`` if it exists, else the command line's own (``n_events``, default
    :data:`CLI_EVENTS`, one shard seeded from (seed, "cli-partons", beam)), generated once and cached."""
    from darkreach.production.partons.settings import PartonSettings
    from darkreach.seeds import derive_seed

    settings = beam.partons or PartonSettings()
    if beam.parton_sample_id:
        path = parton_sample_path(results_dir, beam)
        if path.is_file():
            return path
    n = n_events or CLI_EVENTS
    isr = "-isr" if settings.isr else ""
    cached = (Path(results_dir) / "cli_cache" / "partons" / beam.name /
              f"partons-seed{seed}-n{n}-m{settings.mhat_min_gev:g}{isr}.root")  # fmt: skip
    if not cached.is_file():
        log(f"darkreach: no parton sample of beam {beam.name!r}; generating {n} events (later calls reuse {cached})")
        t0 = time.perf_counter()
        generate_parton_file(beam.energy, n, derive_seed(seed, "cli-partons", beam.name), settings.mhat_min_gev,
                             settings.isr, cached, beam=beam.name)  # fmt: skip
        log(f"darkreach: generated {cached.name} in {time.perf_counter() - t0:.1f} s")
    return cached


def check_sample(sample: PartonSample, sqrt_s: float, what: str) -> None:
    """Raise ValueError when ``sample`` was made at another sqrt(s) than ``sqrt_s`` (GeV)."""
    if not math.isclose(sample.sqrt_s, sqrt_s, rel_tol=1e-12):
        raise ValueError(f"{what}: the parton sample is at sqrt(s) = {sample.sqrt_s} GeV, the beam at {sqrt_s} GeV")
