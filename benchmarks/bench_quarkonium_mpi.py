"""Quarkonium samples at the LHC with and without multiparton interactions: rate and spectra.

The LHC quarkonium entries of ``config/paper.yaml`` switch ``PartonLevel:MPI`` off: the J/psi or Upsilon and
its momentum come from the hard process and its parton showers, MPI only adds the underlying event (and most
of the CPU time). This script measures both the speed-up and that the quarkonium spectra agree within their
statistical errors (mean pT and mean log10 |pz|, the variables the forward and off-axis acceptances depend on).

Usage::

    .venv/bin/python benchmarks/bench_quarkonium_mpi.py --events 6000 --process Charmonium:all
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np
import pythia8mc

QUARKONIUM = {"Charmonium:all": 443, "Bottomonium:all": 553}


def run(process: str, sqrt_s: float, events: int, mpi: bool, seed: int) -> dict[str, float]:
    """Generate ``events`` events; return the rate and the first quarkonium's pT and log10|pz| moments."""
    pythia = pythia8mc.Pythia("", False)
    for line in (
        f"Beams:eCM = {sqrt_s}",
        f"{process} = on",
        f"PartonLevel:MPI = {'on' if mpi else 'off'}",
        "Print:quiet = on",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
    ):
        pythia.readString(line)
    pythia.init()
    pdg = QUARKONIUM[process]
    pt, logpz = [], []
    start = time.perf_counter()
    for _ in range(events):
        if not pythia.next():
            continue
        for particle in pythia.event:
            if particle.id() == pdg:
                pt.append(particle.pT())
                logpz.append(math.log10(max(abs(particle.pz()), 1e-3)))
                break
    elapsed = time.perf_counter() - start
    a, b = np.asarray(pt), np.asarray(logpz)
    n = len(a)
    return {
        "events_per_s": events / elapsed,
        "quarkonia": n,
        "mean_pt": float(a.mean()),
        "mean_pt_err": float(a.std() / math.sqrt(n)),
        "mean_log10_pz": float(b.mean()),
        "mean_log10_pz_err": float(b.std() / math.sqrt(n)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=6000)
    parser.add_argument("--process", choices=sorted(QUARKONIUM), default="Charmonium:all")
    parser.add_argument("--sqrt-s", type=float, default=14000.0)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    on = run(args.process, args.sqrt_s, args.events, True, args.seed)
    off = run(args.process, args.sqrt_s, args.events, False, args.seed + 1)
    pulls = {
        key: (off[key] - on[key]) / math.hypot(off[f"{key}_err"], on[f"{key}_err"])
        for key in ("mean_pt", "mean_log10_pz")
    }
    print(json.dumps({"process": args.process, "mpi_on": on, "mpi_off": off, "pulls": pulls}, indent=2))


if __name__ == "__main__":
    main()
