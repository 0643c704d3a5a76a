"""The ``inelastic-scalar-dark-photon`` model: the dark scalars of paper 003 with a dark photon (sec. 4.2).

A kinetically mixed vector Z' of mass M_Z' (eq. 4.2) couples to the dark current with g_phi (eq. 1.4) and, to
leading order in epsilon and M_Z'/M_Z, to the SM fermions with g_Vf = epsilon e Q_f, g_Af = 0 (eq. 4.3):
neutrinos decouple. The paper's benchmark is M_Z' = 40 GeV, g_phi = 1 (Fig. 6).

Matching (eqs. 4.1, 4.3) and where it is an approximation
---------------------------------------------------------
As in sec. 4.2 ("the same procedure outlined in sec. 4.1"), meson production and phi2 decays use the EFT of
eq. (1.7) with c_f/Lambda^2 = g_phi epsilon e Q_f / M_Z'^2: all widths are those of
:class:`~darkreach.models.inelastic_scalar.InelasticScalar` with these coefficients
(:func:`~darkreach.models.inelastic_scalar.zprime.couplings_from_dark_photon`). This replaces the propagator
1/(M_Z'^2 - q^2) by 1/M_Z'^2. **The propagator correction (1 - q^2/M_Z'^2)^-2 on the rates is not included**
(the paper's choice). At M_Z' = 40 GeV it is, for the meson decays (q^2 = M^2): 12 % for Upsilon(1S) (M^2 =
89.5 GeV^2), 1.2 % for J/psi, < 0.1 % for rho, omega and the pseudoscalars (q^2 < M_eta'^2); for phi2 -> phi1 X,
q^2 is the invariant mass squared of X, at most (m2 - m1)^2 (up to 62 GeV^2, i.e. 8 % at the end of the phase
space, at m1 = 0.79 GeV, delta = 10; far less on the integrated width). All of them make our rates slightly too
small, i.e. the reach in epsilon slightly conservative. Eq. (4.3) itself neglects O(M_Z'^2/M_Z^2) ~ 0.2
Z-like admixtures at 40 GeV (as the paper does). phi(1020) is not a production channel (no f_V in eq. A.9), as
for ``inelastic-scalar``, although a dark photon couples to it.

``M_Zprime`` must exceed the mass of the heaviest production meson, Upsilon(1S), for the EFT to describe any
meson decay at all (checked; the error names the key and value). Then every point with meson production has
m2 - m1 < m1 + m2 < M_Upsilon < M_Z', so phi2 -> phi1 Z' on shell (m2 - m1 > M_Z') never matters for it; the EFT
lifetime of a point with m2 - m1 > M_Z' (no meson production, e.g. a shared mass grid's top at delta = 10) is not
physical.

Parton production (MATHUSLA, Fig. 6)
------------------------------------
q qbar -> Z'(*) -> phi1 phi2 with the full Breit-Wigner of eq. (1.4) (no EFT cut), g_Vq = epsilon e Q_q:
:meth:`InelasticScalarDarkPhoton.parton_process`. The Z' total width is that of eq. (B.1) at the reference
epsilon = 1e-3, Gamma = Gamma(phi1 phi2) + epsilon^2 S with S = 0.65 GeV the SM width at epsilon = 1 and
Gamma(phi1 phi2) = g_phi^2 M_Z' beta^3 / (48 pi) = 0.27 GeV at m1 + m2 << M_Z'. Production then scales as
epsilon^2 exactly up to the epsilon dependence of the width, epsilon^2 S / Gamma(phi1 phi2) < 0.3 % for
epsilon < 0.03 (the EWPM bound); where phi1 phi2 is closed (m1 + m2 > M_Z') it is off-shell and tiny anyway.

Scanned coupling
----------------
The kinetic mixing epsilon (``--epsilon``, dimensionless): every width is proportional to epsilon^2
(``ScanSpec.power = 2``); the unit-coupling widths are those at epsilon = 1.

Parameters
----------
``m1``, ``delta``
    as for ``inelastic-scalar`` (eq. 1.3; the LLP is phi2); ``m2`` may replace ``m1``;
``M_Zprime``
    the dark-photon mass in GeV (``--zprime-mass``; 40 in the paper);
``g_phi`` (optional, default 1)
    coupling to the dark current, eq. (1.4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from darkreach.mesons import MESONS
from darkreach.models.base import DELTA, M1, ParameterSpec, Point, ScanSpec
from darkreach.models.inelastic_scalar.couplings import ScalarCouplings
from darkreach.models.inelastic_scalar.model import InelasticScalar
from darkreach.models.inelastic_scalar.numerics import m2_from_delta
from darkreach.models.inelastic_scalar.zprime import (
    couplings_at_unit_scale,
    couplings_from_dark_photon,
    dark_photon_vector_couplings,
    zprime_total_width,
)
from darkreach.models.registry import register_model
from darkreach.models.scalar_zprime import G_PHI, g_phi_of

if TYPE_CHECKING:
    from darkreach.production.partons.process import PartonProcess

#: The kinetic mixing at which the parton source generates (its events scale as epsilon^2, see parton_process).
PARTON_REFERENCE_EPSILON: float = 1.0e-3

#: The heaviest meson producing phi1 phi2 (paper 003 sec. 2.1): the EFT needs M_Z' above it.
HEAVIEST_PRODUCTION_MESON = "upsilon"


def _check_mass(value: object) -> None:
    limit = MESONS[HEAVIEST_PRODUCTION_MESON].mass
    if isinstance(value, (int, float)) and not value > limit:
        raise ValueError(
            f"the matched EFT (eqs. 4.1, 4.3) needs M_Z' above the Upsilon(1S) mass {limit:.3f} GeV, got {value!r}"
        )


M_ZPRIME = ParameterSpec(
    "M_Zprime",
    float,
    "GeV",
    "dark-photon mass M_Z' in GeV (paper 003 sec. 4.2: 40)",
    cli_flag="--zprime-mass",
    quantity="mass",
    check=_check_mass,
)


def dark_photon_unit_couplings(point: Point) -> ScalarCouplings:
    """EFT coefficients at Lambda = 1 GeV of the point's dark photon at epsilon = 1 (eqs. 4.1, 4.3):
    c_f = g_phi e Q_f (1 GeV / M_Z')^2 for both chiralities; neutrinos 0."""
    if "M_Zprime" not in point:
        raise ValueError("model inelastic-scalar-dark-photon needs parameter 'M_Zprime'")
    M_ZPRIME.validate(point["M_Zprime"])
    couplings, lam = couplings_from_dark_photon(1.0, g_phi_of(point), float(point["M_Zprime"]))
    return couplings_at_unit_scale(couplings, lam)


@register_model
class InelasticScalarDarkPhoton(InelasticScalar):
    """Inelastic dark scalars with a dark photon (paper 003 sec. 4.2), the matched EFT; see the module doc."""

    name = "inelastic-scalar-dark-photon"
    parameter_specs = (M1, DELTA, M_ZPRIME, G_PHI)
    scan = ScanSpec(
        "epsilon",
        "",
        2.0,
        "kinetic mixing of eq. (4.2); g_Vf = epsilon e Q_f (eq. 4.3)",
        cli_option="--epsilon",
        search_range=(1e-10, 1.0),
    )

    @staticmethod
    def _parts(point: Point) -> tuple[float, float, ScalarCouplings]:
        return float(point["m1"]), float(point["delta"]), dark_photon_unit_couplings(point)

    def parton_process(self, point: Point) -> PartonProcess:
        """q qbar -> Z'(*) -> phi1 phi2 (eq. 1.4, Breit-Wigner with the (B.1) width; module docstring) with
        g_Vq = epsilon e Q_q (eq. 4.3), generated at epsilon = :data:`PARTON_REFERENCE_EPSILON`, sigma ~ epsilon^2,
        no EFT cut."""
        from darkreach.production.partons.process import Mediator, PartonProcess

        self.validate_point(point)
        m1, delta = float(point["m1"]), float(point["delta"])
        m2 = m2_from_delta(m1, delta)
        mass, g_phi = float(point["M_Zprime"]), g_phi_of(point)
        g_v = dark_photon_vector_couplings(PARTON_REFERENCE_EPSILON)
        width = zprime_total_width(mass, m1, m2, g_phi, g_v, g_v)
        quarks = {pid: g_v[q] ** 2 for pid, q in enumerate(("d", "u", "s", "c", "b"), 1)}
        return PartonProcess(
            m_partner=m1,
            m_llp=m2,
            quark_couplings=quarks,
            reference_coupling=PARTON_REFERENCE_EPSILON,
            production_power=self.scan.power,
            eft_cut=False,
            mediator=Mediator(mass=mass, width=width, g_phi=g_phi),
            label="q qbar -> Z'(*) -> phi1 phi2 (dark photon, eqs. 1.4, 4.3)",
        )
