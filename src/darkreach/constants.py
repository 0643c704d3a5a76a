"""Physical constants in natural units (GeV, metres), taken from CODATA via :mod:`scipy.constants`."""

from __future__ import annotations

import math

import scipy.constants as _sc

#: Fine-structure constant alpha (CODATA).
ALPHA_EM: float = _sc.fine_structure
#: Electric charge e = sqrt(4 pi alpha) in natural (Heaviside-Lorentz) units.
E_CHARGE: float = math.sqrt(4.0 * math.pi * ALPHA_EM)
#: hbar * c in GeV * m, used to turn a width in GeV into c*tau in metres.
HBARC_GEV_M: float = _sc.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e-3 * 1e-15
#: Fermi constant in GeV^-2.
G_FERMI: float = _sc.physical_constants["Fermi coupling constant"][0]
#: 1 mb in GeV^-2 is not needed; cross sections are kept in mb throughout.
MB: float = 1.0


def ctau_from_width(width_gev: float) -> float:
    """Return the proper decay length c*tau in metres for a total width in GeV.

    A zero width (stable particle) returns ``math.inf``.
    """
    if width_gev < 0.0:
        raise ValueError(f"width must be non-negative, got {width_gev!r}")
    if width_gev == 0.0:
        return math.inf
    return HBARC_GEV_M / width_gev
