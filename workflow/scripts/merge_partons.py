"""Rule merge_partons: concatenate the shards of a beam's reference parton sample, weights from the combined sigma
(darkreach.production.partons.sample_file.merge_parton_shards)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.production.partons.sample_file import merge_parton_shards  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
meta = merge_parton_shards(list(snakemake.input), snakemake.output[0])  # noqa: F821
log.info("merged %d parton shards: %d events, sigma_biased %.6g mb, maximum violations %d", len(snakemake.input),  # noqa: F821
         meta["n_events"], meta["sigma_biased_mb"], sum(s["max_violations"] for s in meta["shards"]))  # fmt: skip
