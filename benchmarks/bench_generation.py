"""Benchmark the meson generation stage against bare PYTHIA.

Measures, with the same ``readString`` settings (:func:`darkreach.production.meson_beams.pythia_settings`):

* the bare rate: a plain ``for _ in range(n): pythia.next()`` loop (initialisation excluded);
* the ``generate_shard`` rate: batch extraction (``Pythia.nextBatch`` + vectorised selection) + ROOT
  write, i.e. the wall time of ``generate_shard`` minus its own PYTHIA initialisation (``ratio``), and
  also minus the construction of its ``Pythia`` object (``ratio_excl_construct``: the bare rate excludes
  both), and its event loop alone (``ratio_loop_only``);
* an interleaved CPU-time comparison, in one process, of a bare ``next()`` loop and the extraction
  path of ``generate_shard`` (``nextBatch`` + selection, split into the two), alternated batch by
  batch on the same events; robust against other jobs on a shared machine (separate wall-clock runs
  easily vary by 30%);

prints both and their ratio, and appends one JSON line to ``benchmarks/results/generation.jsonl``.
``--batch-size`` overrides :data:`darkreach.production.meson_beams.pythia.BATCH_SIZE` for all measurements.

Usage::

    PYTHONPATH=src python benchmarks/bench_generation.py --process SoftQCD:inelastic --events 20000
    PYTHONPATH=src python benchmarks/bench_generation.py --process Charmonium:all --events 5000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pythia8mc
from _machine import machine_info  # noqa: E402 (benchmarks/ is on sys.path)

from darkreach.mesons import MESONS
from darkreach.production.meson_beams import pythia as pythia_mesons
from darkreach.production.meson_beams.extraction import select_instances, wanted_ids
from darkreach.production.meson_beams.pythia import _ERROR_MODE, generate_shard
from darkreach.production.meson_beams.settings import GeneratorSettings, pythia_settings

RESULTS = Path(__file__).resolve().parent / "results" / "generation.jsonl"


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


def interleaved_ratio(settings: GeneratorSettings, n_events: int, seed: int, block: int) -> dict[str, object]:
    """Bare ``next()`` loop vs the batch extraction path, alternated in blocks in one process (CPU time).

    Both instances use the same settings and seed, hence generate the same events block by block, and
    see the same machine load, so their ratio is far less noisy than separate wall-clock runs on a
    shared machine. The order within a block pair alternates (bare first, then batch first) to cancel
    load drifts; the median of the per-block ratios discards blocks hit by load spikes. The extraction
    path is what ``generate_shard`` does per batch: ``nextBatch(block)`` (PYTHIA + conversion of the event
    records to awkward arrays) and the selection, timed separately. Excludes the final concatenation
    and the ROOT write.
    """
    bare_pythia = _initialised(settings, seed)
    batch_pythia = _initialised(settings, seed)
    wanted = wanted_ids(settings.species)
    spent = {"bare": 0.0, "next_batch": 0.0, "select": 0.0}
    block_ratios: list[float] = []
    done = instances = failed = 0

    def run_bare(n: int) -> float:
        t0 = time.process_time()
        for _ in range(n):
            bare_pythia.next()
        return time.process_time() - t0

    def run_batch(n: int) -> tuple[float, float]:
        nonlocal instances, failed
        t0 = time.process_time()
        raw = batch_pythia.nextBatch(n, _ERROR_MODE)
        t1 = time.process_time()
        selected = select_instances(raw, wanted)
        t2 = time.process_time()
        del raw
        instances += selected.ids.size
        failed += selected.n_failed
        return t1 - t0, t2 - t1

    while done < n_events:
        n = min(block, n_events - done)
        if len(block_ratios) % 2 == 0:
            t_bare = run_bare(n)
            t_next_batch, t_select = run_batch(n)
        else:
            t_next_batch, t_select = run_batch(n)
            t_bare = run_bare(n)
        spent["bare"] += t_bare
        spent["next_batch"] += t_next_batch
        spent["select"] += t_select
        block_ratios.append(t_bare / (t_next_batch + t_select))
        done += n
    batch_total = spent["next_batch"] + spent["select"]
    return {
        "block": block,
        "events": n_events,
        "bare_cpu_rate": n_events / spent["bare"],
        "batch_cpu_rate": n_events / batch_total,
        "ratio": spent["bare"] / batch_total,
        "ratio_block_median": statistics.median(block_ratios),
        "block_ratios": block_ratios,
        "ratio_next_batch_only": spent["bare"] / spent["next_batch"],
        "conversion_fraction": (spent["next_batch"] - spent["bare"]) / batch_total,
        "selection_fraction": spent["select"] / batch_total,
        "instances_per_event": instances / n_events,
        "failed": failed,
    }


def _initialised(settings: GeneratorSettings, seed: int):
    pythia = pythia8mc.Pythia("", False)
    for line in pythia_settings(settings, seed):
        if not pythia.readString(line):
            raise ValueError(f"PYTHIA rejected {line!r}")
    if not pythia.init():
        raise RuntimeError("Pythia.init() failed")
    return pythia


def shard_rate(settings: GeneratorSettings, n_events: int, seed: int, directory: str) -> dict[str, float]:
    """Rates of generate_shard: event loop only (nextBatch + selection), and everything but PYTHIA's
    initialisation (``rate_with_write``, as before) or but its construction and initialisation
    (``rate_with_write_excl_construct``: the bare rate excludes both; construction reads PYTHIA's XML
    files, ~0.15 s per shard whatever its size)."""
    out = Path(directory) / f"bench_{seed}.root"
    t0 = time.perf_counter()
    meta = generate_shard(settings, n_events, seed, out)
    total = time.perf_counter() - t0
    size = out.stat().st_size
    out.unlink()
    return {
        "rate_with_write": n_events / (total - meta["init_seconds"]),
        "rate_with_write_excl_construct": n_events / (total - meta["init_seconds"] - meta["construct_seconds"]),
        "rate_loop_only": n_events / meta["generation_seconds"],
        "init_seconds": meta["init_seconds"],
        "construct_seconds": meta["construct_seconds"],
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
    parser.add_argument(
        "--interleaved-events",
        type=int,
        default=None,
        help="events of the interleaved CPU-time comparison (default: max(--events, 10 batches))",
    )
    parser.add_argument(
        "--batch-size", type=int, default=pythia_mesons.BATCH_SIZE, help="events per Pythia.nextBatch call"
    )
    args = parser.parse_args(argv)
    pythia_mesons.BATCH_SIZE = args.batch_size  # generate_shard reads the module constant

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
                f"({shard[-1]['rate_with_write_excl_construct']:9.1f} without construction) "
                f"(loop only {shard[-1]['rate_loop_only']:9.1f} ev/s)",
                flush=True,
            )

    n_interleaved = args.interleaved_events or max(args.events, 10 * args.batch_size)
    interleaved = interleaved_ratio(settings, n_interleaved, args.seed, args.batch_size)
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    bare_median = statistics.median(bare)
    with_write = statistics.median(s["rate_with_write"] for s in shard)
    with_write_excl = statistics.median(s["rate_with_write_excl_construct"] for s in shard)
    loop_only = statistics.median(s["rate_loop_only"] for s in shard)
    record = {
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "generation",
        "process": args.process,
        "beam_energy_gev": args.beam_energy,
        "species": list(args.species),
        "events": args.events,
        "repeats": args.repeats,
        "extraction": "nextBatch",
        "batch_size": args.batch_size,
        "bare_rate_ev_per_s": bare_median,
        "generate_shard_rate_ev_per_s": with_write,
        "generate_shard_loop_rate_ev_per_s": loop_only,
        "ratio": with_write / bare_median,
        "ratio_excl_construct": with_write_excl / bare_median,
        "ratio_loop_only": loop_only / bare_median,
        "interleaved_loop": interleaved,
        "bare_rates": bare,
        "shard_runs": shard,
        "pythia_version": f"{pythia8mc.Pythia('', False).parm('Pythia:versionNumber'):.3f}",
        "machine": machine,
        "loadavg_1min_after": load_after,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(
        f"{args.process} @ {args.beam_energy:g} GeV, {args.events} events x {args.repeats}:\n"
        f"  bare next() loop        {bare_median:9.1f} ev/s\n"
        f"  generate_shard (+write) {with_write:9.1f} ev/s   ratio {record['ratio']:.3f}  "
        f"(without the Pythia construction: {with_write_excl:9.1f} ev/s, ratio {record['ratio_excl_construct']:.3f})\n"
        f"  generate_shard loop     {loop_only:9.1f} ev/s   ratio {record['ratio_loop_only']:.3f}\n"
        f"  interleaved CPU time ({n_interleaved} events in blocks of {args.batch_size}): bare "
        f"{interleaved['bare_cpu_rate']:9.1f} ev/s, nextBatch + selection {interleaved['batch_cpu_rate']:9.1f} ev/s"
        f"   ratio {interleaved['ratio']:.3f} (median over blocks {interleaved['ratio_block_median']:.3f}, "
        f"range {min(interleaved['block_ratios']):.3f}-{max(interleaved['block_ratios']):.3f})\n"
        f"    of the batch path: conversion {100 * interleaved['conversion_fraction']:.1f}%, selection "
        f"{100 * interleaved['selection_fraction']:.1f}%  ({interleaved['instances_per_event']:.1f} instances "
        f"per event); max RSS {record['max_rss_mb']:.0f} MB"
    )
    args.results.parent.mkdir(parents=True, exist_ok=True)
    with args.results.open("a") as stream:
        stream.write(json.dumps(record) + "\n")
    return record


if __name__ == "__main__":
    main()
