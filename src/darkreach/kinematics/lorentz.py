"""Scalar Lorentz-algebra helpers compiled with numba (GeV units, metric +---)."""

from __future__ import annotations

import math

import numba as nb
import numpy as np


@nb.njit(cache=True, inline="always")
def kallen(a: float, b: float, c: float) -> float:
    """Kallen function lambda(a, b, c) = a^2 + b^2 + c^2 - 2ab - 2ac - 2bc."""
    return a * a + b * b + c * c - 2.0 * (a * b + a * c + b * c)


@nb.njit(cache=True, inline="always")
def two_body_momentum(m: float, ma: float, mb: float) -> float:
    """Daughter momentum in the rest frame of a parent of mass ``m``; -1 when the channel is closed."""
    if m < ma + mb:
        return -1.0
    lam = kallen(m * m, ma * ma, mb * mb)
    if lam < 0.0:
        lam = 0.0
    return math.sqrt(lam) / (2.0 * m)


@nb.njit(cache=True, inline="always")
def isotropic_direction(u1: float, u2: float) -> tuple[float, float, float]:
    """Unit vector uniform on the sphere from two uniforms in [0, 1)."""
    cth = 2.0 * u1 - 1.0
    sth = math.sqrt(max(0.0, 1.0 - cth * cth))
    phi = 2.0 * math.pi * u2
    return sth * math.cos(phi), sth * math.sin(phi), cth


@nb.njit(cache=True, inline="always")
def boost_from_rest(
    qx: float, qy: float, qz: float, qe: float, px: float, py: float, pz: float, pe: float, pm: float
) -> tuple[float, float, float, float]:
    """Boost four-vector ``q`` from the rest frame of a parent (p, E, m) to the frame where it has momentum p.

    Uses gamma = E/m and beta*gamma = p/m, which stays accurate for gamma >> 1.
    """
    pq = px * qx + py * qy + pz * qz
    e_lab = (pe * qe + pq) / pm
    f = (pq / (pe + pm) + qe) / pm
    return qx + f * px, qy + f * py, qz + f * pz, e_lab


@nb.njit(cache=True)
def boost_from_rest_batch(q: np.ndarray, parent: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """:func:`boost_from_rest` row by row: four-vectors ``q`` (rows E, px, py, pz) from the rest frame of each
    ``parent`` row (E, px, py, pz) of mass ``mass[i]`` to the frame where the parent has that momentum.

    ``q`` and ``parent`` have shape (N, 4) and ``mass`` shape (N,); returns the boosted rows, shape (N, 4).
    """
    out = np.empty((q.shape[0], 4))
    for i in range(q.shape[0]):
        x, y, z, e = boost_from_rest(
            q[i, 1], q[i, 2], q[i, 3], q[i, 0], parent[i, 1], parent[i, 2], parent[i, 3], parent[i, 0], mass[i]
        )
        out[i, 0] = e
        out[i, 1] = x
        out[i, 2] = y
        out[i, 3] = z
    return out


@nb.njit(cache=True, inline="always")
def perpendicular_basis(nx: float, ny: float, nz: float) -> tuple[float, float, float, float, float, float]:
    """Two unit vectors (a, b) completing the unit vector n to a right-handed orthonormal basis."""
    if abs(nz) < 0.9:
        ax, ay, az = -ny, nx, 0.0
    else:
        ax, ay, az = 0.0, -nz, ny
    norm = math.sqrt(ax * ax + ay * ay + az * az)
    ax /= norm
    ay /= norm
    az /= norm
    bx = ny * az - nz * ay
    by = nz * ax - nx * az
    bz = nx * ay - ny * ax
    return ax, ay, az, bx, by, bz
