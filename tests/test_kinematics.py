"""Two- and three-body decay kernels: conservation laws, masses, angular and Dalitz distributions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from darkreach.kinematics.decays import dalitz_m12_limits, three_body_decay_batch, two_body_decay_batch
from darkreach.kinematics.lorentz import boost_from_rest_batch
from darkreach.kinematics.matrix_elements import ME_FLAT, ME_PSEUDOSCALAR_DIPOLE
from darkreach.mesons import MESONS
from darkreach.models.idm_dipole import vector_kinematic_factor


def _parents(rng, n, p, max_theta=0.2):
    """n parent momenta of magnitude p within max_theta of the +z axis."""
    cth = rng.uniform(math.cos(max_theta), 1.0, n)
    sth = np.sqrt(1.0 - cth**2)
    phi = rng.uniform(0.0, 2.0 * math.pi, n)
    return p * np.column_stack([sth * np.cos(phi), sth * np.sin(phi), cth])


def _msq(v):
    return v[:, 3] ** 2 - np.sum(v[:, :3] ** 2, axis=1)


def _check_conservation(parents, m, daughters):
    e_par = np.sqrt(np.sum(parents**2, axis=1) + m * m)
    total = sum(daughters)
    scale = e_par[:, None]
    assert np.max(np.abs(total[:, :3] - parents) / scale) < 1e-9
    assert np.max(np.abs(total[:, 3] - e_par) / e_par) < 1e-9


def _check_mass(v, mass, e_parent):
    """E = sqrt(p^2 + m^2) for every daughter.

    Boosting to the lab costs ~ eps * E_parent in absolute precision (backward daughters cancel), so the
    tolerance is scaled by the parent energy, not by the (possibly tiny) daughter energy.
    """
    p2 = np.sum(v[:, :3] ** 2, axis=1)
    assert np.all(v[:, 3] > 0.0)
    assert np.all(np.abs(v[:, 3] - np.sqrt(p2 + mass * mass)) <= 1e-13 * e_parent)
    # and in relative terms for the bulk of daughters carrying a sizeable energy
    big = v[:, 3] > 1e-3 * e_parent
    assert np.all(np.abs(_msq(v[big]) - mass * mass) <= 1e-12 * v[big, 3] * e_parent[big])


# --------------------------------------------------------------------------- two-body
@pytest.mark.parametrize(
    "key,p,ma,mb",
    [
        ("jpsi", 400.0, 0.5, 0.55),  # gamma ~ 130
        ("jpsi", 400.0, 0.0, 1.2),
        ("pi0", 300.0, 0.0, 0.0),  # gamma ~ 2200, photons
        ("pi0", 1350.0, 0.0, 0.0),  # gamma ~ 1e4
        ("rho", 50.0, 0.1, 0.11),
    ],
)
def test_two_body_conservation_and_masses(key, p, ma, mb):
    rng = np.random.default_rng(11)
    n = 20_000
    m = MESONS[key].mass
    par = _parents(rng, n, p)
    a, b = two_body_decay_batch(par, m, ma, mb, rng.random((n, 2)))
    _check_conservation(par, m, [a, b])
    e_par = np.sqrt(np.sum(par**2, axis=1) + m * m)
    _check_mass(a, ma, e_par)
    _check_mass(b, mb, e_par)


def test_two_body_isotropic_and_back_to_back_at_rest():
    rng = np.random.default_rng(12)
    n = 200_000
    m, ma, mb = MESONS["jpsi"].mass, 0.5, 0.55
    a, b = two_body_decay_batch(np.zeros((n, 3)), m, ma, mb, rng.random((n, 2)))
    # rest-frame momentum from the Kallen function
    lam = (m**2 - (ma + mb) ** 2) * (m**2 - (ma - mb) ** 2)
    q = math.sqrt(lam) / (2.0 * m)
    pa = np.sqrt(np.sum(a[:, :3] ** 2, axis=1))
    np.testing.assert_allclose(pa, q, rtol=1e-12)
    np.testing.assert_allclose(a[:, :3], -b[:, :3], rtol=0, atol=1e-12 * q)
    np.testing.assert_allclose(a[:, 3], math.sqrt(q * q + ma * ma), rtol=1e-12)
    np.testing.assert_allclose(b[:, 3], math.sqrt(q * q + mb * mb), rtol=1e-12)

    cth = a[:, 2] / pa
    phi = np.arctan2(a[:, 1], a[:, 0])
    # uniform cos(theta) in [-1, 1]: mean 0 (sd 1/sqrt(3n)), variance 1/3 (sd of cth^2 is sqrt(4/45))
    assert abs(cth.mean()) < 5.0 / math.sqrt(3.0 * n)
    assert abs(np.mean(cth**2) - 1.0 / 3.0) < 5.0 * math.sqrt(4.0 / 45.0 / n)
    # uniform phi in [-pi, pi]: mean 0, variance pi^2/3
    assert abs(phi.mean()) < 5.0 * math.pi / math.sqrt(3.0 * n)
    assert abs(np.mean(phi**2) - math.pi**2 / 3.0) < 5.0 * math.sqrt(4.0 * math.pi**4 / 45.0 / n)
    # histogram of cos(theta) is flat (chi2 over 20 bins)
    counts, _ = np.histogram(cth, bins=20, range=(-1, 1))
    expected = n / 20
    chi2 = np.sum((counts - expected) ** 2 / expected)
    assert chi2 < 19 + 5 * math.sqrt(2 * 19)


def test_two_body_reproducible():
    rng = np.random.default_rng(13)
    par = _parents(rng, 1000, 100.0)
    u = rng.random((1000, 2))
    a1, b1 = two_body_decay_batch(par, 3.0969, 0.5, 0.6, u)
    a2, b2 = two_body_decay_batch(par.copy(), 3.0969, 0.5, 0.6, u.copy())
    assert np.array_equal(a1, a2) and np.array_equal(b1, b2)


# --------------------------------------------------------------------------- three-body
def _params(code, key):
    if code == ME_PSEUDOSCALAR_DIPOLE:
        return np.array([MESONS[key].anomaly_decay_constant, 1.0])
    return np.zeros(1)


@pytest.mark.parametrize("code", [ME_FLAT, ME_PSEUDOSCALAR_DIPOLE])
@pytest.mark.parametrize(
    "key,p,m1,delta", [("pi0", 300.0, 0.01, 0.5), ("eta", 200.0, 0.1, 0.2), ("etap", 1000.0, 0.2, 0.1)]
)
def test_three_body_conservation_and_masses(code, key, p, m1, delta):
    rng = np.random.default_rng(21)
    n = 20_000
    m = MESONS[key].mass
    masses = (0.0, m1, m1 * (1.0 + delta))
    par = _parents(rng, n, p)
    o1, o2, o3, w = three_body_decay_batch(par, m, *masses, code, _params(code, key), rng.random((n, 5)))
    _check_conservation(par, m, [o1, o2, o3])
    e_par = np.sqrt(np.sum(par**2, axis=1) + m * m)
    for v, mass in zip((o1, o2, o3), masses):
        _check_mass(v, mass, e_par)
    assert np.all(np.isfinite(w)) and np.all(w >= 0.0)
    if code == ME_FLAT:
        assert np.all(w > 0.0)


def _rest_frame_decay(key, m1, m2, code, n, seed):
    rng = np.random.default_rng(seed)
    m = MESONS[key].mass
    o1, o2, o3, w = three_body_decay_batch(
        np.zeros((n, 3)), m, 0.0, m1, m2, code, _params(code, key), rng.random((n, 5))
    )
    p12 = o1 + o2
    p23 = o2 + o3
    return m, _msq(p12), _msq(p23), w


def _weighted_pulls(x, w, edges, density):
    """Pulls of the normalised weighted histogram of x against the normalised analytic density."""
    wsum, _ = np.histogram(x, bins=edges, weights=w)
    w2sum, _ = np.histogram(x, bins=edges, weights=w * w)
    total = w.sum()
    exp = np.array([integrate.quad(density, lo, hi, epsrel=1e-10)[0] for lo, hi in zip(edges[:-1], edges[1:])])
    exp /= exp.sum()
    sigma = np.sqrt(w2sum) / total
    return (wsum / total - exp) / sigma


@pytest.mark.parametrize("key,m1,delta", [("pi0", 0.01, 0.5), ("eta", 0.05, 0.2), ("etap", 0.2, 0.1)])
def test_three_body_dipole_m23_distribution(key, m1, delta):
    m2 = m1 * (1.0 + delta)
    n = 100_000
    m, m12sq, m23sq, w = _rest_frame_decay(key, m1, m2, ME_PSEUDOSCALAR_DIPOLE, n, seed=31)
    smin, smax = (m1 + m2) ** 2, m**2
    assert np.all(m23sq > smin * (1 - 1e-9)) and np.all(m23sq < smax * (1 + 1e-9))

    def density(s):  # d Gamma / d m23^2 (paper 000: the m12^2 integral of eq. A.4)
        return (1.0 - s / m**2) ** 3 * vector_kinematic_factor(math.sqrt(s), m1, m2)

    edges = np.linspace(smin, smax, 26)
    pulls = _weighted_pulls(m23sq, w, edges, density)
    assert np.max(np.abs(pulls)) < 5.0, pulls
    assert np.sum(pulls**2) < 25 + 5 * math.sqrt(50)


@pytest.mark.parametrize("key,m1,delta", [("eta", 0.05, 0.2), ("etap", 0.2, 0.5)])
def test_three_body_flat_populates_dalitz_uniformly(key, m1, delta):
    m2 = m1 * (1.0 + delta)
    n = 100_000
    m, m12sq, m23sq, w = _rest_frame_decay(key, m1, m2, ME_FLAT, n, seed=41)
    smin, smax = (m1 + m2) ** 2, m**2

    def lim(s):
        w23 = math.sqrt(s)
        eg = (m**2 - s) / (2 * w23)
        e2 = (s + m1**2 - m2**2) / (2 * w23)
        p2 = math.sqrt(max(e2 * e2 - m1 * m1, 0.0))
        return m1**2 + 2 * eg * (e2 - p2), m1**2 + 2 * eg * (e2 + p2)

    # the kernel's limits agree with the ones written here
    for s in np.linspace(smin * 1.0001, smax * 0.9999, 7):
        np.testing.assert_allclose(dalitz_m12_limits(m, 0.0, m1, m2, s), lim(s), rtol=1e-10)

    area = integrate.quad(lambda s: lim(s)[1] - lim(s)[0], smin, smax, epsrel=1e-11)[0]
    mean12 = integrate.quad(lambda s: (lim(s)[1] ** 2 - lim(s)[0] ** 2) / 2.0, smin, smax, epsrel=1e-11)[0] / area
    mean23 = integrate.quad(lambda s: s * (lim(s)[1] - lim(s)[0]), smin, smax, epsrel=1e-11)[0] / area

    def check(x, mean):
        wn = w / w.sum()
        mu = np.sum(wn * x)
        # standard error of a self-normalised weighted mean
        err = math.sqrt(np.sum(wn**2 * (x - mu) ** 2))
        assert abs(mu - mean) < 5.0 * err, (mu, mean, err)

    check(m12sq, mean12)
    check(m23sq, mean23)
    # m23^2 marginal of a flat Dalitz plot is proportional to the m12^2 range
    edges = np.linspace(smin, smax, 21)
    pulls = _weighted_pulls(m23sq, w, edges, lambda s: lim(s)[1] - lim(s)[0])
    assert np.max(np.abs(pulls)) < 5.0, pulls
    # every event lies inside the Dalitz region
    lo = np.array([lim(s)[0] for s in m23sq])
    hi = np.array([lim(s)[1] for s in m23sq])
    assert np.all(m12sq >= lo - 1e-9 * m**2) and np.all(m12sq <= hi + 1e-9 * m**2)


@pytest.mark.parametrize("code", [ME_FLAT, ME_PSEUDOSCALAR_DIPOLE])
def test_three_body_reproducible(code):
    rng = np.random.default_rng(51)
    par = _parents(rng, 2000, 150.0)
    u = rng.random((2000, 5))
    args = (MESONS["eta"].mass, 0.0, 0.05, 0.06, code, _params(code, "eta"))
    r1 = three_body_decay_batch(par, *args, u)
    r2 = three_body_decay_batch(par.copy(), *args, u.copy())
    for x, y in zip(r1, r2):
        assert np.array_equal(x, y)


def test_boost_from_rest_batch_is_a_lorentz_boost():
    """Rows boosted with the shared boost: the parent at rest becomes the parent, masses are kept, and two
    back-to-back daughters add up to the parent's four-momentum."""
    rng = np.random.default_rng(5)
    n, m_parent, m_d = 1000, 3.0, 0.4
    p = _parents(rng, n, 50.0, max_theta=1.0)
    parent = np.column_stack([np.sqrt(np.sum(p**2, axis=1) + m_parent**2), p])
    masses = np.full(n, m_parent)
    at_rest = np.column_stack([masses, np.zeros((n, 3))])
    assert np.allclose(boost_from_rest_batch(at_rest, parent, masses), parent, rtol=1e-13, atol=1e-12)
    q = math.sqrt((m_parent / 2) ** 2 - m_d**2)
    dirs = _parents(rng, n, 1.0, max_theta=math.pi)
    daughters = [np.column_stack([np.full(n, m_parent / 2), s * q * dirs]) for s in (1.0, -1.0)]
    lab = [boost_from_rest_batch(d, parent, masses) for d in daughters]
    for v in lab:
        assert np.allclose(v[:, 0] ** 2 - np.sum(v[:, 1:] ** 2, axis=1), m_d**2, rtol=0, atol=1e-9)
    assert np.allclose(lab[0] + lab[1], parent, rtol=1e-12, atol=1e-10)
