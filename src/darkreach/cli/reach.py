"""``darkreach reach``: coupling intervals with N >= level for one experiment at one model point.

It goes through the same production calls as the workflow's scan
(:func:`darkreach.sensitivity.experiment_scan.scan_experiment`), with the typed configuration
(:class:`darkreach.config.RunConfig`) of ``--config``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from darkreach.cli import common
from darkreach.config.run import RunConfig
from darkreach.experiments import Experiment

HELP = "coupling intervals with N >= level at one mass point"

#: The catalogue of every experiment of both papers, the default ``--config``.
DEFAULT_CONFIG: Path = Path(__file__).parent.parent / "config" / "paper.yaml"


def add_parser(sub: Any) -> None:
    """Register the subcommand on the subparsers ``sub``."""
    p = common.add_subcommand(sub, "reach", HELP)
    common.add_model_args(p)
    p.add_argument("--experiment", required=True, help="experiment name from the config")
    p.add_argument(
        "--exposure",
        "--npot",
        dest="exposure",
        type=common.positive,
        default=None,
        help="protons on target, or luminosity in fb^-1 at a collider (default: the largest configured exposure)",
    )
    p.add_argument("--ethreshold", type=common.non_negative, default=None, help="visible-energy threshold in GeV")
    p.add_argument("--acceptance", choices=["paper", "exact"], default=None, help="acceptance mode")
    p.add_argument("--events", type=int, default=50000, help="mesons simulated per channel (default 50000)")
    p.add_argument(
        "--sample-events",
        type=common.positive_int,
        default=None,
        metavar="N",
        help="PYTHIA events per generator when reach generates a missing meson sample itself (default: "
        + ", ".join(f"{n} for {process}" for process, n in common.CLI_SAMPLE_EVENTS.items())
        + ")",
    )
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the config's)")
    p.add_argument(
        "--level", type=common.positive, default=None, help="signal events defining the reach (default: config)"
    )
    p.add_argument(
        "--config",
        default=str(DEFAULT_CONFIG),
        help="config file (default: config/paper.yaml, the catalogue of every experiment of both papers)",
    )
    p.add_argument("--results", default="results", help="workflow results folder with meson samples")
    p.set_defaults(func=cmd_reach)


def reach_events(
    run: RunConfig,
    exp: Experiment,
    model: Any,
    point: dict[str, Any],
    couplings: np.ndarray,
    threshold: float,
    exposure: float,
    n_events: int,
    seed: int,
    results: Path,
    acceptance: str | None = None,
    sample_events: int | None = None,
) -> tuple[np.ndarray, Callable[[float], float] | None]:
    """Expected events of experiment ``exp`` at ``point`` for ``couplings``, and N(c) between them (None when the
    source evaluates N only on a grid): the production calls of the workflow's scan
    (:func:`darkreach.sensitivity.experiment_scan.scan_experiment`), at one point (stream key 0, the scan's first
    mass) and with the samples the workflow made, if any (else the CLI's own, :mod:`darkreach.production`)."""
    from darkreach.production import source_class

    beam = run.beam_of(exp)
    source_cls = source_class(exp.frame)
    samples = source_cls.ensure_samples(beam, exp, results, seed, sample_events)
    source = source_cls.from_spec(exp, beam, samples, seed)
    signal = source.simulate(model, point, n_events, seed, acceptance=acceptance)
    n_interactions = exposure * source.experiment.interactions_per_exposure
    grid = signal.expected_events(couplings, threshold, n_interactions)

    def refine(c: float) -> float:
        return float(signal.expected_events(np.array([c]), threshold, n_interactions)[0])

    return grid, (refine if source.continuous_reach else None)


def cmd_reach(args: argparse.Namespace) -> None:
    """The coupling intervals where N >= level, for one experiment at one model point."""
    from darkreach.config import ConfigError, load_run_config
    from darkreach.production import source_class
    from darkreach.sensitivity.contours import coupling_intervals

    model, point = common.model_point(args)
    try:
        run = load_run_config(args.config)
    except ConfigError as err:
        raise common.UsageError(str(err)) from None
    if args.experiment not in run.experiments:
        raise common.UsageError(f"unknown experiment {args.experiment!r}; known: {', '.join(sorted(run.experiments))}")
    exp = run.experiments[args.experiment]
    exposure = args.exposure if args.exposure is not None else max(exp.exposures)
    threshold = args.ethreshold if args.ethreshold is not None else exp.energy_thresholds_gev[0]
    seed = args.seed if args.seed is not None else run.seed
    lo, hi = model.scan.search_range
    couplings = np.geomspace(lo, hi, int(20 * np.log10(hi / lo)) + 1)
    level = args.level if args.level is not None else exp.level
    if args.acceptance is not None and exp.geometry is None:
        raise common.UsageError(f"--acceptance does not apply to the {exp.frame.label} experiment {exp.name!r}")
    problem = source_class(exp.frame).model_problem(model)
    if problem:
        raise common.UsageError(f"--model {model.name} {problem}; it does not apply to {exp.name!r}")
    grid, refine = reach_events(
        run,
        exp,
        model,
        point,
        couplings,
        threshold,
        exposure,
        args.events,
        seed,
        Path(args.results),
        args.acceptance,
        args.sample_events,
    )
    intervals = coupling_intervals(couplings, grid, level, refine=refine)
    payload: dict[str, Any] = {
        "model": model.name,
        "experiment": exp.name,
        **point,
        "scan_variable": model.scan.name,
        "scan_unit": model.scan.unit,
        "exposure": exposure,
        "exposure_unit": exp.exposure_unit,
        "ethreshold_gev": threshold,
        "acceptance": None if exp.geometry is None else (args.acceptance or exp.acceptance),
        "level": level,
        "events_simulated": args.events,
        "seed": seed,
        "max_events": float(grid.max()),
        "intervals": [[iv.low, iv.high] for iv in intervals],
    }
    if any(iv.low_open or iv.high_open for iv in intervals):
        payload["warning"] = f"an interval reaches the edge of the scanned range {lo:g}..{hi:g} {model.scan.unit}"
    text = ", ".join(f"[{iv.low:.4g}, {iv.high:.4g}]" for iv in intervals) or "none"
    common.emit(args, payload, f"N >= {level:g} for {model.scan.name} in {text} {model.scan.unit}")
