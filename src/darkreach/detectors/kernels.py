"""Geometry kernels (numba): the path-length interval in which a decay is detectable.

Every geometry reduces to one question asked per event: for an LLP produced at the origin and moving
along the unit vector u, and a visible daughter moving along the unit vector k, which decay points
x = s u (s = distance from the production point, metres) give a detectable signal? For convex volumes
and planar detector faces the answer is an interval [s_a, s_b], so the decay probability integrates
exactly: P = exp(-s_a/L) - exp(-s_b/L) with L = beta gamma c tau. An empty interval is (0, 0).

Every interval function has the signature ``f(params, ux, uy, uz, kx, ky, kz) -> (s_a, s_b)`` and is one line of
the registry table here (:func:`interval_kernel`): a name and an integer kind code, which
:class:`~darkreach.detectors.registry.KernelGeometry` carries. :func:`decay_interval` dispatches on the code; it
is compiled from the table (:func:`decay_interval_kernel`), so a new kernel - darkreach's own or a plugin's - is
one numba function and one registry line, usually through
:func:`darkreach.detectors.registry.register_geometry`. The built-in ones live beside their geometry types, one
module each in :mod:`darkreach.detectors.geometry` (codes 0-4: ``cone``, ``cylinder_calorimeter``, ``box``,
``frustum``, ``cone_z``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numba as nb
import numpy as np

from darkreach.kinematics.jit import DispatchChain, keyed_njit
from darkreach.registry import CodedFunction, CodedRegistry

#: One registered entry (name, code, numba function, description).
IntervalKernel = CodedFunction

#: name -> :class:`~darkreach.registry.CodedFunction`; codes are unique too.
INTERVAL_KERNELS: CodedRegistry = CodedRegistry("geometry kernel")


def interval_kernel(name: str, code: int | None = None, description: str = "") -> Callable[[Any], Any]:
    """Decorator registering a numba interval function under ``name`` and kind ``code``.

    ``code`` defaults to the next free integer (plugins read it back with :func:`kind_code`). A name or a code
    registered twice is an error naming both functions.
    """

    def register(function: Any) -> Any:
        return INTERVAL_KERNELS.register_function(name, function, code, description)

    return register


def kind_code(name: str) -> int:
    """The kind code of the interval kernel ``name`` (``KeyError`` listing the known ones)."""
    return INTERVAL_KERNELS.code(name)


def is_kind_code(code: int) -> bool:
    """Whether ``code`` is a registered kind code."""
    return INTERVAL_KERNELS.has_code(code)


# ------------------------------------------------------------------------------------- the dispatcher
def _link(code: int, function: Any, rest: Any) -> Any:
    @nb.njit(inline="always")
    def dispatch(
        kind: int, params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
    ) -> tuple[float, float]:
        if kind == code:
            return function(params, ux, uy, uz, kx, ky, kz)
        return rest(kind, params, ux, uy, uz, kx, ky, kz)

    return dispatch


@nb.njit(cache=True, inline="always")
def _empty(
    kind: int, params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    return 0.0, 0.0


def _make_kernels(key: str, interval: Any) -> tuple[Any, Any]:
    """(decay_interval, decay_interval_batch) compiled around the dispatcher ``interval``."""

    @keyed_njit(key)
    def decay_interval(
        kind: int, params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
    ) -> tuple[float, float]:
        """Detectable decay interval [s_a, s_b] in metres along the LLP path; (0, 0) when empty."""
        return interval(kind, params, ux, uy, uz, kx, ky, kz)

    @keyed_njit(key)
    def decay_interval_batch(kind: int, params: np.ndarray, u: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Vectorised :func:`decay_interval` for unit vectors u, k of shape (N, 3); returns (N, 2)."""
        out = np.empty((u.shape[0], 2))
        for i in range(u.shape[0]):
            a, b = interval(kind, params, u[i, 0], u[i, 1], u[i, 2], k[i, 0], k[i, 1], k[i, 2])
            out[i, 0] = a
            out[i, 1] = b
        return out

    return decay_interval, decay_interval_batch


_LOCK = threading.Lock()
_CHAIN = DispatchChain(INTERVAL_KERNELS, _link, _empty)
_KERNELS: dict[str, tuple[Any, Any]] = {}


def decay_interval_kernel() -> tuple[str, Any]:
    """(fingerprint, dispatcher) of the registry table as it is now; the dispatcher
    ``interval(kind, params, ux, uy, uz, kx, ky, kz)`` is a chain of closures, one per entry, rebuilt only when
    the table changes (kernels compiled around it are cached on disk under the fingerprint;
    :class:`darkreach.kinematics.jit.DispatchChain`)."""
    return _CHAIN()


def _kernels() -> tuple[Any, Any]:
    key, interval = decay_interval_kernel()
    kernels = _KERNELS.get(key)
    if kernels is None:
        with _LOCK:
            kernels = _KERNELS.get(key)
            if kernels is None:
                kernels = _KERNELS[key] = _make_kernels(key, interval)
    return kernels


def decay_interval(
    kind: int, params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    """Detectable decay interval [s_a, s_b] in metres along the LLP path; (0, 0) when empty (from Python)."""
    return _kernels()[0](kind, params, ux, uy, uz, kx, ky, kz)


def decay_interval_batch(kind: int, params: np.ndarray, u: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Vectorised :func:`decay_interval` for unit vectors u, k of shape (N, 3); returns (N, 2)."""
    return _kernels()[1](kind, params, u, k)
