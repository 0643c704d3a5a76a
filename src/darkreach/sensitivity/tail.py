"""Tail sampling of the meson draw: importance sampling towards hard mesons, with weights that keep it unbiased.

Where the signal lives in the tail of the meson spectrum (CHARM-II at small delta: E_gamma ~ 2 delta P must pass
3 GeV, so only the hardest mesons count), drawing mesons uniformly from the sample spends almost every decay on
mesons that cannot contribute. Tail sampling draws meson i of a sample of N with probability

    q_i = (1 - a) / N + a |p_i|^k / sum_j |p_j|^k
    (k = ``tail_sampling.momentum_power``, a = ``tail_sampling.tail_fraction`` of the experiment)

and gives it the weight w_i / (N q_i). The uniform part (defensive importance sampling, Hesterberg,
Technometrics 37 (1995) 185) bounds every weight by w_i / (1 - a): soft mesons, which q ~ p^k alone would draw
almost never and weight enormously, cannot blow up the variance of the normalisation sum_i w_i. For any function f of the meson (the decay chain's weighted acceptance),
E_q[w f / (N q)] = sum_i q_i w_i f_i / (N q_i) = (1/N) sum_i w_i f_i: the uniform-draw average, so every yield
(a ratio of two such averages) keeps its expectation, while the variance drops when q follows w f.
Draws are with replacement; the jackknife batches (meson index mod B) keep every copy of a meson together.
"""

from __future__ import annotations

import numpy as np

__all__ = ["tail_draw", "tail_draw_cdf", "tail_weights"]


def tail_draw_cdf(momenta: np.ndarray, momentum_power: float, tail_fraction: float = 0.9) -> np.ndarray:
    """Cumulative draw probabilities (ending at 1) of q_i = (1 - a)/N + a |p_i|^k / sum |p|^k (module docstring).

    Raises
    ------
    ValueError
        For a negative or non-finite power, a fraction outside [0, 1), or a sample whose momenta are all zero.
    """
    if not (np.isfinite(momentum_power) and momentum_power >= 0.0):
        raise ValueError(f"tail_sampling.momentum_power must be a finite number >= 0, got {momentum_power!r}")
    if not 0.0 <= tail_fraction < 1.0:
        raise ValueError(f"tail_sampling.tail_fraction must be in [0, 1), got {tail_fraction!r}")
    p = np.sqrt(np.einsum("ij,ij->i", momenta, momenta))
    hard = p**momentum_power
    norm = hard.sum()
    if not p.size or not norm > 0.0:
        raise ValueError("tail sampling needs a sample with non-zero momenta")
    cdf = np.cumsum((1.0 - tail_fraction) / p.size + tail_fraction * hard / norm)
    return cdf / cdf[-1]


def _probabilities(cdf: np.ndarray, idx: np.ndarray) -> np.ndarray:
    lower = np.where(idx > 0, cdf[np.maximum(idx - 1, 0)], 0.0)
    return cdf[idx] - lower


def tail_draw(cdf: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` sample indices (int64) drawn with the probabilities of ``cdf`` (with replacement)."""
    idx = np.searchsorted(cdf, rng.random(n), side="right")
    idx = np.minimum(idx, cdf.size - 1)
    # a zero-probability meson cannot be drawn: searchsorted(side="right") skips flat steps of the cdf
    return idx.astype(np.int64)


def tail_weights(weights: np.ndarray, cdf: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Weights w_i / (N q_i) of the drawn mesons ``idx`` (module docstring)."""
    q = _probabilities(cdf, idx)
    return np.ascontiguousarray(weights[idx] / (cdf.size * q))
