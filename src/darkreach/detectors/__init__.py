"""Detector geometries and their acceptance kernels."""

from darkreach.detectors.geometry import (
    ACCEPTANCE_MODES,
    CylinderWithCalorimeter,
    KernelGeometry,
    geometry_from_config,
)

__all__ = ["ACCEPTANCE_MODES", "CylinderWithCalorimeter", "KernelGeometry", "geometry_from_config"]
