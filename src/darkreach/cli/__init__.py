"""The ``darkreach`` command line: single-point questions (lifetime, branching ratio, reach) and config checks.

Every subcommand prints a human-readable line, or one JSON object with ``--json``. Unphysical or unknown
arguments give a one-line error on stderr and exit status 2; a failure while running gives exit status 1.
With ``--json`` an error is one JSON object on stdout instead.

One module per subcommand (:mod:`.lifetime`, :mod:`.br`, :mod:`.reach`, :mod:`.check`), each with
``add_parser(subparsers)`` and its ``cmd_<name>(args)``; :mod:`.common` holds what they share (argument types,
model options, the model point), :mod:`.main` the parser and the entry point.
"""

from __future__ import annotations

from darkreach.cli.br import cmd_br
from darkreach.cli.check import cmd_check
from darkreach.cli.common import CLI_SAMPLE_EVENTS, EXAMPLES, UsageError
from darkreach.cli.lifetime import cmd_lifetime
from darkreach.cli.main import DESCRIPTION, EXIT_STATUS, build_parser, main
from darkreach.cli.reach import cmd_reach, reach_events

__all__ = [
    "CLI_SAMPLE_EVENTS",
    "DESCRIPTION",
    "EXAMPLES",
    "EXIT_STATUS",
    "UsageError",
    "build_parser",
    "cmd_br",
    "cmd_check",
    "cmd_lifetime",
    "cmd_reach",
    "main",
    "reach_events",
]
