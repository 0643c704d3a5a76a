"""The one CSV format of darkreach's tables: a JSON header line, then a plain CSV.

::

    # {"table": "contours", "format_version": 1, "model": "idm-dipole", ..., "provenance": {...}}
    exposure,energy_threshold_gev,level,mass,interval,coupling_low,coupling_high,low_at_grid_edge,high_at_grid_edge
    1e+18,1,3,0.01,0,4.4e-06,0.00105,False,False

The first line is ``# `` followed by one JSON object (``table`` names what the file holds, ``format_version`` its
layout; the rest depends on the table, and ``provenance`` holds :func:`darkreach.output.provenance.provenance`).
Everything after it is a CSV that any reader skipping one comment line understands (pandas:
``pd.read_csv(path, comment="#")``). :func:`write_table` writes one, :func:`read_table` reads it back and refuses,
naming the file, anything without the header.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

#: What the header line starts with.
HEADER_PREFIX = "# "
#: Layout version of the tables written by this darkreach (in every header as ``format_version``).
FORMAT_VERSION = 1


class TableFormatError(ValueError):
    """A file that is not a darkreach table (no JSON header line, or not the expected table)."""


def _plain(value: Any) -> Any:
    """JSON-ready value: numpy scalars and arrays as Python numbers and lists, tuples as lists."""
    if hasattr(value, "tolist"):  # numpy scalar or array
        return value.tolist()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"a table header value must be finite, got {value!r}")
    return value


def header_line(header: Mapping[str, Any]) -> str:
    """The first line of a table (with its newline): ``# `` and ``header`` as one JSON object."""
    return HEADER_PREFIX + json.dumps(_plain(header), allow_nan=False) + "\n"


def write_table(
    path: str | Path,
    header: Mapping[str, Any],
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
) -> None:
    """Write the JSON header line, then ``rows`` (mappings of ``columns``; values as they should read) as CSV.

    ``header`` must name the ``table``; ``format_version`` is added. Values are written with ``str`` (format
    numbers before passing them when the text matters).
    """
    if "table" not in header:
        raise ValueError("a table header must name its 'table'")
    full = {"table": header["table"], "format_version": FORMAT_VERSION}
    full.update({k: v for k, v in header.items() if k not in full})
    with Path(path).open("w", newline="") as fh:
        fh.write(header_line(full))
        writer = csv.DictWriter(fh, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)


def parse_header(line: str, path: str | Path = "") -> dict[str, Any]:
    """The JSON object of a header line; :class:`TableFormatError` naming ``path`` if the line is not one."""
    where = repr(str(path)) if str(path) else "the table"
    if not line.startswith(HEADER_PREFIX + "{"):
        shown = line.strip()[:80] or "an empty line"
        raise TableFormatError(
            f"{where} has no darkreach JSON header line (a first line '# {{...}}'; found {shown!r}). It was written by "
            "an older darkreach or another program: rerun the rule that makes it"
        )
    try:
        header = json.loads(line[len(HEADER_PREFIX) :])
    except json.JSONDecodeError as err:
        raise TableFormatError(f"{where}: the header line is not valid JSON ({err})") from None
    if not isinstance(header, dict):
        raise TableFormatError(f"{where}: the header line must hold a JSON object, got {type(header).__name__}")
    return header


def read_header(path: str | Path) -> dict[str, Any]:
    """The JSON header of the table at ``path``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"table {str(path)!r} does not exist")
    with path.open() as fh:
        return parse_header(fh.readline(), path)


def read_table(path: str | Path, table: str | None = None) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The header and the rows (column -> text) of the table at ``path``.

    With ``table``, the header must name that table (e.g. ``"contours"``); :class:`TableFormatError` otherwise.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"table {str(path)!r} does not exist")
    with path.open(newline="") as fh:
        header = parse_header(fh.readline(), path)
        if table is not None and header.get("table") != table:
            raise TableFormatError(f"{str(path)!r} holds a {header.get('table')!r} table, not a {table!r} table")
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return header, rows
