r"""Invisible quarkonium decays (paper 003, sec. 2.3): bounds ``upsilon-invisible`` and ``jpsi-invisible``.

BR(V -> phi1 phi2) = Gamma(V -> phi1 phi2) / Gamma_tot(V), the width of (A.11) first line with f_V from the measured
e+e- width (A.12), :func:`darkreach.models.inelastic_scalar.production.vector_to_phi1phi2_width` (through the
model's :func:`~darkreach.models.inelastic_scalar.model.meson_unit_widths`, at Lambda = 1 GeV), the total width
from :mod:`particle` (:data:`darkreach.mesons.MESONS`). Gamma ~ Lambda^-4, so BR < BR_max excludes

    Lambda < Lambda_BR = [Gamma(Lambda = 1 GeV) / (BR_max Gamma_tot)]^(1/4)

(down to the bottom of the coupling range: the lower end is open). Limits:

* Upsilon(1S): BR(invisible) < 3e-4, BaBar, Phys. Rev. Lett. 103 (2009) 251801, arXiv:0908.2840 (ref. [62]);
* J/psi: BR(invisible) < 7.2e-4 (90 % CL), BES, Phys. Rev. Lett. 100 (2008) 192001, arXiv:0710.0039 (ref. [63];
  paper 003 quotes it without the number).

phi2 must escape (sec. 2.3): c tau(phi2) <beta gamma>_lab > L. The decay length requirement is evaluated at the
bound's edge Lambda_BR (``cutoff = "edge"``, the paper's vertical cut: the only Lambda of a region open below)
or at every Lambda (``cutoff = "pointwise"``: [Lambda_dec, Lambda_BR]).

The quarkonium momentum (assumption, documented per bound):

* Upsilon(1S) at BaBar is tagged in Upsilon(3S) -> pi+ pi- Upsilon(1S). The dipion takes Q = M(3S) - M(1S) -
  2 m_pi ~ 0.62 GeV, so the Upsilon(1S) moves with beta gamma <~ 0.05 in the Upsilon(3S) frame, negligible next to
  the PEP-II boost of the Upsilon(3S) (9.0 GeV e- on 3.1 GeV e+: beta gamma = 0.56 along the beam). We take the
  Upsilon(1S) with beta gamma = 0.56 and L = 3 m (paper 003);
* J/psi at BES (BEPC, symmetric beams) is tagged in psi(2S) -> pi+ pi- J/psi: taken at rest (its beta gamma
  <~ 0.1 in the psi(2S) frame is neglected), with the same L = 3 m (assumption: the paper gives none for the
  J/psi; the BESII detector is of a similar size).

<beta gamma>_lab of phi2: two-body decay, isotropic in the quarkonium frame (|p*| = lambda^(1/2)/(2M)), boosted
by the quarkonium's beta gamma; the angular average is done with 64-point Gauss-Legendre quadrature in cos theta*.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from darkreach.bounds.base import Bound, Excluded, clip_interval, register_bound
from darkreach.constants import HBARC_GEV_M
from darkreach.mesons import MESONS
from darkreach.models.base import DarkSectorModel, Point

__all__ = ["JpsiInvisible", "QuarkoniumInvisible", "UpsilonInvisible", "lab_mean_betagamma"]

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)


def lab_mean_betagamma(meson_mass: float, m_llp: float, m_partner: float, parent_betagamma: float) -> float:
    """<|p_lab|>/m_llp of the LLP of V -> LLP + partner, isotropic in the V frame, V moving with ``parent_betagamma``.

    0 when the decay is closed.
    """
    if m_llp + m_partner >= meson_mass:
        return 0.0
    lam = (meson_mass**2 - (m_llp + m_partner) ** 2) * (meson_mass**2 - (m_llp - m_partner) ** 2)
    p_star = math.sqrt(lam) / (2.0 * meson_mass)
    e_star = math.sqrt(p_star**2 + m_llp**2)
    bg = float(parent_betagamma)
    gamma = math.sqrt(1.0 + bg * bg)
    p_par = gamma * p_star * _NODES + bg * e_star
    p_perp2 = p_star**2 * (1.0 - _NODES**2)
    return float(0.5 * np.sum(_WEIGHTS * np.sqrt(p_par**2 + p_perp2))) / m_llp


class QuarkoniumInvisible(Bound):
    """BR(V -> invisible) < ``br_max`` with phi2 escaping ``decay_length_min_m`` (module docstring)."""

    models: ClassVar[tuple[str, ...]] = ("inelastic-scalar",)
    meson: ClassVar[str]
    default_br_max: ClassVar[float]
    default_betagamma: ClassVar[float]

    def __init__(
        self,
        br_max: float | None = None,
        decay_length_min_m: float = 3.0,
        meson_betagamma: float | None = None,
        cutoff: str = "edge",
    ) -> None:
        self.br_max = self.default_br_max if br_max is None else float(br_max)
        self.betagamma = self.default_betagamma if meson_betagamma is None else float(meson_betagamma)
        self.decay_length = float(decay_length_min_m)
        for key, value in (("br_max", self.br_max), ("decay_length_min_m", self.decay_length)):
            if not (0.0 < value < math.inf):
                raise ValueError(f"{key} must be a positive finite number, got {value!r}")
        if not (0.0 <= self.betagamma < math.inf):
            raise ValueError(f"meson_betagamma must be a non-negative finite number, got {self.betagamma!r}")
        if cutoff not in ("edge", "pointwise"):
            raise ValueError(f"cutoff must be 'edge' or 'pointwise', got {cutoff!r}")
        self.cutoff = cutoff

    def branching_ratio_unit(self, point: Point) -> float:
        """BR(V -> phi1 phi2) at Lambda = 1 GeV (A.11, A.12; exactly 0 when closed)."""
        from darkreach.models.inelastic_scalar.model import meson_unit_widths, point_couplings

        widths = meson_unit_widths(float(point["m1"]), float(point["delta"]), point_couplings(point))
        return widths[self.meson] / MESONS[self.meson].width

    def lambda_bound(self, point: Point) -> float:
        """Lambda_BR (GeV); 0 when the decay is closed."""
        return (self.branching_ratio_unit(point) / self.br_max) ** 0.25

    def lambda_decay(self, model: DarkSectorModel, point: Point) -> float:
        """Lambda above which c tau(phi2) <beta gamma>_lab > the decay length (inf when closed)."""
        m1, m2 = float(point["m1"]), model.llp_mass(point)
        bg = lab_mean_betagamma(MESONS[self.meson].mass, m2, m1, self.betagamma)
        if bg == 0.0:
            return math.inf
        return (self.decay_length * model.llp_width_unit(point) / (HBARC_GEV_M * bg)) ** 0.25

    def excluded(self, model: DarkSectorModel, point: Point, coupling_range: tuple[float, float]) -> list[Excluded]:
        self.check_model(model)
        model.validate_point(point)
        top = self.lambda_bound(point)
        if top == 0.0:
            return []
        lam_dec = self.lambda_decay(model, point)
        if lam_dec >= top:
            return []
        low = 0.0 if self.cutoff == "edge" else lam_dec
        interval = clip_interval(low, top, *coupling_range)
        return [] if interval is None else [interval]

    def metadata(self) -> dict[str, Any]:
        return {
            **super().metadata(),
            "meson": self.meson,
            "br_max": self.br_max,
            "meson_betagamma": self.betagamma,
            "decay_length_min_m": self.decay_length,
            "cutoff": self.cutoff,
        }


@register_bound
class UpsilonInvisible(QuarkoniumInvisible):
    """BR(Upsilon(1S) -> invisible) < 3e-4 (BaBar, arXiv:0908.2840), Upsilon(1S) at beta gamma = 0.56."""

    name: ClassVar[str] = "upsilon-invisible"
    label: ClassVar[str] = "$\\Upsilon(1S)\\to$ inv."
    source: ClassVar[str] = "paper 003 sec. 2.3; BaBar, PRL 103 (2009) 251801, arXiv:0908.2840"
    meson: ClassVar[str] = "upsilon"
    default_br_max: ClassVar[float] = 3.0e-4
    colour: ClassVar[str] = "0.6"
    #: PEP-II: 9.0 GeV e- on 3.1 GeV e+, beta gamma = 0.56 (module docstring)
    default_betagamma: ClassVar[float] = 0.56


@register_bound
class JpsiInvisible(QuarkoniumInvisible):
    """BR(J/psi -> invisible) < 7.2e-4 (BES, arXiv:0710.0039), J/psi at rest."""

    name: ClassVar[str] = "jpsi-invisible"
    label: ClassVar[str] = "$J/\\psi\\to$ inv."
    source: ClassVar[str] = "paper 003 sec. 2.3; BES, PRL 100 (2008) 192001, arXiv:0710.0039"
    meson: ClassVar[str] = "jpsi"
    default_br_max: ClassVar[float] = 7.2e-4
    colour: ClassVar[str] = "0.75"
    default_betagamma: ClassVar[float] = 0.0
