"""``darkreach reach``: coupling intervals with N >= level for one experiment at one model point.

It goes through the same production calls as the workflow's scan
(:func:`darkreach.sensitivity.experiment_scan.scan_experiment`), with the typed configuration
(:class:`darkreach.config.RunConfig`) of ``--config``.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from darkreach.cli import common
from darkreach.config.run import RunConfig
from darkreach.experiments import Experiment
from darkreach.sensitivity.point_reach import PointReach
from darkreach.sensitivity.yields import DEFAULT_BATCHES

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
        "--precision",
        type=common.positive,
        default=None,
        help="target relative precision of the interval edges: more events (up to 8x --events) until reached",
    )
    p.add_argument(
        "--sample-events",
        type=common.positive_int,
        default=None,
        metavar="N",
        help="PYTHIA events per generator when reach generates a missing meson sample itself (default: "
        + ", ".join(f"{n} for {process}" for process, n in common.CLI_SAMPLE_EVENTS.items())
        + ")",
    )
    p.add_argument(
        "--production",
        choices=["mesons", "partons", "all"],
        default=None,
        help="production sources: mesons (the beam's own), partons (pp -> phi1 phi2, colliders), all (both; "
        "expected events add); default: the experiment's production list",
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
    level: float | None = None,
    precision: float | None = None,
) -> PointReach:
    """The reach of experiment ``exp`` at ``point``: the production calls of the workflow's scan
    (:func:`darkreach.sensitivity.experiment_scan.scan_experiment`), at one point (stream key 0, the scan's first
    mass; more keys with ``precision``) and with the samples the workflow made, if any (else the CLI's own,
    :mod:`darkreach.production`)."""
    from darkreach.production import experiment_source_class
    from darkreach.sensitivity.point_reach import point_reach

    beam = run.beam_of(exp)
    source_cls = experiment_source_class(exp)
    samples = source_cls.ensure_samples(beam, exp, results, seed, sample_events)
    source = source_cls.from_spec(exp, beam, samples, seed)
    n_interactions = exposure * source.experiment.interactions_per_exposure
    return point_reach(
        source,
        model,
        point,
        couplings,
        threshold,
        n_interactions,
        n_events,
        seed,
        exp.level if level is None else level,
        precision,
        acceptance=acceptance,
        batches=run.scan.batches or DEFAULT_BATCHES,
    )


def with_production(exp: Experiment, production: str | None) -> Experiment:
    """``exp`` with the sources of ``--production`` (``all``: mesons and partons); unchanged for None."""
    if production is None:
        return exp
    names = ("mesons", "partons") if production == "all" else (production,)
    return replace(exp, production=names)


def cmd_reach(args: argparse.Namespace) -> None:
    """The coupling intervals where N >= level, for one experiment at one model point."""
    from darkreach.config import ConfigError, load_run_config
    from darkreach.production import production_problem

    model, point = common.model_point(args)
    try:
        run = load_run_config(args.config)
    except ConfigError as err:
        raise common.UsageError(str(err)) from None
    if args.experiment not in run.experiments:
        raise common.UsageError(f"unknown experiment {args.experiment!r}; known: {', '.join(sorted(run.experiments))}")
    exp = with_production(run.experiments[args.experiment], args.production)
    exposure = args.exposure if args.exposure is not None else max(exp.exposures)
    threshold = args.ethreshold if args.ethreshold is not None else exp.energy_thresholds_gev[0]
    seed = args.seed if args.seed is not None else run.seed
    lo, hi = model.scan.search_range
    couplings = np.geomspace(lo, hi, int(20 * np.log10(hi / lo)) + 1)
    level = args.level if args.level is not None else exp.level
    if args.acceptance is not None and exp.geometry is None:
        raise common.UsageError(f"--acceptance does not apply to the {exp.frame.label} experiment {exp.name!r}")
    try:
        problem = production_problem(exp, model)
    except ValueError as err:
        raise common.UsageError(f"--production {args.production}: {err}") from None
    if problem:
        hint = "; use --production mesons" if len(exp.production) > 1 else ""
        raise common.UsageError(f"--model {model.name} {problem}; it does not apply to {exp.name!r}{hint}")
    reach = reach_events(
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
        level,
        args.precision,
    )
    bands = reach.bands(level)
    intervals = [b.interval for b in bands]
    grid = reach.grid
    payload: dict[str, Any] = {
        "model": model.name,
        "experiment": exp.name,
        **point,
        "scan_variable": model.scan.name,
        "scan_unit": model.scan.unit,
        "exposure": exposure,
        "exposure_unit": exp.exposure_unit,
        "ethreshold_gev": threshold,
        "production": list(exp.production),
        "acceptance": None if exp.geometry is None else (args.acceptance or exp.acceptance),
        "level": level,
        "events_simulated": reach.events_used,
        "seed": seed,
        "max_events": float(grid.max()),
        "intervals": [[iv.low, iv.high] for iv in intervals],
        "intervals_band": [[list(b.low_band), list(b.high_band)] for b in bands],
        "edge_precision": reach.precision,
    }
    if args.precision is not None and reach.precision > args.precision:
        payload["precision_warning"] = (
            f"edge precision {reach.precision:.3g} above the target {args.precision:g} after {reach.events_used} events"
        )
    if any(iv.low_open or iv.high_open for iv in intervals):
        payload["warning"] = f"an interval reaches the edge of the scanned range {lo:g}..{hi:g} {model.scan.unit}"
    text = ", ".join(
        f"[{b.interval.low:.4g} ({b.low_band[0]:.3g}-{b.low_band[1]:.3g}), "
        f"{b.interval.high:.4g} ({b.high_band[0]:.3g}-{b.high_band[1]:.3g})]"
        for b in bands
    )
    common.emit(
        args,
        payload,
        f"N >= {level:g} for {model.scan.name} in {text or 'none'} {model.scan.unit} "
        f"(68 % statistical bands in brackets; edge precision {reach.precision:.3g})",
    )
