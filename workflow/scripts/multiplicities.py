"""Rule multiplicities: PYTHIA's mesons per pp interaction beside Table 1 of paper 000."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.output.provenance import provenance  # noqa: E402
from darkreach.production.meson_beams.multiplicities import multiplicity_table, write_multiplicity_csv  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
params = snakemake.params  # noqa: F821
prov = provenance(getattr(params, "config_hash", None), getattr(params, "seed", None))
rows = multiplicity_table(params.files)
write_multiplicity_csv(rows, snakemake.output[0], provenance=prov)  # noqa: F821
for row in rows:
    log.info("%s", row)
