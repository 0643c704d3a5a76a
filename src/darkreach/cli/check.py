"""``darkreach check``: load and validate a workflow config file."""

from __future__ import annotations

import argparse
from typing import Any

from darkreach.cli import common

HELP = "load and validate a workflow config file"


def add_parser(sub: Any) -> None:
    """Register the subcommand on the subparsers ``sub``."""
    parser = common.add_subcommand(sub, "check", HELP)
    parser.add_argument("config", metavar="CONFIG", help="YAML config file, e.g. config/config.yaml")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> None:
    """Validate the file (schema, semantics, typed specs) and name its experiments and models."""
    from darkreach.config import ConfigError, load_run_config

    try:
        run = load_run_config(args.config)
    except ConfigError as err:
        raise common.UsageError(str(err)) from None
    experiments = sorted(run.experiments)
    models = sorted(run.models)
    payload = {"config": args.config, "valid": True, "experiments": experiments, "models": models}
    common.emit(args, payload, f"{args.config}: valid ({len(experiments)} experiments, {len(models)} models)")
