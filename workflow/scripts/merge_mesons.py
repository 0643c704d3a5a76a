"""Rule merge_mesons: concatenate the shards of one generator."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.production.meson_beams.merge import merge_shards  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
meta = merge_shards([str(p) for p in snakemake.input], snakemake.output[0])  # noqa: F821
log.info("merged %d shards: %s", len(snakemake.input), meta)  # noqa: F821
