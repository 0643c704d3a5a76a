"""The interface every dark-sector model implements.

A model is one module that subclasses :class:`DarkSectorModel` and registers itself with
:func:`darkreach.models.register_model` (or one installed plugin, entry-point group ``darkreach.models``). It says

* which parameters fix a benchmark point (``parameter_specs``: name, type, unit, help, choices, whether
  optional, command-line flag; they drive point validation, the CLI options and the config checks) and which
  coupling is scanned (``scan``);
* the total width of the long-lived particle (LLP) and how widths scale with the coupling;
* its production channels from mesons (two-body or three-body, with a matrix element for the latter);
* its LLP decay channels, the branching ratio of each, and which daughters are visible.

Everything downstream (kernels, geometry, yields, contours, CLI, config checks) only talks to this interface.
Shared channel builders live in :mod:`darkreach.models.channels`.
"""

from __future__ import annotations

import abc
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from darkreach.constants import ctau_from_width
from darkreach.kinematics.matrix_elements import MATRIX_ELEMENTS, is_matrix_element_code
from darkreach.mesons import meson as meson_spec

if TYPE_CHECKING:
    from darkreach.production.partons.process import PartonProcess

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

    def __post_init__(self) -> None:
        _check_matrix_element(self.matrix_element, f"production channel of {self.meson!r}")


def _check_matrix_element(code: int, what: str) -> None:
    if not is_matrix_element_code(code):
        known = ", ".join(f"{e.name} = {e.code}" for e in MATRIX_ELEMENTS.registered().values())
        raise ValueError(f"{what}: unknown matrix-element code {code!r}; registered: {known}")


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
        _check_matrix_element(self.matrix_element, f"decay channel {self.name!r}")


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter of a model's benchmark point, declared once on the model.

    The declarations drive :meth:`DarkSectorModel.validate_point`, the command-line options of ``darkreach``
    (one ``cli_flag`` per parameter; models sharing a flag must agree on its name and type) and the checks of
    the config's benchmarks (which parameters exist, which are optional, which can be a scan axis).

    ``type`` is ``float`` (a positive, finite number - or non-negative with ``allow_zero``, e.g. a coupling that
    may be switched off; ``quantity`` and ``unit`` word the error, e.g. "a positive mass in GeV"), ``str`` (one of ``choices``) or ``dict`` (a mapping - from a YAML/JSON file on the
    command line - that ``check`` validates). ``check`` may further validate any value and raises
    ``ValueError``; ``label`` names the parameter in messages (default ``name``).
    """

    name: str
    type: type = float
    unit: str = ""
    help: str = ""
    choices: tuple[str, ...] | None = None
    optional: bool = False
    cli_flag: str | None = None
    quantity: str = ""
    label: str | None = None
    check: Callable[[Any], object] | None = None
    allow_zero: bool = False

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"parameter name must be an identifier, got {self.name!r}")
        if self.type not in (float, str, dict):
            raise ValueError(f"parameter {self.name!r}: type must be float, str or dict, got {self.type!r}")
        if self.choices is not None and self.type is not str:
            raise ValueError(f"parameter {self.name!r}: choices need type str")
        if self.allow_zero and self.type is not float:
            raise ValueError(f"parameter {self.name!r}: allow_zero needs type float")
        if not self.flag.startswith("--") or len(self.flag) < 3:
            raise ValueError(f"parameter {self.name!r}: cli_flag must look like '--name', got {self.flag!r}")

    @property
    def flag(self) -> str:
        """The command-line option (``cli_flag``, default ``--<name>``)."""
        return self.cli_flag or f"--{self.name}"

    @property
    def numeric(self) -> bool:
        """Whether the parameter is a number (only numbers can be put on a scan axis)."""
        return self.type is float

    def validate(self, value: Any) -> None:
        """Raise ``ValueError`` naming the parameter and the value if ``value`` is not acceptable."""
        label = self.label or self.name
        if self.type is float:
            number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            if not (number and (value > 0 or (self.allow_zero and value == 0))):
                sign = "non-negative" if self.allow_zero else "positive"
                noun = f"a {sign} {self.quantity}" if self.quantity else sign
                unit = f" in {self.unit}" if self.unit else ""
                raise ValueError(f"{label} must be {noun}{unit}, got {value!r}")
        elif self.type is str:
            if self.choices is not None and value not in self.choices:
                raise ValueError(f"{label} must be one of {', '.join(self.choices)}, got {value!r}")
            if self.choices is None and not isinstance(value, str):
                raise ValueError(f"{label} must be a string, got {value!r}")
        if self.check is not None:
            try:
                self.check(value)
            except ValueError as err:
                raise ValueError(f"{label}: {err}") from None


#: Declarations shared by the models of both papers: the lighter mass M1 and the splitting delta (eq. 2.2 of
#: paper 000, eq. 1.3 of paper 003).
M1 = ParameterSpec("m1", float, "GeV", "mass of the lighter dark state M1 in GeV", quantity="mass")
DELTA = ParameterSpec("delta", float, "", "relative mass splitting (M2 - M1)/M1")


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
    #: The parameters that fix a benchmark point (besides the scanned coupling), declared once.
    parameter_specs: tuple[ParameterSpec, ...] = ()
    #: Derived from ``parameter_specs`` when the class is defined: their names, ...
    parameters: tuple[str, ...] = ()
    #: ... those that have a default and may be omitted, ...
    optional_parameters: tuple[str, ...] = ()
    #: ... and the units of the numeric ones ("" = dimensionless), e.g. for the horizontal axis.
    parameter_units: Mapping[str, str] = {}
    #: The parameter on the horizontal axis of the sensitivity plots (a mass in GeV), unless a benchmark
    #: names another one with its ``axis`` key.
    mass_parameter: str = "m1"
    #: Parameters a benchmark may give in place of a model parameter: alias -> the parameter it fixes
    #: (e.g. ``{"m2": "m1"}``: the heavier mass fixes m1 through delta); :meth:`resolve_point` converts.
    alias_parameters: Mapping[str, str] = {}
    #: The scanned coupling.
    scan: ScanSpec
    #: e+e- production, for the mono-photon bound of :mod:`darkreach.bounds.ee_monophoton`: a method
    #: ``ee_pair_cross_section_unit(point, sqrt_s)`` giving sigma(e+e- -> LLP + partner) through one photon in
    #: GeV^-2 at unit coupling, evaluating a numpy array of sqrt(s) elementwise. ``None`` (the default): the
    #: model has no e+e- production, and e+e- experiments do not apply to it (:meth:`has_ee_production`).
    ee_pair_cross_section_unit: Callable[..., Any] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "parameter_specs" in cls.__dict__:
            specs = cls.parameter_specs
            cls.parameters = tuple(spec.name for spec in specs)
            cls.optional_parameters = tuple(spec.name for spec in specs if spec.optional)
            cls.parameter_units = {spec.name: spec.unit for spec in specs if spec.numeric}

    def parameter_spec(self, name: str) -> ParameterSpec:
        """The declaration of parameter ``name`` (``KeyError`` listing the model's parameters)."""
        for spec in self.parameter_specs:
            if spec.name == name:
                return spec
        raise KeyError(f"{name!r} is not a parameter of model {self.name!r}: {self.parameters}")

    def parton_process(self, point: Point) -> PartonProcess | None:
        """The model's q qbar -> phi1 phi2 process at ``point`` for the parton source
        (:class:`darkreach.production.partons.process.PartonProcess`: quark couplings, contact operator or
        s-channel mediator, scaling with the scanned coupling, EFT cut), or None: no parton-level production
        (the default). See docs/extending.md."""
        return None

    def has_parton_production(self) -> bool:
        """Whether the model overrides :meth:`parton_process` (pp experiments may then list ``partons``)."""
        return type(self).parton_process is not DarkSectorModel.parton_process

    def has_ee_production(self) -> bool:
        """Whether the model provides :attr:`ee_pair_cross_section_unit` (e+e- experiments apply to it)."""
        return callable(self.ee_pair_cross_section_unit)

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
    def validate_point(self, point: Point) -> None:
        """Raise ``ValueError`` naming the parameter and value if ``point`` is unphysical.

        Checks every declared parameter (present unless optional, then :meth:`ParameterSpec.validate`); a model
        with constraints between parameters overrides this and calls ``super().validate_point(point)`` first.
        """
        for spec in self.parameter_specs:
            if spec.name not in point and not spec.optional:
                raise ValueError(f"{self.name} needs parameter {spec.name!r}")
        for spec in self.parameter_specs:
            if spec.name in point and not (spec.optional and point[spec.name] is None):
                spec.validate(point[spec.name])

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
