"""Detector geometries: Python objects that pack their parameters for the numba kernels.

A geometry knows two acceptance modes:

``paper``
    the approximation used in the papers: a cut on the LLP polar angle and the decay probability
    between fixed distances L_i and L_f (eq. (4.3) of paper 000);
``exact``
    the LLP must decay inside the actual decay volume, integrated along its path, and the visible
    daughter must reach the detector face.

Each geometry type (``geometry.type`` in the configuration) is one module named after it, holding one frozen
dataclass, its numba interval function and the one registry line that registers both
(``@register_geometry(interval=...)``, :mod:`darkreach.detectors.registry`):

``cylinder_calorimeter`` (:class:`CylinderWithCalorimeter`)
    NA62/HIKE, FASER 2 (paper 000), FASER and SHiP-2019 of Table 2 of paper 003, NuCal;
``frustum`` (:class:`Frustum`)
    SHiP at ECN3 (paper 000, sec. 3);
``box`` (:class:`Box`)
    CHARM (off axis, Table 2 of paper 003), MATHUSLA (eq. (2.8) of paper 003), CHARM-II and BEBC
    (paper 000, sec. 4.2);
``cone`` (:class:`Cone`)
    a bare theta window with decay distances, when the papers' numbers are the whole story; its module also
    holds :func:`cone_kernel`, the ``paper``-mode window of the other types.

``common`` holds the checks and the slab clip they share, ``paper`` the geometries of both papers
(:data:`PAPER_GEOMETRIES`). The registry, :class:`KernelGeometry`, :func:`geometry_from_config` and
:func:`geometry_to_config` live in :mod:`darkreach.detectors.registry` and are re-exported here.
"""

from __future__ import annotations

from darkreach.detectors.geometry.box import KIND_BOX, Box
from darkreach.detectors.geometry.cone import KIND_CONE, KIND_CONE_Z, Cone, cone_kernel
from darkreach.detectors.geometry.cylinder_calorimeter import KIND_CYLINDER_CALORIMETER, CylinderWithCalorimeter
from darkreach.detectors.geometry.frustum import KIND_FRUSTUM, Frustum
from darkreach.detectors.geometry.paper import PAPER_GEOMETRIES
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

#: Every built-in geometry class (each has ``kernel(mode)``); plugins add theirs to :data:`GEOMETRIES`.
Geometry = CylinderWithCalorimeter | Frustum | Box | Cone

#: Config type name -> geometry class (a live view of :data:`GEOMETRIES`, plugins included).
GEOMETRY_TYPES: Registry[type] = GEOMETRIES

__all__ = [
    "ACCEPTANCE_MODES",
    "GEOMETRIES",
    "GEOMETRY_TYPES",
    "KIND_BOX",
    "KIND_CONE",
    "KIND_CONE_Z",
    "KIND_CYLINDER_CALORIMETER",
    "KIND_FRUSTUM",
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
