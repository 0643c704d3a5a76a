"""Rule scan: expected events per unit exposure over the (axis, coupling) grid of one benchmark, and its tables
(the N = level contours and the N grid, darkreach.output.scan_tables) in the same job.

params: ``spec`` (darkreach.config.slices.scan_slice: the experiment, its beam, the model's grids and the scan
defaults it uses; typed here by darkreach.config.ScanSlice), ``benchmark`` (typed by darkreach.config.BenchmarkSpec; a
derived experiment's model options laid over ``nominal_benchmark``, the configured one), ``seed`` and
``config_hash``, ``level`` (the experiment's contour level); nothing else of the configuration is read.
"""

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.config import BenchmarkSpec, ScanSlice  # noqa: E402
from darkreach.config.variations import check_scan_job  # noqa: E402
from darkreach.output.scan_tables import write_scan_tables  # noqa: E402
from darkreach.sensitivity.experiment_scan import scan_experiment  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
logging.captureWarnings(True)  # PrecisionWarning (edge precision not reached) goes to the rule log
wc = snakemake.wildcards  # noqa: F821
params = snakemake.params  # noqa: F821
spec = ScanSlice.from_mapping(params.spec)
benchmark = BenchmarkSpec.from_mapping(spec.model.name, params.benchmark)
# a derived experiment (darkreach.config.variations) may scan the nominal benchmark with other model options
check_scan_job(
    (wc.experiment, wc.model, wc.benchmark),
    (spec.experiment.name, spec.model.name),
    BenchmarkSpec.from_mapping(spec.model.name, params.nominal_benchmark).label,
    params.nominal_benchmark,
    params.benchmark,
)
t0 = time.perf_counter()
result = scan_experiment(
    spec,
    benchmark,
    {k: Path(v) for k, v in snakemake.input.items()},  # noqa: F821
    int(params.seed),
    threads=snakemake.threads,  # noqa: F821
)
result.metadata.update({"config_hash": str(params.config_hash), "seed": int(params.seed)})
result.save(snakemake.output.scan)  # noqa: F821
log.info(
    "scan %s x %s (%d %s values x %d couplings, %d thresholds) in %.1f s; max N per interaction %.3g; level %.4g",
    wc.experiment,
    wc.benchmark,
    result.masses.size,
    result.mass_parameter,
    result.couplings.size,
    result.thresholds.size,
    time.perf_counter() - t0,
    result.per_interaction.max(),
    result.metadata["level"],
)
write_scan_tables(
    result,
    experiment=wc.experiment,
    level=float(params.level),
    contours_path=snakemake.output.contours,  # noqa: F821
    grid_path=snakemake.output.grid,  # noqa: F821
    log=log,
)
