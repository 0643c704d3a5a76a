"""Rule scan: expected events per interaction over the (mass, coupling) grid of one benchmark."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _logging import setup  # noqa: E402

from darkreach.config import grid_values  # noqa: E402
from darkreach.experiments import experiment_from_config  # noqa: E402
from darkreach.models import get_model  # noqa: E402
from darkreach.sensitivity.inputs import load_mesons  # noqa: E402
from darkreach.sensitivity.scan import run_scan  # noqa: E402

log = setup(snakemake.log[0])  # noqa: F821
cfg = snakemake.config  # noqa: F821
wc = snakemake.wildcards  # noqa: F821
model = get_model(wc.model)
experiment = experiment_from_config(cfg, wc.experiment)
mcfg = cfg["models"][wc.model]
masses = grid_values(mcfg.get("mass_gev", cfg["scan"]["mass_gev"]), "scan.mass_gev")
couplings = grid_values(mcfg.get("coupling", cfg["scan"]["coupling"]), "scan.coupling")
mesons = load_mesons({k: Path(v) for k, v in snakemake.input.items()}, cfg["beams"][experiment.beam])  # noqa: F821
t0 = time.perf_counter()
result = run_scan(
    model,
    snakemake.params.point,  # noqa: F821
    masses,
    couplings,
    mesons,
    experiment.kernel_geometry(),
    experiment.energy_thresholds_gev,
    experiment.mesons_per_interaction,
    int(cfg["scan"]["events_per_mass"]),
    int(snakemake.params.seed),  # noqa: F821
    threads=snakemake.threads,  # noqa: F821
    efficiency=experiment.efficiency,
    channel_efficiencies=experiment.channel_efficiencies,
)
result.metadata.update(
    {
        "experiment": experiment.name,
        "acceptance": experiment.acceptance,
        "exposures": list(experiment.exposures),
        "level": float(cfg["scan"]["level"]),
        "mesons_per_interaction": dict(experiment.mesons_per_interaction),
    }
)
result.save(snakemake.output[0])  # noqa: F821
log.info(
    "scan %s x %s (%d masses x %d couplings, %d thresholds) in %.1f s; max N per POT %.3g",
    wc.experiment, wc.benchmark, masses.size, couplings.size, len(experiment.energy_thresholds_gev),
    time.perf_counter() - t0, result.per_interaction.max(),
)
