"""Active-sterile neutrino dipole: O = d_i nubar_{i,L} sigma^{mu nu} N_R F_{mu nu}, eq. (2.3) of paper 000.

Parameters
----------
m1
    M_N, the mass of the sterile neutrino N in GeV (the scan axis; the name ``m1`` is shared with the other
    dipole model so that ``--m1`` and the mass grids serve both).
flavour
    the active flavour i = ``e``, ``mu`` or ``tau`` the dipole couples to.

Scanned coupling: d_i in GeV^-1 (every width is proportional to d_i^2).

Dirac N and its antiparticle
----------------------------
N is a Dirac fermion (sec. 2 and the end of sec. 4.1 of paper 000), so N and Nbar are distinct states that
are both produced and both decay, with identical widths and kinematics:

* neutral vector mesons, V -> N nubar and V -> Nbar nu: eq. (A.2) with M1 -> 0, M2 -> M_N, d -> d_i/sqrt2
  each, i.e. d_i^2/2 times the dipole-dark-matter width at M1 = 0; one channel with ``n_llp = 2``;
* pi0, eta, eta' -> gamma N nubar and gamma Nbar nu: eqs. (A.3)-(A.5) with the same replacements, sampled
  with |M|^2 of eq. (A.4) at M1 = 0; ``n_llp = 2``;
* charged pseudoscalars, P+ -> gamma l+ N and P- -> gamma l- Nbar (eqs. A.6-A.7, through an off-shell
  active neutrino): one species key holds both charges and each decay gives one LLP, ``n_llp = 1``. The
  channel is absent (BR exactly 0) when M_N + m_l >= M_P, e.g. always for K+- with l = tau;
* decays: N -> nu gamma and Nbar -> nubar gamma, Gamma = d_i^2 M_N^3/(4 pi) (eq. A.1, second line), the
  photon being the signal.

The neutral-meson channels do not depend on the flavour; only the charged ones do (through m_l).
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

from particle import Particle
from scipy import integrate, special

from darkreach.constants import G_FERMI
from darkreach.kinematics.matrix_elements import ME_CHARGED_STERILE_DIPOLE, ME_PSEUDOSCALAR_DIPOLE
from darkreach.kinematics.me_sterile import msq_charged_sterile_dipole
from darkreach.mesons import MESONS
from darkreach.models.base import DarkSectorModel, DecayChannel, ParameterSpec, Point, ProductionChannel, ScanSpec
from darkreach.models.channels import photon_decay, three_body_production, two_body_production
from darkreach.models.idm_dipole import PSEUDOSCALAR_MESONS, VECTOR_MESONS, pseudoscalar_width, vector_width
from darkreach.models.registry import register_model

#: Charged pseudoscalars P+- -> l+- N gamma (sec. 4.1 and appendix A.4 of paper 000).
CHARGED_MESONS: tuple[str, ...] = ("kplus", "dplus", "ds", "bplus")
#: Active flavour -> PDG id of the charged lepton.
LEPTON_PDGID: dict[str, int] = {"e": 11, "mu": 13, "tau": 15}
#: d -> d_i/sqrt(2) of appendices A.2-A.3 for the Dirac N (one of N nubar / Nbar nu).
DIRAC_COUPLING_FACTOR: float = 1.0 / math.sqrt(2.0)
#: Gauss-Legendre nodes for the inner m12^2 integral: at fixed m13^2 eq. (A.7) is a cubic in m12^2
#: (the propagator depends on m13^2 only), which 4 nodes integrate exactly.
_GL_NODES, _GL_WEIGHTS = special.roots_legendre(4)


@cache
def lepton_mass(flavour: str) -> float:
    """Charged-lepton mass in GeV for ``flavour`` (from :mod:`particle`)."""
    try:
        pdgid = LEPTON_PDGID[flavour]
    except KeyError:
        raise ValueError(f"flavour must be one of {', '.join(LEPTON_PDGID)}, got {flavour!r}") from None
    mass = Particle.from_pdgid(pdgid).mass
    if mass is None:  # e, mu, tau all have PDG masses
        raise ValueError(f"no PDG mass for the {flavour} lepton")
    return mass * 1e-3


def sterile_width(m_n: float, d: float) -> float:
    """Gamma(N -> nu gamma) = Gamma(Nbar -> nubar gamma) = d^2 M_N^3 / (4 pi), eq. (A.1) second line."""
    return d * d * m_n**3 / (4.0 * math.pi)


def _m12_limits_at_m13(mp: float, ml: float, mn: float, m13sq: float) -> tuple[float, float]:
    """Lower limit and width of the m12^2 range at fixed m13^2 for P -> gamma(1) l(2) N(3).

    PDG kinematics (eq. 49.23 relabelled): in the (13) frame E1 = (m13^2 - M_N^2)/(2 m13), the lepton has
    energy E2 and momentum p2 = sqrt(lambda(M^2, m13^2, m_l^2))/(2 m13), and m12^2 spans
    (E1 + E2)^2 - (E1 +- p2)^2. Written without cancellations (lower limit (E2 - p2)(2 E1 + E2 + p2) with
    E2 - p2 = m_l^2/(E2 + p2), width 4 E1 p2) so that the range stays accurate at the thresholds.
    """
    m13 = math.sqrt(m13sq)
    e1 = (m13sq - mn * mn) / (2.0 * m13)
    e2 = (mp * mp - m13sq - ml * ml) / (2.0 * m13)
    lam = (mp - m13 - ml) * (mp + m13 + ml) * (mp - m13 + ml) * (mp + m13 - ml)
    p2 = math.sqrt(max(lam, 0.0)) / (2.0 * m13)
    lo = ml * ml / (e2 + p2) * (2.0 * e1 + e2 + p2) if e2 + p2 > 0.0 else 0.0
    return lo, 4.0 * e1 * p2


@lru_cache(maxsize=4096)
def _charged_width_unit(meson: str, ml: float, m_n: float) -> float:
    spec = MESONS[meson]
    mp = spec.mass
    if m_n + ml >= mp:
        return 0.0
    fp, vckm = spec.decay_constant, spec.v_ckm
    msum = mp * mp + ml * ml + m_n * m_n

    def inner(u: float) -> float:
        # m13^2 x (the m12^2 integral at fixed m13^2): d Gamma / d log m13^2 up to the (A.5) normalisation;
        # the logarithmic variable resolves the propagator 1/m13^4 near m13^2 = M_N^2 for light N
        m13sq = math.exp(u)
        lo, span = _m12_limits_at_m13(mp, ml, m_n, m13sq)
        half = 0.5 * span
        total = 0.0
        for node, w in zip(_GL_NODES, _GL_WEIGHTS):
            m12sq = lo + half * (node + 1.0)
            total += w * msq_charged_sterile_dipole(mp, ml, m_n, m12sq, msum - m12sq - m13sq, fp, vckm, 1.0)
        return total * half * m13sq

    # Absolute tolerance: 1e-13 of the massless-limit integral 16 G_F^2 f_P^2 |V|^2 M_P^8 / 24, so that the
    # (physically irrelevant) widths within ~1e-6 of the threshold, where eq. (A.7) loses digits to
    # cancellations, do not ask quad for an unreachable relative precision.
    scale = 16.0 * G_FERMI**2 * fp**2 * vckm**2 * mp**8 / 24.0
    val, _ = integrate.quad(
        inner, 2.0 * math.log(m_n), 2.0 * math.log(mp - ml), limit=200, epsabs=1e-13 * scale, epsrel=1e-9
    )
    return val / ((2.0 * math.pi) ** 3 * 32.0 * mp**3)


def charged_width(meson: str, flavour: str, m_n: float, d: float) -> float:
    """Gamma(P+ -> gamma l+ N) = Gamma(P- -> gamma l- Nbar) in GeV, eqs. (A.5)-(A.7) of paper 000.

    |M|^2 of eq. (A.7) integrated over the Dalitz plot with dGamma = |M|^2 dm12^2 dm23^2 / ((2 pi)^3 32 M_P^3);
    exactly 0 when M_N + m_l >= M_P.
    """
    if MESONS[meson].kind != "charged_pseudoscalar":
        raise ValueError(f"{meson} is not a charged pseudoscalar meson")
    return _charged_width_unit(meson, lepton_mass(flavour), float(m_n)) * d * d


@register_model
class SterileDipole(DarkSectorModel):
    """Active-sterile neutrino dipole with a Dirac sterile neutrino N, paper 000 eq. (2.3)."""

    name = "sterile-dipole"
    parameter_specs = (
        ParameterSpec("m1", float, "GeV", "mass M_N of the sterile neutrino in GeV", quantity="mass", label="m1 (M_N)"),
        ParameterSpec(
            "flavour", str, help="active neutrino flavour of the sterile dipole", choices=tuple(LEPTON_PDGID)
        ),
    )
    mass_parameter = "m1"
    scan = ScanSpec(
        "d",
        "GeV^-1",
        2.0,
        "active-sterile dipole d_i of eq. (2.3), paper 000 (m1 = M_N)",
        cli_option="--coupling",
    )

    def llp_mass(self, point: Point) -> float:
        return float(point["m1"])

    def llp_width_unit(self, point: Point) -> float:
        return sterile_width(float(point["m1"]), 1.0)

    def production_channels(self, point: Point) -> list[ProductionChannel]:
        self.validate_point(point)
        m_n = float(point["m1"])
        flavour = str(point["flavour"])
        m_l = lepton_mass(flavour)
        return [
            # V -> N nubar and V -> Nbar nu
            *two_body_production(
                VECTOR_MESONS,
                lambda key: vector_width(key, 0.0, m_n, DIRAC_COUPLING_FACTOR),
                m_llp=m_n,
                m_partner=0.0,
                n_llp=2.0,
            ),
            # P0 -> gamma N nubar and gamma Nbar nu
            *three_body_production(
                PSEUDOSCALAR_MESONS,
                lambda key: pseudoscalar_width(key, 0.0, m_n, DIRAC_COUPLING_FACTOR),
                masses=(0.0, 0.0, m_n),
                matrix_element=ME_PSEUDOSCALAR_DIPOLE,
                me_params=lambda key: (MESONS[key].anomaly_decay_constant, DIRAC_COUPLING_FACTOR),
                n_llp=2.0,
            ),
            # P+ -> gamma l+ N, P- -> gamma l- Nbar (one sample, both charges); absent when M_N + m_l >= M_P
            *three_body_production(
                CHARGED_MESONS,
                lambda key: charged_width(key, flavour, m_n, 1.0) if m_n + m_l < MESONS[key].mass else 0.0,
                masses=(0.0, m_l, m_n),
                matrix_element=ME_CHARGED_STERILE_DIPOLE,
                me_params=lambda key: (MESONS[key].decay_constant, MESONS[key].v_ckm, 1.0),
            ),
        ]

    def decay_channels(self, point: Point) -> list[DecayChannel]:
        # N -> nu gamma (and Nbar -> nubar gamma): the photon (index 1) is visible.
        return photon_decay("nu_gamma", 0.0)
