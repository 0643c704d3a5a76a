"""The decay chain kernel: meson -> LLP (+ X) in flight, LLP -> visible daughter, geometry interval.

For each sampled meson the kernel returns what the coupling scan needs and nothing else:
the Dalitz weight, beta*gamma of the LLP, the detectable decay interval [s_a, s_b] along its path and the
visible energy. The LLP lifetime never enters, so one simulation serves every coupling.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numba as nb
import numpy as np

from darkreach.detectors.kernels import decay_interval_kernel
from darkreach.kinematics.decays import three_body_kernels, two_body_decay
from darkreach.kinematics.jit import keyed_njit

#: Production kinematics codes.
PROD_TWO_BODY = 0
PROD_THREE_BODY = 1
#: LLP decay kinematics codes.
DEC_TWO_BODY = 0
DEC_THREE_BODY = 1


def uniforms_needed(prod_kind: int, dec_kind: int) -> int:
    """Uniforms consumed per event: 2 (two-body) or 5 (three-body) for production, then for the decay."""
    return (2 if prod_kind == PROD_TWO_BODY else 5) + (2 if dec_kind == DEC_TWO_BODY else 5)


def _make_simulate_chain(key: str, three_body_decay: Any, interval: Any) -> Any:
    """The chain kernel compiled around the current matrix-element and geometry dispatchers."""

    @keyed_njit(key, nogil=True)
    def simulate_chain(
        momenta: np.ndarray,
        meson_weights: np.ndarray,
        m_meson: float,
        prod_kind: int,
        prod_masses: np.ndarray,
        llp_index: int,
        me_code: int,
        me_params: np.ndarray,
        dec_kind: int,
        dec_masses: np.ndarray,
        dec_me_code: int,
        dec_me_params: np.ndarray,
        visible: np.ndarray,
        geom_kind: int,
        geom_params: np.ndarray,
        uniforms: np.ndarray,
        meson_index: np.ndarray,
        batch_totals: np.ndarray,
        out_weight: np.ndarray,
        out_betagamma: np.ndarray,
        out_sa: np.ndarray,
        out_sb: np.ndarray,
        out_evis: np.ndarray,
        out_index: np.ndarray,
    ) -> tuple[int, float]:
        """Run the chain for every meson momentum (N, 3); write accepted events to the ``out_*`` arrays.

        Parameters
        ----------
        meson_weights
            generator weight of each meson (1 for unbiased samples); multiplies the Dalitz weights.
        prod_masses
            two-body: (m_llp, m_partner, unused); three-body: (m1, m2, m3) in the matrix element's labels.
        llp_index
            three-body production only: 1 or 2, the LLP among (p1, p2, p3).
        dec_kind, dec_masses, dec_me_code, dec_me_params
            LLP decay: two-body (dec_masses[0:2], isotropic) or three-body (dec_masses[0:3] with the
            matrix element ``dec_me_code``, Dalitz-weighted like the production).
        visible
            0/1 flags per daughter; the most energetic visible daughter is the signal particle: its energy
            is returned and its direction enters the geometry (e.g. it must reach the calorimeter).
        uniforms
            (N, uniforms_needed(prod_kind, dec_kind)) uniforms in [0, 1).
        meson_index, batch_totals
            the index of each meson in its sample (int64, N), and an array of B zeros: the weight of event i is
            also added to ``batch_totals[meson_index[i] % B]`` (the per-batch normalisation of the jackknife,
            :mod:`darkreach.sensitivity.bands`).
        out_index
            the ``meson_index`` of each accepted event.

        Returns
        -------
        (n_accepted, total_weight): number of rows written and the sum of weights over all N events
        (the normalisation of the weighted sample).
        """
        n = momenta.shape[0]
        n_acc = 0
        total = 0.0
        off = 2 if prod_kind == PROD_TWO_BODY else 5
        n_batches = batch_totals.shape[0]
        for i in range(n):
            px, py, pz = momenta[i, 0], momenta[i, 1], momenta[i, 2]
            u = uniforms[i]
            if prod_kind == PROD_TWO_BODY:
                m_llp = prod_masses[0]
                r = two_body_decay(px, py, pz, m_meson, prod_masses[0], prod_masses[1], u[0], u[1])
                lx, ly, lz = r[0], r[1], r[2]
                w = meson_weights[i]
            else:
                r3 = three_body_decay(
                    px, py, pz, m_meson, prod_masses[0], prod_masses[1], prod_masses[2], me_code, me_params, u
                )
                if llp_index == 1:
                    lx, ly, lz = r3[4], r3[5], r3[6]
                    m_llp = prod_masses[1]
                else:
                    lx, ly, lz = r3[8], r3[9], r3[10]
                    m_llp = prod_masses[2]
                w = r3[12] * meson_weights[i]
            # LLP decay in flight.
            if dec_kind == DEC_TWO_BODY:
                d = two_body_decay(lx, ly, lz, m_llp, dec_masses[0], dec_masses[1], u[off], u[off + 1])
                best = -1.0
                kx = ky = kz = 0.0
                if visible[0] != 0 and d[3] > best:
                    kx, ky, kz, best = d[0], d[1], d[2], d[3]
                if visible[1] != 0 and d[7] > best:
                    kx, ky, kz, best = d[4], d[5], d[6], d[7]
            else:
                d3 = three_body_decay(
                    lx,
                    ly,
                    lz,
                    m_llp,
                    dec_masses[0],
                    dec_masses[1],
                    dec_masses[2],
                    dec_me_code,
                    dec_me_params,
                    u[off:],
                )
                w *= d3[12]
                best = -1.0
                kx = ky = kz = 0.0
                for j in range(3):
                    if visible[j] != 0 and d3[4 * j + 3] > best:
                        kx, ky, kz, best = d3[4 * j], d3[4 * j + 1], d3[4 * j + 2], d3[4 * j + 3]
            total += w
            batch_totals[meson_index[i] % n_batches] += w
            if w <= 0.0 or best < 0.0:
                continue
            pl = math.sqrt(lx * lx + ly * ly + lz * lz)
            pk = math.sqrt(kx * kx + ky * ky + kz * kz)
            if pl == 0.0 or pk == 0.0:
                continue
            s_a, s_b = interval(geom_kind, geom_params, lx / pl, ly / pl, lz / pl, kx / pk, ky / pk, kz / pk)
            if s_b <= s_a:
                continue
            out_weight[n_acc] = w
            out_betagamma[n_acc] = pl / m_llp
            out_sa[n_acc] = s_a
            out_sb[n_acc] = s_b
            out_evis[n_acc] = best
            out_index[n_acc] = meson_index[i]
            n_acc += 1
        return n_acc, total

    return simulate_chain


_LOCK = threading.Lock()
_KERNELS: dict[str, Any] = {}


def chain_kernel() -> Any:
    """The numba chain kernel for the current registry tables (matrix elements and geometry kernels).

    Built once per pair of tables and cached on disk under their fingerprints; a plugin that registers a
    matrix element or a geometry kernel gets a kernel that dispatches to it.
    """
    me_key, three_body_decay, _ = three_body_kernels()
    geo_key, interval = decay_interval_kernel()
    key = f"{me_key}-{geo_key}"
    kernel = _KERNELS.get(key)
    if kernel is None:
        with _LOCK:
            kernel = _KERNELS.get(key)
            if kernel is None:
                kernel = _KERNELS[key] = _make_simulate_chain(key, three_body_decay, interval)
    return kernel


def simulate_chain_batched(*args: Any) -> tuple[int, float]:
    """Run the chain kernel (:func:`chain_kernel`; arguments and results documented there)."""
    return chain_kernel()(*args)


def simulate_chain(*args: Any) -> tuple[int, float]:
    """The chain kernel without batches: the arguments of :func:`chain_kernel` up to ``uniforms``, then the five
    ``out_*`` arrays of the accepted events (weight, betagamma, s_a, s_b, e_visible)."""
    head, outs = args[:-5], args[-5:]
    n = args[0].shape[0]
    index = np.arange(n, dtype=np.int64)
    return chain_kernel()(*head, index, np.zeros(1), *outs, np.empty(n, dtype=np.int64))


#: Per-event production factors f_ij of :func:`probability_sums` (``production_kind``).
PRODUCTION_NONE = 0  # f = 1 (mesons; parton production scaling as a power of the coupling)
PRODUCTION_CUT = 1  # f = [sqrt_shat_i <= params[j, 0]] (the EFT-validity cut sqrt(s_hat) <= Lambda)
PRODUCTION_BREIT_WIGNER = 2  # f = params[j, 0] / ((s_hat_i - params[j, 1])^2 + params[j, 2]), s_hat = sqrt_shat^2

_NO_EVENTS = np.empty(0)
_NO_PARAMS = np.empty((0, 3))


@nb.njit(cache=True, nogil=True)
def _probability_sums(
    weight: np.ndarray,
    betagamma: np.ndarray,
    s_a: np.ndarray,
    s_b: np.ndarray,
    batch: np.ndarray,
    n_batches: int,
    ctau: np.ndarray,
    production_kind: int,
    sqrt_shat: np.ndarray,
    params: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    out = np.zeros(ctau.shape[0])
    per_batch = np.zeros((n_batches, ctau.shape[0]))
    for j in range(ctau.shape[0]):
        ct = ctau[j]
        if not math.isfinite(ct) or ct <= 0.0:
            continue
        acc = 0.0
        for i in range(weight.shape[0]):
            w = weight[i]
            if production_kind == PRODUCTION_CUT:
                if sqrt_shat[i] > params[j, 0]:
                    continue
            elif production_kind == PRODUCTION_BREIT_WIGNER:
                shat = sqrt_shat[i] * sqrt_shat[i]
                w *= params[j, 0] / ((shat - params[j, 1]) ** 2 + params[j, 2])
            inv = 1.0 / (betagamma[i] * ct)
            xa = s_a[i] * inv
            if xa > 746.0:  # exp(-xa) underflows to exactly 0 in double precision
                continue
            term = w * math.exp(-xa) * (-math.expm1(-(s_b[i] - s_a[i]) * inv))
            acc += term
            if n_batches > 0:
                per_batch[batch[i], j] += term
        out[j] = acc
    return out, per_batch


def probability_sums(
    weight: np.ndarray,
    betagamma: np.ndarray,
    s_a: np.ndarray,
    s_b: np.ndarray,
    ctau: np.ndarray,
    batch: np.ndarray | None = None,
    n_batches: int = 0,
    production_kind: int = PRODUCTION_NONE,
    sqrt_shat: np.ndarray | None = None,
    params: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sum_i w_i f_ij [exp(-s_a/L_ij) - exp(-s_b/L_ij)], L_ij = betagamma_i ctau_j, for every c*tau_j: the one
    numba sum kernel of meson (:mod:`darkreach.sensitivity.yields`) and parton production
    (:mod:`darkreach.production.partons.signal`).

    The decay probability is evaluated as exp(-s_a/L) * (-expm1(-(s_b - s_a)/L)), so that long lifetimes keep full
    precision; an infinite c*tau (no open decay) gives exactly 0.

    Parameters
    ----------
    batch, n_batches
        the jackknife batch of each event (int64, in [0, n_batches)); ``n_batches = 0`` (default): no split.
    production_kind, sqrt_shat, params
        the per-event, per-coupling production factor f_ij: :data:`PRODUCTION_NONE` (default, f = 1),
        :data:`PRODUCTION_CUT` (f = [sqrt_shat_i <= params[j, 0]]) or :data:`PRODUCTION_BREIT_WIGNER`
        (f = params[j, 0] / ((sqrt_shat_i^2 - params[j, 1])^2 + params[j, 2]), the reweighting of a contact
        sample to an s-channel mediator, :meth:`darkreach.production.partons.process.PartonProcess.production_factors`);
        ``sqrt_shat`` (GeV, one per event) and ``params`` (n_ctau, 3) are needed by the last two.

    Returns
    -------
    (sums (n_ctau,), batch_sums (n_batches, n_ctau)): event i adds its term to row ``batch[i]`` as well; the sums
    do not depend on the batches (same terms, same order: bit-identical).
    """
    n = weight.shape[0]
    if production_kind not in (PRODUCTION_NONE, PRODUCTION_CUT, PRODUCTION_BREIT_WIGNER):
        raise ValueError(f"unknown production_kind {production_kind!r}")
    if production_kind != PRODUCTION_NONE and (
        sqrt_shat is None or params is None or sqrt_shat.shape != (n,) or params.shape != (ctau.shape[0], 3)
    ):
        raise ValueError("a production factor needs sqrt_shat (n_events,) and params (n_couplings, 3)")
    if n_batches > 0 and (batch is None or batch.shape != (n,)):
        raise ValueError("batch sums need the batch of every event")
    return _probability_sums(
        weight, betagamma, s_a, s_b,
        np.zeros(0, dtype=np.int64) if batch is None or n_batches == 0 else batch, n_batches, ctau,
        production_kind, _NO_EVENTS if sqrt_shat is None else sqrt_shat,
        _NO_PARAMS if params is None else params,
    )  # fmt: skip


def decay_probability_sums(
    weight: np.ndarray,
    betagamma: np.ndarray,
    s_a: np.ndarray,
    s_b: np.ndarray,
    ctau: np.ndarray,
) -> np.ndarray:
    """Sum_i w_i [exp(-s_a/L_i) - exp(-s_b/L_i)], L_i = betagamma_i * ctau_j, for every c*tau_j
    (:func:`probability_sums` without batches or production factor)."""
    return probability_sums(weight, betagamma, s_a, s_b, ctau)[0]


def decay_probability_batch_sums(
    weight: np.ndarray,
    betagamma: np.ndarray,
    s_a: np.ndarray,
    s_b: np.ndarray,
    batch: np.ndarray,
    n_batches: int,
    ctau: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`decay_probability_sums` (same terms, same order: bit-identical) and its split by batch.

    Returns (sums (n_ctau,), batch_sums (n_batches, n_ctau)); event i adds to row ``batch[i]``.
    """
    if n_batches < 1:
        raise ValueError(f"n_batches must be at least 1, got {n_batches!r}")
    return probability_sums(weight, betagamma, s_a, s_b, ctau, batch, n_batches)


def leave_one_batch_out(
    sums: np.ndarray, batch_sums: np.ndarray, total: float, batch_totals: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The ratio S / T and its jackknife replicates S_(-b) / T_(-b) (:mod:`darkreach.sensitivity.bands`).

    ``sums`` (n,) and ``batch_sums`` (B, n) from :func:`probability_sums`; ``total`` T and ``batch_totals`` T_b
    the normalisation (all events). A batch holding all the weight leaves nothing to estimate from, and that
    replicate keeps the full-sample value (its spread term is then zero).
    """
    ratio = sums / total
    rest = total - batch_totals
    safe = np.where(rest > 0.0, rest, 1.0)[:, None]
    replicates = np.where(rest[:, None] > 0.0, (sums[None, :] - batch_sums) / safe, ratio[None, :])
    return ratio, replicates
