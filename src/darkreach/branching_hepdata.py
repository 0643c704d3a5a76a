"""HEPData record of Fig. 1 of paper 003: meson and phi2 branching ratios of the inelastic scalars against m1.

The record has two tables built from the rows of
:func:`darkreach.models.inelastic_scalar.figure1_table` (columns ``m1_gev``, ``meson:<M>``, ``phi2:<X>``):

- ``Fig. 1 left: BR(M -> phi1 phi2 (+gamma))``: x = m1 [GeV], one dependent variable per production meson;
- ``Fig. 1 right: BR(phi2 -> phi1 X)``: x = m1 [GeV], one dependent variable per phi2 channel that is open
  somewhere on the grid.

Closed channels are exactly 0 (never NaN); every value is a plain Python float.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from darkreach.hepdata import Qualifier, Table, Variable, write_validated_submission
from darkreach.models.inelastic_scalar import PSEUDOSCALAR_MESONS
from darkreach.models.scalar_widths import PHI2_CHANNELS, PRODUCTION_MESONS
from darkreach.provenance import provenance as make_provenance


LEFT_TABLE = "Fig. 1 left: BR(M -> phi1 phi2 (+gamma))"
RIGHT_TABLE = "Fig. 1 right: BR(phi2 -> phi1 X)"
M1_NAME = "$m_1$"
#: Plain-text meson names of the dependent-variable headers.
MESON_TEXT = {
    "pi0": "pi0", "eta": "eta", "etap": "eta'", "rho": "rho", "omega": "omega", "jpsi": "J/psi",
    "upsilon": "Upsilon(1S)",
}  # fmt: skip


def meson_variable_name(meson: str) -> str:
    """Header of the left-table column of ``meson`` (in ``PRODUCTION_MESONS``): 'BR(pi0 -> phi1 phi2 gamma)'."""
    final = "phi1 phi2 gamma" if meson in PSEUDOSCALAR_MESONS else "phi1 phi2"
    return f"BR({MESON_TEXT.get(meson, meson)} -> {final})"


def phi2_variable_name(channel: str) -> str:
    """Header of the right-table column of ``channel`` (in ``PHI2_CHANNELS``): 'BR(phi2 -> phi1 e+e-)'."""
    return f"BR(phi2 -> phi1 {channel})"


def _column(rows: Sequence[Mapping[str, float]], key: str) -> tuple[float, ...]:
    values = tuple(float(r[key]) for r in rows)
    bad = [v for v in values if not math.isfinite(v) or v < 0.0]
    if bad:
        raise ValueError(f"column {key!r}: branching ratios must be finite and >= 0, got {bad[:3]}")
    return values


def figure1_hepdata_tables(rows: Sequence[Mapping[str, float]], delta: float, Lambda: float) -> list[Table]:
    """The two HEPData tables of Fig. 1 of paper 003 from :func:`figure1_table` rows.

    Parameters
    ----------
    rows : sequence of mapping
        Rows of :func:`darkreach.models.inelastic_scalar.figure1_table` at the democratic benchmark
        (c_fL = c_fR = 1, neutrinos left-handed), in increasing ``m1_gev``.
    delta : float
        Mass splitting (m2 - m1)/m1 used for ``rows``.
    Lambda : float
        Suppression scale in GeV used for ``rows`` (the phi2 branching ratios do not depend on it).

    Returns
    -------
    list of Table
        The left table (one dependent variable per meson of ``PRODUCTION_MESONS``) and the right table (one per
        channel of ``PHI2_CHANNELS`` that is non-zero for some row), both with x = m1 in GeV and the qualifiers
        delta, Lambda [GeV] and c_fL = c_fR.

    Raises
    ------
    ValueError
        If ``rows`` is empty or holds a NaN, infinite or negative branching ratio.
    """
    if not rows:
        raise ValueError("no Fig. 1 rows to tabulate")
    x = (Variable(M1_NAME, _column(rows, "m1_gev"), "GeV"),)
    quals = (Qualifier("delta", float(delta)), Qualifier("Lambda", float(Lambda), "GeV"), Qualifier("c_fL = c_fR", 1.0))
    bench = f"c_fL = c_fR = 1 for every fermion (neutrinos left-handed), delta = {delta:g}, Lambda = {Lambda:g} GeV"
    mesons = tuple(Variable(meson_variable_name(k), _column(rows, f"meson:{k}")) for k in PRODUCTION_MESONS)
    channels = [c for c in PHI2_CHANNELS if any(float(r[f"phi2:{c}"]) > 0.0 for r in rows)]
    phi2 = tuple(Variable(phi2_variable_name(c), _column(rows, f"phi2:{c}")) for c in channels)
    phrases = ["Dark sector", "Inelastic scalars", "Branching ratio"]
    left = Table(
        name=LEFT_TABLE,
        description=(
            "Left panel of Fig. 1 of paper 003 (Bertuzzo, Taoso, inelastic dark scalars): branching ratios of "
            "V -> phi1 phi2 (V = rho, omega, J/psi, Upsilon(1S)) and P -> phi1 phi2 gamma (P = pi0, eta, eta') "
            f"against m1, with the PDG total meson widths; {bench}. Closed channels (m1 + m2 above the meson "
            "mass) are exactly 0."
        ),
        independent=x,
        dependent=mesons,
        qualifiers=quals,
        keywords={"observables": ["BR"], "phrases": phrases},
        data_file="fig1_left_meson_br.yaml",
    )
    right = Table(
        name=RIGHT_TABLE,
        description=(
            "Right panel of Fig. 1 of paper 003: branching ratios of phi2 -> phi1 X against m1 (independent of "
            f"Lambda); {bench}. Hadronic channels are mesons (ChPT) for m2 - m1 <= 2 GeV and free quark pairs "
            "(pQCD, N_c = 3) above; only channels open somewhere on the grid are listed, closed ones are exactly "
            "0. Where phi2 can decay the branching ratios of a row sum to 1."
        ),
        independent=x,
        dependent=phi2,
        qualifiers=quals,
        keywords={"observables": ["BR"], "phrases": phrases},
        data_file="fig1_right_phi2_br.yaml",
    )
    return [left, right]


def write_figure1_hepdata(
    directory: str | Path,
    rows: Sequence[Mapping[str, float]],
    delta: float,
    Lambda: float,
    resources: Sequence[tuple[str | Path, str]] = (),
    provenance: Mapping[str, Any] | None = None,
) -> list[Table]:
    """Write (and validate) the HEPData record of Fig. 1 of paper 003 into ``directory``.

    Parameters
    ----------
    directory : str or Path
        Record directory (created, or a previous record there replaced).
    rows, delta, Lambda
        As for :func:`figure1_hepdata_tables`.
    resources : sequence of (path, description)
        Files copied into the record as additional resources (e.g. the PNG and the CSV of the figure).
    provenance : mapping, optional
        Appended to the record's comment (default :func:`darkreach.provenance.provenance` without config hash
        and seed).

    Returns
    -------
    list of Table
        The tables written.

    Raises
    ------
    RuntimeError
        If the official HEPData validator rejects the record.
    """
    tables = figure1_hepdata_tables(rows, delta, Lambda)
    comment = (
        "Fig. 1 of paper 003 (E. Bertuzzo, M. Taoso, Probing light dark scalars with future experiments): "
        f"branching ratios of meson decays into phi1 phi2 (+gamma) and of phi2 -> phi1 X against m1, at "
        f"c_fL = c_fR = 1, delta = {delta:g}, Lambda = {Lambda:g} GeV. Written by darkreach."
    )
    prov = make_provenance() if provenance is None else provenance
    write_validated_submission(directory, tables, comment, resources=resources, provenance=prov)
    return tables
