"""Detector geometries: Python objects that pack their parameters for the numba kernels.

A geometry knows two acceptance modes:

``paper``
    the approximation used in the papers: a cut on the LLP polar angle and the decay probability
    between fixed distances L_i and L_f (eq. (4.3) of paper 000);
``exact``
    the LLP must decay inside the actual decay volume, integrated along its path, and the visible
    daughter must reach the detector face.

Geometry types (``geometry.type`` in the configuration):

``cylinder_calorimeter`` (:class:`CylinderWithCalorimeter`)
    NA62/HIKE, FASER 2 (paper 000), FASER and SHiP-2019 of Table 2 of paper 003, NuCal;
``frustum`` (:class:`Frustum`)
    SHiP at ECN3 (paper 000, sec. 3);
``box`` (:class:`Box`)
    CHARM (off axis, Table 2 of paper 003), MATHUSLA (eq. (2.8) of paper 003), CHARM-II and BEBC
    (paper 000, sec. 4.2);
``cone`` (:class:`Cone`)
    a bare theta window with decay distances, when the papers' numbers are the whole story.

Each is a frozen dataclass registered by one line, ``@register_geometry`` (:mod:`darkreach.detectors.registry`,
which also holds :class:`KernelGeometry`, :func:`geometry_from_config` and :func:`geometry_to_config`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from darkreach.detectors import kernels
from darkreach.detectors.registry import (
    ACCEPTANCE_MODES,
    GEOMETRIES,
    GeometryType,
    KernelGeometry,
    geometry_from_config,
    geometry_to_config,
    geometry_types,
    kernel_geometry,
    register_geometry,
)
from darkreach.registry import Registry

__all__ = [
    "ACCEPTANCE_MODES",
    "GEOMETRIES",
    "GEOMETRY_TYPES",
    "PAPER_GEOMETRIES",
    "Box",
    "Cone",
    "CylinderWithCalorimeter",
    "Frustum",
    "Geometry",
    "GeometryType",
    "KernelGeometry",
    "cone_kernel",
    "geometry_from_config",
    "geometry_to_config",
    "geometry_types",
    "kernel_geometry",
    "register_geometry",
]


def cone_kernel(
    theta_min: float, theta_max: float, l_i: float, l_f: float, *, kind: int = kernels.KIND_CONE
) -> KernelGeometry:
    """``paper``-mode parameters: theta_min <= theta <= theta_max, decays between distances l_i and l_f.

    With ``kind=KIND_CONE_Z`` the same window, but decays between the planes z = l_i and z = l_f.
    """
    if not 0.0 <= theta_min < theta_max < math.pi / 2:
        raise ValueError(f"need 0 <= theta_min < theta_max < pi/2, got {theta_min!r}, {theta_max!r}")
    if not 0.0 <= l_i < l_f:
        raise ValueError(f"need 0 <= l_i < l_f, got {l_i!r}, {l_f!r}")
    params = [theta_min, theta_max, l_i, l_f, math.tan(theta_min) ** 2, math.tan(theta_max) ** 2]
    return KernelGeometry(kind, np.array(params, dtype=np.float64))


def _bad_mode(mode: str) -> ValueError:
    return ValueError(f"acceptance mode must be one of {ACCEPTANCE_MODES}, got {mode!r}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _check_positive(obj: Any, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if not _is_number(value) or not (value > 0 and math.isfinite(value)):
            raise ValueError(f"geometry.{name} must be positive, got {value!r}")


def _check_z_range(obj: Any) -> None:
    if obj.z_end_m <= obj.z_start_m:
        raise ValueError(f"geometry.z_end_m ({obj.z_end_m}) must exceed z_start_m ({obj.z_start_m})")


@register_geometry
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
            _check_positive(self, "paper_theta_max_rad")
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
            return KernelGeometry(
                kernels.KIND_CYLINDER_CALORIMETER,
                np.array(
                    [self.z_start_m, self.z_end_m, self.radius_m, self.calorimeter_z_m, self.calorimeter_radius_m],
                    dtype=np.float64,
                ),
            )
        raise _bad_mode(mode)


@register_geometry
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
        _check_positive(self, "theta_max_rad", "l_i_m", "l_f_m")
        if not (_is_number(self.theta_min_rad) and 0.0 <= self.theta_min_rad < self.theta_max_rad):
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
            return cone_kernel(self.theta_min_rad, self.theta_max_rad, self.l_i_m, self.l_f_m, kind=kernels.KIND_CONE_Z)
        raise _bad_mode(mode)


@register_geometry
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
        _check_positive(
            self,
            "z_start_m",
            "z_end_m",
            "width_x_start_m",
            "width_y_start_m",
            "width_x_end_m",
            "width_y_end_m",
            "paper_theta_max_rad",
        )
        _check_z_range(self)
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
            return KernelGeometry(kernels.KIND_FRUSTUM, np.array(params, dtype=np.float64))
        raise _bad_mode(mode)


@register_geometry
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
        _check_positive(self, "z_start_m", "z_end_m", "half_width_x_m", "half_width_y_m")
        _check_z_range(self)
        if not (_is_number(self.x_offset_m) and self.x_offset_m >= 0 and math.isfinite(self.x_offset_m)):
            raise ValueError(f"geometry.x_offset_m must be >= 0 and finite, got {self.x_offset_m!r}")
        if self.daughter_face_z_m is not None:
            _check_positive(self, "daughter_face_z_m")
            if self.daughter_face_z_m < self.z_end_m:
                raise ValueError(
                    f"geometry.daughter_face_z_m ({self.daughter_face_z_m}) must not be upstream of "
                    f"z_end_m ({self.z_end_m})"
                )
        if self.paper_theta_max_rad is not None:
            _check_positive(self, "paper_theta_max_rad")
            if self.paper_theta_max_rad >= math.pi / 2:
                raise ValueError(f"geometry.paper_theta_max_rad must be below pi/2, got {self.paper_theta_max_rad!r}")
        tmin = self.paper_theta_min_rad
        if not (_is_number(tmin) and tmin >= 0):
            raise ValueError(f"geometry.paper_theta_min_rad must be >= 0, got {tmin!r}")
        if tmin > 0 and (self.paper_theta_max_rad is None or tmin >= self.paper_theta_max_rad):
            raise ValueError(
                f"geometry.paper_theta_min_rad ({tmin}) needs a larger paper_theta_max_rad "
                f"(got {self.paper_theta_max_rad!r})"
            )
        cov = self.paper_azimuthal_coverage
        if cov is not None:
            if not (_is_number(cov) and 0.0 < cov <= 1.0):
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
        raise _bad_mode(mode)

    def _box_kernel(self, face: bool) -> KernelGeometry:
        x0 = self.x_offset_m - self.half_width_x_m
        x1 = self.x_offset_m + self.half_width_x_m
        y0, y1 = -self.half_width_y_m, self.half_width_y_m
        fz = self.daughter_face_z_m if face else 0.0
        params = [x0, x1, y0, y1, self.z_start_m, self.z_end_m, 1.0 if face else 0.0, fz, x0, x1, y0, y1]
        return KernelGeometry(kernels.KIND_BOX, np.array(params, dtype=np.float64))


#: Every built-in geometry class (each has ``kernel(mode)``); plugins add theirs to :data:`GEOMETRIES`.
Geometry = CylinderWithCalorimeter | Frustum | Box | Cone

#: Config type name -> geometry class (a live view of :data:`GEOMETRIES`, plugins included).
GEOMETRY_TYPES: Registry[type] = GEOMETRIES


_SHIP2019_RADIUS_M = math.sqrt(5.0 * 10.0 / math.pi)

#: The detector geometries of papers 000 and 003 (x horizontal for the fixed-target experiments; x vertical
#: for MATHUSLA, as in eq. (2.8) of paper 003). Keys are descriptive, not config names.
PAPER_GEOMETRIES: dict[str, Geometry] = {
    # paper 000, sec. 3
    "na62": CylinderWithCalorimeter(79.0, 217.0, 1.0, 217.0, 1.2),
    # ECN3 proposal: 1.0 m (x, horizontal) x 2.7 m (y, vertical) at 33 m -> 4.0 m x 6.0 m at 85 m
    "ship_ecn3": Frustum(33.0, 85.0, 1.0, 2.7, 4.0, 6.0, paper_theta_max_rad=0.028),
    # decay volume 620-630 m of radius 1 m plus 10 m of tracker (L_f = 640 m), calorimeter face at 640 m
    "faser2": CylinderWithCalorimeter(620.0, 640.0, 1.0, 640.0, 1.0),
    # paper 000, sec. 4.2 (bounds): CHARM-II calorimeter, BEBC bubble chamber (3.57 m taken along x), NuCal
    "charm2": Box(870.0, 905.6, half_width_x_m=1.85, half_width_y_m=1.85),
    "bebc": Box(404.0, 405.85, half_width_x_m=3.57 / 2, half_width_y_m=2.52 / 2),
    "nucal": CylinderWithCalorimeter(64.0, 87.0, 1.3, 87.0, 1.3),
    # paper 003, Table 2. SHiP (2019): cylinder of area A_dec = 5 x 10 m^2, 58-108 m;
    # tan(theta_dec) = sqrt(A_dec/pi)/(L + L_dec) = 36.9 mrad
    "ship2019": CylinderWithCalorimeter(58.0, 108.0, _SHIP2019_RADIUS_M, 108.0, _SHIP2019_RADIUS_M),
    # FASER(-2) of Table 2: radius 1 m, 480-485 m (exact mode); paper mode theta <= 2.1 mrad as printed in
    # Table 2 (the radius would give arctan(1/485) = 2.06 mrad)
    "faser": CylinderWithCalorimeter(480.0, 485.0, 1.0, 485.0, 1.0, paper_theta_max_rad=2.1e-3),
    "faser_table2": Cone(theta_max_rad=2.1e-3, l_i_m=480.0, l_f_m=485.0),
    # CHARM: 3 x 3 m^2, 480-515 m, axis 5 m off the beam (x in [3.5, 6.5] m): seen from the far end the box
    # spans 3.5/515 = 6.80 .. 6.5/515 = 12.62 mrad and 9 m^2 / (pi (6.5^2 - 3.5^2) m^2) = 9.55 % of the annulus;
    # paper mode: the Table 2 window times its 9.5 % azimuthal coverage (exact mode: the box alone)
    "charm": Box(
        480.0,
        515.0,
        half_width_x_m=1.5,
        half_width_y_m=1.5,
        x_offset_m=5.0,
        daughter_face_z_m=515.0,
        paper_theta_max_rad=12.6e-3,
        paper_theta_min_rad=6.8e-3,
        paper_azimuthal_coverage=0.095,
    ),
    # MATHUSLA, eq. (2.8): 68 <= z <= 168, 60 <= x <= 80 (vertical), -50 <= y <= 50
    "mathusla": Box(68.0, 168.0, half_width_x_m=10.0, half_width_y_m=50.0, x_offset_m=70.0),
}
