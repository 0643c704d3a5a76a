r"""The e+e- source: e+e- -> gamma gamma*(-> LLP + partner) with an initial-state-radiation photon, at one sqrt(s).

Used by the BaBar bound of paper 000 (sec. 4.2, :mod:`darkreach.bounds.ee_monophoton`, which applies the
mono-photon selection and counts events), and by any other e+e- recast (LEP next): the LLP chi2 is produced
with its invisible partner chi1 through an off-shell photon that recoils against an ISR photon, and then
decays to chi1 gamma (eq. (A.1) of paper 000).

Physics
-------
1. **Pair cross section.** Through one photon, sigma(e+e- -> chi1 chi2)(s') equals sigma(e+e- -> mu+mu-)(s')
   x Gamma(V* -> chi1 chi2)/Gamma(V* -> e+e-) at M_V* = sqrt(s'). With eq. (A.2) of paper 000 (as in
   :func:`darkreach.models.idm_dipole.vector_width`) this is

       sigma_X(s') = 4 pi alpha^2/(3 s') x d^2 s'/(2 pi alpha) x K(sqrt(s'), M1, M2) = (2 alpha d^2/3) K,

   K the kinematic factor of eq. (A.2) (exactly 0 below threshold). The model supplies it as
   ``ee_pair_cross_section_unit(point, sqrt_s)`` (GeV^-2 at unit coupling), which must accept a numpy
   array of sqrt(s') values (:meth:`darkreach.models.idm_dipole.IDMDipole.ee_pair_cross_section_unit`).
2. **ISR photon.** For m_e -> 0 and a photon away from the beams (Bonneau & Martin, Nucl. Phys. B 27 (1971)
   381; the form used in the BaBar mono-photon recasts, e.g. Essig, Mardon, Papucci, Volansky, Zhong,
   JHEP 11 (2013) 167, arXiv:1309.5084):

       d sigma/(dx d cos theta) = sigma_X(s(1 - x)) (alpha/pi) [ (1 + (1 - x)^2)/x / (1 - cos^2 theta) - x/2 ],

   x = 2 E_gamma/sqrt(s), s' = s(1 - x). The collinear 1/sin^2 theta singularity is regulated by the photon
   acceptance cos_theta_min < cos theta < cos_theta_max (both strictly inside (-1, 1)).
3. **Monte Carlo** (numpy, vectorised, seeded). (x, cos theta) are importance-sampled from
   1/x on [x_lo, x_hi] and 1/(1 - cos^2 theta) on the acceptance (uniform in atanh(cos theta)); azimuth
   uniform. x_hi = 1 - (M1 + M2)^2/s (threshold of the pair); x_lo = 2 E_sub/sqrt(s) (the ISR photon is one of
   the two required photons), raised to 2 E_lead/sqrt(s) when the chi2 photon can never reach E_lead (its
   largest energy, reached for x -> 0, is below it), which only drops events that fail the cuts. The virtual
   photon of mass sqrt(s') recoils against the ISR photon and decays to chi1 chi2 **isotropically in its rest
   frame** (simplification: the dipole angular distribution is not modelled); chi2 -> chi1 gamma is isotropic
   in the chi2 frame (unpolarised chi2). Every event carries the weight radiator x sigma_X / (sampling
   density), in GeV^-2 at unit coupling, so the weights average to the ISR cross section inside the
   acceptance.
Generator-level cuts
--------------------
The generator knows of a selection only what bounds its phase space (:class:`PhotonAcceptance`): the photon
energy thresholds (they bound the sampled ISR energies, item 3) and the polar-angle window (it regulates the
collinear singularity, item 2). The selection itself (cuts, decay radius, counting) belongs to the bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy import integrate

from darkreach.constants import ALPHA_EM, HBARC_GEV_M
from darkreach.kinematics.lorentz import boost_from_rest_batch
from darkreach.models.base import DarkSectorModel, Point

__all__ = [
    "CROSS_SECTION_METHOD",
    "GEV2_TO_FB",
    "EEEvents",
    "PhotonAcceptance",
    "generate_ee_events",
    "generate_isr_pairs",
    "isr_cross_section",
    "isr_radiator",
    "pair_cross_section",
    "photon_decay",
]

#: 1 GeV^-2 in fb: (hbar c)^2 = 0.3893793721 GeV^2 mb (PDG 2024, physical constants), 1 mb = 1e12 fb.
#: Computed from the CODATA hbar c of :mod:`darkreach.constants` (1 fb = 1e-43 m^2).
GEV2_TO_FB: float = HBARC_GEV_M**2 * 1e43

#: Model method this source needs (item 1 of the module docstring).
CROSS_SECTION_METHOD = "ee_pair_cross_section_unit"


class PhotonAcceptance(Protocol):
    """What the ISR generator reads of a selection (e.g. :class:`darkreach.bounds.ee_monophoton.EESelection`)."""

    @property
    def sqrt_s_gev(self) -> float: ...

    @property
    def leading_photon_min_gev(self) -> float: ...

    @property
    def subleading_photon_min_gev(self) -> float: ...

    @property
    def cos_theta_min(self) -> float: ...

    @property
    def cos_theta_max(self) -> float: ...


# --------------------------------------------------------------------------- ISR
def isr_radiator(x: np.ndarray | float, cos_theta: np.ndarray | float) -> np.ndarray | float:
    """ISR radiator H(x, cos theta) = (alpha/pi) [(1 + (1-x)^2)/(x (1 - cos^2 theta)) - x/2] (m_e -> 0).

    d sigma(e+e- -> gamma X)/(dx d cos theta) = H(x, cos theta) sigma(e+e- -> X)(s (1 - x)); Bonneau & Martin
    (1971), as in Essig et al., arXiv:1309.5084. Positive for 0 < x <= 1, |cos theta| < 1.
    """
    x = np.asarray(x, dtype=np.float64)
    c = np.asarray(cos_theta, dtype=np.float64)
    out = ALPHA_EM / math.pi * ((1.0 + (1.0 - x) ** 2) / (x * (1.0 - c * c)) - 0.5 * x)
    return float(out) if out.ndim == 0 else out


def pair_cross_section(model: DarkSectorModel, point: Point, sqrt_s: np.ndarray) -> np.ndarray:
    """sigma(e+e- -> pair)(sqrt_s) at unit coupling, GeV^-2, from the model (array in, array out)."""
    method = model.ee_pair_cross_section_unit  # declared on DarkSectorModel (None when a model has none)
    if method is None or not callable(method):
        raise TypeError(
            f"model {model.name!r} ({type(model).__name__}) does not provide {CROSS_SECTION_METHOD}(point, sqrt_s); "
            "the e+e- mono-photon bound needs it"
        )
    sigma = np.asarray(method(point, sqrt_s), dtype=np.float64)
    if sigma.shape != sqrt_s.shape:
        raise TypeError(
            f"model {model.name!r}: {CROSS_SECTION_METHOD} must evaluate an array of sqrt_s elementwise, "
            f"got shape {sigma.shape} for input shape {sqrt_s.shape}"
        )
    return sigma


def photon_decay(model: DarkSectorModel, point: Point) -> tuple[float, float]:
    """(mass of the invisible partner, BR) of the LLP's two-body decay into a photon (chi2 -> chi1 gamma).

    The production partner of e+e- -> chi1 chi2 is identified with the invisible daughter of this decay
    (chi1 for the inelastic dipole).
    """
    partner, br = None, 0.0
    for ch in model.decay_channels(point):
        if len(ch.daughter_masses) != 2 or len(ch.visible) != 1:
            continue
        iv = ch.visible[0]
        if ch.daughter_masses[iv] != 0.0:
            continue
        m_inv = float(ch.daughter_masses[1 - iv])
        if partner is not None and m_inv != partner:
            raise ValueError(f"model {model.name!r}: photon decay channels with different partner masses at {point!r}")
        partner = m_inv
        br += ch.branching_ratio * ch.efficiency
    if partner is None:
        raise ValueError(f"model {model.name!r} has no two-body LLP decay into a photon at {point!r}")
    return partner, br


def _x_range(acceptance: PhotonAcceptance, m1: float, m2: float, x_min: float | None) -> tuple[float, float]:
    """Sampled range of x = 2 E_gamma(ISR)/sqrt(s) (module docstring, item 3); x_lo >= x_hi: nothing to do."""
    root_s = acceptance.sqrt_s_gev
    x_hi = 1.0 - (m1 + m2) ** 2 / root_s**2
    if x_min is not None:
        return float(x_min), x_hi
    x_lo = 2.0 * acceptance.subleading_photon_min_gev / root_s
    if m2 > m1:
        # largest chi2-photon energy: chi2 along the virtual photon, photon along chi2, x -> 0 (Q = sqrt(s))
        k_star = (m2 * m2 - m1 * m1) / (2.0 * m2)
        if m1 + m2 < root_s:
            q = root_s
            e_star = (q * q + m2 * m2 - m1 * m1) / (2.0 * q)
            p_star = math.sqrt(max(e_star * e_star - m2 * m2, 0.0))
            e_gamma_max = k_star * (e_star + p_star) / m2
            if e_gamma_max < acceptance.leading_photon_min_gev:
                x_lo = 2.0 * acceptance.leading_photon_min_gev / root_s
    return x_lo, x_hi


def isr_cross_section(
    model: DarkSectorModel,
    point: Point,
    acceptance: PhotonAcceptance,
    x_min: float | None = None,
    x_max: float | None = None,
) -> float:
    """sigma(e+e- -> gamma chi1 chi2) in GeV^-2 at unit coupling, ISR photon in the acceptance and x range.

    No other cut. The cos theta integral of the radiator is done in closed form,
    int dc [A/(1-c^2) - x/2] = A [atanh(c_max) - atanh(c_min)] - x (c_max - c_min)/2, the x integral with
    :func:`scipy.integrate.quad` (in log x). Defaults: the x range the Monte Carlo samples.
    """
    if x_min is not None and not x_min > 0.0:
        raise ValueError(f"x_min must be positive, got {x_min!r}")
    model.validate_point(point)
    m2 = model.llp_mass(point)
    m1, _ = photon_decay(model, point)
    lo, hi = _x_range(acceptance, m1, m2, x_min)
    if x_max is not None:
        hi = min(hi, float(x_max))
    if not 0.0 < lo < hi:
        return 0.0
    c1, c2 = acceptance.cos_theta_min, acceptance.cos_theta_max
    eta = math.atanh(c2) - math.atanh(c1)
    s = acceptance.sqrt_s_gev**2

    def integrand(u: float) -> float:
        x = math.exp(u)
        sig = float(pair_cross_section(model, point, np.array([math.sqrt(s * (1.0 - x))]))[0])
        ang = (1.0 + (1.0 - x) ** 2) / x * eta - 0.5 * x * (c2 - c1)
        return ALPHA_EM / math.pi * ang * sig * x

    val, _ = integrate.quad(integrand, math.log(lo), math.log(hi), epsabs=0.0, epsrel=1e-10, limit=200)
    return float(val)


# --------------------------------------------------------------------------- Monte Carlo
@dataclass(frozen=True)
class EEEvents:
    """Simulated e+e- -> gamma chi1 chi2, chi2 -> chi1 gamma events at one parameter point (CM frame).

    Four-vectors are (E, px, py, pz) in GeV, shape (n, 4); z is the beam axis.

    Attributes
    ----------
    weight
        Per-event contribution to the cross section, GeV^-2 at unit coupling: radiator x sigma_X / sampling
        density. ``weight.mean()`` is the ISR cross section in the acceptance (:func:`isr_cross_section`).
    x, cos_theta
        ISR photon energy fraction 2E/sqrt(s) and polar angle.
    photon_isr, chi1_prod, chi2, chi1_decay, photon_decay
        Four-momenta; their sum is (sqrt(s), 0, 0, 0).
    betagamma
        |p|/M2 of chi2.
    n_sampled
        Number of sampled events (averages run over all of them, passed or not).
    passed
        The photon cuts of a selection (energies, missing energy, acceptance; without the decay-radius
        requirement), set by the selection that applies them
        (:func:`darkreach.bounds.ee_monophoton.simulate_ee_events`); None for generated events.
    """

    weight: np.ndarray
    x: np.ndarray
    cos_theta: np.ndarray
    photon_isr: np.ndarray
    chi1_prod: np.ndarray
    chi2: np.ndarray
    chi1_decay: np.ndarray
    photon_decay: np.ndarray
    betagamma: np.ndarray
    n_sampled: int
    passed: np.ndarray | None = None

    @classmethod
    def empty(cls) -> EEEvents:
        """No event (closed channel)."""
        z1, z4 = np.zeros(0), np.zeros((0, 4))
        return cls(z1, z1, z1, z4, z4, z4, z4, z4, z1, 0)


def _isotropic(rng: np.random.Generator, n: int) -> np.ndarray:
    """n unit vectors uniform on the sphere, shape (n, 3)."""
    c = 2.0 * rng.random(n) - 1.0
    phi = 2.0 * math.pi * rng.random(n)
    s = np.sqrt(np.maximum(1.0 - c * c, 0.0))
    return np.stack([s * np.cos(phi), s * np.sin(phi), c], axis=1)


def _boost(q: np.ndarray, parent: np.ndarray, mass: np.ndarray | float) -> np.ndarray:
    """Boost four-vectors ``q`` (rows E, px, py, pz) from the rest frame of ``parent`` (mass ``mass``) to the frame
    of ``parent``: :func:`darkreach.kinematics.lorentz.boost_from_rest_batch`."""
    masses = np.broadcast_to(np.asarray(mass, dtype=np.float64), (q.shape[0],))
    return boost_from_rest_batch(
        np.ascontiguousarray(q, dtype=np.float64),
        np.ascontiguousarray(parent, dtype=np.float64),
        np.ascontiguousarray(masses),
    )


def _two_body_momentum(m: np.ndarray | float, ma: float, mb: float) -> np.ndarray:
    lam = (np.asarray(m) ** 2 - (ma + mb) ** 2) * (np.asarray(m) ** 2 - (ma - mb) ** 2)
    return np.sqrt(np.maximum(lam, 0.0)) / (2.0 * np.asarray(m))


def generate_isr_pairs(
    pair_sigma: Callable[[np.ndarray], np.ndarray],
    m_llp: float,
    m_partner: float,
    acceptance: PhotonAcceptance,
    x_lo: float,
    x_hi: float,
    n: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """e+e- -> gamma(ISR) + (LLP partner) events, the part of the generator every e+e- recast shares (item 3).

    ``pair_sigma(sqrt_s')`` is sigma(e+e- -> LLP partner) in GeV^-2 (array in, array out), ``x_lo < x_hi`` the
    sampled range of x = 2 E_gamma/sqrt(s) (below 1 - (m_llp + m_partner)^2/s). The pair is isotropic in its
    rest frame. Returns ``(weight, x, cos_theta, photon_isr, partner, llp)``; ``weight.mean()`` is the ISR
    cross section in the acceptance and x range, four-vectors in the CM frame (shape (n, 4)).
    """
    root_s = acceptance.sqrt_s_gev
    # ISR photon: x ~ 1/x, cos theta ~ 1/(1 - c^2), phi uniform
    log_range = math.log(x_hi / x_lo)
    x = x_lo * np.exp(log_range * rng.random(n))
    eta1, eta2 = math.atanh(acceptance.cos_theta_min), math.atanh(acceptance.cos_theta_max)
    c = np.tanh(eta1 + (eta2 - eta1) * rng.random(n))
    phi = 2.0 * math.pi * rng.random(n)
    sqrt_s_prime = root_s * np.sqrt(1.0 - x)
    sigma = pair_sigma(sqrt_s_prime)
    # weight = H(x, c) sigma_X / [p(x) p(c)], p(x) = 1/(x log_range), p(c) = 1/((1 - c^2)(eta2 - eta1))
    weight = (
        ALPHA_EM / math.pi * ((1.0 + (1.0 - x) ** 2) - 0.5 * x * x * (1.0 - c * c)) * log_range * (eta2 - eta1) * sigma
    )
    e_gam = 0.5 * x * root_s
    sin_t = np.sqrt(1.0 - c * c)
    photon_isr = np.column_stack([e_gam, e_gam * sin_t * np.cos(phi), e_gam * sin_t * np.sin(phi), e_gam * c])

    # virtual photon recoiling against it -> partner + LLP, isotropic in its rest frame
    vstar = np.column_stack([root_s - e_gam, -photon_isr[:, 1:]])
    p_star = _two_body_momentum(sqrt_s_prime, m_partner, m_llp)
    dirs = _isotropic(rng, n)
    llp_rest = np.column_stack([np.sqrt(p_star**2 + m_llp * m_llp), p_star[:, None] * dirs])
    partner_rest = np.column_stack([np.sqrt(p_star**2 + m_partner * m_partner), -p_star[:, None] * dirs])
    llp = _boost(llp_rest, vstar, sqrt_s_prime)
    partner = _boost(partner_rest, vstar, sqrt_s_prime)
    return weight, x, c, photon_isr, partner, llp


def generate_ee_events(
    model: DarkSectorModel,
    point: Point,
    acceptance: PhotonAcceptance,
    n_events: int,
    seed: int,
    stream_key: int = 0,
    x_min: float | None = None,
) -> EEEvents:
    """Sample ``n_events`` events of e+e- -> gamma chi1 chi2, chi2 -> chi1 gamma (module docstring, item 3).

    Parameters
    ----------
    model, point
        A model with ``ee_pair_cross_section_unit`` and a benchmark point.
    acceptance
        Collider energy, photon thresholds and angular window (:class:`PhotonAcceptance`).
    n_events
        Events to sample (all are kept: a selection flags the ones it accepts).
    seed, stream_key
        The random stream is PCG64 seeded by SeedSequence([seed, stream_key]).
    x_min
        Lower end of the sampled x range; default: the automatic choice of the module docstring.

    Returns
    -------
    EEEvents
        Empty (``n_sampled = 0``) when the pair or the ISR photon has no phase space.
    """
    if isinstance(n_events, bool) or not isinstance(n_events, (int, np.integer)) or n_events <= 0:
        raise ValueError(f"n_events must be a positive integer, got {n_events!r}")
    model.validate_point(point)
    if x_min is not None and not x_min > 0.0:
        raise ValueError(f"x_min must be positive, got {x_min!r}")
    m2 = float(model.llp_mass(point))
    m1, _ = photon_decay(model, point)
    root_s = acceptance.sqrt_s_gev
    x_lo, x_hi = _x_range(acceptance, m1, m2, x_min)
    if not x_lo < x_hi or m1 + m2 >= root_s:
        return EEEvents.empty()
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), int(stream_key)])))
    n = int(n_events)
    pairs = generate_isr_pairs(
        lambda root: pair_cross_section(model, point, root), m2, m1, acceptance, x_lo, x_hi, n, rng
    )
    weight, x, c, photon_isr, chi1_prod, chi2 = pairs

    # chi2 -> chi1 gamma, isotropic in the chi2 frame
    k_star = (m2 * m2 - m1 * m1) / (2.0 * m2)
    dirs = _isotropic(rng, n)
    photon_chi2 = _boost(np.column_stack([np.full(n, k_star), k_star * dirs]), chi2, m2)
    chi1_decay = _boost(np.column_stack([np.full(n, m2 - k_star), -k_star * dirs]), chi2, m2)
    betagamma = np.linalg.norm(chi2[:, 1:], axis=1) / m2
    return EEEvents(weight, x, c, photon_isr, chi1_prod, chi2, chi1_decay, photon_chi2, betagamma, n)
