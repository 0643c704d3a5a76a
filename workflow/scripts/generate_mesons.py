"""Rule generate_mesons: one PYTHIA8 shard of one generator for one beam."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.generation.pythia_mesons import generate_shard, settings_from_config  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
gen = snakemake.params.generator  # noqa: F821
settings = settings_from_config(snakemake.params.beam, gen)  # noqa: F821
t0 = time.perf_counter()
meta = generate_shard(settings, int(gen["events_per_shard"]), int(snakemake.params.seed), snakemake.output[0])  # noqa: F821
log.info("generated %s events in %.1f s: %s", gen["events_per_shard"], time.perf_counter() - t0, meta)
