"""Dipole inelastic dark matter: O = d chi2-bar sigma^{mu nu} chi1 F_{mu nu}, eq. (2.1) of paper 000.

Parameters: M1 (GeV, lighter state), delta = (M2 - M1)/M1 (eq. 2.2); scanned coupling d in GeV^-1.
Production from neutral vector mesons (A.2) and from pi0, eta, eta' via the anomaly (A.3)-(A.5);
the only decay is chi2 -> chi1 gamma (A.1), so the signal is a single photon.
"""

from __future__ import annotations

import math

from scipy import integrate

from darkreach.constants import ALPHA_EM
from darkreach.kinematics.matrix_elements import ME_PSEUDOSCALAR_DIPOLE
from darkreach.mesons import MESONS
from darkreach.models.base import DELTA, M1, DarkSectorModel, DecayChannel, Point, ProductionChannel, ScanSpec
from darkreach.models.channels import photon_decay, three_body_production, two_body_production
from darkreach.models.registry import register_model

VECTOR_MESONS = ("rho", "omega", "phi", "jpsi", "upsilon")
PSEUDOSCALAR_MESONS = ("pi0", "eta", "etap")


def chi2_width(m1: float, delta: float, d: float) -> float:
    """Gamma(chi2 -> chi1 gamma) in GeV, eq. (A.1) of paper 000 (first line)."""
    return d * d * m1**3 / (2.0 * math.pi) * delta**3 * (2.0 + delta) ** 3 / (1.0 + delta) ** 3


def vector_kinematic_factor(m_v: float, m1: float, m2: float) -> float:
    """Mass-dependent factor of eq. (A.2): (1-(M2-M1)^2/MV^2)^{3/2} (1+2(M2+M1)^2/MV^2) (1-(M2+M1)^2/MV^2)^{1/2}.

    Exactly 0 when the channel is closed (M1 + M2 >= MV).
    """
    if m1 + m2 >= m_v:
        return 0.0
    diff = (m2 - m1) ** 2 / m_v**2
    summ = (m2 + m1) ** 2 / m_v**2
    return (1.0 - diff) ** 1.5 * (1.0 + 2.0 * summ) * (1.0 - summ) ** 0.5


def vector_width(meson: str, m1: float, m2: float, d: float) -> float:
    """Gamma(V -> chi1 chi2) in GeV, eq. (A.2) of paper 000.

    e^2 Q_q^2 f_V^2 is fixed by the measured leptonic width, Gamma(V->ee) = 4 pi alpha^2 Q_q^2 f_V^2 / (3 M_V),
    so that Gamma(V -> chi1 chi2) = Gamma(V -> ee) d^2 M_V^2 / (2 pi alpha) x (kinematic factor); this is the
    relation BR(V->chi1 chi2)/BR(V->ee) = d^2 M_V^2/(2 pi alpha) for M1, M2 -> 0.
    """
    spec = MESONS[meson]
    return (
        spec.width_ee * d * d * spec.mass**2 / (2.0 * math.pi * ALPHA_EM) * vector_kinematic_factor(spec.mass, m1, m2)
    )


def _pseudoscalar_ds(s: float, m_p: float, m1: float, m2: float) -> float:
    """d Gamma/ds (P -> gamma chi1 chi2) / (Gamma(P->gg) d^2) with s = m23^2; the integral of eq. (A.5).

    Eq. (A.4) integrated over m12^2 at fixed m23^2 = s gives Gamma_gg d^2 (1 - s/M^2)^3 K(s) / (3 pi^2),
    K being the kinematic factor of eq. (A.2) at M_V^2 -> s; tests check this against a direct numerical
    integration of eq. (A.4) over the Dalitz plot.
    """
    return (1.0 - s / m_p**2) ** 3 * vector_kinematic_factor(math.sqrt(s), m1, m2) / (3.0 * math.pi**2)


def pseudoscalar_width(meson: str, m1: float, m2: float, d: float) -> float:
    """Gamma(P -> gamma chi1 chi2) in GeV, eqs. (A.3)-(A.5) of paper 000, for P = pi0, eta, eta'.

    The anomaly coupling is normalised to the measured two-photon width (F_P from Gamma(P->gamma gamma)).
    """
    spec = MESONS[meson]
    m_p = spec.mass
    smin = (m1 + m2) ** 2
    smax = m_p**2
    if smin >= smax:
        return 0.0
    # integrate in u = log(s) (ds = s du) to resolve the threshold region at small masses
    val, _ = integrate.quad(
        lambda u: _pseudoscalar_ds(math.exp(u), m_p, m1, m2) * math.exp(u),
        math.log(smin),
        math.log(smax),
        limit=200,
        epsabs=0.0,
        epsrel=1e-9,
    )
    return spec.width_gammagamma * d * d * val


@register_model
class IDMDipole(DarkSectorModel):
    """Dipole inelastic dark matter (Majorana chi1, chi2), paper 000 eq. (2.1)."""

    name = "idm-dipole"
    parameter_specs = (M1, DELTA)
    scan = ScanSpec("d", "GeV^-1", 2.0, "dipole Wilson coefficient d of eq. (2.1), paper 000")

    @staticmethod
    def _masses(point: Point) -> tuple[float, float]:
        m1 = float(point["m1"])
        return m1, m1 * (1.0 + float(point["delta"]))

    def llp_mass(self, point: Point) -> float:
        return self._masses(point)[1]

    def llp_width_unit(self, point: Point) -> float:
        return chi2_width(float(point["m1"]), float(point["delta"]), 1.0)

    def production_channels(self, point: Point) -> list[ProductionChannel]:
        self.validate_point(point)
        m1, m2 = self._masses(point)
        return [
            *two_body_production(VECTOR_MESONS, lambda key: vector_width(key, m1, m2, 1.0), m_llp=m2, m_partner=m1),
            *three_body_production(
                PSEUDOSCALAR_MESONS,
                lambda key: pseudoscalar_width(key, m1, m2, 1.0),
                masses=(0.0, m1, m2),
                matrix_element=ME_PSEUDOSCALAR_DIPOLE,
                me_params=lambda key: (MESONS[key].anomaly_decay_constant, 1.0),
            ),
        ]

    def ee_pair_cross_section_unit(self, point: Point, sqrt_s: float) -> float:
        """sigma(e+e- -> chi1 chi2) through one photon, in GeV^-2 at d = 1 GeV^-1 (for the BaBar bound).

        Any final state X made by the electromagnetic current obeys sigma(e+e- -> X)(s) =
        sigma(e+e- -> mu+mu-)(s) x Gamma(V* -> X)/Gamma(V* -> e+e-) at M_V* = sqrt(s), both widths being
        proportional to the same |<0|J_em|V>|^2. With eq. (A.2) of paper 000 as in :func:`vector_width`,
        Gamma(V -> chi1 chi2)/Gamma(V -> ee) = d^2 M_V^2/(2 pi alpha) K(M_V, M1, M2), and
        sigma(mu mu) = 4 pi alpha^2/(3 s) (m_mu -> 0):

            sigma(e+e- -> chi1 chi2)(s) = 4 pi alpha^2/(3 s) x d^2 s/(2 pi alpha) x K = (2 alpha d^2 / 3) K,

        with K = :func:`vector_kinematic_factor` (-> 1 far above threshold, exactly 0 for M1 + M2 >= sqrt(s)).
        ``sqrt_s`` may also be a numpy array (evaluated elementwise, an array is returned).
        """
        import numpy as np  # local import: only this method of the module handles arrays

        self.validate_point(point)
        m1, m2 = self._masses(point)
        if isinstance(sqrt_s, np.ndarray):
            root_s = sqrt_s.astype(np.float64)
            if not np.all(np.isfinite(root_s) & (root_s > 0.0)):
                raise ValueError(f"sqrt_s must be positive and finite (GeV), got {sqrt_s!r}")
            open_ = root_s > m1 + m2
            safe = np.where(open_, root_s, 2.0 * (m1 + m2) + 1.0)
            diff = (m2 - m1) ** 2 / safe**2
            summ = (m2 + m1) ** 2 / safe**2
            kin = (1.0 - diff) ** 1.5 * (1.0 + 2.0 * summ) * np.sqrt(np.maximum(1.0 - summ, 0.0))
            return np.where(open_, 2.0 * ALPHA_EM / 3.0 * kin, 0.0)
        if not (isinstance(sqrt_s, (int, float)) and sqrt_s > 0 and math.isfinite(sqrt_s)):
            raise ValueError(f"sqrt_s must be positive and finite (GeV), got {sqrt_s!r}")
        return 2.0 * ALPHA_EM / 3.0 * vector_kinematic_factor(float(sqrt_s), m1, m2)

    def decay_channels(self, point: Point) -> list[DecayChannel]:
        m1, _ = self._masses(point)
        # chi2 -> chi1 gamma is the only channel; the photon (index 1) is visible.
        return photon_decay("chi1_gamma", m1)
