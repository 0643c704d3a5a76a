"""One configured experiment x model x benchmark scan, as the workflow's ``scan`` rule runs it.

Meson experiments (fixed target, pp collider) go through :func:`darkreach.sensitivity.scan.run_scan` on
their prepared meson samples (:func:`darkreach.production.meson_beams.preparation.prepare_mesons`); an e+e- experiment
(the BaBar bound) runs its own process (:mod:`darkreach.bounds.ee_monophoton`). Either way the result is
a :class:`~darkreach.sensitivity.scan.ScanResult` whose metadata carries everything the contour stage
needs: the exposures, their unit, the contour level.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from darkreach.config import grid_values
from darkreach.experiments import experiment_from_config
from darkreach.models import get_model
from darkreach.models.base import DarkSectorModel
from darkreach.sensitivity.scan import ScanResult, run_scan


def axis_grid(cfg: Mapping[str, Any], model: DarkSectorModel, benchmark: Mapping[str, Any]) -> np.ndarray:
    """Grid of the benchmark's horizontal-axis parameter: the model's mass grid (model entry, else
    ``scan.mass_gev``), or ``models.<name>.axis_grids.<axis>`` for another axis."""
    mcfg = cfg["models"][model.name]
    axis = model.axis_parameter(benchmark)
    if axis == model.mass_parameter:
        if "mass_gev" in mcfg:
            return grid_values(mcfg["mass_gev"], f"models.{model.name}.mass_gev")
        return grid_values(cfg["scan"]["mass_gev"], "scan.mass_gev")
    grids = mcfg.get("axis_grids", {})
    if axis not in grids:
        raise KeyError(f"no grid for axis {axis!r}: set models.{model.name}.axis_grids.{axis}")
    return grid_values(grids[axis], f"models.{model.name}.axis_grids.{axis}")


def coupling_grid(cfg: Mapping[str, Any], model: DarkSectorModel) -> np.ndarray:
    """The scanned coupling grid (model entry, else ``scan.coupling``)."""
    mcfg = cfg["models"][model.name]
    if "coupling" in mcfg:
        return grid_values(mcfg["coupling"], f"models.{model.name}.coupling")
    return grid_values(cfg["scan"]["coupling"], "scan.coupling")


def scan_experiment(
    cfg: Mapping[str, Any],
    experiment_name: str,
    model_name: str,
    benchmark: Mapping[str, Any],
    meson_files: Mapping[str, str | Path],
    seed: int,
    threads: int = 1,
) -> ScanResult:
    """Expected events per unit exposure over the configured grid of one benchmark.

    ``meson_files`` maps generator name -> merged sample of the experiment's beam (empty for e+e-).
    """
    model = get_model(model_name)
    experiment = experiment_from_config(cfg, experiment_name, meson_files=meson_files)
    masses = axis_grid(cfg, model, benchmark)
    couplings = coupling_grid(cfg, model)
    n_events = experiment.events_per_mass or int(cfg["scan"]["events_per_mass"])
    meta: dict[str, Any] = {
        "experiment": experiment.name,
        "exposures": list(experiment.exposures),
        "exposure_unit": experiment.exposure_unit,
        "level": experiment.level,
    }
    if experiment.frame == "electron_positron":
        from darkreach.bounds.ee_monophoton import EESelection, ee_monophoton_scan

        beam = cfg["beams"][experiment.beam]
        # the experiment's (single) energy threshold is the leading-photon cut
        selection = EESelection(
            sqrt_s_gev=float(beam["sqrt_s_gev"]),
            leading_photon_min_gev=experiment.energy_thresholds_gev[0],
            **experiment.selection,
        )
        result = ee_monophoton_scan(model, benchmark, masses, couplings, selection, n_events, seed)
        result.metadata.update(meta)
        return result

    from darkreach.production.meson_beams.preparation import load_mesons, prepare_mesons

    beam_cfg = cfg["beams"][experiment.beam]
    raw = load_mesons({k: Path(v) for k, v in meson_files.items()}, beam_cfg)
    mesons, factor = prepare_mesons(experiment, {k: v for k, v in raw.items() if k in experiment.species}, seed)
    result = run_scan(
        model,
        benchmark,
        masses,
        couplings,
        mesons,
        experiment.kernel_geometry(),
        experiment.energy_thresholds_gev,
        experiment.mesons_per_interaction,
        n_events,
        seed,
        threads=threads,
        efficiency=experiment.efficiency * factor,
        channel_efficiencies=experiment.channel_efficiencies,
        energy_max=experiment.energy_max_gev,
        interactions_per_exposure=experiment.interactions_per_exposure,
    )
    from darkreach.production.meson_beams.samples import read_metadata

    pythia_versions = sorted({str(read_metadata(Path(f)).get("pythia_version")) for f in meson_files.values()})
    meta.update(
        {
            "pythia_version": ", ".join(pythia_versions) if pythia_versions else None,
            "acceptance": experiment.acceptance,
            "mesons_per_interaction": dict(experiment.mesons_per_interaction),
            "multiplicity_table": experiment.multiplicity_table,
            "hemisphere_factor": factor,
            "sample_sizes": {k: int(v.momenta.shape[0]) for k, v in mesons.items()},
        }
    )
    if experiment.importance_sampling is not None:
        meta["importance_sampling"] = vars(experiment.importance_sampling)
    result.metadata.update(meta)
    return result
