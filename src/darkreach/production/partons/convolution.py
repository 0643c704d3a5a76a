"""sigma(pp -> phi1 phi2) as a PDF convolution of the partonic cross section, with PYTHIA's own PDF.

    sigma = sum_q  int d(ln tau) int dy  [x1 f_q(x1) x2 f_qbar(x2) + x1 f_qbar(x1) x2 f_q(x2)]  sigma_q(tau s),

with tau = x1 x2 = s_hat / s, y = ln(x1/x2)/2 (dx1 dx2 = dtau dy, f(x1) f(x2) = xf(x1) xf(x2) / tau), the
factorisation scale Q^2 = s_hat (PYTHIA's ``SigmaProcess:factorScale2 = 4``, which the generator sets too) and
x f(x, Q^2) from ``Pythia.getPDFPtr(2212).xf(id, x, Q2)`` (PYTHIA's default proton PDF). The integral runs over
sqrt(s_hat) in [max(m1 + m2, mhat_min), min(cut, sqrt(s))], Gauss-Legendre in ln(s_hat) on log-spaced pieces
and in |y|, with extra breakpoints around a mediator's pole (M +- k Gamma/2, k up to 64) so that a narrow
Breit-Wigner is integrated as accurately as the continuum. It is exactly 0 when that interval is empty (threshold
above the cut or above sqrt(s)).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import numpy as np

from darkreach.production.partons.cross_section import GEV2_TO_PB
from darkreach.production.partons.process import QUARK_IDS, PartonProcess

__all__ = ["XF", "dsigma_dln_shat", "hadronic_cross_section_pb", "pythia_proton_pdf"]

#: x f(x, Q^2) of a parton ``id`` in the proton.
XF = Callable[[int, float, float], float]

#: Gauss-Legendre nodes per log-spaced piece of ln(s_hat), number of pieces per decade, nodes in |y|.
_N_TAU, _PIECES_PER_DECADE, _N_Y = 12, 4, 24


@cache
def _gauss(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    return x, w


def pythia_proton_pdf() -> tuple[XF, str]:
    """PYTHIA's default proton PDF (``getPDFPtr(2212).xf``) and its description (the ``PDF:pSet`` word)."""
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    pdf = pythia.getPDFPtr(2212)
    pset = pythia.settings.word("PDF:pSet")

    def xf(pid: int, x: float, q2: float) -> float:
        return float(pdf.xf(pid, x, q2))

    xf.pythia = pythia  # type: ignore[attr-defined]  # keeps the owner of the PDF alive
    return xf, f"PYTHIA {pythia8mc.__name__} PDF:pSet = {pset} ({type(pdf).__name__})"


def dsigma_dln_shat(process: PartonProcess, xf: XF, s: float, shat: float) -> float:
    """dsigma/d ln(s_hat) of pp -> phi1 phi2 at hadronic ``s`` and partonic ``shat`` (GeV^2), in GeV^-2: the
    |y| integral of the module docstring's integrand (both signs of y), exactly 0 outside the open phase space."""
    y_nodes, y_weights = _gauss(_N_Y)
    tau = shat / s
    if not 0.0 < tau < 1.0:
        return 0.0
    y_max = -0.5 * math.log(tau)
    sig = {q: float(process.sigma_hat(shat, q)) for q in QUARK_IDS if process.coupling_squared(q) > 0.0}
    if not any(sig.values()):
        return 0.0
    inner = 0.0
    for yn, yw in zip(y_nodes, y_weights):
        y = 0.5 * y_max * (yn + 1.0)  # |y| in [0, y_max]; the integrand is even in y for pp
        x1, x2 = math.sqrt(tau) * math.exp(y), math.sqrt(tau) * math.exp(-y)
        if x1 >= 1.0 or x2 >= 1.0:
            continue
        lum = 0.0
        for q, sq in sig.items():
            lum += sq * (xf(q, x1, shat) * xf(-q, x2, shat) + xf(-q, x1, shat) * xf(q, x2, shat))
        inner += 0.5 * y_max * yw * lum
    return 2.0 * inner  # 2: y and -y


def _piece(process: PartonProcess, xf: XF, s: float, lo: float, hi: float) -> float:
    """The convolution for sqrt(s_hat) in [lo, hi] (GeV^-2)."""
    t_nodes, t_weights = _gauss(_N_TAU)
    a, b = 2.0 * math.log(lo), 2.0 * math.log(hi)  # ln s_hat
    total = 0.0
    for tn, tw in zip(t_nodes, t_weights):
        shat = math.exp(0.5 * (b - a) * tn + 0.5 * (a + b))
        total += 0.5 * (b - a) * tw * dsigma_dln_shat(process, xf, s, shat)
    return total


def hadronic_cross_section_pb(
    process: PartonProcess,
    xf: XF,
    sqrt_s: float,
    cut: float | None = None,
    mhat_min: float = 0.0,
    mhat_max: float | None = None,
) -> float:
    """sigma(pp -> phi1 phi2) in pb at ``sqrt_s`` (GeV) for ``process`` at its reference coupling.

    Parameters
    ----------
    cut
        keep sqrt(s_hat) <= ``cut`` (the EFT-validity cut with g* = 1, sec. 2.2 of paper 003); None: no cut.
    mhat_min, mhat_max
        the sqrt(s_hat) range (PYTHIA's ``PhaseSpace:mHatMin/mHatMax``); the lower end is at least m1 + m2.

    Returns exactly 0.0 (never NaN) when the range is empty.
    """
    if not (sqrt_s > 0.0 and math.isfinite(sqrt_s)):
        raise ValueError(f"sqrt_s must be positive and finite, got {sqrt_s!r}")
    if cut is not None and not cut > 0.0:
        raise ValueError(f"the cut on sqrt(s_hat) must be positive, got {cut!r}")
    lo = max(process.threshold, mhat_min)
    hi = min(sqrt_s, mhat_max if mhat_max is not None else sqrt_s, cut if cut is not None else sqrt_s)
    if not hi > lo:
        return 0.0
    lo = lo * (1.0 + 1e-12) if lo == process.threshold else lo
    n = max(1, math.ceil(_PIECES_PER_DECADE * math.log10(hi / lo)))
    edges = np.geomspace(lo, hi, n + 1)
    med = process.mediator
    if med is not None:  # resolve a Breit-Wigner peak: breakpoints at M +- k Gamma/2 (its half-width in sqrt(s_hat))
        poles = med.mass + 0.5 * med.width * np.array([-64.0, -16.0, -4.0, -1.0, 0.0, 1.0, 4.0, 16.0, 64.0])
        edges = np.unique(np.concatenate([edges, poles[(poles > lo) & (poles < hi)]]))
    s = sqrt_s * sqrt_s
    total = sum(_piece(process, xf, s, float(e0), float(e1)) for e0, e1 in zip(edges[:-1], edges[1:]))
    return float(total) * GEV2_TO_PB
