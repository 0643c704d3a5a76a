"""``darkreach br``: the branching ratio of a meson into the dark states at one model point."""

from __future__ import annotations

import argparse
from typing import Any

from darkreach.cli import common
from darkreach.mesons import MESONS

HELP = "branching ratio of a meson into the dark states"


def add_parser(sub: Any) -> None:
    """Register the subcommand on the subparsers ``sub``."""
    parser = common.add_subcommand(sub, "br", HELP)
    common.add_model_args(parser)
    common.add_scan_args(parser)
    parser.add_argument("--meson", required=True, choices=sorted(MESONS), help="decaying meson")
    parser.set_defaults(func=cmd_br)


def cmd_br(args: argparse.Namespace) -> None:
    """BR(meson -> dark states) at the point and coupling."""
    model, point = common.model_point(args)
    coupling = common._coupling(args, model)
    br = model.branching_ratio(args.meson, point, coupling)
    payload = {"model": model.name, "meson": args.meson, **point, model.scan.name: coupling, "br": br}
    common.emit(args, payload, f"BR({args.meson} -> dark) = {br:.6g}")
