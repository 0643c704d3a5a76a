"""Two-body and three-body decays in flight (numba).

All functions take the parent's lab three-momentum and mass and uniforms in [0, 1) supplied by the
caller, so that every random stream is generated (and seeded) outside the kernels. The three-body decay calls
the matrix-element dispatcher, which is built from the registry table of
:mod:`darkreach.kinematics.matrix_elements`, so its kernels are compiled per table (:func:`three_body_kernels`);
the module-level :func:`three_body_decay` and :func:`three_body_decay_batch` call the current ones.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numba as nb
import numpy as np

from darkreach.kinematics.jit import keyed_njit
from darkreach.kinematics.lorentz import (
    boost_from_rest,
    isotropic_direction,
    kallen,
    perpendicular_basis,
    two_body_momentum,
)
from darkreach.kinematics.matrix_elements import msq_kernel


@nb.njit(cache=True, inline="always")
def two_body_decay(
    px: float, py: float, pz: float, m: float, ma: float, mb: float, u1: float, u2: float
) -> tuple[float, float, float, float, float, float, float, float]:
    """Isotropic decay m -> a b of a parent with lab momentum p; returns the lab four-momenta of a and b.

    The channel must be open (m >= ma + mb); callers check thresholds before sampling.
    """
    q = two_body_momentum(m, ma, mb)
    nx, ny, nz = isotropic_direction(u1, u2)
    ea = math.sqrt(q * q + ma * ma)
    eb = math.sqrt(q * q + mb * mb)
    pe = math.sqrt(px * px + py * py + pz * pz + m * m)
    ax, ay, az, ae = boost_from_rest(q * nx, q * ny, q * nz, ea, px, py, pz, pe, m)
    bx, by, bz, be = boost_from_rest(-q * nx, -q * ny, -q * nz, eb, px, py, pz, pe, m)
    return ax, ay, az, ae, bx, by, bz, be


@nb.njit(cache=True, inline="always")
def dalitz_m12_limits(m: float, m1: float, m2: float, m3: float, m23sq: float) -> tuple[float, float]:
    """Kinematic limits of m12^2 at fixed m23^2 for m -> 1 2 3 (PDG kinematics review, eq. 49.23)."""
    m23 = math.sqrt(m23sq)
    e2 = (m23sq - m3 * m3 + m2 * m2) / (2.0 * m23)
    e1 = (m * m - m23sq - m1 * m1) / (2.0 * m23)
    p2 = math.sqrt(max(e2 * e2 - m2 * m2, 0.0))
    p1 = math.sqrt(max(e1 * e1 - m1 * m1, 0.0))
    return (e1 + e2) ** 2 - (p1 + p2) ** 2, (e1 + e2) ** 2 - (p1 - p2) ** 2


@nb.njit(cache=True)
def two_body_decay_batch(
    parents: np.ndarray, m: float, ma: float, mb: float, uniforms: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`two_body_decay`: parents (N, 3) momenta, uniforms (N, >=2); returns (N, 4) x 2."""
    n = parents.shape[0]
    a = np.empty((n, 4))
    b = np.empty((n, 4))
    for i in range(n):
        r = two_body_decay(parents[i, 0], parents[i, 1], parents[i, 2], m, ma, mb, uniforms[i, 0], uniforms[i, 1])
        a[i, 0], a[i, 1], a[i, 2], a[i, 3] = r[0], r[1], r[2], r[3]
        b[i, 0], b[i, 1], b[i, 2], b[i, 3] = r[4], r[5], r[6], r[7]
    return a, b


def _make_three_body(key: str, msq: Any) -> tuple[Any, Any]:
    """(three_body_decay, three_body_decay_batch) compiled around the matrix-element dispatcher ``msq``."""

    @keyed_njit(key)
    def three_body_decay(
        px: float,
        py: float,
        pz: float,
        m: float,
        m1: float,
        m2: float,
        m3: float,
        me_code: int,
        me_params: np.ndarray,
        u: np.ndarray,
    ) -> tuple[float, float, float, float, float, float, float, float, float, float, float, float, float]:
        """Weighted three-body decay m -> 1 2 3 in flight.

        m23^2 is drawn uniformly between (m2+m3)^2 and (m-m1)^2, m12^2 uniformly between its limits (flat
        Dalitz density), and both orientations isotropically.
        The returned weight |M|^2 x Jacobian makes the weighted sample distributed as |M|^2 over the Dalitz
        plot; weights are self-normalised by the caller. Uses five uniforms ``u[0:5]``.

        Returns the lab four-momenta (px, py, pz, E) of 1, 2, 3 and the weight.
        """
        smin = (m2 + m3) ** 2
        smax = (m - m1) ** 2
        s = smin + (smax - smin) * u[0]
        lo, hi = dalitz_m12_limits(m, m1, m2, m3, s)
        m12sq = lo + (hi - lo) * u[1]
        weight = msq(me_code, m, m1, m2, m3, m12sq, s, me_params) * (smax - smin) * (hi - lo)

        # Frame of the (23) system: particle 1 moves along +n, particles 2 and 3 back to back.
        w = math.sqrt(s)
        e1s = (m * m - s - m1 * m1) / (2.0 * w)
        p1s = math.sqrt(max(e1s * e1s - m1 * m1, 0.0))
        e2s = (s + m2 * m2 - m3 * m3) / (2.0 * w)
        q = math.sqrt(max(kallen(s, m2 * m2, m3 * m3), 0.0)) / (2.0 * w)
        e3s = w - e2s
        # m12^2 = m1^2 + m2^2 + 2 (E1* E2* - p1* q cos(theta*)), theta* between 1 and 2 in the (23) frame.
        denom = 2.0 * p1s * q
        if denom > 0.0:
            cth = (m1 * m1 + m2 * m2 + 2.0 * e1s * e2s - m12sq) / denom
        else:
            cth = 0.0
        cth = min(1.0, max(-1.0, cth))
        sth = math.sqrt(1.0 - cth * cth)
        nx, ny, nz = isotropic_direction(u[2], u[3])
        ax, ay, az, bx, by, bz = perpendicular_basis(nx, ny, nz)
        phi = 2.0 * math.pi * u[4]
        cph = math.cos(phi)
        sph = math.sin(phi)
        dx = cth * nx + sth * (cph * ax + sph * bx)
        dy = cth * ny + sth * (cph * ay + sph * by)
        dz = cth * nz + sth * (cph * az + sph * bz)

        # Parent rest frame: the (23) system recoils against 1 with momentum p1 = (m^2 - s)-dependent.
        pstar = two_body_momentum(m, m1, w)
        e23 = math.sqrt(pstar * pstar + s)
        # (23) system momentum in the parent frame is -pstar n; boost 2 and 3 from the (23) frame.
        sx, sy, sz = -pstar * nx, -pstar * ny, -pstar * nz
        r2x, r2y, r2z, r2e = boost_from_rest(q * dx, q * dy, q * dz, e2s, sx, sy, sz, e23, w)
        r3x, r3y, r3z, r3e = boost_from_rest(-q * dx, -q * dy, -q * dz, e3s, sx, sy, sz, e23, w)
        r1e = math.sqrt(pstar * pstar + m1 * m1)
        pe = math.sqrt(px * px + py * py + pz * pz + m * m)
        o1x, o1y, o1z, o1e = boost_from_rest(pstar * nx, pstar * ny, pstar * nz, r1e, px, py, pz, pe, m)
        o2x, o2y, o2z, o2e = boost_from_rest(r2x, r2y, r2z, r2e, px, py, pz, pe, m)
        o3x, o3y, o3z, o3e = boost_from_rest(r3x, r3y, r3z, r3e, px, py, pz, pe, m)
        return o1x, o1y, o1z, o1e, o2x, o2y, o2z, o2e, o3x, o3y, o3z, o3e, weight

    @keyed_njit(key)
    def three_body_decay_batch(
        parents: np.ndarray,
        m: float,
        m1: float,
        m2: float,
        m3: float,
        me_code: int,
        me_params: np.ndarray,
        uniforms: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised :func:`three_body_decay`; returns (N, 4) four-momenta of 1, 2, 3 and (N,) weights."""
        n = parents.shape[0]
        o1 = np.empty((n, 4))
        o2 = np.empty((n, 4))
        o3 = np.empty((n, 4))
        w = np.empty(n)
        for i in range(n):
            r = three_body_decay(
                parents[i, 0], parents[i, 1], parents[i, 2], m, m1, m2, m3, me_code, me_params, uniforms[i]
            )
            o1[i, 0], o1[i, 1], o1[i, 2], o1[i, 3] = r[0], r[1], r[2], r[3]
            o2[i, 0], o2[i, 1], o2[i, 2], o2[i, 3] = r[4], r[5], r[6], r[7]
            o3[i, 0], o3[i, 1], o3[i, 2], o3[i, 3] = r[8], r[9], r[10], r[11]
            w[i] = r[12]
        return o1, o2, o3, w

    return three_body_decay, three_body_decay_batch


_LOCK = threading.Lock()
_KERNELS: dict[str, tuple[Any, Any]] = {}


def three_body_kernels() -> tuple[str, Any, Any]:
    """(fingerprint, three_body_decay, three_body_decay_batch) for the current matrix-element registry table."""
    key, msq = msq_kernel()
    kernels = _KERNELS.get(key)
    if kernels is None:
        with _LOCK:
            kernels = _KERNELS.get(key)
            if kernels is None:
                kernels = _KERNELS[key] = _make_three_body(key, msq)
    return key, kernels[0], kernels[1]


def three_body_decay(
    px: float,
    py: float,
    pz: float,
    m: float,
    m1: float,
    m2: float,
    m3: float,
    me_code: int,
    me_params: np.ndarray,
    u: np.ndarray,
) -> tuple[float, ...]:
    """Weighted three-body decay m -> 1 2 3 in flight (see ``_make_three_body``); callable from Python."""
    return three_body_kernels()[1](px, py, pz, m, m1, m2, m3, me_code, me_params, u)


def three_body_decay_batch(
    parents: np.ndarray,
    m: float,
    m1: float,
    m2: float,
    m3: float,
    me_code: int,
    me_params: np.ndarray,
    uniforms: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised :func:`three_body_decay`; returns (N, 4) four-momenta of 1, 2, 3 and (N,) weights."""
    return three_body_kernels()[2](parents, m, m1, m2, m3, me_code, me_params, uniforms)
