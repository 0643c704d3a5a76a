"""Rule bound_table: one computed bound (darkreach.bounds) over a benchmark's axis grid, as a contour table.

params: ``job`` (darkreach.bounds.tables.bound_job: bound, options, model, benchmark, axis values, coupling range)
and ``config_hash``. output: ``table`` (results/bounds/<bound>/<model>/<benchmark label>.csv).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.bounds.tables import write_bound_job  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
params = snakemake.params  # noqa: F821
table = write_bound_job(dict(params.job), snakemake.output.table, getattr(params, "config_hash", None))  # noqa: F821
log.info("bound %s: %d rows over %d axis values", params.job["bound"], len(table.rows), len(params.job["axis_values"]))
