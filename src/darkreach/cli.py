"""The ``darkreach`` command line: single-point questions (lifetime, branching ratio, reach) and config checks.

Every subcommand prints a human-readable line, or one JSON object with ``--json``. Unphysical or unknown
arguments give a one-line error on stderr and exit status 2; a failure while running gives exit status 1.
With ``--json`` an error is one JSON object on stdout instead.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from darkreach.mesons import MESONS
from darkreach.production.meson_beams.store import CLI_SAMPLE_EVENTS
from darkreach.seeds import SEED_MAX


def _mapping_file(text: str) -> dict[str, Any]:
    """A YAML or JSON file holding a mapping (e.g. Wilson coefficients)."""
    import yaml

    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"file {text!r} does not exist")
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as err:
        raise argparse.ArgumentTypeError(f"file {text!r} is not valid YAML/JSON: {err}") from None
    if not isinstance(data, dict):
        raise argparse.ArgumentTypeError(f"file {text!r} must hold a mapping, got {type(data).__name__}")
    return data


#: Model-parameter options come from the models' declarations (:class:`darkreach.models.ParameterSpec`):
#: :func:`darkreach.models.registry.cli_parameters` (one option per flag, merged over the models that share
#: it) and :func:`darkreach.models.registry.cli_scan_options` (the options setting the scanned coupling).
_PARAMETER_TYPES: dict[type, Any] = {float: float, str: str, dict: _mapping_file}


class UsageError(Exception):
    """Bad command-line input; reported in one line with exit status 2."""


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be positive and finite, got {text!r}")
    return value


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (value >= 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be non-negative, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        raise UsageError(message)


def _add_model_args(parser: argparse.ArgumentParser) -> None:
    from darkreach.models import model_names
    from darkreach.models.registry import cli_parameters

    parser.add_argument("--model", required=True, choices=model_names(), help="dark-sector model")
    for option in cli_parameters().values():
        parser.add_argument(
            option.flag,
            dest=option.name,
            type=_PARAMETER_TYPES[option.type],
            default=None,
            choices=option.choices,
            help=option.help,
        )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _add_scan_args(parser: argparse.ArgumentParser) -> None:
    from darkreach.models.registry import cli_scan_options

    for option, help_text in cli_scan_options().items():
        parser.add_argument(option, dest=option.lstrip("-"), type=_positive, default=None, help=help_text)


def _coupling(args: argparse.Namespace, model: Any) -> float:
    from darkreach.models.registry import cli_scan_options

    option = model.scan.cli_option
    for other in cli_scan_options():
        if other != option and getattr(args, other.lstrip("-")) is not None:
            raise UsageError(f"--model {model.name} takes {option}, not {other}")
    value = getattr(args, option.lstrip("-"))
    if value is None:
        raise UsageError(f"--model {model.name} needs {option} ({model.scan.name} in {model.scan.unit})")
    return value


def _point(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    from darkreach.models import get_model
    from darkreach.models.registry import cli_parameters

    model = get_model(args.model)
    point: dict[str, Any] = {}
    for option in cli_parameters().values():
        value = getattr(args, option.name)
        if model.name in option.models:
            if value is None:
                if option.name in model.optional_parameters:
                    continue
                raise UsageError(f"--model {model.name} needs {option.flag}")
            point[option.name] = value
        elif value is not None:
            raise UsageError(f"{option.flag} does not apply to --model {model.name}")
    try:
        model.validate_point(point)
    except ValueError as err:
        raise UsageError(str(err)) from None
    return model, point


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    print(json.dumps(payload) if args.json else text)


def cmd_lifetime(args: argparse.Namespace) -> None:
    model, point = _point(args)
    coupling = _coupling(args, model)
    width = model.llp_width(point, coupling)
    ctau = model.llp_ctau(point, coupling)
    payload = {"model": model.name, **point, model.scan.name: coupling, "ctau_m": ctau, "width_gev": width}
    channels = model.decay_channels(point)
    if len(channels) > 1:
        payload["channels"] = {ch.name: ch.branching_ratio for ch in channels}
    _emit(args, payload, f"c*tau = {ctau:.6g} m, width = {width:.6g} GeV")


def cmd_br(args: argparse.Namespace) -> None:
    model, point = _point(args)
    coupling = _coupling(args, model)
    br = model.branching_ratio(args.meson, point, coupling)
    payload = {"model": model.name, "meson": args.meson, **point, model.scan.name: coupling, "br": br}
    _emit(args, payload, f"BR({args.meson} -> dark) = {br:.6g}")


def reach_events(
    cfg: dict[str, Any],
    exp: Any,
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
) -> Any:
    """The reach of experiment ``exp`` at ``point`` (a :class:`darkreach.sensitivity.point_reach.PointReach`):
    the production calls of the workflow's scan (:func:`darkreach.sensitivity.experiment_scan.scan_experiment`),
    at one point (stream key 0, the scan's first mass; more keys with ``precision``) and with the samples the
    workflow made, if any (else the CLI's own, :mod:`darkreach.production`)."""
    from darkreach.production import source_class
    from darkreach.sensitivity.point_reach import point_reach

    source_cls = source_class(exp.frame)
    samples = source_cls.ensure_samples(cfg, exp, results, seed, sample_events)
    source = source_cls.from_config(cfg, exp.name, samples, seed)
    n_interactions = exposure * source.experiment.interactions_per_exposure
    return point_reach(
        source, model, point, couplings, threshold, n_interactions, n_events, seed,
        exp.level if level is None else level, precision, acceptance=acceptance,
        batches=int(cfg["scan"].get("batches", 20)),
    )  # fmt: skip


def cmd_reach(args: argparse.Namespace) -> None:
    from darkreach.config import ConfigError, load_config
    from darkreach.experiments import experiment_from_config
    from darkreach.production import source_class

    model, point = _point(args)
    try:
        cfg = load_config(args.config)
    except ConfigError as err:
        raise UsageError(str(err)) from None
    if args.experiment not in cfg["experiments"]:
        raise UsageError(f"unknown experiment {args.experiment!r}; known: {', '.join(sorted(cfg['experiments']))}")
    exp = experiment_from_config(cfg, args.experiment)
    exposure = args.exposure if args.exposure is not None else max(exp.exposures)
    threshold = args.ethreshold if args.ethreshold is not None else exp.energy_thresholds_gev[0]
    seed = args.seed if args.seed is not None else int(cfg["seed"])
    lo, hi = model.scan.search_range
    couplings = np.geomspace(lo, hi, int(20 * np.log10(hi / lo)) + 1)
    level = args.level if args.level is not None else exp.level
    if args.acceptance is not None and exp.geometry is None:
        raise UsageError(f"--acceptance does not apply to the {exp.frame.label} experiment {exp.name!r}")
    problem = source_class(exp.frame).model_problem(model)
    if problem:
        raise UsageError(f"--model {model.name} {problem}; it does not apply to {exp.name!r}")
    reach = reach_events(
        cfg, exp, model, point, couplings, threshold, exposure, args.events, seed, Path(args.results),
        args.acceptance, args.sample_events, level, args.precision,
    )  # fmt: skip
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
    _emit(
        args,
        payload,
        f"N >= {level:g} for {model.scan.name} in {text or 'none'} {model.scan.unit} "
        f"(68 % statistical bands in brackets; edge precision {reach.precision:.3g})",
    )


def cmd_check(args: argparse.Namespace) -> None:
    from darkreach.config import ConfigError, load_config

    try:
        cfg = load_config(args.config)
    except ConfigError as err:
        raise UsageError(str(err)) from None
    experiments = sorted(cfg.get("experiments") or {})
    models = sorted(cfg.get("models") or {})
    payload = {"config": args.config, "valid": True, "experiments": experiments, "models": models}
    _emit(args, payload, f"{args.config}: valid ({len(experiments)} experiments, {len(models)} models)")


#: One real command per subcommand, shown at the end of its --help (and all of them in the top-level --help).
#: The reach example uses the e+e- BaBar recast, which needs no PYTHIA sample; the check example runs from
#: the repository root.
EXAMPLES: dict[str, str] = {
    "lifetime": "darkreach lifetime --model idm-dipole --m1 0.5 --delta 0.1 --coupling 1e-5 --json",
    "br": "darkreach br --model idm-dipole --meson jpsi --m1 0.5 --delta 0.1 --coupling 1e-5 --json",
    "reach": "darkreach reach --model idm-dipole --experiment babar --m1 0.1 --delta 0.1 --events 2000 --json",
    "check": "darkreach check config/config.yaml",
}

DESCRIPTION = """\
Single-point questions about long-lived dark states (lifetime, meson branching ratio, reach of one
experiment at one mass point) and validation of workflow config files. Every subcommand prints one line,
or one JSON object with --json."""

EXIT_STATUS = """\
exit status: 0 on success, 2 for a usage error (bad, missing or unphysical options, unknown experiment,
invalid config file), 1 for a failure while running. Errors are one line "darkreach: error: ..." on stderr,
or with --json one object {"error": {"type": "usage"|"runtime", "message": ..., "exit_status": 2|1}} on
stdout. DARKREACH_DEBUG=1 adds the traceback of a runtime failure."""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("darkreach")
    except PackageNotFoundError:  # a source tree that is not installed
        import darkreach

        return getattr(darkreach, "__version__", "unknown")


def _add_subcommand(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=help_text,
        description=help_text[0].upper() + help_text[1:] + ".",
        epilog=f"example:\n  {EXAMPLES[name]}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    examples = "\n".join(f"  {EXAMPLES[name]}" for name in EXAMPLES)
    parser = _Parser(
        prog="darkreach",
        description=DESCRIPTION,
        epilog=f"examples:\n{examples}\n\n{EXIT_STATUS}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"darkreach {_version()}")
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, title="commands", metavar="COMMAND"
    )

    p = _add_subcommand(sub, "lifetime", "proper decay length and width of the long-lived state")
    _add_model_args(p)
    _add_scan_args(p)
    p.set_defaults(func=cmd_lifetime)

    p = _add_subcommand(sub, "br", "branching ratio of a meson into the dark states")
    _add_model_args(p)
    _add_scan_args(p)
    p.add_argument("--meson", required=True, choices=sorted(MESONS), help="decaying meson")
    p.set_defaults(func=cmd_br)

    p = _add_subcommand(sub, "reach", "coupling intervals with N >= level at one mass point")
    _add_model_args(p)
    p.add_argument("--experiment", required=True, help="experiment name from the config")
    p.add_argument(
        "--exposure",
        "--npot",
        dest="exposure",
        type=_positive,
        default=None,
        help="protons on target, or luminosity in fb^-1 at a collider (default: the largest configured exposure)",
    )
    p.add_argument("--ethreshold", type=_non_negative, default=None, help="visible-energy threshold in GeV")
    p.add_argument("--acceptance", choices=["paper", "exact"], default=None, help="acceptance mode")
    p.add_argument("--events", type=int, default=50000, help="mesons simulated per channel (default 50000)")
    p.add_argument(
        "--precision",
        type=_positive,
        default=None,
        help="target relative precision of the interval edges: more events (up to 8x --events) until reached",
    )
    p.add_argument(
        "--sample-events",
        type=_positive_int,
        default=None,
        metavar="N",
        help="PYTHIA events per generator when reach generates a missing meson sample itself (default: "
        + ", ".join(f"{n} for {process}" for process, n in CLI_SAMPLE_EVENTS.items())
        + ")",
    )
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the config's)")
    p.add_argument("--level", type=_positive, default=None, help="signal events defining the reach (default: config)")
    p.add_argument(
        "--config",
        default=str(Path(__file__).parent / "config" / "paper.yaml"),
        help="config file (default: config/paper.yaml, the catalogue of every experiment of both papers)",
    )
    p.add_argument("--results", default="results", help="workflow results folder with meson samples")
    p.set_defaults(func=cmd_reach)

    p = _add_subcommand(sub, "check", "load and validate a workflow config file")
    p.add_argument("config", metavar="CONFIG", help="YAML config file, e.g. config/config.yaml")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_check)
    return parser


def _wants_json(argv: Sequence[str]) -> bool:
    """Whether ``--json`` (or an abbreviation argparse accepts) is among the options, before any parsing."""
    for token in argv:
        if token == "--":
            break
        if token.startswith("--j") and "--json".startswith(token):
            return True
    return False


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _report_error(as_json: bool, kind: str, message: str, status: int) -> int:
    message = _one_line(message)
    if as_json:
        print(json.dumps({"error": {"type": kind, "message": message, "exit_status": status}}))
    else:
        print(f"darkreach: error: {message}", file=sys.stderr)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); return the exit status.

    0 on success, 2 for a usage error, 1 for a failure while running (any other exception).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = _wants_json(argv)
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as done:  # --help and --version
            return done.code if isinstance(done.code, int) else 0
        if getattr(args, "events", 100) < 100:
            raise UsageError(f"--events must be at least 100, got {args.events}")
        if getattr(args, "seed", None) is not None and not 0 <= args.seed <= SEED_MAX:
            raise UsageError(f"--seed must be in [0, {SEED_MAX}], got {args.seed}")
        args.func(args)
    except UsageError as err:
        return _report_error(as_json, "usage", str(err), 2)
    except Exception as err:  # a runtime failure: one line (the traceback only with DARKREACH_DEBUG=1)
        if os.environ.get("DARKREACH_DEBUG") == "1":
            traceback.print_exc(file=sys.stderr)
        detail = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
        message = f"{type(err).__name__}: {detail}" if str(detail) else type(err).__name__
        return _report_error(as_json, "runtime", message, 1)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
