"""Expected events from parton production (eq. 2.7 of paper 003 with eqs. 2.4, 2.5): phi2 through the detector.

The phi2 of a stratified sample (:mod:`.generator`) go through the same numba chain as mesons
(:mod:`darkreach.sensitivity.chain`): phi2 enters the kernel as a "meson" of mass m2 decaying into (phi2, a
massless nothing), whose rest-frame momentum is exactly 0, so the kernel's LLP is the generated phi2; then the
kernel decays it, applies the geometry and returns the accepted events. With w_i the event weight (pb at the
reference coupling), d_i the decay's Dalitz weight (1 for two-body decays) and P_i(c) the decay probability in
the detectable interval,

    N(c) = L x (c/c_ref)^power x 1/2 x sum_ch BR_ch eps_ch  sum_i w_i f_i(c) d_i P_i(c)  x  W / T,

with W = sum_i w_i = sigma (all events), T = sum_i w_i d_i (all events; the Dalitz weights are normalised over the
whole sample, as for mesons), 1/2 the hemisphere folding (phi2 with pz < 0 are reflected, pp is symmetric) and
f_i(c) the per-event production factor of the process (:meth:`.process.PartonProcess.production_factors`): 1; the
EFT-validity cut [sqrt(s_hat_i) <= c] (c = Lambda); or, for a mediator whose mass is the scanned coupling (the heavy
Z'), the Breit-Wigner reweighting r_i(M = c x unit) of the contact sample (exact at fixed s_hat; derived in
:mod:`.process`), with power 0. The sum is the one numba kernel of mesons and partons,
:func:`darkreach.sensitivity.chain.probability_sums`. The scan normalises to pp interactions (sigma_inel x L), so
the signal divides by the experiment's sigma_inel.

Jackknife replicates (:mod:`darkreach.sensitivity.bands`): event i is in batch i mod B; replicate b replaces
sum_i w_i f_i d_i P_i / T by the same ratio without batch b (W, the cross section at the reference, stays).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from darkreach.constants import HBARC_GEV_M
from darkreach.models.base import DarkSectorModel, DecayChannel, Point
from darkreach.production.partons.process import PartonProcess
from darkreach.sensitivity.chain import leave_one_batch_out, probability_sums

__all__ = ["PartonChannelEvents", "PartonSignal"]

#: 1 mb in pb: the experiment's sigma_inel (mb) in the unit of the parton weights.
MB_TO_PB = 1.0e9


@dataclass(frozen=True)
class PartonChannelEvents:
    """Accepted phi2 of one decay channel: weights w_i d_i (pb, reference coupling, geometry factor included),
    beta gamma, the detectable interval, visible energy, sqrt(s_hat) and batch; ``total`` = T and
    ``batch_totals`` = T per batch (all events, before the geometry factor)."""

    decay: DecayChannel
    weight: np.ndarray
    betagamma: np.ndarray
    s_a: np.ndarray
    s_b: np.ndarray
    e_visible: np.ndarray
    sqrt_shat: np.ndarray
    batch: np.ndarray
    total: float
    batch_totals: np.ndarray


@dataclass(frozen=True)
class PartonSignal:
    """One simulated point of parton production in one experiment (a :class:`darkreach.production.PointSignal`).

    ``sigma_pb`` is W (the sample's cross section at the reference coupling); ``sigma_inel_mb`` the experiment's
    inelastic cross section (the scan's interactions are sigma_inel x L); ``factor`` the product of the
    experiment's efficiency and the hemisphere factor 1/2.
    """

    model: DarkSectorModel
    point: Point
    process: PartonProcess
    channels: Sequence[PartonChannelEvents]
    sigma_pb: float
    sigma_inel_mb: float
    factor: float
    channel_efficiencies: Mapping[str, float]
    energy_max: float = math.inf
    n_events: int = 0
    batches: int = 20

    def _evaluate(
        self, couplings: np.ndarray, threshold: float, n_interactions: float
    ) -> tuple[np.ndarray, np.ndarray]:
        couplings = np.asarray(couplings, dtype=np.float64)
        if (
            couplings.ndim != 1
            or couplings.size == 0
            or not np.all(couplings > 0)
            or not np.all(np.isfinite(couplings))
        ):
            raise ValueError("couplings must be a non-empty 1-d array of positive finite values")
        n_b = self.batches
        total = np.zeros(couplings.size)
        reps = np.zeros((n_b, couplings.size))
        if self.sigma_pb <= 0.0 or not self.channels:
            return total, reps
        width = self.model.llp_width_unit(self.point) * couplings**self.model.scan.power
        with np.errstate(divide="ignore"):
            ctau = np.where(width > 0.0, HBARC_GEV_M / np.where(width > 0.0, width, 1.0), np.inf)
        kind, params = self.process.production_factors(couplings)
        # luminosity x sigma: n_interactions / sigma_inel = L in pb^-1
        norm = n_interactions / (self.sigma_inel_mb * MB_TO_PB) * self.process.coupling_weight(couplings) * self.factor
        for ch in self.channels:
            if ch.total <= 0.0:
                continue
            keep = ch.e_visible > threshold
            if math.isfinite(self.energy_max):
                keep &= ch.e_visible <= self.energy_max
            if not np.any(keep):
                continue
            sums, batch_sums = probability_sums(
                ch.weight[keep], ch.betagamma[keep], ch.s_a[keep], ch.s_b[keep], ctau,
                np.ascontiguousarray(ch.batch[keep]), ch.batch_totals.size, kind,
                np.ascontiguousarray(ch.sqrt_shat[keep]), params,
            )  # fmt: skip
            eff = self.channel_efficiencies.get(ch.decay.name, ch.decay.efficiency)
            coefficient = norm * ch.decay.branching_ratio * eff * self.sigma_pb
            ratio, ratio_b = leave_one_batch_out(sums, batch_sums, ch.total, ch.batch_totals)
            total += coefficient * ratio
            reps += coefficient[None, :] * ratio_b
        return total, reps

    def expected_events(self, couplings: np.ndarray, threshold: float, n_interactions: float = 1.0) -> np.ndarray:
        """Expected signal events at each coupling for visible energies above ``threshold`` GeV."""
        return self._evaluate(couplings, threshold, n_interactions)[0]

    def expected_events_replicates(
        self, couplings: np.ndarray, threshold: float, n_interactions: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`expected_events` and its leave-one-batch-out jackknife replicates (B, n_couplings)."""
        return self._evaluate(couplings, threshold, n_interactions)

    @property
    def summary(self) -> dict[str, float]:
        """The parton cross section of the point (pb at the reference coupling) and the accepted phi2."""
        return {
            "parton_sigma_pb": float(self.sigma_pb),
            "accepted_partons": float(sum(ch.weight.size for ch in self.channels)),
        }
