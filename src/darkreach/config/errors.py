"""The error every configuration check raises."""

from __future__ import annotations


class ConfigError(ValueError):
    """Invalid configuration; the message names the key and the value."""
