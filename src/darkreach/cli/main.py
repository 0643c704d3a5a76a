"""The ``darkreach`` parser and entry point: errors as one line (or one JSON object) and exit statuses."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence

from darkreach.cli import bound, br, check, common, lifetime, reach, relic, xsec
from darkreach.seeds import SEED_MAX

__all__ = ["DESCRIPTION", "EXIT_STATUS", "build_parser", "main"]

#: The subcommand modules, in the order of the help; each has ``add_parser(subparsers)``.
SUBCOMMANDS = (lifetime, br, reach, xsec, bound, relic, check)

DESCRIPTION = """\
Single-point questions about long-lived dark states (lifetime, meson branching ratio, reach of one
experiment at one mass point, excluded intervals of a bound) and validation of workflow config files. Every subcommand prints one line,
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


def build_parser() -> argparse.ArgumentParser:
    """The ``darkreach`` argument parser with every subcommand."""
    examples = "\n".join(f"  {common.EXAMPLES[name]}" for name in common.EXAMPLES)
    parser = common.Parser(
        prog="darkreach",
        description=DESCRIPTION,
        epilog=f"examples:\n{examples}\n\n{EXIT_STATUS}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"darkreach {_version()}")
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=common.Parser, title="commands", metavar="COMMAND"
    )
    for module in SUBCOMMANDS:
        module.add_parser(sub)
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
            raise common.UsageError(f"--events must be at least 100, got {args.events}")
        if getattr(args, "seed", None) is not None and not 0 <= args.seed <= SEED_MAX:
            raise common.UsageError(f"--seed must be in [0, {SEED_MAX}], got {args.seed}")
        args.func(args)
    except common.UsageError as err:
        return _report_error(as_json, "usage", str(err), 2)
    except Exception as err:  # a runtime failure: one line (the traceback only with DARKREACH_DEBUG=1)
        if os.environ.get("DARKREACH_DEBUG") == "1":
            traceback.print_exc(file=sys.stderr)
        detail = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
        message = f"{type(err).__name__}: {detail}" if str(detail) else type(err).__name__
        return _report_error(as_json, "runtime", message, 1)
    return 0
