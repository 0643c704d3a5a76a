"""Deterministic seeds derived from the configuration's master seed."""

from __future__ import annotations

import zlib

import numpy as np

#: PYTHIA accepts seeds in [0, 900 000 000].
PYTHIA_MAX_SEED = 900_000_000


def derive_seed(master: int, *labels: str | int) -> int:
    """A seed in [1, 900 000 000] that depends only on ``master`` and the ordered ``labels``.

    Labels are hashed with CRC-32 (stable across Python processes, unlike ``hash``) and mixed with
    :class:`numpy.random.SeedSequence`.
    """
    if master < 0:
        raise ValueError(f"seed must be non-negative, got {master!r}")
    keys = [zlib.crc32(str(label).encode()) for label in labels]
    state = np.random.SeedSequence([master, *keys]).generate_state(1, dtype=np.uint32)[0]
    return int(state) % PYTHIA_MAX_SEED + 1
