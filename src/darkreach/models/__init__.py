"""Dark-sector models: the model kit and the registry.

Adding a model: write one module defining a :class:`~darkreach.models.base.DarkSectorModel` subclass with its
``parameter_specs`` and ``scan``, decorated with :func:`register_model`, and import it at the bottom of this file
- or ship it in your own package under the entry-point group ``darkreach.models`` (no darkreach edit at all).
The kit: :class:`~darkreach.models.base.ParameterSpec` (validation, CLI options, config checks),
:mod:`darkreach.models.channels` (shared channel builders), :mod:`darkreach.kinematics.matrix_elements`
(registered |M|^2 for three-body channels).
"""

from __future__ import annotations

# darkreach's own models register themselves on import.
from darkreach.models import (
    idm_dipole,  # noqa: E402,F401
    inelastic_scalar,  # noqa: E402,F401
    scalar_dark_photon,  # noqa: E402,F401
    scalar_zprime,  # noqa: E402,F401
    sterile_dipole,  # noqa: E402,F401
)
from darkreach.models.base import (
    AXIS_KEY,
    DarkSectorModel,
    DecayChannel,
    ParameterSpec,
    ProductionChannel,
    ScanSpec,
    ThreeBodyProduction,
    TwoBodyProduction,
)
from darkreach.models.registry import MODELS, get_model, model_names, register_model

__all__ = [
    "AXIS_KEY",
    "MODELS",
    "DarkSectorModel",
    "DecayChannel",
    "ParameterSpec",
    "ProductionChannel",
    "ScanSpec",
    "ThreeBodyProduction",
    "TwoBodyProduction",
    "get_model",
    "model_names",
    "register_model",
]
