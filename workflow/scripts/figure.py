"""Rule figure: one paper figure (PNG, PDF, long-format CSV and a HEPData record) from contour tables.

params: ``name`` (the key under ``figures:``) and ``spec`` (its mapping); input: the contour CSVs
results/contours/<experiment>/<model>/<benchmark label>.csv (darkreach.figures.contour_files); output: ``png``,
``pdf``, ``csv``, ``hepdata`` (a directory) and ``archive`` (the same record zipped for upload). Optional params
``config_hash`` and ``seed`` go into the provenance of the CSV and the record.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.figures import figure_spec_from_config, make_figure  # noqa: E402
from darkreach.hepdata import archive_submission  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
name = str(snakemake.params.name)  # noqa: F821
spec = figure_spec_from_config(name, dict(snakemake.params.spec))  # noqa: F821
files = {}
for path in snakemake.input:  # noqa: F821
    p = Path(path)
    if p.parent.name == spec.model:
        files[(p.parent.parent.name, p.stem)] = p
out = snakemake.output  # noqa: F821
curves = make_figure(
    spec, files, out.png, out.pdf, out.csv, out.hepdata,
    config_hash=getattr(snakemake.params, "config_hash", None),  # noqa: F821
    seed=getattr(snakemake.params, "seed", None),  # noqa: F821
)
archive_submission(out.hepdata, out.archive)
log.info("figure %s: %d curves in %d panels from %d contour tables", name, len(curves), len(spec.panels), len(files))
