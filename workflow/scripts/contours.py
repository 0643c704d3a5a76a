"""Rule contours: N = level contours and the full N grid for every exposure and threshold.

params: ``level`` (the experiment's contour level: a derived experiment that changes only the level reads its
nominal experiment's scan, darkreach.config.variations.scan_source) and, for an older scan without them,
``config_hash`` and ``seed``; wildcards: ``experiment`` (recorded in the table's header).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.output.contour_table import write_contours_csv, write_grid_csv  # noqa: E402
from darkreach.sensitivity.scan import ScanResult  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
result = ScanResult.load(snakemake.input[0])  # noqa: F821
# provenance comes from the scan's metadata; the rule's own params fill in what an older scan did not record
for key in ("config_hash", "seed"):
    value = getattr(snakemake.params, key, None)  # noqa: F821
    if result.metadata.get(key) is None and value is not None:
        result.metadata[key] = value
if result.replicates is None:
    raise ValueError(
        f"scan {snakemake.input[0]!r} has no jackknife replicates (written before statistical bands): rerun its scan"  # noqa: F821
    )
missed = result.metadata.get("precision_not_reached")
if missed:
    log.warning(
        "%s x %s %s: edge precision %s not reached at %s = %s (see the table header's statistics)",
        result.metadata.get("experiment"), result.model, result.benchmark,
        result.metadata.get("edge_precision_target"), result.mass_parameter, missed,
    )  # fmt: skip
exposures = result.metadata["exposures"]
# the rule's level and experiment: a derived experiment that changes only the level reuses its nominal scan
# (darkreach.config.variations.scan_source)
level = float(snakemake.params.level)  # noqa: F821
result.metadata.update(level=level, experiment=snakemake.wildcards.experiment)  # noqa: F821
rows = write_contours_csv(result, exposures, level, snakemake.output.contours)  # noqa: F821
write_grid_csv(result, exposures, snakemake.output.grid)  # noqa: F821
log.info("%d contour rows for exposures %s at level %s", len(rows), exposures, level)
