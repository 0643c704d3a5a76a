"""Detector geometries and their acceptance kernels."""

from darkreach.detectors.geometry import (
    ACCEPTANCE_MODES,
    GEOMETRY_TYPES,
    Box,
    Cone,
    CylinderWithCalorimeter,
    Frustum,
    Geometry,
    PAPER_GEOMETRIES,
    KernelGeometry,
    geometry_from_config,
    geometry_to_config,
)

__all__ = [
    "ACCEPTANCE_MODES",
    "GEOMETRY_TYPES",
    "Box",
    "Cone",
    "CylinderWithCalorimeter",
    "Frustum",
    "Geometry",
    "KernelGeometry",
    "PAPER_GEOMETRIES",
    "geometry_from_config",
    "geometry_to_config",
]
