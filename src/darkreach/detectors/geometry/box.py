"""The ``box`` geometry: an axis-aligned box, on or off the beam axis (CHARM, MATHUSLA, CHARM-II, BEBC)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numba as nb
import numpy as np

from darkreach.detectors.geometry.common import bad_mode, check_positive, check_z_range, clip, is_number
from darkreach.detectors.geometry.cone import cone_kernel
from darkreach.detectors.kernels import kind_code
from darkreach.detectors.registry import KernelGeometry, kernel_geometry, register_geometry


@nb.njit(cache=True, inline="always")
def box_interval(
    params: np.ndarray, ux: float, uy: float, uz: float, kx: float, ky: float, kz: float
) -> tuple[float, float]:
    """Decays inside the box, optionally with the visible daughter through a rectangular face downstream."""
    # params: x_min, x_max, y_min, y_max, z_start, z_end, face_on, face_z, fx_min, fx_max, fy_min, fy_max
    # The LLP line s u inside the box is the intersection of three slabs (each linear in s). With face_on,
    # the daughter emitted at s u along k reaches z = face_z at s (u - u_z k / k_z) + face_z k / k_z,
    # which must lie in [fx_min, fx_max] x [fy_min, fy_max]: two more slabs in s.
    if uz <= 0.0:
        return 0.0, 0.0
    lo = params[4] / uz
    hi = params[5] / uz
    lo, hi = clip(lo, hi, ux, params[0], params[1])
    lo, hi = clip(lo, hi, uy, params[2], params[3])
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
        lo, hi = clip(lo, hi, ux - uz * rx, params[8] - bx, params[9] - bx)
        lo, hi = clip(lo, hi, uy - uz * ry, params[10] - by, params[11] - by)
        if hi <= lo:
            return 0.0, 0.0
    return lo, hi


@register_geometry(
    interval=box_interval,
    code=2,
    description="axis-aligned box, optionally a rectangular face downstream (MATHUSLA, CHARM, CHARM-II, BEBC)",
)
@dataclass(frozen=True)
class Box:
    """Axis-aligned box decay volume: |x - x_offset| <= half_width_x, |y| <= half_width_y, z_start..z_end.

    The box may be displaced from the beam axis along x (``x_offset_m``). ``exact``: the LLP line inside
    the box (slab intersection); if ``daughter_face_z_m`` is given, the visible daughter must also cross the
    plane z = daughter_face_z_m inside the box's transverse rectangle. ``paper``:

    * ``paper_theta_max_rad`` given: cone paper_theta_min_rad <= theta <= paper_theta_max_rad with
      L_i = z_start, L_f = z_end (CHARM, Table 2 of paper 003: 6.8 .. 12.6 mrad), times
      ``paper_azimuthal_coverage`` if given: the share of that full-azimuth window the detector covers
      (CHARM: 0.095, footnote of Table 2 of paper 003; the box itself covers 9/(30 pi) = 9.55 %). It is a
      ``paper``-mode factor only (:attr:`KernelGeometry.factor`): in ``exact`` mode the off-axis box already
      restricts the azimuth;
    * otherwise, a box containing the beam axis: cone theta <= arctan(r_eq / z_end) with the equivalent
      radius r_eq = (A / pi)^(1/2) of the transverse area A (CHARM-II, BEBC of paper 000, sec. 4.2);
    * otherwise (off-axis box, no window given): the box itself, as paper 003 does for MATHUSLA (eq. (2.8)),
      without daughter condition.
    """

    z_start_m: float
    z_end_m: float
    half_width_x_m: float
    half_width_y_m: float
    x_offset_m: float = 0.0
    daughter_face_z_m: float | None = None
    paper_theta_max_rad: float | None = None
    paper_theta_min_rad: float = 0.0
    paper_azimuthal_coverage: float | None = None

    type_name: ClassVar[str] = "box"

    def __post_init__(self) -> None:
        check_positive(self, "z_start_m", "z_end_m", "half_width_x_m", "half_width_y_m")
        check_z_range(self)
        if not (is_number(self.x_offset_m) and self.x_offset_m >= 0 and math.isfinite(self.x_offset_m)):
            raise ValueError(f"geometry.x_offset_m must be >= 0 and finite, got {self.x_offset_m!r}")
        if self.daughter_face_z_m is not None:
            check_positive(self, "daughter_face_z_m")
            if self.daughter_face_z_m < self.z_end_m:
                raise ValueError(
                    f"geometry.daughter_face_z_m ({self.daughter_face_z_m}) must not be upstream of "
                    f"z_end_m ({self.z_end_m})"
                )
        if self.paper_theta_max_rad is not None:
            check_positive(self, "paper_theta_max_rad")
            if self.paper_theta_max_rad >= math.pi / 2:
                raise ValueError(f"geometry.paper_theta_max_rad must be below pi/2, got {self.paper_theta_max_rad!r}")
        tmin = self.paper_theta_min_rad
        if not (is_number(tmin) and tmin >= 0):
            raise ValueError(f"geometry.paper_theta_min_rad must be >= 0, got {tmin!r}")
        if tmin > 0 and (self.paper_theta_max_rad is None or tmin >= self.paper_theta_max_rad):
            raise ValueError(
                f"geometry.paper_theta_min_rad ({tmin}) needs a larger paper_theta_max_rad "
                f"(got {self.paper_theta_max_rad!r})"
            )
        cov = self.paper_azimuthal_coverage
        if cov is not None:
            if not (is_number(cov) and 0.0 < cov <= 1.0):
                raise ValueError(f"geometry.paper_azimuthal_coverage must be in (0, 1], got {cov!r}")
            if self.paper_theta_max_rad is None:
                raise ValueError(
                    f"geometry.paper_azimuthal_coverage ({cov}) is the coverage of the paper theta window: "
                    "it needs paper_theta_max_rad"
                )

    @property
    def on_axis(self) -> bool:
        """Whether the box contains the beam axis."""
        return self.x_offset_m < self.half_width_x_m

    @property
    def equivalent_radius_m(self) -> float:
        """Radius of the disc with the box's transverse area."""
        return math.sqrt(4.0 * self.half_width_x_m * self.half_width_y_m / math.pi)

    def kernel(self, mode: str) -> KernelGeometry:
        """Parameters for :func:`darkreach.detectors.kernels.decay_interval` in ``mode``."""
        if mode == "paper":
            if self.paper_theta_max_rad is not None:
                window = cone_kernel(self.paper_theta_min_rad, self.paper_theta_max_rad, self.z_start_m, self.z_end_m)
                if self.paper_azimuthal_coverage is None:
                    return window
                return KernelGeometry(window.kind, window.params, float(self.paper_azimuthal_coverage))
            if self.on_axis:
                theta = math.atan(self.equivalent_radius_m / self.z_end_m)
                return cone_kernel(0.0, theta, self.z_start_m, self.z_end_m)
            return self._box_kernel(face=False)
        if mode == "exact":
            return self._box_kernel(face=self.daughter_face_z_m is not None)
        raise bad_mode(mode)

    def _box_kernel(self, face: bool) -> KernelGeometry:
        x0 = self.x_offset_m - self.half_width_x_m
        x1 = self.x_offset_m + self.half_width_x_m
        y0, y1 = -self.half_width_y_m, self.half_width_y_m
        fz = self.daughter_face_z_m if face and self.daughter_face_z_m is not None else 0.0
        params = [x0, x1, y0, y1, self.z_start_m, self.z_end_m, 1.0 if face else 0.0, fz, x0, x1, y0, y1]
        return kernel_geometry(self.type_name, params)


#: Kind code of the axis-aligned box, optionally followed by a rectangular face (``exact`` modes of MATHUSLA,
#: CHARM, CHARM-II, BEBC; MATHUSLA's ``paper`` mode).
KIND_BOX = kind_code("box")
