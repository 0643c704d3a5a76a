"""The ``cone`` geometry: a bare polar-angle window with decay distances, and the ``paper``-mode window of every
geometry (:func:`cone_kernel`, eq. (4.3) of paper 000)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numba as nb
import numpy as np

from darkreach.detectors.geometry.common import bad_mode, check_positive, is_number
from darkreach.detectors.kernels import interval_kernel, kind_code
from darkreach.detectors.registry import KernelGeometry, kernel_geometry, register_geometry


@nb.njit(cache=True, inline="always")
def cone_interval(
    params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    """Polar-angle window, decays between path lengths L_i and L_f: eq. (4.3) of paper 000."""
    # params: theta_min, theta_max, L_i, L_f, tan(theta_min)^2, tan(theta_max)^2
    # theta_min <= theta <= theta_max  <=>  tan^2(theta_min) uz^2 <= ux^2 + uy^2 <= tan^2(theta_max) uz^2 (uz > 0)
    if uz <= 0.0:
        return 0.0, 0.0
    t2 = ux * ux + uy * uy
    uz2 = uz * uz
    if t2 < params[4] * uz2 or t2 > params[5] * uz2:
        return 0.0, 0.0
    return params[2], params[3]


@interval_kernel("cone_z", 4, "polar-angle window, decays between the planes z = L_i and z = L_f (cone exact)")
@nb.njit(cache=True, inline="always")
def cone_z_interval(
    params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    """The :func:`cone_interval` window with decays between the planes z = L_i and z = L_f (same params)."""
    a, b = cone_interval(params, ux, uy, uz, kx, ky, kz)
    if b <= a:
        return 0.0, 0.0
    return params[2] / uz, params[3] / uz


def cone_kernel(theta_min: float, theta_max: float, l_i: float, l_f: float, *, kernel: str = "cone") -> KernelGeometry:
    """``paper``-mode parameters: theta_min <= theta <= theta_max, decays between distances l_i and l_f.

    With ``kernel="cone_z"`` the same window, but decays between the planes z = l_i and z = l_f.
    """
    if not 0.0 <= theta_min < theta_max < math.pi / 2:
        raise ValueError(f"need 0 <= theta_min < theta_max < pi/2, got {theta_min!r}, {theta_max!r}")
    if not 0.0 <= l_i < l_f:
        raise ValueError(f"need 0 <= l_i < l_f, got {l_i!r}, {l_f!r}")
    return kernel_geometry(kernel, [theta_min, theta_max, l_i, l_f, math.tan(theta_min) ** 2, math.tan(theta_max) ** 2])


@register_geometry(
    interval=cone_interval,
    code=0,
    description="polar-angle window, decays between path lengths L_i and L_f: eq. (4.3) of paper 000",
)
@dataclass(frozen=True)
class Cone:
    """A bare polar-angle window theta_min <= theta <= theta_max with decays between L_i and L_f.

    ``paper``: decay probability between the path lengths L_i and L_f (eq. (4.3) of paper 000, eq. (2.4)
    of paper 003); ``exact``: the solid conical shell itself, i.e. decays between the planes z = L_i and
    z = L_f (path lengths L_i/cos(theta) .. L_f/cos(theta)), no condition on the daughter. For the entries
    of Table 2 of paper 003 taken verbatim (e.g. FASER: theta <= 2.1 mrad, L = 480 m, L_dec = 5 m).
    """

    theta_max_rad: float
    l_i_m: float
    l_f_m: float
    theta_min_rad: float = 0.0

    type_name: ClassVar[str] = "cone"

    def __post_init__(self) -> None:
        check_positive(self, "theta_max_rad", "l_i_m", "l_f_m")
        if not (is_number(self.theta_min_rad) and 0.0 <= self.theta_min_rad < self.theta_max_rad):
            raise ValueError(
                f"geometry.theta_min_rad must be >= 0 and below theta_max_rad ({self.theta_max_rad}), "
                f"got {self.theta_min_rad!r}"
            )
        if self.theta_max_rad >= math.pi / 2:
            raise ValueError(f"geometry.theta_max_rad must be below pi/2, got {self.theta_max_rad!r}")
        if self.l_f_m <= self.l_i_m:
            raise ValueError(f"geometry.l_f_m ({self.l_f_m}) must exceed l_i_m ({self.l_i_m})")

    def kernel(self, mode: str) -> KernelGeometry:
        """Parameters for :func:`darkreach.detectors.kernels.decay_interval` in ``mode``."""
        if mode == "paper":
            return cone_kernel(self.theta_min_rad, self.theta_max_rad, self.l_i_m, self.l_f_m)
        if mode == "exact":
            return cone_kernel(self.theta_min_rad, self.theta_max_rad, self.l_i_m, self.l_f_m, kernel="cone_z")
        raise bad_mode(mode)


#: Kind code of the polar-angle window with fixed distances along the path (every ``paper`` mode but
#: MATHUSLA's box).
KIND_CONE = kind_code("cone")
#: Kind code of the theta window with decays between the planes z = L_i and z = L_f (``cone`` exact).
KIND_CONE_Z = kind_code("cone_z")
