"""``darkreach relic``: the dipole coefficient for which the thermal relic of chi1 is Omega h^2 = 0.12."""

from __future__ import annotations

import argparse
from typing import Any

from darkreach.cli import common

HELP = "thermal-relic coupling (Omega h^2 = 0.12) at one model point"


def add_parser(sub: Any) -> None:
    """Register the subcommand on the subparsers ``sub``."""
    parser = common.add_subcommand(sub, "relic", HELP)
    common.add_model_args(parser)
    parser.set_defaults(func=cmd_relic)


def cmd_relic(args: argparse.Namespace) -> None:
    """d_relic, x_f and Omega h^2 at (M1, delta) (:func:`darkreach.cosmology.relic.d_relic`)."""
    from darkreach.cosmology.curves import MODEL
    from darkreach.cosmology.relic import d_relic

    if args.model != MODEL:
        raise common.UsageError(f"--model: a thermal relic is computed for {MODEL} only, got {args.model!r}")
    model, point = common.model_point(args)
    res = d_relic(float(point["m1"]), float(point["delta"]))
    payload = {
        "model": model.name,
        **point,
        model.scan.name: res.d,
        "x_freeze_out": res.x_freeze_out,
        "omega_h2": res.omega_h2,
    }
    common.emit(
        args, payload, f"d_relic = {res.d:.6g} GeV^-1 (Omega h^2 = {res.omega_h2:.4g}, x_f = {res.x_freeze_out:.3g})"
    )
