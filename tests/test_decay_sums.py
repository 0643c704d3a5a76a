"""darkreach.sensitivity.decay_sums: the windowed decay-probability sums equal the direct loop (chain.py) at every
lifetime, regime by regime, with the same exact zeros and the same batch split."""

import math

import numpy as np
import pytest

from darkreach.sensitivity.chain import decay_probability_batch_sums
from darkreach.sensitivity.decay_sums import SERIES_LIMIT, decay_probability_sums_fast


def _table(n, seed, near=(50.0, 100.0), depth=(0.0, 150.0)):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.1, 2.0, n)
    bg = 10.0 ** rng.uniform(-1.0, 4.0, n)  # beta gamma over five decades
    sa = rng.uniform(*near, n)
    sb = sa + rng.uniform(*depth, n)
    return w, bg, sa, sb


CTAU = np.concatenate([[-1.0, 0.0, np.inf, np.nan, 1e-300], np.geomspace(1e-6, 1e14, 201)])


@pytest.mark.parametrize(
    "near, depth",
    [
        ((50.0, 100.0), (0.0, 150.0)),
        ((404.0, 404.0), (1.85, 1.85)),
        ((0.0, 0.0), (1.0, 30.0)),
        ((0.0, 60.0), (0.0, 5.0)),
    ],
    ids=["na62-like", "thin-bebc-like", "produced-inside", "mixed"],
)
def test_equals_the_direct_sums_at_every_lifetime(near, depth):
    w, bg, sa, sb = _table(3000, 7, near, depth)
    batch = np.random.default_rng(8).integers(0, 11, w.size)
    ref, ref_b = decay_probability_batch_sums(w, bg, sa, sb, batch, 11, CTAU)
    got, got_b = decay_probability_sums_fast(w, bg, sa, sb, CTAU, batch, 11)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0.0)
    np.testing.assert_allclose(got_b, ref_b, rtol=1e-12, atol=1e-300)
    # exact zeros: non-positive, infinite or NaN c tau, and lifetimes so short that every exp underflows (c tau =
    # 1e-300 is not one when the LLP is produced inside the detectable interval, s_a = 0: there it decays at once)
    assert np.all(got[:4] == 0.0) and np.all(got_b[:, :4] == 0.0)
    np.testing.assert_array_equal(got == 0.0, ref == 0.0)
    assert np.all(np.isfinite(got)) and np.all(got >= 0.0)


def test_long_lifetime_series_is_the_linear_limit_and_short_lifetimes_are_zero():
    w, bg, sa, sb = _table(500, 3)
    far = np.array([1e12, 1e14])
    got, _ = decay_probability_sums_fast(w, bg, sa, sb, far)
    np.testing.assert_allclose(got, [np.sum(w * (sb - sa) / (bg * ct)) for ct in far], rtol=1e-9)
    # every event in the series regime: b <= SERIES_LIMIT
    assert np.max(sb / bg) / far[0] <= SERIES_LIMIT
    short = np.array([np.min(sa / bg) / 800.0])  # every a > 746: exp underflows for all events
    assert decay_probability_sums_fast(w, bg, sa, sb, short)[0][0] == 0.0


def test_single_batch_default_and_bad_input():
    w, bg, sa, sb = _table(200, 5)
    total, per = decay_probability_sums_fast(w, bg, sa, sb, np.array([1.0, 100.0]))
    assert per.shape == (1, 2)
    np.testing.assert_array_equal(per[0], total)
    with pytest.raises(ValueError, match="batch"):
        decay_probability_sums_fast(w, bg, sa, sb, np.array([1.0]), np.full(w.size, 3), 2)
    with pytest.raises(ValueError, match="one length"):
        decay_probability_sums_fast(w, bg[:-1], sa, sb, np.array([1.0]))
    empty = np.empty(0)
    assert decay_probability_sums_fast(empty, empty, empty, empty, np.array([1.0]))[0][0] == 0.0
    assert math.isfinite(SERIES_LIMIT)
