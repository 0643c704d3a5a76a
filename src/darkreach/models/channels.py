"""Channel builders shared by the models: production from meson decays and the common LLP decays.

Every model turns per-meson widths at unit coupling into :class:`~darkreach.models.base.TwoBodyProduction` or
:class:`~darkreach.models.base.ThreeBodyProduction` channels in the same way - one channel per meson whose
channel is open (width > 0), in a fixed meson order - and the dipole models share the decay into one photon.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from darkreach.models.base import DecayChannel, ProductionChannel, ThreeBodyProduction, TwoBodyProduction


def two_body_production(
    mesons: Iterable[str],
    width_unit: Callable[[str], float],
    m_llp: float,
    m_partner: float,
    n_llp: float = 1.0,
) -> list[ProductionChannel]:
    """M -> LLP + partner (isotropic) for every meson of ``mesons`` whose ``width_unit(meson)`` is positive.

    A closed channel (width exactly 0) is absent; ``n_llp`` counts LLPs per decay (2 when the charge-conjugate
    channel has the same width and kinematics).
    """
    channels: list[ProductionChannel] = []
    for meson in mesons:
        width = width_unit(meson)
        if width > 0.0:
            channels.append(
                TwoBodyProduction(meson=meson, width_unit=width, m_llp=m_llp, m_partner=m_partner, n_llp=n_llp)
            )
    return channels


def three_body_production(
    mesons: Iterable[str],
    width_unit: Callable[[str], float],
    masses: tuple[float, float, float] | Callable[[str], tuple[float, float, float]],
    matrix_element: int,
    me_params: Callable[[str], tuple[float, ...]],
    llp_index: int = 2,
    n_llp: float = 1.0,
) -> list[ProductionChannel]:
    """M -> p1 p2 p3 with a Dalitz |M|^2 (registered ``matrix_element`` code) for every meson with a positive width.

    ``masses`` (the daughters in the matrix element's labels) and ``me_params`` may depend on the meson;
    ``llp_index`` picks the LLP among them (p3 by default).
    """
    channels: list[ProductionChannel] = []
    for meson in mesons:
        width = width_unit(meson)
        if width > 0.0:
            channels.append(
                ThreeBodyProduction(
                    meson=meson,
                    width_unit=width,
                    masses=masses(meson) if callable(masses) else masses,
                    llp_index=llp_index,
                    matrix_element=matrix_element,
                    me_params=me_params(meson),
                    n_llp=n_llp,
                )
            )
    return channels


def photon_decay(name: str, m_partner: float) -> list[DecayChannel]:
    """LLP -> partner + gamma as the only decay (branching ratio 1); the photon (index 1) is the signal."""
    return [DecayChannel(name=name, branching_ratio=1.0, daughter_masses=(m_partner, 0.0), visible=(1,))]
