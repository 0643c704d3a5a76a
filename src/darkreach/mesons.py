"""Catalogue of the Standard Model mesons that decay into dark states.

Masses and total widths come from the :mod:`particle` package (PDG data); this module adds only what
that package does not provide: the leptonic and two-photon branching ratios used to fix decay constants,
the decay constants and CKM elements of the charged pseudoscalars (leptonic decays, P+ -> l+ nu), and the
production multiplicities quoted by the papers.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import cache
from typing import Literal

import scipy.constants as _sc
from particle import Particle

from darkreach.constants import ALPHA_EM

MesonKind = Literal["pseudoscalar", "vector", "charged_pseudoscalar"]
ProductionClass = Literal["light", "charmonium", "bottomonium", "charm", "beauty"]


@dataclass(frozen=True)
class MesonSpec:
    """Static facts about one meson species.

    Attributes
    ----------
    key
        Short name used in configs, file names and on the command line (``pi0``, ``jpsi``...).
    pdgid
        PDG Monte Carlo identifier.
    kind
        ``"pseudoscalar"`` (neutral), ``"vector"`` or ``"charged_pseudoscalar"``. A charged species is one key
        per charge-conjugate pair (``dplus`` = D+ and D-): ``pdgid`` is the positive one, samples record both
        charges, and P- -> l- Nbar gamma has the width of P+ -> l+ N gamma.
    production
        Which PYTHIA process produces it and whether the A^0.29 nuclear scaling applies
        (paper 000, sec. 4.1: charm and beauty only, i.e. charmonium, bottomonium, charm, beauty).
    br_ee
        Branching ratio into e+e- (vector mesons), PDG 2024; fixes f_V through Gamma(V -> e+e-).
    br_gammagamma
        Branching ratio into two photons (pseudoscalars), PDG 2024; fixes the anomaly coupling F_P.
    decay_constant
        f_P in GeV of a charged pseudoscalar, <0|A_mu|P(p)> = i f_P p_mu (f_pi ~ 130 MeV normalisation),
        FLAG 2021 (ref. [85] of paper 000).
    v_ckm
        |V_CKM| of the quark transition of the leptonic decay (PDG 2024).
    """

    key: str
    pdgid: int
    kind: MesonKind
    production: ProductionClass
    br_ee: float = 0.0
    br_gammagamma: float = 0.0
    decay_constant: float = 0.0
    v_ckm: float = 0.0

    @property
    def mass(self) -> float:
        """Mass in GeV (from :mod:`particle`)."""
        return _pdg_mass_width(self.pdgid)[0]

    @property
    def width(self) -> float:
        """Total width in GeV (from :mod:`particle`)."""
        return _pdg_mass_width(self.pdgid)[1]

    @property
    def width_ee(self) -> float:
        """Partial width Gamma(V -> e+e-) in GeV."""
        if self.kind != "vector":
            raise ValueError(f"{self.key} is not a vector meson")
        return self.br_ee * self.width

    @property
    def width_gammagamma(self) -> float:
        """Partial width Gamma(P -> gamma gamma) in GeV."""
        if self.kind != "pseudoscalar":
            raise ValueError(f"{self.key} is not a pseudoscalar meson")
        return self.br_gammagamma * self.width

    @property
    def anomaly_decay_constant(self) -> float:
        """Effective decay constant F_P in GeV defined by Gamma(P->gg) = alpha^2 M^3 / (64 pi^3 F_P^2).

        For the pi0 this gives F_pi ~ 92 MeV, the value quoted below eq. (A.5) of paper 000; for eta and
        eta' it absorbs the octet-singlet mixing of ref. [84] of that paper into the measured width.
        """
        return math.sqrt(ALPHA_EM**2 * self.mass**3 / (64.0 * math.pi**3 * self.width_gammagamma))


_PDG_LOCK = threading.Lock()
#: hbar in GeV s (CODATA), for a width from a lifetime when the particle package lists no width.
_HBAR_GEV_S: float = _sc.hbar / _sc.e * 1e-9


@cache
def _pdg_mass_width(pdgid: int) -> tuple[float, float]:
    # the particle package loads its table lazily and not thread-safely: serialise lookups
    with _PDG_LOCK:
        p = Particle.from_pdgid(pdgid)
    width = p.width
    if width is None and p.lifetime:  # lifetime in ns: Gamma = hbar / tau
        width = _HBAR_GEV_S / (p.lifetime * 1e-9) * 1e3
    if p.mass is None or width is None:
        raise ValueError(f"particle package has no mass/width for PDG id {pdgid}")
    return p.mass * 1e-3, width * 1e-3


#: PDG 2024 branching ratios (Review of Particle Physics, Phys. Rev. D 110 (2024) 030001).
MESONS: dict[str, MesonSpec] = {
    "pi0": MesonSpec("pi0", 111, "pseudoscalar", "light", br_gammagamma=0.98823),
    "eta": MesonSpec("eta", 221, "pseudoscalar", "light", br_gammagamma=0.3936),
    "etap": MesonSpec("etap", 331, "pseudoscalar", "light", br_gammagamma=0.02307),
    "rho": MesonSpec("rho", 113, "vector", "light", br_ee=4.72e-5),
    "omega": MesonSpec("omega", 223, "vector", "light", br_ee=7.38e-5),
    "phi": MesonSpec("phi", 333, "vector", "light", br_ee=2.979e-4),
    "jpsi": MesonSpec("jpsi", 443, "vector", "charmonium", br_ee=5.971e-2),
    "upsilon": MesonSpec("upsilon", 553, "vector", "bottomonium", br_ee=2.39e-2),
    # Charged pseudoscalars (P+ -> l+ N gamma of the active-sterile dipole, eqs. (A.6)-(A.7) of paper 000).
    # f_P: FLAG Review 2021 (Y. Aoki et al., Eur. Phys. J. C 82 (2022) 869, ref. [85] of paper 000),
    # N_f = 2+1+1 averages: f_K+- = 155.7 MeV, f_D+ = 212.0 MeV, f_Ds = 249.9 MeV, f_B+ = 190.0 MeV.
    # |V_CKM|: PDG 2024 (CKM review): |V_us| = 0.2243, |V_cd| = 0.221, |V_cs| = 0.975, |V_ub| = 3.82e-3.
    "dplus": MesonSpec("dplus", 411, "charged_pseudoscalar", "charm", decay_constant=0.2120, v_ckm=0.221),
    "ds": MesonSpec("ds", 431, "charged_pseudoscalar", "charm", decay_constant=0.2499, v_ckm=0.975),
    "bplus": MesonSpec("bplus", 521, "charged_pseudoscalar", "beauty", decay_constant=0.1900, v_ckm=3.82e-3),
    "kplus": MesonSpec("kplus", 321, "charged_pseudoscalar", "light", decay_constant=0.1557, v_ckm=0.2243),
}

# Resolve every catalogue entry once at import, before any worker thread asks for it.
for _spec in MESONS.values():
    _pdg_mass_width(_spec.pdgid)

#: PYTHIA processes a beam's generators may run (config ``beams.*.generators.*.process``), and what they
#: supply. Together with :data:`MESONS` they fill the config schema's enumerations.
PYTHIA_PROCESSES: dict[str, str] = {
    "SoftQCD:inelastic": "light mesons (pi0, eta, eta', rho, omega, phi, K+-) and the cross section f_M refers to",
    "Charmonium:all": "J/psi",
    "Bottomonium:all": "Upsilon(1S)",
    "HardQCD:hardccbar": "D+- and D_s shapes (PhaseSpace:mHatMin = 0)",
    "HardQCD:hardbbbar": "B+- shapes (PhaseSpace:mHatMin = 0)",
}


def register_meson(spec: MesonSpec) -> MesonSpec:
    """Add a meson species (e.g. from a model plugin's module); its key becomes valid in configs and the CLI.

    The mass and width must be known to :mod:`particle`; a key registered twice is an error.
    """
    if spec.key in MESONS:
        raise ValueError(f"meson {spec.key!r} is registered twice: PDG id {MESONS[spec.key].pdgid} and {spec.pdgid}")
    _pdg_mass_width(spec.pdgid)
    MESONS[spec.key] = spec
    return spec


def register_process(name: str, description: str) -> None:
    """Add a PYTHIA process switch that generators may run (e.g. one a plugin's mesons come from)."""
    if name in PYTHIA_PROCESSES:
        raise ValueError(f"PYTHIA process {name!r} is registered twice")
    PYTHIA_PROCESSES[name] = description


#: Multiplicities per proton-proton interaction, Table 1 of paper 000 (000_da7a4a15cb083d7e.txt).
#: Charm and beauty entries (J/psi, Upsilon, D+-, Ds, B+-) are multiplied by A^0.29 for a nuclear target
#: (sec. 4.1). ``kplus`` is not in Table 1: it is the number of K+- that *decay in flight* per proton
#: interaction, 0.29 K+ + 0.07 K- = 0.36 (ref. [67] of paper 000, GEANT4 for SHiP, quoted in sec. 4.1),
#: used in place of f_M with PYTHIA's K+- momentum/angle shapes; absorption is already in it, so it is
#: not A-scaled (and PYTHIA's total K+- multiplicity is not comparable to it).
PAPER000_TABLE1: dict[str, float] = {
    "pi0": 4.3,
    "eta": 0.49,
    "etap": 0.055,
    "rho": 0.58,
    "omega": 0.57,
    "phi": 0.021,
    "jpsi": 4.7e-6,
    "upsilon": 2.2e-9,
    "dplus": 4.3e-4,
    "ds": 1.8e-4,
    "bplus": 6.0e-8,
    "kplus": 0.29 + 0.07,
}

#: Table 1 of paper 003 (Bertuzzo & Taoso), first row: mesons per proton interaction at a 400 GeV fixed
#: target (CHARM, SHiP), EPOS-LHC for the light mesons and PYTHIA8 Charmonium:all / Bottomonium:all for
#: J/psi and Upsilon(1S). Paper 003 applies no nuclear scaling to them (sec. 2.1).
PAPER003_TABLE1_FIXED_TARGET: dict[str, float] = {
    "pi0": 4.0,
    "eta": 0.44,
    "etap": 0.046,
    "rho": 0.51,
    "omega": 0.45,
    "jpsi": 6.25e-6,
    "upsilon": 2.25e-9,
}

#: Table 1 of paper 003, second row: mesons per pp interaction at sqrt(s) = 14 TeV (FASER, MATHUSLA),
#: normalised with sigma_pp = 110.69 mb (eq. 2.6); J/psi and Upsilon include the LHCb correction
#: factors 1.6 and 0.25 applied to PYTHIA8 (sec. 2.2).
PAPER003_TABLE1_LHC: dict[str, float] = {
    "pi0": 38.0,
    "eta": 4.16,
    "etap": 0.45,
    "rho": 4.6,
    "omega": 4.3,
    "jpsi": 7.9e-4,
    "upsilon": 8.4e-6,
}

#: Published multiplicity tables an experiment can take f_M from (config key ``multiplicity_table``),
#: with whether the A^0.29 heavy-flavour scaling applies on top (paper 000 sec. 4.1 applies it;
#: paper 003 does not).
MULTIPLICITY_TABLES: dict[str, tuple[dict[str, float], bool]] = {
    "paper000": (PAPER000_TABLE1, True),
    "paper003-fixed-target": (PAPER003_TABLE1_FIXED_TARGET, False),
    "paper003-lhc": (PAPER003_TABLE1_LHC, False),
}

#: Exponent of the nuclear scaling A^0.29 applied to heavy-quark multiplicities (paper 000, sec. 4.1).
HEAVY_FLAVOUR_A_EXPONENT: float = 0.29


def meson(key: str) -> MesonSpec:
    """Return the :class:`MesonSpec` for ``key``, with a clear error for unknown names."""
    try:
        return MESONS[key]
    except KeyError:
        raise KeyError(f"unknown meson {key!r}; known: {', '.join(MESONS)}") from None


#: Which production classes the A^0.29 scaling applies to (experiment key ``nuclear_scaling``). Paper 000 sec. 4.1
#: rescales "the multiplicities of the charmed and B mesons"; ``heavy-flavour`` (the default with the paper-000
#: table and with generated multiplicities on a nuclear target) reads this as every meson with a c or b quark,
#: quarkonia included; ``open-heavy-flavour`` as open charm and beauty only (D, Ds, B: J/psi and Upsilon
#: unscaled); ``none`` applies no scaling (paper 003, sec. 2.1).
NUCLEAR_SCALING_CLASSES: dict[str, frozenset[str]] = {
    "heavy-flavour": frozenset({"charmonium", "bottomonium", "charm", "beauty"}),
    "open-heavy-flavour": frozenset({"charm", "beauty"}),
    "none": frozenset(),
}


def nuclear_scaling(key: str, mass_number: float, mode: str = "heavy-flavour") -> float:
    """Factor turning a pp multiplicity into a p-nucleus one: A^0.29 for the production classes of ``mode``
    (:data:`NUCLEAR_SCALING_CLASSES`; default charm and beauty, quarkonia included), 1 otherwise."""
    if mass_number <= 0:
        raise ValueError(f"target mass number must be positive, got {mass_number!r}")
    try:
        classes = NUCLEAR_SCALING_CLASSES[mode]
    except KeyError:
        raise ValueError(f"nuclear scaling must be one of {list(NUCLEAR_SCALING_CLASSES)}, got {mode!r}") from None
    if meson(key).production in classes:
        return mass_number**HEAVY_FLAVOUR_A_EXPONENT
    return 1.0
