"""The reference parton sample of a beam: q qbar -> phi1 phi2 generated once per sqrt(s), flat in ln sqrt(s_hat).

Why one sample serves every point (paper 003, eqs. 1.7 and 2.4)
---------------------------------------------------------------
For the vector current of eq. (1.7) (and the Z' of eq. 1.4), :mod:`.cross_section` derives

    dsigma_hat/dt = |C(s)|^2 [lambda - (t - u)^2] / (96 pi s^2),     t - u = sqrt(lambda) cos(theta*),

with lambda = lambda(s, m1^2, m2^2), theta* the angle of phi2 to the incoming quark in the hard rest frame and
|C(s)|^2 = |c_q|^2 / Lambda^4 (contact) or the Z' Breit-Wigner g_phi^2 g_q^2 / |s - M^2 + i M Gamma|^2. With
dt = sqrt(lambda)/2 dcos(theta*):

    dsigma_hat/dcos(theta*) = |C_q(s)|^2 lambda^{3/2} / (192 pi s^2) x sin^2(theta*)      (sqrt(s) > m1 + m2).

The final-state masses enter only through lambda^{3/2} and the threshold, the angular shape in the hard frame is
mass-independent, the incoming flavour enters only as |c_q|^2 and a mediator only as a function of s_hat. The
PDFs, the scale Q^2 = s_hat and ISR depend on (x1, x2, flavour) only. So one sample of (flavour, s_hat, hard
system, phi2 direction in the hard frame), generated at reference masses and couplings, becomes a sample of any
point by the per-event factor sigma_hat_point(s_i, q_i) / sigma_hat_ref(s_i) (:mod:`.reweight`).

The reference process
---------------------
m1 = m2 = :data:`REFERENCE_MASS` (1 MeV: PYTHIA needs massive new particles; the reweighting uses the exact
lambda_ref, so the choice is exact), |c_q|^2 = 1 for the five flavours d u s c b, contact operator at
Lambda_ref = :data:`REFERENCE_LAMBDA`, Q^2 = s_hat, sqrt(s_hat) from ``mhat_min`` to sqrt(s).

Importance bias
---------------
The sigma_hat of the Python ``Sigma2Process`` (:func:`.generator._sigma_class`) is multiplied by
b(s_hat) = g(s_min) / g(min(s_hat, s/4)), g = dsigma_ref/d ln s_hat of our PDF convolution
(:func:`.convolution.dsigma_dln_shat`, tabulated on :data:`BIAS_NODES` log-spaced nodes and interpolated
linearly in (ln s_hat, ln g)). PYTHIA then samples sqrt(s_hat) about flat in ln sqrt(s_hat) up to sqrt(s)/2 (above
it the bias is frozen and the spectrum falls with the PDFs): every decade of sqrt(s_hat), and so every Breit-Wigner
peak of a mediator mass, gets a similar number of events. PYTHIA's sigmaGen is then sigma_biased = int g b, and
event i carries the weight w_i = (sigma_biased / N) / b(s_hat_i), so that sum_i w_i f(event i) is an unbiased
estimate of int f dsigma_ref for any f (the accept-reject density is (g b / sigma_biased)). A violation of
PYTHIA's maximum during generation would bias that density; the run counts them (PYTHIA's warning
"maximum for cross section violated", read from :meth:`pythia.stat`'s output) and the file records the count.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass
from typing import Any

import numpy as np

from darkreach.production.partons.convolution import dsigma_dln_shat, pythia_proton_pdf
from darkreach.production.partons.generator import (
    MB_TO_PB,
    HardEvents,
    _sigma_class,
    collect_events,
    pythia_settings,
)
from darkreach.production.partons.process import QUARK_IDS, PartonProcess

__all__ = [
    "BIAS_NODES",
    "REFERENCE_LAMBDA",
    "REFERENCE_MASS",
    "ReferenceShard",
    "Bias",
    "generate_reference",
    "reference_process",
]

#: phi1 and phi2 masses (GeV) of the reference sample.
REFERENCE_MASS = 1.0e-3
#: Lambda (GeV) of the reference contact operator (|c_q|^2 = 1 for every flavour).
REFERENCE_LAMBDA = 1000.0
#: Nodes of the tabulated dsigma/d ln s_hat behind the bias.
BIAS_NODES = 64


def reference_process() -> PartonProcess:
    """The reference q qbar -> phi1 phi2 (module docstring): 1 MeV masses, |c_q|^2 = 1, contact at 1 TeV."""
    return PartonProcess(REFERENCE_MASS, REFERENCE_MASS, dict.fromkeys(QUARK_IDS, 1.0), REFERENCE_LAMBDA, -4.0, False)


@dataclass(frozen=True)
class Bias:
    """b(s_hat) = g(s_lo) / g(min(s_hat, s_flat)) of the module docstring, from ``ln_shat`` nodes and ``ln_g``."""

    ln_shat: np.ndarray
    ln_g: np.ndarray

    @classmethod
    def for_beam(cls, sqrt_s: float, mhat_min: float) -> Bias:
        """The bias for the reference process at ``sqrt_s`` from ``mhat_min`` (both GeV)."""
        if not 0.0 < mhat_min < sqrt_s / 2.0:
            raise ValueError(f"partons.mhat_min_gev must be in (0, sqrt(s)/2 = {sqrt_s / 2.0:g}), got {mhat_min!r}")
        xf = pythia_proton_pdf()[0]
        process = reference_process()
        s = sqrt_s * sqrt_s
        nodes = np.linspace(2.0 * math.log(mhat_min), math.log(s / 4.0), BIAS_NODES)
        g = np.array([dsigma_dln_shat(process, xf, s, math.exp(x)) for x in nodes])
        if not np.all(g > 0.0):
            raise ValueError(f"dsigma/d ln s_hat vanishes between {mhat_min} GeV and sqrt(s)/2 = {sqrt_s / 2} GeV")
        return cls(nodes, np.log(g))

    def __call__(self, shat: float) -> float:
        """b(s_hat) (dimensionless, 1 at the lowest node)."""
        x = min(math.log(shat), float(self.ln_shat[-1]))
        return math.exp(float(self.ln_g[0]) - float(np.interp(x, self.ln_shat, self.ln_g)))

    def values(self, shat: np.ndarray) -> np.ndarray:
        """b at every ``shat`` (array)."""
        x = np.minimum(np.log(shat), self.ln_shat[-1])
        return np.exp(self.ln_g[0] - np.interp(x, self.ln_shat, self.ln_g))


@dataclass(frozen=True)
class ReferenceShard:
    """One generated shard: the events (:class:`.generator.HardEvents`, phi1/phi2 at the reference masses), each
    event's bias b_i, PYTHIA's sigma of the biased process (mb) and its error, the number of maximum violations."""

    events: HardEvents
    bias: np.ndarray
    sigma_biased_mb: float
    sigma_biased_err_mb: float
    max_violations: int

    @property
    def weights_pb(self) -> np.ndarray:
        """w_i = (sigma_biased / N) / b_i in pb (reference process): the events' unbiased weights."""
        n = self.bias.size
        return np.asarray(self.sigma_biased_mb * MB_TO_PB / n / self.bias)


def _stat_warnings(pythia: Any) -> str:
    """PYTHIA's statistics printout (``stat``), captured from the C++ stdout."""
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 1)
        try:
            pythia.stat()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        tmp.seek(0)
        return tmp.read().decode(errors="replace")


def generate_reference(
    sqrt_s: float, n_events: int, seed: int, mhat_min: float = 4.0, isr: bool = False
) -> ReferenceShard:
    """Generate ``n_events`` of the reference process at ``sqrt_s`` with the bias (module docstring).

    Raises
    ------
    ValueError
        For ``n_events < 1`` or an ``mhat_min`` outside (0, sqrt(s)/2).
    RuntimeError
        When PYTHIA rejects a setting, fails to initialise, or fails to generate.
    """
    import pythia8mc

    if n_events < 1:
        raise ValueError(f"partons.events_per_shard must be at least 1, got {n_events!r}")
    bias = Bias.for_beam(sqrt_s, mhat_min)
    process = reference_process()
    pythia = pythia8mc.Pythia("", False)
    sigma_obj = _sigma_class()(process, bias)
    pythia.setSigmaPtr(sigma_obj)
    for line in pythia_settings(process, sqrt_s, mhat_min, sqrt_s, seed, isr):
        if not pythia.readString(line):
            raise RuntimeError(f"PYTHIA rejected the setting {line!r}")
    if not pythia.init():
        raise RuntimeError(f"PYTHIA failed to initialise the reference q qbar -> phi1 phi2 at sqrt(s) = {sqrt_s} GeV")
    events = collect_events(pythia, n_events, isr, "reference sample")
    info = pythia.infoPython()
    sigma, error = info.sigmaGen(), info.sigmaErr()
    violations = _stat_warnings(pythia).count("maximum for cross section violated")
    if not (np.all(np.isfinite(events.phi1)) and np.all(np.isfinite(events.phi2)) and sigma > 0.0):
        raise FloatingPointError("PYTHIA returned non-finite momenta or a non-positive cross section")
    return ReferenceShard(events, bias.values(events.sqrt_shat**2), float(sigma), float(error), violations)
