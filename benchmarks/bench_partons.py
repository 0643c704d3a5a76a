"""Benchmark the parton source: PYTHIA's rate for q qbar -> phi1 phi2 and the cost of one simulated point.

Measures, for the inelastic-scalar EFT (c_f = 1) at ``--m1`` and ``--delta`` at sqrt(s) = 14 TeV:

1. the PYTHIA initialisation time of one sqrt(s_hat) slice (``Pythia.init`` with the Python ``Sigma2Process``);
2. the event rate (events/s) of the hard process with parton and hadron levels off, and with ISR on;
3. the wall time of one :func:`darkreach.production.partons.simulation.simulate_partons` point with the
   MATHUSLA settings of ``config/paper.yaml`` (generation + numba chain through the MATHUSLA box).

Usage::

    .venv/bin/python benchmarks/bench_partons.py            # ~20 s
    .venv/bin/python benchmarks/bench_partons.py --json     # one JSON object
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from darkreach.config import load_run_config
from darkreach.models import get_model
from darkreach.production.partons.generator import generate_events
from darkreach.production.partons.settings import PartonSettings
from darkreach.production.partons.simulation import simulate_partons

ROOT = Path(__file__).resolve().parents[1]


def _rate(process: object, n: int, isr: bool) -> tuple[float, float]:
    """(init seconds per slice, events per second) from one single-slice run and one with 8 slices."""
    t0 = time.perf_counter()
    generate_events(process, 14000.0, 8, 1, slices=8, isr=isr)  # type: ignore[arg-type]
    init = (time.perf_counter() - t0) / 8
    t0 = time.perf_counter()
    generate_events(process, 14000.0, n, 2, slices=1, isr=isr)  # type: ignore[arg-type]
    dt = time.perf_counter() - t0 - init
    return init, n / dt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--m1", type=float, default=0.1)
    parser.add_argument("--delta", type=float, default=10.0)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    model = get_model("inelastic-scalar")
    point = {"m1": args.m1, "delta": args.delta}
    process = model.parton_process(point)
    init, rate = _rate(process, args.events, False)
    init_isr, rate_isr = _rate(process, max(args.events // 4, 100), True)
    run = load_run_config(ROOT / "src/darkreach/config/paper.yaml")
    exp = run.experiments["mathusla"]
    settings = exp.partons or PartonSettings()

    def one(stream_key: int) -> tuple[float, object]:
        t0 = time.perf_counter()
        signal = simulate_partons(
            model, point, process, settings, 14000.0, exp.kernel_geometry(), 1, stream_key, exp.cross_section_mb or 1.0
        )
        return time.perf_counter() - t0, signal

    first_s, _ = one(0)  # numba kernels load or compile here
    point_s, signal = one(1)
    n = signal.expected_events(  # type: ignore[attr-defined]
        np.array([1000.0, 3000.0]), 2.0, 3000.0 * exp.interactions_per_exposure
    )
    out = {
        "point": point,
        "init_s_per_slice": init,
        "events_per_s": rate,
        "init_s_per_slice_isr": init_isr,
        "events_per_s_isr": rate_isr,
        "mathusla_settings": vars(settings),
        "mathusla_first_point_s": first_s,
        "mathusla_point_s": point_s,
        "mathusla_N_at_lambda_1_3_TeV": n.tolist(),
    }
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k}: {v}")


if __name__ == "__main__":
    main()
