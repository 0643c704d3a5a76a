"""Figures by kind, behind one entry point, :func:`build_figure` (the workflow's ``figure`` rule).

Every configured figure (``figures.<name>`` of the config, validated by
:func:`darkreach.config.figures.figure_spec_from_config`) writes the same five outputs: PNG, PDF, the CSV of what
is drawn, its HEPData record (a directory) and that record zipped for upload. What it draws depends on its kind:

- ``contours`` (:mod:`darkreach.output.figures.contours`): sensitivity regions and bounds from contour tables;
- ``branching`` (:mod:`darkreach.output.figures.branching`): production and decay branching ratios (Fig. 1 of
  paper 003), computed from the model alone;
- ``production`` (:mod:`darkreach.output.figures.production`): phi2 produced per meson channel and from partons at
  some experiments (Fig. 2 of paper 003), from the model, the experiments' entries and the PDF convolution.

The overview plots of the workflow (rules ``plot_experiment``, ``plot_model``) are
:mod:`darkreach.output.figures.overview`; both draw regions with :mod:`darkreach.output.figures.regions`.

A new kind is a module here with a ``make_*`` function, an entry in :data:`FIGURE_BUILDERS`, its spec in
:mod:`darkreach.config.figures` and its HEPData tables in :mod:`darkreach.output.hepdata_records`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def _contours(spec: Any, inputs: Iterable[str | Path], png: Any, pdf: Any, csv: Any, hepdata: Any,
              config_hash: str | None, seed: int | None) -> str:  # fmt: skip
    from darkreach.output.figures.contours import make_figure

    files = contour_files_from_paths(spec, inputs)
    curves = make_figure(spec, files, png, pdf, csv, hepdata, config_hash=config_hash, seed=seed)
    return f"{len(curves)} curves in {len(spec.panels)} panels from {len(files)} contour tables"


def _branching(spec: Any, inputs: Iterable[str | Path], png: Any, pdf: Any, csv: Any, hepdata: Any,
               config_hash: str | None, seed: int | None) -> str:  # fmt: skip
    from darkreach.output.figures.branching import make_branching_figure

    rows = make_branching_figure(spec, png, pdf, csv, hepdata, config_hash=config_hash, seed=seed)
    return f"branching ratios at {len(rows)} masses from {rows[0]['m1_gev']:g} to {rows[-1]['m1_gev']:g} GeV"


def _production(spec: Any, inputs: Iterable[str | Path], png: Any, pdf: Any, csv: Any, hepdata: Any,
                config_hash: str | None, seed: int | None) -> str:  # fmt: skip
    from darkreach.output.figures.production import make_production_figure

    rows = make_production_figure(spec, png, pdf, csv, hepdata, config_hash=config_hash, seed=seed)
    return f"phi2 produced at {', '.join(spec.experiments)} at {len(rows)} masses"


#: Figure kind -> function(spec, inputs, png, pdf, csv, hepdata_dir, config_hash, seed) returning a summary.
FIGURE_BUILDERS: dict[str, Callable[..., str]] = {
    "contours": _contours,
    "branching": _branching,
    "production": _production,
}


def contour_files_from_paths(spec: Any, paths: Iterable[str | Path]) -> dict[tuple[str, str], Path]:
    """(experiment or bound, benchmark label) -> path for contour tables
    ``results/{contours,bounds}/<name>/<model>/<label>.csv`` of the figure's model among ``paths`` (curve overlay
    files excluded)."""
    files: dict[tuple[str, str], Path] = {}
    overlays = {Path(o) for panel in getattr(spec, "panels", ()) for o in panel.overlays}
    for path in paths:
        p = Path(path)
        if p.parent.name == spec.model and p not in overlays:
            files[(p.parent.parent.name, p.stem)] = p
    return files


def build_figure(
    spec: Any,
    inputs: Iterable[str | Path],
    png: str | Path,
    pdf: str | Path,
    csv: str | Path,
    hepdata_dir: str | Path,
    archive: str | Path | None = None,
    config_hash: str | None = None,
    seed: int | None = None,
) -> str:
    """Write the five outputs of the figure ``spec`` (any kind); ``inputs`` are the files it reads (the contour
    tables of a ``contours`` figure, nothing for a ``branching`` one). Returns a one-line summary for the log."""
    from darkreach.output.hepdata import archive_submission

    try:
        builder = FIGURE_BUILDERS[spec.kind]
    except KeyError:
        raise ValueError(f"figures.{spec.name}.kind: no figure builder for {spec.kind!r}; known: "
                         f"{sorted(FIGURE_BUILDERS)}") from None  # fmt: skip
    summary = builder(spec, inputs, png, pdf, csv, hepdata_dir, config_hash, seed)
    if archive is not None:
        archive_submission(hepdata_dir, archive)
    return summary
