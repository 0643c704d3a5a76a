"""Decay-probability sums of a channel's accepted events at every lifetime of a scan, in O(events + window) time.

The yield of a channel at coupling c_j (eq. 4.1 of paper 000, eq. 2.7 of paper 003) needs

    S_j = sum_i w_i P_i(c tau_j),    P_i = exp(-a_i) - exp(-b_i),    a_i = r_a,i / c tau_j,  b_i = r_b,i / c tau_j,

with r_a,i = s_a,i / (beta gamma)_i and r_b,i = s_b,i / (beta gamma)_i the event's detectable interval in units of
its boosted decay length per metre of c tau. The direct loop (:func:`darkreach.sensitivity.chain.decay_probability_sums`)
costs events x couplings exponentials, which is as much as simulating the events (a 200-coupling scan grid).
Most terms are, however, in one of two exact regimes:

* **short lifetimes**: a_i > 746 makes exp(-a_i) underflow to exactly 0 in double precision, so P_i = 0 (the
  direct loop skips these terms too);
* **long lifetimes**: for b_i <= X = 0.05 the alternating series
  P_i = sum_{k>=1} (-1)^(k+1) (b_i^k - a_i^k)/k! truncated after k = K = 8 is exact to a relative
  (b^9 - a^9)/9! / ((b - a)(1 - b)) <= b^8/(8! (1 - b)) <= 1.0e-15 (the remainder of an alternating series with
  decreasing terms is bounded by its first omitted term, b^9 - a^9 <= 9 b^8 (b - a), and (b - a)(1 - b) <= P).
  Then sum_{i: b_i <= X} w_i P_i = sum_k (-1)^(k+1) M_k / (k! c tau^k) with the moments
  M_k = sum_i w_i (r_b,i^k - r_a,i^k), which do not depend on the coupling.

With the events sorted by r_b, the long-lifetime events of coupling j are a prefix (r_b <= X c tau_j) whose moments
accumulate as the couplings are visited in increasing c tau; the events that need an exponential are those after
it with a_i <= 746, and since r_a >= r_b / K (K = max_i r_b,i / r_a,i, the detector's largest far/near distance
ratio) the loop stops at r_b > 746 K c tau_j. Each event is then evaluated exactly for the couplings whose c tau
lies within a factor ~ 746 K / X of its own r_b: about 4-5 decades of c tau instead of the scan's 20.

The results equal the direct sums to ~1e-14 relative (a different summation order and the series), with the
same exact zeros: a non-finite or non-positive c tau, and couplings at which every a_i > 746.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

__all__ = ["SERIES_LIMIT", "SERIES_TERMS", "decay_probability_sums_fast"]

#: b = s_b / (beta gamma c tau) at or below which the series replaces the exponentials, and its number of terms.
SERIES_LIMIT = 0.05
SERIES_TERMS = 8
#: (-1)^(k+1) / k! of the series, k = 1..SERIES_TERMS.
_COEFFICIENTS = np.array([(-1.0) ** (k + 1) / math.factorial(k) for k in range(1, SERIES_TERMS + 1)])
#: exp(-x) is exactly 0 in double precision above this.
_UNDERFLOW = 746.0


@nb.njit(cache=True, nogil=True)
def _sorted_sums(
    weight: np.ndarray,
    r_a: np.ndarray,
    r_b: np.ndarray,
    batch: np.ndarray,
    n_batches: int,
    ctau: np.ndarray,
    series_limit: float,
    coefficients: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    n = weight.shape[0]
    n_c = ctau.shape[0]
    out = np.zeros(n_c)
    per_batch = np.zeros((n_batches, n_c))
    order = np.argsort(r_b, kind="mergesort")
    ra = r_a[order]
    rb = r_b[order]
    w = weight[order]
    bt = batch[order]
    # K: the largest r_b / r_a; an event with r_a = 0 (produced inside the detectable interval) has no bound
    k_max = 0.0
    bounded = True
    for i in range(n):
        if ra[i] > 0.0:
            k_max = max(k_max, rb[i] / ra[i])
        elif rb[i] > 0.0:
            bounded = False
    n_k = coefficients.shape[0]
    moments = np.zeros(n_k)
    moments_b = np.zeros((n_batches, n_k))
    p = 0
    for j in np.argsort(ctau, kind="mergesort"):
        ct = ctau[j]
        if not math.isfinite(ct) or ct <= 0.0:
            continue
        # events entering the long-lifetime prefix at this c tau (c tau visited in increasing order)
        limit = series_limit * ct
        while p < n and rb[p] <= limit:
            a, b = ra[p], rb[p]
            # w (b^k - a^k) = w (b - a) h_k, h_1 = 1, h_k = b h_(k-1) + a^(k-1): no cancellation for b ~ a
            d = w[p] * (b - a)
            h = 1.0
            a_pow = 1.0
            for k in range(n_k):
                if k > 0:
                    a_pow *= a
                    h = b * h + a_pow
                moments[k] += d * h
                moments_b[bt[p], k] += d * h
            p += 1
        inv = 1.0 / ct
        acc = 0.0
        inv_k = 1.0
        for k in range(n_k if p > 0 else 0):  # (no prefix yet: nothing to add, and inv^k may overflow)
            inv_k *= inv
            acc += coefficients[k] * inv_k * moments[k]
            for bi in range(n_batches):
                per_batch[bi, j] += coefficients[k] * inv_k * moments_b[bi, k]
        stop = _UNDERFLOW * k_max * ct if bounded else math.inf
        for i in range(p, n):
            if rb[i] > stop:
                break
            xa = ra[i] * inv
            if xa > _UNDERFLOW:
                continue
            term = w[i] * math.exp(-xa) * (-math.expm1(-(rb[i] - ra[i]) * inv))
            acc += term
            per_batch[bt[i], j] += term
        out[j] = acc
    return out, per_batch


def decay_probability_sums_fast(
    weight: np.ndarray,
    betagamma: np.ndarray,
    s_a: np.ndarray,
    s_b: np.ndarray,
    ctau: np.ndarray,
    batch: np.ndarray | None = None,
    n_batches: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """sum_i w_i P_i(c tau_j) for every c tau_j, and the same split by batch (module docstring).

    Parameters
    ----------
    weight, betagamma, s_a, s_b
        The accepted events of one channel: weight, beta gamma of the LLP, and the detectable interval
        [s_a, s_b] (m) along its path.
    ctau
        Proper decay lengths (m); a non-finite or non-positive one gives exactly 0.
    batch, n_batches
        The jackknife batch of each event (int, in [0, n_batches)); None puts every event in batch 0.

    Returns
    -------
    tuple of numpy.ndarray
        (sums (n_ctau,), batch_sums (n_batches, n_ctau)).
    """
    weight = np.ascontiguousarray(weight, dtype=np.float64)
    betagamma = np.asarray(betagamma, dtype=np.float64)
    n = weight.shape[0]
    if not (betagamma.shape == (n,) and np.shape(s_a) == (n,) and np.shape(s_b) == (n,)):
        raise ValueError("weight, betagamma, s_a and s_b must be 1-d arrays of one length")
    if n_batches < 1:
        raise ValueError(f"n_batches must be positive, got {n_batches!r}")
    if batch is None:
        batch_arr = np.zeros(n, dtype=np.int64)
    else:
        batch_arr = np.ascontiguousarray(batch, dtype=np.int64)
        if batch_arr.shape != (n,) or (n and (batch_arr.min() < 0 or batch_arr.max() >= n_batches)):
            raise ValueError(f"batch must give each event a batch in [0, {n_batches})")
    r_a = np.ascontiguousarray(np.asarray(s_a, dtype=np.float64) / betagamma)
    r_b = np.ascontiguousarray(np.asarray(s_b, dtype=np.float64) / betagamma)
    return _sorted_sums(
        weight, r_a, r_b, batch_arr, int(n_batches), np.ascontiguousarray(ctau, dtype=np.float64), SERIES_LIMIT,
        _COEFFICIENTS,
    )  # fmt: skip
