"""Contour tables and yield grids: the one writer and reader of ``results/contours/**.csv`` and ``results/grids``.

A contour table holds, for every exposure and energy threshold, the coupling intervals in which N >= level, one
row per mass and interval (:func:`darkreach.sensitivity.contours.contour_rows`). On disk it is a
:mod:`darkreach.output.tables` file: the JSON header line ::

    # {"table": "contours", "format_version": 1, "model": "idm-dipole", "benchmark": {"delta": 0.1},
    #  "experiment": "na62", "mass_parameter": "m1", "mass_unit": "GeV", "coupling_name": "d",
    #  "coupling_unit": "GeV^-1", "level": 3.0, "exposures": [1e+17, 1e+18], "exposure_unit": "POT",
    #  "energy_thresholds_gev": [1.0], "provenance": {...}}

(one line in the file), then the columns :data:`CONTOUR_COLUMNS` and, for a scan with jackknife replicates, the
68 % statistical band of each edge and the events used (:data:`BAND_COLUMNS`; the header then has
``statistics``: batches, precision target and cap, precision reached per mass, masses where it was not). A reinterpreted table (a Z' contour from a
Lambda contour, :mod:`darkreach.output.reinterpret`) adds ``reinterpretation``.

:func:`contour_table_from_scan` builds a :class:`ContourTable` from a scan, :func:`write_contour_table` and
:func:`read_contour_table` move it to and from disk (the workflow's ``contours`` rule, the figures, the Z'
conversion and the tests all use these two). :func:`write_grid_csv` writes the full N grid of a scan the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from darkreach.output.provenance import provenance_from_metadata
from darkreach.output.tables import TableFormatError, read_table, write_table

#: Columns of a contour table, in order.
CONTOUR_COLUMNS: tuple[str, ...] = (
    "exposure", "energy_threshold_gev", "level", "mass", "interval", "coupling_low", "coupling_high",
    "low_at_grid_edge", "high_at_grid_edge",
)  # fmt: skip
#: The statistical band of each edge (:mod:`darkreach.sensitivity.bands`) and the events used at the mass: columns
#: after :data:`CONTOUR_COLUMNS` in tables made from scans with jackknife replicates.
BAND_COLUMNS: tuple[str, ...] = (
    "coupling_low_min", "coupling_low_max", "coupling_high_min", "coupling_high_max",
    "edge_precision_low", "edge_precision_high", "events_used",
)  # fmt: skip
_BAND_FLOATS = BAND_COLUMNS[:-1]
#: ``table`` of a contour table's header.
CONTOUR_TABLE = "contours"
#: ``table`` of a yield grid's header.
GRID_TABLE = "grid"
_FLOAT_COLUMNS = ("exposure", "energy_threshold_gev", "level", "mass", "coupling_low", "coupling_high")


@dataclass(frozen=True)
class ContourTable:
    """The N >= level regions of one experiment x model x benchmark, with what the numbers mean.

    ``rows`` are mappings of :data:`CONTOUR_COLUMNS` (floats, ``interval`` an int, the ``*_at_grid_edge`` flags
    bools). ``mass_parameter`` is the horizontal axis (a mass, or e.g. delta with unit ""), ``coupling_name``
    the scanned coupling. ``level``, ``exposures`` and ``energy_thresholds_gev`` are those the table was made
    for (rows exist only where a region was found), ``exposure_unit`` POT or fb^-1. ``reinterpretation``
    records a conversion of the coupling axis (:mod:`darkreach.output.reinterpret`), ``provenance`` the fields
    of :func:`darkreach.output.provenance.provenance`.
    """

    model: str
    benchmark: Mapping[str, Any]
    mass_parameter: str
    mass_unit: str
    coupling_name: str
    coupling_unit: str
    rows: tuple[Mapping[str, Any], ...] = ()
    level: float | None = None
    exposures: tuple[float, ...] = ()
    energy_thresholds_gev: tuple[float, ...] = ()
    exposure_unit: str | None = None
    experiment: str | None = None
    reinterpretation: Mapping[str, Any] | None = None
    provenance: Mapping[str, Any] = field(default_factory=dict)
    statistics: Mapping[str, Any] | None = None
    #: A computed bound's table (:mod:`darkreach.bounds.tables`): its name, label, source, kind, options and
    #: ``edge_styles``; None for a sensitivity or an experiment's bound.
    bound: Mapping[str, Any] | None = None

    @property
    def has_bands(self) -> bool:
        """Whether the rows carry the statistical bands (:data:`BAND_COLUMNS`)."""
        return bool(self.rows) and all(k in self.rows[0] for k in BAND_COLUMNS)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns on disk: :data:`CONTOUR_COLUMNS`, then :data:`BAND_COLUMNS` when the rows have them."""
        return CONTOUR_COLUMNS + BAND_COLUMNS if self.has_bands else CONTOUR_COLUMNS

    @property
    def mass_label(self) -> str:
        """Axis text of the mass parameter, e.g. ``m1 [GeV]`` (``delta []`` for a dimensionless axis)."""
        return f"{self.mass_parameter} [{self.mass_unit}]"

    @property
    def coupling_label(self) -> str:
        """Axis text of the coupling, e.g. ``d [GeV^-1]``."""
        return f"{self.coupling_name} [{self.coupling_unit}]"

    def header(self) -> dict[str, Any]:
        """The JSON header of the table on disk (without ``format_version``, which the writer adds)."""
        head: dict[str, Any] = {
            "table": CONTOUR_TABLE,
            "model": self.model,
            "benchmark": dict(self.benchmark),
            "experiment": self.experiment,
            "mass_parameter": self.mass_parameter,
            "mass_unit": self.mass_unit,
            "coupling_name": self.coupling_name,
            "coupling_unit": self.coupling_unit,
            "level": self.level,
            "exposures": list(self.exposures),
            "exposure_unit": self.exposure_unit,
            "energy_thresholds_gev": list(self.energy_thresholds_gev),
        }
        if self.reinterpretation is not None:
            head["reinterpretation"] = dict(self.reinterpretation)
        if self.statistics is not None:
            head["statistics"] = dict(self.statistics)
        if self.bound is not None:
            head["bound"] = dict(self.bound)
        head["provenance"] = dict(self.provenance)
        return head

    def replace(self, **changes: Any) -> ContourTable:
        """A copy with ``changes`` (:func:`dataclasses.replace`)."""
        return dataclasses.replace(self, **changes)


def _cell(value: Any) -> Any:
    """How a contour value is written: floats with 8 significant digits, everything else as it is."""
    return f"{value:.8g}" if isinstance(value, float) else value


def _flag(text: Any) -> bool:
    """A grid-edge flag as written ("True"/"False"; absent or empty is False)."""
    return str(text).strip().lower() in ("true", "1")


def _typed_row(row: Mapping[str, str], path: Path, line: int) -> dict[str, Any]:
    try:
        out: dict[str, Any] = {k: float(row[k]) for k in _FLOAT_COLUMNS}
        out["interval"] = int(row["interval"])
    except (KeyError, TypeError, ValueError) as err:
        raise TableFormatError(f"{str(path)!r}, data row {line}: {err!r} in {dict(row)!r}") from None
    out["low_at_grid_edge"] = _flag(row.get("low_at_grid_edge"))
    out["high_at_grid_edge"] = _flag(row.get("high_at_grid_edge"))
    if all(k in row for k in BAND_COLUMNS):
        try:
            out.update({k: float(row[k]) for k in _BAND_FLOATS})
            out["events_used"] = int(row["events_used"])
        except (TypeError, ValueError) as err:
            raise TableFormatError(f"{str(path)!r}, data row {line}: {err!r} in {dict(row)!r}") from None
        return {k: out[k] for k in CONTOUR_COLUMNS + BAND_COLUMNS}
    return {k: out[k] for k in CONTOUR_COLUMNS}


def band_rows(
    masses: Sequence[float],
    couplings: Sequence[float],
    grid: Any,
    replicates: Any,
    level: float,
    events_used: Sequence[int],
) -> list[dict[str, Any]]:
    """:func:`darkreach.sensitivity.contours.contour_rows` with the band columns (:data:`BAND_COLUMNS`) from the
    jackknife ``replicates`` (n_masses, B, n_couplings) of ``grid`` (n_masses, n_couplings)."""
    from darkreach.sensitivity.bands import interval_bands

    rows: list[dict[str, Any]] = []
    for im, mass in enumerate(masses):
        for k, band in enumerate(interval_bands(couplings, grid[im], replicates[im], level)):
            iv = band.interval
            rows.append(
                {
                    "mass": float(mass),
                    "interval": k,
                    "coupling_low": iv.low,
                    "coupling_high": iv.high,
                    "low_at_grid_edge": iv.low_open,
                    "high_at_grid_edge": iv.high_open,
                    "coupling_low_min": band.low_band[0],
                    "coupling_low_max": band.low_band[1],
                    "coupling_high_min": band.high_band[0],
                    "coupling_high_max": band.high_band[1],
                    "edge_precision_low": band.precision_low,
                    "edge_precision_high": band.precision_high,
                    "events_used": int(events_used[im]),
                }
            )
    return rows


def scan_statistics(meta: Mapping[str, Any]) -> dict[str, Any]:
    """What a contour header records of a scan's Monte Carlo statistics: batches, target, cap, the precision
    reached per mass and the masses where the cap stopped the loop (with a warning text)."""
    stats = {k: meta[k] for k in ("batches", "edge_precision_target", "max_events_per_mass") if k in meta}
    if "edge_precision" in meta:
        stats["edge_precision_per_mass"] = list(meta["edge_precision"])
    missed = list(meta.get("precision_not_reached", []))
    stats["precision_not_reached"] = missed
    if missed:
        stats["warning"] = (
            f"edge precision {meta.get('edge_precision_target')} not reached within "
            f"{meta.get('max_events_per_mass')} events at {len(missed)} masses"
        )
    return stats


def contour_table_from_scan(result: Any, exposures: Sequence[float], level: float) -> ContourTable:
    """The N = ``level`` contour of a :class:`~darkreach.sensitivity.scan.ScanResult` for every exposure and
    threshold; the provenance, experiment and exposure unit come from ``result.metadata``."""
    from darkreach.sensitivity.contours import contour_rows

    meta = result.metadata
    bands = result.replicates is not None
    events_used = meta.get("events_used", [meta.get("n_events", 0)] * len(result.masses))
    rows: list[dict[str, Any]] = []
    for exposure in exposures:
        grid = result.events(exposure)
        reps = result.replicate_events(exposure) if bands else None
        for it, thr in enumerate(result.thresholds):
            if reps is not None:
                found = band_rows(result.masses, result.couplings, grid[it], reps[it], level, events_used)
            else:
                found = contour_rows(result.masses, result.couplings, grid[it], level)
            for row in found:
                rows.append({"exposure": exposure, "energy_threshold_gev": float(thr), "level": level, **row})
    return ContourTable(
        model=result.model,
        benchmark=dict(result.benchmark),
        mass_parameter=result.mass_parameter,
        mass_unit=result.mass_unit,
        coupling_name=result.coupling_name,
        coupling_unit=result.coupling_unit,
        rows=tuple(rows),
        level=float(level),
        exposures=tuple(float(x) for x in exposures),
        energy_thresholds_gev=tuple(float(t) for t in result.thresholds),
        exposure_unit=meta.get("exposure_unit"),
        experiment=meta.get("experiment"),
        provenance=provenance_from_metadata(meta),
        statistics=scan_statistics(meta) if bands else None,
    )


def write_contour_table(table: ContourTable, path: str | Path) -> None:
    """Write ``table`` to ``path``: the JSON header line, then one CSV row per mass and interval."""
    columns = table.columns
    rows = ({k: _cell(r[k]) for k in columns} for r in table.rows)
    write_table(path, table.header(), columns, rows)


def read_contour_table(path: str | Path) -> ContourTable:
    """Read a table written by :func:`write_contour_table`.

    Raises FileNotFoundError for a missing file and :class:`~darkreach.output.tables.TableFormatError` (a
    ValueError) naming the file when it has no JSON header, is not a contour table or has a malformed row.
    """
    path = Path(path)
    header, raw = read_table(path, CONTOUR_TABLE)
    missing = [k for k in ("model", "benchmark", "mass_parameter", "coupling_name") if k not in header]
    if missing:
        raise TableFormatError(f"{str(path)!r}: the header lacks {missing}")
    level = header.get("level")
    return ContourTable(
        model=str(header["model"]),
        benchmark=dict(header["benchmark"]),
        mass_parameter=str(header["mass_parameter"]),
        mass_unit=str(header.get("mass_unit", "")),
        coupling_name=str(header["coupling_name"]),
        coupling_unit=str(header.get("coupling_unit", "")),
        rows=tuple(_typed_row(r, path, i + 1) for i, r in enumerate(raw)),
        level=None if level is None else float(level),
        exposures=tuple(float(x) for x in header.get("exposures", ())),
        energy_thresholds_gev=tuple(float(x) for x in header.get("energy_thresholds_gev", ())),
        exposure_unit=header.get("exposure_unit"),
        experiment=header.get("experiment"),
        reinterpretation=header.get("reinterpretation"),
        provenance=dict(header.get("provenance") or {}),
        statistics=header.get("statistics"),
        bound=header.get("bound"),
    )


def write_contours_csv(result: Any, exposures: Sequence[float], level: float, path: str | Path) -> list[dict]:
    """:func:`contour_table_from_scan`, written to ``path``; returns the rows (what the ``contours`` rule runs)."""
    table = contour_table_from_scan(result, exposures, level)
    write_contour_table(table, path)
    return [dict(r) for r in table.rows]


def grid_header(result: Any, exposures: Sequence[float]) -> dict[str, Any]:
    """The JSON header of a yield grid of ``result`` (see :func:`write_grid_csv`)."""
    meta = result.metadata
    return {
        "table": GRID_TABLE,
        "model": result.model,
        "benchmark": dict(result.benchmark),
        "experiment": meta.get("experiment"),
        "mass_parameter": result.mass_parameter,
        "mass_unit": result.mass_unit,
        "coupling_name": result.coupling_name,
        "coupling_unit": result.coupling_unit,
        "exposures": [float(x) for x in exposures],
        "exposure_unit": meta.get("exposure_unit"),
        "energy_thresholds_gev": [float(t) for t in result.thresholds],
        "provenance": provenance_from_metadata(meta),
    }


def grid_columns(result: Any) -> list[str]:
    """Columns of a yield grid: exposure, threshold, the mass parameter, the coupling and ``n_events``."""
    return ["exposure", "energy_threshold_gev", result.mass_parameter, result.coupling_name, "n_events"]


def write_grid_csv(result: Any, exposures: Sequence[float], path: str | Path) -> None:
    """Long-format table of N over the full grid of a scan, for every exposure and threshold.

    The JSON header (:func:`grid_header`) carries the axes and the provenance; :func:`read_grid_csv` reads it.
    """
    columns = grid_columns(result)

    def rows():
        for exposure in exposures:
            grid = result.events(exposure)
            for it, thr in enumerate(result.thresholds):
                for im, mass in enumerate(result.masses):
                    for ic, coupling in enumerate(result.couplings):
                        values = (f"{exposure:.6g}", f"{thr:g}", f"{mass:.8g}", f"{coupling:.8g}",
                                  f"{grid[it, im, ic]:.8g}")  # fmt: skip
                        yield dict(zip(columns, values))

    write_table(path, grid_header(result, exposures), columns, rows())


def read_grid_csv(path: str | Path) -> tuple[dict[str, Any], list[dict[str, float]]]:
    """The header and the rows (every value a float) of a grid written by :func:`write_grid_csv`."""
    header, raw = read_table(path, GRID_TABLE)
    return header, [{k: float(v) for k, v in r.items()} for r in raw]
