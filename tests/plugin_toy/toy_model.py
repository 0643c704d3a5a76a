"""A darkreach plugin in one file: a toy model, a toy geometry and a toy matrix element.

Installed as its own distribution (``pyproject.toml`` next to this file), it reaches darkreach only through the
entry points ``darkreach.models`` and ``darkreach.geometries``: darkreach itself is not edited.

Model ``toy``: a leptophilic dark-photon-like vector X (mass ``mx``) with a kinetic-mixing-like coupling
epsilon to the photon, produced in pi0 -> gamma X and decaying only into one charged-lepton pair:

* BR(pi0 -> gamma X) = 2 epsilon^2 (1 - mx^2/m_pi0^2)^3 BR(pi0 -> gamma gamma), exactly 0 for mx >= m_pi0;
* Gamma(X -> l+ l-) = (alpha epsilon^2 mx / 3) (1 + 2 m_l^2/mx^2) sqrt(1 - 4 m_l^2/mx^2), exactly 0 for
  mx <= 2 m_l (then X is stable);

both scale as epsilon^2 (``ScanSpec.power = 2``). ``lepton`` (e or mu) picks the pair.

Geometry ``toy_sphere``: a spherical decay volume of radius ``radius_m`` centred on the beam axis at
``z_center_m``; a decay anywhere inside is detected (both acceptance modes), so the detectable interval of an
LLP moving along u is the chord of the line s u through the sphere, in closed form.

Matrix element ``toy-m23``: |M|^2 = m23^2 (no physics, a check that a plugin |M|^2 reaches the kernels).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numba as nb

from darkreach.constants import ALPHA_EM
from darkreach.detectors.registry import KernelGeometry, kernel_geometry, register_geometry
from darkreach.kinematics.matrix_elements import matrix_element
from darkreach.mesons import MESONS
from darkreach.models import DarkSectorModel, DecayChannel, ParameterSpec, ScanSpec, register_model
from darkreach.models.channels import two_body_production

#: Charged-lepton masses in GeV (PDG 2024).
LEPTON_MASS: dict[str, float] = {"e": 0.51099895e-3, "mu": 0.1056583755}


def br_pi0_gamma_x_unit(mx: float) -> float:
    """BR(pi0 -> gamma X) / epsilon^2."""
    r = mx * mx / MESONS["pi0"].mass ** 2
    return 2.0 * (1.0 - r) ** 3 * MESONS["pi0"].br_gammagamma if r < 1.0 else 0.0


def width_x_ll_unit(mx: float, lepton: str) -> float:
    """Gamma(X -> l+ l-) / epsilon^2 in GeV."""
    r = LEPTON_MASS[lepton] ** 2 / mx**2
    if 4.0 * r >= 1.0:
        return 0.0
    return ALPHA_EM * mx / 3.0 * (1.0 + 2.0 * r) * math.sqrt(1.0 - 4.0 * r)


@register_model
class ToyDarkPhoton(DarkSectorModel):
    """Leptophilic dark-photon-like X from pi0 -> gamma X, X -> l+ l- (see the module docstring)."""

    name = "toy"
    parameter_specs = (
        ParameterSpec("mx", float, "GeV", "mass of the toy vector X in GeV", quantity="mass"),
        ParameterSpec("lepton", str, help="the lepton pair X decays into", choices=("e", "mu")),
    )
    mass_parameter = "mx"
    scan = ScanSpec("epsilon", "", 2.0, "toy kinetic mixing", cli_option="--epsilon", search_range=(1e-9, 1e-2))

    def llp_mass(self, point):
        return float(point["mx"])

    def llp_width_unit(self, point):
        return width_x_ll_unit(float(point["mx"]), str(point["lepton"]))

    def production_channels(self, point):
        self.validate_point(point)
        mx = float(point["mx"])
        width = br_pi0_gamma_x_unit(mx) * MESONS["pi0"].width  # partial width at epsilon = 1
        return two_body_production(("pi0",), lambda meson: width, m_llp=mx, m_partner=0.0)

    def decay_channels(self, point):
        mx, lepton = float(point["mx"]), str(point["lepton"])
        if width_x_ll_unit(mx, lepton) == 0.0:
            return []
        ml = LEPTON_MASS[lepton]
        return [DecayChannel(f"{lepton}+{lepton}-", 1.0, (ml, ml), visible=(0, 1))]


@nb.njit(cache=True)
def sphere_interval(params, ux, uy, uz, kx, ky, kz):
    """Chord of the line s u (unit u, from the origin) through the sphere |x - (0, 0, z_c)| <= R."""
    zc, radius = params[0], params[1]
    b = uz * zc
    disc = b * b - zc * zc + radius * radius
    if disc <= 0.0:
        return 0.0, 0.0
    root = math.sqrt(disc)
    lo = max(b - root, 0.0)
    hi = b + root
    if hi <= lo:
        return 0.0, 0.0
    return lo, hi


@dataclass(frozen=True)
class Sphere:
    """Spherical decay volume on the beam axis (config type ``toy_sphere``)."""

    z_center_m: float
    radius_m: float

    type_name: ClassVar[str] = "toy_sphere"

    def __post_init__(self) -> None:
        for name in ("z_center_m", "radius_m"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and value > 0 and math.isfinite(value)):
                raise ValueError(f"geometry.{name} must be positive, got {value!r}")
        if self.radius_m >= self.z_center_m:
            raise ValueError(f"geometry.radius_m ({self.radius_m}) must be below z_center_m ({self.z_center_m})")

    def kernel(self, mode: str) -> KernelGeometry:
        if mode not in ("paper", "exact"):
            raise ValueError(f"acceptance mode must be one of ('paper', 'exact'), got {mode!r}")
        return kernel_geometry(self.type_name, [self.z_center_m, self.radius_m])


register_geometry(Sphere, interval=sphere_interval)  # the one registry line of the geometry


@matrix_element("toy-m23")
@nb.njit(cache=True)
def toy_m23(mp, ma, mb, mc, m12sq, m23sq, params):
    return m23sq
