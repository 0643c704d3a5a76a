"""The interface every dark-sector model implements.

A model is one module that subclasses :class:`DarkSectorModel` and registers itself with
:func:`darkreach.models.register_model`. It says

* which parameters fix a benchmark point (``parameters``) and which coupling is scanned;
* the total width of the long-lived particle (LLP) and how widths scale with the coupling;
* its production channels from mesons (two-body or three-body, with a matrix element for the latter);
* its LLP decay channels, the branching ratio of each, and which daughters are visible.

Everything downstream (kernels, geometry, yields, contours, CLI) only talks to this interface.
"""

from __future__ import annotations

import abc
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from darkreach.constants import ctau_from_width
from darkreach.mesons import meson as meson_spec

Point = Mapping[str, float | str]

#: Reserved benchmark key naming the parameter on the horizontal axis (default: the model's mass).
AXIS_KEY = "axis"


@dataclass(frozen=True)
class TwoBodyProduction:
    """Meson -> LLP + partner, isotropic in the meson rest frame (unpolarised meson)."""

    meson: str
    width_unit: float
    """Partial width in GeV at unit coupling (the scan variable set to 1 in its unit)."""
    m_llp: float
    m_partner: float
    n_llp: float = 1.0
    """LLPs counted per decay (2 when the charge-conjugate channel has the same width and kinematics)."""


@dataclass(frozen=True)
class ThreeBodyProduction:
    """Meson -> p1 p2 p3 with a Dalitz density |M|^2(m12^2, m23^2) evaluated in a numba kernel.

    ``masses`` follow the paper's labels (p1, p2, p3); ``llp_index`` picks which of them is the LLP;
    ``matrix_element`` is a code from :mod:`darkreach.kinematics.matrix_elements`, ``me_params`` its
    parameters. The LLP must be p2 or p3 so that m23 is the invariant mass of the pair containing it.
    """

    meson: str
    width_unit: float
    masses: tuple[float, float, float]
    llp_index: int
    matrix_element: int
    me_params: tuple[float, ...]
    n_llp: float = 1.0


ProductionChannel = TwoBodyProduction | ThreeBodyProduction


@dataclass(frozen=True)
class DecayChannel:
    """One LLP decay channel.

    ``daughter_masses`` are the masses of the two (or three) daughters; ``visible`` lists the indices of
    the daughters that can make the signal (the most energetic of them must pass the energy threshold and,
    in ``exact`` mode, reach the detector); an empty ``visible`` marks an invisible channel (e.g. into
    neutrinos), which counts in the width and the branching ratios but never as signal; ``efficiency`` is the per-channel reconstruction efficiency epsilon_i of eq. (2.5) of
    paper 003: the model's default, which an experiment's ``channel_efficiencies`` replaces.
    """

    name: str
    branching_ratio: float
    daughter_masses: tuple[float, ...]
    visible: tuple[int, ...]
    efficiency: float = 1.0
    matrix_element: int = 0
    """Three-body decays: code from :mod:`darkreach.kinematics.matrix_elements` (0 = flat phase space)."""
    me_params: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if len(self.daughter_masses) not in (2, 3):
            raise ValueError(f"decay channel {self.name!r}: need 2 or 3 daughters, got {self.daughter_masses!r}")
        if any(not 0 <= v < len(self.daughter_masses) for v in self.visible):
            raise ValueError(f"decay channel {self.name!r}: visible indices {self.visible!r} out of range")


@dataclass(frozen=True)
class ScanSpec:
    """How the scanned coupling enters: every width is Gamma(c) = Gamma(1) * c**power.

    ``cli_option`` is the command-line option that sets it (``--coupling`` for a dipole d, ``--lambda`` for a
    suppression scale); ``search_range`` the interval ``darkreach reach`` scans.
    """

    name: str
    unit: str
    power: float
    description: str = ""
    cli_option: str = "--coupling"
    search_range: tuple[float, float] = (1e-14, 1e2)


class DarkSectorModel(abc.ABC):
    """Base class of every model; see the module docstring."""

    #: Registry name (``idm-dipole``...).
    name: str = ""
    #: Names of the parameters that fix a benchmark point (besides the scanned coupling).
    parameters: tuple[str, ...] = ()
    #: Parameters among ``parameters`` that have a default and may be omitted.
    optional_parameters: tuple[str, ...] = ()
    #: The parameter on the horizontal axis of the sensitivity plots (a mass in GeV), unless a benchmark
    #: names another one with its ``axis`` key.
    mass_parameter: str = "m1"
    #: Units of the parameters that can be put on the horizontal axis ("" = dimensionless).
    parameter_units: Mapping[str, str] = {"m1": "GeV"}
    #: Parameters a benchmark may give in place of a model parameter: alias -> the parameter it fixes
    #: (e.g. ``{"m2": "m1"}``: the heavier mass fixes m1 through delta); :meth:`resolve_point` converts.
    alias_parameters: Mapping[str, str] = {}
    #: The scanned coupling.
    scan: ScanSpec

    # ----------------------------------------------------------------- benchmarks and axes
    def axis_parameter(self, benchmark: Point) -> str:
        """The parameter a benchmark is scanned along: its ``axis`` entry, else :attr:`mass_parameter`."""
        axis = benchmark.get(AXIS_KEY, self.mass_parameter)
        if axis not in self.parameters:
            raise ValueError(f"axis {axis!r} is not a parameter of model {self.name!r}: {self.parameters}")
        return str(axis)

    def axis_unit(self, benchmark: Point) -> str:
        """Unit of the benchmark's axis parameter (GeV for masses, "" for ratios such as delta)."""
        return self.parameter_units.get(self.axis_parameter(benchmark), "")

    def point_at(self, benchmark: Point, x: float) -> dict[str, float | str]:
        """The full model point of ``benchmark`` at axis value ``x`` (aliases resolved)."""
        axis = self.axis_parameter(benchmark)
        point = {k: v for k, v in benchmark.items() if k != AXIS_KEY}
        point[axis] = float(x)
        return self.resolve_point(point)

    def resolve_point(self, point: Point) -> dict[str, float | str]:
        """Replace alias parameters by model parameters; models with aliases override this."""
        unknown = sorted(set(point) & set(self.alias_parameters))
        if unknown:  # pragma: no cover - a model declaring aliases must override resolve_point
            raise NotImplementedError(f"model {self.name!r} declares aliases {unknown} but does not resolve them")
        return dict(point)

    # ----------------------------------------------------------------- point handling
    @abc.abstractmethod
    def validate_point(self, point: Point) -> None:
        """Raise ``ValueError`` naming the parameter and value if ``point`` is unphysical."""

    @abc.abstractmethod
    def llp_mass(self, point: Point) -> float:
        """Mass of the long-lived particle in GeV."""

    @abc.abstractmethod
    def llp_width_unit(self, point: Point) -> float:
        """Total LLP width in GeV at unit coupling."""

    @abc.abstractmethod
    def production_channels(self, point: Point) -> Sequence[ProductionChannel]:
        """All open production channels (a closed channel is simply absent)."""

    @abc.abstractmethod
    def decay_channels(self, point: Point) -> Sequence[DecayChannel]:
        """All open LLP decay channels; branching ratios sum to one (or to zero if none is open)."""

    # ----------------------------------------------------------------- derived quantities
    def llp_width(self, point: Point, coupling: float) -> float:
        """Total LLP width in GeV at the given coupling."""
        self._check_coupling(coupling)
        return self.llp_width_unit(point) * coupling**self.scan.power

    def llp_ctau(self, point: Point, coupling: float) -> float:
        """Proper decay length c*tau of the LLP in metres (``inf`` when no decay is open)."""
        return ctau_from_width(self.llp_width(point, coupling))

    def production_width(self, meson: str, point: Point, coupling: float) -> float:
        """Sum of the partial widths of ``meson`` into dark states, times LLPs per decay, in GeV."""
        self._check_coupling(coupling)
        unit = sum(ch.width_unit * ch.n_llp for ch in self.production_channels(point) if ch.meson == meson)
        return unit * coupling**self.scan.power

    def branching_ratio(self, meson: str, point: Point, coupling: float) -> float:
        """Branching ratio of ``meson`` into the dark states (LLPs per meson decay).

        The dark width is added to the Standard Model total width, BR = G_dark / (G_SM + G_dark); for
        the couplings of interest this is the linear BR proportional to the coupling^power.
        """
        dark = self.production_width(meson, point, coupling)
        return dark / (meson_spec(meson).width + dark)

    def _check_coupling(self, coupling: float) -> None:
        if not (coupling > 0.0 and math.isfinite(coupling)):
            raise ValueError(f"{self.scan.name} must be positive and finite, got {coupling!r}")
