"""Rules plot_experiment / plot_model: contour figures (PNG and PDF)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.output.figures.overview import plot_contours  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
experiments = list(snakemake.params.experiments)  # noqa: F821
benchmarks = list(snakemake.params.benchmarks)  # noqa: F821
files = {}
for path in snakemake.input:  # noqa: F821
    p = Path(path)
    files[(p.parent.parent.name, p.stem)] = p
model = snakemake.wildcards.model  # noqa: F821
title = f"{model}: N = {float(snakemake.params.level):g} sensitivity"  # noqa: F821
plot_contours(files, experiments, benchmarks, [snakemake.output.png, snakemake.output.pdf], title=title)  # noqa: F821
log.info("plotted %s for %s", benchmarks, experiments)
