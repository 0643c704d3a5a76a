"""The ``inelastic-scalar-zprime`` model: the dark scalars of paper 003 with a heavy vector Z' (sec. 4.1).

The Z' of eq. (1.4) couples to the dark current J_phi (eq. 1.5) with g_phi and to the SM fermions with
flavour-blind *vector* couplings (eq. 1.10 with g_L^f = g_R^f): g_Vq to every quark, g_Vl to every charged lepton;
neutrinos are left-handed with g_L = g_Vl (the SU(2)_L partners of the charged leptons, eq. 1.4 is written for
chiral multiplets; :func:`~darkreach.models.inelastic_scalar.zprime.zprime_chiral_couplings`). The paper's two
benchmarks (sec. 4.1, Fig. 5) are g_Vq = 0.25, g_Vl = 0 (hadrophilic) and g_Vq = 0.1, g_Vl = 0.01, with g_phi = 1.

Matching (eq. 4.1)
------------------
Meson decays into phi1 phi2 and phi2 -> phi1 X happen at momentum transfers q^2 <= M_Upsilon^2 ~ 90 GeV^2,
far below M_Z'^2 for the Z' masses of Fig. 5 (M_Z' of order TeV). There the Z' is integrated out and every rate is
that of the EFT of eq. (1.7) with c_fL/Lambda^2 = g_phi g_L^f / M_Z'^2, c_fR/Lambda^2 = g_phi g_R^f / M_Z'^2
(eq. 4.1), which is what the paper uses for CHARM, SHiP and FASER (and the meson part of MATHUSLA). This model
*is* that EFT: all widths are those of :class:`~darkreach.models.inelastic_scalar.InelasticScalar` (production
A.11, phi2 decays A.13-A.14 with the ChPT / pQCD switch and the neutrino convention), evaluated with the matched
coefficients (:func:`~darkreach.models.inelastic_scalar.zprime.couplings_from_zprime`). The neglected propagator
correction multiplies a rate at momentum transfer q^2 by (1 - q^2/M_Z'^2)^-2: for Upsilon -> phi1 phi2 (q^2 =
M_Upsilon^2) that is < 1e-4 at M_Z' = 1 TeV, 12 % at 40 GeV, 23 % at 30 GeV and 66 % at 20 GeV, so contour edges
below M_Z' ~ 0.03 TeV are indicative only (docs/physics.md). On-shell Z' production at the LHC (parton production
at MATHUSLA, sec. 4.1) is *not* part of this model's meson channels: it is its parton process.

Parton production (MATHUSLA, Fig. 5)
------------------------------------
q qbar -> Z'(*) -> phi1 phi2 with the full Breit-Wigner of eq. (1.4) and no EFT cut (sec. 2.2: "this cut is not
needed when we consider the Z' model"): :meth:`InelasticScalarZprime.parton_process`. Its cross section is not a
power of M_Z' (on-shell peak for M_Z' < sqrt(s)), so the parton source generates the contact operator (1.7) at
Lambda_ref = :data:`~darkreach.models.inelastic_scalar.model.PARTON_REFERENCE_LAMBDA` with |c_q|^2 = g_Vq^2, and
the signal reweights every event at every scanned M_Z' by g_phi^2 Lambda_ref^4 / [(s_hat - M^2)^2 + M^2 Gamma^2]
(exact at fixed s_hat, :mod:`darkreach.production.partons.process`). Gamma(M_Z') is the total width of eq. (B.1):
q qbar (six flavours, free quarks, top above 2 m_t), l+l-, nu nu (g_L = g_Vl) and phi1 phi2, each with its
threshold (:func:`~darkreach.models.inelastic_scalar.zprime.zprime_total_width`).

Scanned coupling
----------------
M_Z' in **TeV** (``--mzprime``), the unit of Fig. 5 of the paper. Every width is proportional to M_Z'^-4
(``ScanSpec.power = -4``); the unit-coupling widths are those at M_Z' = 1 TeV.

Parameters
----------
``m1``, ``delta``
    as for ``inelastic-scalar`` (eq. 1.3; the LLP is phi2, m2 = (1 + delta) m1); ``m2`` may replace ``m1``;
``g_Vq``, ``g_Vl``
    vector couplings of the Z' to quarks and to leptons (eq. 1.10), >= 0, not both 0. With g_Vl = 0 phi2 has
    no leptonic (and no neutrino) decay: it decays into phi1 + hadrons only;
``g_phi`` (optional, default 1)
    coupling of the Z' to the dark current J_phi, eq. (1.4);
``neutrino_convention`` (optional)
    as for ``inelastic-scalar`` (default ``paper``).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from darkreach.models.base import DELTA, M1, ParameterSpec, Point, ScanSpec
from darkreach.models.inelastic_scalar.couplings import ScalarCouplings
from darkreach.models.inelastic_scalar.model import NEUTRINO_CONVENTION, PARTON_REFERENCE_LAMBDA, InelasticScalar
from darkreach.models.inelastic_scalar.numerics import m2_from_delta
from darkreach.models.inelastic_scalar.zprime import (
    couplings_at_unit_scale,
    couplings_from_zprime,
    zprime_chiral_couplings,
    zprime_total_width,
)
from darkreach.models.registry import register_model

if TYPE_CHECKING:
    from darkreach.production.partons.process import PartonProcess

#: GeV per TeV: the scanned M_Z' is in TeV, the EFT widths are tabulated in GeV.
GEV_PER_TEV: float = 1000.0
#: Default coupling of the Z' to the dark current (g_phi = 1 in every benchmark of paper 003, sec. 4).
DEFAULT_G_PHI: float = 1.0

G_PHI = ParameterSpec(
    "g_phi",
    float,
    help="coupling g_phi of the Z' to the dark current J_phi, eq. (1.4) of paper 003 (default 1)",
    optional=True,
    cli_flag="--g-phi",
)
G_VQ = ParameterSpec(
    "g_Vq", float, help="vector coupling g_Vq of the Z' to every quark, eq. (1.10)", cli_flag="--g-vq", allow_zero=True
)
G_VL = ParameterSpec(
    "g_Vl",
    float,
    help="vector coupling g_Vl of the Z' to every lepton (neutrinos: g_L = g_Vl), eq. (1.10)",
    cli_flag="--g-vl",
    allow_zero=True,
)


def g_phi_of(point: Point) -> float:
    """The point's g_phi (:data:`DEFAULT_G_PHI` when absent or None)."""
    value = point.get("g_phi")
    if value is None:
        return DEFAULT_G_PHI
    G_PHI.validate(value)
    return float(value)


def _coupling(point: Point, spec: ParameterSpec) -> float:
    if spec.name not in point:
        raise ValueError(f"model inelastic-scalar-zprime needs parameter {spec.name!r}")
    spec.validate(point[spec.name])
    return float(point[spec.name])


def zprime_unit_couplings(point: Point) -> ScalarCouplings:
    """EFT coefficients at Lambda = 1 GeV of the point's Z' at M_Z' = 1 TeV (the unit coupling), eq. (4.1).

    c_f = g_phi g_f (1 GeV / 1 TeV)^2 for both chiralities of quarks (g_Vq) and charged leptons (g_Vl), c_L only
    for neutrinos.
    """
    g_vq, g_vl = _coupling(point, G_VQ), _coupling(point, G_VL)
    if g_vq == 0.0 and g_vl == 0.0:
        raise ValueError("g_Vq and g_Vl are both 0: the Z' does not couple to the Standard Model")
    couplings, lam = couplings_from_zprime(g_phi_of(point), g_vq, g_vl, GEV_PER_TEV)
    return couplings_at_unit_scale(couplings, lam)


@register_model
class InelasticScalarZprime(InelasticScalar):
    """Inelastic dark scalars with a heavy vector Z' (paper 003 sec. 4.1), the matched EFT; see the module doc."""

    name = "inelastic-scalar-zprime"
    parameter_specs = (M1, DELTA, G_VQ, G_VL, G_PHI, NEUTRINO_CONVENTION)
    scan = ScanSpec(
        "M_Zprime",
        "TeV",
        -4.0,
        "mass of the heavy Z' of eq. (1.4), matched onto the EFT by eq. (4.1)",
        cli_option="--mzprime",
        search_range=(1e-3, 1e3),
    )

    def validate_point(self, point: Point) -> None:
        """The declared parameters, then g_Vq and g_Vl not both 0 (``ValueError`` naming them)."""
        super().validate_point(point)
        zprime_unit_couplings(point)

    @staticmethod
    def _parts(point: Point) -> tuple[float, float, ScalarCouplings]:
        return float(point["m1"]), float(point["delta"]), zprime_unit_couplings(point)

    def parton_process(self, point: Point) -> PartonProcess:
        """q qbar -> Z'(*) -> phi1 phi2 (eq. 1.4, module docstring): the contact sample at Lambda_ref with
        |c_q|^2 = g_Vq^2 (d u s c b), reweighted per event to the Breit-Wigner at M_Z' = c x 1 TeV with the (B.1)
        total width; production_power 0, no EFT cut."""
        from darkreach.production.partons.process import QUARK_IDS, PartonProcess, ScannedMediator

        self.validate_point(point)
        m1, delta = float(point["m1"]), float(point["delta"])
        m2 = m2_from_delta(m1, delta)
        g_vq, g_phi = _coupling(point, G_VQ), g_phi_of(point)
        g_l, g_r = zprime_chiral_couplings(g_vq, _coupling(point, G_VL))
        width = partial(zprime_total_width, m1=m1, m2=m2, g_phi=g_phi, g_L=g_l, g_R=g_r)
        return PartonProcess(
            m_partner=m1,
            m_llp=m2,
            quark_couplings={pid: g_vq**2 for pid in QUARK_IDS},
            reference_coupling=PARTON_REFERENCE_LAMBDA,
            production_power=0.0,
            eft_cut=False,
            label="q qbar -> Z'(*) -> phi1 phi2 (heavy Z', eq. 1.4)",
            scanned_mediator=ScannedMediator(unit=GEV_PER_TEV, g_phi=g_phi, width=width),
        )
