"""Benchmark the scaling of the aggregation stages: nothing may grow faster than linearly in masses x events.

Target (issue): "nothing in the aggregation grows faster than linearly in the number of masses x events".

Four stages are timed on synthetic inputs (no PYTHIA, no workflow files), each at three or more sizes, and
the log-log slope d log t / d log size is fitted over the sizes:

1. ``expected_events`` -- :func:`darkreach.sensitivity.yields.expected_events` (idm-dipole, delta = 0.1,
   m1 = ``--point-mass``, 200 couplings, NA62 thresholds) vs the number of simulated events per channel; the
   events come from one untimed :func:`simulate_point` call per size;
2. ``run_scan (masses)`` / ``run_scan (events)`` -- :func:`darkreach.sensitivity.scan.run_scan` (idm-dipole,
   delta = 0.1, 200 couplings in [1e-9, 10], NA62) vs the number of log-spaced masses in [0.01, 4.5] GeV at
   fixed events per mass, and vs events per mass at a fixed number of masses;
3. ``contours`` -- :func:`darkreach.output.contour_table.write_contours_csv` + :func:`write_grid_csv` (NA62 exposures, level from the
   config) of a :class:`ScanResult` with a synthetic, smooth per-interaction yield (a Gaussian bump in
   log coupling whose height falls with the mass, so the region is closed) vs masses x couplings;
4. ``make_figure`` -- :func:`darkreach.output.figures.contours.make_figure` (one panel, two curves: NA62 at the two
   exposures; PNG, PDF, curve CSV, HEPData record and its validation) vs the number of rows of the contour
   table, written with ``write_contours_csv`` from the same synthetic yield.

Meson samples: for every species of the ``sps400`` beam, synthetic lab momenta (pz ~ 1 GeV + Exp(30 GeV),
pT ~ Exp(0.4 GeV), uniform azimuth; forward like the real beam-dump samples, so that a realistic fraction
reaches the NA62 decay volume), unit weights, at least as many as the largest event count (the contiguous-
block branch of ``simulate_point``, as with the real multi-million samples). NA62 geometry, acceptance,
thresholds and multiplicities come from ``config/config.yaml``.

Timing: wall clock (``time.perf_counter``), after an untimed warm-up call of every stage (numba cache
load, matplotlib and validator imports). Sizes are interleaved within each of ``--repeats`` rounds (so
load from other processes hits all sizes alike) and the best time per size is kept. ``run_scan`` runs with
``--threads`` (default 1: the scaling is then not disturbed by how masses split over workers).

Check: the least-squares slope of log t vs log size over all sizes must be <= ``--max-slope`` (1.15: linear
within the noise of a shared 2-core VM). A fixed cost makes the fitted slope smaller than the exponent of the
growing part, so the slope between the two largest sizes is printed too (and recorded); it is not checked
(on a shared machine a single pair is too noisy), but a value well above 1 there would deserve a look.

Usage::

    .venv/bin/python benchmarks/bench_aggregation.py           # ~70 s on 2 cores
    .venv/bin/python benchmarks/bench_aggregation.py --quick   # ~25 s, smaller sizes, 2 rounds

Appends one JSON line per run to ``benchmarks/results/aggregation.jsonl``; exits 1 if a check fails.
"""

from __future__ import annotations

import os

# single-threaded BLAS (as in bench_kernels.py): thread hand-offs add noise on a 2-core VM
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from _machine import CpuMonitor, append_jsonl, machine_info  # noqa: E402 (benchmarks/ is on sys.path)

REPO = Path(__file__).resolve().parent.parent
RESULTS_JSONL = Path(__file__).resolve().parent / "results" / "aggregation.jsonl"
MAX_SLOPE = 1.15

FULL = {
    "ee_events": [10_000, 40_000, 160_000],
    "scan_masses": [10, 20, 40],
    "scan_events": [5_000, 20_000, 80_000],
    "grids": ["50x200", "100x400", "200x800"],
    "figure_masses": [250, 1000, 4000],
    "repeats": 3,
}
QUICK = {
    "ee_events": [5_000, 20_000, 80_000],
    "scan_masses": [4, 8, 16],
    "scan_events": [2_000, 8_000, 32_000],
    "grids": ["25x100", "50x200", "100x400"],
    "figure_masses": [100, 400, 1600],
    "repeats": 2,
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and 2 rounds (a smoke run, ~25 s)")
    parser.add_argument("--config", type=Path, default=REPO / "config" / "config.yaml")
    parser.add_argument("--experiment", default="na62")
    parser.add_argument("--model", default="idm-dipole")
    parser.add_argument("--delta", type=float, default=0.1, help="benchmark point {delta: DELTA}")
    parser.add_argument("--couplings", type=int, default=200, help="log-spaced couplings in [1e-9, 10]")
    parser.add_argument(
        "--point-mass",
        type=float,
        default=0.05,
        help="m1 (GeV) of the expected_events measurement (0.05: all 8 channels open)",
    )
    parser.add_argument(
        "--ee-events",
        type=int,
        nargs="+",
        default=None,
        help="simulated events per channel for expected_events (default 1e4 4e4 1.6e5)",
    )
    parser.add_argument(
        "--scan-masses", type=int, nargs="+", default=None, help="numbers of masses for run_scan (default 10 20 40)"
    )
    parser.add_argument(
        "--scan-fixed-events",
        type=int,
        default=None,
        help="events per mass of the run_scan-vs-masses sweep (default: config scan.events_per_mass)",
    )
    parser.add_argument(
        "--scan-events",
        type=int,
        nargs="+",
        default=None,
        help="events per mass for run_scan (default 5000 20000 80000)",
    )
    parser.add_argument(
        "--scan-fixed-masses",
        type=int,
        default=20,
        help="number of masses of the run_scan-vs-events sweep (default 20)",
    )
    parser.add_argument("--threads", type=int, default=1, help="run_scan worker threads (default 1)")
    parser.add_argument(
        "--grids",
        nargs="+",
        default=None,
        help="masses x couplings of the contour stage, as MxC (default 50x200 100x400 200x800)",
    )
    parser.add_argument(
        "--figure-masses",
        type=int,
        nargs="+",
        default=None,
        help="masses of the synthetic scans behind the figure's contour table (default 250 1000 "
        "4000; ~1.6 rows per mass)",
    )
    parser.add_argument("--repeats", type=int, default=None, help="interleaved rounds, best kept (default 3)")
    parser.add_argument(
        "--max-slope", type=float, default=MAX_SLOPE, help=f"largest accepted log-log slope (default {MAX_SLOPE})"
    )
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--output", type=Path, default=RESULTS_JSONL, help="JSON-lines file to append to")
    args = parser.parse_args(argv)
    defaults = QUICK if args.quick else FULL
    for key in ("ee_events", "scan_masses", "scan_events", "grids", "figure_masses", "repeats"):
        if getattr(args, key) is None:
            setattr(args, key, defaults[key])
    args.grids = [tuple(int(x) for x in g.lower().split("x")) for g in args.grids]
    return args


# --------------------------------------------------------------------------------------------------- inputs


def synthetic_mesons(species: list[str], n: int, seed: int) -> dict:
    """Forward synthetic samples: pz ~ 1 + Exp(30 GeV), pT ~ Exp(0.4 GeV), uniform azimuth, unit weights."""
    from darkreach.sensitivity.yields import MesonKinematics

    out = {}
    for k, key in enumerate(species):
        rng = np.random.Generator(np.random.PCG64([seed, k]))
        pz = rng.exponential(30.0, n) + 1.0
        pt = rng.exponential(0.4, n)
        phi = rng.uniform(0.0, 2.0 * math.pi, n)
        mom = np.ascontiguousarray(np.column_stack([pt * np.cos(phi), pt * np.sin(phi), pz]))
        out[key] = MesonKinematics(mom, np.ones(n))
    return out


def bump_yield(masses: np.ndarray, couplings: np.ndarray, n_thresholds: int) -> np.ndarray:
    """Smooth synthetic events per POT, shape (n_thresholds, n_masses, n_couplings).

    log10 N = peak(m) - ((log10 c - x0(m)) / 1.2)^2, peak = -14 - 1.5 log10(m / 0.01), x0 = -5 - 0.5 log10(m / 0.01):
    one interval per mass at light masses, no reach at the heaviest ones at 1e17-1e18 POT (a closed region).
    """
    lm = np.log10(masses / 0.01)[:, None]
    x = np.log10(couplings)[None, :]
    logn = -14.0 - 1.5 * lm - ((x - (-5.0 - 0.5 * lm)) / 1.2) ** 2
    grid = 10.0**logn
    return np.stack([grid * (1.0 - 0.1 * t) for t in range(n_thresholds)])


# --------------------------------------------------------------------------------------------------- timing


def sweep(name: str, sizes: list[float], setups: list[Callable[[], object]], repeats: int) -> dict:
    """Time ``setups[i]()`` (the call at ``sizes[i]``) in ``repeats`` interleaved rounds; best per size."""
    times: list[list[float]] = [[] for _ in sizes]
    foreign: list[list[float]] = [[] for _ in sizes]
    for r in range(repeats):
        for i, fn in enumerate(setups):
            with CpuMonitor() as mon:
                fn()
            times[i].append(mon.seconds)
            foreign[i].append(mon.foreign_cores)
        print(
            f"  {name}: round {r + 1}/{repeats}: " + ", ".join(f"{s:g} -> {t[-1]:.3g} s" for s, t in zip(sizes, times)),
            flush=True,
        )
    best = [min(t) for t in times]
    x, y = np.log(np.asarray(sizes, dtype=float)), np.log(np.asarray(best))
    slope = float(np.polyfit(x, y, 1)[0])
    last = float((y[-1] - y[-2]) / (x[-1] - x[-2]))
    return {
        "stage": name,
        "sizes": [float(s) for s in sizes],
        "best_s": best,
        "times_s": times,
        "foreign_cores": foreign,
        "slope": slope,
        "slope_last_pair": last,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("darkreach").setLevel(logging.ERROR)  # figures log every curve (and "no reach")

    from darkreach.config import benchmark_label, load_run_config
    from darkreach.config.figures import figure_spec_from_config
    from darkreach.models import get_model
    from darkreach.output.contour_table import write_contours_csv, write_grid_csv
    from darkreach.output.figures.contours import make_figure
    from darkreach.sensitivity.scan import ScanResult, run_scan
    from darkreach.sensitivity.yields import expected_events, simulate_point

    machine = machine_info()
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    run = load_run_config(args.config)
    model = get_model(args.model)
    benchmark = {"delta": args.delta}
    experiment = run.experiment(args.experiment)
    geometry = experiment.kernel_geometry()
    thresholds = experiment.energy_thresholds_gev
    mult = experiment.mesons_per_interaction
    couplings = np.geomspace(1e-9, 10.0, args.couplings)
    level = float(experiment.level)
    exposures = list(experiment.exposures)
    fixed_events = args.scan_fixed_events or run.scan.events_per_mass
    species = list(experiment.species)
    n_sample = max(max(args.ee_events), max(args.scan_events), fixed_events)

    print(f"machine: {machine['cpu_model']}, {machine['nproc']} cores, {machine['platform']}")
    print(
        f"python {machine['python']}, numba {machine['numba']}, numpy {machine['numpy']}, "
        f"load avg {tuple(round(x, 2) for x in machine['loadavg'] or ())}"
    )
    print(
        f"{args.model} {benchmark}, {experiment.name} ({experiment.acceptance} acceptance, thresholds {thresholds}, "
        f"exposures {exposures}, level {level:g}), {couplings.size} couplings; synthetic mesons "
        f"({', '.join(species)}), {n_sample} each; {'quick' if args.quick else 'full'} sizes, "
        f"{args.repeats} rounds, run_scan threads={args.threads}\n",
        flush=True,
    )
    mesons = synthetic_mesons(species, n_sample, args.seed)
    stages: list[dict] = []

    # ------------------------------------------------------------------ 1. expected_events vs simulated events
    point = model.point_at(benchmark, args.point_mass)
    accepted = {}
    calls = []
    for n_ev in args.ee_events:
        events = simulate_point(model, point, mesons, geometry, n_ev, args.seed, 0)  # untimed
        accepted[n_ev] = int(sum(e.weight.size for e in events))

        def call(events=events):
            for thr in thresholds:
                expected_events(model, point, events, couplings, mult, 1.0, thr, experiment.efficiency)

        call()  # warm-up (numba cache load)
        calls.append(call)
    st = sweep("expected_events", args.ee_events, calls, args.repeats)
    st.update(
        {
            "size_name": "events/channel",
            "point": dict(point),
            "n_couplings": int(couplings.size),
            "accepted_events": [accepted[n] for n in args.ee_events],
        }
    )
    stages.append(st)

    # ------------------------------------------------------------------ 2. run_scan vs masses and vs events
    def scan_call(n_masses: int, n_ev: int) -> Callable[[], object]:
        masses = np.geomspace(0.01, 4.5, n_masses)
        return lambda: run_scan(
            model,
            benchmark,
            masses,
            couplings,
            mesons,
            geometry,
            thresholds,
            mult,
            n_ev,
            args.seed,
            threads=args.threads,
            efficiency=experiment.efficiency,
        )

    scan_call(2, 1000)()  # warm-up
    st = sweep(
        "run_scan (masses)", args.scan_masses, [scan_call(n, fixed_events) for n in args.scan_masses], args.repeats
    )
    st.update({"size_name": "masses", "events_per_mass": fixed_events, "threads": args.threads})
    stages.append(st)
    st = sweep(
        "run_scan (events)",
        args.scan_events,
        [scan_call(args.scan_fixed_masses, n) for n in args.scan_events],
        args.repeats,
    )
    st.update({"size_name": "events per mass", "n_masses": args.scan_fixed_masses, "threads": args.threads})
    stages.append(st)

    with tempfile.TemporaryDirectory(prefix="bench-aggregation-") as tmp:
        tmpdir = Path(tmp)

        def scan_result(n_m: int, n_c: int) -> ScanResult:
            masses = np.geomspace(0.01, 4.5, n_m)
            cpl = np.geomspace(1e-9, 10.0, n_c)
            return ScanResult(
                model=model.name,
                benchmark=dict(benchmark),
                mass_parameter=model.axis_parameter(benchmark),
                coupling_name=model.scan.name,
                coupling_unit=model.scan.unit,
                masses=masses,
                couplings=cpl,
                thresholds=np.asarray(thresholds, dtype=float),
                per_interaction=bump_yield(masses, cpl, len(thresholds)),
                mass_unit=model.axis_unit(benchmark),
            )

        # -------------------------------------------------------------- 3. contours + grid CSV vs grid size
        calls, sizes, contour_rows = [], [], []
        for n_m, n_c in args.grids:
            res = scan_result(n_m, n_c)

            def call(res=res, tag=f"{n_m}x{n_c}"):
                write_contours_csv(res, exposures, level, tmpdir / f"contours-{tag}.csv")
                write_grid_csv(res, exposures, tmpdir / f"grid-{tag}.csv")

            sizes.append(n_m * n_c)
            calls.append(call)
        calls[0]()  # warm-up
        st = sweep("contours+grid", sizes, calls, args.repeats)
        for n_m, n_c in args.grids:
            with open(tmpdir / f"contours-{n_m}x{n_c}.csv") as fh:
                contour_rows.append(sum(1 for line in fh if not line.startswith("#")) - 1)  # minus the column names
        st.update(
            {
                "size_name": "masses x couplings",
                "grids": [list(g) for g in args.grids],
                "exposures": exposures,
                "contour_rows": contour_rows,
                "grid_csv_rows": [n_m * n_c * len(exposures) * len(thresholds) for n_m, n_c in args.grids],
            }
        )
        stages.append(st)

        # -------------------------------------------------------------- 4. make_figure vs contour rows
        label = benchmark_label(benchmark)
        spec = figure_spec_from_config(
            "fig_bench",
            {
                "model": model.name,
                "title": "aggregation benchmark",
                "panels": [
                    {
                        "benchmark": dict(benchmark),
                        "curves": [
                            {
                                "experiment": experiment.name,
                                "exposure": exposures[-1],
                                "threshold_gev": thresholds[0],
                                "label": "NA62 high exposure",
                                "style": "solid",
                            },
                            {
                                "experiment": experiment.name,
                                "exposure": exposures[0],
                                "threshold_gev": thresholds[0],
                                "label": "NA62 low exposure",
                                "style": "dotted",
                            },
                        ],
                    }
                ],
            },
        )
        calls, sizes = [], []
        for n_m in args.figure_masses:
            res = scan_result(n_m, args.couplings)
            path = tmpdir / f"fig-{n_m}" / "contours" / experiment.name / model.name / f"{label}.csv"
            path.parent.mkdir(parents=True)
            rows = write_contours_csv(res, exposures, level, path)
            out = tmpdir / f"fig-{n_m}" / "out"
            out.mkdir()
            files = {(experiment.name, label): path}

            def call(files=files, out=out):
                make_figure(spec, files, out / "fig.png", out / "fig.pdf", out / "fig.csv", out / "hepdata")

            sizes.append(len(rows))
            calls.append(call)
        calls[0]()  # warm-up (matplotlib, HEPData validator imports)
        st = sweep("make_figure", sizes, calls, args.repeats)
        st.update({"size_name": "contour rows", "figure_masses": list(args.figure_masses), "curves": 2})
        stages.append(st)

    # ------------------------------------------------------------------ report
    ok = True
    print(f"\n{'stage':<18} {'size':<44} {'best time (s)':<24} {'slope':>6} {'last':>6}  check (<= {args.max_slope:g})")
    print("-" * 118)
    for st in stages:
        st["max_slope"] = args.max_slope
        st["passed"] = bool(st["slope"] <= args.max_slope)
        ok &= st["passed"]
        sizes_txt = " / ".join(f"{s:.6g}" for s in st["sizes"])
        times_txt = " / ".join(f"{t:.3g}" for t in st["best_s"])
        worst = max(max(f) for f in st["foreign_cores"])
        print(
            f"{st['stage']:<18} {st['size_name'] + ': ' + sizes_txt:<44} {times_txt:<24} {st['slope']:6.2f} "
            f"{st['slope_last_pair']:6.2f}  {'PASS' if st['passed'] else 'FAIL'}"
            f"{f'  (other load up to {worst:.1f} cores)' if worst > 0.2 else ''}"
        )
    print("\nslope: least-squares d log t / d log size over all sizes (checked); last: between the two largest sizes")
    for st in stages:
        if st["stage"] == "expected_events":
            print(f"expected_events: accepted events {' / '.join(map(str, st['accepted_events']))}")
        if st["stage"] == "contours+grid":
            print(
                f"contours+grid: grids {' / '.join(f'{m}x{c}' for m, c in st['grids'])}, contour rows "
                f"{' / '.join(map(str, st['contour_rows']))}, grid CSV rows {' / '.join(map(str, st['grid_csv_rows']))}"
            )

    record = {
        "timestamp": stamp,
        "script": "bench_aggregation",
        "machine": machine,
        "quick": args.quick,
        "model": args.model,
        "benchmark": benchmark,
        "experiment": experiment.name,
        "acceptance": experiment.acceptance,
        "n_couplings": int(couplings.size),
        "repeats": args.repeats,
        "synthetic_mesons_per_species": n_sample,
        "max_slope": args.max_slope,
        "passed": bool(ok),
        "stages": stages,
    }
    append_jsonl(args.output, [record])
    print(f"\nappended 1 line to {args.output}")
    print(
        "all slopes within tolerance"
        if ok
        else f"FAIL: a stage grows faster than linearly (slope > {args.max_slope:g})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
