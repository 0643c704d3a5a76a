r"""The BaBar bound of paper 000 (sec. 4.2): e+e- -> gamma chi1 chi2, chi2 -> chi1 gamma at sqrt(s) = 10.58 GeV.

Process and selection (paper 000, sec. 4.2, a simplified recast of the BaBar mono-photon search
arXiv:0808.0017, ref. [81] there): an initial-state-radiation (ISR) photon and an off-shell photon that turns
into chi1 chi2 through the dipole of eq. (2.1); chi2 then decays to chi1 gamma (eq. (A.1)). Cuts: leading
photon E >= 2 GeV, sub-leading photon E >= 20 MeV, missing energy >= 50 MeV; 60 fb^-1; the sensitivity is
10 signal events (following ref. [31] of paper 000).

The events come from the e+e- production source, :mod:`darkreach.production.electron_positron` (the pair cross
section, the ISR photon and the Monte Carlo are described there); this module applies the selection and counts.

Selection
---------
1. **Cuts** (all in the e+e- centre-of-mass frame; simplification: BaBar's asymmetric beams, i.e. the boost
   between the lab and the CM frame, are ignored and the angular window is applied to the CM polar angle):
   the two photons ordered by energy, leading >= ``leading_photon_min_gev``, sub-leading >=
   ``subleading_photon_min_gev``; missing energy sqrt(s) - E_gamma1 - E_gamma2 >= ``missing_energy_min_gev``;
   both photons inside [cos_theta_min, cos_theta_max] (direction from the interaction point); chi2 must decay
   within ``decay_radius_max_m`` of the interaction point (3-d distance along its flight), with probability
   P_dec = 1 - exp(-R_max/(beta gamma c tau)).
2. **Couplings.** sigma_X (the pair cross section, item 1 of :mod:`darkreach.production.electron_positron.events`)
   and Gamma(chi2) both scale as d^2 (eq. (A.1),
   :func:`~darkreach.models.idm_dipole.chi2_width`), so one simulation per mass serves every coupling, as in
   :mod:`darkreach.sensitivity.scan`:

       N(d) / L = d^2 x BR(chi2 -> chi1 gamma) x < w [cuts] P_dec(d) >   (GeV^-2 -> fb with GEV2_TO_FB).

   N grows as d^4 for small d (production d^2 times P_dec ~ R_max/(beta gamma c tau) ~ d^2) and as d^2 for
   large d (prompt decays), so the excluded region N >= 10 has a lower edge in d only.

Reference (tests/test_ee_monophoton.py): M1 = 0.1 GeV, delta = 0.1, d = 1e-4 GeV^-1, 60 fb^-1 gives N = 0.93;
N = 10 is reached at d = 2.94e-4 GeV^-1.

Assumptions (defaults of :class:`EESelection`)
----------------------------------------------
* photon acceptance -0.31 < cos theta* < 0.60 in the CM frame: the fiducial region of the high-energy photon in
  the BaBar search of arXiv:0808.0017 as quoted by the recast literature (Essig et al. 2013); applied to
  both photons (it could not be checked against the original text here);
* R_max = 1.0 m: chi2 must decay before the electromagnetic calorimeter, whose inner radius is about
  0.9-1 m (BaBar detector paper, B. Aubert et al., NIM A 479 (2002) 1);
* no detection efficiency, no trigger or timing requirement on the displaced photon.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from darkreach.constants import HBARC_GEV_M
from darkreach.models.base import DarkSectorModel, Point
from darkreach.production.electron_positron.events import (
    CROSS_SECTION_METHOD,
    GEV2_TO_FB,
    EEEvents,
    generate_ee_events,
    isr_cross_section,
    isr_radiator,
    photon_decay,
)
from darkreach.sensitivity.scan import ScanResult, scan_signals

__all__ = [
    "CROSS_SECTION_METHOD",
    "GEV2_TO_FB",
    "EEEvents",
    "EEMonophotonSignal",
    "EESelection",
    "ee_monophoton_scan",
    "expected_events_per_fb",
    "isr_cross_section",
    "isr_radiator",
    "photon_cuts",
    "simulate_ee_events",
]


@dataclass(frozen=True)
class EESelection:
    """Collider, cuts and detector assumptions of the e+e- mono-photon bound (paper 000, sec. 4.2).

    Attributes
    ----------
    sqrt_s_gev
        Centre-of-mass energy (BaBar at the Upsilon(3S)/(4S): 10.58 GeV).
    leading_photon_min_gev, subleading_photon_min_gev
        Energy thresholds on the more and less energetic of the two photons (2 GeV, 20 MeV; paper 000).
    missing_energy_min_gev
        Minimum sqrt(s) - E_gamma1 - E_gamma2 (50 MeV; paper 000).
    cos_theta_min, cos_theta_max
        CM polar-angle window for both photons (assumption, module docstring: -0.31, 0.60).
    decay_radius_max_m
        chi2 must decay within this distance from the interaction point (assumption: 1.0 m); ``math.inf``
        counts every decay.
    """

    sqrt_s_gev: float = 10.58
    leading_photon_min_gev: float = 2.0
    subleading_photon_min_gev: float = 0.02
    missing_energy_min_gev: float = 0.05
    cos_theta_min: float = -0.31
    cos_theta_max: float = 0.6
    decay_radius_max_m: float = 1.0

    def __post_init__(self) -> None:
        for name in ("sqrt_s_gev", "subleading_photon_min_gev", "leading_photon_min_gev", "decay_radius_max_m"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and value > 0.0) or math.isnan(value):
                raise ValueError(f"{name} must be positive, got {value!r}")
        if not math.isfinite(self.sqrt_s_gev):
            raise ValueError(f"sqrt_s_gev must be finite, got {self.sqrt_s_gev!r}")
        if not (isinstance(self.missing_energy_min_gev, (int, float)) and self.missing_energy_min_gev >= 0.0):
            raise ValueError(f"missing_energy_min_gev must be non-negative, got {self.missing_energy_min_gev!r}")
        if self.subleading_photon_min_gev > self.leading_photon_min_gev:
            raise ValueError(
                f"subleading_photon_min_gev must not exceed leading_photon_min_gev = {self.leading_photon_min_gev!r}, "
                f"got {self.subleading_photon_min_gev!r}"
            )
        if not 2.0 * self.leading_photon_min_gev < self.sqrt_s_gev:
            raise ValueError(f"leading_photon_min_gev must be below sqrt_s_gev/2, got {self.leading_photon_min_gev!r}")
        if not -1.0 < self.cos_theta_min < 1.0:
            raise ValueError(f"cos_theta_min must lie in (-1, 1), got {self.cos_theta_min!r}")
        if not self.cos_theta_min < self.cos_theta_max < 1.0:
            raise ValueError(
                f"cos_theta_max must lie in (cos_theta_min = {self.cos_theta_min!r}, 1), got {self.cos_theta_max!r}"
            )


def simulate_ee_events(
    model: DarkSectorModel,
    point: Point,
    selection: EESelection,
    n_events: int,
    seed: int,
    stream_key: int = 0,
    x_min: float | None = None,
) -> EEEvents:
    """Events of the e+e- source (:func:`darkreach.production.electron_positron.generate_ee_events`, same
    arguments) with ``passed`` set by the photon cuts of ``selection``."""
    events = generate_ee_events(model, point, selection, n_events, seed, stream_key, x_min)
    return replace(events, passed=photon_cuts(events.photon_isr, events.photon_decay, selection))


def photon_cuts(g1: np.ndarray, g2: np.ndarray, selection: EESelection) -> np.ndarray:
    """Energy ordering, thresholds, missing energy and acceptance of the two photons (module docstring)."""
    e1, e2 = g1[:, 0], g2[:, 0]
    lead, sub = np.maximum(e1, e2), np.minimum(e1, e2)
    ok = (lead >= selection.leading_photon_min_gev) & (sub >= selection.subleading_photon_min_gev)
    ok &= selection.sqrt_s_gev - e1 - e2 >= selection.missing_energy_min_gev
    for g in (g1, g2):
        cos_t = g[:, 3] / np.maximum(g[:, 0], 1e-300)
        ok &= (cos_t >= selection.cos_theta_min) & (cos_t <= selection.cos_theta_max)
    return ok


def expected_events_per_fb(
    model: DarkSectorModel,
    point: Point,
    events: EEEvents,
    couplings: np.ndarray | Sequence[float],
    selection: EESelection,
) -> np.ndarray:
    """Expected signal events per fb^-1 at each coupling (module docstring, item 2).

    N(c)/L = GEV2_TO_FB c^power BR(LLP -> photon) (1/n) sum_i w_i [cuts]_i P_dec,i(c), with
    P_dec = 1 - exp(-R_max Gamma(c) / (beta gamma hbar c)), Gamma(c) = Gamma(1) c^power.
    """
    return expected_events_per_fb_replicates(model, point, events, couplings, selection, 0)[0]


def expected_events_per_fb_replicates(
    model: DarkSectorModel,
    point: Point,
    events: EEEvents,
    couplings: np.ndarray | Sequence[float],
    selection: EESelection,
    batches: int,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`expected_events_per_fb` and its leave-one-batch-out jackknife replicates (``batches``, n_couplings).

    Event i is in batch i mod B; replicate b is the same mean over the events outside batch b (the ISR
    generator samples every event afresh, so this covers its whole Monte Carlo variance). ``batches = 0``
    skips the replicates (an empty array).
    """
    couplings = np.asarray(couplings, dtype=np.float64)
    if couplings.ndim != 1 or not np.all(np.isfinite(couplings) & (couplings > 0.0)):
        raise ValueError(f"couplings must be a 1-d array of positive finite numbers, got {couplings!r}")
    out = np.zeros(couplings.size)
    reps = np.zeros((batches, couplings.size))
    if events.n_sampled == 0:
        return out, reps
    _, br = photon_decay(model, point)
    passed = (
        events.passed if events.passed is not None else photon_cuts(events.photon_isr, events.photon_decay, selection)
    )
    keep = passed & (events.weight > 0.0)
    w, bg = events.weight[keep], events.betagamma[keep]
    if w.size == 0 or br == 0.0:
        return out, reps
    batch = np.flatnonzero(keep) % batches if batches else None
    n_out = (
        events.n_sampled - np.bincount(np.arange(events.n_sampled) % batches, minlength=batches) if batches else None
    )
    power = model.scan.power
    gamma_unit = model.llp_width_unit(point)
    r_max = selection.decay_radius_max_m
    for j, cpl in enumerate(couplings):
        scale = cpl**power
        if math.isinf(r_max):
            p_dec = np.ones_like(w)
        else:
            # R_max / (beta gamma c tau); -expm1 keeps P_dec ~ d^2 exact for tiny couplings
            p_dec = -np.expm1(-r_max * gamma_unit * scale / (bg * HBARC_GEV_M))
        terms = w * p_dec
        total = float(np.sum(terms))
        out[j] = GEV2_TO_FB * scale * br * total / events.n_sampled
        if batch is not None and n_out is not None:
            rest = total - np.bincount(batch, weights=terms, minlength=batches)
            reps[:, j] = GEV2_TO_FB * scale * br * rest / np.maximum(n_out, 1)
    return out, reps


@dataclass(frozen=True)
class EEMonophotonSignal:
    """One simulated point of the mono-photon bound (a :class:`darkreach.production.PointSignal`)."""

    model: DarkSectorModel
    point: Point
    events: EEEvents
    selection: EESelection
    #: jackknife batches of :meth:`expected_events_replicates` (event i in batch i mod B)
    batches: int = 20

    @property
    def summary(self) -> dict[str, float]:
        """The ISR cross section in the acceptance at unit coupling, in fb."""
        sigma = float(self.events.weight.mean()) * GEV2_TO_FB if self.events.n_sampled else 0.0
        return {"isr_cross_section_fb": sigma}

    def expected_events(self, couplings: np.ndarray, threshold: float, n_interactions: float = 1.0) -> np.ndarray:
        """Expected events in ``n_interactions`` fb^-1 with a leading photon above ``threshold`` GeV.

        A threshold above the simulated one re-cuts the same events (the sampled ISR range only drops events
        that fail the simulated cut, hence any higher one); a lower one would need events that were not sampled.
        """
        events, selection = self._selected(threshold)
        return expected_events_per_fb(self.model, self.point, events, couplings, selection) * n_interactions

    def expected_events_replicates(
        self, couplings: np.ndarray, threshold: float, n_interactions: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`expected_events` and its ``batches`` jackknife replicates (:func:`expected_events_per_fb_replicates`)."""
        events, selection = self._selected(threshold)
        nominal, reps = expected_events_per_fb_replicates(
            self.model, self.point, events, couplings, selection, self.batches
        )
        return nominal * n_interactions, reps * n_interactions

    def _selected(self, threshold: float) -> tuple[EEEvents, EESelection]:
        events, selection = self.events, self.selection
        if threshold != selection.leading_photon_min_gev:
            if threshold < selection.leading_photon_min_gev:
                raise ValueError(
                    f"the e+e- events were sampled for a leading photon above {selection.leading_photon_min_gev} GeV; "
                    f"a threshold of {threshold} GeV needs events that were not sampled"
                )
            selection = replace(selection, leading_photon_min_gev=float(threshold))
            events = replace(events, passed=photon_cuts(events.photon_isr, events.photon_decay, selection))
        return events, selection


def ee_monophoton_scan(
    model: DarkSectorModel,
    benchmark: Mapping[str, Any],
    masses: np.ndarray,
    couplings: np.ndarray,
    selection: EESelection,
    n_events: int,
    seed: int,
    threads: int = 1,
) -> ScanResult:
    """Scan masses x couplings of the e+e- mono-photon bound; expected events PER fb^-1.

    Parameters
    ----------
    model
        A model with ``ee_pair_cross_section_unit`` (TypeError otherwise), e.g. ``idm-dipole``.
    benchmark
        Fixed parameters (e.g. ``{"delta": 0.1}``); the model's ``mass_parameter`` is scanned.
    masses, couplings
        Grids (GeV; unit of ``model.scan``).
    selection
        Collider, cuts and assumptions (:class:`EESelection`).
    n_events
        Events sampled per mass.
    seed
        Master seed; mass i uses the stream (seed, i), so a mass gives the same numbers in any grid position
        only through its index.
    threads
        Masses simulated in parallel (the result does not depend on it).

    Returns
    -------
    ScanResult
        ``per_interaction`` of shape (1, n_masses, n_couplings), events per fb^-1 (``result.events(60.0)`` is
        the BaBar yield); ``thresholds`` = [leading_photon_min_gev]. Closed masses (M1 + M2 >= sqrt(s)) give 0.
    """
    if not model.has_ee_production():
        raise TypeError(
            f"model {model.name!r} ({type(model).__name__}) does not provide {CROSS_SECTION_METHOD}(point, sqrt_s); "
            "the e+e- mono-photon bound needs it"
        )
    if not isinstance(selection, EESelection):
        raise TypeError(f"selection must be an EESelection, got {type(selection).__name__}")

    def simulate(point: Point, stream_key: int, n: int) -> EEMonophotonSignal:
        events = simulate_ee_events(model, point, selection, n, seed, stream_key=stream_key)
        return EEMonophotonSignal(model, point, events, selection)

    result, summaries = scan_signals(
        model, benchmark, masses, couplings, [selection.leading_photon_min_gev], simulate, n_events, threads=threads
    )
    result.metadata.update(n_events=int(n_events), seed=int(seed), **selection_metadata(selection, summaries))
    return result


def selection_metadata(selection: EESelection, summaries: Sequence[Mapping[str, float]]) -> dict[str, Any]:
    """What a scan of the bound records: the selection, and the ISR cross section (fb, unit coupling) per point."""
    return {
        "bound": "ee_monophoton",
        "exposure_unit": "fb^-1",
        "selection": asdict(selection),
        "isr_cross_section_fb_unit_coupling": [s["isr_cross_section_fb"] for s in summaries],
    }
