"""The Z' models of paper 003 sec. 4 (darkreach.models.scalar_zprime, darkreach.models.scalar_dark_photon): each is
the inelastic-scalar EFT at the matching point of eqs. (4.1) and (4.3), with its own scanned coupling."""

from __future__ import annotations

import math

import pytest
from conftest import run_json

from darkreach.constants import E_CHARGE
from darkreach.mesons import MESONS
from darkreach.models import get_model
from darkreach.models.inelastic_scalar import PRODUCTION_MESONS
from darkreach.models.inelastic_scalar.couplings import FERMIONS, NEUTRINOS, QUARKS, fermion_charge, fermion_mass

EFT = get_model("inelastic-scalar")
ZPRIME = get_model("inelastic-scalar-zprime")
DARK_PHOTON = get_model("inelastic-scalar-dark-photon")

#: (m1, delta): omega and J/psi production with ChPT decays; pQCD decays (m2 - m1 > 2 GeV); J/psi and Upsilon at small
#: splitting with phi1 gamma P decays open.
POINTS = ((0.05, 10.0), (0.3, 10.0), (2.0, 0.1))
LEPTONS = ("e+e-", "mu+mu-", "tau+tau-")


def _zprime_eft_couplings(g_phi: float, g_vq: float, g_vl: float) -> dict[str, float]:
    # a number per fermion is a vector coupling (c_L = c_R), for a neutrino c_L only: eq. (4.1) with g_L = g_R
    return {f: g_phi * (g_vq if f in QUARKS else g_vl) for f in FERMIONS}


def _assert_same_rates(model, point, coupling, eft_point, lam):
    assert model.llp_width(point, coupling) == pytest.approx(EFT.llp_width(eft_point, lam), rel=1e-12)
    for meson in PRODUCTION_MESONS:
        assert model.branching_ratio(meson, point, coupling) == pytest.approx(
            EFT.branching_ratio(meson, eft_point, lam), rel=1e-12, abs=0.0
        )
    mine = {ch.name: ch.branching_ratio for ch in model.decay_channels(point)}
    theirs = {ch.name: ch.branching_ratio for ch in EFT.decay_channels(eft_point)}
    assert mine.keys() == theirs.keys() and mine == pytest.approx(theirs, rel=1e-12)


@pytest.mark.parametrize(("m1", "delta"), POINTS)
@pytest.mark.parametrize(("g_vq", "g_vl"), [(0.25, 0.0), (0.1, 0.01)])
def test_heavy_zprime_is_the_eft_at_the_matching_point(m1, delta, g_vq, g_vl):
    m_tev, g_phi = 2.5, 0.7
    point = {"m1": m1, "delta": delta, "g_Vq": g_vq, "g_Vl": g_vl, "g_phi": g_phi}
    eft_point = {"m1": m1, "delta": delta, "couplings": _zprime_eft_couplings(g_phi, g_vq, g_vl)}
    # c/Lambda^2 = g_phi g / M_Z'^2 with Lambda = M_Z' in GeV (eq. 4.1)
    _assert_same_rates(ZPRIME, point, m_tev, eft_point, 1000.0 * m_tev)


@pytest.mark.parametrize(("m1", "delta"), POINTS)
def test_dark_photon_is_the_eft_at_the_matching_point(m1, delta):
    eps, m_z = 3.0e-3, 40.0
    point = {"m1": m1, "delta": delta, "M_Zprime": m_z}
    # g_Vf = eps e Q_f (eq. 4.3), neutrinos decouple; g_phi = 1 by default
    couplings = {f: eps * E_CHARGE * fermion_charge(f) for f in FERMIONS if f not in NEUTRINOS}
    _assert_same_rates(DARK_PHOTON, point, eps, {"m1": m1, "delta": delta, "couplings": couplings}, m_z)


def test_widths_scale_with_the_scanned_coupling():
    z = {"m1": 0.3, "delta": 10.0, "g_Vq": 0.1, "g_Vl": 0.01}
    assert ZPRIME.llp_width(z, 3.0) == pytest.approx(ZPRIME.llp_width(z, 1.0) / 3.0**4, rel=1e-12)
    assert ZPRIME.production_width("jpsi", z, 3.0) == pytest.approx(
        ZPRIME.production_width("jpsi", z, 1.0) / 3.0**4, rel=1e-12
    )
    # g_phi enters as g_phi^2, like 1/M_Z'^4 with M_Z'^2 -> M_Z'^2 / g_phi
    assert ZPRIME.llp_width({**z, "g_phi": 4.0}, 1.0) == pytest.approx(ZPRIME.llp_width(z, 0.5), rel=1e-12)
    d = {"m1": 0.3, "delta": 10.0, "M_Zprime": 40.0}
    assert DARK_PHOTON.llp_width(d, 2e-4) == pytest.approx(4.0 * DARK_PHOTON.llp_width(d, 1e-4), rel=1e-12)
    assert DARK_PHOTON.llp_ctau(d, 1e-3) == pytest.approx(100.0 * DARK_PHOTON.llp_ctau(d, 1e-2), rel=1e-12)
    # the EFT scale is set by M_Z'^2 / eps: doubling M_Z' is eps / 4
    assert DARK_PHOTON.llp_width({**d, "M_Zprime": 80.0}, 1e-3) == pytest.approx(
        DARK_PHOTON.llp_width(d, 1e-3 / 4.0), rel=1e-12
    )


def test_channel_thresholds_are_exactly_zero():
    m_upsilon = MESONS["upsilon"].mass
    # delta = 10: m1 + m2 = 12 m1; at and above M_Upsilon nothing is produced, just below Upsilon still is
    for model, extra, c in ((ZPRIME, {"g_Vq": 0.25, "g_Vl": 0.0}, 1.0), (DARK_PHOTON, {"M_Zprime": 40.0}, 1e-3)):
        edge = {"m1": m_upsilon / 12.0 * (1 + 1e-12), "delta": 10.0, **extra}
        assert model.production_width("upsilon", edge, c) == 0.0
        assert model.production_channels(edge) == []
        below = {**edge, "m1": m_upsilon / 12.0 * (1 - 1e-6)}
        assert [ch.meson for ch in model.production_channels(below)] == ["upsilon"]
        assert model.production_width("upsilon", below, c) > 0.0
    # delta = 0.1, m2 - m1 just below 2 m_e: the dark photon has no open phi2 channel (its neutrinos decouple)
    m1 = 0.999 * 2.0 * fermion_mass("e") / 0.1
    point = {"m1": m1, "delta": 0.1, "M_Zprime": 40.0}
    assert DARK_PHOTON.llp_width_unit(point) == 0.0 and DARK_PHOTON.decay_channels(point) == []
    assert math.isinf(DARK_PHOTON.llp_ctau(point, 1e-3))
    above = {**point, "m1": 1.002 * 2.0 * fermion_mass("e") / 0.1}
    assert [ch.name for ch in DARK_PHOTON.decay_channels(above)] == ["e+e-"]
    # the Z' with leptons still decays into neutrinos there
    z = {"m1": m1, "delta": 0.1, "g_Vq": 0.1, "g_Vl": 0.01}
    assert {ch.name for ch in ZPRIME.decay_channels(z)} == {"nu_e nu_e~", "nu_mu nu_mu~", "nu_tau nu_tau~"}


@pytest.mark.parametrize(("m1", "delta"), ((0.05, 10.0), (0.1, 10.0), (0.3, 10.0), (2.0, 0.1), (4.0, 0.1)))
def test_hadrophilic_zprime_has_no_leptonic_decays(m1, delta):
    point = {"m1": m1, "delta": delta, "g_Vq": 0.25, "g_Vl": 0.0}
    names = {ch.name for ch in ZPRIME.decay_channels(point)}
    assert names and not names & {*LEPTONS, "nu_e nu_e~", "nu_mu nu_mu~", "nu_tau nu_tau~"}
    with_leptons = {ch.name for ch in ZPRIME.decay_channels({**point, "g_Vl": 0.01})}
    assert with_leptons - names <= {*LEPTONS, "nu_e nu_e~", "nu_mu nu_mu~", "nu_tau nu_tau~"}
    assert "e+e-" in with_leptons


@pytest.mark.parametrize(
    ("model", "point", "words"),
    [
        (ZPRIME, {"m1": 0.1, "delta": 10.0, "g_Vq": -0.1, "g_Vl": 0.0}, ("g_Vq", "-0.1")),
        (ZPRIME, {"m1": 0.1, "delta": 10.0, "g_Vq": 0.1, "g_Vl": math.nan}, ("g_Vl", "nan")),
        (ZPRIME, {"m1": 0.1, "delta": 10.0, "g_Vq": 0.0, "g_Vl": 0.0}, ("g_Vq", "g_Vl", "0")),
        (ZPRIME, {"m1": 0.1, "delta": 10.0, "g_Vl": 0.01}, ("g_Vq",)),
        (ZPRIME, {"m1": 0.1, "delta": 10.0, "g_Vq": 0.1, "g_Vl": 0.0, "g_phi": 0.0}, ("g_phi", "0")),
        (DARK_PHOTON, {"m1": 0.1, "delta": 10.0, "M_Zprime": 5.0}, ("M_Zprime", "5.0", "Upsilon")),
        (DARK_PHOTON, {"m1": 0.1, "delta": 10.0}, ("M_Zprime",)),
        (DARK_PHOTON, {"m1": 0.1, "delta": 10.0, "M_Zprime": 40.0, "g_phi": -1.0}, ("g_phi", "-1.0")),
    ],
)
def test_bad_points_name_key_and_value(model, point, words):
    with pytest.raises(ValueError) as err:
        model.validate_point(point)
    assert all(w in str(err.value) for w in words), str(err.value)


def test_cli_lifetime_of_the_matched_models(capsys):
    out = run_json(
        capsys, "lifetime", "--model", "inelastic-scalar-zprime", "--m1", "0.3", "--delta", "10",
        "--g-vq", "0.1", "--g-vl", "0.01", "--mzprime", "2",
    )  # fmt: skip
    z = {"m1": 0.3, "delta": 10.0, "g_Vq": 0.1, "g_Vl": 0.01}
    assert out["ctau_m"] == pytest.approx(ZPRIME.llp_ctau(z, 2.0), rel=1e-12)
    assert out["M_Zprime"] == 2.0
    out = run_json(
        capsys, "lifetime", "--model", "inelastic-scalar-dark-photon", "--m1", "0.3", "--delta", "10",
        "--zprime-mass", "40", "--epsilon", "1e-3",
    )  # fmt: skip
    assert out["ctau_m"] == pytest.approx(DARK_PHOTON.llp_ctau({"m1": 0.3, "delta": 10.0, "M_Zprime": 40.0}, 1e-3))


def test_dark_photon_parton_process_is_the_breit_wigner_of_the_matched_eft():
    """pp -> Z'(*) -> phi1 phi2 of the dark photon (Fig. 6 at MATHUSLA): far below the pole the Breit-Wigner factor
    g_phi^2 g_q^2 / |s - M^2 + i M Gamma|^2 is the contact factor (c_q / Lambda^2)^2 of the matched EFT that the
    meson channels use (eqs. 4.1, 4.3); the width is the sum of the (B.1) widths; production scales as epsilon^2."""
    from darkreach.models.inelastic_scalar.zprime import zprime_channel_widths

    point = {"m1": 0.1, "delta": 10.0, "M_Zprime": 40.0, "g_phi": 1.0}
    process = DARK_PHOTON.parton_process(point)
    assert process is not None and not process.eft_cut and process.mediator is not None
    eps = process.reference_coupling
    g_v = {f: eps * E_CHARGE * fermion_charge(f) for f in FERMIONS}
    widths = zprime_channel_widths(40.0, 0.1, 1.1, 1.0, g_v, g_v)
    assert process.mediator.width == pytest.approx(math.fsum(widths.values()), rel=1e-12)
    # the dark width dominates (0.27 GeV against epsilon^2 x 0.65 GeV): the epsilon^2 scaling is exact to < 1e-5 here
    assert widths["phi1 phi2"] == pytest.approx(40.0 / (48.0 * math.pi) * (1 - (1.2 / 40.0) ** 2) ** 1.5, rel=0.01)
    s_low = 1.0e-2  # GeV^2, s << M^2
    for pid, quark in enumerate(("d", "u", "s", "c", "b"), 1):
        contact = (1.0 * eps * E_CHARGE * fermion_charge(quark) / 40.0**2) ** 2
        assert process.factor([s_low], pid)[0] == pytest.approx(contact, rel=1e-4)
    assert process.coupling_weight([2 * eps])[0] == pytest.approx(4.0)
    assert process.factor([40.0**2], 2)[0] > 1e4 * process.factor([s_low], 2)[0]  # the pole


def test_heavy_zprime_has_parton_production_at_mathusla():
    """pp -> Z'(*) -> phi1 phi2 of the heavy Z' (sec. 4.1): the model has a parton process (the contact sample
    reweighted per event to the Breit-Wigner at each scanned M_Z', tests/test_zprime_partons.py), so MATHUSLA with
    mesons and partons serves it, as Fig. 5 of the paper draws it (config fig_scalar_5)."""
    from conftest import REPO

    from darkreach.config import load_config, load_run_config
    from darkreach.production import production_problem

    process = ZPRIME.parton_process({"m1": 0.1, "delta": 10.0, "g_Vq": 0.25, "g_Vl": 0.0})
    assert process.scanned_mediator is not None and process.scanned_mediator.unit == 1000.0
    assert ZPRIME.has_parton_production() and DARK_PHOTON.has_parton_production()
    run = load_run_config(REPO / "config" / "paper.yaml")
    assert production_problem(run.experiments["mathusla"], ZPRIME) is None
    assert run.experiments["mathusla"].production == ("mesons", "partons")
    panels = load_config(REPO / "config" / "paper.yaml")["figures"]["fig_scalar_5"]["panels"]
    for panel in panels:
        assert "mathusla" in [c["experiment"] for c in panel["curves"]]
