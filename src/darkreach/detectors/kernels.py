"""Geometry kernels (numba): the path-length interval in which a decay is detectable.

Every geometry reduces to one question asked per event: for an LLP produced at the origin and moving
along the unit vector u, and a visible daughter moving along the unit vector k, which decay points
x = s u (s = distance from the production point, metres) give a detectable signal? For convex volumes
and planar detector faces the answer is an interval [s_a, s_b], so the decay probability integrates
exactly: P = exp(-s_a/L) - exp(-s_b/L) with L = beta gamma c tau. An empty interval is (0, 0).

New geometries add a kind code and a branch in :func:`decay_interval`.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

#: Polar-angle window and fixed distances along the path: eq. (4.3) of paper 000 with theta < theta_max.
KIND_CONE = 0
#: On-axis cylinder decay volume followed by a circular calorimeter face (NA62/HIKE ``exact`` mode).
KIND_CYLINDER_CALORIMETER = 1


@nb.njit(cache=True, inline="always")
def _cone(params: np.ndarray, ux: float, uy: float, uz: float) -> tuple[float, float]:
    # params: theta_min, theta_max, L_i, L_f, tan(theta_min)^2, tan(theta_max)^2
    # theta_min <= theta <= theta_max  <=>  tan^2(theta_min) uz^2 <= ux^2 + uy^2 <= tan^2(theta_max) uz^2 (uz > 0)
    if uz <= 0.0:
        return 0.0, 0.0
    t2 = ux * ux + uy * uy
    uz2 = uz * uz
    if t2 < params[4] * uz2 or t2 > params[5] * uz2:
        return 0.0, 0.0
    return params[2], params[3]


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


@nb.njit(cache=True)
def decay_interval(
    kind: int, params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    """Detectable decay interval [s_a, s_b] in metres along the LLP path; (0, 0) when empty."""
    if kind == KIND_CONE:
        return _cone(params, ux, uy, uz)
    if kind == KIND_CYLINDER_CALORIMETER:
        return _cylinder_calorimeter(params, ux, uy, uz, kx, ky, kz)
    return 0.0, 0.0


@nb.njit(cache=True)
def decay_interval_batch(kind: int, params: np.ndarray, u: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Vectorised :func:`decay_interval` for unit vectors u, k of shape (N, 3); returns (N, 2)."""
    out = np.empty((u.shape[0], 2))
    for i in range(u.shape[0]):
        a, b = decay_interval(kind, params, u[i, 0], u[i, 1], u[i, 2], k[i, 0], k[i, 1], k[i, 2])
        out[i, 0] = a
        out[i, 1] = b
    return out
