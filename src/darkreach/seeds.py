"""Seeds: the one place that knows PYTHIA's seed range, and the deterministic seeds derived from a master seed."""

from __future__ import annotations

import zlib

import numpy as np

#: PYTHIA's ``Random:seed`` accepts 0..900 000 000, but 0 means "seed from the clock" (not reproducible): every
#: seed darkreach hands to PYTHIA lies in [SEED_MIN, SEED_MAX]. Master seeds (config ``seed``, ``reach --seed``)
#: may be 0..SEED_MAX.
SEED_MIN: int = 1
SEED_MAX: int = 900_000_000


def check_pythia_seed(seed: object) -> int:
    """``seed`` as an int, if it is an integer PYTHIA seed in [:data:`SEED_MIN`, :data:`SEED_MAX`].

    Raises
    ------
    ValueError
        For a non-integer (``bool`` included) or an integer outside the range.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if not SEED_MIN <= seed <= SEED_MAX:
        raise ValueError(
            f"seed {seed} outside [{SEED_MIN}, {SEED_MAX}] (PYTHIA's Random:seed range; "
            "0 would mean a clock-based, irreproducible seed)"
        )
    return int(seed)


def derive_seed(master: int, *labels: str | int) -> int:
    """A seed in [SEED_MIN, SEED_MAX] that depends only on ``master`` and the ordered ``labels``.

    Labels are hashed with CRC-32 (stable across Python processes, unlike ``hash``) and mixed with
    :class:`numpy.random.SeedSequence`.
    """
    if master < 0:
        raise ValueError(f"seed must be non-negative, got {master!r}")
    keys = [zlib.crc32(str(label).encode()) for label in labels]
    state = np.random.SeedSequence([master, *keys]).generate_state(1, dtype=np.uint32)[0]
    return int(state) % SEED_MAX + SEED_MIN
