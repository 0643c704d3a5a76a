"""What a geometry is to the framework: the registry of geometry types and the packed kernel parameters.

A geometry type is a frozen dataclass - its fields are the config keys (``geometry.type`` is its
``type_name``), ``__post_init__`` validates them, ``kernel(mode)`` returns the :class:`KernelGeometry` of each
acceptance mode - registered by one line, :func:`register_geometry` (with ``interval=f`` when it brings its own
numba interval function ``f``, see :mod:`darkreach.detectors.kernels`). darkreach's own types are in
:mod:`darkreach.detectors.geometry` (one module per type); third-party packages register theirs through the
entry-point group ``darkreach.geometries`` (:mod:`darkreach.registry`). The config schema's ``geometry.type`` lists them all.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from importlib.metadata import EntryPoint
from typing import Any, ClassVar, Protocol

import numpy as np

from darkreach.detectors import kernels
from darkreach.registry import GEOMETRY_GROUP, Registry, RegistryError, describe

#: The acceptance modes every geometry knows (see :mod:`darkreach.detectors.geometry`).
ACCEPTANCE_MODES = ("paper", "exact")


@dataclass(frozen=True)
class KernelGeometry:
    """What a kernel needs: the geometry kind code and its parameter array.

    ``factor`` is a constant acceptance factor of this mode that the path geometry does not express, applied
    to the weight of every accepted LLP (:func:`darkreach.sensitivity.yields.simulate_point`): CHARM's
    ``paper``-mode azimuthal coverage of the theta window (0.095, Table 2 of paper 003); 1 otherwise.
    """

    kind: int
    params: np.ndarray
    factor: float = 1.0

    def __post_init__(self) -> None:
        if not kernels.is_kind_code(self.kind):
            known = ", ".join(f"{n} = {kernels.kind_code(n)}" for n in kernels.INTERVAL_KERNELS)
            raise ValueError(f"unknown geometry kernel kind {self.kind!r}; registered kinds: {known}")


def kernel_geometry(name: str, params: Sequence[float], factor: float = 1.0) -> KernelGeometry:
    """The :class:`KernelGeometry` of the interval kernel registered as ``name`` with these parameters."""
    return KernelGeometry(kernels.kind_code(name), np.array(params, dtype=np.float64), factor)


class GeometryType(Protocol):
    """What every geometry class provides: its config name, its fields, and the kernel of each mode."""

    type_name: ClassVar[str]

    def kernel(self, mode: str) -> KernelGeometry: ...


def _load_geometry_plugin(obj: Any, ep: EntryPoint) -> None:
    """An entry point of ``darkreach.geometries``: a geometry class (registered here unless its module already
    did, with its ``interval`` numba function if it has one) or a module that registers on import."""
    if inspect.ismodule(obj):
        return
    if not isinstance(obj, type):
        raise TypeError(f"expected a geometry dataclass or a module, got {describe(obj)}")
    name = getattr(obj, "type_name", None)
    if name in GEOMETRIES.registered() and GEOMETRIES.registered()[name] is obj:
        return
    register_geometry(obj, interval=getattr(obj, "interval", None))


#: Geometry types: config ``geometry.type`` -> class; darkreach's own in :mod:`darkreach.detectors.geometry`,
#: plugins from the entry-point group ``darkreach.geometries``.
GEOMETRIES: Registry[type] = Registry("geometry type", GEOMETRY_GROUP, _load_geometry_plugin)


def register_geometry(
    cls: type | None = None, *, interval: Any = None, code: int | None = None, description: str | None = None
) -> Any:
    """Register the geometry dataclass ``cls`` under ``cls.type_name`` - the one registry line of a geometry.

    ``interval`` is its own numba interval function ``f(params, ux, uy, uz, kx, ky, kz) -> (s_a, s_b)``, if it
    has one: it is registered under the same name (kind ``code``, default the next free one; ``description``,
    default the first line of the class docstring), so that ``kernel_geometry(cls.type_name, params)`` addresses
    it. Returns ``cls``; without ``cls``, a class decorator (``@register_geometry`` or
    ``@register_geometry(interval=f)`` above ``@dataclass(frozen=True)``).
    """
    if cls is None:
        return lambda c: register_geometry(c, interval=interval, code=code, description=description)
    name = getattr(cls, "type_name", None)
    if not isinstance(name, str) or not name:
        raise RegistryError(f"geometry {describe(cls)} has no type_name (a ClassVar[str] naming its config type)")
    if not (is_dataclass(cls) and getattr(cls, "__dataclass_params__").frozen):  # noqa: B009
        raise RegistryError(f"geometry {name!r} ({describe(cls)}) must be a frozen dataclass")
    if not callable(getattr(cls, "kernel", None)):
        raise RegistryError(f"geometry {name!r} ({describe(cls)}) has no kernel(mode) method")
    with GEOMETRIES._lock:
        GEOMETRIES.register(name, cls, describe(cls))
        if interval is not None:
            text = (cls.__doc__ or "").strip().split("\n")[0] if description is None else description
            kernels.interval_kernel(name, code, text)(interval)
    return cls


def geometry_types() -> list[str]:
    """Every geometry type name (``geometry.type`` of the config), plugins included."""
    return GEOMETRIES.names()


def geometry_from_config(cfg: Mapping[str, Any]) -> Any:
    """Build a geometry from its config mapping (``type`` plus the dataclass fields)."""
    params = dict(cfg)
    type_name = params.pop("type", None)
    if not isinstance(type_name, str) or type_name not in GEOMETRIES:
        raise ValueError(f"geometry.type must be one of {GEOMETRIES.names()}, got {type_name!r}")
    cls = GEOMETRIES[type_name]
    try:
        return cls(**params)
    except TypeError as err:
        raise ValueError(f"geometry of type {type_name!r}: {err}") from None


def geometry_to_config(geometry: Any) -> dict[str, Any]:
    """The config mapping of ``geometry`` (inverse of :func:`geometry_from_config`); unset options omitted."""
    out: dict[str, Any] = {"type": geometry.type_name}
    for f in fields(geometry):
        value = getattr(geometry, f.name)
        if value is not None and not (value == 0.0 and f.default == 0.0):
            out[f.name] = float(value)
    return out
