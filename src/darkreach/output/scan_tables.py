"""A scan's two tables (the N = level contours and the full N grid), as the workflow writes them.

Both the ``scan`` rule (an experiment's own scan: one job simulates and writes its tables, so that each of the
paper run's ~80 scans does not pay a second interpreter and import start-up) and the ``contours`` rule (a
derived experiment that changes only the contour level reads its nominal experiment's scan,
:func:`darkreach.config.variations.scan_source`) call :func:`write_scan_tables`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from darkreach.output.contour_table import write_contours_csv, write_grid_csv
from darkreach.sensitivity.scan import ScanResult

__all__ = ["write_scan_tables"]


def write_scan_tables(
    result: ScanResult,
    *,
    experiment: str,
    level: float,
    contours_path: str | Path,
    grid_path: str | Path,
    config_hash: str | None = None,
    seed: int | None = None,
    log: logging.Logger | None = None,
) -> int:
    """Write the contours at N = ``level`` and the grid of ``result`` for ``experiment``.

    Parameters
    ----------
    result
        The scan (with its jackknife replicates: a scan written before statistical bands is refused).
    experiment
        The experiment the tables are for (recorded in their headers; a level-only derived experiment names
        itself, not the nominal experiment whose scan it reads).
    level
        The contour level N of ``experiment`` (its limit, its ``level``, else the scan default).
    contours_path, grid_path
        Output CSV files.
    config_hash, seed
        Provenance for a scan that did not record it (older scans); a recorded value wins.
    log
        Where the precision warning and the summary go (default: this module's logger).

    Returns
    -------
    int
        The number of contour rows written.
    """
    log = log or logging.getLogger(__name__)
    for key, value in (("config_hash", config_hash), ("seed", seed)):
        if result.metadata.get(key) is None and value is not None:
            result.metadata[key] = value
    if result.replicates is None:
        raise ValueError(
            f"the scan for {experiment!r} ({result.model}, {result.benchmark}) has no jackknife replicates "
            "(written before statistical bands): rerun its scan"
        )
    missed = result.metadata.get("precision_not_reached")
    if missed:
        log.warning(
            "%s x %s %s: edge precision %s not reached at %s = %s (see the table header's statistics)",
            experiment, result.model, result.benchmark,
            result.metadata.get("edge_precision_target"), result.mass_parameter, missed,
        )  # fmt: skip
    exposures = result.metadata["exposures"]
    result.metadata.update(level=float(level), experiment=experiment)
    rows = write_contours_csv(result, exposures, float(level), contours_path)
    write_grid_csv(result, exposures, grid_path)
    log.info("%d contour rows for exposures %s at level %s", len(rows), exposures, level)
    return len(rows)
