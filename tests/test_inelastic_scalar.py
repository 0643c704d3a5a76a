"""The inelastic-scalar model of paper 003: CLI lifetimes, matrix elements against the widths, yields."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import yaml
from conftest import REPO, m23_range, run_json, synthetic_mesons
from scipy import integrate

from darkreach.cli import main
from darkreach.config import ConfigError, check_config, load_config
from darkreach.detectors import CylinderWithCalorimeter
from darkreach.kinematics import matrix_elements as me
from darkreach.kinematics.decays import dalitz_m12_limits, three_body_decay, three_body_decay_batch
from darkreach.mesons import MESONS, PAPER000_TABLE1, nuclear_scaling
from darkreach.models import get_model
from darkreach.models.base import ThreeBodyProduction, TwoBodyProduction
from darkreach.models.inelastic_scalar import wess_zumino_constant
from darkreach.models.inelastic_scalar.couplings import (
    DEMOCRATIC,
    QUARKS,
    ScalarCouplings,
    charged_meson_coupling,
    charged_pseudoscalar_mass,
    fermion_mass,
)
from darkreach.models.inelastic_scalar.decays import (
    PAPER_CTAU_BENCHMARKS,
    PHI2_CHANNELS,
    phi2_channel_widths,
    phi2_to_phi1_ff_dgamma_ds,
    phi2_to_phi1_gamma_p_dgamma_ds,
    phi2_to_phi1_pp_dgamma_ds,
)
from darkreach.models.inelastic_scalar.production import (
    meson_branching_ratios,
    meson_widths,
    pseudoscalar_to_phi1phi2gamma_dgamma_ds,
)
from darkreach.sensitivity.yields import expected_events, simulate_point

MODEL = get_model("inelastic-scalar")
NA62 = CylinderWithCalorimeter(79.0, 217.0, 1.0, 217.0, 1.2)
A_CU = 63.546


def _lifetime(capsys, m1, delta, lam, *extra) -> dict:
    return run_json(
        capsys, "lifetime", "--model", "inelastic-scalar", "--m1", str(m1), "--delta", str(delta), "--lambda", str(lam),
        *extra,
    )  # fmt: skip


# =========================================================================== CLI: sec. 3 lifetimes
@pytest.mark.parametrize(("point", "quoted"), list(PAPER_CTAU_BENCHMARKS.items()), ids=lambda x: str(x))
def test_cli_lifetimes_of_section_3(capsys, point, quoted):
    m1, delta, lam = point
    out = _lifetime(capsys, m1, delta, lam)
    assert out["Lambda"] == lam
    assert out["ctau_m"] == pytest.approx(quoted, rel=0.05)
    assert math.fsum(out["channels"].values()) == pytest.approx(1.0, rel=1e-12)
    assert set(out["channels"]) <= set(PHI2_CHANNELS)
    assert all(v > 0.0 for v in out["channels"].values())


def test_cli_lifetime_scales_as_lambda_to_the_fourth(capsys):
    a = _lifetime(capsys, 0.3, 10, 600)
    b = _lifetime(capsys, 0.3, 10, 6000)
    assert b["ctau_m"] == pytest.approx(1e4 * a["ctau_m"], rel=1e-12)
    assert b["channels"] == pytest.approx(a["channels"], rel=1e-12)


def test_cli_couplings_file(capsys, tmp_path):
    demo = _lifetime(capsys, 0.3, 10, 6000)
    # leptophobic: every lepton channel disappears, the quark widths are unchanged -> longer lifetime
    phobic = tmp_path / "leptophobic.yaml"
    phobic.write_text(yaml.safe_dump({q: 1.0 for q in QUARKS}))
    out = _lifetime(capsys, 0.3, 10, 6000, "--couplings", str(phobic))
    assert set(out["channels"]) == {"u u~", "d d~", "s s~", "c c~"}
    quark_fraction = sum(demo["channels"][k] for k in out["channels"])
    assert out["ctau_m"] == pytest.approx(demo["ctau_m"] / quark_fraction, rel=1e-9)
    assert out["couplings"] == {q: 1.0 for q in QUARKS}
    # electrons only (a JSON file is YAML too)
    eonly = tmp_path / "electrons.json"
    eonly.write_text(json.dumps({"e": 1.0}))
    out = _lifetime(capsys, 0.3, 10, 6000, "--couplings", str(eonly))
    assert "channels" not in out  # a single open channel: the CLI lists channels only when there are several
    assert out["ctau_m"] == pytest.approx(demo["ctau_m"] / demo["channels"]["e+e-"], rel=1e-9)
    # chiral couplings: a purely right-handed electron coupling gives c_V = c_A = 1/2, half the vector width
    # for m_e -> 0 (c_V^2 + c_A^2 = 1/2)
    chiral = tmp_path / "chiral.yaml"
    chiral.write_text(yaml.safe_dump({"e": {"c_R": 1.0}}))
    out_r = _lifetime(capsys, 0.3, 10, 6000, "--couplings", str(chiral))
    assert out_r["ctau_m"] == pytest.approx(2.0 * out["ctau_m"], rel=1e-3)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"electron": 1.0}, "couplings: unknown fermion name(s) 'electron'"),
        ({"nu_e": {"c_L": 1.0, "c_R": 1.0}}, "couplings: neutrinos have no right-handed component"),
        ({"u": {"cV": 1.0}}, "couplings: fermion 'u': unknown key(s) 'cV'"),
        ({"u": "one"}, "couplings: coupling 'u' must be a number"),
    ],
)
def test_cli_rejects_bad_couplings_naming_the_key(capsys, tmp_path, content, expected):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(content))
    argv = ["lifetime", "--model", "inelastic-scalar", "--m1", "0.3", "--delta", "10", "--lambda", "6000"]
    assert main([*argv, "--couplings", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("darkreach: error:")
    assert expected in err[0]


def test_cli_scan_option_and_br(capsys):
    argv = ["lifetime", "--model", "inelastic-scalar", "--m1", "0.3", "--delta", "10"]
    assert main([*argv, "--coupling", "1e-5"]) == 2
    assert "takes --lambda" in capsys.readouterr().err
    assert main(argv) == 2
    assert "needs --lambda" in capsys.readouterr().err
    br = ["br", "--model", "inelastic-scalar", "--m1", "0.01", "--delta", "10", "--lambda", "1000"]
    out = run_json(capsys, *br, "--meson", "omega")
    assert out["br"] == pytest.approx(meson_branching_ratios(0.01, 10.0, 1000.0)["omega"], rel=1e-6)
    # paper 003 has no phi(1020) channel
    out = run_json(capsys, *br, "--meson", "phi")
    assert out["br"] == 0.0


# =========================================================================== model structure
def test_production_channels():
    chans = MODEL.production_channels({"m1": 0.005, "delta": 10.0})
    by = {c.meson: c for c in chans}
    assert set(by) == {"pi0", "eta", "etap", "rho", "omega", "jpsi", "upsilon"}  # no phi (not in paper 003)
    widths = meson_widths(0.005, 10.0, 1.0)
    for key, ch in by.items():
        assert ch.width_unit == pytest.approx(widths[key], rel=1e-12)
        if key in ("pi0", "eta", "etap"):
            assert isinstance(ch, ThreeBodyProduction)
            assert ch.matrix_element == me.ME_PSEUDOSCALAR_SCALARS and ch.llp_index == 2
            assert ch.masses == (0.0, 0.005, 0.055)
        else:
            assert isinstance(ch, TwoBodyProduction) and (ch.m_llp, ch.m_partner) == (0.055, 0.005)
    # BR(M) = Gamma Lambda^-4 / (Gamma_SM + ...)
    assert MODEL.branching_ratio("jpsi", {"m1": 0.005, "delta": 10.0}, 1000.0) == pytest.approx(
        meson_branching_ratios(0.005, 10.0, 1000.0)["jpsi"], rel=1e-9
    )
    # closed channels are absent: m1 + m2 = 3.6 GeV > M_J/psi
    assert {c.meson for c in MODEL.production_channels({"m1": 0.3, "delta": 10.0})} == {"upsilon"}


def test_decay_channels_names_visibility_and_default_efficiencies():
    # ChPT point: vectors, leptons, gamma P
    chans = {c.name: c for c in MODEL.decay_channels({"m1": 10.0, "delta": 0.1})}
    widths = phi2_channel_widths(10.0, 0.1, 1.0)
    assert set(chans) == {k for k, v in widths.items() if v > 0.0}
    assert math.fsum(c.branching_ratio for c in chans.values()) == pytest.approx(1.0, rel=1e-12)
    assert chans["omega"].daughter_masses == (10.0, MESONS["omega"].mass) and chans["omega"].visible == (1,)
    assert chans["omega"].efficiency == 1.0
    ee = chans["e+e-"]
    assert ee.matrix_element == me.ME_SCALAR_FERMIONS and ee.visible == (1, 2) and ee.efficiency == 1.0
    assert ee.me_params == (1.0, 0.0)
    assert chans["nu_mu nu_mu~"].visible == () and chans["nu_mu nu_mu~"].me_params == (0.5, -0.5)
    pg = chans["pi0 gamma"]
    assert pg.matrix_element == me.ME_SCALAR_GAMMA_MESON and pg.efficiency == 0.0 and pg.visible == (1, 2)
    assert pg.daughter_masses == (10.0, MESONS["pi0"].mass, 0.0)
    # pQCD point: quarks visible but off by default
    chans = {c.name: c for c in MODEL.decay_channels({"m1": 0.3, "delta": 10.0})}
    assert chans["u u~"].visible == (1, 2) and chans["u u~"].efficiency == 0.0
    assert chans["c c~"].daughter_masses[1] == pytest.approx(fermion_mass("c"))
    # meson pairs appear for non-democratic couplings
    point = {"m1": 0.05, "delta": 10.0, "couplings": {"u": 1.0, "e": 1.0}}
    chans = {c.name: c for c in MODEL.decay_channels(point)}
    assert chans["pi+pi-"].matrix_element == me.ME_SCALAR_MESON_PAIR and chans["pi+pi-"].efficiency == 0.0
    assert chans["pi+pi-"].me_params == (-1.0,)
    # below every threshold but the neutrinos: only invisible channels
    assert all(c.visible == () for c in MODEL.decay_channels({"m1": 0.5, "delta": 1e-3}))


def test_validate_point():
    MODEL.validate_point({"m1": 0.1, "delta": 0.1})
    MODEL.validate_point({"m1": 0.1, "delta": 0.1, "couplings": DEMOCRATIC})
    for bad, msg in [
        ({"m1": -1.0, "delta": 0.1}, "m1"),
        ({"m1": 0.1, "delta": 0.0}, "delta"),
        ({"m1": 0.1}, "'delta'"),
        ({"m1": 0.1, "delta": 0.1, "couplings": {"top": 1}}, "couplings: unknown fermion name(s) 'top'"),
        ({"m1": 0.1, "delta": 0.1, "couplings": [1, 2]}, "couplings: couplings must be a mapping"),
    ]:
        with pytest.raises(ValueError, match=msg.replace("(", r"\(").replace(")", r"\)")):
            MODEL.validate_point(bad)


def test_config_benchmarks_with_couplings():
    cfg = load_config(REPO / "config" / "scalar.yaml")
    assert cfg["scan"]["level"] == 2.3 and cfg["experiments"]["na62"]["energy_thresholds_gev"] == [2.0]
    cfg["models"]["inelastic-scalar"]["benchmarks"].append({"delta": 10, "couplings": {"u": 1, "d": 1}})
    check_config(cfg)
    cfg["models"]["inelastic-scalar"]["benchmarks"].append({"delta": 10, "couplings": {"electron": 1}})
    with pytest.raises(ConfigError, match="models.inelastic-scalar.benchmarks.3.*couplings: unknown fermion"):
        check_config(cfg)


# =========================================================================== matrix elements vs dGamma/ds
def _dgamma_dm12(code, params, big_m, ma, mb, mc, s12):
    lo, hi = m23_range(s12, big_m, ma, mb, mc)
    p = np.array(params, dtype=float)
    val, _ = integrate.quad(lambda t: me.msq(code, big_m, ma, mb, mc, s12, t, p), lo, hi, epsabs=0.0, epsrel=1e-11)
    return val / ((2.0 * math.pi) ** 3 * 32.0 * big_m**3)


def _dgamma_dm23(code, params, big_m, ma, mb, mc, s23):
    lo, hi = dalitz_m12_limits(big_m, ma, mb, mc, s23)
    p = np.array(params, dtype=float)
    val, _ = integrate.quad(lambda t: me.msq(code, big_m, ma, mb, mc, t, s23, p), lo, hi, epsabs=0.0, epsrel=1e-11)
    return val / ((2.0 * math.pi) ** 3 * 32.0 * big_m**3)


@pytest.mark.parametrize(
    ("m1", "m2", "fermion", "c_l", "c_r"),
    [
        (2e-3, 22e-3, "e", 1.0, 1.0),
        (0.1, 0.5, "mu", 1.0, 0.0),
        (10.0, 11.0, "mu", 0.3, 1.7),
        (0.3, 3.3, "c", 1.0, -0.5),
    ],
)
def test_fermion_matrix_element_reproduces_a14(m1, m2, fermion, c_l, c_r):
    c_v, c_a = 0.5 * (c_l + c_r), 0.5 * (c_r - c_l)
    mf = fermion_mass(fermion)
    lo, hi = (m1 + mf) ** 2, (m2 - mf) ** 2
    for x in (0.05, 0.3, 0.7, 0.95):
        s = lo + x * (hi - lo)
        expected = phi2_to_phi1_ff_dgamma_ds(s, m1, m2, mf, c_v, c_a, 1.0)
        got = _dgamma_dm12(me.ME_SCALAR_FERMIONS, (c_v, c_a), m2, m1, mf, mf, s)
        assert got == pytest.approx(expected, rel=1e-7)


def test_meson_pair_and_gamma_meson_matrix_elements_reproduce_a14():
    cpl = ScalarCouplings.from_mapping({"u": 1.0, "s": 0.5})
    m1, m2 = 0.15, 1.8
    for p in ("pi+", "K+"):
        mp = charged_pseudoscalar_mass(p)
        c = charged_meson_coupling(p, cpl)
        lo, hi = (m1 + mp) ** 2, (m2 - mp) ** 2
        for x in (0.1, 0.5, 0.9):
            s = lo + x * (hi - lo)
            got = _dgamma_dm12(me.ME_SCALAR_MESON_PAIR, (c,), m2, m1, mp, mp, s)
            assert got == pytest.approx(phi2_to_phi1_pp_dgamma_ds(s, p, m1, m2, 1.0, cpl), rel=1e-7)
    for p, m1, m2 in (("pi0", 0.05, 0.6), ("eta", 0.3, 1.5)):
        mp = MESONS[p].mass
        lo, hi = (m1 + mp) ** 2, m2**2
        for x in (0.1, 0.5, 0.9):
            s = lo + x * (hi - lo)
            got = _dgamma_dm12(me.ME_SCALAR_GAMMA_MESON, (wess_zumino_constant(p),), m2, m1, mp, 0.0, s)
            assert got == pytest.approx(phi2_to_phi1_gamma_p_dgamma_ds(s, p, m1, m2, 1.0), rel=1e-7)


@pytest.mark.parametrize(("meson", "m1", "m2"), [("pi0", 0.01, 0.11), ("eta", 0.05, 0.3), ("etap", 0.002, 0.022)])
def test_pseudoscalar_production_matrix_element_reproduces_corrected_a11(meson, m1, m2):
    big_m = MESONS[meson].mass
    lo, hi = (m1 + m2) ** 2, big_m**2
    for x in (0.05, 0.4, 0.8):
        s = lo + x * (hi - lo)
        got = _dgamma_dm23(me.ME_PSEUDOSCALAR_SCALARS, (wess_zumino_constant(meson),), big_m, 0.0, m1, m2, s)
        assert got == pytest.approx(pseudoscalar_to_phi1phi2gamma_dgamma_ds(s, meson, m1, m2, 1.0), rel=1e-7)


def _invariant(a, b):
    e = a[:, 3] + b[:, 3]
    p = a[:, :3] + b[:, :3]
    return e * e - np.sum(p * p, axis=1)


def _weighted_shape_check(code, params, big_m, masses, which, dgds, n=200_000, nbins=12, seed=5):
    """Weighted histogram of m12^2 (which=12) or m23^2 (which=23) from the kernel vs the bin integrals of dgds."""
    rng = np.random.default_rng(seed)
    parents = np.zeros((n, 3))
    parents[:, 2] = 37.0  # in flight: invariants must not care
    o1, o2, o3, w = three_body_decay_batch(
        parents, big_m, *masses, code, np.array(params, dtype=float), rng.random((n, 5))
    )
    s = _invariant(o1, o2) if which == 12 else _invariant(o2, o3)
    if which == 12:
        lo, hi = (masses[0] + masses[1]) ** 2, (big_m - masses[2]) ** 2
    else:
        lo, hi = (masses[1] + masses[2]) ** 2, (big_m - masses[0]) ** 2
    edges = np.linspace(lo, hi, nbins + 1)
    hist, _ = np.histogram(s, bins=edges, weights=w)
    hist /= hist.sum()
    expected = np.array([integrate.quad(dgds, a, b, epsrel=1e-9)[0] for a, b in zip(edges[:-1], edges[1:])])
    expected /= expected.sum()
    sumw2, _ = np.histogram(s, bins=edges, weights=w * w)
    err = np.sqrt(sumw2) / np.sum(w)
    big = expected > 0.01
    pulls = (hist[big] - expected[big]) / np.maximum(err[big], 1e-12)
    assert np.all(np.abs(pulls) < 5.0), (hist, expected, pulls)
    # the distributions are far from flat phase space, so this is a real test of the weights
    return hist, expected


def test_kernel_weights_are_the_matrix_element_times_jacobian():
    """Guards against stale numba caches: decays.py is cached separately from matrix_elements.py/me_scalar.py."""
    m2, m1, mf = 0.022, 0.002, fermion_mass("e")
    u = np.array([0.3, 0.6, 0.1, 0.2, 0.3])
    r = three_body_decay(0.0, 0.0, 10.0, m2, m1, mf, mf, me.ME_SCALAR_FERMIONS, np.array([1.0, 0.0]), u)
    smin, smax = (2 * mf) ** 2, (m2 - m1) ** 2
    s = smin + (smax - smin) * u[0]
    lo, hi = dalitz_m12_limits(m2, m1, mf, mf, s)
    m12 = lo + (hi - lo) * u[1]
    expected = me.msq(me.ME_SCALAR_FERMIONS, m2, m1, mf, mf, m12, s, np.array([1.0, 0.0])) * (smax - smin) * (hi - lo)
    assert r[12] == pytest.approx(expected, rel=1e-12), (
        "three_body_decay does not call the current msq: delete the numba caches "
        "(src/darkreach/kinematics/__pycache__/decays.*.nbi/.nbc and sensitivity/__pycache__/chain.*)"
    )


def test_kernel_histograms_follow_the_widths():
    mmu = fermion_mass("mu")
    m1, m2 = 0.1, 0.5
    _weighted_shape_check(
        me.ME_SCALAR_FERMIONS, (1.0, 0.0), m2, (m1, mmu, mmu), 12,
        lambda s: phi2_to_phi1_ff_dgamma_ds(s, m1, m2, mmu, 1.0, 0.0, 1.0),
    )  # fmt: skip
    mpi = MESONS["pi0"].mass
    _weighted_shape_check(
        me.ME_SCALAR_GAMMA_MESON, (1.0,), 0.6, (0.05, mpi, 0.0), 12,
        lambda s: phi2_to_phi1_gamma_p_dgamma_ds(s, "pi0", 0.05, 0.6, 1.0),
    )  # fmt: skip
    cpl = ScalarCouplings.from_mapping({"u": 1.0})
    mpc = charged_pseudoscalar_mass("pi+")
    _weighted_shape_check(
        me.ME_SCALAR_MESON_PAIR, (-1.0,), 1.8, (0.15, mpc, mpc), 12,
        lambda s: phi2_to_phi1_pp_dgamma_ds(s, "pi+", 0.15, 1.8, 1.0, cpl),
    )  # fmt: skip
    hist, expected = _weighted_shape_check(
        me.ME_PSEUDOSCALAR_SCALARS, (1.0,), MESONS["eta"].mass, (0.0, 0.05, 0.3), 23,
        lambda s: pseudoscalar_to_phi1phi2gamma_dgamma_ds(s, "eta", 0.05, 0.3, 1.0),
    )  # fmt: skip
    assert expected[0] < 0.5 * expected.max()  # vanishes at threshold: not flat


# =========================================================================== yields through NA62
def _synthetic(keys, n, seed):
    return synthetic_mesons(keys, n, seed, pz_mean=40.0, pz_min=5.0, pt_mean=0.3)


@pytest.fixture(scope="module")
def mesons():
    return _synthetic(("jpsi", "omega", "eta"), 20_000, seed=11)


def _fm(keys):
    return {k: PAPER000_TABLE1[k] * nuclear_scaling(k, A_CU) for k in keys}


POINT = {"m1": 0.025, "delta": 10.0}


@pytest.fixture(scope="module")
def events(mesons):
    return simulate_point(MODEL, POINT, mesons, NA62.kernel("paper"), 20_000, seed=3)


def test_simulation_channels(events):
    pairs = {(e.production.meson, e.decay.name) for e in events}
    # m2 = 0.275 GeV: e+e-, mu+mu- and pi0 gamma open and visible, neutrinos not simulated (invisible)
    assert pairs == {(m, d) for m in ("jpsi", "omega", "eta") for d in ("e+e-", "mu+mu-", "pi0 gamma")}
    for e in events:
        assert e.weight.size > 100 and np.all(np.isfinite(e.weight)) and np.all(e.weight > 0)


def test_yield_is_finite_and_scales_as_lambda_to_minus_eight(mesons, events):
    lam = np.array([10.0, 100.0, 300.0, 1e3, 2e4, 4e4, 8e4])
    n = expected_events(MODEL, POINT, events, lam, _fm(mesons), 1e18, 2.0)
    assert np.all(np.isfinite(n)) and np.all(n >= 0.0)
    assert n.max() > 100.0  # NA62 sees this point
    # long-lifetime limit: production ~ Lambda^-4 times decay probability ~ Lambda^-4
    slopes = np.diff(np.log(n[-3:])) / np.diff(np.log(lam[-3:]))
    assert slopes == pytest.approx([-8.0, -8.0], abs=0.01)
    # short lifetimes: phi2 decays before the decay volume, N falls steeply towards small Lambda
    assert n[0] < 1e-3 * n.max()


def test_visible_energy_bounds(events):
    m2 = MODEL.llp_mass(POINT)
    for ev in (e for e in events if e.decay.name in ("e+e-", "mu+mu-")):
        ml = fermion_mass({"e+e-": "e", "mu+mu-": "mu"}[ev.decay.name])
        e_llp = m2 * np.sqrt(1.0 + ev.betagamma**2)
        assert np.all(ev.e_visible < e_llp)
        assert np.all(ev.e_visible > ml)
        # the more energetic of the two leptons carries at least a fair share of the pair's energy
        assert np.mean(ev.e_visible / e_llp) > 0.2


def test_channel_efficiencies_replace_the_default(mesons, events):
    lam = np.array([300.0, 3000.0])
    args = (_fm(mesons), 1e18, 2.0)
    full = expected_events(MODEL, POINT, events, lam, *args)
    no_ee = expected_events(MODEL, POINT, events, lam, *args, channel_efficiencies={"e+e-": 0.0})
    only_ee = expected_events(MODEL, POINT, [e for e in events if e.decay.name == "e+e-"], lam, *args)
    assert no_ee == pytest.approx(full - only_ee, rel=1e-9)
    assert np.all(no_ee < full)
    charm = expected_events(MODEL, POINT, events, lam, *args, channel_efficiencies={"e+e-": 0.65, "mu+mu-": 0.75})
    assert charm == pytest.approx(0.65 * only_ee + 0.75 * (full - only_ee), rel=1e-9)
    none = expected_events(MODEL, POINT, events, lam, *args, channel_efficiencies={"e+e-": 0.0, "mu+mu-": 0.0})
    assert np.all(none == 0.0)


def test_pqcd_quarks_are_off_by_default_and_can_be_enabled():
    mes = _synthetic(("upsilon",), 5_000, seed=4)
    point = {"m1": 0.3, "delta": 10.0}
    events = simulate_point(MODEL, point, mes, NA62.kernel("paper"), 5_000, seed=1)
    names = {e.decay.name for e in events}
    assert {"u u~", "d d~", "s s~", "c c~", "e+e-", "mu+mu-"} <= names
    fm = {"upsilon": PAPER000_TABLE1["upsilon"] * nuclear_scaling("upsilon", A_CU)}
    lam = np.array([2e4])
    default = expected_events(MODEL, point, events, lam, fm, 1e18, 2.0)
    with_quarks = expected_events(
        MODEL, point, events, lam, fm, 1e18, 2.0, channel_efficiencies={"u u~": 1.0, "d d~": 1.0, "s s~": 1.0}
    )
    assert default[0] > 0.0 and with_quarks[0] > 2.0 * default[0]
