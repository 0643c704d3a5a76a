"""The ``frustum`` geometry: a pyramid frustum on the beam axis (SHiP at ECN3, paper 000 sec. 3)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numba as nb
import numpy as np

from darkreach.detectors.geometry.common import bad_mode, check_positive, check_z_range, clip
from darkreach.detectors.geometry.cone import cone_kernel
from darkreach.detectors.kernels import kind_code
from darkreach.detectors.registry import KernelGeometry, kernel_geometry, register_geometry


@nb.njit(cache=True, inline="always")
def frustum_interval(
    params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    """Decays inside the frustum whose visible daughter crosses its downstream face (SHiP at ECN3 ``exact``)."""
    # params: z_start, z_end, hx_start, gx, hy_start, gy, face_z, face_hx, face_hy
    # half-widths h(z) = h_start + g (z - z_start). For the point s u, |u_x| s <= h_start + g (s u_z - z_start)
    # reads s (|u_x| - g u_z) <= h_start - g z_start: one linear constraint per transverse axis.
    # The daughter must reach z = face_z within |x| <= face_hx, |y| <= face_hy (two slabs in s).
    if uz <= 0.0 or kz <= 0.0:
        return 0.0, 0.0
    z0 = params[0]
    lo = z0 / uz
    hi = params[1] / uz
    lo, hi = clip(lo, hi, abs(ux) - params[3] * uz, -math.inf, params[2] - params[3] * z0)
    lo, hi = clip(lo, hi, abs(uy) - params[5] * uz, -math.inf, params[4] - params[5] * z0)
    if hi <= lo:
        return 0.0, 0.0
    fz = params[6]
    rx = kx / kz
    ry = ky / kz
    bx = fz * rx
    by = fz * ry
    lo, hi = clip(lo, hi, ux - uz * rx, -params[7] - bx, params[7] - bx)
    lo, hi = clip(lo, hi, uy - uz * ry, -params[8] - by, params[8] - by)
    if hi <= lo:
        return 0.0, 0.0
    return lo, hi


@register_geometry(
    interval=frustum_interval,
    code=3,
    description="pyramid frustum, daughter through the downstream face (SHiP at ECN3 exact)",
)
@dataclass(frozen=True)
class Frustum:
    """Pyramid frustum on the beam axis, rectangular cross-section growing linearly from z_start to z_end.

    SHiP at ECN3 (paper 000, sec. 3, ref. [57]): z_start = 33 m, z_end = 85 m, full widths
    1.0 m (x, horizontal) x 2.7 m (y, vertical) upstream and 4.0 m (x) x 6.0 m (y) downstream.
    ``paper``: cone 0 <= theta <= paper_theta_max_rad (0.028) with L_i = z_start, L_f = z_end.
    ``exact``: the LLP line inside the frustum (one linear constraint in s per transverse axis) and the
    visible daughter crossing the downstream face z = z_end inside its rectangle (two slabs in s).
    """

    z_start_m: float
    z_end_m: float
    width_x_start_m: float
    width_y_start_m: float
    width_x_end_m: float
    width_y_end_m: float
    paper_theta_max_rad: float

    type_name: ClassVar[str] = "frustum"

    def __post_init__(self) -> None:
        check_positive(
            self,
            "z_start_m",
            "z_end_m",
            "width_x_start_m",
            "width_y_start_m",
            "width_x_end_m",
            "width_y_end_m",
            "paper_theta_max_rad",
        )
        check_z_range(self)
        if self.paper_theta_max_rad >= math.pi / 2:
            raise ValueError(f"geometry.paper_theta_max_rad must be below pi/2, got {self.paper_theta_max_rad!r}")

    def kernel(self, mode: str) -> KernelGeometry:
        """Parameters for :func:`darkreach.detectors.kernels.decay_interval` in ``mode``."""
        if mode == "paper":
            return cone_kernel(0.0, self.paper_theta_max_rad, self.z_start_m, self.z_end_m)
        if mode == "exact":
            length = self.z_end_m - self.z_start_m
            hx0 = 0.5 * self.width_x_start_m
            hy0 = 0.5 * self.width_y_start_m
            gx = (0.5 * self.width_x_end_m - hx0) / length
            gy = (0.5 * self.width_y_end_m - hy0) / length
            params = [
                self.z_start_m,
                self.z_end_m,
                hx0,
                gx,
                hy0,
                gy,
                self.z_end_m,
                0.5 * self.width_x_end_m,
                0.5 * self.width_y_end_m,
            ]
            return kernel_geometry(self.type_name, params)
        raise bad_mode(mode)


#: Kind code of the pyramid frustum with the daughter through its downstream face (``exact`` mode).
KIND_FRUSTUM = kind_code("frustum")
