"""Widths of the inelastic dark scalars of paper 003 under their former single-module name.

The code lives in :mod:`darkreach.models.inelastic_scalar`, split by job (couplings, production, decays, Z',
numerics); this module re-exports its public functions and constants so that ``from
darkreach.models.scalar_widths import ...`` and ``python -m darkreach.models.scalar_widths`` keep working.
"""

from __future__ import annotations

from darkreach.constants import E_CHARGE, ctau_from_width
from darkreach.models.inelastic_scalar.couplings import (
    ANOMALY_PSEUDOSCALARS,
    CHARGED_LEPTONS,
    CHARGED_PSEUDOSCALARS,
    DEMOCRATIC,
    F_PAPER,
    FERMIONS,
    LIGHT_VECTORS,
    N_COLOURS,
    NEUTRINOS,
    PRODUCTION_MESONS,
    QUARKONIA,
    QUARKS,
    ScalarCouplings,
    charged_meson_coupling,
    charged_pseudoscalar_mass,
    colour_factor,
    fermion_charge,
    fermion_mass,
    light_vector_decay_constant,
    pseudoscalar_axial_coupling,
    pseudoscalar_vector_coupling,
    quarkonium_quark_decay_constant,
    vector_decay_constant,
)
from darkreach.models.inelastic_scalar.decays import (
    CHPT_CHANNELS,
    PAPER_CTAU_BENCHMARKS,
    PAPER_NEUTRINO_FACTOR,
    PHI2_CHANNELS,
    PQCD_CHANNELS,
    PQCD_THRESHOLD,
    NeutrinoConvention,
    _report,
    phi2_branching_ratios,
    phi2_channel_widths,
    phi2_ctau_m,
    phi2_to_phi1_ff_dgamma_ds,
    phi2_to_phi1_ff_width,
    phi2_to_phi1_gamma_p_dgamma_ds,
    phi2_to_phi1_gamma_p_width,
    phi2_to_phi1_pp_dgamma_ds,
    phi2_to_phi1_pp_width,
    phi2_to_phi1_vector_width,
    phi2_total_width,
    uses_pqcd,
)
from darkreach.models.inelastic_scalar.numerics import a_function, kallen, m2_from_delta
from darkreach.models.inelastic_scalar.production import (
    meson_branching_ratios,
    meson_widths,
    pseudoscalar_to_phi1phi2gamma_dgamma_ds,
    pseudoscalar_to_phi1phi2gamma_width,
    vector_to_phi1phi2_width,
)
from darkreach.models.inelastic_scalar.zprime import (
    couplings_from_dark_photon,
    couplings_from_gauge,
    couplings_from_zprime,
    dark_photon_vector_couplings,
    zprime_channel_widths,
    zprime_chiral_couplings,
    zprime_width_ff,
    zprime_width_phi1phi2,
)

__all__ = [name for name in dir() if not name.startswith("_") and name != "annotations"]

if __name__ == "__main__":  # pragma: no cover
    _report()
