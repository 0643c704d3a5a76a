"""Decay and production widths of the inelastic dark scalars phi1, phi2 of paper 003.

Paper 003: E. Bertuzzo, M. Taoso, "Probing light dark scalars with future experiments"
(text in ``/work/shared/papers/003_07ed8f72d457d07a.txt``). A complex scalar phi = (phi1 + i phi2)/sqrt(2)
is split in mass, m2 = (1 + delta) m1 (eq. 1.3), and talks to the SM through the dimension-6 operators

    L_EFT = J_phi^mu / Lambda^2  sum_f  fbar gamma_mu (c_Vf + c_Af gamma5) f,       (eqs. 1.7-1.9)
    J_phi^mu = (d^mu phi2) phi1 - phi2 (d^mu phi1),                                  (eq. 1.5)

with c_Vf = (c_fL + c_fR)/2 and c_Af = (c_fR - c_fL)/2. Everything here is a pure function of
(m1, delta or m2, Lambda, couplings); all masses and widths are in GeV, lengths in metres.

Contents
--------
* :class:`ScalarCouplings` (eq. 1.9) and the Z'/dark-photon matching, eqs. (4.1) and (4.3);
  the Z' widths of appendix B (eq. B.1).
* Meson couplings: c_P (A.7), c_P' (A.4), f_rho and f_omega (A.9) with the paper's F = 93 MeV, quarkonium
  f_V from the measured e+e- width (A.12).
* Production: Gamma(V -> phi1 phi2) (A.11, first line) and Gamma(P -> phi1 phi2 gamma) (A.11, second line,
  with the misprint corrected - see :func:`pseudoscalar_to_phi1phi2gamma_dgamma_ds`).
* phi2 decays (A.13)-(A.14): phi1 V, phi1 P' P'bar, phi1 f fbar, phi1 gamma P, with the ChPT / pQCD switch
  at m2 - m1 = 2 GeV (end of appendix A.2); :func:`phi2_channel_widths` and friends.

SM masses
---------
Every SM mass comes from the :mod:`particle` package (PDG): leptons e, mu, tau (pole masses); pi+, K+, K0;
the neutral mesons through :data:`darkreach.mesons.MESONS`. In the pQCD regime the quark masses are the PDG
values stored by :mod:`particle` (particle 1.1.0): u = 2.16 MeV, d = 4.7 MeV, s = 92.9 MeV (MS-bar at 2 GeV),
c = 1.273 GeV, b = 4.186 GeV (MS-bar m(m)), t = 172.6 GeV (pole). They only enter the phase space; the
c c~ channel contributes 0.2 % of the width at the (0.3 GeV, delta = 10) benchmark and the result does not
change by more than that if the c pole mass is used instead. Neutrinos are massless.

Interpretation choices (all needed to reproduce the four lifetimes quoted in sec. 3 within 5 %)
--------------------------------------------------------------------------------------------
1. phi2 -> phi1 f fbar, eq. (A.14) third line: ``s`` is the invariant mass squared of phi1 and ONE fermion,
   s = (p_phi1 + p_f)^2, integrated from (m1 + m_f)^2 to (m2 - m_f)^2 as stated under (A.14). With this reading
   the printed formula is exact: it equals, point by point in s, the Dalitz-plot integral over the other
   invariant of the spin-summed |M|^2 of (c/Lambda^2)(p2 + p1)_mu fbar gamma^mu (c_V + c_A gamma5) f (agreement
   to 1e-9 in ``tests/test_scalar_widths.py``, vector and axial parts). Quarks carry N_c = 3.
2. Neutrinos (``neutrino_convention="paper"``, the default): each flavour nu_l nu_l~ is given HALF of the
   width that (A.14) yields with c_V = -c_A = c_L/2 (V-A, c_R = 0). This is what the quoted lifetimes
   require: at (m1, delta, Lambda) = (2 MeV, 10, 100 GeV) and (0.1 GeV, 0.1, 100 GeV) only e+e- and nu nu~
   are open, and the full V-A neutrino rate gives c*tau = 3.9e4 m and 1.7e5 m (0.70 and 0.69 of the quoted
   5.6e4 m and 2.5e5 m), whereas the halved rate gives 5.60e4 m and 2.47e5 m. The same factor is consistent
   with the two hadronic benchmarks (1.42 m vs 1.4 m; 4.21 m vs 4.2 m; the full rate would give 1.33 m and
   3.86 m). For massless neutrinos the vector and axial terms of (A.14) are equal, so the paper's numbers are
   equally well described as "the c_A term dropped for neutrinos" or "a spurious symmetry factor 1/2";
   ``neutrino_convention="v-a"`` gives the textbook V-A rate (the same for Dirac or Majorana neutrinos).
3. Hadronic decays of phi2: for m2 - m1 > 2 GeV, free quarks u, d, s, c, b, t with N_c = 3 (pQCD); otherwise
   the meson channels phi1 rho, phi1 omega (the only vectors with an f_V in eq. A.9; phi(1020) is not in the
   paper), phi1 pi+pi-, phi1 K+K-, phi1 K0K0~ (c_P' of A.4, vanishing for democratic couplings) and
   phi1 gamma pi0/eta/eta' (c_P of A.7). At the (10 GeV, delta = 0.1) benchmark m2 - m1 = 1 GeV, so ChPT
   applies: rho, omega, pi0 gamma, eta gamma, eta' gamma are open (phi1 omega dominates, BR = 68 %).
4. F = 93 MeV (the paper's F, below eq. A.1) in (A.9), (A.11), (A.14); 92 MeV changes the 4.2 m benchmark
   by +1.5 %.
5. (A.11), second line, is misprinted: the bracket must be lambda(s, m1^2, m2^2)/M^4, i.e. the leading "1"
   is m1^4/M^4 (see :func:`pseudoscalar_to_phi1phi2gamma_dgamma_ds`). This does not enter any lifetime.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from particle import Particle
from scipy import integrate

from darkreach.constants import E_CHARGE, ctau_from_width
from darkreach.mesons import MESONS

# --------------------------------------------------------------------------------------------- constants
#: SM fermions carrying a Wilson coefficient in eq. (1.7), in a fixed order.
FERMIONS: tuple[str, ...] = ("u", "d", "s", "c", "b", "t", "e", "mu", "tau", "nu_e", "nu_mu", "nu_tau")
QUARKS: tuple[str, ...] = ("u", "d", "s", "c", "b", "t")
CHARGED_LEPTONS: tuple[str, ...] = ("e", "mu", "tau")
NEUTRINOS: tuple[str, ...] = ("nu_e", "nu_mu", "nu_tau")

#: PDG Monte Carlo identifiers used to look masses and charges up in :mod:`particle`.
_FERMION_PDGID: dict[str, int] = {
    "d": 1, "u": 2, "s": 3, "c": 4, "b": 5, "t": 6,
    "e": 11, "mu": 13, "tau": 15, "nu_e": 12, "nu_mu": 14, "nu_tau": 16,
}  # fmt: skip
#: Charged / neutral pseudoscalar pairs P' of eq. (A.1) (the antiparticle is the C conjugate).
CHARGED_PSEUDOSCALARS: dict[str, int] = {"pi+": 211, "K+": 321, "K0": 311}
#: Neutral pseudoscalars with an anomaly coupling c_P (eq. A.7), keys of :data:`darkreach.mesons.MESONS`.
ANOMALY_PSEUDOSCALARS: tuple[str, ...] = ("pi0", "eta", "etap")
#: Light vectors with an f_V in eq. (A.9).
LIGHT_VECTORS: tuple[str, ...] = ("rho", "omega")
#: Heavy quarkonia (A.12) and the quark whose Wilson coefficient they probe.
QUARKONIA: dict[str, str] = {"jpsi": "c", "upsilon": "b"}
#: Mesons whose decays produce phi1 phi2 (sec. 2.1 and appendix A.1).
PRODUCTION_MESONS: tuple[str, ...] = ("pi0", "eta", "etap", "rho", "omega", "jpsi", "upsilon")

#: Number of colours.
N_COLOURS: int = 3
#: The paper's pion decay constant F ~ 93 MeV (below eq. A.1), in GeV.
F_PAPER: float = 0.093
#: m2 - m1 above which phi2 hadronic decays are computed with free quarks (end of appendix A.2), in GeV.
PQCD_THRESHOLD: float = 2.0
#: Factor applied to each neutrino channel in the "paper" convention (interpretation choice 2 above).
PAPER_NEUTRINO_FACTOR: float = 0.5

NeutrinoConvention = Literal["paper", "v-a"]

_QUAD_OPTS = {"epsabs": 0.0, "epsrel": 1e-10, "limit": 200}

# the particle package loads its table lazily and not thread-safely: serialise lookups
_PDG_LOCK = threading.Lock()


@lru_cache(maxsize=None)
def _pdg(pdgid: int) -> tuple[float, float]:
    """(mass in GeV, electric charge) of ``pdgid`` from :mod:`particle`; a missing mass (neutrinos) is 0."""
    with _PDG_LOCK:
        p = Particle.from_pdgid(pdgid)
    mass = 0.0 if p.mass is None else p.mass * 1e-3
    return mass, float(p.charge)


for _pid in (*_FERMION_PDGID.values(), *CHARGED_PSEUDOSCALARS.values()):
    _pdg(_pid)


def fermion_mass(fermion: str) -> float:
    """Mass of SM fermion ``fermion`` in GeV from :mod:`particle` (quarks: PDG MS-bar values, see module doc)."""
    return _pdg(_FERMION_PDGID[_check_fermion(fermion)])[0]


def fermion_charge(fermion: str) -> float:
    """Electric charge Q_f in units of e (from :mod:`particle`)."""
    return _pdg(_FERMION_PDGID[_check_fermion(fermion)])[1]


def colour_factor(fermion: str) -> int:
    """N_c = 3 for quarks, 1 for leptons."""
    return N_COLOURS if _check_fermion(fermion) in QUARKS else 1


def charged_pseudoscalar_mass(meson: str) -> float:
    """Mass in GeV of P' = pi+, K+ or K0 (from :mod:`particle`)."""
    if meson not in CHARGED_PSEUDOSCALARS:
        raise KeyError(f"unknown P' meson {meson!r}; known: {', '.join(CHARGED_PSEUDOSCALARS)}")
    return _pdg(CHARGED_PSEUDOSCALARS[meson])[0]


def _check_fermion(fermion: str) -> str:
    if fermion not in _FERMION_PDGID:
        raise KeyError(f"unknown SM fermion {fermion!r}; known: {', '.join(FERMIONS)}")
    return fermion


# --------------------------------------------------------------------------------------------- kinematics
def kallen(x: float, y: float, z: float) -> float:
    """Kallen function lambda(x, y, z) = x^2 + y^2 + z^2 - 2xy - 2xz - 2yz."""
    return x * x + y * y + z * z - 2.0 * (x * y + x * z + y * z)


def a_function(x: float, y: float, z: float) -> float:
    """A(x, y, z) = 1 + (x - y)^2/z^2 - 2 (x + y)/z of eq. (A.10); equal to lambda(x, y, z)/z^2."""
    return 1.0 + (x - y) ** 2 / z**2 - 2.0 * (x + y) / z


def _sqrt0(x: float) -> float:
    """sqrt clipped at 0 (rounding at the edges of phase space)."""
    return math.sqrt(x) if x > 0.0 else 0.0


def _integrate(f, lo: float, hi: float) -> float:
    """Integral of f over [lo, hi] by adaptive quadrature, on the unit interval (relative accuracy 1e-10)."""
    if hi <= lo:
        return 0.0
    width = hi - lo

    def g(x: float) -> float:
        return f(lo + width * x)

    # full_output=1 turns quad's warnings into the flag ``ier`` (warnings filters are not thread-safe).
    res = integrate.quad(g, 0.0, 1.0, full_output=1, **_QUAD_OPTS)
    if len(res) > 3:  # ier != 0: retry with a looser tolerance
        res = integrate.quad(g, 0.0, 1.0, full_output=1, epsabs=0.0, epsrel=1e-6, limit=200)
    val, err = res[0], res[1]
    if len(res) > 3 and not err <= 1e-3 * abs(val):
        # Only seen within ~1e-7 (relative) of a threshold, where the width is suppressed by a power >= 3 of the
        # excess and round-off in the integrand dominates; the estimate is kept (it is negligible there).
        if hi - lo > 1e-6 * hi:
            raise RuntimeError(f"integration did not converge on [{lo!r}, {hi!r}]: {val!r} +- {err!r} ({res[3]})")
    return val * width


def _check_masses(m1: float, m2: float, Lambda: float) -> None:
    if not (m1 >= 0.0 and m2 >= m1):
        raise ValueError(f"need 0 <= m1 <= m2, got m1={m1!r}, m2={m2!r}")
    if not Lambda > 0.0:
        raise ValueError(f"Lambda must be positive, got {Lambda!r}")


def m2_from_delta(m1: float, delta: float) -> float:
    """m2 = (1 + delta) m1, eq. (1.3)."""
    if not (m1 > 0.0 and delta >= 0.0):
        raise ValueError(f"need m1 > 0 and delta >= 0, got m1={m1!r}, delta={delta!r}")
    return m1 * (1.0 + delta)


# --------------------------------------------------------------------------------------------- couplings
def _freeze(values: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType({f: float(values.get(f, 0.0)) for f in FERMIONS})


@dataclass(frozen=True)
class ScalarCouplings:
    """Wilson coefficients c_fL, c_fR of eq. (1.7) for every SM fermion (:data:`FERMIONS`).

    Missing fermions have zero coefficients. Neutrinos are purely left-handed: a non-zero c_R for a
    neutrino is rejected. Use :meth:`democratic` for the paper's benchmark (c_fL = c_fR = 1, neutrinos
    c_L = 1, c_R = 0) and :meth:`from_mapping` to read a YAML/JSON block.
    """

    c_L: Mapping[str, float] = field(default_factory=dict)
    c_R: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for label, values in (("c_L", self.c_L), ("c_R", self.c_R)):
            unknown = sorted(set(values) - set(FERMIONS))
            if unknown:
                names = ", ".join(map(repr, unknown))
                raise ValueError(f"{label}: unknown fermion name(s) {names}; known: {', '.join(FERMIONS)}")
            for f, v in values.items():
                if not math.isfinite(float(v)):
                    raise ValueError(f"{label}[{f!r}] must be finite, got {v!r}")
        bad = [nu for nu in NEUTRINOS if float(self.c_R.get(nu, 0.0)) != 0.0]
        if bad:
            raise ValueError(f"neutrinos have no right-handed component: c_R must be 0 for {', '.join(bad)}")
        object.__setattr__(self, "c_L", _freeze(self.c_L))
        object.__setattr__(self, "c_R", _freeze(self.c_R))

    def __hash__(self) -> int:
        return hash((tuple(self.c_L.values()), tuple(self.c_R.values())))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScalarCouplings):
            return NotImplemented
        return dict(self.c_L) == dict(other.c_L) and dict(self.c_R) == dict(other.c_R)

    @classmethod
    def democratic(cls, c: float = 1.0) -> ScalarCouplings:
        """c_fL = c_fR = c for every charged fermion, c_L = c and c_R = 0 for neutrinos (sec. 2.1, Fig. 1)."""
        return cls(c_L={f: c for f in FERMIONS}, c_R={f: (0.0 if f in NEUTRINOS else c) for f in FERMIONS})

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> ScalarCouplings:
        """Build from a mapping such as a YAML/JSON block.

        Keys are fermion names (:data:`FERMIONS`); each value is either a number ``c`` (a vector coupling,
        c_L = c_R = c; for a neutrino c_L = c, c_R = 0) or a mapping ``{"c_L": ..., "c_R": ...}`` (a missing
        entry is 0). Unlisted fermions get zero. Unknown fermion names or inner keys raise ``ValueError``
        naming them.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"couplings must be a mapping of fermion -> coupling, got {type(data).__name__}")
        unknown = sorted(str(k) for k in data if k not in FERMIONS)
        if unknown:
            raise ValueError(f"unknown fermion name(s) {', '.join(map(repr, unknown))}; known: {', '.join(FERMIONS)}")
        c_l: dict[str, float] = {}
        c_r: dict[str, float] = {}
        for f, value in data.items():
            if isinstance(value, Mapping):
                bad = sorted(str(k) for k in value if k not in ("c_L", "c_R"))
                if bad:
                    raise ValueError(f"fermion {f!r}: unknown key(s) {', '.join(map(repr, bad))}; expected 'c_L', 'c_R'")
                c_l[f] = _as_float(value.get("c_L", 0.0), f"{f}.c_L")
                c_r[f] = _as_float(value.get("c_R", 0.0), f"{f}.c_R")
            else:
                c = _as_float(value, f)
                c_l[f] = c
                c_r[f] = 0.0 if f in NEUTRINOS else c
        return cls(c_L=c_l, c_R=c_r)

    def c_V(self, fermion: str) -> float:
        """Vector coefficient c_Vf = (c_fL + c_fR)/2, eq. (1.9)."""
        f = _check_fermion(fermion)
        return 0.5 * (self.c_L[f] + self.c_R[f])

    def c_A(self, fermion: str) -> float:
        """Axial coefficient c_Af = (c_fR - c_fL)/2, eq. (1.9)."""
        f = _check_fermion(fermion)
        return 0.5 * (self.c_R[f] - self.c_L[f])

    def as_dict(self) -> dict[str, dict[str, float]]:
        """Plain nested dict {fermion: {"c_L": ..., "c_R": ...}} (round-trips through :meth:`from_mapping`)."""
        return {f: {"c_L": self.c_L[f], "c_R": self.c_R[f]} for f in FERMIONS}


def _as_float(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"coupling {what!r} must be a number, got {value!r}")
    return float(value)


#: The benchmark of the paper: c_fL = c_fR = 1 (neutrinos left-handed only).
DEMOCRATIC: ScalarCouplings = ScalarCouplings.democratic()


# --------------------------------------------------------------------------------------------- Z' model
def couplings_from_gauge(
    g_phi: float, g_L: Mapping[str, float], g_R: Mapping[str, float], M_Zprime: float
) -> tuple[ScalarCouplings, float]:
    """EFT matching of the Z' model (1.4) onto (1.7), eq. (4.1): c_fL/Lambda^2 = g_phi g_L^f / M_Z'^2.

    Convention: Lambda = M_Z' and c_fL = g_phi g_L^f, c_fR = g_phi g_R^f (only the ratio c/Lambda^2 is
    physical). Returns ``(couplings, Lambda)``.
    """
    if not M_Zprime > 0.0:
        raise ValueError(f"M_Zprime must be positive, got {M_Zprime!r}")
    couplings = ScalarCouplings(
        c_L={f: g_phi * float(g) for f, g in g_L.items()}, c_R={f: g_phi * float(g) for f, g in g_R.items()}
    )
    return couplings, float(M_Zprime)


def zprime_chiral_couplings(g_V_quark: float, g_V_lepton: float) -> tuple[dict[str, float], dict[str, float]]:
    """(g_L, g_R) of the flavour-blind vector Z' of sec. 4.1: g_L^f = g_R^f = g_Vq (quarks), g_Vl (leptons).

    Neutrinos: g_L = g_Vl (SU(2)_L partner of the charged lepton, eq. 1.4 is written for chiral multiplets),
    g_R = 0.
    """
    g_l = {f: (g_V_quark if f in QUARKS else g_V_lepton) for f in FERMIONS}
    g_r = {f: (0.0 if f in NEUTRINOS else g_l[f]) for f in FERMIONS}
    return g_l, g_r


def couplings_from_zprime(
    g_phi: float, g_V_quark: float, g_V_lepton: float, M_Zprime: float
) -> tuple[ScalarCouplings, float]:
    """EFT couplings of the heavy vector Z' of sec. 4.1 via eq. (4.1); returns ``(couplings, Lambda = M_Z')``.

    c_fL = c_fR = g_phi g_Vq for quarks and g_phi g_Vl for charged leptons, c_L = g_phi g_Vl for neutrinos.
    """
    g_l, g_r = zprime_chiral_couplings(g_V_quark, g_V_lepton)
    return couplings_from_gauge(g_phi, g_l, g_r, M_Zprime)


def dark_photon_vector_couplings(epsilon: float) -> dict[str, float]:
    """g_Vf = epsilon e Q_f, g_Af = 0 (eq. 4.3); neutrinos decouple."""
    return {f: epsilon * E_CHARGE * fermion_charge(f) for f in FERMIONS}


def couplings_from_dark_photon(epsilon: float, g_phi: float, M_Zprime: float) -> tuple[ScalarCouplings, float]:
    """EFT couplings of the dark photon of sec. 4.2 (eqs. 4.1 and 4.3); returns ``(couplings, Lambda = M_Z')``."""
    g_v = dark_photon_vector_couplings(epsilon)
    return couplings_from_gauge(g_phi, g_v, g_v, M_Zprime)


def zprime_width_ff(M_Zprime: float, m_f: float, g_V: float, g_A: float, n_c: int = 1) -> float:
    """Gamma(Z' -> f fbar), eq. (B.1) first line; exactly 0 below threshold (2 m_f >= M_Z')."""
    if 2.0 * m_f >= M_Zprime:
        return 0.0
    r = m_f**2 / M_Zprime**2
    couplings = g_V**2 * (1.0 + 2.0 * r) + g_A**2 * (1.0 - 4.0 * r)
    return n_c / (12.0 * math.pi) * M_Zprime * math.sqrt(1.0 - 4.0 * r) * couplings


def zprime_width_phi1phi2(M_Zprime: float, m1: float, m2: float, g_phi: float) -> float:
    """Gamma(Z' -> phi1 phi2), eq. (B.1) second line; exactly 0 below threshold (m1 + m2 >= M_Z')."""
    if m1 + m2 >= M_Zprime:
        return 0.0
    a = 1.0 - (m1 - m2) ** 2 / M_Zprime**2
    b = 1.0 - (m1 + m2) ** 2 / M_Zprime**2
    return g_phi**2 / (48.0 * math.pi) * M_Zprime * a**1.5 * b**1.5


def zprime_channel_widths(
    M_Zprime: float, m1: float, m2: float, g_phi: float, g_L: Mapping[str, float], g_R: Mapping[str, float]
) -> dict[str, float]:
    """All Z' partial widths of eq. (B.1): one entry per SM fermion (colour included) and ``"phi1 phi2"``.

    Chiral couplings g_L, g_R (missing fermions are 0) are turned into g_V, g_A by eq. (1.10); free quarks
    with the :mod:`particle` masses (no QCD corrections).
    """
    out: dict[str, float] = {}
    for f in FERMIONS:
        gl, gr = float(g_L.get(f, 0.0)), float(g_R.get(f, 0.0))
        out[f] = zprime_width_ff(M_Zprime, fermion_mass(f), 0.5 * (gl + gr), 0.5 * (gr - gl), colour_factor(f))
    out["phi1 phi2"] = zprime_width_phi1phi2(M_Zprime, m1, m2, g_phi)
    return out


# --------------------------------------------------------------------------------------------- meson couplings
def pseudoscalar_vector_coupling(meson: str, couplings: ScalarCouplings = DEMOCRATIC) -> float:
    """Anomaly (Wess-Zumino) coupling c_P in the mass basis, eq. (A.7) (right column).

    c_pi = 2 c_Vu + c_Vd; c_eta = -(1.45 c_Vu - 0.73 c_Vd + 0.65 c_Vs); c_eta' = -(1.18 c_Vu - 0.59 c_Vd - 0.80 c_Vs).
    (The eta/eta' numbers follow from eqs. A.3, A.5, A.6 with the inverse of the A.6 matrix; tests check this.)
    """
    cu, cd, cs = couplings.c_V("u"), couplings.c_V("d"), couplings.c_V("s")
    if meson == "pi0":
        return 2.0 * cu + cd
    if meson == "eta":
        return -(1.45 * cu - 0.73 * cd + 0.65 * cs)
    if meson == "etap":
        return -(1.18 * cu - 0.59 * cd - 0.80 * cs)
    raise KeyError(f"no anomaly coupling for {meson!r}; known: {', '.join(ANOMALY_PSEUDOSCALARS)}")


def pseudoscalar_axial_coupling(meson: str, couplings: ScalarCouplings = DEMOCRATIC) -> float:
    """Axial coupling c~_P in the mass basis, eq. (A.7) (left column); for completeness only (no width uses it)."""
    au, ad, as_ = couplings.c_A("u"), couplings.c_A("d"), couplings.c_A("s")
    if meson == "pi0":
        return ad - au
    if meson == "eta":
        return -(0.727 * (au + ad) - 0.648 * as_)
    if meson == "etap":
        return -(0.589 * (au + ad) + 0.799 * as_)
    raise KeyError(f"no axial coupling for {meson!r}; known: {', '.join(ANOMALY_PSEUDOSCALARS)}")


def charged_meson_coupling(meson: str, couplings: ScalarCouplings = DEMOCRATIC) -> float:
    """c_P' of eq. (A.4): c_K0 = c_Vs - c_Vd, c_K+ = c_Vs - c_Vu, c_pi+ = c_Vd - c_Vu (0 for democratic couplings)."""
    cu, cd, cs = couplings.c_V("u"), couplings.c_V("d"), couplings.c_V("s")
    if meson == "pi+":
        return cd - cu
    if meson == "K+":
        return cs - cu
    if meson == "K0":
        return cs - cd
    raise KeyError(f"unknown P' meson {meson!r}; known: {', '.join(CHARGED_PSEUDOSCALARS)}")


def light_vector_decay_constant(meson: str, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER) -> float:
    """f_V of eq. (A.9) in GeV: f_rho = (1.68 c_Vu - 1.59 c_Vd) F, f_omega = (1.46 c_Vu + 1.53 c_Vd) F."""
    cu, cd = couplings.c_V("u"), couplings.c_V("d")
    if meson == "rho":
        return (1.68 * cu - 1.59 * cd) * F
    if meson == "omega":
        return (1.46 * cu + 1.53 * cd) * F
    raise KeyError(f"no eq. (A.9) decay constant for {meson!r}; known: {', '.join(LIGHT_VECTORS)}")


def quarkonium_quark_decay_constant(meson: str) -> float:
    """f_V^q in GeV from the measured e+e- width, eq. (A.12): Gamma(V->ee) = (f_V^q)^2 e^4 Q_q^2/(12 pi M).

    Q_c = 2/3 for J/psi, Q_b = -1/3 for Upsilon(1S) (from :mod:`particle`); Gamma_ee = BR_ee x Gamma_tot of
    :data:`darkreach.mesons.MESONS`.
    """
    if meson not in QUARKONIA:
        raise KeyError(f"{meson!r} is not a heavy quarkonium; known: {', '.join(QUARKONIA)}")
    spec = MESONS[meson]
    q = fermion_charge(QUARKONIA[meson])
    return math.sqrt(12.0 * math.pi * spec.mass * spec.width_ee / (E_CHARGE**4 * q * q))


def vector_decay_constant(meson: str, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER) -> float:
    """Effective f_V (GeV) coupling V to the dark current: eq. (A.9) for rho/omega, c_Vq f_V^q (A.12) for J/psi, Upsilon."""
    if meson in LIGHT_VECTORS:
        return light_vector_decay_constant(meson, couplings, F)
    if meson in QUARKONIA:
        return couplings.c_V(QUARKONIA[meson]) * quarkonium_quark_decay_constant(meson)
    raise KeyError(f"no vector decay constant for {meson!r}; known: {', '.join((*LIGHT_VECTORS, *QUARKONIA))}")


# --------------------------------------------------------------------------------------------- production (A.1)
def vector_to_phi1phi2_width(
    meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> float:
    """Gamma(V -> phi1 phi2) in GeV, eq. (A.11) first line, V = rho, omega (f_V of A.9), J/psi, Upsilon (A.12).

    f_V^2 M^3/(48 pi Lambda^4) A(m1^2, m2^2, M^2) [1-(m1-m2)^2/M^2]^{1/2} [1-(m1+m2)^2/M^2]^{1/2}
    = f_V^2 M^3 A^{3/2}/(48 pi Lambda^4); exactly 0 when m1 + m2 >= M.
    """
    _check_masses(m1, m2, Lambda)
    mass = MESONS[meson].mass
    f_v = vector_decay_constant(meson, couplings, F)
    if m1 + m2 >= mass:
        return 0.0
    a = 1.0 - (m1 - m2) ** 2 / mass**2
    b = 1.0 - (m1 + m2) ** 2 / mass**2
    return f_v**2 * mass**3 / (48.0 * math.pi * Lambda**4) * a_function(m1**2, m2**2, mass**2) * math.sqrt(a * b)


def pseudoscalar_to_phi1phi2gamma_dgamma_ds(
    s: float, meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> float:
    """dGamma(P -> phi1 phi2 gamma)/ds in GeV^-1, s = (p_phi1 + p_phi2)^2, eq. (A.11) second line, corrected.

    Printed:  2 e^2 c_P^2/(3 (4 pi)^7 F^2 Lambda^4) M^3 (M^2 - s)^3/s^2 [1 + (m2^2-s)^2/M^4 - 2 m1^2 (m2^2+s)/M^4]^{3/2}.
    Used:     the same with the bracket replaced by lambda(s, m1^2, m2^2)/M^4, i.e. the leading "1" -> m1^4/M^4.

    Evidence for the misprint: (i) the printed bracket does not vanish at the threshold s = (m1+m2)^2 where
    the phi1 phi2 momentum does; (ii) for m1, m2 -> 0 it tends to 1, so the 1/s^2 makes the rate diverge like
    M^9/(m1+m2)^2, an infrared divergence a massive dark pair cannot have; (iii) the corrected form is the crossed
    version of the phi2 -> phi1 gamma P formula of (A.14) (which is printed consistently), and it agrees with
    the direct Dalitz integration of |M|^2 = 16 C^2 Gram(k, p1, p2), C = e c_P/(8 pi^2 F Lambda^2), from the
    Wess-Zumino term of (A.1) (tests). The prefactor 2/(3 (4 pi)^7) is confirmed by that calculation;
    (iv) with the printed bracket, at the Fig. 1 benchmark (delta = 10, Lambda = 1 TeV, m1 = 1 MeV)
    BR(eta -> phi1 phi2 gamma) = 6e-12 and BR(pi0 -> ...) = 1.5e-14, so eta and pi0 would out-produce the omega
    (BR 2.8e-14) at SHiP by orders of magnitude, contradicting sec. 2.1 ("dominated by the omega contribution
    for small dark scalar masses"; J/psi and Upsilon "exceed those from the light mesons, except for the
    omega"); the corrected form gives 1.5e-16 and 6e-18, consistent with both statements.
    """
    mass = MESONS[meson].mass
    if not ((m1 + m2) ** 2 < s < mass**2):
        return 0.0
    c_p = pseudoscalar_vector_coupling(meson, couplings)
    pre = 2.0 * E_CHARGE**2 * c_p**2 / (3.0 * (4.0 * math.pi) ** 7 * F**2 * Lambda**4)
    lam = max(kallen(s, m1**2, m2**2), 0.0)
    return pre * mass**3 * (mass**2 - s) ** 3 / s**2 * (lam / mass**4) ** 1.5


def pseudoscalar_to_phi1phi2gamma_width(
    meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> float:
    """Gamma(P -> phi1 phi2 gamma) in GeV for P = pi0, eta, eta': (A.11) integrated from (m1+m2)^2 to M^2.

    Exactly 0 when m1 + m2 >= M.
    """
    _check_masses(m1, m2, Lambda)
    mass = MESONS[meson].mass
    c_p = pseudoscalar_vector_coupling(meson, couplings)
    if m1 + m2 >= mass or c_p == 0.0:
        return 0.0
    # integrate at Lambda = 1 and rescale (keeps quad's relative error meaningful for tiny widths)
    lo, hi = (m1 + m2) ** 2, mass**2
    integrand = lambda s: pseudoscalar_to_phi1phi2gamma_dgamma_ds(s, meson, m1, m2, 1.0, couplings, F)  # noqa: E731
    return _integrate(integrand, lo, hi) / Lambda**4


def meson_widths(
    m1: float, delta: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> dict[str, float]:
    """Gamma(M -> phi1 phi2 + X) in GeV for M in :data:`PRODUCTION_MESONS` (X = gamma for pi0, eta, eta')."""
    m2 = m2_from_delta(m1, delta)
    out: dict[str, float] = {}
    for key in PRODUCTION_MESONS:
        if MESONS[key].kind == "pseudoscalar":
            out[key] = pseudoscalar_to_phi1phi2gamma_width(key, m1, m2, Lambda, couplings, F)
        else:
            out[key] = vector_to_phi1phi2_width(key, m1, m2, Lambda, couplings, F)
    return out


def meson_branching_ratios(
    m1: float, delta: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> dict[str, float]:
    """BR(M -> phi1 phi2 + X) = Gamma / Gamma_tot(M) with the PDG total widths (left panel of Fig. 1)."""
    return {k: w / MESONS[k].width for k, w in meson_widths(m1, delta, Lambda, couplings, F).items()}


# --------------------------------------------------------------------------------------------- phi2 decays (A.2)
def phi2_to_phi1_vector_width(
    meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> float:
    """Gamma(phi2 -> phi1 V) in GeV, eq. (A.14) first line, V = rho, omega with f_V of (A.9).

    f_V^2 m2^3/(16 pi Lambda^4) [1-(m1-M)^2/m2^2]^{3/2} [1-(m1+M)^2/m2^2]^{3/2} = f_V^2 lambda^{3/2}/(16 pi m2^3
    Lambda^4) (= |M|^2 = f_V^2 lambda/Lambda^4 summed over V polarisations, times two-body phase space).
    Exactly 0 when m1 + M >= m2.
    """
    _check_masses(m1, m2, Lambda)
    if meson not in LIGHT_VECTORS:
        raise KeyError(f"phi2 -> phi1 V is implemented for {', '.join(LIGHT_VECTORS)} (eq. A.9), not {meson!r}")
    mass = MESONS[meson].mass
    if m1 + mass >= m2:
        return 0.0
    f_v = light_vector_decay_constant(meson, couplings, F)
    a = 1.0 - (m1 - mass) ** 2 / m2**2
    b = 1.0 - (m1 + mass) ** 2 / m2**2
    return f_v**2 * m2**3 / (16.0 * math.pi * Lambda**4) * a**1.5 * b**1.5


def phi2_to_phi1_ff_dgamma_ds(s: float, m1: float, m2: float, m_f: float, c_V: float, c_A: float, Lambda: float) -> float:
    """dGamma(phi2 -> phi1 f fbar)/ds in GeV^-1 for ONE colour, eq. (A.14) third line, as printed.

    ``s`` = (p_phi1 + p_f)^2, the invariant mass squared of phi1 and one fermion (integration limits
    (m1+m_f)^2 ... (m2-m_f)^2 under A.14). With this reading the printed expression is exact - it is the
    integral over the other Dalitz variable of |M|^2 for (c/Lambda^2)(p1+p2)_mu fbar gamma^mu (c_V + c_A g5) f,
    no interference (see module doc, choice 1). m1^2/m2 A(s, m_f^2, m1^2)^{1/2} A(s, m_f^2, m2^2)^{1/2}
    = lambda^{1/2}(s, m_f^2, m1^2) lambda^{1/2}(s, m_f^2, m2^2)/m2^3 is used so that m1 -> 0 is regular.
    """
    lo, hi = (m1 + m_f) ** 2, (m2 - m_f) ** 2
    if not (lo < s < hi):
        return 0.0
    mf2, m12, m22 = m_f * m_f, m1 * m1, m2 * m2
    phase = _sqrt0(kallen(s, mf2, m12)) * _sqrt0(kallen(s, mf2, m22)) / m2**3
    vec = ((s - mf2) ** 2 * (m12 + m22 - mf2 - s) - m12 * m22 * (s + mf2)) / s**2
    axi = ((m12 + m22) * (s + mf2) - m12 * m22 - (s - mf2) ** 2) / s
    return phase / (64.0 * math.pi**3 * Lambda**4) * (c_V**2 * vec + c_A**2 * axi)


def phi2_to_phi1_ff_width(
    fermion: str,
    m1: float,
    m2: float,
    Lambda: float,
    couplings: ScalarCouplings = DEMOCRATIC,
    *,
    neutrino_convention: NeutrinoConvention = "paper",
) -> float:
    """Gamma(phi2 -> phi1 f fbar) in GeV: (A.14) integrated over s in [(m1+m_f)^2, (m2-m_f)^2], times N_c.

    Colour factor N_c = 3 for quarks (pQCD prescription, end of A.2). Neutrinos use c_V, c_A of eq. (1.9)
    (V-A for c_R = 0) and, in the default ``"paper"`` convention, an extra factor 1/2 (module doc, choice 2).
    Exactly 0 when m2 - m1 <= 2 m_f.
    """
    _check_masses(m1, m2, Lambda)
    m_f = fermion_mass(fermion)
    c_v, c_a = couplings.c_V(fermion), couplings.c_A(fermion)
    if m2 - m1 <= 2.0 * m_f or (c_v == 0.0 and c_a == 0.0):
        return 0.0
    lo, hi = (m1 + m_f) ** 2, (m2 - m_f) ** 2
    g = _integrate(lambda s: phi2_to_phi1_ff_dgamma_ds(s, m1, m2, m_f, c_v, c_a, 1.0), lo, hi) / Lambda**4
    g *= colour_factor(fermion)
    if fermion in NEUTRINOS:
        if neutrino_convention == "paper":
            g *= PAPER_NEUTRINO_FACTOR
        elif neutrino_convention != "v-a":
            raise ValueError(f"neutrino_convention must be 'paper' or 'v-a', got {neutrino_convention!r}")
    return g


def _pp_f1_f2(s: float, m1: float, m2: float, mass: float) -> tuple[float, float]:
    """F1 and F2 of eq. (A.13)."""
    m12, m22, M2 = m1 * m1, m2 * m2, mass * mass
    root = _sqrt0((s + M2 - m12) ** 2 / (4.0 * s * M2) - 1.0) * _sqrt0((s + M2 - m22) ** 2 / (4.0 * s * M2) - 1.0)
    f1 = 2.0 * (m12 - M2) * (m22 - M2) + 2.0 * s * (m12 + m22 + 2.0 * M2) - 6.0 * s * s + 8.0 * s * M2 * root
    # m1^2 m2^2 A(M^2, s, m1^2)^{1/2} A(M^2, s, m2^2)^{1/2} written as lambda^{1/2} lambda^{1/2} (regular at m1 -> 0)
    roots = _sqrt0(kallen(M2, s, m12)) * _sqrt0(kallen(M2, s, m22))
    f2 = (m12 - M2) * (m22 - M2) - roots + (m12 + m22 + 2.0 * M2) * s - 3.0 * s * s
    return f1, f2


def phi2_to_phi1_pp_dgamma_ds(
    s: float, meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC
) -> float:
    """dGamma(phi2 -> phi1 P' P'bar)/ds in GeV^-1, eq. (A.14) second line with F1, F2 of (A.13), as printed.

    ``s`` = (p_phi1 + p_P')^2. Checked against the Dalitz integral of |M|^2 = c_P'^2 (s - t)^2/Lambda^4,
    t = (p_phi1 + p_P'bar)^2, which it reproduces exactly: F1 and 2 F2 are 2s(s - t) at the two ends of the
    t range (up to sign), so (F1^3 - 8 F2^3)/(3 ...) is the t integral of (s - t)^2.
    """
    mass = charged_pseudoscalar_mass(meson)
    if not ((m1 + mass) ** 2 < s < (m2 - mass) ** 2):
        return 0.0
    c = charged_meson_coupling(meson, couplings)
    f1, f2 = _pp_f1_f2(s, m1, m2, mass)
    return 2.0 * c**2 / (3.0 * (32.0 * math.pi) ** 3 * Lambda**4) * (f1**3 - 8.0 * f2**3) / (m2**3 * s**3)


def phi2_to_phi1_pp_width(meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC) -> float:
    """Gamma(phi2 -> phi1 P' P'bar) in GeV, P' = pi+, K+, K0; s in [(m1+M)^2, (m2-M)^2]. 0 when m2 - m1 <= 2M."""
    _check_masses(m1, m2, Lambda)
    mass = charged_pseudoscalar_mass(meson)
    if m2 - m1 <= 2.0 * mass or charged_meson_coupling(meson, couplings) == 0.0:
        return 0.0
    lo, hi = (m1 + mass) ** 2, (m2 - mass) ** 2
    return _integrate(lambda s: phi2_to_phi1_pp_dgamma_ds(s, meson, m1, m2, 1.0, couplings), lo, hi) / Lambda**4


def phi2_to_phi1_gamma_p_dgamma_ds(
    s: float, meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> float:
    """dGamma(phi2 -> phi1 gamma P)/ds in GeV^-1, eq. (A.14) fourth line, as printed; s = (p_phi1 + p_P)^2.

    2 c_P^2 e^2/(3 (4 pi)^7 F^2 Lambda^4) M^6 m2^3/s^2 (1 - s/m2^2)^3 A(m1^2, s, M^2)^{3/2}
    (M^6 A^{3/2} = lambda^{3/2}(m1^2, s, M^2) is used so that the expression is regular).
    """
    mass = MESONS[meson].mass
    if not ((m1 + mass) ** 2 < s < m2**2):
        return 0.0
    c_p = pseudoscalar_vector_coupling(meson, couplings)
    pre = 2.0 * c_p**2 * E_CHARGE**2 / (3.0 * (4.0 * math.pi) ** 7 * F**2 * Lambda**4)
    return pre * m2**3 / s**2 * (1.0 - s / m2**2) ** 3 * max(kallen(m1**2, s, mass**2), 0.0) ** 1.5


def phi2_to_phi1_gamma_p_width(
    meson: str, m1: float, m2: float, Lambda: float, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER
) -> float:
    """Gamma(phi2 -> phi1 gamma P) in GeV, P = pi0, eta, eta'; s in [(M+m1)^2, m2^2]. 0 when m1 + M >= m2."""
    _check_masses(m1, m2, Lambda)
    mass = MESONS[meson].mass
    if m1 + mass >= m2 or pseudoscalar_vector_coupling(meson, couplings) == 0.0:
        return 0.0
    lo, hi = (m1 + mass) ** 2, m2**2
    return _integrate(lambda s: phi2_to_phi1_gamma_p_dgamma_ds(s, meson, m1, m2, 1.0, couplings, F), lo, hi) / Lambda**4


# channel names
_LEPTON_CHANNEL = {
    "e": "e+e-", "mu": "mu+mu-", "tau": "tau+tau-", "nu_e": "nu_e nu_e~", "nu_mu": "nu_mu nu_mu~", "nu_tau": "nu_tau nu_tau~",
}  # fmt: skip
_QUARK_CHANNEL = {q: f"{q} {q}~" for q in QUARKS}
_PP_CHANNEL = {"pi+": "pi+pi-", "K+": "K+K-", "K0": "K0K0~"}
_GAMMA_P_CHANNEL = {"pi0": "pi0 gamma", "eta": "eta gamma", "etap": "etap gamma"}
#: Every channel name returned by :func:`phi2_channel_widths`, in a fixed order.
PHI2_CHANNELS: tuple[str, ...] = (
    *_LEPTON_CHANNEL.values(), *LIGHT_VECTORS, *_PP_CHANNEL.values(), *_GAMMA_P_CHANNEL.values(), *_QUARK_CHANNEL.values()
)  # fmt: skip
#: Hadronic channels of each regime.
CHPT_CHANNELS: tuple[str, ...] = (*LIGHT_VECTORS, *_PP_CHANNEL.values(), *_GAMMA_P_CHANNEL.values())
PQCD_CHANNELS: tuple[str, ...] = tuple(_QUARK_CHANNEL.values())


def uses_pqcd(m1: float, m2: float, threshold: float = PQCD_THRESHOLD) -> bool:
    """True when phi2 hadronic decays go to free quarks: m2 - m1 > 2 GeV (end of appendix A.2)."""
    return m2 - m1 > threshold


def phi2_channel_widths(
    m1: float,
    delta: float,
    Lambda: float,
    couplings: ScalarCouplings = DEMOCRATIC,
    *,
    F: float = F_PAPER,
    neutrino_convention: NeutrinoConvention = "paper",
    pqcd_threshold: float = PQCD_THRESHOLD,
) -> dict[str, float]:
    """Partial widths (GeV) of phi2 -> phi1 + X for every name in :data:`PHI2_CHANNELS`.

    Leptons (e, mu, tau, three neutrino flavours) always; hadrons either as free quarks with N_c = 3
    (m2 - m1 > ``pqcd_threshold`` = 2 GeV) or as the meson channels rho, omega (A.9), P'P'bar (A.4, A.13) and
    gamma P (A.7); the channels of the regime not in use, and closed channels, are exactly 0.
    """
    m2 = m2_from_delta(m1, delta)
    _check_masses(m1, m2, Lambda)
    out = dict.fromkeys(PHI2_CHANNELS, 0.0)
    for f, name in _LEPTON_CHANNEL.items():
        out[name] = phi2_to_phi1_ff_width(f, m1, m2, Lambda, couplings, neutrino_convention=neutrino_convention)
    if uses_pqcd(m1, m2, pqcd_threshold):
        for q, name in _QUARK_CHANNEL.items():
            out[name] = phi2_to_phi1_ff_width(q, m1, m2, Lambda, couplings)
    else:
        for v in LIGHT_VECTORS:
            out[v] = phi2_to_phi1_vector_width(v, m1, m2, Lambda, couplings, F)
        for p, name in _PP_CHANNEL.items():
            out[name] = phi2_to_phi1_pp_width(p, m1, m2, Lambda, couplings)
        for p, name in _GAMMA_P_CHANNEL.items():
            out[name] = phi2_to_phi1_gamma_p_width(p, m1, m2, Lambda, couplings, F)
    return out


def phi2_total_width(
    m1: float,
    delta: float,
    Lambda: float,
    couplings: ScalarCouplings = DEMOCRATIC,
    *,
    F: float = F_PAPER,
    neutrino_convention: NeutrinoConvention = "paper",
    pqcd_threshold: float = PQCD_THRESHOLD,
) -> float:
    """Total width of phi2 in GeV (sum of :func:`phi2_channel_widths`)."""
    return math.fsum(
        phi2_channel_widths(
            m1, delta, Lambda, couplings, F=F, neutrino_convention=neutrino_convention, pqcd_threshold=pqcd_threshold
        ).values()
    )


def phi2_branching_ratios(
    m1: float,
    delta: float,
    Lambda: float = 1000.0,
    couplings: ScalarCouplings = DEMOCRATIC,
    *,
    F: float = F_PAPER,
    neutrino_convention: NeutrinoConvention = "paper",
    pqcd_threshold: float = PQCD_THRESHOLD,
) -> dict[str, float]:
    """Branching ratios of phi2 (independent of Lambda); all 0 if no channel is open."""
    widths = phi2_channel_widths(
        m1, delta, Lambda, couplings, F=F, neutrino_convention=neutrino_convention, pqcd_threshold=pqcd_threshold
    )
    total = math.fsum(widths.values())
    if total == 0.0:
        return dict.fromkeys(widths, 0.0)
    return {k: w / total for k, w in widths.items()}


def phi2_ctau_m(
    m1: float,
    delta: float,
    Lambda: float,
    couplings: ScalarCouplings = DEMOCRATIC,
    *,
    F: float = F_PAPER,
    neutrino_convention: NeutrinoConvention = "paper",
    pqcd_threshold: float = PQCD_THRESHOLD,
) -> float:
    """Proper decay length c tau of phi2 in metres (``inf`` if stable)."""
    return ctau_from_width(
        phi2_total_width(
            m1, delta, Lambda, couplings, F=F, neutrino_convention=neutrino_convention, pqcd_threshold=pqcd_threshold
        )
    )


#: The four lifetimes quoted in sec. 3 of paper 003 for democratic couplings: (m1 [GeV], delta, Lambda [GeV]) -> c tau [m].
PAPER_CTAU_BENCHMARKS: dict[tuple[float, float, float], float] = {
    (2e-3, 10.0, 100.0): 5.6e4,
    (0.3, 10.0, 6000.0): 1.4,
    (0.1, 0.1, 100.0): 2.5e5,
    (10.0, 0.1, 3000.0): 4.2,
}


def _report() -> None:  # pragma: no cover - convenience printout: python -m darkreach.models.scalar_widths
    print("c tau(phi2) benchmarks of sec. 3 (democratic couplings):")
    for (m1, delta, lam), ref in PAPER_CTAU_BENCHMARKS.items():
        ct = phi2_ctau_m(m1, delta, lam)
        ct_va = phi2_ctau_m(m1, delta, lam, neutrino_convention="v-a")
        print(
            f"  m1={m1:g} delta={delta:g} Lambda={lam:g}: {ct:.4g} m "
            f"(paper {ref:g}, ratio {ct / ref:.3f}; V-A nu: {ct_va / ref:.3f})"
        )
    print("\nFig. 1 (c = 1, delta = 10, Lambda = 1 TeV): meson BRs into phi1 phi2 (+gamma)")
    for m1 in (1e-3, 3e-3, 1e-2, 3e-2, 0.06, 0.1, 0.2, 0.3, 0.5, 1.0):
        br = meson_branching_ratios(m1, 10.0, 1000.0)
        print(f"  m1={m1:<6g}", " ".join(f"{k}={v:.2e}" for k, v in br.items()))
    print("phi2 BRs")
    for m1 in (1e-3, 3e-3, 1e-2, 3e-2, 0.06, 0.1, 0.15, 0.19, 0.21, 0.3, 0.5, 1.0):
        br = phi2_branching_ratios(m1, 10.0, 1000.0)
        print(f"  m1={m1:<6g}", " ".join(f"{k}={v:.3f}" for k, v in br.items() if v > 1e-3))


if __name__ == "__main__":  # pragma: no cover
    _report()
