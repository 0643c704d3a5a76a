"""A collider beam's parton-sample settings (config ``beams.<name>.partons``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PartonSettings"]


@dataclass(frozen=True)
class PartonSettings:
    """How the beam's reference parton sample is generated (:mod:`darkreach.production.partons.reference`).

    Attributes
    ----------
    events_per_shard, shards
        PYTHIA events per shard and shards (own seeds); the merged sample has their product.
    mhat_min_gev
        the lowest sqrt(s_hat) generated (PYTHIA's default ``PhaseSpace:mHatMin`` is 4 GeV: below it the PDFs at
        Q^2 = s_hat are frozen and the parton picture fails); pairs lighter than that start at it.
    isr
        switch on PYTHIA's initial-state radiation (no MPI, FSR, hadronisation).
    events_per_point
        events of the sample each point sends through the detector chain, thinned in proportion to their
        reweighting factor (:mod:`darkreach.production.partons.reweight`); not a generation setting (it does not
        enter the sample's content hash).
    """

    events_per_shard: int = 25000
    shards: int = 8
    mhat_min_gev: float = 4.0
    isr: bool = False
    events_per_point: int = 60000

    def __post_init__(self) -> None:
        if self.events_per_shard < 1 or self.shards < 1 or self.events_per_point < 1:
            raise ValueError(f"events_per_shard, shards and events_per_point must be at least 1, got "
                             f"{self.events_per_shard!r}, {self.shards!r}, {self.events_per_point!r}")  # fmt: skip
        if not self.mhat_min_gev > 0.0:
            raise ValueError(f"mhat_min_gev must be positive, got {self.mhat_min_gev!r}")

    @property
    def events(self) -> int:
        """Events of the merged sample."""
        return self.events_per_shard * self.shards

    @classmethod
    def from_mapping(cls, source: Any, key: str) -> PartonSettings:
        """The settings of config entry ``key`` (``beams.<name>.partons``); errors name the key and the value."""
        from darkreach.config.reading import fail, integer, mapping, number

        block = mapping(source, key)
        known = ("events_per_shard", "shards", "mhat_min_gev", "isr", "events_per_point")
        unknown = sorted(set(block) - set(known))
        if unknown:
            raise fail(f"{key}.{unknown[0]}", f"unknown key (known: {', '.join(known)})", block[unknown[0]])
        isr = block.get("isr", False)
        if not isinstance(isr, bool):
            raise fail(f"{key}.isr", "must be true or false", isr)
        return cls(
            events_per_shard=integer(block.get("events_per_shard", cls.events_per_shard), f"{key}.events_per_shard", 1),
            shards=integer(block.get("shards", cls.shards), f"{key}.shards", 1),
            mhat_min_gev=number(block.get("mhat_min_gev", cls.mhat_min_gev), f"{key}.mhat_min_gev", positive=True),
            isr=isr,
            events_per_point=integer(block.get("events_per_point", cls.events_per_point), f"{key}.events_per_point", 1),
        )

    def as_dict(self) -> Mapping[str, Any]:
        """The generation settings as a config mapping (without ``events_per_point``)."""
        return {"events_per_shard": self.events_per_shard, "shards": self.shards,
                "mhat_min_gev": self.mhat_min_gev, "isr": self.isr}  # fmt: skip
