"""Standard Model relativistic degrees of freedom g_eff(T), h_eff(T) and g*^{1/2}(T) for freeze-out.

The table ``darkreach/data/sm_dof.csv`` holds, against the photon temperature T in GeV, the energy-density
degrees of freedom g_eff (rho = pi^2/30 g_eff T^4), the entropy degrees of freedom h_eff (s = 2 pi^2/45
h_eff T^3) and the combination of Gondolo & Gelmini, Nucl. Phys. B 360 (1991) 145, eq. (3.19)::

    g*^{1/2} = h_eff / sqrt(g_eff) * (1 + T/(3 h_eff) dh_eff/dT),

which enters the Boltzmann equation in x = M/T. Source: the table shipped by the PyPI package hazma 2.2.0
(file ``hazma/relic_density/smdof.dat``, MIT License, notice reproduced in the data file); no installed or
PyPI package of our dependency set provides g*(T), and hazma itself would bring matplotlib, scikit-image and
a compiled core for one table, so the 275 rows are vendored instead. Between rows: monotone cubic (PCHIP)
interpolation in log T; outside the table (T < 20 keV or T > 12.6 TeV) the end values, which are the
asymptotic ones (3.94/3.38 today with neutrino heating, 106.83 above the electroweak scale).
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.interpolate import PchipInterpolator

__all__ = ["DegreesOfFreedom", "sm_degrees_of_freedom"]

_TABLE = "sm_dof.csv"


class DegreesOfFreedom:
    """Interpolated g_eff(T), h_eff(T) and g*^{1/2}(T) of a table (temperatures in GeV, strictly increasing).

    Parameters
    ----------
    temperature_gev, sqrt_gstar, h_eff, g_eff
        The table's columns; every value finite and positive.
    source
        Where the table comes from (for provenance headers).
    """

    def __init__(
        self,
        temperature_gev: ArrayLike,
        sqrt_gstar: ArrayLike,
        h_eff: ArrayLike,
        g_eff: ArrayLike,
        source: str,
    ) -> None:
        cols = [np.asarray(c, dtype=np.float64) for c in (temperature_gev, sqrt_gstar, h_eff, g_eff)]
        n = cols[0].size
        for name, col in zip(("T", "sqrt_gstar", "h_eff", "g_eff"), cols, strict=True):
            if col.ndim != 1 or col.size != n or n < 4:
                raise ValueError(f"degrees-of-freedom column {name!r} must be 1-d with the table's length (>= 4)")
            if not np.all(np.isfinite(col) & (col > 0.0)):
                raise ValueError(f"degrees-of-freedom column {name!r} must be finite and positive")
        if not np.all(np.diff(cols[0]) > 0.0):
            raise ValueError("degrees-of-freedom temperatures must be strictly increasing")
        self.source = source
        self._log_t = np.log(cols[0])
        self._t_range = (float(cols[0][0]), float(cols[0][-1]))
        self._interp = [PchipInterpolator(self._log_t, c, extrapolate=False) for c in cols[1:]]

    def _eval(self, which: int, temperature_gev: ArrayLike) -> NDArray[np.float64]:
        t = np.asarray(temperature_gev, dtype=np.float64)
        if not np.all(np.isfinite(t) & (t > 0.0)):
            raise ValueError(f"temperature must be positive and finite (GeV), got {temperature_gev!r}")
        log_t = np.clip(np.log(t), self._log_t[0], self._log_t[-1])
        return np.asarray(self._interp[which](log_t), dtype=np.float64)

    def sqrt_gstar(self, temperature_gev: ArrayLike) -> NDArray[np.float64]:
        """g*^{1/2}(T) of Gondolo & Gelmini (the factor of the Boltzmann equation in x)."""
        return self._eval(0, temperature_gev)

    def h_eff(self, temperature_gev: ArrayLike) -> NDArray[np.float64]:
        """Entropy degrees of freedom h_eff(T) (often g*s)."""
        return self._eval(1, temperature_gev)

    def g_eff(self, temperature_gev: ArrayLike) -> NDArray[np.float64]:
        """Energy-density degrees of freedom g_eff(T) (often g*)."""
        return self._eval(2, temperature_gev)

    @property
    def temperature_range(self) -> tuple[float, float]:
        """Lowest and highest tabulated temperature in GeV; outside, the end values hold."""
        return self._t_range

    @classmethod
    def constant(cls, g: float) -> DegreesOfFreedom:
        """A bath of ``g`` degrees of freedom at every temperature (h_eff = g_eff = g, g*^{1/2} = sqrt(g))."""
        if not (math.isfinite(g) and g > 0.0):
            raise ValueError(f"degrees of freedom must be positive and finite, got {g!r}")
        t = np.geomspace(1e-9, 1e9, 8)
        return cls(t, np.full(8, math.sqrt(g)), np.full(8, g), np.full(8, g), source=f"constant g = {g}")


@cache
def sm_degrees_of_freedom() -> DegreesOfFreedom:
    """The Standard Model table shipped in ``darkreach/data/sm_dof.csv`` (hazma 2.2.0, MIT License)."""
    text = resources.files("darkreach.data").joinpath(_TABLE).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    header = [h.strip() for h in lines[0].split(",")]
    if header != ["T_GeV", "sqrt_gstar", "h_eff", "g_eff"]:
        raise ValueError(f"{_TABLE}: unexpected header {header!r}")
    data = np.array([[float(v) for v in ln.split(",")] for ln in lines[1:]], dtype=np.float64)
    return DegreesOfFreedom(
        data[:, 0],
        data[:, 1],
        data[:, 2],
        data[:, 3],
        source="Standard Model table of hazma 2.2.0 (hazma/relic_density/smdof.dat, MIT License)",
    )
