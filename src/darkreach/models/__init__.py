"""Dark-sector models and their registry.

Adding a model: write one module defining a :class:`~darkreach.models.base.DarkSectorModel` subclass,
decorate it with :func:`register_model`, and import the module at the bottom of this file.
"""

from __future__ import annotations

from darkreach.models.base import (
    AXIS_KEY,
    DarkSectorModel,
    DecayChannel,
    ProductionChannel,
    ScanSpec,
    ThreeBodyProduction,
    TwoBodyProduction,
)

_REGISTRY: dict[str, DarkSectorModel] = {}


def register_model(cls: type[DarkSectorModel]) -> type[DarkSectorModel]:
    """Class decorator registering a model under ``cls.name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in _REGISTRY:
        raise ValueError(f"model {cls.name!r} registered twice")
    _REGISTRY[cls.name] = cls()
    return cls


def get_model(name: str) -> DarkSectorModel:
    """Return the registered model ``name`` or raise ``KeyError`` listing the known ones."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown model {name!r}; known models: {', '.join(sorted(_REGISTRY))}") from None


def model_names() -> list[str]:
    """Names of all registered models."""
    return sorted(_REGISTRY)


# Model modules register themselves on import.
from darkreach.models import idm_dipole  # noqa: E402,F401
from darkreach.models import inelastic_scalar  # noqa: E402,F401
from darkreach.models import sterile_dipole  # noqa: E402,F401

__all__ = [
    "AXIS_KEY",
    "DarkSectorModel",
    "DecayChannel",
    "ProductionChannel",
    "ScanSpec",
    "ThreeBodyProduction",
    "TwoBodyProduction",
    "get_model",
    "model_names",
    "register_model",
]
