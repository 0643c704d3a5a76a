"""SIBYLL 2.3d through ``chromo``: minimum-bias inelastic pp events, their light mesons written as a meson sample.

SIBYLL (F. Riehn et al., Phys. Rev. D 102 (2020) 063002, arXiv:1912.03300) is the hadronic model FORESEE uses for
forward mesons; ``chromo`` (H. Dembinski, A. Fedynitch, A. Prosekin, arXiv:2305.09574) wraps it. It needs no data
files and runs offline.

How a shard is made
-------------------
* the beam: ``FixedTarget(E_beam, "p", "p")`` (E_beam the total lab energy of the beam proton, as PYTHIA's
  ``Beams:eA``; event record in the lab frame, beam along +z) or ``CenterOfMass(sqrt_s, "p", "p")`` (beam A
  along +z); chromo boosts SIBYLL's events into that frame;
* the mesons: SIBYLL decays the short-lived particles itself (pi0, eta, rho, omega, ...; as in PYTHIA, everything
  but pi+-, K+-, K0L, mu+- and n: :data:`FINAL_STATE`) and keeps them in the event record with status 2 and their
  daughters, so every instance of a wanted species is read from the history
  whatever its status (beam particles, status 4, excluded); feed-down (eta' -> eta pi pi, omega -> pi0 gamma ...)
  is included, as with PYTHIA. SIBYLL's record holds each particle once (no carbon copies). SIBYLL uses fixed
  masses for resonances (rho: 0.7685 GeV) instead of a Breit-Wigner line shape;
* the cross section: ``sigma_gen_mb`` is SIBYLL's inelastic pp cross section at that energy
  (``model.cross_section().inelastic``, exact within the model: ``sigma_err_mb = 0``). Every event is a
  minimum-bias inelastic event, so the instances per event are the multiplicity per inelastic interaction;
* the seed: chromo's numpy ``PCG64`` generator, seeded with the shard seed. Same seed, same file;
* one process per shard: a Fortran generator initialises once per process, so :func:`generate_shard` runs the
  generation in a fresh Python process (``python -m darkreach.production.meson_beams.engines.sibyll``), which is
  also how Snakemake jobs run. Rejected events are retried by chromo (``n_failed`` is 0).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from darkreach.production import BeamFrame
from darkreach.production.meson_beams.extraction import wanted_ids
from darkreach.production.meson_beams.samples import read_metadata, write_sample
from darkreach.production.meson_beams.settings import GeneratorSettings
from darkreach.production.meson_beams.shards import check_lab_frame, shard_metadata, species_arrays
from darkreach.seeds import check_pythia_seed

__all__ = ["generate_shard", "run_shard"]

#: The chromo model class of this engine.
MODEL = "Sibyll23d"
#: The particles SIBYLL does not decay: those PYTHIA keeps stable by default (``mayDecay`` off for c tau0 > 1 m),
#: so that both engines count the same feed-down. chromo's own default also keeps K0S, Lambda, Sigma, Xi and Omega,
#: which would leave out the pi0 of their decays (+0.34 pi0 per event at 400 GeV, 8 %).
FINAL_STATE: tuple[int, ...] = (211, -211, 321, -321, 130, 13, -13, 2112, -2112)
#: Status of the beam particles in chromo's event record (not produced particles).
_BEAM_STATUS = 4
#: Seconds a shard subprocess may take at most (SIBYLL runs ~3,000-6,000 events/s).
_TIMEOUT_S = 6 * 3600
#: Events whose records are concatenated before the species selection.
_CHUNK_EVENTS = 2000


def _kinematics(settings: GeneratorSettings) -> tuple[Any, str]:
    """chromo's kinematics object for ``settings``, and how it was built (for the metadata)."""
    from chromo.kinematics import CenterOfMass, FixedTarget

    energy = float(settings.beam_energy_gev)
    if settings.frame is BeamFrame.FIXED_TARGET:
        return FixedTarget(energy, "p", "p"), f"FixedTarget({energy!r}, 'p', 'p')"
    return CenterOfMass(energy, "p", "p"), f"CenterOfMass({energy!r}, 'p', 'p')"


def run_shard(settings: GeneratorSettings, n_events: int, seed: int, out_path: str | PathLike[str]) -> dict[str, Any]:
    """Generate ``n_events`` SIBYLL events in *this* process and write the sample to ``out_path``.

    A process can initialise SIBYLL once only: call :func:`generate_shard` (a fresh process per shard) instead,
    unless this process does nothing else.

    Returns
    -------
    dict
        The metadata stored in the file.
    """
    import chromo
    from chromo import models

    seed = check_pythia_seed(seed)
    kinematics, kinematics_label = _kinematics(settings)
    t_construct = time.perf_counter()
    model = getattr(models, MODEL)(kinematics, seed=seed)
    model.final_state_particles = list(FINAL_STATE)
    sigma_inel_mb = float(model.cross_section().inelastic)
    if not (np.isfinite(sigma_inel_mb) and sigma_inel_mb > 0.0):
        raise RuntimeError(f"SIBYLL gives an inelastic cross section of {sigma_inel_mb} mb for {kinematics_label}")
    wanted = wanted_ids(settings.species)
    ids: list[np.ndarray] = []
    momenta: list[np.ndarray] = []
    # the events' records are selected a chunk at a time: one np.isin per event cost more than SIBYLL itself
    chunk: list[tuple[np.ndarray, ...]] = []

    def select_chunk() -> None:
        pid, status, px, py, pz, en = (np.concatenate(column) for column in zip(*chunk, strict=True))
        keep = np.isin(np.abs(pid), wanted) & (status != _BEAM_STATUS)
        ids.append(pid[keep].astype(np.int64))
        momenta.append(np.column_stack([px[keep], py[keep], pz[keep], en[keep]]))
        chunk.clear()

    t_loop, cpu_loop = time.perf_counter(), time.process_time()
    for event in model(n_events):
        # copies: an event's arrays must not depend on what the generator does with its buffers afterwards
        chunk.append(tuple(np.array(a) for a in (event.pid, event.status, event.px, event.py, event.pz, event.en)))
        if len(chunk) == _CHUNK_EVENTS:
            select_chunk()
    if chunk:
        select_chunk()
    loop_seconds, loop_cpu_seconds = time.perf_counter() - t_loop, time.process_time() - cpu_loop
    if model.nevents != n_events:
        raise RuntimeError(f"SIBYLL returned {model.nevents} events, {n_events} were asked for")
    all_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    all_momenta = np.concatenate(momenta).astype(np.float64) if momenta else np.zeros((0, 4))
    check_lab_frame(all_momenta, settings)
    arrays = species_arrays(all_ids, all_momenta, np.ones(all_ids.size), settings.species)
    metadata = shard_metadata(settings, arrays)
    metadata.update(
        {
            "process": "inelastic",
            "model": f"chromo.models.{MODEL}",
            "model_version": str(model.version),
            "chromo_version": str(chromo.__version__),
            "kinematics": kinematics_label,
            "final_state_particles": list(FINAL_STATE),
            "settings": [
                f"model = {MODEL}",
                f"kinematics = {kinematics_label}",
                f"final_state_particles = {list(FINAL_STATE)}",
                f"seed = {seed}",
            ],
            "seed": seed,
            "seeds": [seed],
            "n_events": int(n_events),
            "n_failed": 0,
            "n_events_reread": 0,
            "weighted": False,
            "sum_weights": float(n_events),
            "sigma_gen_mb": sigma_inel_mb,
            "sigma_err_mb": 0.0,
            "init_seconds": t_loop - t_construct,
            "generation_seconds": loop_seconds,
            "generation_cpu_seconds": loop_cpu_seconds,
        }
    )
    write_sample(out_path, {key: [a] for key, a in arrays.items()}, metadata)
    return metadata


def generate_shard(
    settings: GeneratorSettings, n_events: int, seed: int, out_path: str | PathLike[str]
) -> dict[str, Any]:
    """Generate ``n_events`` SIBYLL events in a fresh Python process and write the mesons to ``out_path``.

    Same contract as :func:`darkreach.production.meson_beams.pythia.generate_shard`: equal settings and seed give
    identical output arrays.

    Raises
    ------
    ValueError
        For a bad seed or event count, or settings of another engine.
    RuntimeError
        If the generation process fails (its output is quoted).
    """
    if settings.engine != "sibyll23d":
        raise ValueError(f"settings are for engine {settings.engine!r}, not 'sibyll23d'")
    if isinstance(n_events, bool) or not isinstance(n_events, (int, np.integer)) or n_events < 1:
        raise ValueError(f"n_events must be a positive integer, got {n_events!r}")
    seed = check_pythia_seed(seed)
    request = {
        "settings": {**asdict(settings), "frame": settings.frame.value},
        "n_events": int(n_events),
        "seed": seed,
        "out_path": str(Path(out_path).resolve()),
    }
    package_root = str(Path(__file__).resolve().parents[4])  # the folder holding the darkreach package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(
        [sys.executable, "-m", __name__, json.dumps(request)],
        capture_output=True,
        text=True,
        env=env,
        timeout=_TIMEOUT_S,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"SIBYLL shard (seed {seed}, {n_events} events) failed with exit code {proc.returncode}:\n"
            f"{proc.stderr[-3000:]}"
        )
    return read_metadata(out_path)


def _main(argv: list[str]) -> int:
    """Entry point of the shard process: ``python -m darkreach.production.meson_beams.engines.sibyll <json>``."""
    if len(argv) != 1:
        print(f"usage: python -m {__name__} '<json request>'", file=sys.stderr)
        return 2
    request = json.loads(argv[0])
    raw = request["settings"]
    settings = GeneratorSettings(
        process=raw["process"],
        beam_energy_gev=float(raw["beam_energy_gev"]),
        species=tuple(raw["species"]),
        extra_settings=tuple(raw["extra_settings"]),
        frame=BeamFrame(raw["frame"]),
        engine=raw["engine"],
        tune=raw["tune"],
    )
    run_shard(settings, int(request["n_events"]), int(request["seed"]), request["out_path"])
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
