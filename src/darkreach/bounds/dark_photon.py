r"""Bounds on the kinetic mixing epsilon of a 40 GeV dark photon (paper 003, sec. 4.2): ``ewpm``, ``ewpm-projection``,
``dilepton``.

* ``ewpm``: electroweak precision measurements, epsilon <~ 2.2e-2 at M_Z' = 40 GeV (ref. [68] of paper 003,
  Curtin, Essig, Gori, Shelton, arXiv:1412.0018, as quoted in sec. 4.2); independent of m1 and delta.
* ``ewpm-projection``: future EWPM, "about a factor of 2" better (sec. 4.2): epsilon <~ 1.1e-2 (a projection,
  drawn as a line).
* ``dilepton``: the LHCb/CMS searches for a resonance decaying to leptons, epsilon^2 <~ 3e-6 at 40 GeV for a dark
  photon decaying to SM states only (refs. [75], [76] of paper 003), rescaled by eq. (4.4):

      epsilon^2 BR(Z' -> l+l-) / BR(Z' -> l+l-)|_{g_phi = 0} <~ 3e-6.

  With the widths of eq. (B.1) (:mod:`darkreach.models.inelastic_scalar.zprime`) Gamma_SM = epsilon^2 S (S the sum
  over SM fermions at epsilon = 1, couplings g_Vf = e Q_f of eq. (4.3)) and Gamma_phi = Gamma(Z' -> phi1 phi2)
  (independent of epsilon), the ratio of branching ratios is epsilon^2 S / (epsilon^2 S + Gamma_phi), so the limit
  solves epsilon^4 S - L epsilon^2 S - L Gamma_phi = 0 (L = 3e-6):

      epsilon_max^2 = [L S + sqrt(L^2 S^2 + 4 L S Gamma_phi)] / (2 S).

  For g_phi = 1 and light scalars: epsilon_max = 3.33e-2 (paper: "epsilon <~ 3.3e-2"). When Z' -> phi1 phi2 is
  closed (m1 + m2 >= M_Z') the limit is the unrescaled sqrt(L) exactly.

These bounds act on the scan variable epsilon of a dark-photon model and take M_Z' and g_phi from the point when
the model has them as parameters (``M_Zprime``, ``g_phi``), else from the bound's options (paper: 40 GeV, 1).
The numbers are quoted at M_Z' = 40 GeV only; another M_Z' is an error, not an extrapolation.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from darkreach.bounds.base import Bound, Excluded, clip_interval, register_bound
from darkreach.models.base import DarkSectorModel, Point
from darkreach.models.inelastic_scalar.couplings import FERMIONS, colour_factor, fermion_mass
from darkreach.models.inelastic_scalar.zprime import (
    dark_photon_vector_couplings,
    zprime_width_ff,
    zprime_width_phi1phi2,
)

__all__ = ["DileptonRescaled", "EWPM", "EWPMProjection", "dilepton_epsilon_limit", "sm_width_unit_epsilon"]

#: The dark-photon mass at which sec. 4.2 quotes its limits (GeV).
M_ZPRIME_PAPER: float = 40.0
#: EWPM at 40 GeV (ref. [68] of paper 003, quoted in sec. 4.2).
EWPM_EPSILON: float = 2.2e-2
#: Improvement of future EWPM (sec. 4.2: "about a factor of 2").
EWPM_FUTURE_FACTOR: float = 2.0
#: epsilon^2 limit of the dilepton searches at 40 GeV for SM-only decays (refs. [75], [76], sec. 4.2).
DILEPTON_EPSILON2: float = 3.0e-6


def sm_width_unit_epsilon(M_Zprime: float) -> float:
    """S = sum_f Gamma(Z' -> f fbar) at epsilon = 1 (eq. B.1 with g_Vf = e Q_f, g_Af = 0 of eq. 4.3), GeV."""
    g_v = dark_photon_vector_couplings(1.0)
    return math.fsum(zprime_width_ff(M_Zprime, fermion_mass(f), g_v[f], 0.0, colour_factor(f)) for f in FERMIONS)


def dilepton_epsilon_limit(
    M_Zprime: float, m1: float, m2: float, g_phi: float, epsilon2_limit: float = DILEPTON_EPSILON2
) -> float:
    """epsilon_max of eq. (4.4) (module docstring), from the (B.1) widths."""
    if not (M_Zprime > 0 and epsilon2_limit > 0 and m1 > 0 and m2 >= m1):
        raise ValueError(f"need M_Zprime > 0, epsilon2_limit > 0, 0 < m1 <= m2; got {M_Zprime!r}, "
                         f"{epsilon2_limit!r}, {m1!r}, {m2!r}")  # fmt: skip
    s = sm_width_unit_epsilon(M_Zprime)
    dark = zprime_width_phi1phi2(M_Zprime, m1, m2, g_phi)
    lim = epsilon2_limit
    return math.sqrt((lim * s + math.sqrt(lim * lim * s * s + 4.0 * lim * s * dark)) / (2.0 * s))


class _DarkPhotonBound(Bound):
    """Common part: a limit epsilon < epsilon_max(point) on a model scanning epsilon."""

    def __init__(self, M_Zprime: float = M_ZPRIME_PAPER, g_phi: float = 1.0) -> None:
        if not math.isclose(float(M_Zprime), M_ZPRIME_PAPER, rel_tol=1e-9):
            raise ValueError(f"M_Zprime: the limits of paper 003 sec. 4.2 are quoted at 40 GeV only, got {M_Zprime!r}")
        if not (math.isfinite(float(g_phi)) and float(g_phi) >= 0.0):
            raise ValueError(f"g_phi must be a non-negative finite number, got {g_phi!r}")
        self.M_Zprime = float(M_Zprime)
        self.g_phi = float(g_phi)

    def model_problem(self, model: DarkSectorModel) -> str | None:
        if model.scan.name != "epsilon":
            return (
                f"bound {self.name!r} limits the kinetic mixing epsilon; model {model.name!r} scans {model.scan.name!r}"
            )
        return None

    def _mass(self, point: Point) -> float:
        """M_Z' of the point (a dark-photon model parameter) or of the bound; only 40 GeV is quoted."""
        value = float(point.get("M_Zprime", self.M_Zprime))
        if not math.isclose(value, M_ZPRIME_PAPER, rel_tol=1e-9):
            raise ValueError(f"M_Zprime: the limits of paper 003 sec. 4.2 are quoted at 40 GeV only, got {value!r}")
        return value

    def epsilon_max(self, point: Point) -> float:
        raise NotImplementedError  # pragma: no cover

    def excluded(self, model: DarkSectorModel, point: Point, coupling_range: tuple[float, float]) -> list[Excluded]:
        self.check_model(model)
        interval = clip_interval(self.epsilon_max(point), math.inf, *coupling_range)
        return [] if interval is None else [interval]

    def metadata(self) -> dict[str, Any]:
        return {**super().metadata(), "M_Zprime": self.M_Zprime, "g_phi": self.g_phi}


@register_bound
class EWPM(_DarkPhotonBound):
    """epsilon < 2.2e-2 at M_Z' = 40 GeV (EWPM, ref. [68] of paper 003)."""

    name: ClassVar[str] = "ewpm"
    label: ClassVar[str] = "EWPM"
    colour: ClassVar[str] = "tab:cyan"
    source: ClassVar[str] = "paper 003 sec. 4.2; Curtin, Essig, Gori, Shelton, arXiv:1412.0018"

    def epsilon_max(self, point: Point) -> float:
        self._mass(point)
        return EWPM_EPSILON


@register_bound
class EWPMProjection(_DarkPhotonBound):
    """Future EWPM: epsilon < 2.2e-2 / 2 (sec. 4.2)."""

    name: ClassVar[str] = "ewpm-projection"
    label: ClassVar[str] = "EWPM (future)"
    colour: ClassVar[str] = "tab:cyan"
    source: ClassVar[str] = "paper 003 sec. 4.2 (factor 2 on ref. [68])"
    kind: ClassVar[str] = "projection"

    def epsilon_max(self, point: Point) -> float:
        self._mass(point)
        return EWPM_EPSILON / EWPM_FUTURE_FACTOR


@register_bound
class DileptonRescaled(_DarkPhotonBound):
    """LHCb/CMS dileptons, epsilon^2 < 3e-6 rescaled by eq. (4.4) with the (B.1) widths."""

    name: ClassVar[str] = "dilepton"
    label: ClassVar[str] = "LHCb/CMS $\\ell^+\\ell^-$"
    source: ClassVar[str] = "paper 003 sec. 4.2, eq. (4.4); LHCb arXiv:1910.06926, CMS arXiv:1912.04776"

    def epsilon_max(self, point: Point) -> float:
        from darkreach.models.inelastic_scalar.numerics import m2_from_delta

        m_z = self._mass(point)
        g_phi = float(point["g_phi"]) if point.get("g_phi") is not None else self.g_phi
        m1 = float(point["m1"])
        return dilepton_epsilon_limit(m_z, m1, m2_from_delta(m1, float(point["delta"])), g_phi)
