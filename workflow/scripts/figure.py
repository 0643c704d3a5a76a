"""Rule figure: one configured figure of any kind (PNG, PDF, CSV, a HEPData record and its zip).

params: ``name`` (the key under ``figures:``), ``spec`` (its mapping, validated into a typed spec by
darkreach.config.figures.figure_spec_from_config) and ``config_hash`` (optional, with ``seed``: the provenance of
the CSV and the record). input: the contour tables of a ``contours`` figure
(results/contours/<experiment>/<model>/<benchmark label>.csv), nothing for a ``branching`` one. output: ``png``,
``pdf``, ``csv``, ``hepdata`` (a directory) and ``archive`` (the record zipped for upload).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.config.figures import figure_spec_from_config  # noqa: E402
from darkreach.output.figures import build_figure  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
params = snakemake.params  # noqa: F821
name = str(params.name)
spec = figure_spec_from_config(name, dict(params.spec))
out = snakemake.output  # noqa: F821
summary = build_figure(
    spec, list(snakemake.input), out.png, out.pdf, out.csv, out.hepdata, out.archive,  # noqa: F821
    config_hash=getattr(params, "config_hash", None), seed=getattr(params, "seed", None),
)  # fmt: skip
log.info("figure %s: %s", name, summary)
