"""``branching`` figures: the production and decay branching ratios of a model against its mass.

The one model with such a figure is ``inelastic-scalar``: Fig. 1 of paper 003. Left panel:
BR(M -> phi1 phi2 (+gamma)) for the production mesons; right panel: BR(phi2 -> phi1 X), the three neutrino
flavours summed into one curve. Both against m1, log-log; closed channels (exactly 0) are not drawn.

:func:`figure1_table` computes the rows (columns ``m1_gev``, ``meson:<M>``, ``phi2:<X>``),
:func:`write_figure1_csv` / :func:`read_figure1_csv` move them to and from a :mod:`darkreach.output.tables` file,
:func:`plot_figure1` draws them and :func:`make_branching_figure` does all of it, with the HEPData record
(:func:`darkreach.output.hepdata_records.write_figure1_hepdata`), for a configured
:class:`~darkreach.config.figures.BranchingFigureSpec`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from darkreach.models.inelastic_scalar.couplings import DEMOCRATIC, PRODUCTION_MESONS, ScalarCouplings
from darkreach.models.inelastic_scalar.decays import PHI2_CHANNELS, PQCD_THRESHOLD, phi2_branching_ratios
from darkreach.models.inelastic_scalar.production import meson_branching_ratios
from darkreach.output.provenance import provenance as make_provenance
from darkreach.output.style import MESON_LABELS, pyplot
from darkreach.output.tables import read_table, write_table

#: ``table`` of a branching-ratio CSV's header.
BRANCHING_TABLE = "branching"
#: Models with a branching figure, and the benchmark parameters it takes (besides the mass on the axis).
BRANCHING_MODELS: dict[str, tuple[str, ...]] = {"inelastic-scalar": ("delta",)}
#: Fig. 1 benchmark: c_fL = c_fR = 1, delta = 10, Lambda = 1 TeV.
FIG1_DELTA: float = 10.0
FIG1_LAMBDA: float = 1000.0
NEUTRINO_CHANNELS = ("nu_e nu_e~", "nu_mu nu_mu~", "nu_tau nu_tau~")


# ----------------------------------------------------------------------------------------------------------------
# the table


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

    Meson BRs are Gamma / Gamma_tot(M) with the PDG widths
    (:func:`~darkreach.models.inelastic_scalar.production.meson_branching_ratios`); phi2 BRs do not depend on
    Lambda. Closed channels are exactly 0.
    """
    m1s = fig1_m1_grid() if m1_values is None else np.asarray(list(m1_values), dtype=float)
    rows: list[dict[str, float]] = []
    for m1 in m1s:
        m1 = float(m1)
        mes = meson_branching_ratios(m1, delta, Lambda, couplings)
        phi2 = phi2_branching_ratios(m1, delta, Lambda, couplings)
        row = {"m1_gev": m1}
        row.update({f"meson:{k}": mes[k] for k in PRODUCTION_MESONS})
        row.update({f"phi2:{c}": phi2[c] for c in PHI2_CHANNELS})
        rows.append(row)
    return rows


def figure1_header(delta: float = FIG1_DELTA, Lambda: float = FIG1_LAMBDA) -> dict[str, Any]:
    """The JSON header of the Fig. 1 CSV (without provenance): model, benchmark, axes and what the columns hold."""
    return {
        "table": BRANCHING_TABLE,
        "model": "inelastic-scalar",
        "benchmark": {"delta": float(delta)},
        "couplings": "c_fL = c_fR = 1 for every fermion, neutrinos left-handed",
        "coupling_name": "Lambda",
        "coupling_unit": "GeV",
        "coupling": float(Lambda),
        "mass_parameter": "m1",
        "mass_unit": "GeV",
        "columns": {"meson:<M>": "BR(M -> phi1 phi2 (+gamma))", "phi2:<X>": "BR(phi2 -> phi1 X)"},
    }


def write_figure1_csv(
    rows: Sequence[Mapping[str, float]],
    path: str | Path,
    delta: float = FIG1_DELTA,
    Lambda: float = FIG1_LAMBDA,
    provenance: Mapping[str, object] | None = None,
    figure: str | None = None,
    source: str | None = None,
) -> None:
    """Write :func:`figure1_table` rows after the JSON header (:func:`figure1_header` of ``delta`` and ``Lambda``,
    the ``figure`` name and ``source`` if given, and the ``provenance``, default
    :func:`darkreach.output.provenance.provenance`)."""
    header = figure1_header(delta, Lambda)
    if figure is not None:
        header["figure"] = figure
    if source:
        header["source"] = source
    header["provenance"] = make_provenance() if provenance is None else dict(provenance)
    write_table(path, header, figure1_columns(), ({k: f"{v:.8g}" for k, v in row.items()} for row in rows))


def read_figure1_csv(path: str | Path) -> list[dict[str, float]]:
    """Read a table written by :func:`write_figure1_csv` (every value a float)."""
    _, rows = read_table(path, BRANCHING_TABLE)
    return [{k: float(v) for k, v in row.items()} for row in rows]


# ----------------------------------------------------------------------------------------------------------------
# the figure


def _positive(values: np.ndarray) -> np.ndarray:
    out = np.asarray(values, dtype=float).copy()
    out[~(out > 0.0)] = np.nan
    return out


def plot_figure1(
    rows: Sequence[Mapping[str, float]],
    out_paths: Sequence[str | Path],
    title: str = "",
    pqcd_switch_m1: float | None = None,
    br_floor: float = 1e-4,
) -> None:
    """Draw the two panels of Fig. 1 from ``rows`` (``m1_gev``, ``meson:<key>``, ``phi2:<channel>`` columns).

    ``pqcd_switch_m1`` draws a dotted vertical line at the ChPT / pQCD switch; phi2 channels whose BR never
    exceeds ``br_floor`` are omitted from the right panel.
    """
    if not rows:
        raise ValueError("no rows to plot")
    plt = pyplot()
    m1 = np.array([r["m1_gev"] for r in rows])
    keys = list(rows[0])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11.0, 4.4))
    for key in (k for k in keys if k.startswith("meson:")):
        name = key.split(":", 1)[1]
        br = _positive(np.array([r[key] for r in rows]))
        if np.any(np.isfinite(br)):
            left.plot(m1, br, label=MESON_LABELS.get(name, name), lw=1.6)
    left.set_ylabel(r"BR$(M \to \phi_1 \phi_2\,(+\gamma))$")
    channels = [k.split(":", 1)[1] for k in keys if k.startswith("phi2:")]
    nu = np.sum([[r.get(f"phi2:{c}", 0.0) for c in NEUTRINO_CHANNELS] for r in rows], axis=1)
    curves: list[tuple[str, np.ndarray]] = []
    for ch in channels:
        if ch in NEUTRINO_CHANNELS:
            if ch == NEUTRINO_CHANNELS[0]:
                curves.append((r"$\nu\bar\nu$ (3 flavours)", nu))
            continue
        curves.append((ch, np.array([r[f"phi2:{ch}"] for r in rows])))
    shown = [(label, br) for label, br in curves if np.nanmax(br) > br_floor]
    colours = plt.get_cmap("tab20").colors
    for i, (label, br) in enumerate(shown):
        style = "--" if label.endswith("~") and " " in label else "-"  # quark pairs dashed
        right.plot(m1, _positive(br), label=label, lw=1.4, ls=style, color=colours[(2 * i) % 20 + (2 * i) // 20])
    right.set_ylabel(r"BR$(\phi_2 \to \phi_1 X)$")
    right.set_ylim(br_floor, 1.5)
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(r"$m_1$ [GeV]")
        ax.grid(True, which="major", alpha=0.3)
        if pqcd_switch_m1 is not None and ax is right:
            ax.axvline(pqcd_switch_m1, color="grey", ls=":", lw=1.0)
        ax.legend(fontsize=7, ncol=2)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    for path in out_paths:
        fig.savefig(path, dpi=150)
    plt.close(fig)


def check_branching_spec(spec: Any) -> None:
    """ValueError naming the key if ``spec`` (a BranchingFigureSpec) asks for something this module cannot draw."""
    path = f"figures.{spec.name}"
    if spec.model not in BRANCHING_MODELS:
        raise ValueError(
            f"{path}.model: no branching figure for model {spec.model!r}; models with one: {sorted(BRANCHING_MODELS)}"
        )
    allowed = BRANCHING_MODELS[spec.model]
    if set(spec.benchmark) != set(allowed):
        raise ValueError(
            f"{path}.benchmark: a branching figure of {spec.model!r} takes exactly the parameters {list(allowed)} "
            f"(got {dict(spec.benchmark)!r})"
        )
    for key in allowed:
        value = spec.benchmark[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ValueError(f"{path}.benchmark.{key}: must be a positive number (got {value!r})")


def make_branching_figure(
    spec: Any,
    png: str | Path,
    pdf: str | Path,
    csv: str | Path,
    hepdata_dir: str | Path,
    config_hash: str | None = None,
    seed: int | None = None,
) -> list[dict[str, float]]:
    """Compute, tabulate, draw and record the branching figure ``spec``; returns the table rows.

    Writes the CSV (``csv``), the figure (``png``, ``pdf``) and the validated HEPData record (``hepdata_dir``,
    the PNG and the CSV as additional resources); the CSV header and the record carry the provenance of
    ``config_hash`` and ``seed``.
    """
    from darkreach.config import grid_values
    from darkreach.output.hepdata_records import write_figure1_hepdata

    check_branching_spec(spec)
    delta, Lambda = float(spec.benchmark["delta"]), float(spec.coupling)
    prov = make_provenance(config_hash, seed)
    rows = figure1_table(grid_values(spec.mass_gev, f"figures.{spec.name}.mass_gev"), delta=delta, Lambda=Lambda)
    write_figure1_csv(rows, csv, delta=delta, Lambda=Lambda, provenance=prov, figure=spec.name, source=spec.source)
    bench = rf"$c_{{f_L}} = c_{{f_R}} = 1$, $\delta = {delta:g}$, $\Lambda = {Lambda / 1000:g}$ TeV"
    title = f"{spec.title}: {bench}" if spec.title else bench
    plot_figure1(rows, [png, pdf], title=title, pqcd_switch_m1=PQCD_THRESHOLD / delta)
    resources = [(png, "The figure (PNG)."), (csv, "The table of both panels (CSV).")]
    write_figure1_hepdata(hepdata_dir, rows, delta, Lambda, resources=resources, provenance=prov)
    return rows
