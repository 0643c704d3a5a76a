"""darkreach: sensitivity of beam-dump and far-forward experiments to long-lived dark states."""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def _numba_cache_dir() -> Path:
    """A numba cache folder keyed by the hash of every darkreach source file.

    numba's own cache is invalidated only when the file of the cached function changes, not when a
    jitted function it calls (a matrix element in another module, say) changes: stale machine code would
    then be reused silently. Keying the folder on all sources makes any edit start from a clean cache.
    """
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "darkreach" / "numba" / digest.hexdigest()[:16]


# Must happen before numba is imported by any darkreach module; an explicit NUMBA_CACHE_DIR wins.
if "NUMBA_CACHE_DIR" not in os.environ:
    os.environ["NUMBA_CACHE_DIR"] = str(_numba_cache_dir())

try:
    __version__ = version("darkreach")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
