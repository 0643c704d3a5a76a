"""``production`` figures: LLPs produced per meson channel and from partons at some experiments (Fig. 2 of paper 003).

For each experiment (one panel) and mass, the number of phi2 produced with the experiment's largest exposure:

* meson channel M (eqs. 2.3 and 2.6 of paper 003): N = N_interactions x f_M x BR(M -> phi1 phi2 (+gamma)), with
  N_interactions = N_POT at a fixed target and sigma_pp x L at a collider, f_M the experiment's multiplicities;
* partons (eq. 2.7), for experiments whose ``production`` lists them: N = L sigma(pp -> phi1 phi2) with the
  EFT-validity cut sqrt(s_hat) <= Lambda (g* = 1) when the model's process asks for it, from the PDF convolution
  of :mod:`darkreach.production.partons.convolution` (PYTHIA's PDF, Q^2 = s_hat, sqrt(s_hat) >= the experiment's
  beam's ``partons.mhat_min_gev``).

Both hemispheres, before any geometry. Closed channels are exactly 0 and not drawn. Columns of the CSV:
``m1_gev``, ``<experiment>:<meson>`` and ``<experiment>:partons``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from darkreach.config.specs import BeamSpec
from darkreach.experiments import Experiment
from darkreach.output.hepdata import Qualifier, Table, Variable, write_validated_submission
from darkreach.output.provenance import provenance as make_provenance
from darkreach.output.style import MESON_LABELS, MESON_TEXT, display_name, pyplot
from darkreach.output.tables import write_table

__all__ = ["PRODUCTION_TABLE", "make_production_figure", "production_table"]

#: ``table`` of a production CSV's header.
PRODUCTION_TABLE = "production"


def _experiments(spec: Any) -> dict[str, tuple[Experiment, BeamSpec]]:
    """The typed experiments of the figure and each one's beam (from the spec's context)."""
    from darkreach.config.experiment import experiment_from_mapping

    path = f"figures.{spec.name}"
    if spec.context is None:
        raise ValueError(f"{path}: a production figure needs its experiments' entries (the workflow's figure slice)")
    entries, beams = spec.context["experiments"], spec.context["beams"]
    out: dict[str, tuple[Experiment, BeamSpec]] = {}
    for name in spec.experiments:
        if name not in entries:
            raise ValueError(f"{path}.experiments: unknown experiment {name!r}")
        beam = BeamSpec.from_mapping(entries[name]["beam"], beams[entries[name]["beam"]])
        exp = experiment_from_mapping(name, entries[name], beam, spec.context.get("level") or 1.0)
        out[name] = (exp, beam)
    return out


def production_table(spec: Any) -> tuple[list[dict[str, float]], list[str]]:
    """Rows (one per mass of ``spec.mass_gev``) and their columns; see the module docstring."""
    from darkreach.config import grid_values
    from darkreach.models import get_model
    from darkreach.production.partons.convolution import hadronic_cross_section_pb, pythia_proton_pdf
    from darkreach.production.partons.settings import PartonSettings

    model = get_model(spec.model)
    experiments = _experiments(spec)
    masses = grid_values(spec.mass_gev, f"figures.{spec.name}.mass_gev")
    coupling = float(spec.coupling)
    columns = ["m1_gev"]
    for name, (exp, _) in experiments.items():
        if "mesons" in exp.production and exp.multiplicity_table == "generated":
            raise ValueError(
                f"figures.{spec.name}.experiments: {name!r} takes its multiplicities from its samples "
                "(multiplicity_table: generated); a production figure needs a published table"
            )
        if "mesons" in exp.production:
            columns += [f"{name}:{m}" for m in exp.mesons_per_interaction]
        if "partons" in exp.production:
            columns.append(f"{name}:partons")
    xf = pythia_proton_pdf()[0] if any(c.endswith(":partons") for c in columns) else None
    rows: list[dict[str, float]] = []
    for x in masses:
        point = model.point_at(spec.benchmark, float(x))
        model.validate_point(point)
        row = {"m1_gev": float(point.get("m1", x))}
        for name, (exp, beam) in experiments.items():
            exposure = max(exp.exposures)
            if "mesons" in exp.production:
                n_int = exposure * exp.interactions_per_exposure
                for meson, f_m in exp.mesons_per_interaction.items():
                    row[f"{name}:{meson}"] = n_int * f_m * model.branching_ratio(meson, point, coupling)
            if "partons" in exp.production:
                process = model.parton_process(point)
                if process is None or xf is None:
                    raise ValueError(f"model {model.name!r} has no parton process; {name!r} lists partons")
                settings = beam.partons or PartonSettings()  # the sqrt(s_hat) range of the beam's parton sample
                cut = coupling if process.eft_cut else None
                sigma = hadronic_cross_section_pb(
                    process.at_coupling(coupling), xf, beam.energy, cut=cut, mhat_min=settings.mhat_min_gev
                )
                lumi_pb = exposure * 1.0e3  # fb^-1 -> pb^-1
                row[f"{name}:partons"] = lumi_pb * sigma * float(process.coupling_weight([coupling])[0])
        rows.append(row)
    for row in rows:
        if not all(np.isfinite(v) and v >= 0.0 for v in row.values()):
            raise FloatingPointError(f"non-finite or negative production numbers at m1 = {row['m1_gev']}")
    return rows, columns


def _plot(spec: Any, rows: Sequence[Mapping[str, float]], columns: Sequence[str], paths: Sequence[str | Path]) -> None:
    plt = pyplot()
    names = list(spec.experiments)
    fig, axes = plt.subplots(1, len(names), figsize=(5.5 * len(names), 4.4), squeeze=False)
    m1 = np.array([r["m1_gev"] for r in rows])
    for ax, name in zip(axes[0], names):
        for col in (c for c in columns if c.startswith(f"{name}:")):
            what = col.split(":", 1)[1]
            y = np.array([r[col] for r in rows], dtype=float)
            y[~(y > 0.0)] = np.nan
            if not np.any(np.isfinite(y)):
                continue
            label = "partons" if what == "partons" else MESON_LABELS.get(what, what)
            style = {"color": "black", "lw": 2.0} if what == "partons" else {"lw": 1.4}
            ax.plot(m1, y, label=label, **style)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(r"$m_1$ [GeV]")
        ax.set_ylabel(r"$N_{\phi_2}$ produced")
        ax.set_title(display_name(name))
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=7)
    delta = spec.benchmark.get("delta")
    bench = rf"$\delta = {delta:g}$, " if delta is not None else ""
    bench += rf"$\Lambda = {spec.coupling / 1000:g}$ TeV"
    fig.suptitle(f"{spec.title}: {bench}" if spec.title else bench)
    fig.tight_layout()
    for path in paths:
        fig.savefig(path, dpi=150)
    plt.close(fig)


def _hepdata_tables(spec: Any, rows: Sequence[Mapping[str, float]], columns: Sequence[str]) -> list[Table]:
    x = (Variable("$m_1$", tuple(float(r["m1_gev"]) for r in rows), "GeV"),)
    quals = [Qualifier("Lambda", float(spec.coupling), "GeV")]
    quals += [Qualifier(str(k), float(v)) for k, v in spec.benchmark.items() if isinstance(v, (int, float))]
    tables = []
    for name in spec.experiments:
        deps = []
        for col in (c for c in columns if c.startswith(f"{name}:")):
            what = col.split(":", 1)[1]
            header = "N(phi2) from partons" if what == "partons" else f"N(phi2) from {MESON_TEXT.get(what, what)}"
            deps.append(Variable(header, tuple(float(r[col]) for r in rows)))
        tables.append(
            Table(
                name=f"Fig. 2: phi2 produced at {display_name(name)}",
                description=(
                    f"Number of phi2 produced at {display_name(name)} (largest configured exposure, both "
                    "hemispheres, before geometry) per meson channel (eqs. 2.3, 2.6 of paper 003) and from partons "
                    "(eq. 2.7, sqrt(s_hat) <= Lambda) against m1; closed channels are exactly 0."
                ),
                independent=x,
                dependent=tuple(deps),
                qualifiers=tuple(quals),
                keywords={"observables": ["N"], "phrases": ["Dark sector", "Inelastic scalars", "Production"]},
            )
        )
    return tables


def make_production_figure(
    spec: Any,
    png: str | Path,
    pdf: str | Path,
    csv: str | Path,
    hepdata_dir: str | Path,
    config_hash: str | None = None,
    seed: int | None = None,
) -> list[dict[str, float]]:
    """Compute, tabulate (CSV), draw (PNG, PDF) and record (HEPData) the production figure ``spec``."""
    rows, columns = production_table(spec)
    prov = make_provenance(config_hash, seed)
    header = {
        "table": PRODUCTION_TABLE,
        "figure": spec.name,
        "model": spec.model,
        "benchmark": dict(spec.benchmark),
        "coupling": float(spec.coupling),
        "experiments": list(spec.experiments),
        "columns": {"<experiment>:<meson>": "N(phi2) from M decays", "<experiment>:partons": "N(phi2) from partons"},
        "source": spec.source,
        "provenance": prov,
    }
    write_table(csv, header, columns, ({k: f"{v:.8g}" for k, v in row.items()} for row in rows))
    _plot(spec, rows, columns, [png, pdf])
    comment = (
        "Fig. 2 of paper 003 (E. Bertuzzo, M. Taoso, Probing light dark scalars with future experiments): phi2 "
        f"produced per channel at {', '.join(spec.experiments)}. Written by darkreach."
    )
    resources = [(png, "The figure (PNG)."), (csv, "The table of every panel (CSV).")]
    write_validated_submission(hepdata_dir, _hepdata_tables(spec, rows, columns), comment, resources=resources,
                               provenance=prov)  # fmt: skip
    return rows
