"""Expected signal events, eq. (4.1) of paper 000 (eqs. (2.2)-(2.5) of paper 003).

N(c) = sum over production channels of N_meson x BR(meson -> LLP, c) x sum over LLP decay channels of
BR_i x eps_i x < P_decay(c) x [E_visible > E_cut] >, where < > is the weighted average over simulated mesons
and P_decay = exp(-s_a/L) - exp(-s_b/L) along the detectable interval of each event (eq. 4.3 in ``paper``
mode, the exact path in ``exact`` mode), L = beta gamma c tau(c).

The simulation (:func:`simulate_point`) does not depend on the coupling; :func:`expected_events`
evaluates any number of couplings from the same event table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from darkreach.constants import HBARC_GEV_M
from darkreach.detectors.geometry import KernelGeometry
from darkreach.mesons import meson as meson_spec
from darkreach.models.base import (
    DarkSectorModel,
    DecayChannel,
    Point,
    ProductionChannel,
    ThreeBodyProduction,
    TwoBodyProduction,
)
from darkreach.sensitivity.chain import (
    DEC_THREE_BODY,
    DEC_TWO_BODY,
    PROD_THREE_BODY,
    PROD_TWO_BODY,
    leave_one_batch_out,
    simulate_chain_batched,
    uniforms_needed,
)
from darkreach.sensitivity.decay_sums import decay_probability_sums_fast
from darkreach.sensitivity.tail import tail_draw, tail_weights

#: Default number of jackknife batches (config ``scan.batches``); event i belongs to batch
#: (index of its meson in the sample) mod B, so a reused meson always lands in the same batch.
DEFAULT_BATCHES = 20


@dataclass(frozen=True)
class MesonKinematics:
    """Lab momenta (N, 3) and generator weights (N,) of one meson species.

    ``draw_cdf`` (optional, N): the cumulative draw probabilities of tail sampling
    (:func:`darkreach.sensitivity.tail.tail_draw_cdf`); mesons are then drawn with probability q_i and
    weighted by 1/(N q_i) instead of being taken as a uniform block.
    """

    momenta: np.ndarray
    weights: np.ndarray
    draw_cdf: np.ndarray | None = None


@dataclass
class ChannelEvents:
    """Accepted events of one (production channel, LLP decay channel) pair at one parameter point."""

    production: ProductionChannel
    decay: DecayChannel
    weight: np.ndarray
    betagamma: np.ndarray
    s_a: np.ndarray
    s_b: np.ndarray
    e_visible: np.ndarray
    total_weight: float
    n_sampled: int
    #: sample index of the meson of each accepted event (its batch is the index mod len(batch_totals))
    meson_index: np.ndarray | None = None
    #: the total weight of each jackknife batch (sums to ``total_weight``)
    batch_totals: np.ndarray | None = None

    def _keep(self, e_threshold: float, e_max: float) -> np.ndarray:
        keep = self.e_visible > e_threshold
        if math.isfinite(e_max):
            keep &= self.e_visible <= e_max
        return keep

    def select(
        self, e_threshold: float, e_max: float = math.inf
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Arrays (weight, betagamma, s_a, s_b) of events whose visible energy is in (``e_threshold``, ``e_max``]."""
        keep = self._keep(e_threshold, e_max)
        return self.weight[keep], self.betagamma[keep], self.s_a[keep], self.s_b[keep]

    def selected_batches(self, e_threshold: float, e_max: float = math.inf) -> np.ndarray:
        """Batch of each event of :meth:`select` (int64)."""
        if self.meson_index is None or self.batch_totals is None:
            raise ValueError("these channel events carry no batches (simulate_point records them)")
        keep = self._keep(e_threshold, e_max)
        return np.ascontiguousarray(self.meson_index[keep] % self.batch_totals.size)


def _stream(seed: int, *keys: int) -> np.random.Generator:
    """A reproducible random stream for (seed, keys...)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *keys])))


def _cyclic_block(array: np.ndarray, start: int, n: int) -> np.ndarray:
    """Rows start, start+1, ..., start+n-1 of ``array`` (wrapping around), as a contiguous array."""
    stop = start + n
    if stop <= array.shape[0]:
        return np.ascontiguousarray(array[start:stop])
    return np.concatenate([array[start:], array[: stop - array.shape[0]]])


def _channel_key(channel: ProductionChannel) -> int:
    # stable small integer per meson, so streams do not depend on channel ordering
    return meson_spec(channel.meson).pdgid


def dec_kind_of(dec: DecayChannel) -> int:
    """The chain kernel's decay kind of ``dec``: two-body or three-body."""
    return DEC_TWO_BODY if len(dec.daughter_masses) == 2 else DEC_THREE_BODY


def run_decay_chain(
    momenta: np.ndarray,
    weights: np.ndarray,
    m_meson: float,
    kind: int,
    prod_masses: np.ndarray,
    llp_index: int,
    me_code: int,
    me_params: np.ndarray,
    dec: DecayChannel,
    geometry: KernelGeometry,
    uniforms: np.ndarray,
    index: np.ndarray,
    batches: int,
) -> tuple[int, float, list[np.ndarray], np.ndarray, np.ndarray]:
    """One (production, decay) channel through :func:`darkreach.sensitivity.chain.simulate_chain_batched`:
    (accepted count, total weight T, the five output arrays (weight, beta gamma, s_a, s_b, visible energy),
    the accepted events' indices and T per batch). ``momenta`` (N, 3) and ``weights`` (N,) are the parents."""
    n = weights.shape[0]
    dec_masses = np.zeros(3)
    dec_masses[: len(dec.daughter_masses)] = dec.daughter_masses
    visible = np.zeros(3, dtype=np.int64)
    visible[list(dec.visible)] = 1
    out = [np.empty(n) for _ in range(5)]
    out_index = np.empty(n, dtype=np.int64)
    batch_totals = np.zeros(batches)
    n_acc, total = simulate_chain_batched(
        momenta,
        weights,
        m_meson,
        kind,
        prod_masses,
        llp_index,
        me_code,
        me_params,
        dec_kind_of(dec),
        dec_masses,
        dec.matrix_element,
        np.array(dec.me_params or (0.0,), dtype=np.float64),
        visible,
        geometry.kind,
        geometry.params,
        uniforms,
        index,
        batch_totals,
        *out,
        out_index,
    )
    return int(n_acc), float(total), out, out_index, batch_totals


def simulate_point(
    model: DarkSectorModel,
    point: Point,
    mesons: Mapping[str, MesonKinematics],
    geometry: KernelGeometry,
    n_events: int,
    seed: int,
    stream_key: int = 0,
    batches: int = DEFAULT_BATCHES,
) -> list[ChannelEvents]:
    """Simulate every open production x decay channel of ``model`` at ``point`` through ``geometry``.

    Parameters
    ----------
    mesons
        meson kinematics by species key; channels whose meson is absent are skipped (the caller decides
        which species an experiment includes).
    geometry
        the decay volume of one acceptance mode; its ``factor`` multiplies the weight of every accepted LLP.
    n_events
        mesons drawn per channel (a random contiguous block of the sample, or with replacement when the
        sample is smaller).
    seed, stream_key
        the random stream is a deterministic function of (seed, stream_key, meson, decay channel).
    batches
        jackknife batches B: event i is in batch (sample index of its meson) mod B (``meson_index`` and
        ``batch_totals`` of the results), so the batch spread covers the decay sampling and the finite meson
        sample alike.
    """
    if n_events <= 0:
        raise ValueError(f"n_events must be positive, got {n_events!r}")
    if batches < 2:
        raise ValueError(f"batches must be at least 2, got {batches!r}")
    results: list[ChannelEvents] = []
    # invisible channels (no visible daughter) and closed ones never make a signal: not simulated
    decays = [ch for ch in model.decay_channels(point) if ch.branching_ratio > 0.0 and ch.visible]
    for prod in model.production_channels(point):
        sample = mesons.get(prod.meson)
        if sample is None or sample.momenta.shape[0] == 0:
            continue
        m_meson = meson_spec(prod.meson).mass
        for idec, dec in enumerate(decays):
            rng = _stream(seed, stream_key, _channel_key(prod), idec)
            n_avail = sample.momenta.shape[0]
            if sample.draw_cdf is not None:
                idx = tail_draw(sample.draw_cdf, n_events, rng)
                momenta = np.ascontiguousarray(sample.momenta[idx])
                mweights = tail_weights(sample.weights, sample.draw_cdf, idx)
            elif n_avail >= n_events:
                # a contiguous (cyclic) block from a random offset: the sample order is already random,
                # and slicing costs microseconds for multi-million meson samples
                start = int(rng.integers(0, n_avail))
                momenta = _cyclic_block(sample.momenta, start, n_events)
                mweights = _cyclic_block(sample.weights, start, n_events)
                idx = (start + np.arange(n_events, dtype=np.int64)) % n_avail
            else:
                idx = rng.integers(0, n_avail, size=n_events)
                momenta = np.ascontiguousarray(sample.momenta[idx])
                mweights = np.ascontiguousarray(sample.weights[idx])
            if isinstance(prod, TwoBodyProduction):
                kind = PROD_TWO_BODY
                prod_masses = np.array([prod.m_llp, prod.m_partner, 0.0])
                llp_index, me_code, me_params = 0, 0, np.zeros(1)
            elif isinstance(prod, ThreeBodyProduction):
                kind = PROD_THREE_BODY
                prod_masses = np.array(prod.masses, dtype=np.float64)
                llp_index, me_code = prod.llp_index, prod.matrix_element
                me_params = np.array(prod.me_params, dtype=np.float64)
            else:  # pragma: no cover - guarded by the ProductionChannel union
                raise TypeError(f"unsupported production channel {prod!r}")
            uniforms = rng.random((n_events, uniforms_needed(kind, dec_kind_of(dec))))
            n_acc, total, out, out_index, batch_totals = run_decay_chain(
                momenta, mweights, m_meson, kind, prod_masses, llp_index, me_code, me_params, dec, geometry,
                uniforms, np.ascontiguousarray(idx, dtype=np.int64), batches,
            )  # fmt: skip
            results.append(
                ChannelEvents(
                    production=prod,
                    decay=dec,
                    # the mode's constant acceptance factor (CHARM's paper-mode azimuthal coverage), exact at 1
                    weight=out[0][:n_acc] * geometry.factor,
                    betagamma=out[1][:n_acc].copy(),
                    s_a=out[2][:n_acc].copy(),
                    s_b=out[3][:n_acc].copy(),
                    e_visible=out[4][:n_acc].copy(),
                    total_weight=total,
                    n_sampled=n_events,
                    meson_index=out_index[:n_acc].copy(),
                    batch_totals=batch_totals,  # like total_weight, before the mode's factor
                )
            )
    return results


def _expected_events(
    model: DarkSectorModel,
    point: Point,
    events: Sequence[ChannelEvents],
    couplings: np.ndarray,
    mesons_per_interaction: Mapping[str, float],
    n_interactions: float,
    e_threshold: float,
    efficiency: float = 1.0,
    channel_efficiencies: Mapping[str, float] | None = None,
    e_max: float = math.inf,
    replicates: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Expected number of signal events at each coupling (eq. 4.1 of paper 000).

    :func:`expected_events_replicates` gives the same numbers with their jackknife replicates.

    Parameters
    ----------
    mesons_per_interaction
        f_M (times A^0.29 where it applies) for every meson in ``events``.
    n_interactions
        N_POT for fixed-target experiments, sigma_inel x luminosity at colliders (eq. 4.2).
    efficiency
        overall detector factor (e.g. NuCal's 70 % efficiency); CHARM's 9.5 % azimuthal coverage is not one:
        it belongs to the paper-mode acceptance (:attr:`darkreach.detectors.geometry.KernelGeometry.factor`).
    channel_efficiencies
        per LLP decay channel name, the reconstruction efficiency epsilon_i of eq. (2.5) of paper 003
        (e.g. CHARM: e+e- 0.65, mu+mu- 0.75); it replaces the model's default for the channels it names.
    e_max
        upper cut on the visible energy (CHARM-II: E in [3, 24] GeV, paper 000 sec. 4.2).
    """
    channel_efficiencies = dict(channel_efficiencies or {})
    couplings = np.asarray(couplings, dtype=np.float64)
    if couplings.ndim != 1 or couplings.size == 0 or np.any(~(couplings > 0)) or np.any(~np.isfinite(couplings)):
        raise ValueError("couplings must be a non-empty 1-d array of positive finite values")
    power = model.scan.power
    scale = couplings**power
    width_llp = model.llp_width_unit(point) * scale
    with np.errstate(divide="ignore"):
        ctau = np.where(width_llp > 0.0, HBARC_GEV_M / np.where(width_llp > 0, width_llp, 1.0), np.inf)
    dark_total: dict[str, np.ndarray] = {}
    for ch in model.production_channels(point):
        dark_total[ch.meson] = dark_total.get(ch.meson, 0.0) + ch.width_unit * ch.n_llp * scale
    total = np.zeros_like(couplings)
    reps: np.ndarray | None = None
    for ev in events:
        meson = ev.production.meson
        if meson not in mesons_per_interaction:
            raise KeyError(f"no multiplicity given for meson {meson!r}")
        if ev.total_weight <= 0.0:
            continue
        gamma_sm = meson_spec(meson).width
        br = ev.production.width_unit * ev.production.n_llp * scale / (gamma_sm + dark_total[meson])
        w, bg, sa, sb = ev.select(e_threshold, e_max)
        if w.size == 0:
            continue
        coefficient = (
            n_interactions
            * mesons_per_interaction[meson]
            * br
            * ev.decay.branching_ratio
            * channel_efficiencies.get(ev.decay.name, ev.decay.efficiency)
        )
        # the windowed sums (darkreach.sensitivity.decay_sums): the direct loop's values to ~1e-14, a few times
        # faster over a scan's coupling grid; the total does not depend on the batches (bit for bit)
        if not replicates:
            prob = decay_probability_sums_fast(w, bg, sa, sb, ctau)[0] / ev.total_weight
            total += coefficient * prob
            continue
        if ev.batch_totals is None:
            raise ValueError("replicates need channel events with batches (simulate_point records them)")
        n_batches = ev.batch_totals.size
        sums, batch_sums = decay_probability_sums_fast(
            w, bg, sa, sb, ctau, ev.selected_batches(e_threshold, e_max), n_batches
        )
        # leave-one-batch-out ratio S_(-b) / W_(-b)
        prob, prob_b = leave_one_batch_out(sums, batch_sums, ev.total_weight, ev.batch_totals)
        total += coefficient * prob
        if reps is None:
            reps = np.zeros((n_batches, couplings.size))
        elif reps.shape[0] != n_batches:
            raise ValueError(f"channels carry different batch counts ({reps.shape[0]} and {n_batches})")
        reps += coefficient * prob_b
    if replicates and reps is None:
        reps = np.zeros((DEFAULT_BATCHES, couplings.size))
    return total * efficiency, None if reps is None else reps * efficiency


def expected_events(
    model: DarkSectorModel,
    point: Point,
    events: Sequence[ChannelEvents],
    couplings: np.ndarray,
    mesons_per_interaction: Mapping[str, float],
    n_interactions: float,
    e_threshold: float,
    efficiency: float = 1.0,
    channel_efficiencies: Mapping[str, float] | None = None,
    e_max: float = math.inf,
) -> np.ndarray:
    """Expected number of signal events at each coupling (eq. 4.1 of paper 000); arguments of
    :func:`_expected_events` (documented there)."""
    total, _ = _expected_events(
        model, point, events, couplings, mesons_per_interaction, n_interactions, e_threshold, efficiency,
        channel_efficiencies, e_max,
    )  # fmt: skip
    return total


def expected_events_replicates(
    model: DarkSectorModel,
    point: Point,
    events: Sequence[ChannelEvents],
    couplings: np.ndarray,
    mesons_per_interaction: Mapping[str, float],
    n_interactions: float,
    e_threshold: float,
    efficiency: float = 1.0,
    channel_efficiencies: Mapping[str, float] | None = None,
    e_max: float = math.inf,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`expected_events` (bit-identical) and its leave-one-batch-out jackknife replicates (B, n_couplings).

    Replicate b is eq. (4.1) with every channel's ratio sum_i w_i P_i / sum_i w_i taken without batch b
    (:mod:`darkreach.sensitivity.bands`). Channels that share a meson sample share its batches, so their
    correlation is kept by summing them replicate by replicate.
    """
    total, reps = _expected_events(
        model, point, events, couplings, mesons_per_interaction, n_interactions, e_threshold, efficiency,
        channel_efficiencies, e_max, replicates=True,
    )  # fmt: skip
    assert reps is not None
    return total, reps


@dataclass(frozen=True)
class MesonSignal:
    """One simulated point of a meson-beam experiment (a :class:`darkreach.production.PointSignal`): the
    accepted events of :func:`simulate_point` and the experiment's normalisation, for :func:`expected_events`."""

    model: DarkSectorModel
    point: Point
    events: Sequence[ChannelEvents]
    mesons_per_interaction: Mapping[str, float]
    efficiency: float = 1.0
    channel_efficiencies: Mapping[str, float] | None = None
    energy_max: float = math.inf

    def expected_events(self, couplings: np.ndarray, threshold: float, n_interactions: float = 1.0) -> np.ndarray:
        """:func:`expected_events` at ``couplings`` for visible energies above ``threshold`` GeV."""
        return expected_events(
            self.model,
            self.point,
            self.events,
            couplings,
            self.mesons_per_interaction,
            n_interactions,
            threshold,
            self.efficiency,
            self.channel_efficiencies,
            self.energy_max,
        )

    def expected_events_replicates(
        self, couplings: np.ndarray, threshold: float, n_interactions: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`expected_events` and its jackknife replicates (:func:`expected_events_replicates`)."""
        return expected_events_replicates(
            self.model,
            self.point,
            self.events,
            couplings,
            self.mesons_per_interaction,
            n_interactions,
            threshold,
            self.efficiency,
            self.channel_efficiencies,
            self.energy_max,
        )

    @property
    def summary(self) -> dict[str, float]:
        """Distinct mesons among the accepted events (all channels), the sample-size bottleneck indicator."""
        distinct = sum(np.unique(ev.meson_index).size for ev in self.events if ev.meson_index is not None)
        return {"accepted_distinct_mesons": float(distinct)}


def simulate_signal(
    model: DarkSectorModel,
    point: Point,
    mesons: Mapping[str, MesonKinematics],
    geometry: KernelGeometry,
    n_events: int,
    seed: int,
    stream_key: int,
    mesons_per_interaction: Mapping[str, float],
    efficiency: float = 1.0,
    channel_efficiencies: Mapping[str, float] | None = None,
    energy_max: float = math.inf,
    batches: int = DEFAULT_BATCHES,
) -> MesonSignal:
    """:func:`simulate_point` wrapped with the normalisation of :func:`expected_events`."""
    events = simulate_point(model, point, mesons, geometry, n_events, seed, stream_key, batches)
    return MesonSignal(model, point, events, mesons_per_interaction, efficiency, channel_efficiencies, energy_max)
