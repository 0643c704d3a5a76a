"""HEPData records of darkreach's figures: the tables of each figure kind, for :mod:`darkreach.output.hepdata`.

- ``contours`` figures (:func:`contour_figure_tables`): one table per curve, x = the mass parameter, y = the
  lower and upper coupling edges of every interval, with the experiment, benchmark, exposure, threshold and level
  as qualifiers (an empty table for a curve without reach);
- ``branching`` figures, Fig. 1 of paper 003 (:func:`figure1_hepdata_tables`): two tables built from the rows
  of :func:`darkreach.output.figures.branching.figure1_table` (columns ``m1_gev``, ``meson:<M>``, ``phi2:<X>``):

  - ``Fig. 1 left: BR(M -> phi1 phi2 (+gamma))``: x = m1 [GeV], one dependent variable per production meson;
  - ``Fig. 1 right: BR(phi2 -> phi1 X)``: x = m1 [GeV], one dependent variable per phi2 channel that is open
    somewhere on the grid.

  Closed channels are exactly 0 (never NaN); every value is a plain Python float.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from darkreach.models.inelastic_scalar import PSEUDOSCALAR_MESONS
from darkreach.models.inelastic_scalar.couplings import PRODUCTION_MESONS
from darkreach.models.inelastic_scalar.decays import PHI2_CHANNELS
from darkreach.output.hepdata import Qualifier, Table, Variable, write_validated_submission
from darkreach.output.provenance import provenance as make_provenance
from darkreach.output.style import MESON_TEXT, display_name, latex_name, plain_text, split_axis

if TYPE_CHECKING:
    from darkreach.config.figures import FigureSpec
    from darkreach.output.contour_table import ContourTable
    from darkreach.output.figures.contours import DrawnCurve


# ----------------------------------------------------------------------------------------------------------------
# contours figures


def _band_errors(rows: Sequence[Mapping[str, Any]], edge: str) -> tuple[tuple[float, float], ...] | None:
    """(minus, plus) of each row's ``edge`` from its statistical band columns; None when the rows have none."""
    lo_key, hi_key, key = f"coupling_{edge}_min", f"coupling_{edge}_max", f"coupling_{edge}"
    if not rows or not all(lo_key in r and hi_key in r for r in rows):
        return None
    return tuple((float(r[key]) - float(r[lo_key]), float(r[hi_key]) - float(r[key])) for r in rows)


def contour_figure_tables(
    spec: FigureSpec, curves: Sequence[DrawnCurve], panel_tables: Sequence[ContourTable | None]
) -> list[Table]:
    """One HEPData table per curve: x = mass parameter, y = lower and upper coupling edges."""
    tables: list[Table] = []
    names: set[str] = set()
    multi = len(spec.panels) > 1
    for n, c in enumerate(curves):
        panel = spec.panels[c.panel]
        table = panel_tables[c.panel]
        x_name, x_unit = split_axis(table.mass_label if table else "mass")
        y_name, y_unit = split_axis(table.coupling_label if table else "coupling")
        rows = sorted(c.rows, key=lambda r: (r["mass"], r["interval"]))
        prefix = f"Panel {c.panel + 1}: " if multi else ""
        base = (prefix + plain_text(c.label))[:60]
        name, k = base, 2
        while name in names:
            name, k = f"{base[:56]} ({k})", k + 1
        names.add(name)
        bench_text = ", ".join(f"{key} = {value}" for key, value in panel.benchmark.items())
        region = "excluded region (existing bound)" if c.spec.kind == "bound" else "sensitivity region"
        level_text = f"N >= {c.level:g} signal events" if c.level is not None else "N >= level"
        if c.edge_styles is not None:  # a computed bound (darkreach.bounds): no signal count
            region, level_text = f"{c.spec.kind} computed by darkreach.bounds", "the bound excludes"
        desc = [
            f"{c.label} ({c.spec.experiment}): {region}, where {level_text}, of model {spec.model} at "
            f"{bench_text}; panel {c.panel + 1} of {spec.name}{' (' + spec.source + ')' if spec.source else ''}.",
        ]
        if rows:
            desc.append(
                f"For each {x_name} the columns give the lower and upper edge of a {y_name} interval inside the "
                "region; rows with the same x are disjoint intervals, in increasing order."
            )
            n_lo = sum(bool(r.get("low_at_grid_edge")) for r in rows)
            n_hi = sum(bool(r.get("high_at_grid_edge")) for r in rows)
            if n_lo or n_hi:
                desc.append(
                    f"Edges at the end of the scanned {y_name} grid (lower: {n_lo}, upper: {n_hi} of {len(rows)} "
                    "rows) are limits of the scan: there the region extends beyond the value given."
                )
            if _band_errors(rows, "low") is not None:
                desc.append(
                    "Uncertainties (label stat) are the 68 % Monte Carlo bands of each edge: jackknife over batches "
                    "of the simulated mesons (decay sampling and finite meson sample)."
                )
        else:
            desc.append("No mass reaches the level for this exposure and threshold: the table is empty (no reach).")
        quals = [Qualifier("experiment", display_name(c.spec.experiment)), Qualifier("benchmark", bench_text)]
        if c.exposure is not None:
            quals.append(Qualifier("exposure", float(c.exposure)))
        if c.threshold_gev is not None:
            quals.append(Qualifier("energy threshold", float(c.threshold_gev), "GeV"))
        if c.level is not None:
            quals.append(Qualifier("level (signal events)", float(c.level)))
        phrases = ["Dark sector", "Long-lived particles", "Beam dump"]
        phrases.append("Exclusion" if c.spec.kind == "bound" else "Sensitivity")
        tables.append(
            Table(
                name=name,
                description=" ".join(desc),
                independent=(Variable(latex_name(x_name), tuple(r["mass"] for r in rows), x_unit),),
                dependent=(
                    Variable(
                        f"{latex_name(y_name)} lower edge",
                        tuple(r["coupling_low"] for r in rows),
                        y_unit,
                        _band_errors(rows, "low"),
                    ),
                    Variable(
                        f"{latex_name(y_name)} upper edge",
                        tuple(r["coupling_high"] for r in rows),
                        y_unit,
                        _band_errors(rows, "high"),
                    ),
                ),  # fmt: skip
                qualifiers=tuple(quals),
                keywords={"phrases": phrases},
                data_file=f"table{n + 1:02d}_{re.sub(r'[^A-Za-z0-9]+', '_', c.spec.experiment)}.yaml",
            )
        )
    return tables


def contour_figure_comment(spec: FigureSpec) -> str:
    """The record-wide comment of a ``contours`` figure (the provenance sentence is appended by the writer)."""
    return (
        f"{spec.title or spec.name}. "
        + (f"Source: {spec.source}. " if spec.source else "")
        + "Sensitivity regions: N >= level signal events for the given exposure and visible-energy threshold; "
        "bounds: regions excluded by existing experiments. Written by darkreach."
    )


# ----------------------------------------------------------------------------------------------------------------
# branching figure (Fig. 1 of paper 003)


LEFT_TABLE = "Fig. 1 left: BR(M -> phi1 phi2 (+gamma))"
RIGHT_TABLE = "Fig. 1 right: BR(phi2 -> phi1 X)"
M1_NAME = "$m_1$"


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
        Rows of :func:`darkreach.output.figures.branching.figure1_table` at the democratic benchmark
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
        Appended to the record's comment (default :func:`darkreach.output.provenance.provenance` without config hash
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
