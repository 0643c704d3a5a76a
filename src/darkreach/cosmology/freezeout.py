"""Freeze-out: the Boltzmann equation for the yield Y = n/s of a set of co-annihilating species.

With x = M_1/T and every species kept in chemical equilibrium with the others (Griest & Seckel, Phys. Rev. D
43 (1991) 3191, ref. [75] of paper 000), the total yield obeys (Gondolo & Gelmini, Nucl. Phys. B 360 (1991)
145, eq. (3.18); Edsjo & Gondolo, Phys. Rev. D 56 (1997) 1879, eq. (6))::

    dY/dx = - sqrt(pi/45) M_Pl g*^{1/2}(T) M_1 / x^2 <sigma_eff v>(x) (Y^2 - Y_eq^2),
    Y_eq(x) = 45/(4 pi^4 h_eff(T)) sum_i g_i (M_i/T)^2 K_2(M_i/T)      (Maxwell-Boltzmann statistics),

and today Omega h^2 = (M_1 s_0 / (rho_c/h^2)) Y_inf, every heavier species having decayed into the lightest.
It is solved for ln Y in ln x with an implicit (Radau) method from x = 1, where Y = Y_eq, to x = 1e4, far past
freeze-out (for an s-wave rate, what annihilates after x = 1e4 is ~0.2 % of Y_inf for x_f ~ 20).

Constants (GeV units): M_Pl = 1.220890e19 GeV (PDG 2024); T_0 = 2.7255 K (FIRAS, Fixsen 2009);
rho_c/h^2 = 1.05371e-5 GeV cm^-3 (PDG 2024 astrophysical constants); s_0 = 2 pi^2/45 h_eff(T_0) T_0^3 with
h_eff(T_0) of the degrees-of-freedom table. Omega h^2 / (M_1/GeV Y_inf) = :data:`OMEGA_PER_YIELD` = 2.76e8,
the 2.755e8 usually quoted (e.g. Edsjo & Gondolo 1997) with T_0 = 2.726 K and h_eff = 3.91.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.constants as _sc
from numpy.typing import NDArray
from scipy import integrate, special

from darkreach.cosmology.dof import DegreesOfFreedom, sm_degrees_of_freedom

__all__ = [
    "GEV2_TO_CM3_PER_S",
    "M_PLANCK",
    "OMEGA_DM_H2",
    "FreezeOut",
    "Species",
    "log_yield_eq",
    "omega_per_yield",
    "solve_freeze_out",
]

#: Planck mass in GeV (PDG 2024).
M_PLANCK = 1.220890e19
#: CMB temperature today in K (Fixsen 2009).
T_CMB_K = 2.7255
#: Critical density over h^2 in GeV cm^-3 (PDG 2024).
RHO_CRIT_H2 = 1.05371e-5
#: Omega_DM h^2 of Planck 2018 (ref. [74] of paper 000): 0.120 +- 0.001.
OMEGA_DM_H2 = 0.12
#: 1 GeV^-2 times c in cm^3/s: (hbar c)^2 c.
_HBARC_GEV_CM = _sc.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e-3 * 1e-13
GEV2_TO_CM3_PER_S = _HBARC_GEV_CM**2 * _sc.c * 100.0
#: ln x range of the integration.
X_START, X_END = 1.0, 1.0e4
#: Points of the ln x grid on which the rate and Y_eq are tabulated; floor of ln lambda (a vanishing rate).
_GRID_POINTS, _LOG_TINY = 4000, -700.0
#: Largest exponent evaluated in the right-hand side (e^300 ~ 1e130: its square still finite in norms).
_EXP_CAP = 300.0


def omega_per_yield(dof: DegreesOfFreedom | None = None) -> float:
    """Omega h^2 per (M_1/GeV) Y_inf: s_0 / (rho_c/h^2), with s_0 from T_0 and h_eff(T_0)."""
    dof = dof or sm_degrees_of_freedom()
    t0 = T_CMB_K * _sc.physical_constants["Boltzmann constant in eV/K"][0] * 1e-9  # GeV
    s0_gev3 = 2.0 * math.pi**2 / 45.0 * float(dof.h_eff(t0)) * t0**3
    return s0_gev3 / _HBARC_GEV_CM**3 / RHO_CRIT_H2


@dataclass(frozen=True)
class Species:
    """One co-annihilating species: internal degrees of freedom ``g`` and mass in GeV."""

    g: float
    mass: float

    def __post_init__(self) -> None:
        if not (self.g > 0 and math.isfinite(self.g)):
            raise ValueError(f"species degrees of freedom must be positive, got g = {self.g!r}")
        if not (self.mass > 0 and math.isfinite(self.mass)):
            raise ValueError(f"species mass must be positive and finite (GeV), got {self.mass!r}")


def log_yield_eq(x: NDArray[np.float64], species: Sequence[Species], dof: DegreesOfFreedom) -> NDArray[np.float64]:
    """ln Y_eq(x) of the module docstring, x = M_1/T with M_1 the first (lightest) species' mass."""
    m1 = species[0].mass
    t = m1 / x
    # sum_i g_i (M_i/T)^2 K2(M_i/T) = e^{-x} sum_i g_i x_i^2 k2e(x_i) e^{-(x_i - x)}, without underflow
    total = np.zeros_like(x)
    for sp in species:
        xi = sp.mass / t
        total = total + sp.g * xi**2 * special.kve(2, xi) * np.exp(-(xi - x))
    return np.log(45.0 / (4.0 * math.pi**4)) - np.log(dof.h_eff(t)) - x + np.log(total)


@dataclass(frozen=True)
class FreezeOut:
    """Result of :func:`solve_freeze_out`: Y today, Omega h^2 and the freeze-out point x_f (Y = 2.5 Y_eq)."""

    yield_today: float
    omega_h2: float
    x_freeze_out: float


def solve_freeze_out(
    species: Sequence[Species],
    log_sigma_v: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    dof: DegreesOfFreedom | None = None,
) -> FreezeOut:
    """Solve the Boltzmann equation of the module docstring.

    Parameters
    ----------
    species
        The co-annihilating species, lightest first (x = M_1/T).
    log_sigma_v
        x -> ln(<sigma_eff v>(x) / GeV^-2), elementwise on arrays (-inf where the rate vanishes).
    dof
        Degrees of freedom of the bath; default the Standard Model table.

    Returns
    -------
    FreezeOut
        Y today, Omega h^2 = :func:`omega_per_yield` (M_1/GeV) Y and x_f where Y first exceeds 2.5 Y_eq.
    """
    if not species:
        raise ValueError("freeze-out needs at least one species")
    if any(sp.mass < species[0].mass for sp in species[1:]):
        raise ValueError(f"the first species must be the lightest, got masses {[sp.mass for sp in species]}")
    dof = dof or sm_degrees_of_freedom()
    m1 = species[0].mass
    prefactor = math.sqrt(math.pi / 45.0) * M_PLANCK * m1

    # lambda(x) with dY/dln x = -lambda (Y^2 - Y_eq^2), i.e. prefactor g*^{1/2} <sigma v> / x, and ln Y_eq,
    # tabulated once on a fine grid in ln x (the solver then interpolates: cheap right-hand sides)
    t_grid = np.linspace(math.log(X_START), math.log(X_END), _GRID_POINTS)
    x_grid = np.exp(t_grid)
    log_sv = np.asarray(log_sigma_v(x_grid), dtype=np.float64)
    if log_sv.shape != x_grid.shape or np.any(np.isnan(log_sv)) or np.any(log_sv == np.inf):
        raise ValueError("log_sigma_v must return finite values or -inf, elementwise on its argument")
    log_lam = np.maximum(np.log(prefactor * dof.sqrt_gstar(m1 / x_grid) / x_grid) + log_sv, _LOG_TINY)
    log_yeq = log_yield_eq(x_grid, species, dof)

    # Y^2 - Y_eq^2 over Y = e^y (Y - Y_eq^2/Y); the exponents are capped at 300 so that a trial step of the
    # implicit solver far from the solution (Y < 1e-150 Y_eq) stays finite (such a step is rejected anyway)
    def terms(t: float, y: float) -> tuple[float, float, float]:
        lam = math.exp(float(np.interp(t, t_grid, log_lam)))
        yeq = float(np.interp(t, t_grid, log_yeq))
        return lam, math.exp(min(y, _EXP_CAP)), math.exp(min(2.0 * yeq - y, _EXP_CAP))

    def rhs(t: float, y: NDArray[np.float64]) -> NDArray[np.float64]:
        lam, up, down = terms(t, float(y[0]))
        return np.array([-lam * (up - down)])

    def jac(t: float, y: NDArray[np.float64]) -> NDArray[np.float64]:
        lam, up, down = terms(t, float(y[0]))
        return np.array([[-lam * (up + down)]])

    y0 = float(log_yield_eq(np.array([X_START]), species, dof)[0])
    # rtol 1e-4 on ln Y: the relic coupling moves by < 1e-4 against rtol 1e-6 (five masses and deltas of the
    # dipole model), far below the ~10 % of the R(s) parametrisation, at half the cost of the relic lines
    sol = integrate.solve_ivp(
        rhs,
        (math.log(X_START), math.log(X_END)),
        [y0],
        method="Radau",
        jac=jac,
        rtol=1e-4,
        atol=1e-9,
        dense_output=True,
    )
    if not sol.success:
        raise RuntimeError(f"Boltzmann equation did not converge: {sol.message}")
    y_today = math.exp(float(sol.y[0, -1]))
    # x_f: first grid point where Y > 2.5 Y_eq (the usual definition of the freeze-out point)
    gap = sol.sol(t_grid)[0] - log_yeq
    above = np.nonzero(gap > math.log(2.5))[0]
    x_f = float(np.exp(t_grid[above[0]])) if above.size else math.inf
    omega = omega_per_yield(dof) * m1 * y_today
    if not math.isfinite(omega):
        raise RuntimeError(f"Omega h^2 is not finite ({omega!r}) for species {list(species)}")
    return FreezeOut(yield_today=y_today, omega_h2=omega, x_freeze_out=x_f)
