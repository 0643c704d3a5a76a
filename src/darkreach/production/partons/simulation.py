"""One parton-production point through an experiment's detector: reweight the beam's sample, run the chain per decay.

See :mod:`.signal` for the formula and the trick that feeds phi2 to the meson chain kernel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from darkreach.detectors.geometry import KernelGeometry
from darkreach.models.base import DarkSectorModel, Point
from darkreach.production.partons.generator import PartonEvents
from darkreach.production.partons.process import PartonProcess
from darkreach.production.partons.reweight import reweight_sample
from darkreach.production.partons.sample_file import PartonSample
from darkreach.production.partons.signal import PartonChannelEvents, PartonSignal
from darkreach.sensitivity.chain import PROD_TWO_BODY, uniforms_needed
from darkreach.sensitivity.yields import dec_kind_of, run_decay_chain

__all__ = ["run_chain", "simulate_partons"]


def _stream(seed: int, *keys: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *keys])))


def run_chain(
    model: DarkSectorModel,
    point: Point,
    events: PartonEvents,
    geometry: KernelGeometry,
    seed: int,
    stream_key: int,
    batches: int,
) -> list[PartonChannelEvents]:
    """The accepted phi2 of every visible, open decay channel of ``point`` (hemispheres folded to +z)."""
    n = events.weights.size
    if n == 0:
        return []
    m2 = model.llp_mass(point)
    momenta = np.ascontiguousarray(events.momenta[:, :3])
    momenta[:, 2] = np.abs(momenta[:, 2])  # pp is symmetric under z -> -z: fold (the signal takes 1/2)
    index = np.arange(n, dtype=np.int64)
    out: list[PartonChannelEvents] = []
    decays = [ch for ch in model.decay_channels(point) if ch.branching_ratio > 0.0 and ch.visible]
    weights = np.ascontiguousarray(events.weights)
    prod_masses = np.array([m2, 0.0, 0.0])  # phi2 as the "meson": phi2 -> phi2 + (massless), zero momentum
    for idec, dec in enumerate(decays):
        rng = _stream(seed, stream_key, 9900002, idec)
        uniforms = rng.random((n, uniforms_needed(PROD_TWO_BODY, dec_kind_of(dec))))
        n_acc, total, arrays, out_index, batch_totals = run_decay_chain(
            momenta, weights, m2, PROD_TWO_BODY, prod_masses, 0, 0, np.zeros(1), dec, geometry, uniforms, index,
            batches,
        )  # fmt: skip
        idx = out_index[:n_acc].copy()
        out.append(
            PartonChannelEvents(
                decay=dec,
                weight=arrays[0][:n_acc] * geometry.factor,
                betagamma=arrays[1][:n_acc].copy(),
                s_a=arrays[2][:n_acc].copy(),
                s_b=arrays[3][:n_acc].copy(),
                e_visible=arrays[4][:n_acc].copy(),
                sqrt_shat=np.ascontiguousarray(events.sqrt_shat[idx]),
                batch=idx % batches,
                total=float(total),
                batch_totals=batch_totals,
            )
        )
    return out


def simulate_partons(
    model: DarkSectorModel,
    point: Point,
    process: PartonProcess,
    sample: PartonSample,
    geometry: KernelGeometry,
    seed: int,
    stream_key: int,
    sigma_inel_mb: float,
    efficiency: float = 1.0,
    channel_efficiencies: Mapping[str, float] | None = None,
    energy_max: float = math.inf,
    batches: int = 20,
    max_events: int | None = None,
) -> PartonSignal:
    """The point's phi2 from the beam's reference sample (:func:`.reweight.reweight_sample`, thinned to about
    ``max_events``) through ``geometry`` (thinning and decays seeded by (seed, stream_key)); the signal of eq. (2.7)
    of paper 003 (:class:`.signal.PartonSignal`)."""
    if batches < 2:
        raise ValueError(f"batches must be at least 2, got {batches!r}")
    events = reweight_sample(sample, process, max_events, _stream(seed, stream_key, 9900003))
    channels = run_chain(model, point, events, geometry, seed, stream_key, batches)
    return PartonSignal(
        model=model,
        point=point,
        process=process,
        channels=channels,
        sigma_pb=events.sigma_total_pb,
        sigma_inel_mb=sigma_inel_mb,
        factor=efficiency * 0.5,
        channel_efficiencies=dict(channel_efficiencies or {}),
        energy_max=energy_max,
        n_events=int(events.weights.size),
        batches=batches,
    )
