"""Fig. 1 of paper 003: the table of meson and phi2 branching ratios against m1 (CSV with provenance)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from darkreach.models.inelastic_scalar import decays as _decays
from darkreach.models.inelastic_scalar import production as _production
from darkreach.models.inelastic_scalar.couplings import DEMOCRATIC, PRODUCTION_MESONS, ScalarCouplings
from darkreach.models.inelastic_scalar.decays import PHI2_CHANNELS


# --------------------------------------------------------------------------------------------- Fig. 1 of paper 003
#: Fig. 1 benchmark: c_fL = c_fR = 1, delta = 10, Lambda = 1 TeV.
FIG1_DELTA: float = 10.0
FIG1_LAMBDA: float = 1000.0


def fig1_m1_grid(m1_min: float = 1e-3, m1_max: float = 2.0, num: int = 121) -> np.ndarray:
    """Log-spaced m1 values (GeV) of the Fig. 1 table."""
    return np.geomspace(m1_min, m1_max, num)


def figure1_columns() -> list[str]:
    """CSV columns of :func:`figure1_table`: ``m1_gev``, ``meson:<key>`` (left panel), ``phi2:<channel>`` (right)."""
    return ["m1_gev", *(f"meson:{k}" for k in PRODUCTION_MESONS), *(f"phi2:{c}" for c in PHI2_CHANNELS)]


def figure1_table(
    m1_values: Iterable[float] | None = None,
    delta: float = FIG1_DELTA,
    Lambda: float = FIG1_LAMBDA,
    couplings: ScalarCouplings = DEMOCRATIC,
) -> list[dict[str, float]]:
    """Rows of Fig. 1 of paper 003: BR(M -> phi1 phi2 (+gamma)) and BR(phi2 -> phi1 X) against m1.

    Meson BRs are Gamma / Gamma_tot(M) with the PDG widths (:func:`~darkreach.models.inelastic_scalar.production.meson_branching_ratios`);
    phi2 BRs do not depend on Lambda. Closed channels are exactly 0.
    """
    m1s = fig1_m1_grid() if m1_values is None else np.asarray(list(m1_values), dtype=float)
    rows: list[dict[str, float]] = []
    for m1 in m1s:
        m1 = float(m1)
        mes = _production.meson_branching_ratios(m1, delta, Lambda, couplings)
        phi2 = _decays.phi2_branching_ratios(m1, delta, Lambda, couplings)
        row = {"m1_gev": m1}
        row.update({f"meson:{k}": mes[k] for k in PRODUCTION_MESONS})
        row.update({f"phi2:{c}": phi2[c] for c in PHI2_CHANNELS})
        rows.append(row)
    return rows


def write_figure1_csv(
    rows: Sequence[Mapping[str, float]],
    path: str | Path,
    header: str = "",
    provenance: Mapping[str, object] | None = None,
) -> None:
    """Write :func:`figure1_table` rows; an optional ``# header`` line documents the benchmark, then the
    ``# key: value`` provenance lines (``provenance``, default :func:`darkreach.provenance.provenance`)."""
    from darkreach.provenance import provenance as make_provenance
    from darkreach.provenance import write_provenance_lines

    with Path(path).open("w", newline="") as fh:
        if header:
            fh.write(f"# {header}\n")
        write_provenance_lines(fh, make_provenance() if provenance is None else provenance)
        writer = csv.DictWriter(fh, fieldnames=figure1_columns())
        writer.writeheader()
        for row in rows:
            writer.writerow({k: f"{v:.8g}" for k, v in row.items()})


def read_figure1_csv(path: str | Path) -> list[dict[str, float]]:
    """Read a table written by :func:`write_figure1_csv`."""
    with Path(path).open() as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(lines)]


def figure1_header(delta: float = FIG1_DELTA, Lambda: float = FIG1_LAMBDA) -> str:
    """The comment line of the Fig. 1 CSV."""
    return (
        f"paper 003 Fig. 1: c_fL = c_fR = 1, delta = {delta:g}, Lambda = {Lambda:g} GeV; "
        "meson:<M> = BR(M -> phi1 phi2 (+gamma)), phi2:<X> = BR(phi2 -> phi1 X)"
    )

