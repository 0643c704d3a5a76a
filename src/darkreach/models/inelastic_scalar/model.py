"""The ``inelastic-scalar`` model: dark scalars phi1, phi2 with the dimension-6 EFT of paper 003 (eqs. 1.7-1.9).

Paper 003: Bertuzzo & Taoso, "Probing light dark scalars with future experiments". All widths come from
:mod:`~darkreach.models.inelastic_scalar.production` and :mod:`~darkreach.models.inelastic_scalar.decays` (read
their docstrings for the interpretation choices: the (A.11) misprint, the neutrino convention, the ChPT / pQCD
switch at m2 - m1 = 2 GeV); this module only turns them into the framework's production and decay channels.

Parameters
----------
``m1``
    mass of the lighter, stable scalar phi1 in GeV (the mass on the plots' horizontal axis);
``delta``
    (m2 - m1)/m1, eq. (1.3); the long-lived particle is phi2 with m2 = (1 + delta) m1;
``neutrino_convention`` (optional)
    ``paper`` (the default: each neutrino flavour at half the V-A rate, the reading that reproduces the four
    lifetimes of sec. 3 of paper 003) or ``v-a`` (the standard rate, lifetimes up to 30 % shorter); see
    :mod:`~darkreach.models.inelastic_scalar.decays`. A systematic variation of the paper config.
``couplings`` (optional)
    Wilson coefficients c_fL, c_fR of eq. (1.7), as a mapping read by
    :meth:`~darkreach.models.inelastic_scalar.couplings.ScalarCouplings.from_mapping` (a number per fermion is a vector
    coupling; ``{c_L: .., c_R: ..}`` for chiral ones; unlisted fermions are 0). Default: the paper's democratic
    benchmark c_fL = c_fR = 1, neutrinos left-handed (c_L = 1, c_R = 0).

The scanned coupling is the suppression scale Lambda (GeV, ``--lambda``): every width scales as Lambda^-4
(``ScanSpec.power = -4``), so production BRs go as Lambda^-4 and, in the long-lifetime limit, so does the
decay probability: N ~ Lambda^-8.

Production (sec. 2.1, appendix A.1)
-----------------------------------
* V -> phi1 phi2 (two-body, isotropic) for V = rho, omega, J/psi, Upsilon(1S): the vectors paper 003 considers.
  phi(1020) is *not* a production channel: the paper gives no f_V for it (eq. A.9 has rho and omega only), so
  the phi mesons that the beam generates are simply unused.
* P -> gamma phi1 phi2 (three-body, Wess-Zumino term, matrix element code 6, labels gamma, phi1, phi2; the LLP
  is p3) for P = pi0, eta, eta'.

Decay channels of phi2 (appendix A.2)
-------------------------------------
One :class:`~darkreach.models.base.DecayChannel` per open channel of
:func:`~darkreach.models.inelastic_scalar.decays.phi2_channel_widths`, with the *same name*, so that an experiment's
``channel_efficiencies`` (e.g. CHARM ``{e+e-: 0.65, mu+mu-: 0.75}``) refer to them:

=================================  ===========  ==========================  ===========  ==================
channel names                      kinematics   daughters (labels 1 2 3)    visible      default eps_i
=================================  ===========  ==========================  ===========  ==================
``rho``, ``omega``                 two-body     phi1, V                     V            1
``e+e-``, ``mu+mu-``, ``tau+tau-`` ME 3         phi1, l-, l+                l-, l+       1
``nu_e nu_e~`` ... (3 flavours)    ME 3         phi1, nu, nu~               none         0 (invisible)
``u u~`` ... ``b b~`` (pQCD)       ME 3         phi1, q, q~                 q, q~        0
``pi+pi-``, ``K+K-``, ``K0K0~``    ME 4         phi1, P', P'bar             P', P'bar    0
``pi0 gamma`` ... ``etap gamma``   ME 5         phi1, P, gamma              P, gamma     0
=================================  ===========  ==========================  ===========  ==================

The default efficiencies encode the paper's selection (sec. 2.1): only the dominant phi2 -> phi1 V and
phi2 -> phi1 l lbar decays are used, and the signal energy is that of V or of a charged lepton (here: the more
energetic of the two). Hadronic channels keep their physical visible daughters (a quark pair would hadronise
into visible jets, K0 = K_S/K_L mixture, P -> gamma gamma) with default efficiency 0, so that an experiment can
switch them on through ``channel_efficiencies``. The tau pair counts as visible with efficiency 1 (the paper's
"l is a charged lepton"); the tau energy stands for that of its visible decay products (an overestimate).
The vector mesons are taken at their nominal mass (the rho width is ignored).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from darkreach.constants import E_CHARGE
from darkreach.kinematics.matrix_elements import (
    ME_PSEUDOSCALAR_SCALARS,
    ME_SCALAR_FERMIONS,
    ME_SCALAR_GAMMA_MESON,
    ME_SCALAR_MESON_PAIR,
)
from darkreach.mesons import MESONS
from darkreach.models.base import (
    DELTA,
    M1,
    DarkSectorModel,
    DecayChannel,
    ParameterSpec,
    Point,
    ProductionChannel,
    ScanSpec,
)
from darkreach.models.channels import three_body_production, two_body_production
from darkreach.models.inelastic_scalar.couplings import (
    DEMOCRATIC,
    F_PAPER,
    LIGHT_VECTORS,
    QUARKS,
    ScalarCouplings,
    charged_meson_coupling,
    charged_pseudoscalar_mass,
    fermion_mass,
    pseudoscalar_vector_coupling,
)
from darkreach.models.inelastic_scalar.decays import PHI2_CHANNELS, NeutrinoConvention, phi2_channel_widths
from darkreach.models.inelastic_scalar.numerics import m2_from_delta
from darkreach.models.inelastic_scalar.production import meson_widths
from darkreach.models.registry import register_model

if TYPE_CHECKING:
    from darkreach.production.partons.process import PartonProcess

#: Vector mesons producing phi1 phi2 (paper 003, sec. 2.1; no phi(1020)).
VECTOR_MESONS: tuple[str, ...] = ("rho", "omega", "jpsi", "upsilon")
#: Pseudoscalars producing phi1 phi2 gamma.
PSEUDOSCALAR_MESONS: tuple[str, ...] = ("pi0", "eta", "etap")

#: Lambda (GeV) at which parton events are generated; weights scale as (Lambda_ref/Lambda)^4.
PARTON_REFERENCE_LAMBDA: float = 1000.0

#: phi2 channels used by the paper's selection (sec. 2.1) get efficiency 1 by default, all others 0.
SIGNAL_CHANNELS: tuple[str, ...] = ("rho", "omega", "e+e-", "mu+mu-", "tau+tau-")

_LEPTON_OF = {"e+e-": "e", "mu+mu-": "mu", "tau+tau-": "tau"}
_NEUTRINO_OF = {"nu_e nu_e~": "nu_e", "nu_mu nu_mu~": "nu_mu", "nu_tau nu_tau~": "nu_tau"}
_QUARK_OF = {f"{q} {q}~": q for q in QUARKS}
_PP_OF = {"pi+pi-": "pi+", "K+K-": "K+", "K0K0~": "K0"}
_GAMMA_P_OF = {"pi0 gamma": "pi0", "eta gamma": "eta", "etap gamma": "etap"}


# --------------------------------------------------------------------------------------------- couplings
def point_couplings(point: Point) -> ScalarCouplings:
    """The Wilson coefficients of ``point`` (democratic when the key ``couplings`` is absent or None)."""
    value = point.get("couplings")
    if value is None:
        return DEMOCRATIC
    if isinstance(value, ScalarCouplings):
        return value
    if isinstance(value, Mapping):
        return ScalarCouplings.from_mapping(value)
    raise ValueError(f"couplings must be a mapping of fermion -> coupling, got {type(value).__name__}")


def wess_zumino_constant(meson: str, couplings: ScalarCouplings = DEMOCRATIC, F: float = F_PAPER) -> float:
    """C = e c_P/(8 pi^2 F) of the Wess-Zumino term of (A.1) at Lambda = 1 GeV (params of ME codes 5, 6)."""
    return E_CHARGE * pseudoscalar_vector_coupling(meson, couplings) / (8.0 * math.pi**2 * F)


# --------------------------------------------------------------------------------------------- cached widths
_Items = tuple[tuple[str, float], ...]


#: The phi2 -> phi1 nu nu~ rates a point may choose (parameter ``neutrino_convention``; default ``paper``).
NEUTRINO_CONVENTIONS: tuple[NeutrinoConvention, ...] = ("paper", "v-a")


@lru_cache(maxsize=4096)
def _unit_widths(
    m1: float, delta: float, couplings: ScalarCouplings, neutrino_convention: NeutrinoConvention = "paper"
) -> tuple[_Items, _Items]:
    """(phi2 channel widths, meson widths) in GeV at Lambda = 1 GeV; cached (scans ask many times per point)."""
    phi2 = phi2_channel_widths(m1, delta, 1.0, couplings, neutrino_convention=neutrino_convention)
    mesons = meson_widths(m1, delta, 1.0, couplings)
    return tuple(phi2.items()), tuple(mesons.items())


def phi2_unit_widths(
    m1: float, delta: float, couplings: ScalarCouplings = DEMOCRATIC, neutrino_convention: NeutrinoConvention = "paper"
) -> dict[str, float]:
    """Partial widths of phi2 in GeV at Lambda = 1 GeV (multiply by Lambda^-4), keyed by channel name."""
    return dict(_unit_widths(float(m1), float(delta), couplings, neutrino_convention)[0])


def meson_unit_widths(m1: float, delta: float, couplings: ScalarCouplings = DEMOCRATIC) -> dict[str, float]:
    """Gamma(M -> phi1 phi2 (+gamma)) in GeV at Lambda = 1 GeV for :data:`PRODUCTION_MESONS`."""
    return dict(_unit_widths(float(m1), float(delta), couplings)[1])


# --------------------------------------------------------------------------------------------- decay channels
def _decay_channel(name: str, br: float, m1: float, couplings: ScalarCouplings) -> DecayChannel:
    """Kinematics, visibility and default efficiency of phi2 channel ``name`` (see the module table)."""
    eff = 1.0 if name in SIGNAL_CHANNELS else 0.0
    if name in LIGHT_VECTORS:
        return DecayChannel(name, br, (m1, MESONS[name].mass), visible=(1,), efficiency=eff)
    for table, visible in ((_LEPTON_OF, (1, 2)), (_QUARK_OF, (1, 2)), (_NEUTRINO_OF, ())):
        if name in table:
            f = table[name]
            mf = fermion_mass(f)
            return DecayChannel(
                name, br, (m1, mf, mf), visible=visible, efficiency=eff, matrix_element=ME_SCALAR_FERMIONS,
                me_params=(couplings.c_V(f), couplings.c_A(f)),
            )  # fmt: skip
    if name in _PP_OF:
        p = _PP_OF[name]
        mp = charged_pseudoscalar_mass(p)
        return DecayChannel(
            name, br, (m1, mp, mp), visible=(1, 2), efficiency=eff, matrix_element=ME_SCALAR_MESON_PAIR,
            me_params=(charged_meson_coupling(p, couplings),),
        )  # fmt: skip
    if name in _GAMMA_P_OF:
        p = _GAMMA_P_OF[name]
        return DecayChannel(
            name, br, (m1, MESONS[p].mass, 0.0), visible=(1, 2), efficiency=eff,
            matrix_element=ME_SCALAR_GAMMA_MESON, me_params=(wess_zumino_constant(p, couplings),),
        )  # fmt: skip
    raise KeyError(f"unknown phi2 channel {name!r}; known: {', '.join(PHI2_CHANNELS)}")  # pragma: no cover


#: The heavier mass, which a benchmark may give instead of m1 (Fig. 4 bottom of paper 003).
M2 = ParameterSpec("m2", float, "GeV", "mass of the heavier dark state m2 = (1 + delta) m1 in GeV", quantity="mass")


#: The optional choice of the phi2 -> phi1 nu nu~ rate (shared with the Z' models of sec. 4).
NEUTRINO_CONVENTION = ParameterSpec(
    "neutrino_convention",
    str,
    help="phi2 -> phi1 nu nu~ rate: paper (half V-A per flavour, sec. 3 of paper 003; default) or v-a",
    choices=NEUTRINO_CONVENTIONS,
    optional=True,
    cli_flag="--neutrino-convention",
)


def _check_couplings(value: object) -> None:
    point_couplings({"couplings": value})  # type: ignore[dict-item]


@register_model
class InelasticScalar(DarkSectorModel):
    """Inelastic dark scalars of paper 003 (EFT of eq. 1.7); see the module docstring."""

    name = "inelastic-scalar"
    parameter_specs: tuple[ParameterSpec, ...] = (
        M1,
        DELTA,
        NEUTRINO_CONVENTION,
        ParameterSpec(
            "couplings",
            dict,
            help="YAML/JSON file of Wilson coefficients per fermion (default: democratic)",
            optional=True,
            check=_check_couplings,
        ),
    )
    #: Fig. 4 (bottom) of paper 003 fixes the heavier mass m2 = m1 (1 + delta) and scans delta.
    alias_parameters = {"m2": "m1"}
    scan = ScanSpec(
        "Lambda", "GeV", -4.0, "suppression scale of eq. (1.7)", cli_option="--lambda", search_range=(1.0, 1e6)
    )

    def resolve_point(self, point: Point) -> dict[str, float | str]:
        """A point with ``m2`` (GeV) instead of ``m1``: m1 = m2 / (1 + delta) (definition of delta, eq. 1.3)."""
        out = dict(point)
        if "m2" in out:
            if "m1" in out:
                raise ValueError("give either m1 or m2, not both")
            m2, delta = out.pop("m2"), out.get("delta")
            M2.validate(m2)
            if isinstance(delta, bool) or not (isinstance(delta, (int, float)) and delta > 0):
                raise ValueError(f"m2 needs a positive delta, got {delta!r}")
            out["m1"] = float(m2) / (1.0 + float(delta))
        return out

    @staticmethod
    def _parts(point: Point) -> tuple[float, float, ScalarCouplings]:
        return float(point["m1"]), float(point["delta"]), point_couplings(point)

    def llp_mass(self, point: Point) -> float:
        m1, delta, _ = self._parts(point)
        return m2_from_delta(m1, delta)

    @staticmethod
    def _convention(point: Point) -> NeutrinoConvention:
        value = point.get("neutrino_convention")
        if value is None:
            return "paper"
        if value not in NEUTRINO_CONVENTIONS:
            raise ValueError(f"neutrino_convention must be one of {', '.join(NEUTRINO_CONVENTIONS)}, got {value!r}")
        return "v-a" if value == "v-a" else "paper"

    def llp_width_unit(self, point: Point) -> float:
        return math.fsum(phi2_unit_widths(*self._parts(point), self._convention(point)).values())

    def production_channels(self, point: Point) -> list[ProductionChannel]:
        self.validate_point(point)
        m1, delta, cpl = self._parts(point)
        m2 = m2_from_delta(m1, delta)
        widths = meson_unit_widths(m1, delta, cpl)
        return [
            *two_body_production(VECTOR_MESONS, widths.__getitem__, m_llp=m2, m_partner=m1),
            *three_body_production(
                PSEUDOSCALAR_MESONS,
                widths.__getitem__,
                masses=(0.0, m1, m2),
                matrix_element=ME_PSEUDOSCALAR_SCALARS,
                me_params=lambda key: (wess_zumino_constant(key, cpl),),
            ),
        ]

    def parton_process(self, point: Point) -> PartonProcess | None:
        """q qbar -> phi1 phi2 through eq. (1.7) (sec. 2.2 of paper 003): |c_q|^2 = c_Vq^2 + c_Aq^2 per quark
        (d u s c b), generated at Lambda_ref = :data:`PARTON_REFERENCE_LAMBDA`, sigma ~ Lambda^-4 and the
        EFT-validity cut sqrt(s_hat) <= Lambda (g* = 1)."""
        from darkreach.production.partons.process import PartonProcess

        self.validate_point(point)
        m1, delta, cpl = self._parts(point)
        quarks = {pid: cpl.c_V(q) ** 2 + cpl.c_A(q) ** 2 for pid, q in enumerate(("d", "u", "s", "c", "b"), 1)}
        return PartonProcess(
            m_partner=m1,
            m_llp=m2_from_delta(m1, delta),
            quark_couplings=quarks,
            reference_coupling=PARTON_REFERENCE_LAMBDA,
            production_power=self.scan.power,
            eft_cut=True,
            label="q qbar -> phi1 phi2 (EFT, eq. 1.7)",
        )

    def decay_channels(self, point: Point) -> list[DecayChannel]:
        m1, delta, cpl = self._parts(point)
        widths = phi2_unit_widths(m1, delta, cpl, self._convention(point))
        total = math.fsum(widths.values())
        if total == 0.0:
            return []
        return [_decay_channel(name, w / total, m1, cpl) for name, w in widths.items() if w > 0.0]
