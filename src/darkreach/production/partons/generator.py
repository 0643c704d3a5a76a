"""q qbar -> phi1 phi2 inside PYTHIA8: the Python ``Sigma2Process``, and a direct per-point generation.

The scans do not generate per point any more: they reweight the beam's reference sample (:mod:`.reference`, which
runs :func:`_sigma_class` with an importance bias and reads events with :func:`collect_events`; :mod:`.reweight`).
The direct generation below (:func:`generate_events`) is kept to validate that reweighting (tests) and to compare.

The hard process
----------------
:class:`QQbarToPhiPair` is the matrix element of :mod:`.cross_section` as a ``pythia8mc.Sigma2Process``:
``inFlux = qqbarSame`` (q qbar of one flavour, PYTHIA's 5 incoming flavours), ``sigmaHat`` = dsigma/dt (PYTHIA
integrates over t and converts GeV^-2 to mb itself), times |c_q|^2 of the incoming flavour (or the Z'
Breit-Wigner). phi1 (9900001) and phi2 (9900002) are declared as new stable scalars with the point's masses.
The factorisation scale is Q^2 = s_hat (``SigmaProcess:factorScale2 = 4``), the scale of
:mod:`.convolution`. Parton and hadron levels are off by default; ``isr=True`` switches on initial-state
radiation only (no MPI, FSR or hadronisation), so that the recoil against ISR gives phi2 its transverse boost.

Sample once, stratified in sqrt(s_hat)
--------------------------------------
The EFT-validity cut sqrt(s_hat) <= Lambda (g* = 1, sec. 2.2 of paper 003) makes the Lambda dependence of the
parton yield more than the overall Lambda^-4. Rather than one sample per Lambda, each point is sampled once:
sqrt(s_hat) in [max(m1 + m2, mhat_min), sqrt(s)] is cut into ``slices`` log-spaced slices, PYTHIA runs each slice
with ``PhaseSpace:mHatMin/mHatMax`` at its edges and the same number of events, and every event of slice k
carries the weight sigma_k / N_k (pb, PYTHIA's ``sigmaGen`` of the slice at the reference coupling). The cross
section at any Lambda is then sum_i w_i (Lambda_ref / Lambda)^4 [sqrt(s_hat_i) <= Lambda]: whole slices below
the cut plus part of one, and the small-Lambda region keeps as many events as any other slice.

Seeds: slice k runs with ``Random:seed`` derived from (seed, k) (:func:`darkreach.seeds.derive_seed`); the same
seed gives the same events.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from darkreach.production.partons.process import PartonProcess
from darkreach.seeds import derive_seed

__all__ = [
    "ID_PHI1",
    "ID_PHI2",
    "HardEvents",
    "PartonEvents",
    "collect_events",
    "generate_events",
    "pythia_settings",
    "slice_edges",
]

#: PDG-style codes of the new particles (PYTHIA's range for user particles).
ID_PHI1, ID_PHI2 = 9900001, 9900002
#: Process code of the hard process in PYTHIA's statistics.
PROCESS_CODE = 9901
#: 1 mb in pb.
MB_TO_PB = 1.0e9


def _sigma_class() -> type:
    """The ``Sigma2Process`` subclass (built on first use: pythia8mc loads only when partons are generated)."""
    import pythia8mc

    class QQbarToPhiPair(pythia8mc.Sigma2Process):
        """q qbar -> phi1 phi2 through the vector current (see :mod:`.cross_section`)."""

        def __init__(self, process: PartonProcess, bias: Callable[[float], float] | None = None) -> None:
            super().__init__()
            self._process = process
            self._bias = bias
            self._b = 1.0
            self._c2 = {q: process.coupling_squared(q) for q in range(-5, 6)}
            med = process.mediator
            self._contact = 1.0 / process.reference_coupling**4 if med is None else 0.0
            self._med = None if med is None else (med.mass**2, (med.mass * med.width) ** 2, med.g_phi**2)
            self._kin = 0.0
            self._prop = 0.0

        def initProc(self) -> None:  # noqa: N802 - PYTHIA's name
            return None

        def sigmaKin(self) -> None:  # noqa: N802
            s, t, u = self.sH, self.tH, self.uH
            m1, m2 = self.m3, self.m4
            lam = (s - m1 * m1 - m2 * m2) ** 2 - 4.0 * m1 * m1 * m2 * m2
            self._kin = max(lam - (t - u) ** 2, 0.0) / (96.0 * math.pi * s * s)
            if self._med is None:
                self._prop = self._contact
            else:
                m2sq, mg2, gphi2 = self._med
                self._prop = gphi2 / ((s - m2sq) ** 2 + mg2)
            if self._bias is not None:
                self._b = self._bias(s)

        def sigmaHat(self) -> float:  # noqa: N802
            return self._kin * self._prop * self._b * self._c2.get(self.id1, 0.0)

        def setIdColAcol(self) -> None:  # noqa: N802
            self.setId(self.id1, self.id2, ID_PHI1, ID_PHI2)
            self.setColAcol(1, 0, 0, 1, 0, 0, 0, 0)
            if self.id1 < 0:
                self.swapColAcol()

        def name(self) -> str:
            return "q qbar -> phi1 phi2 (darkreach)"

        def code(self) -> int:
            return PROCESS_CODE

        def inFlux(self) -> str:  # noqa: N802
            return "qqbarSame"

        def id3Mass(self) -> int:  # noqa: N802
            return ID_PHI1

        def id4Mass(self) -> int:  # noqa: N802
            return ID_PHI2

    return QQbarToPhiPair


def slice_edges(process: PartonProcess, sqrt_s: float, slices: int, mhat_min: float) -> np.ndarray:
    """Log-spaced sqrt(s_hat) edges from max(m1 + m2, mhat_min) to sqrt(s); empty when closed."""
    if slices < 1:
        raise ValueError(f"partons.slices must be at least 1, got {slices!r}")
    lo = max(process.threshold * (1.0 + 1e-9), mhat_min)
    if not lo < sqrt_s:
        return np.empty(0)
    return np.geomspace(lo, sqrt_s, slices + 1)


def pythia_settings(process: PartonProcess, sqrt_s: float, lo: float, hi: float, seed: int, isr: bool) -> list[str]:
    """PYTHIA's settings for one sqrt(s_hat) slice [lo, hi] of ``process``."""
    settings = [
        "Print:quiet = on",
        "Beams:idA = 2212",
        "Beams:idB = 2212",
        f"Beams:eCM = {sqrt_s!r}",
        f"{ID_PHI1}:new = phi1 void 1 0 0 {process.m_partner!r}",
        f"{ID_PHI1}:mayDecay = off",
        f"{ID_PHI2}:new = phi2 void 1 0 0 {process.m_llp!r}",
        f"{ID_PHI2}:mayDecay = off",
        "SigmaProcess:factorScale2 = 4",
        f"PhaseSpace:mHatMin = {lo!r}",
        f"PhaseSpace:mHatMax = {hi!r}",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "HadronLevel:all = off",
        "Next:numberCount = 0",
    ]
    if isr:
        settings += ["PartonLevel:MPI = off", "PartonLevel:FSR = off", "PartonLevel:ISR = on"]
    else:
        settings += ["PartonLevel:all = off"]
    return settings


@dataclass(frozen=True)
class HardEvents:
    """What :func:`collect_events` reads from PYTHIA per event: lab four-momenta (N, 4: px, py, pz, E) of phi1 and
    phi2 (after ISR when it is on), sqrt(s_hat) (GeV) and |PDG id| of the incoming quark."""

    phi1: np.ndarray
    phi2: np.ndarray
    sqrt_shat: np.ndarray
    quark: np.ndarray


def collect_events(pythia: Any, n: int, isr: bool, what: str) -> HardEvents:
    """Generate ``n`` events with an initialised ``pythia`` running :func:`_sigma_class`'s process and read them.

    ``what`` names the run in the error raised when PYTHIA fails more than 10 n + 100 times.
    """
    p1 = np.empty((n, 4))
    p2 = np.empty((n, 4))
    mhat = np.empty(n)
    quark = np.empty(n, dtype=np.int64)
    record = pythia.event if isr else pythia.process
    done = 0
    tries = 0
    while done < n:
        tries += 1
        if tries > 10 * n + 100:
            raise RuntimeError(f"PYTHIA failed to generate q qbar -> phi1 phi2 events ({what})")
        if not pythia.next():
            continue
        found = 0
        for i in range(record.size() - 1, 0, -1):
            part = record[i]
            if part.isFinal() and part.id() in (ID_PHI1, ID_PHI2):
                target = p2 if part.id() == ID_PHI2 else p1
                target[done] = (part.px(), part.py(), part.pz(), part.e())
                found += 1
                if found == 2:
                    break
        if found != 2:
            raise RuntimeError("a generated event has no final phi1 and phi2")
        mhat[done] = pythia.infoPython().mHat()
        quark[done] = pythia.process[3].idAbs()  # the incoming partons are entries 3 and 4 of the process record
        done += 1
    return HardEvents(p1, p2, mhat, quark)


@dataclass(frozen=True)
class PartonEvents:
    """phi2 of a stratified sample: lab four-momenta (N, 4: px, py, pz, E), weights (pb at the process's reference
    coupling; they sum to sigma), sqrt(s_hat) (GeV), the slice of each event, and per slice sigma and its error;
    optionally |PDG id| of each event's incoming quark (``quark``, 1..5; None when not recorded)."""

    momenta: np.ndarray
    weights: np.ndarray
    sqrt_shat: np.ndarray
    slice_index: np.ndarray
    edges: np.ndarray
    sigma_pb: np.ndarray
    sigma_err_pb: np.ndarray
    quark: np.ndarray | None = None

    @property
    def sigma_total_pb(self) -> float:
        """sigma(pp -> phi1 phi2) summed over slices (pb, reference coupling)."""
        return float(self.sigma_pb.sum())


def _empty(edges: np.ndarray) -> PartonEvents:
    n = max(edges.size - 1, 0)
    return PartonEvents(np.empty((0, 4)), np.empty(0), np.empty(0), np.empty(0, dtype=np.int64), edges,
                        np.zeros(n), np.zeros(n))  # fmt: skip


def generate_events(
    process: PartonProcess,
    sqrt_s: float,
    n_events: int,
    seed: int,
    slices: int = 8,
    mhat_min: float = 4.0,
    isr: bool = False,
) -> PartonEvents:
    """Generate ``n_events`` (split evenly over the slices) of ``process`` at ``sqrt_s`` (see the module docstring).

    A process with no open phase space (m1 + m2 >= sqrt(s)) or no quark coupling gives an empty sample with
    sigma = 0 exactly.
    """
    import pythia8mc

    if n_events < slices:
        raise ValueError(f"need at least one event per slice: {n_events} events for {slices} slices")
    edges = slice_edges(process, sqrt_s, slices, mhat_min)
    if edges.size == 0 or not any(process.coupling_squared(q) > 0.0 for q in range(1, 6)):
        return _empty(edges)
    sigma_cls = _sigma_class()
    per_slice = np.full(slices, n_events // slices)
    per_slice[: n_events % slices] += 1
    momenta, shat, index, weights, quarks = [], [], [], [], []
    sigma = np.zeros(slices)
    error = np.zeros(slices)
    # one PYTHIA object, initialised again for each slice (its settings are all set again: new limits and seed)
    pythia = pythia8mc.Pythia("", False)
    sigma_obj = sigma_cls(process)
    pythia.setSigmaPtr(sigma_obj)
    for k in range(slices):
        for line in pythia_settings(process, sqrt_s, float(edges[k]), float(edges[k + 1]),
                                    derive_seed(seed, "partons", k), isr):  # fmt: skip
            if k > 0 and ":new" in line:
                line = line.replace(":new", ":all")  # the particle exists after the first slice: redefine it
            if not pythia.readString(line):
                raise RuntimeError(f"PYTHIA rejected the setting {line!r}")
        if not pythia.init():
            raise RuntimeError(
                f"PYTHIA failed to initialise q qbar -> phi1 phi2 for sqrt(s_hat) in [{edges[k]:.6g}, {edges[k + 1]:.6g}]"
            )
        n_k = int(per_slice[k])
        hard = collect_events(pythia, n_k, isr, f"slice {k}")
        p, m = hard.phi2, hard.sqrt_shat
        sigma[k] = pythia.infoPython().sigmaGen() * MB_TO_PB
        error[k] = pythia.infoPython().sigmaErr() * MB_TO_PB
        momenta.append(p)
        shat.append(m)
        quarks.append(hard.quark)
        index.append(np.full(n_k, k, dtype=np.int64))
        weights.append(np.full(n_k, sigma[k] / n_k))
    out = PartonEvents(np.concatenate(momenta), np.concatenate(weights), np.concatenate(shat),
                       np.concatenate(index), edges, sigma, error, np.concatenate(quarks))  # fmt: skip
    if not (np.all(np.isfinite(out.momenta)) and np.all(np.isfinite(out.weights))):
        raise FloatingPointError("PYTHIA returned non-finite phi2 momenta or weights")
    return out
