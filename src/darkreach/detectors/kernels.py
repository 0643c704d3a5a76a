"""Geometry kernels (numba): the path-length interval in which a decay is detectable.

Every geometry reduces to one question asked per event: for an LLP produced at the origin and moving
along the unit vector u, and a visible daughter moving along the unit vector k, which decay points
x = s u (s = distance from the production point, metres) give a detectable signal? For convex volumes
and planar detector faces the answer is an interval [s_a, s_b], so the decay probability integrates
exactly: P = exp(-s_a/L) - exp(-s_b/L) with L = beta gamma c tau. An empty interval is (0, 0).

Every interval function has the signature ``f(params, ux, uy, uz, kx, ky, kz) -> (s_a, s_b)`` and is one line of
the registry table below (:func:`interval_kernel`): a name and an integer kind code, which
:class:`~darkreach.detectors.geometry.KernelGeometry` carries. :func:`decay_interval` dispatches on the code; it
is compiled from the table (:func:`decay_interval_kernel`), so a new kernel - darkreach's own or a plugin's - is
one numba function and one registry line, usually through
:func:`darkreach.detectors.geometry.register_geometry`.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

import numba as nb
import numpy as np

from darkreach.kinematics.jit import fingerprint, keyed_njit
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


# ------------------------------------------------------------------------------------- the registry table
@interval_kernel("cone", 0, "polar-angle window, decays between path lengths L_i and L_f: eq. (4.3) of paper 000")
@nb.njit(cache=True, inline="always")
def _cone(params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float) -> tuple[float, float]:
    # params: theta_min, theta_max, L_i, L_f, tan(theta_min)^2, tan(theta_max)^2
    # theta_min <= theta <= theta_max  <=>  tan^2(theta_min) uz^2 <= ux^2 + uy^2 <= tan^2(theta_max) uz^2 (uz > 0)
    if uz <= 0.0:
        return 0.0, 0.0
    t2 = ux * ux + uy * uy
    uz2 = uz * uz
    if t2 < params[4] * uz2 or t2 > params[5] * uz2:
        return 0.0, 0.0
    return params[2], params[3]


@interval_kernel("cylinder_calorimeter", 1, "on-axis cylinder, then a circular calorimeter face (NA62/HIKE exact)")
@nb.njit(cache=True, inline="always")
def _cylinder_calorimeter(
    params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    # params: z_start, z_end, radius, calorimeter_z, calorimeter_radius
    z0, z1, radius, zc, rc = params[0], params[1], params[2], params[3], params[4]
    if uz <= 0.0 or kz <= 0.0:
        return 0.0, 0.0
    s_a = z0 / uz
    s_b = z1 / uz
    st = math.sqrt(ux * ux + uy * uy)
    if st > 0.0:
        s_b = min(s_b, radius / st)
    if s_b <= s_a:
        return 0.0, 0.0
    # Photon from x(s) = s u reaches z = zc at transverse position s*A + B.
    ax = ux - kx * uz / kz
    ay = uy - ky * uz / kz
    bx = kx * zc / kz
    by = ky * zc / kz
    aa = ax * ax + ay * ay
    ab = ax * bx + ay * by
    cc = bx * bx + by * by - rc * rc
    if aa == 0.0:
        if cc > 0.0:
            return 0.0, 0.0
        return s_a, s_b
    disc = ab * ab - aa * cc
    if disc < 0.0:
        return 0.0, 0.0
    root = math.sqrt(disc)
    lo = (-ab - root) / aa
    hi = (-ab + root) / aa
    lo = max(lo, s_a)
    hi = min(hi, s_b)
    if hi <= lo:
        return 0.0, 0.0
    return lo, hi


@nb.njit(cache=True, inline="always")
def _clip(lo: float, hi: float, a: float, c_lo: float, c_hi: float) -> tuple[float, float]:
    # Intersect [lo, hi] with {s : c_lo <= a s <= c_hi}; an empty result has hi <= lo.
    if a > 0.0:
        return max(lo, c_lo / a), min(hi, c_hi / a)
    if a < 0.0:
        return max(lo, c_hi / a), min(hi, c_lo / a)
    if c_lo <= 0.0 <= c_hi:
        return lo, hi
    return 0.0, 0.0


@interval_kernel("cone_z", 4, "polar-angle window, decays between the planes z = L_i and z = L_f (cone exact)")
@nb.njit(cache=True, inline="always")
def _cone_z(
    params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    # Same params as _cone; decays between the planes z = L_i and z = L_f.
    a, b = _cone(params, ux, uy, uz, kx, ky, kz)
    if b <= a:
        return 0.0, 0.0
    return params[2] / uz, params[3] / uz


@interval_kernel(
    "box", 2, "axis-aligned box, optionally a rectangular face downstream (MATHUSLA, CHARM, CHARM-II, BEBC)"
)
@nb.njit(cache=True, inline="always")
def _box(params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float) -> tuple[float, float]:
    # params: x_min, x_max, y_min, y_max, z_start, z_end, face_on, face_z, fx_min, fx_max, fy_min, fy_max
    # The LLP line s u inside the box is the intersection of three slabs (each linear in s). With face_on,
    # the daughter emitted at s u along k reaches z = face_z at s (u - u_z k / k_z) + face_z k / k_z,
    # which must lie in [fx_min, fx_max] x [fy_min, fy_max]: two more slabs in s.
    if uz <= 0.0:
        return 0.0, 0.0
    lo = params[4] / uz
    hi = params[5] / uz
    lo, hi = _clip(lo, hi, ux, params[0], params[1])
    lo, hi = _clip(lo, hi, uy, params[2], params[3])
    if hi <= lo:
        return 0.0, 0.0
    if params[6] != 0.0:
        if kz <= 0.0:
            return 0.0, 0.0
        fz = params[7]
        rx = kx / kz
        ry = ky / kz
        bx = fz * rx
        by = fz * ry
        lo, hi = _clip(lo, hi, ux - uz * rx, params[8] - bx, params[9] - bx)
        lo, hi = _clip(lo, hi, uy - uz * ry, params[10] - by, params[11] - by)
        if hi <= lo:
            return 0.0, 0.0
    return lo, hi


@interval_kernel("frustum", 3, "pyramid frustum, daughter through the downstream face (SHiP at ECN3 exact)")
@nb.njit(cache=True, inline="always")
def _frustum(
    params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    # params: z_start, z_end, hx_start, gx, hy_start, gy, face_z, face_hx, face_hy
    # half-widths h(z) = h_start + g (z - z_start). For the point s u, |u_x| s <= h_start + g (s u_z - z_start)
    # reads s (|u_x| - g u_z) <= h_start - g z_start: one linear constraint per transverse axis.
    # The daughter must reach z = face_z within |x| <= face_hx, |y| <= face_hy (two slabs in s).
    if uz <= 0.0 or kz <= 0.0:
        return 0.0, 0.0
    z0 = params[0]
    lo = z0 / uz
    hi = params[1] / uz
    lo, hi = _clip(lo, hi, abs(ux) - params[3] * uz, -math.inf, params[2] - params[3] * z0)
    lo, hi = _clip(lo, hi, abs(uy) - params[5] * uz, -math.inf, params[4] - params[5] * z0)
    if hi <= lo:
        return 0.0, 0.0
    fz = params[6]
    rx = kx / kz
    ry = ky / kz
    bx = fz * rx
    by = fz * ry
    lo, hi = _clip(lo, hi, ux - uz * rx, -params[7] - bx, params[7] - bx)
    lo, hi = _clip(lo, hi, uy - uz * ry, -params[8] - by, params[8] - by)
    if hi <= lo:
        return 0.0, 0.0
    return lo, hi


#: Kind codes of the built-in kernels.
#: Polar-angle window and fixed distances along the path: eq. (4.3) of paper 000 with theta < theta_max.
KIND_CONE = kind_code("cone")
#: On-axis cylinder decay volume followed by a circular calorimeter face (NA62/HIKE ``exact`` mode).
KIND_CYLINDER_CALORIMETER = kind_code("cylinder_calorimeter")
#: Axis-aligned box decay volume, optionally followed by a rectangular detector face downstream
#: (MATHUSLA, CHARM, CHARM-II, BEBC ``exact`` modes).
KIND_BOX = kind_code("box")
#: Pyramid frustum with rectangular cross-section growing linearly in z, daughter reaching the downstream
#: face (SHiP at ECN3 ``exact`` mode).
KIND_FRUSTUM = kind_code("frustum")
#: Theta window with decays between the planes z = L_i and z = L_f (the solid conical shell itself, the
#: ``exact`` mode of a geometry that is a cone).
KIND_CONE_Z = kind_code("cone_z")


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
_STATE: tuple[int, str, Any] | None = None
_KERNELS: dict[str, tuple[Any, Any]] = {}


def decay_interval_kernel() -> tuple[str, Any]:
    """(fingerprint, dispatcher) of the registry table as it is now; the dispatcher
    ``interval(kind, params, ux, uy, uz, kx, ky, kz)`` is a chain of closures, one per entry, rebuilt only when
    the table changes (kernels compiled around it are cached on disk under the fingerprint)."""
    global _STATE
    state = _STATE
    if state is None or state[0] != INTERVAL_KERNELS.version:
        with _LOCK:
            version = INTERVAL_KERNELS.version
            entries = sorted(
                ((e.name, e.code, e.function) for e in INTERVAL_KERNELS.registered().values()), key=lambda e: e[1]
            )
            dispatch = _empty
            for _, code, function in reversed(entries):
                dispatch = _link(code, function, dispatch)
            state = _STATE = (version, fingerprint(entries), dispatch)
    return state[1], state[2]


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
