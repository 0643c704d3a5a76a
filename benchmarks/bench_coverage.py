"""Coverage of the statistical bands: repeat a few points over seeds and compare the spread with the bands.

For every point (experiment, model, point) and seed, the reach is computed exactly as ``darkreach reach`` does
(:func:`darkreach.sensitivity.point_reach.point_reach`: one simulated point, jackknife replicates over meson
batches, optionally the convergence loop) and every interval edge is recorded with its reported relative
half-width s. Over the seeds, for each edge:

* ``spread/band``: the observed standard deviation of log(edge) over the seeds divided by the mean reported s
  (1 when the bands are right; below 1 they are conservative);
* pull width: the standard deviation of (log e_i - log e_j) / sqrt(s_i^2 + s_j^2) over all seed pairs (1 when
  right);
* in-band fraction: how often seed i's edge lies inside seed j's band (52 % expected for Gaussian errors of equal
  size: P(|N(0, 2)| < 1));
* N near the edge: the same comparison for the yield itself at the grid coupling nearest the mean edge, the
  spread of log N over the seeds against the rms of the jackknife sd_J(N)/N. It separates the variance estimate
  from the edge interpolation (an edge's s is about that of N divided by the local slope d log N / d log c).

A spread/band measured over n seeds carries a statistical uncertainty of about 1/sqrt(2 (n - 1)): +-24 % for 10
seeds, +-16 % for 20, +-9 % for 60. ``--batches`` overrides ``scan.batches`` (the jackknife's B); ``--channels``
adds the N-near-edge comparison per production channel at every lower edge (meson beams; one more simulation per
seed). ``configs/sps450-no-tail-stratum.yaml`` (``--config``) reproduces the samples of the first coverage run.

Samples: by default the workflow's meson samples (``--results``) are used for every seed, so the seeds vary the
decay sampling and the meson draw (at FASER 2 also the importance thinning of the sample, keyed by the seed), not
the PYTHIA sample itself; the bands also contain the finite-sample
variance (batches are meson indices), so they should then come out conservative where that variance matters.
``--fresh-samples`` makes every seed generate its own small samples (the CLI cache, ``--sample-events`` PYTHIA
events per generator; slow).

Usage::

    .venv/bin/python benchmarks/bench_coverage.py --results results --seeds 20

Appends one JSON line per point (with every seed's edges and bands) to ``benchmarks/results/coverage.jsonl`` and
prints a Markdown table.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from _machine import append_jsonl, machine_info  # noqa: E402 (benchmarks/ is on sys.path)

REPO = Path(__file__).resolve().parent.parent
RESULTS_JSONL = Path(__file__).resolve().parent / "results" / "coverage.jsonl"

#: (experiment, model, point): the points of issue 12 (NA62, CHARM-II at two deltas, FASER 2).
POINTS: list[tuple[str, str, dict[str, float]]] = [
    ("na62", "idm-dipole", {"m1": 0.3, "delta": 0.1}),
    ("charm2", "idm-dipole", {"m1": 0.1, "delta": 0.1}),
    ("charm2", "idm-dipole", {"m1": 0.1, "delta": 0.005}),
    ("faser2", "idm-dipole", {"m1": 0.05, "delta": 0.1}),
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=Path("results"), help="workflow results with meson samples")
    parser.add_argument("--config", type=Path, default=REPO / "config" / "paper.yaml")
    parser.add_argument("--seeds", type=int, default=10, help="seeds per point (default 10)")
    parser.add_argument("--events", type=int, default=None, help="events per channel (default: the experiment's)")
    parser.add_argument("--batches", type=int, default=None, help="jackknife batches (default: the config's)")
    parser.add_argument("--precision", type=float, default=None, help="edge precision target (convergence loop)")
    parser.add_argument("--fresh-samples", action="store_true", help="generate small samples for every seed")
    parser.add_argument("--sample-events", type=int, default=None, help="PYTHIA events of --fresh-samples")
    parser.add_argument(
        "--channels", action="store_true", help="also the N-near-edge comparison per production channel (meson beams)"
    )
    parser.add_argument("--only", default=None, help="run only the points of these experiments (comma-separated)")
    parser.add_argument("--output", type=Path, default=RESULTS_JSONL, help="JSON-lines file to append to")
    parser.add_argument("--no-save", action="store_true", help="do not append to the JSON-lines file")
    return parser.parse_args(argv)


def results_of(args: argparse.Namespace) -> Path:
    """Where the samples are: ``--results``; with ``--fresh-samples`` a folder without workflow samples in it, so
    that the CLI cache generates them per seed."""
    return args.results if not args.fresh_samples else args.results / "coverage_cache"


def seeds_of(args: argparse.Namespace) -> list[int]:
    """The seeds of the run: 1001, 1002, ..., 1000 + ``--seeds``."""
    return list(range(1001, 1001 + args.seeds))


def reach_for_seed(run: Any, experiment: str, model_name: str, point: dict, seed: int, args: argparse.Namespace):
    """The :class:`~darkreach.sensitivity.point_reach.PointReach` of ``darkreach reach`` at ``point`` for ``seed``
    (:func:`darkreach.cli.reach.reach_events`: the same source, samples, grid and jackknife)."""
    from darkreach.cli.reach import reach_events
    from darkreach.models import get_model

    model = get_model(model_name)
    exp = run.experiments[experiment]
    lo, hi = model.scan.search_range
    couplings = np.geomspace(lo, hi, int(20 * np.log10(hi / lo)) + 1)
    n_events = args.events or exp.events_per_mass or run.scan.events_per_mass
    return reach_events(
        run, exp, model, point, couplings, exp.energy_thresholds_gev[0], max(exp.exposures), n_events, seed,
        results_of(args), sample_events=args.sample_events, precision=args.precision,
    )  # fmt: skip


def edges_of(reach: Any, level: float) -> list[tuple[str, float, float]]:
    """[(edge name, edge, s)] of every closed interval edge of ``reach`` at ``level``."""
    out = []
    for k, band in enumerate(reach.bands(level)):
        if not band.interval.low_open:
            out.append((f"low{k}", band.interval.low, band.precision_low))
        if not band.interval.high_open:
            out.append((f"high{k}", band.interval.high, band.precision_high))
    return out


def yield_coverage(reaches: list[Any], edge: float) -> dict[str, float]:
    """Seed-to-seed spread of log N at the grid coupling nearest ``edge`` against the jackknife sd_J(N)/N there.

    The edge is a function of N near it (N ~ c^4 at a lower edge of the dipole model): comparing N itself
    separates the variance estimate from the edge interpolation.
    """
    from darkreach.sensitivity.bands import jackknife_sd

    c = reaches[0].couplings
    j = int(np.argmin(np.abs(np.log(c / edge))))
    values = np.array([r.grid[j] for r in reaches])
    positive = values > 0.0  # a seed without any event there has no log N (and no band): left out, counted
    out: dict[str, float] = {"coupling": float(c[j]), "seeds_with_n": int(positive.sum())}
    if positive.sum() < 2:
        return out
    s = np.array([jackknife_sd(r.replicates[:, j]) / r.grid[j] for r, ok in zip(reaches, positive) if ok])
    logs = np.log(values[positive])
    rms = float(np.sqrt(np.mean(s * s)))
    return out | {
        "mean_n": float(np.exp(np.mean(logs))),
        "spread_n": float(np.std(logs, ddof=1)),
        "mean_band_n": float(np.mean(s)),
        "rms_band_n": rms,
        "spread_over_band_n": float(np.std(logs, ddof=1) / rms) if rms > 0 else math.inf,
    }


def yield_text(ycov: dict[str, float], seeds: int) -> str:
    """The table cell of :func:`yield_coverage`."""
    if "spread_n" not in ycov:
        return f"N > 0 in {ycov['seeds_with_n']} of {seeds} seeds (c = {ycov['coupling']:.3g})"
    note = "" if ycov["seeds_with_n"] == seeds else f", {ycov['seeds_with_n']} of {seeds} seeds"
    return (
        f"{ycov['spread_n']:.3f} / {ycov['rms_band_n']:.3f} = {ycov['spread_over_band_n']:.2f} "
        f"(c = {ycov['coupling']:.3g}{note})"
    )


def channel_coverage(
    run: Any, experiment: str, model_name: str, point: dict, coupling: float, seeds: list[int], args: argparse.Namespace
) -> dict[str, dict[str, float]]:
    """Per production channel of a meson-beam experiment: mean N at ``coupling``, the seed-to-seed spread of N
    and the rms jackknife sd_J(N), both relative to the mean (the same simulation as :func:`reach_for_seed`,
    stream key 0; a channel's N is eq. 4.1 restricted to its events)."""
    from darkreach.models import get_model
    from darkreach.production import experiment_source_class
    from darkreach.sensitivity.bands import jackknife_sd
    from darkreach.sensitivity.yields import expected_events_replicates

    model = get_model(model_name)
    exp = run.experiments[experiment]
    beam = run.beam_of(exp)
    cls = experiment_source_class(exp)
    n_events = args.events or exp.events_per_mass or run.scan.events_per_mass
    n_int = max(exp.exposures) * exp.interactions_per_exposure
    c = np.array([coupling])
    per: dict[str, list[tuple[float, float]]] = {}
    for seed in seeds:
        samples = cls.ensure_samples(beam, exp, results_of(args), seed, args.sample_events)
        signal = cls.from_spec(exp, beam, samples, seed).simulate(model, point, n_events, seed, 0,
                                                                  batches=run.scan.batches or 20)  # fmt: skip
        if not hasattr(signal, "events"):
            raise SystemExit(f"--channels needs a meson-beam experiment; {experiment!r} has {type(signal).__name__}")
        for ev in signal.events:
            n, reps = expected_events_replicates(
                model, point, [ev], c, signal.mesons_per_interaction, n_int, exp.energy_thresholds_gev[0],
                signal.efficiency, signal.channel_efficiencies, signal.energy_max,
            )  # fmt: skip
            per.setdefault(ev.production.meson, []).append((float(n[0]), float(jackknife_sd(reps[:, 0]))))
    out = {}
    for meson, values in per.items():
        n, sd = np.array(values).T
        if n.mean() > 0:
            out[meson] = {"mean_n": float(n.mean()), "spread_n": float(np.std(n, ddof=1) / n.mean()),
                          "rms_band_n": float(np.sqrt(np.mean(sd * sd)) / n.mean())}  # fmt: skip
    return out


def coverage(values: list[tuple[float, float]]) -> dict[str, float]:
    """spread/band, pull width and in-band fraction of [(edge, s)] over seeds (module docstring)."""
    logs = np.log([v for v, _ in values])
    s = np.array([x for _, x in values])
    pulls, inside = [], []
    for i, j in itertools.permutations(range(len(values)), 2):
        inside.append(abs(logs[i] - logs[j]) <= s[j])
        if i < j and (s[i] > 0 or s[j] > 0):
            pulls.append((logs[i] - logs[j]) / math.hypot(s[i], s[j]))
    return {
        "n_seeds": len(values),
        "spread": float(np.std(logs, ddof=1)),
        "mean_band": float(np.mean(s)),
        "rms_band": float(np.sqrt(np.mean(s * s))),
        "spread_over_band": float(np.std(logs, ddof=1) / np.mean(s)) if np.mean(s) > 0 else math.inf,
        "pull_width": float(np.sqrt(np.mean(np.square(pulls)))) if pulls else math.nan,
        "in_band_fraction": float(np.mean(inside)) if inside else math.nan,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from dataclasses import replace

    from darkreach.config import load_run_config

    run = load_run_config(args.config)
    if args.batches is not None:
        run = replace(run, scan=replace(run.scan, batches=args.batches))
    batches = run.scan.batches or 20
    print(f"jackknife batches: {batches}")
    print("| point | edge | seeds with edge | mean edge | observed spread | mean band s | spread/band | pull width | "
          "in band (52 % expected) | events | N near edge: spread / rms sd_J(N)/N |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    notes: list[str] = []  # the per-channel lines of --channels, printed below the table
    for experiment, model_name, point in POINTS:
        if args.only and experiment not in args.only.split(","):
            continue
        t0 = time.perf_counter()
        level = run.experiments[experiment].level
        reaches = [reach_for_seed(run, experiment, model_name, point, seed, args) for seed in seeds_of(args)]
        per_edge: dict[str, list[tuple[float, float]]] = {}
        for reach in reaches:
            for name, value, s in edges_of(reach, level):
                per_edge.setdefault(name, []).append((value, s))
        events = [r.events_used for r in reaches]
        label = f"{experiment} {model_name} " + ", ".join(f"{k}={v:g}" for k, v in point.items())
        record: dict[str, Any] = {"point": label, "config": str(args.config), "seeds": args.seeds,
                                  "batches": batches, "edges": {}, "events": events}  # fmt: skip
        if not per_edge:
            print(f"| {label} | none | 0 of {args.seeds} | | | | | | | {int(np.mean(events))} | |")
        for name, values in per_edge.items():
            if len(values) < 2:
                print(f"| {label} | {name} | {len(values)} of {args.seeds} | {values[0][0]:.3g} | | | | | | | |")
                continue
            cov = coverage(values)
            mean_edge = float(np.exp(np.mean(np.log([v for v, _ in values]))))
            ycov = yield_coverage(reaches, mean_edge)
            record["edges"][name] = {**cov, "yield": ycov, "per_seed": values}
            if args.channels and name.startswith("low"):
                chans = channel_coverage(run, experiment, model_name, point, mean_edge, seeds_of(args), args)
                record["edges"][name]["channels"] = chans
                notes += [f"{label} {name} at {mean_edge:.3g}: {meson} N = {ch['mean_n']:.3g}, spread {ch['spread_n']:.3f}"
                          f" / rms sd_J {ch['rms_band_n']:.3f} = {ch['spread_n'] / ch['rms_band_n']:.2f}"
                          for meson, ch in chans.items()]  # fmt: skip
            print(
                f"| {label} | {name} | {len(values)} of {args.seeds} | {mean_edge:.3g}"
                f" | {cov['spread']:.3f} | {cov['mean_band']:.3f} | {cov['spread_over_band']:.2f} | "
                f"{cov['pull_width']:.2f} | {100 * cov['in_band_fraction']:.0f} % | {int(np.mean(events))} | "
                f"{yield_text(ycov, args.seeds)} |"
            )
        record["seconds"] = time.perf_counter() - t0
        if not args.no_save:
            append_jsonl(args.output, [{"time": datetime.now(UTC).isoformat(), **machine_info(), **record,
                                          "fresh_samples": args.fresh_samples, "precision": args.precision}])  # fmt: skip
    if notes:
        print("\nN near the lower edges per production channel (relative spread over seeds / rms jackknife sd):")
        print("\n".join(notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
