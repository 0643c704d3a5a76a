"""Benchmark the parton source: PYTHIA's rate for the reference sample and the cost of one reweighted point.

Measures at sqrt(s) = 14 TeV:

1. the rate (events/s, initialisation and the bias table included) of the beam's reference sample
   (:func:`darkreach.production.partons.reference.generate_reference`) with parton and hadron levels off, and with
   ISR on;
2. the events of the sample within +-Gamma of a Breit-Wigner peak per 100,000 events, for the 40 GeV dark photon
   (Gamma ~ M / (48 pi) for g_phi = 1) and a heavy Z' with Gamma/M = 1 %;
3. the wall time of one :func:`darkreach.production.partons.simulation.simulate_partons` point (reweighting,
   thinning to ``events_per_point`` and the numba chain through the MATHUSLA box of ``config/paper.yaml``) for the
   inelastic-scalar EFT at ``--m1`` and ``--delta``.

Usage::

    .venv/bin/python benchmarks/bench_partons.py            # ~30 s
    .venv/bin/python benchmarks/bench_partons.py --json     # one JSON object
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from pathlib import Path

import numpy as np

from darkreach.config import load_run_config
from darkreach.models import get_model
from darkreach.production.partons.reference import generate_reference
from darkreach.production.partons.sample_file import generate_parton_file, read_parton_sample
from darkreach.production.partons.settings import PartonSettings
from darkreach.production.partons.simulation import simulate_partons

ROOT = Path(__file__).resolve().parents[1]


def _rate(n: int, isr: bool) -> float:
    t0 = time.perf_counter()
    generate_reference(14000.0, n, 2, 4.0, isr)
    return n / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--m1", type=float, default=0.1)
    parser.add_argument("--delta", type=float, default=10.0)
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    model = get_model("inelastic-scalar")
    point = {"m1": args.m1, "delta": args.delta}
    process = model.parton_process(point)
    assert process is not None
    rate = _rate(args.events, False)
    rate_isr = _rate(max(args.events // 4, 100), True)
    run = load_run_config(ROOT / "src/darkreach/config/paper.yaml")
    exp = run.experiments["mathusla"]
    settings = run.beams[exp.beam].partons or PartonSettings()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ref.root"
        generate_parton_file(14000.0, args.events, 3, settings.mhat_min_gev, False, path)
        sample = read_parton_sample(path)
    peaks = {}
    for name, mass, width in [("dark photon 40 GeV", 40.0, 40.0 / (48.0 * math.pi)), ("Z' 1 TeV, 1 %", 1000.0, 10.0)]:
        inside = np.abs(sample.sqrt_shat - mass) <= width
        peaks[name] = float(inside.sum()) * 1.0e5 / sample.sqrt_shat.size

    def one(stream_key: int) -> tuple[float, object]:
        t0 = time.perf_counter()
        signal = simulate_partons(model, point, process, sample, exp.kernel_geometry(), 1, stream_key,
                                  exp.cross_section_mb or 1.0, max_events=settings.events_per_point)  # fmt: skip
        return time.perf_counter() - t0, signal

    first_s, _ = one(0)  # numba kernels load or compile here
    point_s, signal = one(1)
    n = signal.expected_events(  # type: ignore[attr-defined]
        np.array([1000.0, 3000.0]), 2.0, 3000.0 * exp.interactions_per_exposure
    )
    out = {
        "point": point,
        "reference_events_per_s": rate,
        "reference_events_per_s_isr": rate_isr,
        "events_within_gamma_per_1e5": peaks,
        "beam_settings": dict(settings.as_dict(), events_per_point=settings.events_per_point),
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
