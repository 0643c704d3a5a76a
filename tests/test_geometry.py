"""Detectable decay intervals for the NA62 beam-dump geometry (paper 000, sec. 3), checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.detectors import CylinderWithCalorimeter
from darkreach.detectors.geometry import KIND_CONE, KIND_CYLINDER_CALORIMETER
from darkreach.detectors.kernels import decay_interval, decay_interval_batch

NA62 = CylinderWithCalorimeter(
    z_start_m=79.0, z_end_m=217.0, radius_m=1.0, calorimeter_z_m=217.0, calorimeter_radius_m=1.2
)
THETA_MAX = math.atan(1.2 / 217.0)


def _dir(theta, phi=0.0):
    return (math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi), math.cos(theta))


def _interval(mode, u, k):
    g = NA62.kernel(mode)
    return decay_interval(g.kind, g.params, *u, *k)


# --------------------------------------------------------------------------- paper mode
def test_theta_max_as_in_paper():
    assert NA62.theta_max == pytest.approx(THETA_MAX, rel=1e-14)
    assert NA62.theta_max == pytest.approx(5.5e-3, abs=0.05e-3)  # "theta_max = arctan(1.2/217) ~ 5.5e-3"
    g = NA62.kernel("paper")
    assert g.kind == KIND_CONE
    assert NA62.kernel("exact").kind == KIND_CYLINDER_CALORIMETER
    with pytest.raises(ValueError):
        NA62.kernel("bogus")


@pytest.mark.parametrize("phi", [0.0, 1.0, 2.5, -2.0])
def test_paper_mode_theta_cut(phi):
    photon_any = _dir(0.3, 1.0)  # the photon direction plays no role in paper mode
    assert _interval("paper", _dir(THETA_MAX * (1 - 1e-6), phi), photon_any) == (79.0, 217.0)
    assert _interval("paper", _dir(0.0), photon_any) == (79.0, 217.0)
    assert _interval("paper", _dir(THETA_MAX * (1 + 1e-6), phi), photon_any) == (0.0, 0.0)
    assert _interval("paper", _dir(0.1, phi), photon_any) == (0.0, 0.0)
    # backward LLP
    assert _interval("paper", _dir(math.pi - 1e-3, phi), photon_any) == (0.0, 0.0)


# --------------------------------------------------------------------------- exact mode
def test_exact_on_axis_llp_and_photon():
    a, b = _interval("exact", (0.0, 0.0, 1.0), (0.0, 0.0, 1.0))
    assert a == pytest.approx(79.0, rel=1e-14) and b == pytest.approx(217.0, rel=1e-14)


def test_exact_llp_leaving_through_side_photon_parallel_to_llp_misses_ecal():
    # sin(theta) = 1/150: the LLP leaves the 1 m radius at s = 150 m (z = 150 cos(theta) < 217).
    # A photon parallel to the LLP travels on the same line, which reaches z = 217 at a transverse distance
    # 217 tan(theta) = 1.447 m > 1.2 m: it misses the calorimeter wherever the decay happens -> empty.
    theta = math.asin(1.0 / 150.0)
    assert 217.0 * math.tan(theta) == pytest.approx(1.4467, abs=1e-4)
    u = _dir(theta, 0.7)
    assert _interval("exact", u, u) == (0.0, 0.0)


def test_exact_llp_leaving_through_side_photon_along_axis():
    # sin(theta) = 1/150, photon parallel to the beam axis: its transverse position stays s sin(theta),
    # which is < 1.2 m for s < 180 m, so every point of the decay volume counts. Entry at z = 79:
    # s = 79/cos(theta); exit through the side at s = 1/sin(theta) = 150 m.
    theta = math.asin(1.0 / 150.0)
    a, b = _interval("exact", _dir(theta, -1.3), (0.0, 0.0, 1.0))
    assert a == pytest.approx(79.0 / math.cos(theta), rel=1e-12)
    assert b == pytest.approx(150.0, rel=1e-12)


def test_exact_llp_leaving_through_end_photon_parallel_hits():
    # sin(theta) = 1/300: the line reaches z = 217 at 217 tan(theta) = 0.723 m < 1 m, so the LLP crosses the
    # whole volume, from s = 79/cos to s = 217/cos; a parallel photon hits the ECAL at 0.723 m < 1.2 m.
    theta = math.asin(1.0 / 300.0)
    u = _dir(theta, 2.0)
    a, b = _interval("exact", u, u)
    assert a == pytest.approx(79.0 / math.cos(theta), rel=1e-12)
    assert b == pytest.approx(217.0 / math.cos(theta), rel=1e-12)


@pytest.mark.parametrize("tan_alpha,s_min", [(0.01, 97.0), (0.1, 205.0), (0.0075, 57.0)])
def test_exact_on_axis_llp_photon_at_angle(tan_alpha, s_min):
    # On-axis LLP decaying at s; photon at angle alpha reaches z = 217 at (217 - s) tan(alpha).
    # It hits the 1.2 m calorimeter iff s >= 217 - 1.2/tan(alpha).
    assert 217.0 - 1.2 / tan_alpha == pytest.approx(s_min, rel=1e-12)
    alpha = math.atan(tan_alpha)
    a, b = _interval("exact", (0.0, 0.0, 1.0), _dir(alpha, 0.4))
    assert a == pytest.approx(max(s_min, 79.0), rel=1e-12)
    assert b == pytest.approx(217.0, rel=1e-12)


def test_exact_wide_photon_only_from_late_decays():
    # tan(alpha) = 2: the photon hits only if emitted within 1.2/2 = 0.6 m of the ECAL -> [216.4, 217]
    a, b = _interval("exact", (0.0, 0.0, 1.0), _dir(math.atan(2.0)))
    assert a == pytest.approx(216.4, rel=1e-12) and b == pytest.approx(217.0, rel=1e-12)
    # transverse photon (k_z = 0) never reaches the ECAL plane
    assert _interval("exact", (0.0, 0.0, 1.0), (1.0, 0.0, 0.0)) == (0.0, 0.0)


@pytest.mark.parametrize("llp_theta", [0.0, 0.003])
def test_exact_backward_photon_is_empty(llp_theta):
    assert _interval("exact", _dir(llp_theta), (0.0, 0.0, -1.0)) == (0.0, 0.0)
    assert _interval("exact", _dir(llp_theta), _dir(math.pi - 0.001, 0.5)) == (0.0, 0.0)


def test_exact_backward_or_wide_llp_is_empty():
    assert _interval("exact", (0.0, 0.0, -1.0), (0.0, 0.0, 1.0)) == (0.0, 0.0)
    assert _interval("exact", _dir(math.pi - 0.002), (0.0, 0.0, 1.0)) == (0.0, 0.0)
    # wide LLP: leaves the 1 m radius (s = 1/sin) before reaching z = 79 (s = 79/cos)
    assert _interval("exact", _dir(0.02), (0.0, 0.0, 1.0)) == (0.0, 0.0)


# --------------------------------------------------------------------------- batch
@pytest.mark.parametrize("mode", ["paper", "exact"])
def test_batch_agrees_with_scalar(mode):
    rng = np.random.default_rng(7)
    n = 5000

    def dirs(max_theta):
        cth = rng.uniform(math.cos(max_theta), 1.0, n)
        sth = np.sqrt(1 - cth**2)
        phi = rng.uniform(0, 2 * math.pi, n)
        return np.column_stack([sth * np.cos(phi), sth * np.sin(phi), cth])

    u = dirs(0.01)
    k = dirs(0.05)
    u[:10] = -u[:10]  # a few backward LLPs
    k[10:20] = -k[10:20]  # and backward photons
    g = NA62.kernel(mode)
    out = decay_interval_batch(g.kind, g.params, u, k)
    ref = np.array([decay_interval(g.kind, g.params, *u[i], *k[i]) for i in range(n)])
    assert out.shape == (n, 2)
    assert np.array_equal(out, ref)
    # sensible content: empty intervals are (0, 0), non-empty ones lie inside the volume along the path
    empty = out[:, 1] <= out[:, 0]
    assert np.all(out[empty] == 0.0)
    assert np.all(out[:10] == 0.0)  # backward LLPs
    if mode == "exact":
        assert np.all(out[10:20] == 0.0)  # backward photons never reach the ECAL
    full = ~empty
    assert full.sum() > n // 10
    assert np.all(out[full, 0] >= 79.0 - 1e-9)
    z_end = out[full, 1] * u[full, 2]
    assert np.all(z_end <= 217.0 + 1e-9)


def test_geometry_validation():
    with pytest.raises(ValueError, match="z_end_m"):
        CylinderWithCalorimeter(217.0, 79.0, 1.0, 217.0, 1.2)
    with pytest.raises(ValueError, match="radius_m"):
        CylinderWithCalorimeter(79.0, 217.0, -1.0, 217.0, 1.2)
    with pytest.raises(ValueError, match="calorimeter_z_m"):
        CylinderWithCalorimeter(79.0, 217.0, 1.0, 200.0, 1.2)
