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
  size: P(|N(0, 2)| < 1)).

Samples: by default the workflow's meson samples (``--results``) are used for every seed, so the seeds vary the
decay sampling and the meson draw, not the PYTHIA sample itself; the bands also contain the finite-sample
variance (batches are meson indices), so they should then come out conservative where that variance matters.
``--fresh-samples`` makes every seed generate its own small samples (the CLI cache, slow).

Usage::

    .venv/bin/python benchmarks/bench_coverage.py --results results --seeds 10

Appends one JSON line per point to ``benchmarks/results/coverage.jsonl`` and prints a Markdown table.
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
    parser.add_argument("--precision", type=float, default=None, help="edge precision target (convergence loop)")
    parser.add_argument("--fresh-samples", action="store_true", help="generate small samples for every seed")
    parser.add_argument("--only", default=None, help="run only the points of these experiments (comma-separated)")
    parser.add_argument("--output", type=Path, default=RESULTS_JSONL, help="JSON-lines file to append to")
    parser.add_argument("--no-save", action="store_true", help="do not append to the JSON-lines file")
    return parser.parse_args(argv)


def edges_for_seed(cfg: dict, experiment: str, model_name: str, point: dict, seed: int, args: argparse.Namespace):
    """[(edge name, edge, s)] of the reach at ``point`` for ``seed``, and the events used."""
    from darkreach.experiments import experiment_from_config
    from darkreach.models import get_model
    from darkreach.production import source_class
    from darkreach.sensitivity.point_reach import point_reach

    model = get_model(model_name)
    exp = experiment_from_config(cfg, experiment)
    cls = source_class(exp.frame)
    # fresh samples: a results folder without workflow samples, so the CLI cache generates them per seed
    results = args.results if not args.fresh_samples else args.results / "coverage_cache"
    samples = cls.ensure_samples(cfg, exp, results, seed if args.fresh_samples else int(cfg["seed"]))
    source = cls.from_config(cfg, experiment, samples, seed)
    lo, hi = model.scan.search_range
    couplings = np.geomspace(lo, hi, int(20 * np.log10(hi / lo)) + 1)
    n_events = args.events or exp.events_per_mass or int(cfg["scan"]["events_per_mass"])
    exposure = max(exp.exposures)
    reach = point_reach(
        source, model, point, couplings, exp.energy_thresholds_gev[0], exposure * exp.interactions_per_exposure,
        n_events, seed, exp.level, args.precision, acceptance=None, batches=int(cfg["scan"].get("batches", 20)),
    )  # fmt: skip
    out = []
    for k, band in enumerate(reach.bands(exp.level)):
        if not band.interval.low_open:
            out.append((f"low{k}", band.interval.low, band.precision_low))
        if not band.interval.high_open:
            out.append((f"high{k}", band.interval.high, band.precision_high))
    return out, reach.events_used


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
        "spread_over_band": float(np.std(logs, ddof=1) / np.mean(s)) if np.mean(s) > 0 else math.inf,
        "pull_width": float(np.sqrt(np.mean(np.square(pulls)))) if pulls else math.nan,
        "in_band_fraction": float(np.mean(inside)) if inside else math.nan,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from darkreach.config import load_config

    cfg = load_config(args.config)
    print("| point | edge | seeds with edge | mean edge | observed spread | mean band s | spread/band | pull width | "
          "in band (52 % expected) | events |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for experiment, model_name, point in POINTS:
        if args.only and experiment not in args.only.split(","):
            continue
        t0 = time.perf_counter()
        per_edge: dict[str, list[tuple[float, float]]] = {}
        events = []
        for seed in range(1, args.seeds + 1):
            edges, used = edges_for_seed(cfg, experiment, model_name, point, 1000 + seed, args)
            events.append(used)
            for name, value, s in edges:
                per_edge.setdefault(name, []).append((value, s))
        label = f"{experiment} {model_name} " + ", ".join(f"{k}={v:g}" for k, v in point.items())
        record: dict[str, Any] = {"point": label, "seeds": args.seeds, "edges": {}, "events": events}
        if not per_edge:
            print(f"| {label} | none | 0 of {args.seeds} | | | | | | | {int(np.mean(events))} |")
        for name, values in per_edge.items():
            if len(values) < 2:
                print(f"| {label} | {name} | {len(values)} of {args.seeds} | {values[0][0]:.3g} | | | | | | |")
                continue
            cov = coverage(values)
            record["edges"][name] = cov
            print(
                f"| {label} | {name} | {len(values)} of {args.seeds} | {np.exp(np.mean(np.log([v for v, _ in values]))):.3g}"
                f" | {cov['spread']:.3f} | {cov['mean_band']:.3f} | {cov['spread_over_band']:.2f} | "
                f"{cov['pull_width']:.2f} | {100 * cov['in_band_fraction']:.0f} % | {int(np.mean(events))} |"
            )
        record["seconds"] = time.perf_counter() - t0
        if not args.no_save:
            append_jsonl(args.output, [{"time": datetime.now(UTC).isoformat(), **machine_info(), **record,
                                          "fresh_samples": args.fresh_samples, "precision": args.precision}])  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
