"""Thermal relic of the dipole inelastic DM model (paper 000 Fig. 2): g*(T), R(s), the cross section derived
from eq. (A.2), the Gondolo-Gelmini/Griest-Seckel average, the Boltzmann solver and the relic line d(M1)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import run_json
from scipy import integrate, special

from darkreach.constants import ALPHA_EM
from darkreach.cosmology import hadrons
from darkreach.cosmology.curves import relic_curve, write_relic_curve
from darkreach.cosmology.dof import DegreesOfFreedom, sm_degrees_of_freedom
from darkreach.cosmology.freezeout import GEV2_TO_CM3_PER_S, Species, omega_per_yield, solve_freeze_out
from darkreach.cosmology.relic import G_CHI, d_relic, log_sigma_eff_v, sigma_lambda, sigma_v_nonrelativistic
from darkreach.models import get_model

M_E, M_MU = hadrons.LEPTON_MASSES["e"], hadrons.LEPTON_MASSES["mu"]
BATH = DegreesOfFreedom.constant(10.75)  # a bath without thresholds, for the analytic estimates


def test_degrees_of_freedom_limits() -> None:
    """SM: 106.75 above the electroweak scale; 3.36 (energy) and 3.91 (entropy) today, up to the ~0.7 %
    neutrino-heating corrections the table includes; g*^{1/2} = h/sqrt(g) where h_eff is flat."""
    dof = sm_degrees_of_freedom()
    assert dof.g_eff(5e3) == pytest.approx(106.75, rel=2e-3)
    assert dof.h_eff(5e3) == pytest.approx(106.75, rel=2e-3)
    assert dof.g_eff(1e-6) == pytest.approx(3.36, rel=1e-2)
    assert dof.h_eff(1e-6) == pytest.approx(3.91, rel=1e-2)
    for t in (1e-6, 5e3):
        assert dof.sqrt_gstar(t) == pytest.approx(dof.h_eff(t) / math.sqrt(dof.g_eff(t)), rel=1e-3)
    # between: 10.75 before e+e- annihilation, after muons, before pions (T ~ 3-10 MeV)
    assert dof.g_eff(0.005) == pytest.approx(10.75, rel=3e-2)
    with pytest.raises(ValueError, match="temperature"):
        dof.g_eff(-1.0)


def test_omega_per_yield_is_the_usual_constant() -> None:
    assert omega_per_yield() == pytest.approx(2.755e8, rel=1e-2)


def test_standard_wimp_gives_the_observed_abundance() -> None:
    """A Majorana WIMP (g = 2) with <sigma v> = 2.2e-26 cm^3/s freezes out to Omega h^2 ~ 0.12 (Steigman,
    Dasgupta, Beacom 2012) at x_f ~ 20-25; Omega h^2 scales as ~1/<sigma v>."""
    sv = 2.2e-26 / GEV2_TO_CM3_PER_S
    res = solve_freeze_out([Species(2.0, 100.0)], lambda x: np.full_like(x, math.log(sv)))
    assert 0.10 < res.omega_h2 < 0.13
    assert 20.0 < res.x_freeze_out < 27.0
    res2 = solve_freeze_out([Species(2.0, 100.0)], lambda x: np.full_like(x, math.log(2.0 * sv)))
    assert 0.48 < res2.omega_h2 / res.omega_h2 < 0.56  # 1/2 up to the log shift of x_f


def test_thresholds_close_channels_exactly() -> None:
    s_mu = 4.0 * M_MU**2
    assert float(hadrons.lepton_factor(s_mu, "mu")) == 0.0
    assert float(hadrons.lepton_factor(s_mu * 1.0001, "mu")) > 0.0
    assert float(hadrons.r_ratio((2.0 * 0.1395) ** 2 * 0.999)) == 0.0
    below = np.array([0.01, 0.04, 0.99 * s_mu])
    assert np.array_equal(hadrons.spectral_function(below), hadrons.lepton_factor(below, "e"))
    m1, delta = 0.3, 0.1
    thr = (m1 * (2.0 + delta)) ** 2
    assert np.all(sigma_lambda(np.array([0.5 * thr, thr]), m1, delta) == 0.0)
    assert float(sigma_lambda(np.array([1.01 * thr]), m1, delta)[0]) > 0.0
    # R(s): the rho peak and the u, d, s continuum 2 (1 + alpha_s/pi) at 2.5 GeV
    assert 6.0 < float(hadrons.r_ratio(0.7753**2)) < 14.0
    assert float(hadrons.r_ratio(2.5**2)) == pytest.approx(2.0 * (1.0 + hadrons.alpha_s(2.5) / math.pi), rel=2e-2)
    # narrow resonances integrate to the sum rule 9 pi M Gamma_ee B_had / alpha^2
    jpsi = next(r for r in hadrons.resonances() if r.name == "jpsi")
    theta = np.linspace(-1.5707, 1.5707, 200001)
    s = (jpsi.mass + 0.5 * jpsi.width * np.tan(theta)) ** 2
    area = np.trapezoid(jpsi.r(s), s)
    assert area == pytest.approx(9.0 * math.pi * jpsi.mass * jpsi.width_ee * jpsi.br_had / ALPHA_EM**2, rel=5e-3)


def test_cross_section_crosses_into_the_babar_one() -> None:
    """Detailed balance: sigma(e+e- -> chi1 chi2) = sigma(chi1 chi2 -> e+e-) p_chi^2/p_e^2 (g = 4 both sides)
    reproduces the model's BaBar cross section (2 alpha d^2/3) K, an independent code path of eq. (A.2)."""
    m1, delta = 0.02, 0.1
    m2 = m1 * (1 + delta)
    model = get_model("idm-dipole")
    for root_s in (0.05, 0.08, 0.2):
        s = root_s**2
        lam = (s - (m1 + m2) ** 2) * (s - (m2 - m1) ** 2)
        sigma_chi_to_ee = float(sigma_lambda(np.array([s]), m1, delta)[0]) / lam
        # the BaBar formula takes massless electrons: p_e^2 = s/4 (Pi differs from 1 by O(m_e^4/s^2) here)
        p_chi2, p_e2 = lam / (4.0 * s), s / 4.0
        expected = model.ee_pair_cross_section_unit({"m1": m1, "delta": delta}, root_s)
        assert sigma_chi_to_ee * p_chi2 / p_e2 == pytest.approx(expected, rel=1e-6)


def test_thermal_average_against_quadrature_and_griest_seckel() -> None:
    # a resonant point (sqrt s ~ 0.77 GeV: rho, omega) against scipy's adaptive quadrature of the same formula
    m1, delta, x = 0.38, 0.01, 20.0
    m2, t = m1 * (1 + delta), m1 / x

    def integrand(root_s: float) -> float:
        s = root_s * root_s
        return float(sigma_lambda(np.array([s]), m1, delta)[0]) / root_s * special.k1(root_s / t) * 2.0 * root_s

    edges = [m1 + m2, 0.7753, 0.7827, 0.80, 1.0195, m1 + m2 + 60 * t]
    total = sum(
        integrate.quad(integrand, a, b, limit=400, epsabs=0.0, epsrel=1e-8)[0] for a, b in zip(edges, edges[1:])
    )
    n = [G_CHI * m**2 * t * special.kn(2, m / t) / (2.0 * math.pi**2) for m in (m1, m2)]
    reference = 2.0 * G_CHI**2 * t / (32.0 * math.pi**4) * total / (n[0] + n[1]) ** 2
    assert math.exp(float(log_sigma_eff_v([x], m1, delta)[0])) == pytest.approx(reference, rel=5e-3)
    # non-relativistic limit: sigma_eff v -> 2 w/(1+w)^2 * 4 alpha d^2 Pi, w the Boltzmann weight of chi2
    m1 = 0.03
    for delta in (0.005, 0.1):
        x = np.array([500.0, 2000.0])
        w = (1 + delta) ** 1.5 * np.exp(-x * delta)
        expected = 2.0 * w / (1.0 + w) ** 2 * sigma_v_nonrelativistic(m1, delta)
        assert np.allclose(np.exp(log_sigma_eff_v(x, m1, delta)), expected, rtol=1e-2)


def test_relic_slope_is_the_s_wave_estimate() -> None:
    """sigma v_rel -> 4 alpha d^2 Pi is mass-independent (s-wave), so with Omega h^2 ~ x_f/<sigma v> the relic
    line is d ~ x_f^{1/2}, and x_f = ln(c M d^2) - ln(x_f)/2 makes d ~ M^{1/(2 x_f - 1)}: nearly flat.
    Checked below the muon threshold (e+e- only) with a constant bath."""
    lo, hi = d_relic(0.015, 0.005, BATH), d_relic(0.04, 0.005, BATH)
    slope = math.log(hi.d / lo.d) / math.log(0.04 / 0.015)
    x_f = 0.5 * (lo.x_freeze_out + hi.x_freeze_out)
    assert slope == pytest.approx(1.0 / (2.0 * x_f - 1.0), rel=0.25)
    assert 0.0 < slope < 0.05


def test_coannihilation_boltzmann_suppression() -> None:
    """At large delta chi2 is Boltzmann-suppressed at freeze-out (w ~ e^{-x delta}): the relic needs a larger d.
    The ratio follows the non-relativistic estimate d^2 ~ 1/J, J = int_{x_f}^inf sigma_eff/x^2 dx, while
    x_f delta <~ 2 (beyond, J depends exponentially on where exactly freeze-out is put)."""
    m1 = 0.03
    small = d_relic(m1, 0.005, BATH)

    def j(delta: float, x_f: float) -> float:
        def f(x: float) -> float:
            w = (1 + delta) ** 1.5 * math.exp(-x * delta)
            return 2.0 * w / (1.0 + w) ** 2 / x**2

        return integrate.quad(f, x_f, np.inf)[0]

    for delta in (0.05, 0.1):
        large = d_relic(m1, delta, BATH)
        estimate = math.sqrt(j(0.005, small.x_freeze_out) / j(delta, large.x_freeze_out))
        assert large.d / small.d == pytest.approx(estimate, rel=0.1)
    assert d_relic(m1, 0.3, BATH).d > 10.0 * small.d  # e^{-0.3 x_f / 2} ~ e^{-3}


def test_relic_curve_file(tmp_path) -> None:
    points = relic_curve([0.05, 0.1], 0.1)
    path = write_relic_curve(tmp_path / "relic.csv", points, 0.1)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = dict(line[2:].split(": ", 1) for line in lines if line.startswith("# "))
    assert header["darkreach-curve"] == "1"
    assert header["kind"] == "target"
    assert header["label"] == "thermal relic, δ=0.1"
    assert header["source"] == "computed by darkreach.cosmology.relic"
    assert (header["x"], header["x_unit"], header["y"], header["y_unit"]) == ("M1", "GeV", "d", "GeV^-1")
    rows = [tuple(map(float, line.split(","))) for line in lines[lines.index("x,y") + 1 :]]
    assert [r[0] for r in rows] == [0.05, 0.1]
    assert all(math.isfinite(r[1]) and 1e-5 < r[1] < 1e-2 for r in rows)
    with pytest.raises(ValueError, match="strictly increasing"):
        relic_curve([0.1, 0.05], 0.1)


def test_cli_relic(capsys) -> None:
    out = run_json(capsys, "relic", "--model", "idm-dipole", "--m1", "0.1", "--delta", "0.1")
    assert out["omega_h2"] == pytest.approx(0.12, rel=1e-3)
    assert out["d"] == pytest.approx(d_relic(0.1, 0.1).d, rel=1e-6)
    from darkreach.cli import main

    assert main(["relic", "--model", "sterile-dipole", "--m1", "0.1", "--flavour", "e"]) == 2
    assert "idm-dipole only" in capsys.readouterr().err
