"""Rule scalar_branching_ratios: the table, the two panels and the HEPData record of Fig. 1 of paper 003."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.branching_hepdata import write_figure1_hepdata  # noqa: E402
from darkreach.models.inelastic_scalar import (  # noqa: E402
    fig1_m1_grid,
    figure1_header,
    figure1_table,
    write_figure1_csv,
)
from darkreach.models import scalar_widths as sw  # noqa: E402
from darkreach.plotting_scalar import plot_figure1  # noqa: E402
from darkreach.provenance import provenance  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
p = snakemake.params  # noqa: F821
prov = provenance(getattr(p, "config_hash", None), getattr(p, "seed", None))
rows = figure1_table(fig1_m1_grid(p.m1_min, p.m1_max, int(p.num)), delta=float(p.delta), Lambda=float(p.Lambda))
write_figure1_csv(rows, snakemake.output.csv, header=figure1_header(p.delta, p.Lambda), provenance=prov)  # noqa: F821
title = rf"paper 003 Fig. 1: $c_{{f_L}} = c_{{f_R}} = 1$, $\delta = {p.delta:g}$, $\Lambda = {p.Lambda / 1000:g}$ TeV"
out = snakemake.output  # noqa: F821
plot_figure1(rows, [out.png, out.pdf], title=title, pqcd_switch_m1=sw.PQCD_THRESHOLD / p.delta)
resources = [(out.png, "The figure (PNG)."), (out.csv, "The table of both panels (CSV).")]
tables = write_figure1_hepdata(out.hepdata, rows, float(p.delta), float(p.Lambda), resources=resources, provenance=prov)
log.info("Fig. 1 HEPData record: %d tables in %s", len(tables), out.hepdata)
log.info("Fig. 1 table: %d m1 values from %g to %g GeV", len(rows), p.m1_min, p.m1_max)
