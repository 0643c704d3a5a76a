"""Meson multiplicities per proton-proton interaction from PYTHIA, beside Table 1 of paper 000.

Paper 000 (sec. 4.1, eq. 4.2) normalises the meson yield as ``N_M = N_POT x f_M`` with ``f_M`` the
multiplicity per pp interaction of Table 1. For a file generated with process X the multiplicity per
inelastic pp interaction is

    f_M = (instances per accepted event of X) x sigma_gen(X) / sigma_gen(SoftQCD:inelastic),

both cross sections being PYTHIA's own estimates for the same beam. For the SoftQCD file itself this
is just the number per event. An engine without processes (SIBYLL 2.3d, :mod:`.engines`) makes minimum-bias
inelastic events only: its file is the beam's reference in place of SoftQCD:inelastic (its ``sigma_gen_mb`` is
SIBYLL's inelastic cross section), and the PYTHIA hard-process files of the same beam normalise to it. The A^0.29 nuclear scaling (:func:`darkreach.mesons.nuclear_scaling`) is
*not* applied here: Table 1 quotes pp multiplicities. :func:`generated_multiplicities` turns these rows into
an experiment's f_M (config ``multiplicity_table: generated``), with the generators' correction factors and,
on a nuclear target, the A^0.29 scaling.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from darkreach.mesons import PAPER000_TABLE1, nuclear_scaling
from darkreach.output.provenance import provenance as make_provenance
from darkreach.output.tables import TableFormatError, read_table, write_table
from darkreach.production import BeamFrame
from darkreach.production.meson_beams.engines import ENGINES
from darkreach.production.meson_beams.samples import read_metadata

#: The ``table`` of the JSON header line of a multiplicity CSV (:mod:`darkreach.output.tables`).
TABLE_NAME = "multiplicities"

#: Engines whose every sample is minimum-bias inelastic (the reference of the beam's multiplicities).
_MINIMUM_BIAS_ENGINES = frozenset(name for name, engine in ENGINES.items() if not engine.takes_process)

#: Columns of :func:`write_multiplicity_csv`, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "species",
    "generator",
    "process",
    "n_events",
    "n_instances",
    "per_event",
    "sigma_gen_mb",
    "per_pp_interaction",
    "table1_paper000",
    "ratio",
)
_TEXT_COLUMNS = ("species", "generator", "process")
_INT_COLUMNS = ("n_events", "n_instances")
_OPTIONAL_COLUMNS = ("table1_paper000", "ratio")


def _per_event(metadata: Mapping[str, Any], species: str) -> float:
    """Weighted instances per accepted event (= n_instances / n_events for unweighted generation)."""
    sum_weights = float(metadata.get("sum_weights", metadata["n_events"]))
    weight_sum = float(metadata.get("weight_sums", metadata["counts"])[species])
    if sum_weights <= 0.0:
        raise ValueError(f"file for process {metadata.get('process')!r} has no events")
    return weight_sum / sum_weights


def multiplicity_table(
    files: Mapping[str, str | os.PathLike[str]], reference_process: str = "SoftQCD:inelastic"
) -> list[dict[str, Any]]:
    """Multiplicities per pp interaction for every species of every file, with Table 1 beside them.

    Parameters
    ----------
    files
        Generator name -> merged ROOT file, all for the same beam (e.g. ``{"softqcd": ...,
        "charmonium": ...}``).
    reference_process
        Process whose ``sigma_gen`` is the inelastic pp cross section used for normalisation (or a file of a
        minimum-bias engine, SIBYLL).

    Returns
    -------
    list of dict
        One row per (file, species) with the keys of :data:`CSV_COLUMNS`; ``table1_paper000`` and
        ``ratio`` are ``None`` when Table 1 has no entry for the species.

    Raises
    ------
    ValueError
        If no file (or more than one) was generated with ``reference_process``, if the files are for
        different beam energies, or if a cross section is not positive.
    """
    metas = {name: read_metadata(path) for name, path in files.items()}
    references = [
        name
        for name, meta in metas.items()
        if meta.get("process") == reference_process or meta.get("generator") in _MINIMUM_BIAS_ENGINES
    ]
    if not references:
        found = {name: meta.get("process") for name, meta in metas.items()}
        raise ValueError(f"no file generated with {reference_process!r} to normalise to; processes: {found}")
    if len(references) > 1:
        raise ValueError(f"several files generated with {reference_process!r}: {references}; give one per beam")
    energies = {name: meta.get("beam_energy_gev") for name, meta in metas.items()}
    if len(set(energies.values())) > 1:
        raise ValueError(f"files are for different beam energies: {energies}")
    sigma_ref = float(metas[references[0]]["sigma_gen_mb"])
    if not sigma_ref > 0.0:
        raise ValueError(f"sigma_gen of {files[references[0]]} is {sigma_ref} mb; cannot normalise")

    rows: list[dict[str, Any]] = []
    for name, meta in metas.items():
        sigma = float(meta["sigma_gen_mb"])
        if not sigma > 0.0:
            raise ValueError(f"sigma_gen of {files[name]} is {sigma} mb")
        is_reference = name == references[0]
        for species in meta["species"]:
            per_event = _per_event(meta, species)
            per_pp = per_event if is_reference else per_event * sigma / sigma_ref
            table1 = PAPER000_TABLE1.get(species)
            rows.append(
                {
                    "species": species,
                    "generator": name,
                    "process": meta["process"],
                    "n_events": int(meta["n_events"]),
                    "n_instances": int(meta["counts"][species]),
                    "per_event": per_event,
                    "sigma_gen_mb": sigma,
                    "per_pp_interaction": per_pp,
                    "table1_paper000": table1,
                    "ratio": per_pp / table1 if table1 else None,
                }
            )
    return rows


def generated_multiplicities(
    files: Mapping[str, str | os.PathLike[str]],
    beam_cfg: Mapping[str, Any],
    target_mass_number: float = 1.0,
    nuclear_scaling_mode: str = "heavy-flavour",
) -> dict[str, float]:
    """f_M per pp interaction from the beam's own PYTHIA samples (config ``multiplicity_table: generated``).

    f_M = (instances per event of process X) x sigma_gen(X) / sigma_gen(SoftQCD:inelastic) x c_X, with c_X the
    generator's ``correction_factor`` (1.6 for J/psi and 0.25 for Upsilon at the LHC, paper 003 sec. 2.2),
    times A^0.29 for heavy flavour on a nuclear target (paper 000 sec. 4.1; which species:
    ``nuclear_scaling_mode``, see :data:`darkreach.mesons.NUCLEAR_SCALING_CLASSES`).
    """
    rows = multiplicity_table(files)
    nuclear = BeamFrame(beam_cfg["frame"]).nuclear_target
    out: dict[str, float] = {}
    for row in rows:
        gcfg = beam_cfg["generators"][row["generator"]]
        if row["species"] not in gcfg["species"]:
            continue
        factor = float(gcfg.get("correction_factor", 1.0))
        scale = nuclear_scaling(row["species"], target_mass_number, nuclear_scaling_mode) if nuclear else 1.0
        out[row["species"]] = row["per_pp_interaction"] * factor * scale
    return out


def write_multiplicity_csv(
    rows: list[dict[str, Any]], path: str | os.PathLike[str], provenance: Mapping[str, Any] | None = None
) -> None:
    """Write :func:`multiplicity_table` rows to ``path`` (columns :data:`CSV_COLUMNS`, None -> empty).

    The one table format of :mod:`darkreach.output.tables`: a JSON header line ``{"table": "multiplicities",
    "format_version": ..., "provenance": {...}}`` (``provenance``, default
    :func:`darkreach.output.provenance.provenance`), then the CSV. Read it with :func:`read_multiplicity_csv`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"table": TABLE_NAME, "provenance": make_provenance() if provenance is None else dict(provenance)}
    write_table(
        path,
        header,
        CSV_COLUMNS,
        [{key: ("" if row.get(key) is None else row[key]) for key in CSV_COLUMNS} for row in rows],
    )


def read_multiplicity_csv(path: str | os.PathLike[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The provenance and the rows of a CSV written by :func:`write_multiplicity_csv`, typed as
    :func:`multiplicity_table` returns them (empty ``table1_paper000``/``ratio`` -> None).

    Raises
    ------
    TableFormatError
        If the file has no JSON header line (e.g. the ``# key: value`` lines an older darkreach wrote: rerun the
        ``multiplicities`` rule), holds another table, or lacks a column of :data:`CSV_COLUMNS`.
    """
    header, text_rows = read_table(Path(path), TABLE_NAME)
    rows: list[dict[str, Any]] = []
    for line, text in enumerate(text_rows, start=3):
        missing = [key for key in CSV_COLUMNS if text.get(key) is None]
        if missing:
            raise TableFormatError(f"{str(path)!r} line {line}: no value for the column(s) {missing}")
        row: dict[str, Any] = {}
        for key in CSV_COLUMNS:
            value = text[key]
            try:
                if key in _TEXT_COLUMNS:
                    row[key] = value
                elif key in _INT_COLUMNS:
                    row[key] = int(value)
                elif key in _OPTIONAL_COLUMNS and value == "":
                    row[key] = None
                else:
                    row[key] = float(value)
            except ValueError:
                raise TableFormatError(f"{str(path)!r} line {line}: column {key!r} is {value!r}") from None
        rows.append(row)
    return dict(header.get("provenance") or {}), rows


def format_multiplicity_table(rows: list[dict[str, Any]]) -> str:
    """Plain-text rendering of :func:`multiplicity_table` rows (for logs and ``pytest -s``)."""
    header = (
        f"{'species':8} {'generator':12} {'n_inst':>8} {'per_event':>10} {'sigma_mb':>10} "
        f"{'per_pp':>10} {'table1':>10} {'ratio':>7}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        table1 = "-" if r["table1_paper000"] is None else f"{r['table1_paper000']:10.3g}"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:7.3f}"
        lines.append(
            f"{r['species']:8} {r['generator']:12} {r['n_instances']:8d} {r['per_event']:10.4g} "
            f"{r['sigma_gen_mb']:10.4g} {r['per_pp_interaction']:10.4g} {table1:>10} {ratio:>7}"
        )
    return "\n".join(lines)
