"""What the geometry types share: checks of their config values and the slab clip of their interval functions."""

from __future__ import annotations

import math
from typing import Any

import numba as nb
import numpy as np

from darkreach.detectors.registry import ACCEPTANCE_MODES


def bad_mode(mode: str) -> ValueError:
    """The error of ``kernel(mode)`` for a mode that is not one of :data:`ACCEPTANCE_MODES`."""
    return ValueError(f"acceptance mode must be one of {ACCEPTANCE_MODES}, got {mode!r}")


def is_number(value: Any) -> bool:
    """Whether ``value`` is a real number (Python or numpy), not a bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def check_positive(obj: Any, *names: str) -> None:
    """``ValueError`` naming ``geometry.<name>`` unless each field ``name`` of ``obj`` is a positive finite number."""
    for name in names:
        value = getattr(obj, name)
        if not is_number(value) or not (value > 0 and math.isfinite(value)):
            raise ValueError(f"geometry.{name} must be positive, got {value!r}")


def check_z_range(obj: Any) -> None:
    """``ValueError`` unless ``obj.z_end_m`` exceeds ``obj.z_start_m``."""
    if obj.z_end_m <= obj.z_start_m:
        raise ValueError(f"geometry.z_end_m ({obj.z_end_m}) must exceed z_start_m ({obj.z_start_m})")


@nb.njit(cache=True, inline="always")
def clip(lo: float, hi: float, a: float, c_lo: float, c_hi: float) -> tuple[float, float]:
    """Intersect [lo, hi] with {s : c_lo <= a s <= c_hi} (one slab, linear in s); an empty result has hi <= lo."""
    if a > 0.0:
        return max(lo, c_lo / a), min(hi, c_hi / a)
    if a < 0.0:
        return max(lo, c_hi / a), min(hi, c_lo / a)
    if c_lo <= 0.0 <= c_hi:
        return lo, hi
    return 0.0, 0.0
