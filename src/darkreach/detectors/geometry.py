"""Detector geometries: Python objects that pack their parameters for the numba kernels.

A geometry knows two acceptance modes:

``paper``
    the approximation used in the papers: a cut on the LLP polar angle and the decay probability
    between fixed distances L_i and L_f (eq. (4.3) of paper 000);
``exact``
    the LLP must decay inside the actual decay volume, integrated along its path, and the visible
    daughter must reach the detector face.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from darkreach.detectors import kernels

ACCEPTANCE_MODES = ("paper", "exact")


@dataclass(frozen=True)
class KernelGeometry:
    """What a kernel needs: the geometry kind code and its parameter array."""

    kind: int
    params: np.ndarray


def cone_kernel(theta_min: float, theta_max: float, l_i: float, l_f: float) -> KernelGeometry:
    """``paper``-mode parameters: theta_min <= theta <= theta_max, decays between distances l_i and l_f."""
    if not 0.0 <= theta_min < theta_max < math.pi / 2:
        raise ValueError(f"need 0 <= theta_min < theta_max < pi/2, got {theta_min!r}, {theta_max!r}")
    params = [theta_min, theta_max, l_i, l_f, math.tan(theta_min) ** 2, math.tan(theta_max) ** 2]
    return KernelGeometry(kernels.KIND_CONE, np.array(params, dtype=np.float64))


@dataclass(frozen=True)
class CylinderWithCalorimeter:
    """On-axis cylindrical decay volume [z_start, z_end] of given radius, calorimeter disc downstream.

    NA62 in beam-dump mode and HIKE (paper 000, sec. 3): z_start = 79 m, z_end = 217 m, radius 1 m,
    electromagnetic calorimeter of radius 1.2 m at 217 m; in ``paper`` mode
    theta_max = arctan(calorimeter_radius / calorimeter_z) ~ 5.5e-3.
    """

    z_start_m: float
    z_end_m: float
    radius_m: float
    calorimeter_z_m: float
    calorimeter_radius_m: float

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

    @property
    def theta_max(self) -> float:
        """Largest LLP polar angle whose line reaches the calorimeter, arctan(R_cal / z_cal)."""
        return math.atan(self.calorimeter_radius_m / self.calorimeter_z_m)

    def kernel(self, mode: str) -> KernelGeometry:
        """Parameters for :func:`darkreach.detectors.kernels.decay_interval` in ``mode``."""
        if mode == "paper":
            return cone_kernel(0.0, self.theta_max, self.z_start_m, self.z_end_m)
        if mode == "exact":
            return KernelGeometry(
                kernels.KIND_CYLINDER_CALORIMETER,
                np.array(
                    [self.z_start_m, self.z_end_m, self.radius_m, self.calorimeter_z_m, self.calorimeter_radius_m],
                    dtype=np.float64,
                ),
            )
        raise ValueError(f"acceptance mode must be one of {ACCEPTANCE_MODES}, got {mode!r}")


GEOMETRY_TYPES: dict[str, type] = {CylinderWithCalorimeter.type_name: CylinderWithCalorimeter}


def geometry_from_config(cfg: Mapping[str, Any]) -> CylinderWithCalorimeter:
    """Build a geometry from its config mapping (``type`` plus the dataclass fields)."""
    params = dict(cfg)
    type_name = params.pop("type", None)
    try:
        cls = GEOMETRY_TYPES[type_name]
    except KeyError:
        raise ValueError(f"geometry.type must be one of {sorted(GEOMETRY_TYPES)}, got {type_name!r}") from None
    try:
        return cls(**params)
    except TypeError as err:
        raise ValueError(f"geometry of type {type_name!r}: {err}") from None
