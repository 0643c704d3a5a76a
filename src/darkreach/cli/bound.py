"""``darkreach bound``: the excluded intervals of a model's scanned coupling from one bound at one model point.

Computed bounds (``lep-monophoton``, ``upsilon-invisible``, ``jpsi-invisible``, ``ewpm``, ``ewpm-projection``,
``dilepton``: :mod:`darkreach.bounds`) are evaluated directly; the bounds of paper 000 that are experiments of the
config (``charm2``, ``bebc``, ``nucal``, ``babar``) go through the reach machinery (``darkreach reach``), with
``--config``, ``--results``, ``--events`` and ``--seed``.
"""

from __future__ import annotations

import argparse
import inspect
from typing import Any

from darkreach.cli import common
from darkreach.cli.reach import DEFAULT_CONFIG

HELP = "excluded intervals of the scanned coupling from one bound at one model point"


def add_parser(sub: Any) -> None:
    """Register the subcommand on the subparsers ``sub``."""
    from darkreach.bounds import bound_names

    p = common.add_subcommand(sub, "bound", HELP)
    p.add_argument("--bound", required=True, choices=bound_names(), help="bound name")
    common.add_model_args(p)
    p.add_argument("--events", type=int, default=50000, help="events per channel of an experiment's bound")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the config's)")
    p.add_argument("--config", default=str(DEFAULT_CONFIG), help="config of the experiment bounds and the seed")
    p.add_argument("--results", default="results", help="workflow results folder with meson samples")
    p.set_defaults(func=cmd_bound)


def cmd_bound(args: argparse.Namespace) -> None:
    """Print ``{"bound", "scan_variable", "excluded": [[lo, hi], ...]}`` (and the open ends)."""
    from darkreach.bounds import bound_class, get_bound
    from darkreach.bounds.experiment_bounds import ExperimentBound
    from darkreach.config import ConfigError, load_run_config

    model, point = common.model_point(args)
    try:
        run = load_run_config(args.config)
    except ConfigError as err:
        raise common.UsageError(str(err)) from None
    seed = run.seed if args.seed is None else args.seed
    cls = bound_class(args.bound)
    if issubclass(cls, ExperimentBound):
        bound = get_bound(args.bound, config=args.config, results=args.results, events=args.events, seed=seed)
    elif "seed" in inspect.signature(cls).parameters:
        bound = get_bound(args.bound, seed=seed)
    else:
        bound = get_bound(args.bound)
    problem = bound.model_problem(model)
    if problem:
        raise common.UsageError(problem)
    lo, hi = model.scan.search_range
    try:
        intervals = bound.excluded(model, point, (lo, hi))
    except ValueError as err:
        raise common.UsageError(str(err)) from None
    payload: dict[str, Any] = {
        "bound": bound.name,
        "model": model.name,
        **point,
        "scan_variable": model.scan.name,
        "scan_unit": model.scan.unit,
        "excluded": [[iv.low, iv.high] for iv in intervals],
        "open_ends": [[iv.low_open, iv.high_open] for iv in intervals],
        "source": bound.source,
    }
    text = ", ".join(
        f"[{iv.low:.4g}{'-' if iv.low_open else ''}, {iv.high:.4g}{'+' if iv.high_open else ''}]" for iv in intervals
    )
    common.emit(args, payload, f"{bound.name}: {model.scan.name} excluded in {text or 'none'} {model.scan.unit}")
