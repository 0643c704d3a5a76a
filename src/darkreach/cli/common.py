"""What the subcommands share: the usage error, argument types, the model options and the model point.

Model-parameter options come from the models' declarations (:class:`darkreach.models.ParameterSpec`):
:func:`darkreach.models.registry.cli_parameters` (one option per flag, merged over the models that share it) and
:func:`darkreach.models.registry.cli_scan_options` (the options setting the scanned coupling).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any, NoReturn

from darkreach.production.meson_beams.store import CLI_SAMPLE_EVENTS

__all__ = [
    "CLI_SAMPLE_EVENTS",
    "EXAMPLES",
    "UsageError",
    "add_model_args",
    "add_scan_args",
    "add_subcommand",
    "emit",
    "model_point",
    "non_negative",
    "positive",
    "positive_int",
]

#: One real command per subcommand, shown at the end of its --help (and all of them in the top-level --help).
#: The reach example uses the e+e- BaBar recast, which needs no PYTHIA sample; the check example runs from
#: the repository root.
EXAMPLES: dict[str, str] = {
    "lifetime": "darkreach lifetime --model idm-dipole --m1 0.5 --delta 0.1 --coupling 1e-5 --json",
    "br": "darkreach br --model idm-dipole --meson jpsi --m1 0.5 --delta 0.1 --coupling 1e-5 --json",
    "reach": "darkreach reach --model idm-dipole --experiment babar --m1 0.1 --delta 0.1 --events 2000 --json",
    "relic": "darkreach relic --model idm-dipole --m1 0.1 --delta 0.1 --json",
    "bound": "darkreach bound --bound lep-monophoton --model inelastic-scalar --m1 0.01 --delta 10 --json",
    "xsec": "darkreach xsec --model inelastic-scalar --m1 0.1 --delta 10 --lambda 1000 --json",
    "check": "darkreach check config/config.yaml",
}


class UsageError(Exception):
    """Bad command-line input; reported in one line with exit status 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are :class:`UsageError` (one line, exit status 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def mapping_file(text: str) -> dict[str, Any]:
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


_PARAMETER_TYPES: dict[type, Any] = {float: float, str: str, dict: mapping_file}


def positive(text: str) -> float:
    """A positive, finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be positive and finite, got {text!r}")
    return value


def non_negative(text: str) -> float:
    """A non-negative, finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (value >= 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be non-negative, got {text!r}")
    return value


def positive_int(text: str) -> int:
    """A positive integer."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def add_subcommand(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    """The parser of subcommand ``name``, its example (:data:`EXAMPLES`) at the end of its help."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help_text,
        description=help_text[0].upper() + help_text[1:] + ".",
        epilog=f"example:\n  {EXAMPLES[name]}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def add_model_args(parser: argparse.ArgumentParser) -> None:
    """``--model``, every model's parameter options and ``--json``."""
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


def add_scan_args(parser: argparse.ArgumentParser) -> None:
    """The options setting a model's scanned coupling (``--coupling``, ...)."""
    from darkreach.models.registry import cli_scan_options

    for option, help_text in cli_scan_options().items():
        parser.add_argument(option, dest=option.lstrip("-"), type=positive, default=None, help=help_text)


def _coupling(args: argparse.Namespace, model: Any) -> float:
    """The scanned coupling the model takes, from its own option (any other coupling option is an error)."""
    from darkreach.models.registry import cli_scan_options

    option = model.scan.cli_option
    for other in cli_scan_options():
        if other != option and getattr(args, other.lstrip("-")) is not None:
            raise UsageError(f"--model {model.name} takes {option}, not {other}")
    value = getattr(args, option.lstrip("-"))
    if value is None:
        raise UsageError(f"--model {model.name} needs {option} ({model.scan.name} in {model.scan.unit})")
    return float(value)


def model_point(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """The model of ``--model`` and its validated point from the parameter options."""
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


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    """Print ``payload`` as one JSON object with ``--json``, else ``text``."""
    print(json.dumps(payload) if args.json else text)
