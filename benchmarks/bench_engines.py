"""Light-meson multiplicities and event rates of the hadronic engines and PYTHIA tunes, side by side.

For each beam (400 GeV fixed target, LHC 13.6 and 14 TeV) and each engine variant (PYTHIA 8 SoftQCD:inelastic with
its default Monash 2013 tune, PYTHIA with another ``Tune:pp``, SIBYLL 2.3d through chromo) one shard is generated
with :func:`darkreach.production.meson_beams.engines.generate_shard`, exactly as the workflow does, and the
instances per inelastic event of pi0, eta, eta', rho, omega, phi (and K+-) are printed with their Poisson error,
with the generated inelastic cross section and the event rate (events per second of the event loop, initialisation
excluded; the machine's load is printed, wall-clock rates on a busy machine are lower; SIBYLL also reports events
per CPU second of its loop, which the load does not change). One JSON line per run is appended to
``benchmarks/results/engines.jsonl``.

Usage::

    PYTHONPATH=src python benchmarks/bench_engines.py --events-fixed-target 20000 --events-lhc 4000
    PYTHONPATH=src python benchmarks/bench_engines.py --variants sibyll23d --beams sps400 --events-fixed-target 2000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _machine import machine_info  # noqa: E402 (benchmarks/ is on sys.path)

from darkreach.mesons import PAPER000_TABLE1
from darkreach.production import BeamFrame
from darkreach.production.meson_beams.engines import generate_shard
from darkreach.production.meson_beams.settings import GeneratorSettings

SPECIES = ("pi0", "eta", "etap", "rho", "omega", "phi", "kplus")
BEAMS: dict[str, tuple[BeamFrame, float]] = {
    "sps400": (BeamFrame.FIXED_TARGET, 400.0),
    "lhc13p6": (BeamFrame.COLLIDER, 13600.0),
    "lhc14": (BeamFrame.COLLIDER, 14000.0),
}
#: name -> (engine, tune)
VARIANTS: dict[str, tuple[str, int | None]] = {
    "pythia8": ("pythia8", None),
    "pythia8-4c": ("pythia8", 5),
    "sibyll23d": ("sibyll23d", None),
}
RESULTS = Path(__file__).parent / "results" / "engines.jsonl"


def measure(beam: str, variant: str, n_events: int, seed: int) -> dict[str, Any]:
    """Generate one shard of ``variant`` on ``beam`` and return its multiplicities, cross section and rate."""
    frame, energy = BEAMS[beam]
    engine, tune = VARIANTS[variant]
    settings = GeneratorSettings(
        process="SoftQCD:inelastic" if engine == "pythia8" else None,
        beam_energy_gev=energy,
        species=SPECIES,
        frame=frame,
        engine=engine,
        tune=tune,
    )
    with tempfile.TemporaryDirectory() as tmp:
        meta = generate_shard(settings, n_events, seed, Path(tmp) / "shard.root")
    return {
        "beam": beam,
        "variant": variant,
        "n_events": n_events,
        "per_event": {k: meta["counts"][k] / n_events for k in SPECIES},
        "error": {k: math.sqrt(meta["counts"][k]) / n_events for k in SPECIES},
        "sigma_inel_mb": meta["sigma_gen_mb"],
        "events_per_second": n_events / meta["generation_seconds"],
        "events_per_cpu_second": n_events / meta["generation_cpu_seconds"]
        if "generation_cpu_seconds" in meta
        else None,
        "init_seconds": meta["init_seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beams", nargs="+", default=list(BEAMS), choices=list(BEAMS))
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--events-fixed-target", type=int, default=20000)
    parser.add_argument("--events-lhc", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON-lines file to append to")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = f"{'beam':8} {'variant':11} {'events':>7} " + " ".join(f"{k:>13}" for k in SPECIES)
    print(header + f" {'sigma_mb':>8} {'ev/s':>6} {'ev/cpu-s':>8}")
    rows = []
    for beam in args.beams:
        frame = BEAMS[beam][0]
        n = args.events_fixed_target if frame is BeamFrame.FIXED_TARGET else args.events_lhc
        for variant in args.variants:
            row = measure(beam, variant, n, args.seed)
            rows.append(row)
            cells = " ".join(f"{row['per_event'][k]:7.3f}+-{row['error'][k]:<5.3f}" for k in SPECIES)
            cpu_rate = "-" if row["events_per_cpu_second"] is None else f"{row['events_per_cpu_second']:.0f}"
            print(
                f"{beam:8} {variant:11} {n:7d} {cells} {row['sigma_inel_mb']:8.2f} {row['events_per_second']:6.0f} "
                f"{cpu_rate:>8}",
                flush=True,
            )
    print("Table 1 of paper 000 (400 GeV): " + ", ".join(f"{k} {v:.3g}" for k, v in PAPER000_TABLE1.items()))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("a") as stream:
        record = {"date": datetime.now(UTC).isoformat(), "machine": machine_info(), "rows": rows}
        stream.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
