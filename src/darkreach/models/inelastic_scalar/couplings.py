"""Wilson coefficients of the inelastic-scalar EFT and the meson couplings they induce (paper 003).

A complex scalar phi = (phi1 + i phi2)/sqrt(2) is split in mass, m2 = (1 + delta) m1 (eq. 1.3), and talks to the
SM through the dimension-6 operators

    L_EFT = J_phi^mu / Lambda^2  sum_f  fbar gamma_mu (c_Vf + c_Af gamma5) f,       (eqs. 1.7-1.9)
    J_phi^mu = (d^mu phi2) phi1 - phi2 (d^mu phi1),                                  (eq. 1.5)

with c_Vf = (c_fL + c_fR)/2 and c_Af = (c_fR - c_fL)/2. This module holds the SM fermion table (masses and
charges from :mod:`particle`), :class:`ScalarCouplings` (eq. 1.9) with the paper's democratic benchmark, and the
meson couplings: c_P (A.7), c_P' (A.4), f_rho and f_omega (A.9) with the paper's F = 93 MeV, quarkonium f_V from
the measured e+e- width (A.12).

SM masses
---------
Every SM mass comes from the :mod:`particle` package (PDG): leptons e, mu, tau (pole masses); pi+, K+, K0;
the neutral mesons through :data:`darkreach.mesons.MESONS`. In the pQCD regime the quark masses are the PDG
values stored by :mod:`particle` (particle 1.1.0): u = 2.16 MeV, d = 4.7 MeV, s = 92.9 MeV (MS-bar at 2 GeV),
c = 1.273 GeV, b = 4.186 GeV (MS-bar m(m)), t = 172.6 GeV (pole). They only enter the phase space; the
c c~ channel contributes 0.2 % of the width at the (0.3 GeV, delta = 10) benchmark and the result does not
change by more than that if the c pole mass is used instead. Neutrinos are massless.

F = 93 MeV (the paper's F, below eq. A.1) enters (A.9), (A.11), (A.14); 92 MeV changes the 4.2 m lifetime
benchmark of sec. 3 by +1.5 %.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from particle import Particle

from darkreach.constants import E_CHARGE
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

# the particle package loads its table lazily and not thread-safely: serialise lookups
_PDG_LOCK = threading.Lock()


@cache
def _pdg(pdgid: int) -> tuple[float, float]:
    """(mass in GeV, electric charge) of ``pdgid`` from :mod:`particle`; a missing mass (neutrinos) is 0."""
    with _PDG_LOCK:
        p = Particle.from_pdgid(pdgid)
    mass = 0.0 if p.mass is None else p.mass * 1e-3
    if p.charge is None:  # every fermion of the table has a PDG charge
        raise ValueError(f"particle {pdgid} has no charge in the PDG table")
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
                    raise ValueError(
                        f"fermion {f!r}: unknown key(s) {', '.join(map(repr, bad))}; expected 'c_L', 'c_R'"
                    )
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
