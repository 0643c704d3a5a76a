r"""The LEP II mono-photon bound on the inelastic-scalar EFT (paper 003, sec. 2.3), bound ``lep-monophoton``.

Recast (paper 003, sec. 2.3, following Fox, Harnik, Kopp, Tsai, arXiv:1103.0240 = ref. [58] there)
-----------------------------------------------------------------------------------------------
Ref. [58] finds Lambda_chi > 500 GeV for the fermion operator (chibar gamma_mu chi)(ebar gamma^mu e)/Lambda^2
(Dirac chi lighter than 60-70 GeV) from the LEP II mono-photon searches at sqrt(s) ~ 200 GeV. With the paper's
factorisation sigma(e+e- -> X gamma) ~ sigma(e+e- -> X) R(e -> e gamma), R universal, the bound is a bound on
sigma(e+e- -> X) at sqrt(s), and sigma ~ Lambda^-4, so

    Lambda_phi = Lambda_chi x [sigma_phi(Lambda=1) / sigma_chi(Lambda=1)]^(1/4).

Both cross sections follow from the spin-averaged |M|^2 (m_e -> 0, CM angle theta):

* fermions: M = Lambda^-2 [vbar(p2) gamma^mu u(p1)] [ubar(k1) gamma_mu v(k2)];
  |M|^2 = s^2 [(1 + beta^2 c^2) + (1 - beta^2)] / Lambda^4, beta = sqrt(1 - 4 m_chi^2/s), so
  sigma_chi = s beta (3 - beta^2) / (24 pi Lambda^4) (massless: s/(12 pi Lambda^4));
* scalars (eq. 1.7 with J_phi of eq. 1.5): M = Lambda^-2 vbar(p2) gamma^mu (c_Ve + c_Ae gamma5) u(p1) (k2 - k1)_mu;
  |M|^2 = (c_Ve^2 + c_Ae^2) s^2 beta_phi^2 (1 - c^2) / (2 Lambda^4), beta_phi = lambda^(1/2)(s, m1^2, m2^2)/s, so
  sigma_phi = (c_Ve^2 + c_Ae^2) s beta_phi^3 / (48 pi Lambda^4) (the p-wave beta^3 of a scalar pair).

For massless final states the ratio is 1/4 (democratic c_Ve = 1, c_Ae = 0): Lambda_phi = 500/4^(1/4) = 353.6 GeV,
the paper's "Lambda >~ 350 GeV". The tests integrate both |M|^2 over the angle numerically against these forms.

EFT validity (paper 003, sec. 2.3): with M_cut = Lambda the EFT does not hold for Lambda < E_cm ~ 200 GeV; the
excluded interval is [sqrt(s), Lambda_phi], its lower edge the dashed "EFT floor" of Figs. 3 and 4.

phi2 must escape (paper 003, sec. 2.3): e+e- -> gamma phi1 phi2 at sqrt(s) = 200 GeV is simulated with the ISR
generator of :mod:`darkreach.production.electron_positron.events` (:func:`generate_isr_pairs`, the pair cross
section sigma_phi(s') above), and the requirement is c tau(phi2) <beta gamma> > 5 m, <.> the cross-section
weighted mean over the selected events. Since c tau ~ Lambda^4 the requirement is Lambda > Lambda_dec(m1) with
Lambda_dec^4 = 5 m Gamma_phi2(Lambda = 1 GeV) / (hbar c <beta gamma>).

``cutoff = "floor"`` (default, the paper's vertical cut): phi2 must escape at the lowest excluded Lambda, the
EFT floor sqrt(s), so the whole interval is kept below the mass where Lambda_dec = sqrt(s) and dropped above it.
This reproduces the paper's cut-off masses (m1 = 0.057 GeV at delta = 10, 2.91 GeV at delta = 0.1, against
"0.06" and "2.9"); evaluating at the upper edge Lambda_phi instead would give 0.082 and 4.15 GeV.
``cutoff = "pointwise"``: the requirement at every Lambda, giving [max(sqrt(s), Lambda_dec), Lambda_phi], which
closes at the upper-edge masses.

Assumed photon selection (a stand-in for the DELPHI single-photon selection used by ref. [58]; it only enters
<beta gamma>): x = 2 E_gamma/sqrt(s) > 0.06, |cos theta_gamma| < 0.7. The pair is isotropic in its rest frame
(the generator's simplification; the scalar sin^2 distribution is not modelled).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
from scipy import optimize

from darkreach.bounds.base import Bound, Excluded, clip_interval, register_bound
from darkreach.constants import HBARC_GEV_M
from darkreach.models.base import DarkSectorModel, Point
from darkreach.production.electron_positron.events import generate_isr_pairs

__all__ = [
    "LEPMonophoton",
    "LEPSelection",
    "fermion_pair_cross_section",
    "lep_scalar_lambda",
    "mean_betagamma",
    "scalar_pair_cross_section",
]

#: Ref. [58] of paper 003: Lambda > 500 GeV for the vector fermion operator (light Dirac chi).
LAMBDA_FERMION_GEV: float = 500.0


@dataclass(frozen=True)
class LEPSelection:
    """LEP II collider and the assumed mono-photon acceptance (module docstring); a ``PhotonAcceptance``."""

    sqrt_s_gev: float = 200.0
    x_min: float = 0.06
    cos_theta_max: float = 0.7
    decay_length_min_m: float = 5.0

    def __post_init__(self) -> None:
        for key in ("sqrt_s_gev", "x_min", "cos_theta_max", "decay_length_min_m"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (0 < value < math.inf):
                raise ValueError(f"{key} must be a positive finite number, got {value!r}")
        if not self.x_min < 1.0:
            raise ValueError(f"x_min must be below 1, got {self.x_min!r}")
        if not self.cos_theta_max < 1.0:
            raise ValueError(f"cos_theta_max must be below 1, got {self.cos_theta_max!r}")

    @property
    def cos_theta_min(self) -> float:
        return -self.cos_theta_max

    @property
    def leading_photon_min_gev(self) -> float:
        return 0.5 * self.x_min * self.sqrt_s_gev

    @property
    def subleading_photon_min_gev(self) -> float:
        return self.leading_photon_min_gev


def fermion_pair_cross_section(sqrt_s: float, m_chi: float = 0.0, Lambda: float = 1.0) -> float:
    """sigma(e+e- -> chibar chi) in GeV^-2 for the vector operator of ref. [58] (module docstring); 0 below threshold."""
    s = sqrt_s * sqrt_s
    if 2.0 * m_chi >= sqrt_s:
        return 0.0
    beta = math.sqrt(1.0 - 4.0 * m_chi * m_chi / s)
    return s * beta * (3.0 - beta * beta) / (24.0 * math.pi * Lambda**4)


def scalar_pair_cross_section(
    sqrt_s: np.ndarray | float, m1: float, m2: float, Lambda: float = 1.0, c_e2: float = 1.0
) -> np.ndarray | float:
    """sigma(e+e- -> phi1 phi2) in GeV^-2 through eq. (1.7) (module docstring); ``c_e2`` = c_Ve^2 + c_Ae^2.

    Exactly 0 at and below threshold. Array in, array out.
    """
    root = np.asarray(sqrt_s, dtype=np.float64)
    s = root * root
    lam = (s - (m1 + m2) ** 2) * (s - (m1 - m2) ** 2)
    beta3 = np.where(lam > 0.0, np.maximum(lam, 0.0) ** 1.5 / np.maximum(s, 1e-300) ** 3, 0.0)
    out = c_e2 * s * beta3 / (48.0 * math.pi * Lambda**4)
    return float(out) if out.ndim == 0 else out


def lep_scalar_lambda(sqrt_s: float = 200.0, c_e2: float = 1.0, lambda_fermion: float = LAMBDA_FERMION_GEV) -> float:
    """Lambda_phi = Lambda_chi (sigma_phi/sigma_chi)^(1/4) at sqrt(s), light dark states (the recast of sec. 2.3)."""
    ratio = float(scalar_pair_cross_section(sqrt_s, 0.0, 0.0, 1.0, c_e2)) / fermion_pair_cross_section(sqrt_s)
    return lambda_fermion * ratio**0.25


@lru_cache(maxsize=4096)
def mean_betagamma(m1: float, m2: float, selection: LEPSelection, n_events: int, seed: int) -> float:
    """Cross-section weighted <beta gamma> of phi2 in e+e- -> gamma phi1 phi2 (module docstring); 0 if closed.

    One random stream per call (seed, 0): the same numbers at every mass, so the cut-off is a smooth function
    of the mass (common random numbers).
    """
    root_s = selection.sqrt_s_gev
    x_hi = 1.0 - (m1 + m2) ** 2 / root_s**2
    if not selection.x_min < x_hi:
        return 0.0
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0])))
    weight, _, _, _, _, phi2 = generate_isr_pairs(
        lambda r: np.asarray(scalar_pair_cross_section(r, m1, m2)), m2, m1, selection, selection.x_min, x_hi,
        int(n_events), rng,
    )  # fmt: skip
    total = float(np.sum(weight))
    if not total > 0.0:
        return 0.0
    bg = np.linalg.norm(phi2[:, 1:], axis=1) / m2
    return float(np.sum(weight * bg) / total)


def _electron_c2(point: Point) -> float:
    from darkreach.models.inelastic_scalar.model import point_couplings

    cpl = point_couplings(point)
    return cpl.c_V("e") ** 2 + cpl.c_A("e") ** 2


@register_bound
class LEPMonophoton(Bound):
    """LEP II mono-photon recast with its EFT floor and phi2-escape cut-off (module docstring)."""

    name: ClassVar[str] = "lep-monophoton"
    label: ClassVar[str] = "LEP mono-$\\gamma$"
    source: ClassVar[str] = "paper 003 sec. 2.3; Fox, Harnik, Kopp, Tsai, arXiv:1103.0240 (Lambda > 500 GeV)"
    models: ClassVar[tuple[str, ...]] = ("inelastic-scalar",)
    edge_styles: ClassVar[dict[str, str]] = {"low": "dashed"}
    colour: ClassVar[str] = "0.35"

    def __init__(
        self,
        sqrt_s_gev: float = 200.0,
        decay_length_min_m: float = 5.0,
        lambda_fermion_gev: float = LAMBDA_FERMION_GEV,
        cutoff: str = "floor",
        n_events: int = 4000,
        seed: int = 20241016,
    ) -> None:
        self.selection = LEPSelection(sqrt_s_gev=sqrt_s_gev, decay_length_min_m=decay_length_min_m)
        if cutoff not in ("floor", "pointwise"):
            raise ValueError(f"cutoff must be 'floor' or 'pointwise', got {cutoff!r}")
        if not lambda_fermion_gev > 0.0:
            raise ValueError(f"lambda_fermion_gev must be positive, got {lambda_fermion_gev!r}")
        if isinstance(n_events, bool) or not isinstance(n_events, int) or n_events < 100:
            raise ValueError(f"n_events must be an integer >= 100, got {n_events!r}")
        self.lambda_fermion = float(lambda_fermion_gev)
        self.cutoff = cutoff
        self.n_events = n_events
        self.seed = int(seed)

    def lambda_bound(self, point: Point) -> float:
        """Lambda_phi of the recast at this point's electron coupling."""
        return lep_scalar_lambda(self.selection.sqrt_s_gev, _electron_c2(point), self.lambda_fermion)

    def lambda_decay(self, model: DarkSectorModel, point: Point) -> float:
        """Lambda above which c tau(phi2) <beta gamma> > the decay length (inf when phi2 cannot be produced)."""
        m1, m2 = float(point["m1"]), model.llp_mass(point)
        bg = mean_betagamma(m1, m2, self.selection, self.n_events, self.seed)
        if bg == 0.0:
            return math.inf
        gamma_unit = model.llp_width_unit(point)
        return (self.selection.decay_length_min_m * gamma_unit / (HBARC_GEV_M * bg)) ** 0.25

    def excluded(self, model: DarkSectorModel, point: Point, coupling_range: tuple[float, float]) -> list[Excluded]:
        self.check_model(model)
        model.validate_point(point)
        top = self.lambda_bound(point)
        floor = self.selection.sqrt_s_gev
        if not floor < top:
            return []
        lam_dec = self.lambda_decay(model, point)
        if lam_dec >= top or (self.cutoff == "floor" and lam_dec > floor):
            return []
        low = max(floor, lam_dec)
        interval = clip_interval(low, top, *coupling_range)
        return [] if interval is None else [interval]

    def cutoff_mass(self, model: DarkSectorModel, benchmark: Point, at_lambda: float | None = None) -> float:
        """The m1 (GeV) above which phi2 decays inside the decay length at Lambda = ``at_lambda``.

        Default: where the bound ends, the EFT floor sqrt(s) for ``cutoff = "floor"``, Lambda_phi for
        ``"pointwise"``.
        """
        if at_lambda is not None:
            lam = float(at_lambda)
        elif self.cutoff == "floor":
            lam = self.selection.sqrt_s_gev
        else:
            lam = self.lambda_bound(benchmark)

        def gap(log_m: float) -> float:
            point = model.point_at(benchmark, math.exp(log_m))
            return math.log(self.lambda_decay(model, point)) - math.log(lam)

        lo, hi = math.log(1e-4), math.log(0.45 * self.selection.sqrt_s_gev / (2.0 + float(benchmark["delta"])))
        if gap(lo) > 0 or gap(hi) < 0:
            raise ValueError(f"no cut-off mass between {math.exp(lo):g} and {math.exp(hi):g} GeV at Lambda = {lam:g}")
        return math.exp(optimize.brentq(gap, lo, hi, xtol=1e-6))

    def metadata(self) -> dict[str, Any]:
        return {
            **super().metadata(),
            "sqrt_s_gev": self.selection.sqrt_s_gev,
            "decay_length_min_m": self.selection.decay_length_min_m,
            "lambda_fermion_gev": self.lambda_fermion,
            "cutoff": self.cutoff,
            "n_events": self.n_events,
            "seed": self.seed,
        }
