"""Everything darkreach writes for people and other programs: tables, figures, HEPData records.

=====================================  ==================================================================
module                                 job
=====================================  ==================================================================
:mod:`~darkreach.output.tables`        the CSV format: one JSON header line (what the table holds, its
                                       provenance), then a plain CSV; writer and reader
:mod:`~darkreach.output.contour_table` contour tables (:class:`ContourTable`) and yield grids of a scan:
                                       the one writer and reader of ``results/contours`` and ``results/grids``
:mod:`~darkreach.output.provenance`    version, git commit, config hash, seed and PYTHIA version of an output
:mod:`~darkreach.output.reinterpret`   finished Lambda contours as Z' / dark-photon contours (paper 003 sec. 4)
:mod:`~darkreach.output.style`         palette, line styles, display names, axis labels, the Agg backend
:mod:`~darkreach.output.figures`       figures by kind (``contours``, ``branching``) behind
                                       :func:`~darkreach.output.figures.build_figure`; the overview plots
                                       (``overview``) and region outlines (``regions``)
:mod:`~darkreach.output.hepdata`       HEPData records: writer, reader, official validation, zip
:mod:`~darkreach.output.hepdata_records`  the HEPData tables of each figure kind
=====================================  ==================================================================

The names below are the public API; the figure and HEPData modules (matplotlib, the validator) are imported
from their own modules, so that reading a table does not load them. (The function ``provenance`` stays in its
module: re-exported here it would hide the submodule of the same name.)
"""

from darkreach.output.contour_table import (
    CONTOUR_COLUMNS,
    ContourTable,
    contour_table_from_scan,
    read_contour_table,
    read_grid_csv,
    write_contour_table,
    write_contours_csv,
    write_grid_csv,
)
from darkreach.output.provenance import provenance_from_metadata, read_csv_provenance
from darkreach.output.tables import TableFormatError, read_header, read_table, write_table

__all__ = [
    "CONTOUR_COLUMNS",
    "ContourTable",
    "TableFormatError",
    "contour_table_from_scan",
    "provenance_from_metadata",
    "read_contour_table",
    "read_csv_provenance",
    "read_grid_csv",
    "read_header",
    "read_table",
    "write_contour_table",
    "write_contours_csv",
    "write_grid_csv",
    "write_table",
]
