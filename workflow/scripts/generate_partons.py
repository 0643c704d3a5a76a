"""Rule generate_partons: one shard of a beam's reference parton sample (darkreach.production.partons.reference).

params: ``settings`` (darkreach.config.slices.parton_sample_spec: the beam's sqrt(s), its ``partons`` settings,
the master seed) and ``seed`` (this shard's PYTHIA seed); nothing else of the configuration is read.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.production.partons.sample_file import generate_parton_file  # noqa: E402
from darkreach.production.partons.settings import PartonSettings  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
spec = snakemake.params.settings  # noqa: F821
settings = PartonSettings.from_mapping(spec["partons"], f"beams.{spec['beam']}.partons")
t0 = time.perf_counter()
meta = generate_parton_file(
    float(spec["sqrt_s_gev"]),
    settings.events_per_shard,
    int(snakemake.params.seed),  # noqa: F821
    settings.mhat_min_gev,
    settings.isr,
    snakemake.output[0],  # noqa: F821
    beam=spec["beam"],
)
dt = time.perf_counter() - t0
log.info("generated %d parton events in %.1f s (%.0f events/s): %s", settings.events_per_shard, dt,
         settings.events_per_shard / dt, meta["shards"])  # fmt: skip
