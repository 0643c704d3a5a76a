"""The e+e- production source: e+e- -> gamma gamma*(-> LLP + partner) with an ISR photon.

* :mod:`.events`: the event generator (ISR radiator, pair cross section from the model, kinematics);
* :mod:`.source`: :class:`~.source.ElectronPositronSource`, the :class:`darkreach.production.ProductionSource` of
  ``electron_positron`` beams (events through the mono-photon selection of :mod:`darkreach.bounds.ee_monophoton`).
"""

from __future__ import annotations

from darkreach.production.electron_positron.events import (
    EEEvents,
    PhotonAcceptance,
    generate_ee_events,
    isr_cross_section,
    isr_radiator,
)

__all__ = ["EEEvents", "PhotonAcceptance", "generate_ee_events", "isr_cross_section", "isr_radiator"]
