"""Benchmark the meson generation stage against bare PYTHIA.

Measures, with the same ``readString`` settings (:func:`darkreach.generation.pythia_settings`):

* the bare rate: a plain ``for _ in range(n): pythia.next()`` loop (initialisation excluded);
* the ``generate_shard`` rate: decay-handler extraction + numpy conversion + ROOT write, i.e. the
  wall time of ``generate_shard`` minus its own PYTHIA initialisation;
* an interleaved CPU-time comparison of bare and decay-handler ``next()`` loops in one process,
  robust against other jobs on a shared machine (separate wall-clock runs easily vary by 30%);

prints both and their ratio, and appends one JSON line to ``benchmarks/results/generation.jsonl``.

Usage::

    PYTHONPATH=src python benchmarks/bench_generation.py --process SoftQCD:inelastic --events 20000
    PYTHONPATH=src python benchmarks/bench_generation.py --process Charmonium:all --events 5000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import pythia8mc

from darkreach.generation.pythia_mesons import (
    GeneratorSettings,
    _MesonRecorder,
    generate_shard,
    pythia_settings,
)
from darkreach.mesons import MESONS

RESULTS = Path(__file__).resolve().parent / "results" / "generation.jsonl"


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo (or platform.processor() elsewhere)."""
    try:
        with open("/proc/cpuinfo") as stream:
            for line in stream:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, object]:
    """Platform, CPU model, usable cores and the load average (other jobs make wall rates noisy)."""
    return {
        "loadavg_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_model": cpu_model(),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "host": platform.node(),
    }


def bare_rate(settings: GeneratorSettings, n_events: int, seed: int) -> tuple[float, float]:
    """Return (events per second of the bare next() loop, init seconds)."""
    pythia = pythia8mc.Pythia("", False)
    for line in pythia_settings(settings, seed):
        if not pythia.readString(line):
            raise ValueError(f"PYTHIA rejected {line!r}")
    t0 = time.perf_counter()
    if not pythia.init():
        raise RuntimeError("Pythia.init() failed")
    t1 = time.perf_counter()
    for _ in range(n_events):
        pythia.next()
    t2 = time.perf_counter()
    return n_events / (t2 - t1), t1 - t0


def interleaved_ratio(settings: GeneratorSettings, n_events: int, seed: int, block: int = 250) -> dict[str, float]:
    """Bare vs decay-handler ``next()`` loops, alternated in blocks in one process (CPU time).

    Both instances see the same machine load, so their ratio is far less noisy than separate wall
    clock runs on a shared machine. Measures the event loop only (no extraction bookkeeping or write).
    """
    bare_pythia = _initialised(settings, seed, None)
    recorder = _MesonRecorder()
    pdgids = sorted({MESONS[key].pdgid for key in settings.species})
    handled = _initialised(settings, seed, (recorder, pdgids))
    spent = {"bare": 0.0, "handler": 0.0}
    done = 0
    while done < n_events:
        n = min(block, n_events - done)
        for name, pythia in (("bare", bare_pythia), ("handler", handled)):
            t0 = time.process_time()
            for _ in range(n):
                pythia.next()
            spent[name] += time.process_time() - t0
        done += n
    return {
        "bare_cpu_rate": n_events / spent["bare"],
        "handler_cpu_rate": n_events / spent["handler"],
        "ratio": spent["bare"] / spent["handler"],
        "instances_per_event": len(recorder.buffer) / 6 / n_events,
    }


def _initialised(settings: GeneratorSettings, seed: int, handler: tuple | None):
    pythia = pythia8mc.Pythia("", False)
    for line in pythia_settings(settings, seed):
        if not pythia.readString(line):
            raise ValueError(f"PYTHIA rejected {line!r}")
    if handler is not None:
        pythia.setDecayPtr(*handler)
    if not pythia.init():
        raise RuntimeError("Pythia.init() failed")
    return pythia


def shard_rate(settings: GeneratorSettings, n_events: int, seed: int, directory: str) -> dict[str, float]:
    """Rates of generate_shard: event loop only, and loop + extraction + write (init excluded)."""
    out = Path(directory) / f"bench_{seed}.root"
    t0 = time.perf_counter()
    meta = generate_shard(settings, n_events, seed, out)
    total = time.perf_counter() - t0
    size = out.stat().st_size
    out.unlink()
    return {
        "rate_with_write": n_events / (total - meta["init_seconds"]),
        "rate_loop_only": n_events / meta["generation_seconds"],
        "init_seconds": meta["init_seconds"],
        "file_bytes": size,
        "instances": sum(meta["counts"].values()),
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20000, help="events per measurement")
    parser.add_argument("--process", default="SoftQCD:inelastic", help="PYTHIA process switch")
    parser.add_argument("--repeats", type=int, default=3, help="measurements of each kind (median reported)")
    parser.add_argument("--beam-energy", type=float, default=400.0, help="beam energy in GeV")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--species", nargs="+", default=list(MESONS), help="meson keys to record")
    parser.add_argument("--results", type=Path, default=RESULTS, help="JSON-lines file to append to")
    args = parser.parse_args(argv)

    settings = GeneratorSettings(args.process, args.beam_energy, tuple(args.species))
    machine = machine_info()  # load average taken before the runs
    bare: list[float] = []
    shard: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as directory:
        for i in range(args.repeats):  # interleaved to share any drift in machine load
            rate, _ = bare_rate(settings, args.events, args.seed + i)
            bare.append(rate)
            shard.append(shard_rate(settings, args.events, args.seed + i, directory))
            print(
                f"repeat {i}: bare {rate:9.1f} ev/s   generate_shard {shard[-1]['rate_with_write']:9.1f} ev/s "
                f"(loop only {shard[-1]['rate_loop_only']:9.1f} ev/s)",
                flush=True,
            )

    interleaved = interleaved_ratio(settings, args.events, args.seed)
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    bare_median = statistics.median(bare)
    with_write = statistics.median(s["rate_with_write"] for s in shard)
    loop_only = statistics.median(s["rate_loop_only"] for s in shard)
    record = {
        "date_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "benchmark": "generation",
        "process": args.process,
        "beam_energy_gev": args.beam_energy,
        "species": list(args.species),
        "events": args.events,
        "repeats": args.repeats,
        "bare_rate_ev_per_s": bare_median,
        "generate_shard_rate_ev_per_s": with_write,
        "generate_shard_loop_rate_ev_per_s": loop_only,
        "ratio": with_write / bare_median,
        "ratio_loop_only": loop_only / bare_median,
        "interleaved_loop": interleaved,
        "bare_rates": bare,
        "shard_runs": shard,
        "pythia_version": f"{pythia8mc.Pythia('', False).parm('Pythia:versionNumber'):.3f}",
        "machine": machine,
        "loadavg_1min_after": load_after,
    }
    print(
        f"{args.process} @ {args.beam_energy:g} GeV, {args.events} events x {args.repeats}:\n"
        f"  bare next() loop        {bare_median:9.1f} ev/s\n"
        f"  generate_shard (+write) {with_write:9.1f} ev/s   ratio {record['ratio']:.3f}\n"
        f"  generate_shard loop     {loop_only:9.1f} ev/s   ratio {record['ratio_loop_only']:.3f}\n"
        f"  interleaved CPU-time loops: bare {interleaved['bare_cpu_rate']:9.1f} ev/s, decay handler "
        f"{interleaved['handler_cpu_rate']:9.1f} ev/s   ratio {interleaved['ratio']:.3f} "
        f"({interleaved['instances_per_event']:.1f} handler calls per event)"
    )
    args.results.parent.mkdir(parents=True, exist_ok=True)
    with args.results.open("a") as stream:
        stream.write(json.dumps(record) + "\n")
    return record


if __name__ == "__main__":
    main()
