"""The bounds of paper 000 (sec. 4.2) that are computed as *experiments*: ``charm2``, ``bebc``, ``nucal``, ``babar``.

These are configured experiments of ``config/paper.yaml`` (with their ``limit`` spec, :mod:`darkreach.bounds.statistics`)
and their regions come from the reach machinery: the workflow's scan for the figures, and here, for one point, the
same production calls as ``darkreach reach`` (:func:`darkreach.cli.reach.reach_events`). Nothing is re-implemented:
this module only gives them a bound's interface (:class:`~darkreach.bounds.base.Bound`), so that
``darkreach bound --bound babar`` answers like the computed bounds. In figures they stay curves
``{experiment: babar, kind: bound}`` reading the experiment's contour table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from darkreach.bounds.base import Bound, Excluded, clip_interval, register_bound
from darkreach.models.base import DarkSectorModel, Point

__all__ = ["BEBCBound", "BaBarBound", "Charm2Bound", "ExperimentBound", "NuCalBound"]

#: The catalogue of both papers (the command line's default config).
DEFAULT_CONFIG: Path = Path(__file__).parent.parent / "config" / "paper.yaml"


class ExperimentBound(Bound):
    """A configured experiment with a limit, evaluated at one point through the reach machinery."""

    experiment: ClassVar[str]

    def __init__(
        self,
        config: str | Path = DEFAULT_CONFIG,
        results: str | Path = "results",
        events: int = 50000,
        seed: int | None = None,
    ) -> None:
        from darkreach.config import load_run_config

        self.run = load_run_config(str(config))
        if self.experiment not in self.run.experiments:
            raise ValueError(f"config {str(config)!r} has no experiment {self.experiment!r} (bound {self.name!r})")
        self.exp = self.run.experiments[self.experiment]
        self.results = Path(results)
        self.events = int(events)
        self.seed = self.run.seed if seed is None else int(seed)

    def model_problem(self, model: DarkSectorModel) -> str | None:
        from darkreach.production import source_class

        problem = source_class(self.exp.frame).model_problem(model)
        return None if problem is None else f"model {model.name!r} {problem}; bound {self.name!r} does not apply"

    def excluded(self, model: DarkSectorModel, point: Point, coupling_range: tuple[float, float]) -> list[Excluded]:
        from darkreach.cli.reach import reach_events

        self.check_model(model)
        lo, hi = coupling_range
        couplings = np.geomspace(lo, hi, int(20 * np.log10(hi / lo)) + 1)
        reach = reach_events(
            self.run, self.exp, model, dict(point), couplings, self.exp.energy_thresholds_gev[0],
            max(self.exp.exposures), self.events, self.seed, self.results,
        )  # fmt: skip
        out = []
        for band in reach.bands(self.exp.level):
            iv = band.interval
            got = clip_interval(iv.low, iv.high, lo, hi)
            if got is not None:
                out.append(Excluded(got.low, got.high, low_open=iv.low_open, high_open=iv.high_open))
        return out

    def metadata(self) -> dict[str, Any]:
        return {**super().metadata(), "experiment": self.experiment, "events": self.events, "seed": self.seed}


@register_bound
class Charm2Bound(ExperimentBound):
    """CHARM-II (paper 000 sec. 4.2): neutrino-electron scattering, 5429 events, no excess."""

    name: ClassVar[str] = "charm2"
    experiment: ClassVar[str] = "charm2"
    label: ClassVar[str] = "CHARM-II"
    source: ClassVar[str] = "paper 000 sec. 4.2 (neutrino-electron scattering, 5429 events)"


@register_bound
class BEBCBound(ExperimentBound):
    """BEBC (paper 000 sec. 4.2): 1 event observed, background 0.5."""

    name: ClassVar[str] = "bebc"
    experiment: ClassVar[str] = "bebc"
    label: ClassVar[str] = "BEBC"
    source: ClassVar[str] = "paper 000 sec. 4.2 (1 event, background 0.5)"


@register_bound
class NuCalBound(ExperimentBound):
    """NuCal (paper 000 sec. 4.2): 5 events observed, background 3.5."""

    name: ClassVar[str] = "nucal"
    experiment: ClassVar[str] = "nucal"
    label: ClassVar[str] = "NuCal"
    source: ClassVar[str] = "paper 000 sec. 4.2 (5 events, background 3.5)"


@register_bound
class BaBarBound(ExperimentBound):
    """BaBar (paper 000 sec. 4.2): the mono-photon recast, 10 signal events in 60 fb^-1."""

    name: ClassVar[str] = "babar"
    experiment: ClassVar[str] = "babar"
    label: ClassVar[str] = "BaBar"
    source: ClassVar[str] = "paper 000 sec. 4.2 (mono-photon recast, 10 events in 60 fb^-1)"
