"""The ``cylinder_calorimeter`` geometry: an on-axis cylindrical decay volume and a calorimeter disc downstream
(NA62/HIKE, FASER, SHiP-2019 of Table 2 of paper 003, NuCal)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numba as nb
import numpy as np

from darkreach.detectors.geometry.common import bad_mode, check_positive
from darkreach.detectors.geometry.cone import cone_kernel
from darkreach.detectors.kernels import kind_code
from darkreach.detectors.registry import KernelGeometry, kernel_geometry, register_geometry


@nb.njit(cache=True, inline="always")
def cylinder_calorimeter_interval(
    params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    """Decays inside the cylinder whose visible daughter hits the calorimeter disc (NA62/HIKE ``exact``)."""
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


@register_geometry(
    interval=cylinder_calorimeter_interval,
    code=1,
    description="on-axis cylinder, then a circular calorimeter face (NA62/HIKE exact)",
)
@dataclass(frozen=True)
class CylinderWithCalorimeter:
    """On-axis cylindrical decay volume [z_start, z_end] of given radius, calorimeter disc downstream.

    NA62 in beam-dump mode and HIKE (paper 000, sec. 3): z_start = 79 m, z_end = 217 m, radius 1 m,
    electromagnetic calorimeter of radius 1.2 m at 217 m; in ``paper`` mode
    theta_max = arctan(calorimeter_radius / calorimeter_z) ~ 5.5e-3, or ``paper_theta_max_rad`` when given
    (the angle a paper prints, e.g. FASER of Table 2 of paper 003: 2.1 mrad, where arctan(1/485) = 2.06 mrad).
    """

    z_start_m: float
    z_end_m: float
    radius_m: float
    calorimeter_z_m: float
    calorimeter_radius_m: float
    paper_theta_max_rad: float | None = None

    type_name: ClassVar[str] = "cylinder_calorimeter"

    def __post_init__(self) -> None:
        for name in ("z_start_m", "z_end_m", "radius_m", "calorimeter_z_m", "calorimeter_radius_m"):
            value = getattr(self, name)
            if not (value > 0 and math.isfinite(value)):
                raise ValueError(f"geometry.{name} must be positive, got {value!r}")
        if self.z_end_m <= self.z_start_m:
            raise ValueError(f"geometry.z_end_m ({self.z_end_m}) must exceed z_start_m ({self.z_start_m})")
        if self.calorimeter_z_m < self.z_end_m:
            raise ValueError(
                f"geometry.calorimeter_z_m ({self.calorimeter_z_m}) must not be upstream of z_end_m ({self.z_end_m})"
            )
        if self.paper_theta_max_rad is not None:
            check_positive(self, "paper_theta_max_rad")
            if self.paper_theta_max_rad >= math.pi / 2:
                raise ValueError(f"geometry.paper_theta_max_rad must be below pi/2, got {self.paper_theta_max_rad!r}")

    @property
    def theta_max(self) -> float:
        """Largest LLP polar angle whose line reaches the calorimeter, arctan(R_cal / z_cal)."""
        return math.atan(self.calorimeter_radius_m / self.calorimeter_z_m)

    @property
    def paper_theta_max(self) -> float:
        """The ``paper``-mode cut: ``paper_theta_max_rad`` if given, else :attr:`theta_max`."""
        return self.theta_max if self.paper_theta_max_rad is None else float(self.paper_theta_max_rad)

    def kernel(self, mode: str) -> KernelGeometry:
        """Parameters for :func:`darkreach.detectors.kernels.decay_interval` in ``mode``."""
        if mode == "paper":
            return cone_kernel(0.0, self.paper_theta_max, self.z_start_m, self.z_end_m)
        if mode == "exact":
            params = [self.z_start_m, self.z_end_m, self.radius_m, self.calorimeter_z_m, self.calorimeter_radius_m]
            return kernel_geometry(self.type_name, params)
        raise bad_mode(mode)


#: Kind code of the on-axis cylinder followed by a circular calorimeter face (``exact`` mode).
KIND_CYLINDER_CALORIMETER = kind_code("cylinder_calorimeter")
