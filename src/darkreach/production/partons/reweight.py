"""A point's phi2 from the beam's reference parton sample, reweighted exactly (see :mod:`.reference`).

Event i of the reference sample (weight w_i, flavour q_i, s_i = s_hat, hard-system lab momentum P_i, phi2's
direction n_i in the hard rest frame) becomes an event of ``process`` (masses m1, m2, couplings, mediator) with

    w_i' = w_i x sigma_hat(s_i, q_i) / sigma_hat_ref(s_i)
         = w_i x |C_q(s_i)|^2 / |C_ref|^2 x [lambda(s_i, m1^2, m2^2) / lambda(s_i, m_ref^2, m_ref^2)]^{3/2}
               x Theta(sqrt(s_i) > m1 + m2),

(|C_q|^2 = |c_q|^2 / Lambda^4 for the contact operator, the Breit-Wigner of the point's mediator otherwise; eq. 1.7
and 1.4 of paper 003 through :meth:`.process.PartonProcess.sigma_hat`) and phi2's four-momentum rebuilt with the
point's masses: in the hard rest frame |p*| = sqrt(lambda) / (2 sqrt(s_i)), E* = (s_i + m2^2 - m1^2) / (2 sqrt(s_i)),
along n_i; then the pure boost to the lab with beta = P_i / E_i. phi1 is P_i - p2. The angular distribution
sin^2(theta*) in the hard frame is the same at every mass, so the reweighted sample has the point's distributions
exactly, up to the statistics of the reference sample. Events with zero weight (closed, or a flavour without
coupling) are dropped.

Thinning to a fixed number of events per point
----------------------------------------------
Every event of the sample through the detector chain would cost ~1 s per point for 200,000 events. With
``max_events`` the point keeps event i with probability p_i = min(1, r_i / t), r_i = sigma_hat_point /
sigma_hat_ref its reweighting factor and t set so that sum_i p_i = ``max_events``, and a kept event gets the
weight w_i' / p_i (Horvitz-Thompson: unbiased for any observable). Since r_i is smooth for a contact operator
(lambda^{3/2} ratio), the kept events stay flat in ln sqrt(s_hat) like the sample (the EFT cut sqrt(s_hat) <=
Lambda keeps as many events at small Lambda as before); near a mediator's pole r_i is large and every event of
the peak is kept. A process whose mediator mass is the scanned coupling (the heavy Z', whose signal reweights each
event per scanned mass) is never thinned: every event lies near the pole of some scanned mass.
"""

from __future__ import annotations

import numpy as np

from darkreach.production.partons.cross_section import kallen
from darkreach.production.partons.generator import PartonEvents
from darkreach.production.partons.process import QUARK_IDS, PartonProcess
from darkreach.production.partons.reference import reference_process
from darkreach.production.partons.sample_file import PartonSample

__all__ = ["rebuild_phi2", "reweight_sample", "thinning_threshold"]


def rebuild_phi2(
    sqrt_shat: np.ndarray, hard: np.ndarray, cos_theta: np.ndarray, phi: np.ndarray, m1: float, m2: float
) -> np.ndarray:
    """phi2's lab four-momenta (N, 4) for masses (m1, m2) from the hard-system momenta ``hard`` (N, 4) and phi2's
    rest-frame direction (``cos_theta``, ``phi``, the convention of :mod:`.sample_file`); requires
    sqrt_shat > m1 + m2."""
    s = sqrt_shat**2
    pstar = np.sqrt(np.maximum(kallen(s, m1 * m1, m2 * m2), 0.0)) / (2.0 * sqrt_shat)
    estar = (s + m2 * m2 - m1 * m1) / (2.0 * sqrt_shat)
    sin_theta = np.sqrt(np.maximum(1.0 - cos_theta**2, 0.0))
    rest = pstar[:, None] * np.stack([sin_theta * np.cos(phi), sin_theta * np.sin(phi), cos_theta], axis=1)
    b = hard[:, :3] / hard[:, 3:4]
    gamma = hard[:, 3] / sqrt_shat
    bp = np.einsum("ij,ij->i", b, rest)
    out = np.empty((sqrt_shat.size, 4))
    out[:, :3] = rest + ((gamma**2 / (gamma + 1.0)) * bp + gamma * estar)[:, None] * b
    out[:, 3] = gamma * (estar + bp)
    return out


def thinning_threshold(ratio: np.ndarray, n_keep: int) -> float:
    """t with sum_i min(1, r_i / t) = ``n_keep`` (0 < n_keep < number of positive r_i)."""
    r = np.sort(ratio[ratio > 0.0])[::-1]
    if not 0 < n_keep < r.size:
        raise ValueError(f"cannot keep {n_keep} of {r.size} events")
    tail = np.cumsum(r[::-1])[::-1]  # tail[k] = sum of r[k:]
    # the top k events are kept for sure when r[k-1] >= t_k = tail[k] / (n_keep - k) >= r[k]
    k = np.arange(n_keep)
    t = tail[:n_keep] / (n_keep - k)
    above = np.concatenate([[np.inf], r[: n_keep - 1]])
    return float(t[np.flatnonzero((above >= t) & (t >= r[:n_keep]))[0]])


def reweight_sample(
    sample: PartonSample, process: PartonProcess, max_events: int | None = None, rng: np.random.Generator | None = None
) -> PartonEvents:
    """``process``'s phi2 from ``sample`` (module docstring): momenta, weights (pb at the process's reference
    coupling), sqrt(s_hat) and flavour of the events with non-zero weight, thinned to about ``max_events`` with
    ``rng`` when more are open; one "slice" from mhat_min to sqrt(s), sigma = sum of the weights before thinning
    (the kept weights add up to it on average), its error sqrt(sum w^2)."""
    m1, m2 = process.m_partner, process.m_llp
    s = sample.sqrt_shat**2
    ratio = np.zeros(s.size)
    is_open = sample.sqrt_shat > process.threshold
    ref = reference_process()
    for q in QUARK_IDS:
        if process.coupling_squared(q) <= 0.0:
            continue
        sel = is_open & (sample.quark == q)
        ratio[sel] = process.sigma_hat(s[sel], q) / ref.sigma_hat(s[sel], q)
    weights = sample.weight * ratio
    sigma = float(weights.sum())  # before thinning: the reweighted sample's cross section
    sigma_err = float(np.sqrt(np.sum(weights * weights)))
    keep = np.flatnonzero(weights > 0.0)
    # a mediator whose mass is the scanned coupling (heavy Z') reweights every event again per coupling
    # (:mod:`.signal`): its poles move over the whole sqrt(s_hat) range, so no event can be thinned away
    thin = max_events is not None and process.scanned_mediator is None
    if thin and max_events is not None and keep.size > max_events:
        if rng is None:
            raise ValueError("thinning the parton sample needs a random generator")
        prob = np.minimum(ratio / thinning_threshold(ratio, max_events), 1.0)
        kept = rng.random(ratio.size) < prob
        weights = np.where(kept, weights / np.where(kept, prob, 1.0), 0.0)
        keep = np.flatnonzero(weights > 0.0)
    edges = np.array([sample.mhat_min, sample.sqrt_s])
    w = weights[keep]
    momenta = rebuild_phi2(sample.sqrt_shat[keep], sample.hard[keep], sample.cos_theta[keep], sample.phi[keep], m1, m2)
    if not (np.all(np.isfinite(momenta)) and np.all(np.isfinite(w))):
        raise FloatingPointError(f"non-finite reweighted parton events for {process.label} at m1={m1}, m2={m2}")
    return PartonEvents(
        momenta=momenta,
        weights=w,
        sqrt_shat=sample.sqrt_shat[keep],
        slice_index=np.zeros(keep.size, dtype=np.int64),
        edges=edges,
        sigma_pb=np.array([sigma]),
        sigma_err_pb=np.array([sigma_err]),
        quark=sample.quark[keep],
    )
