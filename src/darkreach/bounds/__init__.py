"""Existing bounds on the dark sectors of paper 000 (sec. 4.2) that are not meson-decay beam dumps.

* :mod:`darkreach.bounds.ee_monophoton`: the BaBar recast, e+e- -> gamma chi1 chi2 followed by
  chi2 -> chi1 gamma at sqrt(s) = 10.58 GeV (sensitivity: 10 signal events in 60 fb^-1): the mono-photon
  selection and counting on the events of the e+e- production source (:mod:`darkreach.production.electron_positron`).

Computed bounds (a registry, :mod:`darkreach.bounds.base`; one module per bound: :mod:`.lep_monophoton`,
:mod:`.quarkonium`, :mod:`.dark_photon`; the experiment-backed :mod:`.experiment_bounds`) give the excluded
intervals of a model's scanned coupling at one point; :mod:`.tables` writes them as contour tables.

The signal-count limits of the beam-dump bounds (BEBC, NuCal, CHARM-II) are in :mod:`darkreach.bounds.statistics`.
"""

from darkreach.bounds.base import BOUND_KINDS, Bound, Excluded, bound_class, bound_names, get_bound, register_bound

__all__ = ["BOUND_KINDS", "Bound", "Excluded", "bound_class", "bound_names", "get_bound", "register_bound"]
