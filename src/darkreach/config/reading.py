"""Typed reads of a configuration mapping: each returns the value in the type asked for, or raises a
:class:`~darkreach.config.ConfigError` naming the key path and the value (the specs' ``from_mapping`` use them)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from darkreach.config.errors import ConfigError

__all__ = ["fail", "frozen_mapping", "integer", "mapping", "number", "numbers", "require", "strings"]


def fail(key: str, message: str, value: Any) -> ConfigError:
    """A :class:`ConfigError` naming ``key`` and ``value``."""
    return ConfigError(f"config key {key!r}: {message} (value: {value!r})")


def mapping(value: Any, key: str) -> Mapping[str, Any]:
    """``value`` if it is a mapping; else a :class:`ConfigError` naming ``key``."""
    if not isinstance(value, Mapping):
        raise fail(key, f"must be a mapping, got {type(value).__name__}", value)
    return value


def require(source: Mapping[str, Any], name: str, key: str) -> Any:
    """``source[name]``; a :class:`ConfigError` naming ``key.name`` if it is missing."""
    if name not in source:
        raise ConfigError(f"config key '{key}.{name}' is required (keys given: {sorted(source)})")
    return source[name]


def number(value: Any, key: str, *, positive: bool = False, minimum: float | None = None) -> float:
    """``value`` as a finite float (positive, or at least ``minimum``, when asked)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise fail(key, "must be a finite number", value)
    if positive and not value > 0:
        raise fail(key, "must be positive", value)
    if minimum is not None and value < minimum:
        raise fail(key, f"must be at least {minimum:g}", value)
    return float(value)


def integer(value: Any, key: str, minimum: int = 1) -> int:
    """``value`` as an int of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise fail(key, f"must be an integer >= {minimum}", value)
    return int(value)


def strings(value: Any, key: str) -> tuple[str, ...]:
    """``value`` as a tuple of strings (a list in the configuration)."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise fail(key, "must be a list of strings", value)
    return tuple(value)


def numbers(value: Any, key: str, **bounds: Any) -> tuple[float, ...]:
    """``value`` as a non-empty tuple of floats (see :func:`number` for ``bounds``)."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value:
        raise fail(key, "must be a non-empty list of numbers", value)
    return tuple(number(v, f"{key}.{i}", **bounds) for i, v in enumerate(value))


def frozen_mapping(items: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> Mapping[str, Any]:
    """A read-only copy of ``items`` (a frozen dataclass's mapping field)."""
    return MappingProxyType(dict(items))
