"""Rule contours: the tables of a derived experiment that changes only the contour level (its nominal
experiment's scan at another N, darkreach.config.variations.scan_source). Every other experiment's tables are
written by its scan job (workflow/scripts/scan.py).

params: ``level`` (the experiment's contour level) and, for an older scan without them, ``config_hash`` and
``seed``; wildcards: ``experiment`` (recorded in the table's header).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.output.scan_tables import write_scan_tables  # noqa: E402
from darkreach.sensitivity.scan import ScanResult  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
params = snakemake.params  # noqa: F821
write_scan_tables(
    ScanResult.load(snakemake.input[0]),  # noqa: F821
    experiment=snakemake.wildcards.experiment,  # noqa: F821
    level=float(params.level),
    contours_path=snakemake.output.contours,  # noqa: F821
    grid_path=snakemake.output.grid,  # noqa: F821
    config_hash=getattr(params, "config_hash", None),
    seed=getattr(params, "seed", None),
    log=log,
)
