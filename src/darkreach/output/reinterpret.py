"""Reinterpretation of finished contours: from EFT contours in Lambda to the Z' model of paper 003, a heavy Z'
(sec. 4.1) or a dark photon (sec. 4.2). (The Z' widths of appendix B are physics of the model and stay in
:mod:`darkreach.models.inelastic_scalar.zprime`.)

Integrating out the Z' of eq. (1.4) gives the EFT of eq. (1.7) with (eq. 4.1)

    c_fL / Lambda^2 = g_phi g_L^f / M_Z'^2,        c_fR / Lambda^2 = g_phi g_R^f / M_Z'^2 .

Every rate of the EFT depends on the Wilson coefficients only through c_f / Lambda^2 (widths are quadratic in
them, eq. A.11-A.14). Hence a sensitivity contour computed in Lambda with *reference* coefficients c_f maps onto
any Z' whose couplings are proportional to them, g_phi g_f = kappa c_f for every fermion f (both chiralities):

    M_Z' = sqrt(|kappa|) Lambda .

* heavy vector Z' of sec. 4.1 (flavour-blind vector couplings g_Vq to quarks, g_Vl to leptons, neutrinos
  left-handed with g_L = g_Vl): :func:`zprime_mass_from_lambda`. With the default democratic reference
  (c = 1 for every fermion) this needs g_Vq = g_Vl; for other ratios, compute the EFT contour with the
  reference :func:`zprime_reference_couplings` (e.g. as ``couplings`` of a benchmark in the config or
  ``darkreach ... --couplings FILE`` with :func:`couplings_mapping`) and pass the same reference here.
* dark photon of sec. 4.2, g_Vf = epsilon e Q_f, g_Af = 0 (eq. 4.3): c_f/Lambda^2 = g_phi epsilon e Q_f/M_Z'^2.
  With the reference c_f = Q_f (:func:`dark_photon_reference_couplings`: c_u = 2/3, c_e = -1, neutrinos 0),
  epsilon = M_Z'^2 / (g_phi e Lambda^2): :func:`dark_photon_epsilon_from_lambda`. The EFT is valid for the
  meson-decay production considered here as long as M_Z' is far above the meson masses (40 GeV in the paper).

A contour's upper and lower Lambda edges map to upper and lower M_Z' edges, and to *lower* and *upper*
epsilon edges (epsilon ~ Lambda^-2): :func:`convert_contour_table` converts a
:class:`~darkreach.output.contour_table.ContourTable` accordingly (the coupling axis becomes M_Zprime [GeV] or
epsilon, the mapping is recorded as its ``reinterpretation``), and :func:`convert_contour_csv` does the same from
file to file, so the result is drawn with the usual figure code.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from darkreach.models.inelastic_scalar.couplings import DEMOCRATIC, FERMIONS, NEUTRINOS, ScalarCouplings, fermion_charge
from darkreach.models.inelastic_scalar.zprime import couplings_from_dark_photon, couplings_from_zprime
from darkreach.output.contour_table import ContourTable, read_contour_table, write_contour_table

_REL_TOL = 1e-9


def proportionality_factor(target: ScalarCouplings, reference: ScalarCouplings) -> float:
    """kappa with target = kappa x reference for every fermion and chirality; ``ValueError`` if there is none.

    A fermion with a zero reference coefficient must have a zero target coefficient (and conversely).
    """
    kappa: float | None = None
    for label, tgt, ref in (("c_L", target.c_L, reference.c_L), ("c_R", target.c_R, reference.c_R)):
        for f in FERMIONS:
            t, r = float(tgt[f]), float(ref[f])
            if r == 0.0:
                if t != 0.0:
                    raise ValueError(f"{label}[{f!r}] = {t!r} but the reference coupling is 0: not proportional")
                continue
            ratio = t / r
            if kappa is None:
                kappa = ratio
            elif not math.isclose(ratio, kappa, rel_tol=_REL_TOL, abs_tol=0.0):
                raise ValueError(
                    f"couplings are not proportional to the reference: {label}[{f!r}] ratio {ratio!r} vs {kappa!r}"
                )
    if kappa is None or kappa == 0.0:
        raise ValueError("the target couplings vanish (or the reference is empty): no EFT scale to map")
    return kappa


def zprime_reference_couplings(g_V_quark: float, g_V_lepton: float) -> ScalarCouplings:
    """EFT couplings with the ratios of the sec. 4.1 Z', normalised to a largest |coefficient| of 1."""
    scale = max(abs(g_V_quark), abs(g_V_lepton))
    if scale == 0.0:
        raise ValueError("g_V_quark and g_V_lepton are both 0")
    cpl, _ = couplings_from_zprime(1.0, g_V_quark / scale, g_V_lepton / scale, 1.0)
    return cpl


def dark_photon_reference_couplings() -> ScalarCouplings:
    """EFT couplings proportional to the dark photon's: c_fL = c_fR = Q_f (neutrinos 0)."""
    return ScalarCouplings.from_mapping({f: fermion_charge(f) for f in FERMIONS if f not in NEUTRINOS})


def couplings_mapping(couplings: ScalarCouplings) -> dict[str, dict[str, float]]:
    """Mapping for a config benchmark / ``--couplings`` file (non-zero fermions only)."""
    return {
        f: {"c_L": couplings.c_L[f], "c_R": couplings.c_R[f]}
        for f in FERMIONS
        if couplings.c_L[f] != 0.0 or couplings.c_R[f] != 0.0
    }


def zprime_mass_from_lambda(
    Lambda: float, g_phi: float, g_V_quark: float, g_V_lepton: float, reference: ScalarCouplings = DEMOCRATIC
) -> float:
    """M_Z' (GeV) equivalent to an EFT scale ``Lambda`` computed with ``reference`` couplings, eq. (4.1)."""
    if not (Lambda > 0.0 and math.isfinite(Lambda)):
        raise ValueError(f"Lambda must be positive and finite, got {Lambda!r}")
    target, _ = couplings_from_zprime(g_phi, g_V_quark, g_V_lepton, 1.0)
    return math.sqrt(abs(proportionality_factor(target, reference))) * Lambda


def lambda_from_zprime_mass(
    M_Zprime: float, g_phi: float, g_V_quark: float, g_V_lepton: float, reference: ScalarCouplings = DEMOCRATIC
) -> float:
    """Inverse of :func:`zprime_mass_from_lambda`."""
    target, _ = couplings_from_zprime(g_phi, g_V_quark, g_V_lepton, 1.0)
    return M_Zprime / math.sqrt(abs(proportionality_factor(target, reference)))


def dark_photon_epsilon_from_lambda(
    Lambda: float, M_Zprime: float, g_phi: float, reference: ScalarCouplings | None = None
) -> float:
    """Kinetic mixing epsilon equivalent to ``Lambda`` (eqs. 4.1, 4.3): M_Z'^2 / (|kappa_1| Lambda^2).

    kappa_1 is the proportionality factor of the epsilon = 1 dark-photon couplings g_phi e Q_f to ``reference``
    (default :func:`dark_photon_reference_couplings`, for which kappa_1 = g_phi e).
    """
    if not (Lambda > 0.0 and math.isfinite(Lambda)):
        raise ValueError(f"Lambda must be positive and finite, got {Lambda!r}")
    if not M_Zprime > 0.0:
        raise ValueError(f"M_Zprime must be positive, got {M_Zprime!r}")
    reference = dark_photon_reference_couplings() if reference is None else reference
    unit, _ = couplings_from_dark_photon(1.0, g_phi, 1.0)
    kappa1 = abs(proportionality_factor(unit, reference))
    return M_Zprime**2 / (kappa1 * Lambda**2)


def lambda_from_dark_photon_epsilon(
    epsilon: float, M_Zprime: float, g_phi: float, reference: ScalarCouplings | None = None
) -> float:
    """Inverse of :func:`dark_photon_epsilon_from_lambda`."""
    return math.sqrt(dark_photon_epsilon_from_lambda(1.0, M_Zprime, g_phi, reference) / epsilon)


def convert_contour_table(
    table: ContourTable,
    target: str,
    *,
    g_phi: float = 1.0,
    g_V_quark: float | None = None,
    g_V_lepton: float | None = None,
    M_Zprime: float | None = None,
    reference: ScalarCouplings | None = None,
) -> ContourTable:
    """An EFT contour table (Lambda edges) as a Z' contour table.

    ``target="zprime"``: coupling -> M_Z' in GeV for (g_phi, g_V_quark, g_V_lepton) (reference default:
    democratic). ``target="dark_photon"``: coupling -> epsilon for (M_Zprime, g_phi) (reference default:
    charge-proportional); the low/high edges swap since epsilon ~ Lambda^-2. The mapping is recorded as the
    table's ``reinterpretation``; ``*_at_grid_edge`` flags follow their edges. The source must be an
    inelastic-scalar contour in Lambda.
    """
    if table.coupling_name != "Lambda" or table.reinterpretation is not None:
        raise ValueError(
            f"not a contour table in Lambda (coupling {table.coupling_label!r}"
            + (f", already reinterpreted {dict(table.reinterpretation)!r})" if table.reinterpretation else ")")
        )
    if target == "zprime":
        if g_V_quark is None or g_V_lepton is None:
            raise ValueError("target 'zprime' needs g_V_quark and g_V_lepton")
        ref = DEMOCRATIC if reference is None else reference
        factor = zprime_mass_from_lambda(1.0, g_phi, g_V_quark, g_V_lepton, ref)

        def convert(lam: float) -> float:
            return factor * lam

        swap, name, unit = False, "M_Zprime", "GeV"
        mapping = {"target": target, "g_phi": g_phi, "g_V_quark": g_V_quark, "g_V_lepton": g_V_lepton}
    elif target == "dark_photon":
        if M_Zprime is None:
            raise ValueError("target 'dark_photon' needs M_Zprime")
        eps1 = dark_photon_epsilon_from_lambda(1.0, M_Zprime, g_phi, reference)

        def convert(lam: float) -> float:
            return eps1 / (lam * lam)

        swap, name, unit = True, "epsilon", ""
        mapping = {"target": target, "g_phi": g_phi, "M_Zprime": M_Zprime}
    else:
        raise ValueError(f"target must be 'zprime' or 'dark_photon', got {target!r}")
    if reference is not None:
        mapping["reference"] = couplings_mapping(reference)
    out: list[dict[str, Any]] = []
    for row in table.rows:
        lo, hi = convert(float(row["coupling_low"])), convert(float(row["coupling_high"]))
        new = dict(row)
        if swap:
            lo, hi = hi, lo
            new["low_at_grid_edge"], new["high_at_grid_edge"] = row["high_at_grid_edge"], row["low_at_grid_edge"]
        new["coupling_low"], new["coupling_high"] = lo, hi
        if all(k in row for k in ("coupling_low_min", "coupling_low_max", "coupling_high_min", "coupling_high_max")):
            # the bands map edge by edge (a decreasing map swaps the edges and each band's ends); the relative
            # half-width in the new coupling is half the log-width of the mapped band
            bands = {}
            for edge in ("low", "high"):
                a = convert(float(row[f"coupling_{edge}_min"]))
                b = convert(float(row[f"coupling_{edge}_max"]))
                bands[edge] = (min(a, b), max(a, b), 0.5 * abs(math.log(b / a)))
            if swap:
                bands = {"low": bands["high"], "high": bands["low"]}
            for edge, (a, b, prec) in bands.items():
                new[f"coupling_{edge}_min"], new[f"coupling_{edge}_max"] = a, b
                new[f"edge_precision_{edge}"] = prec
        out.append(new)
    mapping["from"] = {"coupling_name": table.coupling_name, "coupling_unit": table.coupling_unit}
    return table.replace(coupling_name=name, coupling_unit=unit, rows=tuple(out), reinterpretation=mapping)


def convert_contour_csv(src: str | Path, dst: str | Path, target: str, **options: Any) -> list[dict[str, Any]]:
    """:func:`convert_contour_table` from the contour table ``src`` to ``dst`` (provenance carried over); returns
    the converted rows."""
    table = read_contour_table(src)
    try:
        converted = convert_contour_table(table, target, **options)
    except ValueError as err:
        raise ValueError(f"{str(src)!r}: {err}") from None
    write_contour_table(converted, dst)
    return [dict(r) for r in converted.rows]
