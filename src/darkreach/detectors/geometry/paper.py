"""The detector geometries of papers 000 and 003, by descriptive name (the configs' experiments build their own
from ``geometry:`` entries; these are the papers' numbers for tests and checks)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from darkreach.detectors.geometry.box import Box
from darkreach.detectors.geometry.cone import Cone
from darkreach.detectors.geometry.cylinder_calorimeter import CylinderWithCalorimeter
from darkreach.detectors.geometry.frustum import Frustum

if TYPE_CHECKING:
    from darkreach.detectors.geometry import Geometry

_SHIP2019_RADIUS_M = math.sqrt(5.0 * 10.0 / math.pi)

#: The detector geometries of papers 000 and 003 (x horizontal for the fixed-target experiments; x vertical
#: for MATHUSLA, as in eq. (2.8) of paper 003). Keys are descriptive, not config names.
PAPER_GEOMETRIES: dict[str, Geometry] = {
    # paper 000, sec. 3
    "na62": CylinderWithCalorimeter(79.0, 217.0, 1.0, 217.0, 1.2),
    # ECN3 proposal: 1.0 m (x, horizontal) x 2.7 m (y, vertical) at 33 m -> 4.0 m x 6.0 m at 85 m
    "ship_ecn3": Frustum(33.0, 85.0, 1.0, 2.7, 4.0, 6.0, paper_theta_max_rad=0.028),
    # decay volume 620-630 m of radius 1 m plus 10 m of tracker (L_f = 640 m), calorimeter face at 640 m
    "faser2": CylinderWithCalorimeter(620.0, 640.0, 1.0, 640.0, 1.0),
    # paper 000, sec. 4.2 (bounds): CHARM-II calorimeter, BEBC bubble chamber (3.57 m taken along x), NuCal
    "charm2": Box(870.0, 905.6, half_width_x_m=1.85, half_width_y_m=1.85),
    "bebc": Box(404.0, 405.85, half_width_x_m=3.57 / 2, half_width_y_m=2.52 / 2),
    "nucal": CylinderWithCalorimeter(64.0, 87.0, 1.3, 87.0, 1.3),
    # paper 003, Table 2. SHiP (2019): cylinder of area A_dec = 5 x 10 m^2, 58-108 m;
    # tan(theta_dec) = sqrt(A_dec/pi)/(L + L_dec) = 36.9 mrad
    "ship2019": CylinderWithCalorimeter(58.0, 108.0, _SHIP2019_RADIUS_M, 108.0, _SHIP2019_RADIUS_M),
    # FASER(-2) of Table 2: radius 1 m, 480-485 m (exact mode); paper mode theta <= 2.1 mrad as printed in
    # Table 2 (the radius would give arctan(1/485) = 2.06 mrad)
    "faser": CylinderWithCalorimeter(480.0, 485.0, 1.0, 485.0, 1.0, paper_theta_max_rad=2.1e-3),
    "faser_table2": Cone(theta_max_rad=2.1e-3, l_i_m=480.0, l_f_m=485.0),
    # CHARM: 3 x 3 m^2, 480-515 m, axis 5 m off the beam (x in [3.5, 6.5] m): seen from the far end the box
    # spans 3.5/515 = 6.80 .. 6.5/515 = 12.62 mrad and 9 m^2 / (pi (6.5^2 - 3.5^2) m^2) = 9.55 % of the annulus;
    # paper mode: the Table 2 window times its 9.5 % azimuthal coverage (exact mode: the box alone)
    "charm": Box(
        480.0,
        515.0,
        half_width_x_m=1.5,
        half_width_y_m=1.5,
        x_offset_m=5.0,
        daughter_face_z_m=515.0,
        paper_theta_max_rad=12.6e-3,
        paper_theta_min_rad=6.8e-3,
        paper_azimuthal_coverage=0.095,
    ),
    # MATHUSLA, eq. (2.8): 68 <= z <= 168, 60 <= x <= 80 (vertical), -50 <= y <= 50
    "mathusla": Box(68.0, 168.0, half_width_x_m=10.0, half_width_y_m=50.0, x_offset_m=70.0),
}
