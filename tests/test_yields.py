"""Expected signal events, eq. (4.1) of paper 000, on synthetic meson samples."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import synthetic_mesons

from darkreach.detectors import CylinderWithCalorimeter
from darkreach.mesons import MESONS, PAPER000_TABLE1, nuclear_scaling
from darkreach.models import get_model
from darkreach.sensitivity.chain import decay_probability_sums
from darkreach.sensitivity.yields import MesonKinematics, expected_events, simulate_point

NA62 = CylinderWithCalorimeter(79.0, 217.0, 1.0, 217.0, 1.2)
MODEL = get_model("idm-dipole")
A_CU = 63.546
N_POT = 1e18
N_EV = 40_000


def _synthetic(keys, n, seed):
    return synthetic_mesons(keys, n, seed, pz_mean=30.0, pt_mean=0.4)


@pytest.fixture(scope="module")
def mesons():
    return _synthetic(("jpsi", "rho", "omega"), 50_000, seed=2024)


def _fm(keys):
    return {k: PAPER000_TABLE1[k] * nuclear_scaling(k, A_CU) for k in keys}


def _events(point, mesons, mode="paper", seed=7, n=N_EV):
    return simulate_point(MODEL, point, mesons, NA62.kernel(mode), n, seed=seed)


def _n(point, events, d, mesons, e_th=1.0, n_pot=N_POT):
    return expected_events(MODEL, point, events, np.atleast_1d(np.asarray(d, dtype=float)), _fm(mesons), n_pot, e_th)


# --------------------------------------------------------------------------- decay probability sums
def _random_table(n, seed):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.1, 2.0, n)
    bg = rng.uniform(1.0, 500.0, n)
    sa = rng.uniform(50.0, 100.0, n)
    sb = sa + rng.uniform(0.0, 150.0, n)
    return w, bg, sa, sb


def test_decay_probability_sums_matches_numpy():
    w, bg, sa, sb = _random_table(2000, 1)
    ctau = np.array([1e-3, 0.05, 0.3, 1.0, 10.0, 1e3, 1e6])
    got = decay_probability_sums(w, bg, sa, sb, ctau)
    for j, ct in enumerate(ctau):
        lam = bg * ct
        ref = np.sum(w * (np.exp(-sa / lam) - np.exp(-sb / lam)))
        assert got[j] == pytest.approx(ref, rel=1e-10, abs=1e-300)
    assert np.all(got >= 0.0)


def test_decay_probability_sums_infinite_ctau_is_exact_zero():
    w, bg, sa, sb = _random_table(100, 2)
    got = decay_probability_sums(w, bg, sa, sb, np.array([np.inf, 1.0, np.inf]))
    assert got[0] == 0.0 and got[2] == 0.0
    assert got[1] > 0.0


def test_decay_probability_sums_long_lifetime_limit():
    w, bg, sa, sb = _random_table(1000, 3)
    for ct in (1e8, 1e10, 1e12):
        got = decay_probability_sums(w, bg, sa, sb, np.array([ct]))[0]
        linear = np.sum(w * (sb - sa) / (bg * ct))
        # corrections are O(s/L) <= 217 / 1e8
        assert got == pytest.approx(linear, rel=1e-5)
        assert got > 0.0


# --------------------------------------------------------------------------- expected events
POINT = {"m1": 0.2, "delta": 0.1}


@pytest.fixture(scope="module")
def events_paper(mesons):
    return _events(POINT, mesons, "paper")


def test_linear_in_n_interactions(mesons, events_paper):
    d = np.logspace(-9, -5, 9)
    n1 = _n(POINT, events_paper, d, mesons, n_pot=1e17)
    n2 = _n(POINT, events_paper, d, mesons, n_pot=1e18)
    assert np.all(n1 > 0.0)
    np.testing.assert_allclose(n2, 10.0 * n1, rtol=1e-12)


@pytest.mark.parametrize("mode", ["paper", "exact"])
def test_small_coupling_scales_as_d4(mesons, mode):
    ev = _events(POINT, mesons, mode)
    ctau = MODEL.llp_ctau(POINT, 1e-10)
    assert ctau > 1e6  # decay length >> 217 m: long-lifetime regime
    d = np.array([1e-11, 3e-11, 1e-10])
    n = _n(POINT, ev, d, mesons)
    assert np.all(n > 0.0)
    slope = np.polyfit(np.log(d), np.log(n), 1)[0]
    assert slope == pytest.approx(4.0, rel=0.02)
    # BR proportional to d^2 in the same regime
    br = [MODEL.branching_ratio("jpsi", POINT, x) for x in d]
    assert br[2] / br[0] == pytest.approx(100.0, rel=1e-6)


def test_large_coupling_exponential_fall(mesons, events_paper):
    # beyond the peak the LLPs decay before 79 m: N ~ d^4 exp(-79 / (beta gamma c tau)), c tau ~ 1/d^2,
    # so every doubling of d multiplies the exponent by ~4 (a power law would give a constant ratio)
    d = np.array([2e-5, 4e-5, 8e-5])
    n = _n(POINT, events_paper, d, mesons)
    assert np.all(np.isfinite(n)) and np.all(n >= 0.0)
    assert n[0] > 0.0 and n[2] > 0.0
    assert n[1] < 1e-2 * n[0]
    assert n[2] < 1e-5 * n[1]
    assert math.log(n[1] / n[2]) > 2.0 * math.log(n[0] / n[1])
    # and at still larger couplings nothing survives
    assert _n(POINT, events_paper, 1e-3, mesons)[0] < 1e-100


@pytest.mark.parametrize(
    "point,keys",
    [
        ({"m1": 6.0, "delta": 0.1}, ("jpsi", "rho", "omega")),  # every channel closed
        ({"m1": 3.0, "delta": 0.1}, ("jpsi", "rho", "omega")),  # only Upsilon open, not in the sample
        ({"m1": 5.0, "delta": 0.1}, ("jpsi", "rho", "omega", "upsilon")),  # 10.5 GeV > m_Upsilon
    ],
)
def test_closed_channels_give_exact_zero(point, keys):
    mes = _synthetic(keys, 2000, seed=5)
    for mode in ("paper", "exact"):
        ev = simulate_point(MODEL, point, mes, NA62.kernel(mode), 2000, seed=1)
        d = np.logspace(-9, -2, 20)
        n = expected_events(MODEL, point, ev, d, _fm(keys), N_POT, 1.0)
        assert n.shape == d.shape
        assert not np.any(np.isnan(n))
        assert np.all(n == 0.0)


@pytest.mark.parametrize("mode", ["paper", "exact"])
def test_energy_threshold_never_increases_n(mesons, mode):
    ev = _events(POINT, mesons, mode)
    d = np.logspace(-10, -4, 25)
    thresholds = [0.0, 0.5, 1.0, 3.0, 10.0, 30.0, 100.0]
    ns = np.array([_n(POINT, ev, d, mesons, e_th=e) for e in thresholds])
    assert np.all(np.diff(ns, axis=0) <= 0.0)
    assert np.all(ns[0] > ns[-1])  # the cut does remove something
    assert np.all(ns[0][:10] > 0.0)


def test_reproducible_with_same_seed(mesons):
    ev1 = _events(POINT, mesons, "exact", seed=11)
    ev2 = _events(POINT, mesons, "exact", seed=11)
    ev3 = _events(POINT, mesons, "exact", seed=12)
    assert len(ev1) == len(ev2) > 0
    for a, b in zip(ev1, ev2):
        for name in ("weight", "betagamma", "s_a", "s_b", "e_visible"):
            assert np.array_equal(getattr(a, name), getattr(b, name))
        assert a.total_weight == b.total_weight
    d = np.logspace(-9, -4, 11)
    assert np.array_equal(_n(POINT, ev1, d, mesons), _n(POINT, ev2, d, mesons))
    assert not np.array_equal(ev1[0].betagamma, ev3[0].betagamma)


def test_paper_mode_semi_analytic_monochromatic_jpsi():
    """J/psi all with p = (0, 0, P): f_dec of eq. (4.3) averaged over the isotropic two-body decay.

    In the J/psi rest frame the LLP has momentum q at cos(theta*) = c (uniform); in the lab
    pz = gamma q c + beta gamma E*, pT = q sqrt(1 - c^2). In paper mode the event counts with
    exp(-79/L) - exp(-217/L), L = |p|/M2 c tau, when atan(pT/pz) <= theta_max.
    """
    p_beam = 300.0
    n = 200_000
    point = {"m1": 0.5, "delta": 0.1}
    m1, m2 = 0.5, 0.55
    mv = MESONS["jpsi"].mass
    sample = {"jpsi": MesonKinematics(np.tile([0.0, 0.0, p_beam], (n, 1)), np.ones(n))}
    ev = simulate_point(MODEL, point, sample, NA62.kernel("paper"), n, seed=3)
    assert len(ev) == 1
    d = 1e-6
    ctau = MODEL.llp_ctau(point, d)

    q = math.sqrt((mv**2 - (m1 + m2) ** 2) * (mv**2 - (m2 - m1) ** 2)) / (2.0 * mv)
    e_star = math.sqrt(q * q + m2 * m2)
    gam = math.sqrt(p_beam**2 + mv**2) / mv
    bgam = p_beam / mv
    c = (np.arange(2_000_000) + 0.5) / 2_000_000 * 2.0 - 1.0
    pz = gam * q * c + bgam * e_star
    pt = q * np.sqrt(1.0 - c * c)
    acc = np.arctan2(pt, pz) <= NA62.theta_max
    lam = np.sqrt(pz**2 + pt**2) / m2 * ctau
    f = np.where(acc, np.exp(-79.0 / lam) - np.exp(-217.0 / lam), 0.0)
    mean, sd = f.mean(), f.std()
    assert 0.05 < acc.mean() < 0.95  # the angular cut matters at this point
    assert mean > 0.0

    # per accepted event: interval is exactly (79, 217), beta gamma within the kinematic range
    e = ev[0]
    assert np.all(e.s_a == 79.0) and np.all(e.s_b == 217.0)
    # kinematic extremes: the grid in c plus its exact end points c = -1, +1 (pT = 0)
    ends = np.abs(np.array([-gam * q + bgam * e_star, gam * q + bgam * e_star]))
    bg_range = np.concatenate([np.sqrt(pz**2 + pt**2), ends]) / m2
    assert np.all(e.betagamma >= bg_range.min() * (1 - 1e-9))
    assert np.all(e.betagamma <= bg_range.max() * (1 + 1e-9))
    assert e.weight.size / n == pytest.approx(acc.mean(), abs=5.0 * math.sqrt(acc.mean() * (1 - acc.mean()) / n))

    got = expected_events(MODEL, point, ev, np.array([d]), {"jpsi": 1.0}, 1.0, 0.0)[0]
    br = MODEL.branching_ratio("jpsi", point, d)
    assert got / br == pytest.approx(mean, abs=5.0 * sd / math.sqrt(n))
    # and the same with multiplicity and N_POT factors
    got2 = expected_events(MODEL, point, ev, np.array([d]), {"jpsi": 4.7e-6 * A_CU**0.29}, N_POT, 0.0)[0]
    assert got2 == pytest.approx(got * 4.7e-6 * A_CU**0.29 * N_POT, rel=1e-12)


@pytest.mark.parametrize("m1", [0.05, 0.2, 0.5, 1.0])
def test_exact_and_paper_modes_finite_non_negative(mesons, m1):
    point = {"m1": m1, "delta": 0.1}
    d = np.logspace(-9, -3, 13)
    res = {}
    for mode in ("paper", "exact"):
        ev = _events(point, mesons, mode, n=20_000)
        res[mode] = _n(point, ev, d, mesons)
        assert np.all(np.isfinite(res[mode])) and np.all(res[mode] >= 0.0)
        assert res[mode][0] > 0.0
    ratio = res["exact"][0] / res["paper"][0]
    print(f"m1={m1}: N_exact/N_paper at d={d[0]:.0e}: {ratio:.3f}")
    # same physics, different acceptance: within a factor of a few in the long-lifetime regime
    assert 0.2 < ratio < 5.0


def test_invalid_couplings_rejected(mesons, events_paper):
    for bad in ([], [0.0], [-1e-6], [np.nan], [np.inf]):
        with pytest.raises(ValueError):
            expected_events(MODEL, POINT, events_paper, np.array(bad, dtype=float), _fm(mesons), N_POT, 1.0)


# --------------------------------------------------------------------------- the chain kernel
@pytest.mark.parametrize("prod_kind", ["two_body", "three_body"])
def test_simulate_chain_matches_step_by_step_kernels(prod_kind):
    """simulate_chain = production decay -> LLP decay -> geometry interval, with the documented uniforms."""
    from darkreach.detectors.kernels import decay_interval_batch
    from darkreach.kinematics.decays import three_body_decay_batch, two_body_decay_batch
    from darkreach.kinematics.matrix_elements import ME_PSEUDOSCALAR_DIPOLE
    from darkreach.sensitivity.chain import (
        DEC_TWO_BODY,
        PROD_THREE_BODY,
        PROD_TWO_BODY,
        simulate_chain,
        uniforms_needed,
    )

    rng = np.random.default_rng(99)
    n = 20_000
    m1, m2 = 0.05, 0.06
    key = "jpsi" if prod_kind == "two_body" else "eta"
    mm = MESONS[key].mass
    momenta = _synthetic((key,), n, seed=17)[key].momenta
    mweights = rng.uniform(0.5, 1.5, n)
    kind = PROD_TWO_BODY if prod_kind == "two_body" else PROD_THREE_BODY
    uniforms = rng.random((n, uniforms_needed(kind, DEC_TWO_BODY)))
    off = 2 if prod_kind == "two_body" else 5
    geom = NA62.kernel("exact")
    if prod_kind == "two_body":
        a, _ = two_body_decay_batch(momenta, mm, m2, m1, uniforms[:, :2].copy())
        llp, w = a, mweights.copy()
        args = (PROD_TWO_BODY, np.array([m2, m1, 0.0]), 0, 0, np.zeros(1))
    else:
        params = np.array([MESONS[key].anomaly_decay_constant, 1.0])
        _, _, o3, w3 = three_body_decay_batch(
            momenta, mm, 0.0, m1, m2, ME_PSEUDOSCALAR_DIPOLE, params, uniforms[:, :5].copy()
        )
        llp, w = o3, w3 * mweights
        args = (PROD_THREE_BODY, np.array([0.0, m1, m2]), 2, ME_PSEUDOSCALAR_DIPOLE, params)
    _, photon = two_body_decay_batch(np.ascontiguousarray(llp[:, :3]), m2, m1, 0.0, uniforms[:, off : off + 2].copy())
    pl = np.linalg.norm(llp[:, :3], axis=1)
    pk = np.linalg.norm(photon[:, :3], axis=1)
    iv = decay_interval_batch(geom.kind, geom.params, llp[:, :3] / pl[:, None], photon[:, :3] / pk[:, None])
    keep = (w > 0.0) & (iv[:, 1] > iv[:, 0])

    out = [np.empty(n) for _ in range(5)]
    n_acc, total = simulate_chain(
        momenta,
        mweights,
        mm,
        *args,
        DEC_TWO_BODY,
        np.array([m1, 0.0, 0.0]),
        0,
        np.zeros(1),
        np.array([0, 1, 0]),
        geom.kind,
        geom.params,
        uniforms,
        *out,
    )
    assert total == pytest.approx(w.sum(), rel=1e-12)
    assert n_acc == keep.sum() > 100
    np.testing.assert_allclose(out[0][:n_acc], w[keep], rtol=1e-12)
    np.testing.assert_allclose(out[1][:n_acc], pl[keep] / m2, rtol=1e-12)  # beta gamma of the LLP (M2)
    np.testing.assert_allclose(out[2][:n_acc], iv[keep, 0], rtol=1e-9)
    np.testing.assert_allclose(out[3][:n_acc], iv[keep, 1], rtol=1e-9)
    np.testing.assert_allclose(out[4][:n_acc], photon[keep, 3], rtol=1e-12)  # visible = photon energy


def test_pseudoscalar_channels_contribute(mesons):
    """eta -> gamma chi1 chi2 (three-body, LLP = chi2) gives finite N scaling as d^4 at small coupling."""
    sample = _synthetic(("eta", "rho"), 20_000, seed=8)
    point = {"m1": 0.1, "delta": 0.1}
    ev = simulate_point(MODEL, point, sample, NA62.kernel("exact"), 20_000, seed=4)
    assert {e.production.meson for e in ev} == {"eta", "rho"}
    d = np.array([1e-10, 1e-9])
    only_eta = [e for e in ev if e.production.meson == "eta"]
    n = expected_events(MODEL, point, only_eta, d, _fm(("eta", "rho")), N_POT, 1.0)
    assert np.all(n > 0.0)
    assert n[1] / n[0] == pytest.approx(1e4, rel=1e-3)


def test_simulate_chain_three_body_llp_decay_selects_most_energetic_visible():
    """A three-body LLP decay (flat matrix element): the weight multiplies in, and the signal particle is the
    most energetic visible daughter (here daughters 1 and 2 of phi1 l+ l-)."""
    from darkreach.detectors.kernels import decay_interval_batch
    from darkreach.kinematics.decays import three_body_decay_batch, two_body_decay_batch
    from darkreach.kinematics.matrix_elements import ME_FLAT
    from darkreach.sensitivity.chain import DEC_THREE_BODY, PROD_TWO_BODY, simulate_chain, uniforms_needed

    rng = np.random.default_rng(5)
    n = 20_000
    m1, m2, ml = 0.3, 0.6, 0.10566
    mm = MESONS["jpsi"].mass
    momenta = _synthetic(("jpsi",), n, seed=3)["jpsi"].momenta
    mweights = np.ones(n)
    uniforms = rng.random((n, uniforms_needed(PROD_TWO_BODY, DEC_THREE_BODY)))
    assert uniforms.shape[1] == 7
    geom = NA62.kernel("paper")
    llp, _ = two_body_decay_batch(momenta, mm, m2, m1, uniforms[:, :2].copy())
    d1, d2, d3, wdec = three_body_decay_batch(
        np.ascontiguousarray(llp[:, :3]), m2, m1, ml, ml, ME_FLAT, np.zeros(1), uniforms[:, 2:7].copy()
    )
    vis_e = np.maximum(d2[:, 3], d3[:, 3])
    vis = np.where((d2[:, 3] >= d3[:, 3])[:, None], d2[:, :3], d3[:, :3])
    pl = np.linalg.norm(llp[:, :3], axis=1)
    iv = decay_interval_batch(
        geom.kind, geom.params, llp[:, :3] / pl[:, None], vis / np.linalg.norm(vis, axis=1)[:, None]
    )
    keep = (wdec > 0) & (iv[:, 1] > iv[:, 0])
    out = [np.empty(n) for _ in range(5)]
    n_acc, total = simulate_chain(
        momenta,
        mweights,
        mm,
        PROD_TWO_BODY,
        np.array([m2, m1, 0.0]),
        0,
        0,
        np.zeros(1),
        DEC_THREE_BODY,
        np.array([m1, ml, ml]),
        ME_FLAT,
        np.zeros(1),
        np.array([0, 1, 1]),
        geom.kind,
        geom.params,
        uniforms,
        *out,
    )
    assert total == pytest.approx(wdec.sum(), rel=1e-12)
    assert n_acc == keep.sum() > 100
    np.testing.assert_allclose(out[0][:n_acc], wdec[keep], rtol=1e-12)
    np.testing.assert_allclose(out[4][:n_acc], vis_e[keep], rtol=1e-12)
    # energy is conserved in the LLP decay: visible energy below the LLP energy
    assert np.all(out[4][:n_acc] < np.sqrt(pl[keep] ** 2 + m2**2))
