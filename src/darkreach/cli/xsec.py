"""``darkreach xsec``: sigma(pp -> phi1 phi2) of a model point, with and without the EFT-validity cut."""

from __future__ import annotations

import argparse
from typing import Any

from darkreach.cli import common

HELP = "cross section of pp -> LLP pair from partons (PDF convolution with PYTHIA's PDF)"


def add_parser(sub: Any) -> None:
    """Register the subcommand on the subparsers ``sub``."""
    parser = common.add_subcommand(sub, "xsec", HELP)
    common.add_model_args(parser)
    common.add_scan_args(parser)
    parser.add_argument("--sqrt-s", type=common.positive, default=14000.0, help="pp energy in GeV (default 14000)")
    parser.add_argument(
        "--mhat-min",
        type=common.non_negative,
        default=4.0,
        help="lowest sqrt(s_hat) in GeV (default 4, as the parton source: PYTHIA's PhaseSpace:mHatMin)",
    )
    parser.set_defaults(func=cmd_xsec)


def cmd_xsec(args: argparse.Namespace) -> None:
    """sigma_pb (no cut) and sigma_pb_cut (sqrt(s_hat) <= Lambda, g* = 1) at the point and coupling."""
    from darkreach.production.partons.convolution import hadronic_cross_section_pb, pythia_proton_pdf

    model, point = common.model_point(args)
    coupling = common._coupling(args, model)
    process = model.parton_process(point)
    if process is None:
        raise common.UsageError(f"--model {model.name} has no parton-level process")
    xf, pdf_name = pythia_proton_pdf()
    weight = float(process.coupling_weight([coupling])[0])
    process = process.at_coupling(coupling)  # a mediator whose mass is the scanned coupling: its Breit-Wigner there
    sigma = hadronic_cross_section_pb(process, xf, args.sqrt_s, mhat_min=args.mhat_min) * weight
    sigma_cut = (
        hadronic_cross_section_pb(process, xf, args.sqrt_s, cut=coupling, mhat_min=args.mhat_min) * weight
        if process.eft_cut
        else sigma
    )
    payload = {
        "model": model.name,
        **point,
        model.scan.name: coupling,
        "process": process.label,
        "sigma_pb": sigma,
        "sigma_pb_cut": sigma_cut,
        "cut": f"sqrt(s_hat) <= {model.scan.name} (g* = 1)" if process.eft_cut else None,
        "sqrt_s_gev": args.sqrt_s,
        "mhat_min_gev": args.mhat_min,
        "pdf": pdf_name,
        "scale": "Q^2 = s_hat",
    }
    common.emit(
        args,
        payload,
        f"sigma(pp -> phi1 phi2) = {sigma:.6g} pb, {sigma_cut:.6g} pb with sqrt(s_hat) <= {coupling:g} "
        f"(sqrt(s) = {args.sqrt_s:g} GeV, {pdf_name}, Q^2 = s_hat)",
    )
