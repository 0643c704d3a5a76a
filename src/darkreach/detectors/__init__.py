"""Detector geometries and their acceptance kernels.

``geometry/`` holds darkreach's geometry types, one module each (dataclass, numba interval function, registry
line), and the experiments of both papers; ``registry.py`` the geometry-type registry (plugins: entry-point group
``darkreach.geometries``); ``kernels.py`` the registry table of the interval functions and their dispatcher.
"""

from darkreach.detectors.geometry import (
    ACCEPTANCE_MODES,
    GEOMETRY_TYPES,
    PAPER_GEOMETRIES,
    Box,
    Cone,
    CylinderWithCalorimeter,
    Frustum,
    Geometry,
    KernelGeometry,
    geometry_from_config,
    geometry_to_config,
)
from darkreach.detectors.registry import GEOMETRIES, geometry_types, kernel_geometry, register_geometry

__all__ = [
    "ACCEPTANCE_MODES",
    "GEOMETRIES",
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
    "geometry_types",
    "kernel_geometry",
    "register_geometry",
]
