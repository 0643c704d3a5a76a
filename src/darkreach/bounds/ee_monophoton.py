r"""The BaBar bound of paper 000 (sec. 4.2): e+e- -> gamma chi1 chi2, chi2 -> chi1 gamma at sqrt(s) = 10.58 GeV.

Process and selection (paper 000, sec. 4.2, a simplified recast of the BaBar mono-photon search
arXiv:0808.0017, ref. [81] there): an initial-state-radiation (ISR) photon and an off-shell photon that turns
into chi1 chi2 through the dipole of eq. (2.1); chi2 then decays to chi1 gamma (eq. (A.1)). Cuts: leading
photon E >= 2 GeV, sub-leading photon E >= 20 MeV, missing energy >= 50 MeV; 60 fb^-1; the sensitivity is
10 signal events (following ref. [31] of paper 000).

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
4. **Cuts** (all in the e+e- centre-of-mass frame; simplification: BaBar's asymmetric beams, i.e. the boost
   between the lab and the CM frame, are ignored and the angular window is applied to the CM polar angle):
   the two photons ordered by energy, leading >= ``leading_photon_min_gev``, sub-leading >=
   ``subleading_photon_min_gev``; missing energy sqrt(s) - E_gamma1 - E_gamma2 >= ``missing_energy_min_gev``;
   both photons inside [cos_theta_min, cos_theta_max] (direction from the interaction point); chi2 must decay
   within ``decay_radius_max_m`` of the interaction point (3-d distance along its flight), with probability
   P_dec = 1 - exp(-R_max/(beta gamma c tau)).
5. **Couplings.** sigma_X and Gamma(chi2) both scale as d^2 (eq. (A.1),
   :func:`~darkreach.models.idm_dipole.chi2_width`), so one simulation per mass serves every coupling, as in
   :mod:`darkreach.sensitivity.scan`:

       N(d) / L = d^2 x BR(chi2 -> chi1 gamma) x < w [cuts] P_dec(d) >   (GeV^-2 -> fb with GEV2_TO_FB).

   N grows as d^4 for small d (production d^2 times P_dec ~ R_max/(beta gamma c tau) ~ d^2) and as d^2 for
   large d (prompt decays), so the excluded region N >= 10 has a lower edge in d only.

Reference (tests/test_ee_monophoton.py): M1 = 0.1 GeV, delta = 0.1, d = 1e-4 GeV^-1, 60 fb^-1 gives N = 0.93;
N = 10 is reached at d = 2.94e-4 GeV^-1.

Assumptions (defaults of :class:`EESelection`)
----------------------------------------------
* photon acceptance -0.31 < cos theta* < 0.60 in the CM frame: the fiducial region of the high-energy photon in
  the BaBar search of arXiv:0808.0017 as quoted by the recast literature (Essig et al. 2013); applied to
  both photons (it could not be checked against the original text here);
* R_max = 1.0 m: chi2 must decay before the electromagnetic calorimeter, whose inner radius is about
  0.9-1 m (BaBar detector paper, B. Aubert et al., NIM A 479 (2002) 1);
* no detection efficiency, no trigger or timing requirement on the displaced photon.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import integrate

from darkreach.constants import ALPHA_EM, HBARC_GEV_M
from darkreach.models.base import DarkSectorModel, Point
from darkreach.sensitivity.scan import ScanResult

__all__ = [
    "GEV2_TO_FB",
    "EEEvents",
    "EESelection",
    "ee_monophoton_scan",
    "expected_events_per_fb",
    "isr_cross_section",
    "isr_radiator",
    "simulate_ee_events",
]

#: 1 GeV^-2 in fb: (hbar c)^2 = 0.3893793721 GeV^2 mb (PDG 2024, physical constants), 1 mb = 1e12 fb.
#: Computed from the CODATA hbar c of :mod:`darkreach.constants` (1 fb = 1e-43 m^2).
GEV2_TO_FB: float = HBARC_GEV_M**2 * 1e43

#: Model method this module needs (see the module docstring), declared by
#: :attr:`darkreach.models.base.DarkSectorModel.ee_pair_cross_section_unit` (``None`` when a model has none).
CROSS_SECTION_METHOD = "ee_pair_cross_section_unit"


@dataclass(frozen=True)
class EESelection:
    """Collider, cuts and detector assumptions of the e+e- mono-photon bound (paper 000, sec. 4.2).

    Attributes
    ----------
    sqrt_s_gev
        Centre-of-mass energy (BaBar at the Upsilon(3S)/(4S): 10.58 GeV).
    leading_photon_min_gev, subleading_photon_min_gev
        Energy thresholds on the more and less energetic of the two photons (2 GeV, 20 MeV; paper 000).
    missing_energy_min_gev
        Minimum sqrt(s) - E_gamma1 - E_gamma2 (50 MeV; paper 000).
    cos_theta_min, cos_theta_max
        CM polar-angle window for both photons (assumption, module docstring: -0.31, 0.60).
    decay_radius_max_m
        chi2 must decay within this distance from the interaction point (assumption: 1.0 m); ``math.inf``
        counts every decay.
    """

    sqrt_s_gev: float = 10.58
    leading_photon_min_gev: float = 2.0
    subleading_photon_min_gev: float = 0.02
    missing_energy_min_gev: float = 0.05
    cos_theta_min: float = -0.31
    cos_theta_max: float = 0.6
    decay_radius_max_m: float = 1.0

    def __post_init__(self) -> None:
        for name in ("sqrt_s_gev", "subleading_photon_min_gev", "leading_photon_min_gev", "decay_radius_max_m"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and value > 0.0) or math.isnan(value):
                raise ValueError(f"{name} must be positive, got {value!r}")
        if not math.isfinite(self.sqrt_s_gev):
            raise ValueError(f"sqrt_s_gev must be finite, got {self.sqrt_s_gev!r}")
        if not (isinstance(self.missing_energy_min_gev, (int, float)) and self.missing_energy_min_gev >= 0.0):
            raise ValueError(f"missing_energy_min_gev must be non-negative, got {self.missing_energy_min_gev!r}")
        if self.subleading_photon_min_gev > self.leading_photon_min_gev:
            raise ValueError(
                f"subleading_photon_min_gev must not exceed leading_photon_min_gev = {self.leading_photon_min_gev!r}, "
                f"got {self.subleading_photon_min_gev!r}"
            )
        if not 2.0 * self.leading_photon_min_gev < self.sqrt_s_gev:
            raise ValueError(f"leading_photon_min_gev must be below sqrt_s_gev/2, got {self.leading_photon_min_gev!r}")
        if not -1.0 < self.cos_theta_min < 1.0:
            raise ValueError(f"cos_theta_min must lie in (-1, 1), got {self.cos_theta_min!r}")
        if not self.cos_theta_min < self.cos_theta_max < 1.0:
            raise ValueError(
                f"cos_theta_max must lie in (cos_theta_min = {self.cos_theta_min!r}, 1), got {self.cos_theta_max!r}"
            )


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


def _pair_cross_section(model: DarkSectorModel, point: Point, sqrt_s: np.ndarray) -> np.ndarray:
    """sigma(e+e- -> pair)(sqrt_s) at unit coupling, GeV^-2, from the model (array in, array out)."""
    method = model.ee_pair_cross_section_unit
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


def _photon_decay(model: DarkSectorModel, point: Point) -> tuple[float, float]:
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


def _x_range(selection: EESelection, m1: float, m2: float, x_min: float | None) -> tuple[float, float]:
    """Sampled range of x = 2 E_gamma(ISR)/sqrt(s) (module docstring, item 3); x_lo >= x_hi: nothing to do."""
    root_s = selection.sqrt_s_gev
    x_hi = 1.0 - (m1 + m2) ** 2 / root_s**2
    if x_min is not None:
        return float(x_min), x_hi
    x_lo = 2.0 * selection.subleading_photon_min_gev / root_s
    if m2 > m1:
        # largest chi2-photon energy: chi2 along the virtual photon, photon along chi2, x -> 0 (Q = sqrt(s))
        k_star = (m2 * m2 - m1 * m1) / (2.0 * m2)
        if m1 + m2 < root_s:
            q = root_s
            e_star = (q * q + m2 * m2 - m1 * m1) / (2.0 * q)
            p_star = math.sqrt(max(e_star * e_star - m2 * m2, 0.0))
            e_gamma_max = k_star * (e_star + p_star) / m2
            if e_gamma_max < selection.leading_photon_min_gev:
                x_lo = 2.0 * selection.leading_photon_min_gev / root_s
    return x_lo, x_hi


def isr_cross_section(
    model: DarkSectorModel,
    point: Point,
    selection: EESelection,
    x_min: float | None = None,
    x_max: float | None = None,
) -> float:
    """sigma(e+e- -> gamma chi1 chi2) in GeV^-2 at unit coupling, ISR photon in the acceptance and x range.

    No other cut. The cos theta integral of the radiator is done in closed form,
    int dc [A/(1-c^2) - x/2] = A [atanh(c_max) - atanh(c_min)] - x (c_max - c_min)/2, the x integral with
    :func:`scipy.integrate.quad` (in log x). Defaults: the x range the Monte Carlo samples.
    """
    if x_min is not None and not 0.0 < x_min:
        raise ValueError(f"x_min must be positive, got {x_min!r}")
    model.validate_point(point)
    m2 = model.llp_mass(point)
    m1, _ = _photon_decay(model, point)
    lo, hi = _x_range(selection, m1, m2, x_min)
    if x_max is not None:
        hi = min(hi, float(x_max))
    if not 0.0 < lo < hi:
        return 0.0
    c1, c2 = selection.cos_theta_min, selection.cos_theta_max
    eta = math.atanh(c2) - math.atanh(c1)
    s = selection.sqrt_s_gev**2

    def integrand(u: float) -> float:
        x = math.exp(u)
        sig = float(_pair_cross_section(model, point, np.array([math.sqrt(s * (1.0 - x))]))[0])
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
    passed
        The photon cuts (energies, missing energy, acceptance), without the decay-radius requirement.
    n_sampled
        Number of sampled events (the average is over all of them, passed or not).
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
    passed: np.ndarray
    n_sampled: int

    @classmethod
    def empty(cls) -> EEEvents:
        """No event (closed channel)."""
        z1, z4 = np.zeros(0), np.zeros((0, 4))
        return cls(z1, z1, z1, z4, z4, z4, z4, z4, z1, np.zeros(0, dtype=bool), 0)


def _isotropic(rng: np.random.Generator, n: int) -> np.ndarray:
    """n unit vectors uniform on the sphere, shape (n, 3)."""
    c = 2.0 * rng.random(n) - 1.0
    phi = 2.0 * math.pi * rng.random(n)
    s = np.sqrt(np.maximum(1.0 - c * c, 0.0))
    return np.stack([s * np.cos(phi), s * np.sin(phi), c], axis=1)


def _boost(q: np.ndarray, parent: np.ndarray, mass: np.ndarray | float) -> np.ndarray:
    """Boost four-vectors ``q`` from the rest frame of ``parent`` (mass ``mass``) to the frame of ``parent``.

    Same algebra as :func:`darkreach.kinematics.lorentz.boost_from_rest`, vectorised over rows.
    """
    pe, pv = parent[:, 0], parent[:, 1:]
    qe, qv = q[:, 0], q[:, 1:]
    pq = np.einsum("ij,ij->i", pv, qv)
    e = (pe * qe + pq) / mass
    f = (pq / (pe + mass) + qe) / mass
    return np.column_stack([e, qv + f[:, None] * pv])


def _two_body_momentum(m: np.ndarray | float, ma: float, mb: float) -> np.ndarray:
    lam = (np.asarray(m) ** 2 - (ma + mb) ** 2) * (np.asarray(m) ** 2 - (ma - mb) ** 2)
    return np.sqrt(np.maximum(lam, 0.0)) / (2.0 * np.asarray(m))


def simulate_ee_events(
    model: DarkSectorModel,
    point: Point,
    selection: EESelection,
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
    selection
        Collider and cuts.
    n_events
        Events to sample (all are kept; ``passed`` flags the cuts).
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
    if x_min is not None and not 0.0 < x_min:
        raise ValueError(f"x_min must be positive, got {x_min!r}")
    m2 = float(model.llp_mass(point))
    m1, _ = _photon_decay(model, point)
    root_s = selection.sqrt_s_gev
    x_lo, x_hi = _x_range(selection, m1, m2, x_min)
    if not x_lo < x_hi or m1 + m2 >= root_s:
        return EEEvents.empty()
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), int(stream_key)])))
    n = int(n_events)

    # ISR photon: x ~ 1/x, cos theta ~ 1/(1 - c^2), phi uniform
    log_range = math.log(x_hi / x_lo)
    x = x_lo * np.exp(log_range * rng.random(n))
    eta1, eta2 = math.atanh(selection.cos_theta_min), math.atanh(selection.cos_theta_max)
    c = np.tanh(eta1 + (eta2 - eta1) * rng.random(n))
    phi = 2.0 * math.pi * rng.random(n)
    sqrt_s_prime = root_s * np.sqrt(1.0 - x)
    sigma = _pair_cross_section(model, point, sqrt_s_prime)
    # weight = H(x, c) sigma_X / [p(x) p(c)], p(x) = 1/(x log_range), p(c) = 1/((1 - c^2)(eta2 - eta1))
    weight = (
        ALPHA_EM / math.pi * ((1.0 + (1.0 - x) ** 2) - 0.5 * x * x * (1.0 - c * c)) * log_range * (eta2 - eta1) * sigma
    )
    e_gam = 0.5 * x * root_s
    sin_t = np.sqrt(1.0 - c * c)
    photon_isr = np.column_stack([e_gam, e_gam * sin_t * np.cos(phi), e_gam * sin_t * np.sin(phi), e_gam * c])

    # virtual photon recoiling against it -> chi1 chi2, isotropic in its rest frame
    vstar = np.column_stack([root_s - e_gam, -photon_isr[:, 1:]])
    p_star = _two_body_momentum(sqrt_s_prime, m1, m2)
    dirs = _isotropic(rng, n)
    chi2_rest = np.column_stack([np.sqrt(p_star**2 + m2 * m2), p_star[:, None] * dirs])
    chi1_rest = np.column_stack([np.sqrt(p_star**2 + m1 * m1), -p_star[:, None] * dirs])
    chi2 = _boost(chi2_rest, vstar, sqrt_s_prime)
    chi1_prod = _boost(chi1_rest, vstar, sqrt_s_prime)

    # chi2 -> chi1 gamma, isotropic in the chi2 frame
    k_star = (m2 * m2 - m1 * m1) / (2.0 * m2)
    dirs = _isotropic(rng, n)
    photon_decay = _boost(np.column_stack([np.full(n, k_star), k_star * dirs]), chi2, m2)
    chi1_decay = _boost(np.column_stack([np.full(n, m2 - k_star), -k_star * dirs]), chi2, m2)
    betagamma = np.linalg.norm(chi2[:, 1:], axis=1) / m2

    passed = _photon_cuts(photon_isr, photon_decay, selection)
    return EEEvents(weight, x, c, photon_isr, chi1_prod, chi2, chi1_decay, photon_decay, betagamma, passed, n)


def _photon_cuts(g1: np.ndarray, g2: np.ndarray, selection: EESelection) -> np.ndarray:
    """Energy ordering, thresholds, missing energy and acceptance of the two photons (module docstring)."""
    e1, e2 = g1[:, 0], g2[:, 0]
    lead, sub = np.maximum(e1, e2), np.minimum(e1, e2)
    ok = (lead >= selection.leading_photon_min_gev) & (sub >= selection.subleading_photon_min_gev)
    ok &= selection.sqrt_s_gev - e1 - e2 >= selection.missing_energy_min_gev
    for g in (g1, g2):
        cos_t = g[:, 3] / np.maximum(g[:, 0], 1e-300)
        ok &= (cos_t >= selection.cos_theta_min) & (cos_t <= selection.cos_theta_max)
    return ok


def expected_events_per_fb(
    model: DarkSectorModel,
    point: Point,
    events: EEEvents,
    couplings: np.ndarray | Sequence[float],
    selection: EESelection,
) -> np.ndarray:
    """Expected signal events per fb^-1 at each coupling (module docstring, item 5).

    N(c)/L = GEV2_TO_FB c^power BR(LLP -> photon) (1/n) sum_i w_i [cuts]_i P_dec,i(c), with
    P_dec = 1 - exp(-R_max Gamma(c) / (beta gamma hbar c)), Gamma(c) = Gamma(1) c^power.
    """
    couplings = np.asarray(couplings, dtype=np.float64)
    if couplings.ndim != 1 or not np.all(np.isfinite(couplings) & (couplings > 0.0)):
        raise ValueError(f"couplings must be a 1-d array of positive finite numbers, got {couplings!r}")
    out = np.zeros(couplings.size)
    if events.n_sampled == 0:
        return out
    _, br = _photon_decay(model, point)
    keep = events.passed & (events.weight > 0.0)
    w, bg = events.weight[keep], events.betagamma[keep]
    if w.size == 0 or br == 0.0:
        return out
    power = model.scan.power
    gamma_unit = model.llp_width_unit(point)
    r_max = selection.decay_radius_max_m
    for j, cpl in enumerate(couplings):
        scale = cpl**power
        if math.isinf(r_max):
            p_dec = np.ones_like(w)
        else:
            # R_max / (beta gamma c tau); -expm1 keeps P_dec ~ d^2 exact for tiny couplings
            p_dec = -np.expm1(-r_max * gamma_unit * scale / (bg * HBARC_GEV_M))
        out[j] = GEV2_TO_FB * scale * br * float(np.sum(w * p_dec)) / events.n_sampled
    return out


def ee_monophoton_scan(
    model: DarkSectorModel,
    benchmark: Mapping[str, Any],
    masses: np.ndarray,
    couplings: np.ndarray,
    selection: EESelection,
    n_events: int,
    seed: int,
) -> ScanResult:
    """Scan masses x couplings of the e+e- mono-photon bound; expected events PER fb^-1.

    Parameters
    ----------
    model
        A model with ``ee_pair_cross_section_unit`` (TypeError otherwise), e.g. ``idm-dipole``.
    benchmark
        Fixed parameters (e.g. ``{"delta": 0.1}``); the model's ``mass_parameter`` is scanned.
    masses, couplings
        Grids (GeV; unit of ``model.scan``).
    selection
        Collider, cuts and assumptions (:class:`EESelection`).
    n_events
        Events sampled per mass.
    seed
        Master seed; mass i uses the stream (seed, i), so a mass gives the same numbers in any grid position
        only through its index.

    Returns
    -------
    ScanResult
        ``per_interaction`` of shape (1, n_masses, n_couplings), events per fb^-1 (``result.events(60.0)`` is
        the BaBar yield); ``thresholds`` = [leading_photon_min_gev]. Closed masses (M1 + M2 >= sqrt(s)) give 0.
    """
    if not model.has_ee_production():
        raise TypeError(
            f"model {model.name!r} ({type(model).__name__}) does not provide {CROSS_SECTION_METHOD}(point, sqrt_s); "
            "the e+e- mono-photon bound needs it"
        )
    if not isinstance(selection, EESelection):
        raise TypeError(f"selection must be an EESelection, got {type(selection).__name__}")
    masses = np.asarray(masses, dtype=np.float64)
    couplings = np.asarray(couplings, dtype=np.float64)
    if masses.ndim != 1 or couplings.ndim != 1:
        raise ValueError(f"masses and couplings must be 1-d arrays, got shapes {masses.shape} and {couplings.shape}")
    points = [{**benchmark, model.mass_parameter: float(m)} for m in masses]
    for p in points:
        model.validate_point(p)
    grid = np.zeros((1, masses.size, couplings.size))
    sigma_fb = []
    for i, p in enumerate(points):
        events = simulate_ee_events(model, p, selection, n_events, seed, stream_key=i)
        grid[0, i] = expected_events_per_fb(model, p, events, couplings, selection)
        sigma_fb.append(float(events.weight.mean()) * GEV2_TO_FB if events.n_sampled else 0.0)
    if not np.all(np.isfinite(grid)):
        raise FloatingPointError("e+e- mono-photon scan produced non-finite yields")
    return ScanResult(
        model=model.name,
        benchmark=dict(benchmark),
        mass_parameter=model.mass_parameter,
        coupling_name=model.scan.name,
        coupling_unit=model.scan.unit,
        masses=masses,
        couplings=couplings,
        thresholds=np.array([selection.leading_photon_min_gev]),
        per_interaction=grid,
        metadata={
            "n_events": int(n_events),
            "seed": int(seed),
            "bound": "ee_monophoton",
            "exposure_unit": "fb^-1",
            "selection": asdict(selection),
            "isr_cross_section_fb_unit_coupling": sigma_fb,
        },
    )
