"""darkreach: sensitivity of beam-dump and far-forward experiments to long-lived dark states."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("darkreach")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
