"""``darkreach lifetime``: proper decay length and width of the long-lived state at one model point."""

from __future__ import annotations

import argparse
from typing import Any

from darkreach.cli import common

HELP = "proper decay length and width of the long-lived state"


def add_parser(sub: Any) -> None:
    """Register the subcommand on the subparsers ``sub``."""
    parser = common.add_subcommand(sub, "lifetime", HELP)
    common.add_model_args(parser)
    common.add_scan_args(parser)
    parser.set_defaults(func=cmd_lifetime)


def cmd_lifetime(args: argparse.Namespace) -> None:
    """c tau and the total width at the point and coupling; the branching ratios when there are several channels."""
    model, point = common.model_point(args)
    coupling = common._coupling(args, model)
    width = model.llp_width(point, coupling)
    ctau = model.llp_ctau(point, coupling)
    payload = {"model": model.name, **point, model.scan.name: coupling, "ctau_m": ctau, "width_gev": width}
    channels = model.decay_channels(point)
    if len(channels) > 1:
        payload["channels"] = {ch.name: ch.branching_ratio for ch in channels}
    common.emit(args, payload, f"c*tau = {ctau:.6g} m, width = {width:.6g} GeV")
