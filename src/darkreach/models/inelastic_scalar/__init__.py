"""Inelastic dark scalars phi1, phi2 of paper 003 (Bertuzzo & Taoso), the ``inelastic-scalar`` model.

A complex scalar split in mass, m2 = (1 + delta) m1, coupled to the SM through the dimension-6 vector-current EFT
J_phi f-bar gamma f / Lambda^2 (eqs. 1.7-1.9); the scanned coupling is Lambda. The package is split by job:

``couplings``
    the SM fermion table, the Wilson coefficients (:class:`ScalarCouplings`, democratic benchmark) and the meson
    couplings c_P, c_P', f_V (A.4, A.7, A.9, A.12);
``production``
    Gamma(V -> phi1 phi2) and Gamma(P -> phi1 phi2 gamma) (A.11, with its misprint corrected);
``decays``
    the phi2 -> phi1 X widths (A.13-A.14), ChPT below and pQCD above m2 - m1 = 2 GeV, the neutrino convention;
``zprime``
    the Z' behind the EFT: matching (4.1, 4.3) and the Z' widths (B.1);
``model``
    :class:`InelasticScalar`, the widths turned into production and decay channels;
``numerics``
    phase-space functions and quadrature shared by the widths.
"""

from __future__ import annotations

from darkreach.models.inelastic_scalar.couplings import (
    DEMOCRATIC,
    F_PAPER,
    PRODUCTION_MESONS,
    ScalarCouplings,
)
from darkreach.models.inelastic_scalar.decays import PHI2_CHANNELS
from darkreach.models.inelastic_scalar.model import (
    M2,
    PSEUDOSCALAR_MESONS,
    SIGNAL_CHANNELS,
    VECTOR_MESONS,
    InelasticScalar,
    meson_unit_widths,
    phi2_unit_widths,
    point_couplings,
    wess_zumino_constant,
)

__all__ = [
    "DEMOCRATIC",
    "F_PAPER",
    "M2",
    "PHI2_CHANNELS",
    "PRODUCTION_MESONS",
    "PSEUDOSCALAR_MESONS",
    "SIGNAL_CHANNELS",
    "VECTOR_MESONS",
    "InelasticScalar",
    "ScalarCouplings",
    "meson_unit_widths",
    "phi2_unit_widths",
    "point_couplings",
    "wess_zumino_constant",
]
