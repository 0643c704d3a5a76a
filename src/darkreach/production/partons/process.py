"""What a model tells the parton source: its q qbar -> phi1 phi2 process (the model hook).

A model with direct parton production returns a :class:`PartonProcess` from
:meth:`darkreach.models.base.DarkSectorModel.parton_process` (None: the model has none). The process is the
vector-current matrix element of :mod:`.cross_section` with

* ``quark_couplings``: |c_q|^2 = c_Vq^2 + c_Aq^2 per quark flavour (PDG id 1..5, d u s c b) at the reference
  coupling: the Wilson coefficients of eq. (1.7) for a contact operator, g_Vq^2 + g_Aq^2 for a Z';
* ``mediator``: None for the contact operator 1/Lambda^2 (eq. 1.7) at ``reference_coupling`` = Lambda; or a
  :class:`Mediator` (mass M, total width Gamma, dark coupling g_phi) for the Z' s-channel of eq. (1.4) with the
  full Breit-Wigner;
* how the production scales with the model's scanned coupling c: sigma(c) = sigma(c_ref) (c/c_ref)^power
  (``production_power``: -4 for the EFT's Lambda; +2 for a kinetic mixing epsilon, whose g_q is linear in it);
* ``eft_cut``: keep only events with sqrt(s_hat) <= c (the EFT-validity cut sqrt(s_hat) <= M_cut = g* Lambda
  with g* = 1, sec. 2.2 of paper 003); only meaningful when the scanned coupling is the EFT scale;
* ``scanned_mediator``: a :class:`ScannedMediator` when the mediator's mass *is* the scanned coupling
  (M = c x unit, the heavy Z' of sec. 4.1 scanned in M_Z'); see below.

The mediator mass as the scanned coupling (per-event reweighting)
-----------------------------------------------------------------
Near the pole sigma(M) is no power of M, so one sample cannot be scaled to every M. The events are generated
instead for the *contact operator* at ``reference_coupling`` = Lambda_ref (GeV, ``mediator = None``) with the
same ``quark_couplings`` |c_q|^2 = g_Vq^2 + g_Aq^2 as the Z', and every event is reweighted at every scanned M.
This is exact: the partonic cross section of :mod:`.cross_section` is

    dsigma_q/dt (s, t) = F_q(s) x [lambda(s, m1^2, m2^2) - (t - u)^2] / (96 pi s^2),

with the same Lorentz structure (the vector current q^mu = (p4 - p3)^mu contracted with the quark current) for the
contact operator, F_q = |c_q|^2 / Lambda^4, and for the Z', F_q = g_phi^2 g_q^2 / [(s - M^2)^2 + M^2 Gamma^2]
(the propagator only multiplies the amplitude by a function of s). At fixed s_hat = s_i every kinematic
distribution (t, the PDFs at x1 x2 = s_i/s and Q^2 = s_i, hence the phi2 momentum) is therefore identical, and
the Z' sample is the contact sample with each weight multiplied by

    r_i(M) = F_q^Z'(s_i) / F_q^contact = [g_phi^2 g_q^2 / ((s_i - M^2)^2 + M^2 Gamma(M)^2)] / [g_q^2 / Lambda_ref^4]
           = g_phi^2 Lambda_ref^4 / [(s_i - M^2)^2 + M^2 Gamma(M)^2],

the same for every incoming flavour (g_q^2 cancels flavour by flavour), so no per-event flavour is needed and any
flavour pattern of the quark couplings is exact. Gamma(M) is the Z' total width at that M
(``ScannedMediator.width``, from the model: eq. B.1). ``production_power`` is 0 and there is no EFT cut; the
process at one coupling, with an ordinary :class:`Mediator`, is :meth:`PartonProcess.at_coupling`.

The LLP of the process is phi2 (particle 4, mass ``m_llp``); its partner phi1 (particle 3) has ``m_partner``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from darkreach.production.partons.cross_section import coupling_factor, sigma_hat, zprime_coupling_factor
from darkreach.sensitivity.chain import PRODUCTION_BREIT_WIGNER, PRODUCTION_CUT, PRODUCTION_NONE

__all__ = ["QUARK_IDS", "Mediator", "PartonProcess", "ScannedMediator"]

#: Incoming quark flavours of the q qbar flux, PDG ids (PYTHIA's default 5 flavours: d u s c b).
QUARK_IDS: tuple[int, ...] = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Mediator:
    """An s-channel vector of eq. (1.4): mass and total width in GeV, coupling ``g_phi`` to the dark current."""

    mass: float
    width: float
    g_phi: float

    def __post_init__(self) -> None:
        if not (self.mass > 0.0 and math.isfinite(self.mass)):
            raise ValueError(f"mediator mass must be positive and finite, got {self.mass!r}")
        if not (self.width >= 0.0 and math.isfinite(self.width)):
            raise ValueError(f"mediator width must be non-negative and finite, got {self.width!r}")
        if not math.isfinite(self.g_phi):
            raise ValueError(f"g_phi must be finite, got {self.g_phi!r}")


@dataclass(frozen=True)
class ScannedMediator:
    """An s-channel vector of eq. (1.4) whose mass is the scanned coupling c: M = c x ``unit`` GeV.

    ``width`` gives the total width Gamma(M) in GeV at a mass M in GeV (the model's, e.g. eq. B.1 summed with its
    thresholds); ``g_phi`` is the coupling to the dark current.
    """

    unit: float
    g_phi: float
    width: Callable[[float], float]

    def __post_init__(self) -> None:
        if not (self.unit > 0.0 and math.isfinite(self.unit)):
            raise ValueError(f"scanned mediator: unit must be positive and finite, got {self.unit!r}")
        if not math.isfinite(self.g_phi):
            raise ValueError(f"scanned mediator: g_phi must be finite, got {self.g_phi!r}")

    def mediator(self, coupling: float) -> Mediator:
        """The :class:`Mediator` at scanned coupling ``coupling``: M = c x unit, Gamma(M) (positive, finite)."""
        mass = float(coupling) * self.unit
        if not (mass > 0.0 and math.isfinite(mass)):
            raise ValueError(f"scanned mediator: the coupling must give a positive finite mass, got {coupling!r}")
        width = float(self.width(mass))
        if not (width > 0.0 and math.isfinite(width)):
            raise ValueError(f"scanned mediator: the total width at M = {mass!r} GeV must be positive, got {width!r}")
        return Mediator(mass=mass, width=width, g_phi=self.g_phi)


@dataclass(frozen=True)
class PartonProcess:
    """q qbar -> phi1 phi2 of one model point (see the module docstring)."""

    m_partner: float
    m_llp: float
    quark_couplings: Mapping[int, float]
    reference_coupling: float
    production_power: float
    eft_cut: bool
    mediator: Mediator | None = None
    label: str = field(default="q qbar -> phi1 phi2")
    scanned_mediator: ScannedMediator | None = None

    def __post_init__(self) -> None:
        if not (self.m_partner >= 0.0 and self.m_llp > 0.0):
            raise ValueError(f"masses must be m_partner >= 0 and m_llp > 0, got {self.m_partner!r}, {self.m_llp!r}")
        unknown = sorted(set(self.quark_couplings) - set(QUARK_IDS))
        if unknown:
            raise ValueError(f"quark_couplings: unknown PDG id(s) {unknown}; known: {QUARK_IDS}")
        for pid, c2 in self.quark_couplings.items():
            if not (c2 >= 0.0 and math.isfinite(c2)):
                raise ValueError(f"quark_couplings[{pid}] = |c_q|^2 must be non-negative and finite, got {c2!r}")
        if not (self.reference_coupling > 0.0 and math.isfinite(self.reference_coupling)):
            raise ValueError(f"reference_coupling must be positive and finite, got {self.reference_coupling!r}")
        if self.eft_cut and self.mediator is not None:
            raise ValueError("the EFT cut sqrt(s_hat) <= Lambda applies to the contact operator, not to a mediator")
        if self.scanned_mediator is not None and (self.mediator is not None or self.eft_cut or self.production_power):
            raise ValueError(
                "a scanned mediator reweights a contact sample: it needs mediator = None, eft_cut = False and "
                f"production_power = 0, got {self.mediator!r}, {self.eft_cut!r}, {self.production_power!r}"
            )
        object.__setattr__(self, "quark_couplings", MappingProxyType({int(k): float(v) for k, v in
                                                                        self.quark_couplings.items()}))  # fmt: skip

    @property
    def threshold(self) -> float:
        """m1 + m2: the smallest sqrt(s_hat) that produces the pair (GeV)."""
        return self.m_partner + self.m_llp

    def coupling_squared(self, quark: int) -> float:
        """|c_q|^2 of incoming flavour ``quark`` (sign of the PDG id ignored; 0 for an unlisted flavour)."""
        return self.quark_couplings.get(abs(int(quark)), 0.0)

    def factor(self, s: ArrayLike, quark: int) -> np.ndarray:
        """|amplitude coupling|^2 at partonic ``s`` for ``quark``: c_q^2 / c_ref^4 (contact, c_ref = Lambda) or
        the Z' Breit-Wigner g_phi^2 g_q^2 / |s - M^2 + i M Gamma|^2 (GeV^-4)."""
        c2 = self.coupling_squared(quark)
        s = np.asarray(s, dtype=np.float64)
        if self.mediator is None:
            return np.full_like(s, coupling_factor(c2, self.reference_coupling))
        med = self.mediator
        return zprime_coupling_factor(s, c2, med.g_phi, med.mass, med.width)

    def sigma_hat(self, s: ArrayLike, quark: int) -> np.ndarray:
        """sigma(q qbar -> phi1 phi2) in GeV^-2 for flavour ``quark`` at partonic ``s`` (GeV^2)."""
        return sigma_hat(s, self.m_partner, self.m_llp, self.factor(s, quark))

    def coupling_weight(self, couplings: ArrayLike) -> np.ndarray:
        """sigma(c) / sigma(c_ref) = (c / c_ref)^power at each scanned coupling (1 for a scanned mediator: its
        coupling dependence is in :meth:`production_factors`)."""
        c = np.asarray(couplings, dtype=np.float64)
        return (c / self.reference_coupling) ** self.production_power

    def at_coupling(self, coupling: float) -> PartonProcess:
        """The process whose reference is scanned coupling ``coupling``, for a cross section there (times
        :meth:`coupling_weight`): for a scanned mediator the Z' with its Breit-Wigner at M = c x unit (what a direct
        generation at that M samples); otherwise the process itself."""
        if self.scanned_mediator is None:
            return self
        return dataclasses.replace(self, mediator=self.scanned_mediator.mediator(coupling), scanned_mediator=None)

    def production_factors(self, couplings: ArrayLike) -> tuple[int, np.ndarray | None]:
        """The per-event production factor of the sum kernel at each scanned coupling
        (:func:`darkreach.sensitivity.chain.probability_sums`): ``(kind, params)``.

        * scanned mediator: :data:`~darkreach.sensitivity.chain.PRODUCTION_BREIT_WIGNER` with
          params[j] = (g_phi^2 Lambda_ref^4, M_j^2, M_j^2 Gamma(M_j)^2): r_i(M_j) of the module docstring;
        * EFT cut: :data:`~darkreach.sensitivity.chain.PRODUCTION_CUT` with params[j, 0] = c_j (sqrt(s_hat) <= c_j);
        * otherwise :data:`~darkreach.sensitivity.chain.PRODUCTION_NONE` and no params.
        """
        c = np.asarray(couplings, dtype=np.float64)
        if self.scanned_mediator is not None:
            params = np.empty((c.size, 3))
            for j, cj in enumerate(c):
                med = self.scanned_mediator.mediator(float(cj))
                params[j] = (med.g_phi**2 * self.reference_coupling**4, med.mass**2, (med.mass * med.width) ** 2)
            return PRODUCTION_BREIT_WIGNER, params
        if self.eft_cut:
            params = np.zeros((c.size, 3))
            params[:, 0] = c
            return PRODUCTION_CUT, params
        return PRODUCTION_NONE, None
