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
  with g* = 1, sec. 2.2 of paper 003); only meaningful when the scanned coupling is the EFT scale.

The LLP of the process is phi2 (particle 4, mass ``m_llp``); its partner phi1 (particle 3) has ``m_partner``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from darkreach.production.partons.cross_section import coupling_factor, sigma_hat, zprime_coupling_factor

__all__ = ["QUARK_IDS", "Mediator", "PartonProcess"]

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
        """sigma(c) / sigma(c_ref) = (c / c_ref)^power at each scanned coupling."""
        c = np.asarray(couplings, dtype=np.float64)
        return (c / self.reference_coupling) ** self.production_power
