"""An experiment's parton-production settings (config ``experiments.<name>.partons``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PartonSettings"]


@dataclass(frozen=True)
class PartonSettings:
    """How the parton source samples each point (:mod:`darkreach.production.partons.generator`).

    Attributes
    ----------
    events
        PYTHIA events per simulated point (split evenly over the slices); every call of the source's
        ``simulate`` generates this many, whatever the meson count it is asked for.
    slices
        log-spaced sqrt(s_hat) slices (``PhaseSpace:mHatMin/mHatMax``).
    mhat_min_gev
        the lowest sqrt(s_hat) generated (PYTHIA's default ``PhaseSpace:mHatMin`` is 4 GeV: below it the PDFs at
        Q^2 = s_hat are frozen and the parton picture fails); pairs lighter than that start at it.
    isr
        switch on PYTHIA's initial-state radiation (no MPI, FSR, hadronisation).
    """

    events: int = 4000
    slices: int = 8
    mhat_min_gev: float = 4.0
    isr: bool = False

    def __post_init__(self) -> None:
        if self.slices < 1:
            raise ValueError(f"partons.slices must be at least 1, got {self.slices!r}")
        if self.events < self.slices:
            raise ValueError(f"partons.events ({self.events}) must be at least partons.slices ({self.slices})")
        if not self.mhat_min_gev >= 0.0:
            raise ValueError(f"partons.mhat_min_gev must be non-negative, got {self.mhat_min_gev!r}")
