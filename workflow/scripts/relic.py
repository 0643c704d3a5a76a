"""Rule relic_curve: the thermal-relic line d(M1) of one benchmark, as a curve-overlay file.

params: ``point`` (the benchmark, e.g. {"delta": 0.1}) and ``masses`` (the model's mass grid, GeV);
wildcards: ``model`` (only idm-dipole has a relic computation: anything else is an error).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.cosmology.curves import MODEL, relic_curve, write_relic_curve  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
model = snakemake.wildcards.model  # noqa: F821
if model != MODEL:
    raise ValueError(f"relic_curve: a thermal relic is computed for {MODEL} only, got model {model!r}")
point = dict(snakemake.params.point)  # noqa: F821
if set(point) != {"delta"}:
    raise ValueError(f"relic_curve: the benchmark must set delta only, got {point!r}")
delta = float(point["delta"])
masses = [float(m) for m in snakemake.params.masses]  # noqa: F821
points = relic_curve(masses, delta)
write_relic_curve(snakemake.output[0], points, delta)  # noqa: F821
for p in points:
    log.info("M1 = %.4g GeV: d_relic = %.4g GeV^-1, x_f = %.3g", p.m1, p.d, p.x_freeze_out)
