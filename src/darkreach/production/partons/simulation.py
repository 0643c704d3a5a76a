"""One parton-production point through an experiment's detector: generate phi2, run the numba chain per decay channel.

See :mod:`.signal` for the formula and the trick that feeds phi2 to the meson chain kernel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from darkreach.detectors.geometry import KernelGeometry
from darkreach.models.base import DarkSectorModel, Point
from darkreach.production.partons.generator import PartonEvents, generate_events
from darkreach.production.partons.process import PartonProcess
from darkreach.production.partons.settings import PartonSettings
from darkreach.production.partons.signal import PartonChannelEvents, PartonSignal
from darkreach.seeds import derive_seed
from darkreach.sensitivity.chain import (
    DEC_THREE_BODY,
    DEC_TWO_BODY,
    PROD_TWO_BODY,
    simulate_chain_batched,
    uniforms_needed,
)

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
    for idec, dec in enumerate(decays):
        rng = _stream(seed, stream_key, 9900002, idec)
        dec_kind = DEC_TWO_BODY if len(dec.daughter_masses) == 2 else DEC_THREE_BODY
        dec_masses = np.zeros(3)
        dec_masses[: len(dec.daughter_masses)] = dec.daughter_masses
        visible = np.zeros(3, dtype=np.int64)
        visible[list(dec.visible)] = 1
        uniforms = rng.random((n, uniforms_needed(PROD_TWO_BODY, dec_kind)))
        arrays = [np.empty(n) for _ in range(5)]
        out_index = np.empty(n, dtype=np.int64)
        batch_totals = np.zeros(batches)
        n_acc, total = simulate_chain_batched(
            momenta,
            np.ascontiguousarray(events.weights),
            m2,  # phi2 as the "meson": phi2 -> phi2 + (massless), zero rest-frame momentum
            PROD_TWO_BODY,
            np.array([m2, 0.0, 0.0]),
            0,
            0,
            np.zeros(1),
            dec_kind,
            dec_masses,
            dec.matrix_element,
            np.array(dec.me_params or (0.0,), dtype=np.float64),
            visible,
            geometry.kind,
            geometry.params,
            uniforms,
            index,
            batch_totals,
            *arrays,
            out_index,
        )
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
    settings: PartonSettings,
    sqrt_s: float,
    geometry: KernelGeometry,
    seed: int,
    stream_key: int,
    sigma_inel_mb: float,
    efficiency: float = 1.0,
    channel_efficiencies: Mapping[str, float] | None = None,
    energy_max: float = math.inf,
    batches: int = 20,
) -> PartonSignal:
    """Generate the point's phi2 (:func:`.generator.generate_events`, seeded by (seed, stream_key)) and run them
    through ``geometry``; the signal of eq. (2.7) of paper 003 (:class:`.signal.PartonSignal`)."""
    if batches < 2:
        raise ValueError(f"batches must be at least 2, got {batches!r}")
    events = generate_events(
        process,
        sqrt_s,
        settings.events,
        derive_seed(seed, "partons", stream_key),
        settings.slices,
        settings.mhat_min_gev,
        settings.isr,
    )
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
