"""Rule merge_mesons: concatenate the shards of one generator; the tail-stratum shards (``<sample>_t<i>.root``), if
any, enter with the stratified weights (darkreach.production.meson_beams.stratum)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.production.meson_beams.merge import merge_stratified  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
paths = [Path(p) for p in snakemake.input]  # noqa: F821
tail = [str(p) for p in paths if p.stem.rsplit("_", 1)[-1].startswith("t")]
nominal = [str(p) for p in paths if str(p) not in tail]
meta = merge_stratified(nominal, tail, snakemake.output[0])  # noqa: F821
log.info("merged %d shards: %s", len(snakemake.input), meta)  # noqa: F821
