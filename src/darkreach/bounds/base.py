"""A bound as a first-class object: the excluded intervals of a model's scanned coupling at one model point.

An *experiment* predicts a signal count that a scan turns into a region; a *bound* states directly which values of
the scanned coupling (Lambda for ``inelastic-scalar``, epsilon for a dark-photon model, ...) an existing measurement
excludes at a point (mass, benchmark). Every bound is a :class:`Bound` subclass in its own module, registered by
name with :func:`register_bound` (like the models, :mod:`darkreach.models.registry`):

=======================  ==========================================================  ====================
name                     what                                                        module
=======================  ==========================================================  ====================
``lep-monophoton``       LEP II mono-photon, Lambda > 500 GeV recast (003 sec. 2.3)   :mod:`.lep_monophoton`
``upsilon-invisible``    BR(Upsilon(1S) -> invisible) < 3e-4, BaBar (003 sec. 2.3)    :mod:`.quarkonium`
``jpsi-invisible``       BR(J/psi -> invisible) < 7.2e-4, BES (003 sec. 2.3)          :mod:`.quarkonium`
``ewpm``                 EWPM epsilon < 2.2e-2 at M_Z' = 40 GeV (003 sec. 4.2)        :mod:`.dark_photon`
``ewpm-projection``      the factor-2 EWPM projection (003 sec. 4.2)                  :mod:`.dark_photon`
``dilepton``             LHCb/CMS dileptons rescaled by eq. (4.4) (003 sec. 4.2)      :mod:`.dark_photon`
``charm2`` ``bebc``      the bounds of paper 000 sec. 4.2, computed as experiments    :mod:`.experiment_bounds`
``nucal`` ``babar``      of the configs (the reach machinery)
=======================  ==========================================================  ====================

A bound answers :meth:`Bound.excluded` with :class:`Excluded` intervals; an end that continues beyond the
coupling range asked for is *open* (``low_open`` / ``high_open``), so nothing infinite is ever written.
:mod:`darkreach.bounds.tables` turns a bound into a contour table (the columns of a sensitivity) over a mass
grid, which the figures draw as a shaded region.
"""

from __future__ import annotations

import abc
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from darkreach.models.base import DarkSectorModel, Point

__all__ = ["BOUND_KINDS", "Bound", "Excluded", "bound_class", "bound_names", "get_bound", "register_bound"]

#: ``bound``: an existing exclusion (shaded); ``projection``: an expected future one (a line).
BOUND_KINDS: tuple[str, ...] = ("bound", "projection")


@dataclass(frozen=True)
class Excluded:
    """One excluded interval [low, high] of the scanned coupling (its unit); an open end continues beyond it."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and 0.0 < self.low <= self.high):
            raise ValueError(f"an excluded interval needs finite 0 < low <= high, got [{self.low!r}, {self.high!r}]")


def clip_interval(low: float, high: float, lo_range: float, hi_range: float) -> Excluded | None:
    """[low, high] (either may be 0 or inf) inside [lo_range, hi_range], with open ends; None when empty."""
    if not (0.0 < lo_range < hi_range and math.isfinite(hi_range)):
        raise ValueError(f"coupling range must satisfy 0 < low < high < inf, got [{lo_range!r}, {hi_range!r}]")
    if math.isnan(low) or math.isnan(high):
        raise ValueError(f"excluded interval edge is NaN: [{low!r}, {high!r}]")
    lo, hi = max(low, lo_range), min(high, hi_range)
    if not lo < hi:
        return None
    return Excluded(lo, hi, low_open=low < lo_range, high_open=high > hi_range)


class Bound(abc.ABC):
    """An existing (or projected) exclusion on a model's scanned coupling; see the module docstring.

    Class attributes: ``name`` (registry key), ``label`` (legend text), ``source`` (citation), ``kind``
    (:data:`BOUND_KINDS`), ``models`` (model names it applies to; empty = any model passing
    :meth:`model_problem`), ``edge_styles`` (line style of an edge in the figures, e.g. ``{"low": "dashed"}``
    for the EFT-validity floor of the LEP bound; default solid).
    """

    name: ClassVar[str]
    label: ClassVar[str]
    source: ClassVar[str]
    kind: ClassVar[str] = "bound"
    models: ClassVar[tuple[str, ...]] = ()
    edge_styles: ClassVar[Mapping[str, str]] = {}
    #: Figure colour (the paper's grey by default).
    colour: ClassVar[str] = "0.45"

    def model_problem(self, model: DarkSectorModel) -> str | None:
        """Why the bound does not apply to ``model`` (None when it does)."""
        if self.models and model.name not in self.models:
            return f"bound {self.name!r} applies to model(s) {', '.join(self.models)}, not {model.name!r}"
        return None

    def check_model(self, model: DarkSectorModel) -> None:
        """ValueError naming the bound and model when the bound does not apply."""
        problem = self.model_problem(model)
        if problem:
            raise ValueError(problem)

    @abc.abstractmethod
    def excluded(self, model: DarkSectorModel, point: Point, coupling_range: tuple[float, float]) -> list[Excluded]:
        """Excluded intervals of ``model.scan`` (its unit) at ``point``, inside ``coupling_range``, increasing.

        An empty list means no exclusion at this point (e.g. a closed channel); never NaN.
        """

    def metadata(self) -> dict[str, Any]:
        """What a table of the bound records about it (name, label, source, kind and its options)."""
        return {"bound": self.name, "label": self.label, "source": self.source, "kind": self.kind}


_B = TypeVar("_B", bound=type[Bound])
_REGISTRY: dict[str, type[Bound]] = {}
_BUILTIN_MODULES = ("lep_monophoton", "quarkonium", "dark_photon", "experiment_bounds")


def register_bound(cls: _B) -> _B:
    """Class decorator: register a :class:`Bound` subclass under its ``name``."""
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"bound class {cls.__name__} needs a non-empty string 'name'")
    if name in _REGISTRY and _REGISTRY[name] is not cls:
        raise ValueError(f"bound name {name!r} is registered twice ({_REGISTRY[name]!r} and {cls!r})")
    if cls.kind not in BOUND_KINDS:
        raise ValueError(f"bound {name!r}: kind must be one of {BOUND_KINDS}, got {cls.kind!r}")
    _REGISTRY[name] = cls
    return cls


def _load_builtins() -> None:
    import importlib

    for module in _BUILTIN_MODULES:
        importlib.import_module(f"darkreach.bounds.{module}")


def bound_names() -> list[str]:
    """Every registered bound, sorted."""
    _load_builtins()
    return sorted(_REGISTRY)


def bound_class(name: str) -> type[Bound]:
    """The class registered as ``name``; KeyError naming the known ones."""
    _load_builtins()
    if name not in _REGISTRY:
        raise KeyError(f"unknown bound {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    cls = _REGISTRY[name]
    return cls


def get_bound(name: str, **options: Any) -> Bound:
    """The bound ``name`` built with ``options`` (its constructor's keywords); KeyError naming the known ones."""
    cls = bound_class(name)
    try:
        return cls(**options)
    except TypeError as err:
        raise ValueError(f"bound {name!r}: bad options {sorted(options)}: {err}") from None
