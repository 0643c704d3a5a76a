"""The active-sterile neutrino dipole (paper 000, eq. 2.3, appendix A): widths, thresholds, eq. (A.7), yields, CLI."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import REPO, run_json, synthetic_mesons
from scipy import integrate

from darkreach.cli import main
from darkreach.config import load_config
from darkreach.constants import G_FERMI, HBARC_GEV_M
from darkreach.detectors import CylinderWithCalorimeter
from darkreach.experiments import experiment_from_config
from darkreach.kinematics.decays import dalitz_m12_limits, three_body_decay_batch
from darkreach.kinematics.matrix_elements import ME_CHARGED_STERILE_DIPOLE, ME_PSEUDOSCALAR_DIPOLE, msq
from darkreach.kinematics.me_sterile import msq_charged_sterile_dipole, msq_charged_sterile_dipole_raw
from darkreach.mesons import MESONS, PAPER000_TABLE1, nuclear_scaling
from darkreach.models import get_model
from darkreach.models.idm_dipole import PSEUDOSCALAR_MESONS, VECTOR_MESONS, pseudoscalar_width, vector_width
from darkreach.models.sterile_dipole import CHARGED_MESONS, charged_width, lepton_mass
from darkreach.sensitivity.yields import expected_events, simulate_point

MODEL = get_model("sterile-dipole")
NA62 = CylinderWithCalorimeter(79.0, 217.0, 1.0, 217.0, 1.2)
A_CU = 63.546
FLAVOURS = ("e", "mu", "tau")


def _point(m_n: float, flavour: str = "e") -> dict:
    return {"m1": m_n, "flavour": flavour}


def _channels(point: dict) -> dict:
    return {ch.meson: ch for ch in MODEL.production_channels(point)}


# --------------------------------------------------------------------------- Dirac algebra (independent of A.7)
_I2, _Z2 = np.eye(2), np.zeros((2, 2))
_PAULI = (np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]], complex))
_G = [np.block([[_I2, _Z2], [_Z2, -_I2]]).astype(complex)] + [np.block([[_Z2, s], [-s, _Z2]]) for s in _PAULI]
_G5 = 1j * _G[0] @ _G[1] @ _G[2] @ _G[3]
_ETA = np.diag([1.0, -1.0, -1.0, -1.0])
_ONE = np.eye(4)
_PL, _PR = (_ONE - _G5) / 2, (_ONE + _G5) / 2


def _slash(p):
    return sum(_ETA[m, m] * p[m] * _G[m] for m in range(4))


def _bar(a):
    return _G[0] @ a.conj().T @ _G[0]


def _dipole_vertex(k, nu, chirality):
    """2 d sigma^{mu nu} k_mu (d = 1) times a chiral projector: the vertex of d nubar sigma N F + h.c."""
    sig = sum(0.5j * (_G[m] @ _G[nu] - _G[nu] @ _G[m]) * _ETA[m, m] * k[m] for m in range(4))
    return 2.0 * sig @ chirality


def _msq_trace(mp, ml, mn, m12sq, m23sq, fp, vckm, d):
    """Sum over spins and polarisations of |M|^2 for P+ -> gamma(p1) l+(p2) N(p3), by Dirac traces of
    M = (G_F/sqrt2) V f_P ubar_N [2 d sigma^{mu nu} p1_mu eps*_nu P_L] q-slash/q^2 p_P-slash (1 - g5) v_l."""
    e1 = (mp * mp - m23sq) / (2 * mp)
    e3 = (mp * mp + mn * mn - m12sq) / (2 * mp)
    p1, p3 = e1, math.sqrt(max(e3 * e3 - mn * mn, 0.0))
    e2 = mp - e1 - e3
    p2sq = e2 * e2 - ml * ml
    c13 = (p2sq - p1 * p1 - p3 * p3) / (2 * p1 * p3)
    s13 = math.sqrt(max(1 - c13 * c13, 0.0))
    k = np.array([e1, 0, 0, p1])
    pn = np.array([e3, p3 * s13, 0, p3 * c13])
    pl = np.array([mp, 0, 0, 0]) - k - pn
    q = k + pn
    q2 = q[0] ** 2 - q[1:] @ q[1:]
    rest = _slash(q) @ _slash(k + pl + pn) @ (_ONE - _G5)
    total = 0.0
    for nu in range(4):  # polarisation sum -g_{nu nu'} (the dipole vertex is gauge invariant)
        a = _dipole_vertex(k, nu, _PL) @ rest
        total += -_ETA[nu, nu] * np.trace((_slash(pn) + mn * _ONE) @ a @ (_slash(pl) - ml * _ONE) @ _bar(a)).real
    return G_FERMI**2 / 2 * vckm**2 * fp**2 * d * d * total / q2**2


def _dalitz_points(mp, ml, mn, n, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        s = (ml + mn) ** 2 + rng.uniform(0.001, 0.999) * (mp**2 - (ml + mn) ** 2)
        lo, hi = dalitz_m12_limits(mp, 0.0, ml, mn, s)
        out.append((lo + rng.uniform(0.001, 0.999) * (hi - lo), s))
    return out


# --------------------------------------------------------------------------- N decay, eq. (A.1)
@pytest.mark.parametrize("m_n", [0.01, 0.3, 2.0])
def test_sterile_width_eq_a1_by_hand(m_n):
    d = 3e-7
    width = d * d * m_n**3 / (4.0 * math.pi)
    for flavour in FLAVOURS:
        assert MODEL.llp_width(_point(m_n, flavour), d) == pytest.approx(width, rel=1e-14)
        assert MODEL.llp_ctau(_point(m_n, flavour), d) == pytest.approx(HBARC_GEV_M / width, rel=1e-14)
    (ch,) = MODEL.decay_channels(_point(m_n))
    assert ch.name == "nu_gamma" and ch.branching_ratio == 1.0
    assert ch.daughter_masses == (0.0, 0.0) and ch.visible == (1,)


def test_dipole_vertex_normalisation_gives_eq_a1():
    """The vertex used in the derivation of A.7 below gives Gamma(N -> nu gamma) = d^2 M^3/(4 pi): same d."""
    m = 0.7
    k, pnu, pn = np.array([m / 2, 0, 0, m / 2]), np.array([m / 2, 0, 0, -m / 2]), np.array([m, 0, 0, 0])
    total = 0.0
    for nu in range(4):
        a = _dipole_vertex(k, nu, _PR)
        total += -_ETA[nu, nu] * np.trace(_slash(pnu) @ a @ (_slash(pn) + m * _ONE) @ _bar(a)).real
    width = (total / 2) * (m / 2) / (8 * math.pi * m * m)  # spin average, two-body phase space
    assert width == pytest.approx(m**3 / (4 * math.pi), rel=1e-12)


# --------------------------------------------------------------------------- neutral mesons, (A.2)-(A.5)
def _open_idm_limit_channels(m_n, mesons, idm_width, rel):
    """(meson, sterile channel, IDM width at m1 = 0 and unit d) of every meson whose IDM channel is open at M_N =
    m_n; a closed one must have no sterile channel either, an open one has half the IDM width (d -> d/sqrt2)."""
    chans = _channels(_point(m_n))
    for key in mesons:
        ref = idm_width(key, 0.0, m_n, 1.0)
        if ref == 0.0:
            assert key not in chans
            continue
        assert chans[key].width_unit == pytest.approx(ref / 2.0, rel=rel)
        yield key, chans[key], ref


@pytest.mark.parametrize("m_n", [0.05, 0.5, 2.5])
def test_vector_mesons_are_idm_at_m1_zero_with_half_d2_and_two_llps(m_n):
    for key, ch, ref in _open_idm_limit_channels(m_n, VECTOR_MESONS, vector_width, rel=1e-14):
        assert ch.n_llp == 2.0 and ch.m_llp == m_n and ch.m_partner == 0.0  # N nubar + Nbar nu
        d = 1e-6
        dark = 2.0 * d * d * ref / 2.0
        assert MODEL.production_width(key, _point(m_n), d) == pytest.approx(dark, rel=1e-13)
        assert MODEL.branching_ratio(key, _point(m_n), d) == pytest.approx(dark / (MESONS[key].width + dark), rel=1e-12)


@pytest.mark.parametrize("m_n", [0.01, 0.1, 0.5])
def test_neutral_pseudoscalars_use_a4_at_m1_zero(m_n):
    for key, ch, _ in _open_idm_limit_channels(m_n, PSEUDOSCALAR_MESONS, pseudoscalar_width, rel=1e-12):
        assert ch.n_llp == 2.0 and ch.masses == (0.0, 0.0, m_n) and ch.llp_index == 2
        assert ch.matrix_element == ME_PSEUDOSCALAR_DIPOLE
        assert ch.me_params == pytest.approx((MESONS[key].anomaly_decay_constant, 1 / math.sqrt(2)), rel=1e-15)


@pytest.mark.parametrize("m_n", [0.02, 0.3, 1.0, 3.0])
def test_only_charged_channels_depend_on_flavour(m_n):
    per_flavour = {fl: _channels(_point(m_n, fl)) for fl in FLAVOURS}
    neutral = set(VECTOR_MESONS) | set(PSEUDOSCALAR_MESONS)
    for fl in FLAVOURS[1:]:
        for key in neutral:
            assert (key in per_flavour[fl]) == (key in per_flavour["e"])
            if key in per_flavour["e"]:
                assert per_flavour[fl][key] == per_flavour["e"][key]
    # the charged widths do depend on the lepton (mass): e > mu > tau wherever open
    for key in CHARGED_MESONS:
        widths = [per_flavour[fl][key].width_unit if key in per_flavour[fl] else 0.0 for fl in FLAVOURS]
        if widths[0] > 0:
            assert widths[0] > widths[1] >= widths[2]


# --------------------------------------------------------------------------- thresholds
def test_kaon_tau_channel_always_closed():
    for m_n in np.geomspace(1e-4, 0.49, 25):
        assert "kplus" not in _channels(_point(float(m_n), "tau"))
        assert MODEL.branching_ratio("kplus", _point(float(m_n), "tau"), 1e-3) == 0.0
        assert charged_width("kplus", "tau", float(m_n), 1.0) == 0.0


@pytest.mark.parametrize(
    ("meson", "flavour"),
    [("kplus", "e"), ("kplus", "mu"), ("dplus", "tau"), ("ds", "tau"), ("bplus", "tau"), ("bplus", "e")],
)
def test_charged_channel_threshold_exact_zero(meson, flavour):
    edge = MESONS[meson].mass - lepton_mass(flavour)
    d = 1e-4
    below = _point(edge * (1 - 1e-6), flavour)
    assert meson in _channels(below)
    br_below = MODEL.branching_ratio(meson, below, d)
    assert br_below > 0.0 and math.isfinite(br_below)
    # tiny just below the edge: far smaller than half-way down
    assert charged_width(meson, flavour, edge * (1 - 1e-6), 1.0) < 1e-9 * charged_width(meson, flavour, edge / 2, 1.0)
    for m_n in (edge, edge * (1 + 1e-9), edge * (1 + 1e-3)):
        assert meson not in _channels(_point(m_n, flavour))
        assert MODEL.branching_ratio(meson, _point(m_n, flavour), d) == 0.0
        assert charged_width(meson, flavour, m_n, 1.0) == 0.0


def test_heavy_n_has_no_production():
    point = _point(9.5, "e")  # above M_Upsilon: every channel closed, BR exactly 0, no NaN
    assert MODEL.production_channels(point) == []
    for key in MESONS:
        assert MODEL.branching_ratio(key, point, 1e-3) == 0.0


# --------------------------------------------------------------------------- eq. (A.7)
#: (meson, flavour) pairs with an open P -> l N gamma channel (K -> tau is closed for every M_N)
OPEN_PAIRS = [(k, fl) for k in CHARGED_MESONS for fl in FLAVOURS if lepton_mass(fl) < MESONS[k].mass]


@pytest.mark.parametrize(("meson", "flavour"), OPEN_PAIRS)
@pytest.mark.parametrize("frac", [0.001, 0.3, 0.9])
def test_a7_non_negative_over_dalitz_plot(meson, flavour, frac):
    spec = MESONS[meson]
    mp, ml = spec.mass, lepton_mass(flavour)
    mn = frac * (mp - ml)
    smin, smax = (ml + mn) ** 2, mp**2
    interior, boundary = [], []
    for i, s in enumerate(np.linspace(smin, smax, 63)):
        lo, hi = dalitz_m12_limits(mp, 0.0, ml, mn, s)
        for j, t in enumerate(np.linspace(lo, hi, 63)):
            v = msq_charged_sterile_dipole_raw(mp, ml, mn, t, s, spec.decay_constant, spec.v_ckm, 1.0)
            if i in (0, 62) or j in (0, 62):
                # size of the individual terms of (A.7), which cancel where |M|^2 vanishes on the boundary
                m13sq = mp**2 + ml**2 + mn**2 - t - s
                terms = 16 * G_FERMI**2 * (spec.decay_constant * spec.v_ckm) ** 2 * mp**8 / m13sq**2
                boundary.append(v / terms)
            else:
                interior.append(v)
    assert np.all(np.isfinite(interior)) and np.all(np.isfinite(boundary))
    assert min(interior) > 0.0  # strictly positive inside the Dalitz plot
    assert min(boundary) >= -1e-12  # and zero up to rounding where it vanishes on the boundary


@pytest.mark.parametrize(
    ("meson", "flavour", "frac"),
    [
        ("kplus", "e", 0.2),
        ("kplus", "mu", 0.5),
        ("dplus", "e", 0.7),
        ("ds", "tau", 0.5),
        ("bplus", "mu", 0.3),
        ("bplus", "tau", 0.8),
    ],
)
def test_a7_equals_trace_of_amplitude(meson, flavour, frac):
    """Eq. (A.7) as printed equals the Dirac trace of P+ -> l+ nu* -> l+ N gamma (no misprint)."""
    spec = MESONS[meson]
    mp, ml = spec.mass, lepton_mass(flavour)
    mn = frac * (mp - ml)
    for m12sq, m23sq in _dalitz_points(mp, ml, mn, 6, seed=sum(map(ord, meson + flavour))):
        a7 = msq_charged_sterile_dipole(mp, ml, mn, m12sq, m23sq, spec.decay_constant, spec.v_ckm, 2e-3)
        ref = _msq_trace(mp, ml, mn, m12sq, m23sq, spec.decay_constant, spec.v_ckm, 2e-3)
        assert a7 == pytest.approx(ref, rel=1e-8)
        # the msq dispatch passes (f_P, |V|, d) and the (photon, lepton, N) masses through unchanged
        params = np.array([spec.decay_constant, spec.v_ckm, 2e-3])
        assert msq(ME_CHARGED_STERILE_DIPOLE, mp, 0.0, ml, mn, m12sq, m23sq, params) == a7


@pytest.mark.parametrize("meson", CHARGED_MESONS)
def test_charged_width_massless_limit_closed_form(meson):
    """m_l, M_N -> 0: |M|^2 = 16 C m12^2 m13^2, Gamma = d^2 G_F^2 f_P^2 |V|^2 M_P^5 / (384 pi^3)."""
    spec = MESONS[meson]
    d = 2e-5
    ref = d * d * G_FERMI**2 * spec.decay_constant**2 * spec.v_ckm**2 * spec.mass**5 / (384 * math.pi**3)
    assert charged_width(meson, "e", 1e-5, d) == pytest.approx(ref, rel=2e-5)


@pytest.mark.parametrize(
    ("meson", "flavour", "m_n"),
    [("kplus", "mu", 0.2), ("dplus", "e", 1.0), ("ds", "tau", 0.1), ("bplus", "e", 0.01), ("bplus", "tau", 2.0)],
)
def test_charged_width_against_independent_dalitz_integral(meson, flavour, m_n):
    """The model's (log m13^2, Gauss-Legendre) integral against dblquad over (m23^2, m12^2), eq. (A.5)."""
    spec = MESONS[meson]
    mp, ml = spec.mass, lepton_mass(flavour)

    def f(m12sq, m23sq):
        return msq_charged_sterile_dipole(mp, ml, m_n, m12sq, m23sq, spec.decay_constant, spec.v_ckm, 1.0)

    val, _ = integrate.dblquad(
        f,
        (ml + m_n) ** 2,
        mp**2,
        lambda s: dalitz_m12_limits(mp, 0.0, ml, m_n, s)[0],
        lambda s: dalitz_m12_limits(mp, 0.0, ml, m_n, s)[1],
        epsabs=0.0,
        epsrel=1e-9,
    )
    ref = val / ((2 * math.pi) ** 3 * 32 * mp**3)
    assert charged_width(meson, flavour, m_n, 1.0) == pytest.approx(ref, rel=1e-6)
    assert charged_width(meson, flavour, m_n, 3e-4) == pytest.approx(ref * 9e-8, rel=1e-6)  # proportional to d^2


@pytest.mark.parametrize(("meson", "flavour"), [("kplus", "e"), ("dplus", "mu"), ("bplus", "tau")])
def test_charged_width_vanishes_at_threshold(meson, flavour):
    edge = MESONS[meson].mass - lepton_mass(flavour)
    fracs = [0.5, 0.9, 0.99, 0.999, 0.9999]
    widths = [charged_width(meson, flavour, f * edge, 1.0) for f in fracs]
    assert all(a > b > 0 for a, b in zip(widths, widths[1:]))
    assert widths[-1] < 1e-6 * widths[0]


def test_kernel_weights_reproduce_charged_width():
    """Mean kernel weight = integral of |M|^2 over the Dalitz plot: (A.5) of the sampled density is the width."""
    spec = MESONS["dplus"]
    mp, ml, mn = spec.mass, lepton_mass("mu"), 0.6
    n = 200_000
    rng = np.random.default_rng(11)
    parents = np.zeros((n, 3))
    params = np.array([spec.decay_constant, spec.v_ckm, 1.0])
    _, _, _, w = three_body_decay_batch(parents, mp, 0.0, ml, mn, ME_CHARGED_STERILE_DIPOLE, params, rng.random((n, 5)))
    mc = w.mean() / ((2 * math.pi) ** 3 * 32 * mp**3)
    err = w.std() / math.sqrt(n) / ((2 * math.pi) ** 3 * 32 * mp**3)
    exact = charged_width("dplus", "mu", mn, 1.0)
    assert abs(mc - exact) < 4 * err and err < 0.01 * exact


# --------------------------------------------------------------------------- yields
def _synthetic_dplus(n=30_000, seed=5):
    return synthetic_mesons(("dplus",), n, seed, pz_mean=40.0, pz_min=5.0, pt_mean=0.8)


@pytest.mark.parametrize("flavour", ["e", "mu"])
def test_dplus_yield_finite_non_negative_and_d4(flavour):
    point = _point(0.8, flavour)
    mesons = _synthetic_dplus()
    events = simulate_point(MODEL, point, mesons, NA62.kernel("paper"), 20_000, seed=3)
    assert [ev.production.meson for ev in events] == ["dplus"]  # the other mesons are not in the sample
    fm = {"dplus": PAPER000_TABLE1["dplus"] * nuclear_scaling("dplus", A_CU)}
    d = np.geomspace(1e-9, 1e-1, 41)
    n = expected_events(MODEL, point, events, d, fm, 1e18, 1.0)
    assert np.all(np.isfinite(n)) and np.all(n >= 0.0) and n.max() > 0.0
    n_small = expected_events(MODEL, point, events, np.array([1e-11, 2e-11]), fm, 1e18, 1.0)
    assert n_small[1] / n_small[0] == pytest.approx(16.0, rel=1e-4)
    assert n[-1] < 1e-3 * n.max()  # prompt decays at large d


def test_closed_charged_channel_gives_zero_yield():
    point = _point(1.9, "e")  # above M_D+ - m_e
    mesons = _synthetic_dplus(2000)
    assert simulate_point(MODEL, point, mesons, NA62.kernel("exact"), 1000, seed=1) == []


# --------------------------------------------------------------------------- configuration and CLI
def test_sterile_config_validates_and_normalises():
    cfg = load_config(REPO / "config" / "sterile.yaml")
    exp = experiment_from_config(cfg, "na62")
    f = exp.mesons_per_interaction
    for key, table in (("dplus", 4.3e-4), ("ds", 1.8e-4), ("bplus", 6.0e-8), ("jpsi", 4.7e-6)):
        assert f[key] == pytest.approx(table * A_CU**0.29, rel=1e-12)
    assert f["kplus"] == pytest.approx(0.36, rel=1e-14)  # ref. [67]: decaying in flight, no A scaling
    assert set(f) == set(VECTOR_MESONS) | set(PSEUDOSCALAR_MESONS) | set(CHARGED_MESONS)  # every meson the model uses
    assert [b["flavour"] for b in cfg["models"]["sterile-dipole"]["benchmarks"]] == list(FLAVOURS)


def test_cli_lifetime(capsys):
    out = run_json(
        capsys, "lifetime", "--model", "sterile-dipole", "--flavour", "mu", "--m1", "0.5", "--coupling", "1e-6"
    )
    width = 1e-12 * 0.5**3 / (4 * math.pi)
    assert out["width_gev"] == pytest.approx(width, rel=1e-12)
    assert out["ctau_m"] == pytest.approx(HBARC_GEV_M / width, rel=1e-12)
    assert out["flavour"] == "mu" and out["m1"] == 0.5 and out["d"] == 1e-6


def test_cli_br_charged_meson(capsys):
    br = ["br", "--model", "sterile-dipole", "--coupling", "1e-3"]
    out = run_json(capsys, *br, "--flavour", "e", "--meson", "dplus", "--m1", "0.5")
    dark = charged_width("dplus", "e", 0.5, 1e-3)
    assert out["br"] == pytest.approx(dark / (MESONS["dplus"].width + dark), rel=1e-12)
    assert run_json(capsys, *br, "--flavour", "tau", "--meson", "kplus", "--m1", "0.1")["br"] == 0.0
    assert main([*br, "--meson", "dplus", "--m1", "0.5"]) == 2
    assert "--flavour" in capsys.readouterr().err
    assert main([*br, "--flavour", "mu", "--meson", "dplus", "--m1", "0.5", "--delta", "0.1"]) == 2


# --------------------------------------------------------------------------- generation
@pytest.mark.slow
@pytest.mark.parametrize(
    ("process", "species", "n_events"),
    [("HardQCD:hardccbar", ("dplus", "ds"), 300), ("HardQCD:hardbbbar", ("bplus",), 300)],
)
def test_heavy_flavour_processes_give_charged_mesons_at_400_gev(tmp_path, process, species, n_events):
    from darkreach.production.meson_beams.pythia import generate_shard
    from darkreach.production.meson_beams.samples import load_meson_sample
    from darkreach.production.meson_beams.settings import GeneratorSettings

    settings = GeneratorSettings(process, 400.0, species, extra_settings=("PhaseSpace:mHatMin = 0.",))
    meta = generate_shard(settings, n_events, 4242, tmp_path / "hf.root")
    assert meta["sigma_gen_mb"] > 0.0
    for key in species:
        assert meta["counts"][key] > 0.1 * n_events, (key, meta["counts"])
        sample = load_meson_sample(tmp_path / "hf.root", key)
        assert len(sample) == meta["counts"][key]
        assert np.median(sample.momenta[:, 2]) > 10.0  # forward-boosted in the fixed-target lab frame
