"""Rule generate_mesons: one shard of one generator for one beam, made by the generator's engine (PYTHIA8, SIBYLL).

params: ``settings`` (darkreach.config.slices.sample_spec: beam settings, generator settings, master seed; typed
here by darkreach.config.SampleSpec), ``seed`` (this shard's PYTHIA seed) and ``tail`` (whether the shard belongs to
the generator's tail stratum, darkreach.production.meson_beams.stratum); nothing else of the configuration is
read.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.config import SampleSpec  # noqa: E402
from darkreach.production.meson_beams.engines import generate_shard  # noqa: E402
from darkreach.production.meson_beams.stratum import generate_tail_shard  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
spec = SampleSpec.from_mapping(snakemake.params.settings)  # noqa: F821
stratum = spec.generator.tail_stratum
t0 = time.perf_counter()
if snakemake.params.tail:  # noqa: F821
    # a tail-stratum shard: only the mesons above the stratum's momentum cut are kept
    if stratum is None:
        raise ValueError(f"tail shard requested for generator {spec.generator.name!r}, which has no tail_stratum")
    n_events = stratum.events_per_shard
    seed, out = int(snakemake.params.seed), snakemake.output[0]  # noqa: F821
    meta = generate_tail_shard(spec.settings(), n_events, seed, stratum.min_momentum_gev, out)
else:
    n_events = spec.generator.events_per_shard
    meta = generate_shard(spec.settings(), n_events, int(snakemake.params.seed), snakemake.output[0])  # noqa: F821
log.info("generated %s events in %.1f s: %s", n_events, time.perf_counter() - t0, meta)
