"""Decay volumes of the other experiments of papers 000 and 003, both acceptance modes, checked by hand.

SHiP at ECN3 (frustum), SHiP 2019 / FASER / FASER 2 / NuCal (cylinder + face), CHARM, MATHUSLA, CHARM-II,
BEBC (box), and the bare cone of Table 2 of paper 003.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest

from darkreach.config import ConfigError, check_config, load_config
from darkreach.detectors import (
    GEOMETRY_TYPES,
    PAPER_GEOMETRIES,
    Box,
    Cone,
    CylinderWithCalorimeter,
    Frustum,
    geometry_from_config,
    geometry_to_config,
)
from darkreach.detectors.geometry import KIND_BOX, KIND_CONE, KIND_CONE_Z, KIND_CYLINDER_CALORIMETER, KIND_FRUSTUM
from darkreach.detectors.kernels import decay_interval, decay_interval_batch
from darkreach.experiments import experiment_from_config
from darkreach.sensitivity.chain import decay_probability_sums

REPO = Path(__file__).resolve().parents[1]
EMPTY = (0.0, 0.0)
Z = (0.0, 0.0, 1.0)

SHIP = PAPER_GEOMETRIES["ship_ecn3"]
CHARM = PAPER_GEOMETRIES["charm"]
MATHUSLA = PAPER_GEOMETRIES["mathusla"]
CHARM2 = PAPER_GEOMETRIES["charm2"]


def _unit(x, y, z):
    n = math.sqrt(x * x + y * y + z * z)
    return (x / n, y / n, z / n)


def _slopes(tx, ty=0.0):
    """Unit vector with dx/dz = tx, dy/dz = ty (forward)."""
    return _unit(tx, ty, 1.0)


def _interval(geom, mode, u, k=Z):
    g = geom.kernel(mode)
    return decay_interval(g.kind, g.params, *u, *k)


def _approx(got, want):
    assert got[0] == pytest.approx(want[0], rel=1e-12) and got[1] == pytest.approx(want[1], rel=1e-12), (got, want)


# --------------------------------------------------------------------------- the papers' numbers
def test_kinds_and_paper_numbers():
    assert SHIP.kernel("paper").kind == KIND_CONE and SHIP.kernel("exact").kind == KIND_FRUSTUM
    assert CHARM.kernel("paper").kind == KIND_CONE and CHARM.kernel("exact").kind == KIND_BOX
    assert MATHUSLA.kernel("paper").kind == KIND_BOX and MATHUSLA.kernel("exact").kind == KIND_BOX
    assert CHARM2.kernel("paper").kind == KIND_CONE and CHARM2.kernel("exact").kind == KIND_BOX
    cone = PAPER_GEOMETRIES["faser_table2"]
    assert cone.kernel("paper").kind == KIND_CONE and cone.kernel("exact").kind == KIND_CONE_Z
    for name in ("ship2019", "faser", "faser2", "nucal"):
        assert PAPER_GEOMETRIES[name].kernel("exact").kind == KIND_CYLINDER_CALORIMETER
    # Table 2 of paper 003: SHiP theta <= 36.9 mrad from tan = sqrt(A_dec/pi)/(L + L_dec), A_dec = 50 m^2
    assert PAPER_GEOMETRIES["ship2019"].theta_max == pytest.approx(36.9e-3, abs=0.05e-3)
    # FASER: radius 1 m at 485 m -> 2.06 mrad, quoted as 2.1 mrad
    assert PAPER_GEOMETRIES["faser"].theta_max == pytest.approx(2.1e-3, abs=0.05e-3)
    # paper 000: FASER 2 theta_max = arctan(1/640) = 1.6e-3
    assert PAPER_GEOMETRIES["faser2"].theta_max == pytest.approx(1.6e-3, abs=0.05e-3)
    # CHARM window from the box seen from its far end: 3.5/515 and 6.5/515
    assert pytest.approx(6.8e-3, abs=0.05e-3) == 3.5 / 515 and pytest.approx(12.6e-3, abs=0.05e-3) == 6.5 / 515
    # bounds' detectors: paper-mode tan(theta_max) = equivalent radius / far end
    p = CHARM2.kernel("paper").params
    assert math.tan(p[1]) == pytest.approx(math.sqrt(3.7 * 3.7 / math.pi) / 905.6, rel=1e-12)
    assert tuple(p[2:4]) == (870.0, 905.6)
    p = PAPER_GEOMETRIES["bebc"].kernel("paper").params
    assert math.tan(p[1]) == pytest.approx(math.sqrt(3.57 * 2.52 / math.pi) / 405.85, rel=1e-12)
    assert PAPER_GEOMETRIES["nucal"].theta_max == pytest.approx(math.atan(1.3 / 87.0), rel=1e-14)
    for geom in PAPER_GEOMETRIES.values():
        with pytest.raises(ValueError, match="acceptance mode"):
            geom.kernel("bogus")


# --------------------------------------------------------------------------- SHiP at ECN3 (frustum)
# half-widths: x 0.5 -> 2.0 m, y 1.35 -> 3.0 m over 33..85 m, i.e. h_x(z) = 0.5 + 1.5 (z - 33)/52.
def test_ship_paper_mode():
    assert _interval(SHIP, "paper", Z) == (33.0, 85.0)
    assert _interval(SHIP, "paper", _slopes(0.02, 0.01), (1.0, 0.0, 0.0)) == (33.0, 85.0)  # daughter ignored
    assert _interval(SHIP, "paper", _slopes(0.03)) == EMPTY  # theta = 0.029996 > 0.028
    assert _interval(SHIP, "paper", (0.0, 0.0, -1.0)) == EMPTY


def test_ship_exact_on_axis():
    _approx(_interval(SHIP, "exact", Z, Z), (33.0, 85.0))


def test_ship_exact_enters_through_the_sloped_side():
    # x = 0.02 z inside the x half-width iff 52*0.02 z <= 26 + 1.5 (z - 33), i.e. z >= 23.5/(1.5 - 1.04) = 51.087 m;
    # a parallel daughter reaches z = 85 at x = 1.7 m < 2.0 m.
    u = _slopes(0.02)
    c = u[2]
    _approx(_interval(SHIP, "exact", u, u), (23.5 / 0.46 / c, 85.0 / c))
    # the same slope along y is inside all along (0.66 < 1.35 at 33 m, 1.7 < 3.0 at 85 m)
    u = _slopes(0.0, 0.02)
    _approx(_interval(SHIP, "exact", u, u), (33.0 / c, 85.0 / c))
    # diagonal: the x side decides
    u = _slopes(0.02, 0.02)
    _approx(_interval(SHIP, "exact", u, u), (23.5 / 0.46 / u[2], 85.0 / u[2]))


def test_ship_exact_misses_and_backward():
    # slope 0.03 along x: outside at both ends (0.99 > 0.5 at 33 m, 2.55 > 2.0 at 85 m) -> never inside
    assert _interval(SHIP, "exact", _slopes(0.03), Z) == EMPTY
    # slope 0.03 along y: inside (0.99 < 1.35, 2.55 < 3.0) even though theta > 0.028 (paper mode rejects it)
    u = _slopes(0.0, 0.03)
    _approx(_interval(SHIP, "exact", u, Z), (33.0 / u[2], 85.0 / u[2]))
    assert _interval(SHIP, "exact", (0.0, 0.0, -1.0), Z) == EMPTY
    assert _interval(SHIP, "exact", Z, (0.0, 0.0, -1.0)) == EMPTY
    assert _interval(SHIP, "exact", Z, (1.0, 0.0, 0.0)) == EMPTY


@pytest.mark.parametrize(
    "k,s_min",
    [
        (_slopes(0.1), 85.0 - 2.0 / 0.1),  # x: (85 - s) 0.1 <= 2.0 -> s >= 65
        (_slopes(0.0, 0.1), 85.0 - 3.0 / 0.1),  # y: (85 - s) 0.1 <= 3.0 -> s >= 55
        (_slopes(-1.0), 83.0),  # wide daughter: within 2 m of the face
        (_slopes(0.01), 33.0),  # narrow daughter always hits
    ],
)
def test_ship_exact_daughter_must_reach_the_face(k, s_min):
    _approx(_interval(SHIP, "exact", Z, k), (s_min, 85.0))


# --------------------------------------------------------------------------- CHARM (off-axis box)
# x in [3.5, 6.5] m, y in [-1.5, 1.5] m, z in [480, 515] m, daughter must cross z = 515 in the same square.
@pytest.mark.parametrize("phi", [0.0, 1.0, math.pi / 2, math.pi])
def test_charm_paper_mode_is_a_full_annulus(phi):
    # the 9.5 % azimuthal coverage is an efficiency factor (Table 2 of paper 003), not part of the cone
    u = (math.sin(0.01) * math.cos(phi), math.sin(0.01) * math.sin(phi), math.cos(0.01))
    assert _interval(CHARM, "paper", u, (0.0, 0.0, -1.0)) == (480.0, 515.0)
    assert _interval(CHARM, "paper", Z) == EMPTY  # below 6.8 mrad
    assert _interval(CHARM, "paper", _slopes(0.013)) == EMPTY  # above 12.6 mrad


def test_charm_exact():
    assert _interval(CHARM, "exact", Z, Z) == EMPTY  # the beam axis misses the box
    u = _slopes(0.01)  # x = 0.01 z in [4.8, 5.15]: through the whole box; parallel daughter at x = 5.15
    _approx(_interval(CHARM, "exact", u, u), (480.0 / u[2], 515.0 / u[2]))
    u = _slopes(0.007)  # x = 0.007 z >= 3.5 from z = 500 m
    _approx(_interval(CHARM, "exact", u, u), (500.0 / u[2], 515.0 / u[2]))
    u = _slopes(0.013)  # x <= 6.5 until z = 500 m; a parallel daughter reaches x = 6.695 m at 515: misses
    assert _interval(CHARM, "exact", u, u) == EMPTY
    _approx(_interval(CHARM, "exact", u, Z), (480.0 / u[2], 500.0 / u[2]))  # daughter along the axis hits
    assert _interval(CHARM, "exact", _slopes(0.0, 0.01), Z) == EMPTY  # same angle, wrong azimuth
    u = _slopes(0.01)  # daughter sloping 0.1 in y: (515 - z) 0.1 <= 1.5 -> z >= 500
    _approx(_interval(CHARM, "exact", u, _slopes(0.0, 0.1)), (500.0 / u[2], 515.0 / u[2]))
    assert _interval(CHARM, "exact", u, (0.0, 0.0, -1.0)) == EMPTY
    assert _interval(CHARM, "exact", (-u[0], -u[1], -u[2]), Z) == EMPTY


def _area_fraction_square_in_annulus(r0, r1, n=2000):
    # midpoint rule over the 3 x 3 m^2 square x in [3.5, 6.5], y in [-1.5, 1.5]
    g = (np.arange(n) + 0.5) / n * 3.0
    x, y = np.meshgrid(3.5 + g, -1.5 + g, indexing="ij")
    r2 = x * x + y * y
    inside = ((r2 >= r0 * r0) & (r2 <= r1 * r1)).mean() * 9.0
    return inside / (math.pi * (r1 * r1 - r0 * r0))


def test_charm_box_covers_9p5_percent_of_the_annulus():
    rng = np.random.default_rng(2024)
    n = 400_000
    t0, t1 = 6.8e-3, 12.6e-3
    cth = rng.uniform(math.cos(t1), math.cos(t0), n)  # uniform in solid angle within the annulus
    sth = np.sqrt(1.0 - cth * cth)
    phi = rng.uniform(0.0, 2.0 * math.pi, n)
    u = np.column_stack([sth * np.cos(phi), sth * np.sin(phi), cth])
    g = CHARM.kernel("exact")
    out = decay_interval_batch(g.kind, g.params, u, u)  # daughter parallel to the LLP
    through_face = out[:, 1] > out[:, 0]
    frac = through_face.mean()
    sigma = math.sqrt(frac * (1 - frac) / n)
    # parallel daughters hit iff the line crosses the 3 x 3 m^2 face at 515 m: the fraction of the annulus
    # (radii 515 tan(theta)) covered by the square, 9/(30 pi) = 9.55 % minus the corners outside the annulus
    expected = _area_fraction_square_in_annulus(515 * math.tan(t0), 515 * math.tan(t1))
    assert frac == pytest.approx(expected, abs=5 * sigma + 2e-4)
    assert expected == pytest.approx(0.095, abs=0.002)
    assert 9.0 / (math.pi * (6.5**2 - 3.5**2)) == pytest.approx(0.095, abs=0.001)
    # any decay point in the box (no daughter condition) and the path-length-weighted coverage
    lines = decay_interval_batch(KIND_BOX, CHARM._box_kernel(face=False).params, u, u)
    hit = lines[:, 1] > lines[:, 0]
    assert hit.mean() == pytest.approx(0.100, abs=0.003)
    assert ((lines[:, 1] - lines[:, 0]) * cth).mean() / 35.0 == pytest.approx(0.095, abs=0.004)


def test_charm_azimuthal_coverage_is_a_paper_mode_factor():
    """Table 2 of paper 003: x 0.095 for the share of the theta annulus the detector covers, in paper mode only;
    in exact mode the 3 x 3 m^2 box 5 m off axis already restricts the azimuth (issue 10, item 4)."""
    assert CHARM.paper_azimuthal_coverage == 0.095
    assert CHARM.kernel("paper").factor == 0.095
    assert CHARM.kernel("exact").factor == 1.0
    for name, geom in PAPER_GEOMETRIES.items():
        if name != "charm":
            assert geom.kernel("paper").factor == 1.0 and geom.kernel("exact").factor == 1.0, name


def test_charm_paper_and_exact_agree_for_long_lived_particles():
    """Acceptance x decay probability of a forward beam of long-lived particles (isotropic in azimuth,
    uniform in solid angle up to 20 mrad, fixed momentum): exact/paper is the geometric ratio, not 1/10."""
    rng = np.random.default_rng(404)
    n = 1_000_000
    t_max = 0.02
    u = _narrow_beam(n, t_max, rng)  # uniform in solid angle
    betagamma = np.full(n, 200.0)
    ctau = np.array([1.0e5])  # decay length 2e7 m >> 35 m: P = path / L
    weight = np.ones(n)
    yields = {}
    for mode in ("paper", "exact"):
        g = CHARM.kernel(mode)
        out = decay_interval_batch(g.kind, g.params, u, u)  # daughter parallel to the LLP
        ok = out[:, 1] > out[:, 0]
        per_llp = weight[ok] * g.factor  # as simulate_point weights accepted LLPs
        yields[mode] = decay_probability_sums(per_llp, betagamma[ok], out[ok, 0], out[ok, 1], ctau)[0] / n
        if mode == "exact":
            n_exact = ok.sum()
    ratio = yields["exact"] / yields["paper"]
    # expected ratio (small angles, density uniform on the face plane z = 515 m): exact = lines through the
    # 3 x 3 m^2 face, each decaying over z in [max(480, 515 x 3.5 / x_515), 515] (entering through the inner
    # side x = 3.5 m when x_515 < 3.755 m); paper = 0.095 x the annulus of radii 515 tan(6.8, 12.6 mrad), 35 m
    m = 4000
    x = 3.5 + (np.arange(m) + 0.5) / m * 3.0
    exact_area_len = 3.0 * np.mean(515.0 - np.maximum(480.0, 515.0 * 3.5 / x)) * 3.0  # m^2 x m
    r0, r1 = 515.0 * math.tan(6.8e-3), 515.0 * math.tan(12.6e-3)
    paper_area_len = 0.095 * math.pi * (r1**2 - r0**2) * 35.0
    expected = exact_area_len / paper_area_len
    assert expected == pytest.approx(0.969, abs=0.002)  # 9.55 % / 9.5 % x (1 - 4.2 % lost at the inner side)
    sigma = 1.0 / math.sqrt(n_exact)  # relative Monte Carlo error of the exact yield (the paper one is ~3x smaller)
    assert ratio == pytest.approx(expected, rel=4 * sigma + 2e-3)
    assert 0.9 < ratio < 1.1
    # the old configuration (0.095 as an efficiency applied to both modes) was ~10x low in exact mode
    assert 0.095 * ratio < 0.1


# --------------------------------------------------------------------------- MATHUSLA (box of eq. (2.8))
@pytest.mark.parametrize("mode", ["paper", "exact"])
def test_mathusla(mode):
    # towards (70, 0, 100): x = 70 t in [60, 80] and z = 100 t in [68, 168] -> t in [6/7, 8/7]
    d = math.hypot(70.0, 100.0)
    _approx(_interval(MATHUSLA, mode, _unit(70.0, 0.0, 100.0), (0.0, 0.0, -1.0)), (6 / 7 * d, 8 / 7 * d))
    # 45 degrees: x = z in [60, 80] and [68, 168] -> z in [68, 80]
    _approx(_interval(MATHUSLA, mode, _unit(1.0, 0.0, 1.0)), (68 * math.sqrt(2), 80 * math.sqrt(2)))
    # towards (70, 60, 100): y = 60 t <= 50 needs t <= 5/6 < 6/7 -> misses
    assert _interval(MATHUSLA, mode, _unit(70.0, 60.0, 100.0)) == EMPTY
    assert _interval(MATHUSLA, mode, Z) == EMPTY
    assert _interval(MATHUSLA, mode, _unit(-70.0, 0.0, 100.0)) == EMPTY  # downward
    assert _interval(MATHUSLA, mode, _unit(70.0, 0.0, -100.0)) == EMPTY  # backward
    assert _interval(MATHUSLA, mode, (1.0, 0.0, 0.0)) == EMPTY  # straight up: never reaches z >= 68


# --------------------------------------------------------------------------- on-axis boxes: CHARM-II, BEBC
def test_charm2_both_modes():
    theta_max = math.atan(math.sqrt(3.7**2 / math.pi) / 905.6)  # 2.305 mrad
    _approx(_interval(CHARM2, "exact", Z, (1.0, 0.0, 0.0)), (870.0, 905.6))  # no daughter condition
    u = _slopes(0.002)  # x = 0.002 z <= 1.85 up to 925 m: through
    _approx(_interval(CHARM2, "exact", u), (870.0 / u[2], 905.6 / u[2]))
    u = _slopes(0.0021)  # leaves through the side at z = 1.85/0.0021 = 880.95 m
    _approx(_interval(CHARM2, "exact", u), (870.0 / u[2], 1.85 / 0.0021 / u[2]))
    assert _interval(CHARM2, "paper", u) == (870.0, 905.6)
    u = _slopes(0.0018, 0.0018)  # towards the corner: theta = 2.55 mrad > theta_max, but inside the box
    assert math.atan(0.0018 * math.sqrt(2)) > theta_max
    assert _interval(CHARM2, "paper", u) == EMPTY
    _approx(_interval(CHARM2, "exact", u), (870.0 / u[2], 905.6 / u[2]))
    assert _interval(CHARM2, "exact", _slopes(0.0025)) == EMPTY  # x = 1.85 at 740 m, before the box
    assert _interval(CHARM2, "paper", (0.0, 0.0, -1.0)) == EMPTY
    assert _interval(CHARM2, "exact", (0.0, 0.0, -1.0)) == EMPTY


def test_bebc_box():
    bebc = PAPER_GEOMETRIES["bebc"]
    _approx(_interval(bebc, "exact", Z), (404.0, 405.85))
    u = _slopes(0.0, 0.0031)  # y = 0.0031 z <= 1.26 up to 406.45 m: through
    _approx(_interval(bebc, "exact", u), (404.0 / u[2], 405.85 / u[2]))
    u = _slopes(0.0, 0.00311)  # y reaches 1.26 m at 405.14 m
    _approx(_interval(bebc, "exact", u), (404.0 / u[2], 1.26 / 0.00311 / u[2]))
    assert _interval(bebc, "exact", _slopes(0.0, 0.0032)) == EMPTY


# --------------------------------------------------------------------------- cylinders of the other experiments
def test_faser2_exact():
    f2 = PAPER_GEOMETRIES["faser2"]
    _approx(_interval(f2, "exact", Z, Z), (620.0, 640.0))
    u = _slopes(1 / 700)  # radius 0.914 m at 640 m
    _approx(_interval(f2, "exact", u, u), (620.0 / u[2], 640.0 / u[2]))
    u = _slopes(1 / 630)  # leaves the 1 m radius at z = 630 m; a parallel photon misses the face at 640 m
    assert _interval(f2, "exact", u, u) == EMPTY
    _approx(_interval(f2, "exact", u, Z), (620.0 / u[2], math.sqrt(1 + 630.0**2)))
    assert _interval(f2, "exact", _slopes(1 / 600), Z) == EMPTY
    # paper mode: theta <= arctan(1/640) whatever the photon does
    assert _interval(f2, "paper", _slopes(1 / 641), (0.0, 0.0, -1.0)) == (620.0, 640.0)
    assert _interval(f2, "paper", _slopes(1 / 630), Z) == EMPTY


def test_ship2019_exact():
    ship = PAPER_GEOMETRIES["ship2019"]
    r = math.sqrt(50 / math.pi)
    _approx(_interval(ship, "exact", Z, Z), (58.0, 108.0))
    u = _slopes(r / 80.0)  # leaves the side at z = 80 m; daughter along the axis still hits the face
    _approx(_interval(ship, "exact", u, Z), (58.0 / u[2], math.hypot(r, 80.0)))
    assert _interval(ship, "exact", u, u) == EMPTY
    assert _interval(ship, "paper", u, Z) == EMPTY  # theta > arctan(r/108) = 36.9 mrad
    assert _interval(ship, "paper", _slopes(r / 109.0), (0.0, 0.0, -1.0)) == (58.0, 108.0)


def test_faser_paper_angle_is_table2():
    """Table 2 of paper 003 prints theta <= 2.1 mrad for FASER; exact mode stays the 1 m cylinder at 480-485 m."""
    faser = PAPER_GEOMETRIES["faser"]
    gp, ge = faser.kernel("paper"), faser.kernel("exact")
    assert gp.kind == KIND_CONE and gp.params[1] == 0.0021 and tuple(gp.params[2:4]) == (480.0, 485.0)
    assert faser.paper_theta_max == 0.0021
    assert faser.theta_max == pytest.approx(math.atan(1.0 / 485.0), rel=1e-14)  # 2.06 mrad: geometry only
    assert ge.kind == KIND_CYLINDER_CALORIMETER and tuple(ge.params) == (480.0, 485.0, 1.0, 485.0, 1.0)
    assert _interval(faser, "paper", _slopes(0.00208), (0.0, 0.0, -1.0)) == (480.0, 485.0)  # 2.06 < theta < 2.1
    assert _interval(faser, "paper", _slopes(0.00211)) == EMPTY
    # the paper config uses the same geometry
    cfg = load_config(REPO / "config" / "paper.yaml")
    assert experiment_from_config(cfg, "faser").geometry == faser
    assert experiment_from_config(cfg, "faser").kernel_geometry("paper").params[1] == 0.0021
    for name in ("na62", "faser2", "ship2019", "nucal"):  # paper 000 and Table 2 print these as formulas
        assert PAPER_GEOMETRIES[name].paper_theta_max == PAPER_GEOMETRIES[name].theta_max


def test_cone_table2():
    cone = PAPER_GEOMETRIES["faser_table2"]
    u = _slopes(0.002)
    assert _interval(cone, "paper", u, (0.0, 0.0, -1.0)) == (480.0, 485.0)
    _approx(_interval(cone, "exact", u, (0.0, 0.0, -1.0)), (480.0 / u[2], 485.0 / u[2]))
    for mode in ("paper", "exact"):
        assert _interval(cone, mode, _slopes(0.0022)) == EMPTY
        assert _interval(cone, mode, (0.0, 0.0, -1.0)) == EMPTY
    shell = Cone(theta_max_rad=0.02, l_i_m=10.0, l_f_m=20.0, theta_min_rad=0.01)
    for mode in ("paper", "exact"):
        assert _interval(shell, mode, Z) == EMPTY
        assert _interval(shell, mode, _slopes(0.025)) == EMPTY
    _approx(_interval(shell, "exact", _slopes(0.015)), (10.0 / _slopes(0.015)[2], 20.0 / _slopes(0.015)[2]))


# --------------------------------------------------------------------------- paper vs exact, brute force, batch
def _narrow_beam(n, theta_max, rng):
    cth = rng.uniform(math.cos(theta_max), 1.0, n)
    sth = np.sqrt(1 - cth**2)
    phi = rng.uniform(0, 2 * math.pi, n)
    return np.column_stack([sth * np.cos(phi), sth * np.sin(phi), cth])


@pytest.mark.parametrize("name", ["ship_ecn3", "charm2", "bebc", "faser2", "ship2019", "nucal", "faser_table2"])
def test_paper_and_exact_agree_for_a_narrow_on_axis_beam(name):
    geom = PAPER_GEOMETRIES[name]
    rng = np.random.default_rng(3)
    u = _narrow_beam(2000, 1e-4, rng)
    k = _narrow_beam(2000, 1e-4, rng)
    gp, ge = geom.kernel("paper"), geom.kernel("exact")
    paper = decay_interval_batch(gp.kind, gp.params, u, k)
    exact = decay_interval_batch(ge.kind, ge.params, u, k)
    assert np.all(paper[:, 1] > paper[:, 0]) and np.all(exact[:, 1] > exact[:, 0])
    np.testing.assert_allclose(exact, paper, rtol=1e-6)


def _inside(geom, pts):
    x, y, z = pts[..., 0], pts[..., 1], pts[..., 2]
    if isinstance(geom, Frustum):
        f = (z - geom.z_start_m) / (geom.z_end_m - geom.z_start_m)
        hx = 0.5 * (geom.width_x_start_m + f * (geom.width_x_end_m - geom.width_x_start_m))
        hy = 0.5 * (geom.width_y_start_m + f * (geom.width_y_end_m - geom.width_y_start_m))
        return (z >= geom.z_start_m) & (z <= geom.z_end_m) & (np.abs(x) <= hx) & (np.abs(y) <= hy)
    return (
        (z >= geom.z_start_m)
        & (z <= geom.z_end_m)
        & (np.abs(x - geom.x_offset_m) <= geom.half_width_x_m)
        & (np.abs(y) <= geom.half_width_y_m)
    )


def _face(geom):
    if isinstance(geom, Frustum):
        hx, hy = 0.5 * geom.width_x_end_m, 0.5 * geom.width_y_end_m
        return geom.z_end_m, -hx, hx, -hy, hy
    return (
        geom.daughter_face_z_m,
        geom.x_offset_m - geom.half_width_x_m,
        geom.x_offset_m + geom.half_width_x_m,
        -geom.half_width_y_m,
        geom.half_width_y_m,
    )


@pytest.mark.parametrize("name,theta_llp,theta_k", [("ship_ecn3", 0.04, 0.08), ("charm", 0.015, 0.01)])
def test_exact_interval_matches_point_sampling(name, theta_llp, theta_k):
    # sample decay points along each path and test the volume and face conditions directly
    geom = PAPER_GEOMETRIES[name]
    rng = np.random.default_rng(11)
    n, m = 3000, 801
    u = _narrow_beam(n, theta_llp, rng)
    k = _narrow_beam(n, theta_k, rng)
    g = geom.kernel("exact")
    out = decay_interval_batch(g.kind, g.params, u, k)
    s = np.linspace(0.0, 1.1 * geom.z_end_m / math.cos(theta_llp), m)
    pts = s[None, :, None] * u[:, None, :]
    fz, fx0, fx1, fy0, fy1 = _face(geom)
    t = (fz - pts[..., 2]) / k[:, None, 2]
    hx = pts[..., 0] + t * k[:, None, 0]
    hy = pts[..., 1] + t * k[:, None, 1]
    ok = _inside(geom, pts) & (hx >= fx0) & (hx <= fx1) & (hy >= fy0) & (hy <= fy1)
    in_interval = (s[None, :] >= out[:, :1]) & (s[None, :] <= out[:, 1:])
    ds = s[1] - s[0]
    near_edge = (np.abs(s[None, :] - out[:, :1]) < ds) | (np.abs(s[None, :] - out[:, 1:]) < ds)
    mismatch = (ok != in_interval) & ~near_edge
    assert not mismatch.any(), np.argwhere(mismatch)[:5]
    assert ok.any(axis=1).sum() > n // 20  # the sample exercises non-empty intervals


@pytest.mark.parametrize("name", sorted(PAPER_GEOMETRIES))
@pytest.mark.parametrize("mode", ["paper", "exact"])
def test_batch_agrees_with_scalar(name, mode):
    geom = PAPER_GEOMETRIES[name]
    rng = np.random.default_rng(5)
    u = _narrow_beam(500, 0.8 if name == "mathusla" else 0.05, rng)
    k = _narrow_beam(500, 0.1, rng)
    u[:5] = -u[:5]
    g = geom.kernel(mode)
    out = decay_interval_batch(g.kind, g.params, u, k)
    ref = np.array([decay_interval(g.kind, g.params, *u[i], *k[i]) for i in range(len(u))])
    assert np.array_equal(out, ref)
    assert np.all(out[:5] == 0.0)
    empty = out[:, 1] <= out[:, 0]
    assert np.all(out[empty] == 0.0)


# --------------------------------------------------------------------------- validation and configuration
@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: Frustum(85.0, 33.0, 1.0, 2.7, 4.0, 6.0, 0.028), "z_end_m"),
        (lambda: Frustum(33.0, 85.0, -1.0, 2.7, 4.0, 6.0, 0.028), "width_x_start_m must be positive, got -1.0"),
        (lambda: Frustum(33.0, 85.0, 1.0, 2.7, 4.0, 6.0, 2.0), "paper_theta_max_rad"),
        (lambda: Box(480.0, 515.0, 0.0, 1.5), "half_width_x_m must be positive, got 0.0"),
        (lambda: Box(480.0, 515.0, 1.5, 1.5, x_offset_m=-5.0), "x_offset_m must be >= 0 and finite, got -5.0"),
        (lambda: Box(480.0, 515.0, 1.5, 1.5, daughter_face_z_m=500.0), "daughter_face_z_m"),
        (lambda: Box(480.0, 515.0, 1.5, 1.5, paper_theta_min_rad=0.01), "paper_theta_min_rad"),
        (lambda: Box(480.0, 515.0, 1.5, 1.5, paper_theta_min_rad=0.02, paper_theta_max_rad=0.01), "0.02"),
        (lambda: Box(480.0, 515.0, 1.5, 1.5, paper_theta_max_rad=0.01, paper_azimuthal_coverage=1.5), "in \\(0, 1\\]"),
        (lambda: Box(480.0, 515.0, 1.5, 1.5, paper_theta_max_rad=0.01, paper_azimuthal_coverage=0.0), "got 0.0"),
        (lambda: Box(480.0, 515.0, 1.5, 1.5, paper_azimuthal_coverage=0.5), "needs paper_theta_max_rad"),
        (lambda: CylinderWithCalorimeter(480.0, 485.0, 1.0, 485.0, 1.0, paper_theta_max_rad=-1.0), "got -1.0"),
        (lambda: CylinderWithCalorimeter(480.0, 485.0, 1.0, 485.0, 1.0, paper_theta_max_rad=2.0), "below pi/2"),
        (lambda: Cone(theta_max_rad=0.01, l_i_m=20.0, l_f_m=10.0), "l_f_m"),
        (lambda: Cone(theta_max_rad=0.01, l_i_m=1.0, l_f_m=2.0, theta_min_rad=0.02), "theta_min_rad"),
        (lambda: Cone(theta_max_rad=float("nan"), l_i_m=1.0, l_f_m=2.0), "theta_max_rad"),
    ],
)
def test_geometry_validation(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_registry_and_round_trip():
    assert set(GEOMETRY_TYPES) == {"cylinder_calorimeter", "frustum", "box", "cone"}
    for geom in PAPER_GEOMETRIES.values():
        assert geometry_from_config(geometry_to_config(geom)) == geom
    assert isinstance(geometry_from_config(geometry_to_config(PAPER_GEOMETRIES["nucal"])), CylinderWithCalorimeter)
    with pytest.raises(ValueError, match="'box'.*radius_m"):
        geometry_from_config(
            {
                "type": "box",
                "z_start_m": 1.0,
                "z_end_m": 2.0,
                "half_width_x_m": 1.0,
                "half_width_y_m": 1.0,
                "radius_m": 1.0,
            }
        )
    with pytest.raises(ValueError, match="pyramid"):
        geometry_from_config({"type": "pyramid"})


@pytest.fixture(scope="module")
def default() -> dict:
    return load_config(REPO / "config" / "config.yaml")


@pytest.mark.parametrize("name", sorted(PAPER_GEOMETRIES))
def test_every_paper_geometry_is_a_valid_config(default, name):
    cfg = copy.deepcopy(default)
    cfg["experiments"]["na62"]["geometry"] = geometry_to_config(PAPER_GEOMETRIES[name])
    check_config(cfg)
    exp = experiment_from_config(cfg, "na62")
    assert exp.geometry == PAPER_GEOMETRIES[name]
    exp.kernel_geometry("paper")
    exp.kernel_geometry("exact")


BAD_GEOMETRIES = [
    ({"type": "pyramid"}, "experiments.na62.geometry.type", "pyramid"),
    ({**geometry_to_config(SHIP), "width_x_end_m": -4.0}, "experiments.na62.geometry.width_x_end_m", "-4.0"),
    ({**geometry_to_config(SHIP), "z_end_m": 20.0}, "experiments.na62.geometry", "20.0"),
    ({**geometry_to_config(CHARM), "x_offset_m": -5.0}, "experiments.na62.geometry.x_offset_m", "-5.0"),
    ({**geometry_to_config(CHARM), "daughter_face_z_m": 490.0}, "experiments.na62.geometry", "490.0"),
    ({**geometry_to_config(CHARM), "paper_theta_min_rad": 0.02}, "experiments.na62.geometry", "0.02"),
    ({**geometry_to_config(CHARM), "x_offset_m": "five"}, "experiments.na62.geometry.x_offset_m", "'five'"),
    ({**geometry_to_config(CHARM), "radius_m": 1.0}, "experiments.na62.geometry", "radius_m"),
    (
        {**geometry_to_config(CHARM), "paper_azimuthal_coverage": 1.5},
        "experiments.na62.geometry.paper_azimuthal_coverage",
        "1.5",
    ),
    (
        {**geometry_to_config(MATHUSLA), "paper_azimuthal_coverage": 0.5},
        "experiments.na62.geometry",
        "paper_theta_max_rad",
    ),
    ({"type": "cone", "theta_max_rad": 0.01, "l_i_m": 5.0}, "experiments.na62.geometry", "l_f_m"),
]


@pytest.mark.parametrize(("geometry", "key", "value"), BAD_GEOMETRIES)
def test_bad_geometry_config_names_key_and_value(default, geometry, key, value):
    cfg = copy.deepcopy(default)
    cfg["experiments"]["na62"]["geometry"] = geometry
    with pytest.raises(ConfigError) as err:
        check_config(cfg)
    assert key in str(err.value) and value in str(err.value), str(err.value)
