"""HEPData submission records (YAML), as described at https://hepdata-submission.readthedocs.io.

A submission is a directory with ``submission.yaml`` and one data YAML per table:

- ``submission.yaml`` is a multi-document YAML file. The first document holds what concerns the whole record
  (``comment``, ``additional_resources``); every following document describes one table (``name``,
  ``description``, ``keywords``, ``data_file``). darkreach appends its provenance (version, git commit, config
  hash, seed, PYTHIA version; :mod:`darkreach.output.provenance`) to the comment.
- each data file holds ``independent_variables`` and ``dependent_variables``, every variable a ``header``
  (``name``, optional ``units``) and its ``values``; dependent variables also carry ``qualifiers`` (name, value,
  optional units).

:func:`write_submission` writes such a directory from :class:`Table` objects, :func:`read_submission` reads one
back, and :func:`validate_submission` checks it with the official ``hepdata-validator`` (offline: the schemas
ship with the package).
"""

from __future__ import annotations

import math
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from darkreach.output.provenance import parse_provenance_text, provenance_text

SUBMISSION_FILE = "submission.yaml"
MAX_TABLE_NAME = 64  # submission schema: name maxLength
KEYWORD_NAMES = ("cmenergies", "observables", "reactions", "phrases")

#: Uncertainties at most this fraction of their value are rounding, not Monte Carlo spread, and are left out.
_NEGLIGIBLE_ERROR = 1e-12


@dataclass(frozen=True)
class Variable:
    """One column of a table: a header (name, units; empty units for dimensionless) and its numbers.

    ``errors`` (dependent variables): per value an asymmetric uncertainty (minus, plus), both >= 0, written as
    HEPData ``errors: [{asymerror: {minus: -minus, plus: plus}, label: error_label}]`` (omitted where both are
    zero, which HEPData refuses).
    """

    name: str
    values: tuple[float, ...]
    units: str = ""
    errors: tuple[tuple[float, float], ...] | None = None
    error_label: str = "stat"


@dataclass(frozen=True)
class Qualifier:
    """A property shared by every value of a dependent variable, e.g. the experiment or the exposure."""

    name: str
    value: str | float
    units: str = ""


@dataclass(frozen=True)
class Table:
    """One HEPData table: metadata for ``submission.yaml`` and the columns of its data file.

    ``qualifiers`` apply to every dependent variable. ``keywords`` maps a keyword name (cmenergies,
    observables, reactions, phrases) to its values. ``data_file`` defaults to a name derived from ``name``.
    """

    name: str
    description: str
    independent: tuple[Variable, ...]
    dependent: tuple[Variable, ...]
    qualifiers: tuple[Qualifier, ...] = ()
    keywords: Mapping[str, Sequence[str]] = field(default_factory=dict)
    data_file: str = ""


def _number(value: Any, where: str) -> float:
    """A plain, finite Python float (never a numpy scalar, never NaN) for the YAML files."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: {value!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"{where}: {value!r} is not finite")
    return x


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    return slug or "table"


def _header(var: Variable) -> dict[str, str]:
    head = {"name": str(var.name)}
    if var.units:
        head["units"] = str(var.units)
    return head


def _qualifier(q: Qualifier, where: str) -> dict[str, Any]:
    if isinstance(q.value, str):
        value: str | float = q.value
    else:
        value = _number(q.value, f"{where}: qualifier {q.name!r}")
    out: dict[str, Any] = {"name": str(q.name), "value": value}
    if q.units:
        out["units"] = str(q.units)
    return out


def _data_document(table: Table) -> dict[str, Any]:
    lengths = {len(v.values) for v in (*table.independent, *table.dependent)}
    if len(lengths) > 1:
        sizes = {v.name: len(v.values) for v in (*table.independent, *table.dependent)}
        raise ValueError(f"table {table.name!r}: variables have different lengths {sizes}")
    where = f"table {table.name!r}"
    independent = [
        {"header": _header(v), "values": [{"value": _number(x, f"{where}: {v.name}")} for x in v.values]}
        for v in table.independent
    ]
    dependent = []
    for v in table.dependent:
        entry: dict[str, Any] = {"header": _header(v)}
        if table.qualifiers:
            entry["qualifiers"] = [_qualifier(q, where) for q in table.qualifiers]
        entry["values"] = [{"value": _number(x, f"{where}: {v.name}")} for x in v.values]
        if v.errors is not None:
            if len(v.errors) != len(v.values):
                raise ValueError(f"{where}: {v.name} has {len(v.errors)} errors for {len(v.values)} values")
            for x, value, (minus, plus) in zip(v.values, entry["values"], v.errors):
                if max(abs(minus), abs(plus)) <= _NEGLIGIBLE_ERROR * abs(float(x)):
                    # an edge without Monte Carlo spread (at the end of the scanned grid, or of an analytic
                    # yield): HEPData refuses all-zero uncertainties, so the value carries none
                    continue
                asymerror = {
                    "minus": -_number(minus, f"{where}: {v.name}"),
                    "plus": _number(plus, f"{where}: {v.name}"),
                }
                value["errors"] = [{"asymerror": asymerror, "label": v.error_label}]
        dependent.append(entry)
    return {"independent_variables": independent, "dependent_variables": dependent}


def _prepare_directory(directory: Path) -> None:
    """Create ``directory``, or empty a previous submission there (a stray file would invalidate the record)."""
    if directory.exists():
        if not directory.is_dir():
            raise ValueError(f"{str(directory)!r} exists and is not a directory")
        entries = list(directory.iterdir())
        if entries and not (directory / SUBMISSION_FILE).is_file():
            raise ValueError(
                f"{str(directory)!r} is not empty and holds no {SUBMISSION_FILE}: refusing to write a HEPData "
                "record over unrelated files"
            )
        for entry in entries:
            if entry.is_dir():
                raise ValueError(f"{str(directory)!r} holds a sub-directory {entry.name!r}; HEPData records are flat")
            entry.unlink()
    directory.mkdir(parents=True, exist_ok=True)


def write_submission(
    directory: str | Path,
    tables: Sequence[Table],
    comment: str,
    resources: Sequence[tuple[str | Path, str]] = (),
    provenance: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write a HEPData record of ``tables`` into ``directory``; returns the files written.

    ``comment`` applies to the whole record. ``resources`` are (file, description) pairs copied into the
    directory and listed under ``additional_resources`` (e.g. the figure itself). ``provenance`` (see
    :func:`darkreach.output.provenance.provenance`) is appended to the comment as one 'Provenance: key=value; ...'
    sentence. A previous record in ``directory`` is replaced; a non-empty directory that is not a record is
    refused.
    """
    if not tables:
        raise ValueError("a HEPData record needs at least one table")
    directory = Path(directory)
    names = [t.name for t in tables]
    for name in names:
        if not name or len(name) > MAX_TABLE_NAME:
            raise ValueError(f"table name {name!r} must have 1 to {MAX_TABLE_NAME} characters")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"duplicate table names {duplicates}")
    for t in tables:
        unknown = sorted(set(t.keywords) - set(KEYWORD_NAMES))
        if unknown:
            raise ValueError(f"table {t.name!r}: unknown keyword names {unknown}; allowed {list(KEYWORD_NAMES)}")
    data_files: list[str] = []
    for i, t in enumerate(tables):
        fname = t.data_file or f"{_slug(t.name)}.yaml"
        if "/" in fname or fname == SUBMISSION_FILE:
            raise ValueError(f"table {t.name!r}: data_file {fname!r} must be a plain file name")
        if fname in data_files:
            fname = f"{Path(fname).stem}_{i + 1}.yaml"
        data_files.append(fname)
    documents = [_data_document(t) for t in tables]  # checks every number before anything is written
    resource_names = [Path(path).name for path, _ in resources]
    clash = sorted(set(resource_names) & ({SUBMISSION_FILE, *data_files}))
    if clash or len(set(resource_names)) != len(resource_names):
        raise ValueError(f"additional resource names {resource_names} clash with each other or the record's files")

    _prepare_directory(directory)
    written: list[Path] = []
    text = str(comment)
    if provenance:
        text = f"{text} {provenance_text(provenance)}" if text else provenance_text(provenance)
    head: dict[str, Any] = {"comment": text}
    if resources:
        head["additional_resources"] = []
        for (path, description), name in zip(resources, resource_names):
            shutil.copyfile(path, directory / name)
            written.append(directory / name)
            head["additional_resources"].append({"location": name, "description": str(description)})
    docs: list[dict[str, Any]] = [head]
    for t, fname, doc in zip(tables, data_files, documents):
        docs.append(
            {
                "name": t.name,
                "description": t.description,
                "keywords": [{"name": k, "values": [str(x) for x in vals]} for k, vals in t.keywords.items()],
                "data_file": fname,
            }
        )
        path = directory / fname
        with path.open("w") as fh:
            yaml.safe_dump(doc, fh, sort_keys=False, allow_unicode=True, width=1000)
        written.append(path)
    sub = directory / SUBMISSION_FILE
    with sub.open("w") as fh:
        yaml.safe_dump_all(docs, fh, sort_keys=False, allow_unicode=True, width=1000, explicit_start=True)
    return [sub, *written]


def _variable(entry: Mapping[str, Any]) -> Variable:
    head = entry["header"]
    values = entry["values"]
    errors = None
    with_errors = [v for v in values if "errors" in v]
    if with_errors:  # a value written without errors had a negligible one (see the writer)
        errors = tuple(
            (-float(v["errors"][0]["asymerror"]["minus"]), float(v["errors"][0]["asymerror"]["plus"]))
            if "errors" in v
            else (0.0, 0.0)
            for v in values
        )
    label = with_errors[0]["errors"][0].get("label", "stat") if with_errors else "stat"
    return Variable(
        name=head["name"],
        values=tuple(v["value"] for v in values),
        units=head.get("units", ""),
        errors=errors,
        error_label=label,
    )


def read_submission(directory: str | Path) -> tuple[str, list[Table]]:
    """Read a record written by :func:`write_submission`: the comment and the tables, numbers as floats.

    Qualifiers are taken from the first dependent variable (write_submission gives all the same ones).
    """
    directory = Path(directory)
    with (directory / SUBMISSION_FILE).open() as fh:
        docs = [d for d in yaml.safe_load_all(fh) if d]
    comment = ""
    tables: list[Table] = []
    for doc in docs:
        if "data_file" not in doc:
            comment = doc.get("comment", comment)
            continue
        with (directory / doc["data_file"]).open() as fh:
            data = yaml.safe_load(fh)
        deps = data["dependent_variables"]
        first = deps[0].get("qualifiers", []) if deps else []
        quals = tuple(Qualifier(q["name"], q["value"], q.get("units", "")) for q in first)
        tables.append(
            Table(
                name=doc["name"],
                description=doc["description"],
                independent=tuple(_variable(e) for e in data["independent_variables"]),
                dependent=tuple(_variable(e) for e in deps),
                qualifiers=quals,
                keywords={k["name"]: list(k["values"]) for k in doc.get("keywords", [])},
                data_file=doc["data_file"],
            )
        )
    return comment, tables


def read_submission_provenance(directory: str | Path) -> dict[str, Any]:
    """The provenance written into the comment of the record in ``directory`` ({} if it has none)."""
    comment, _ = read_submission(directory)
    return parse_provenance_text(comment)


def _record_files(directory: Path) -> list[Path]:
    """Files of the record: everything in ``directory`` except hidden files (e.g. Snakemake's
    ``.snakemake_timestamp`` marker in a ``directory()`` output), which are not part of the submission."""
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


def archive_submission(directory: str | Path, archive: str | Path) -> Path:
    """Zip the record in ``directory`` (hidden files excluded) into ``archive``, ready for upload to HEPData."""
    import zipfile

    directory, archive = Path(directory), Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in _record_files(directory):
            zf.write(path, arcname=path.name)
    return archive


def validate_submission(directory: str | Path) -> list[str]:
    """Messages of the official HEPData validator for the record in ``directory`` (empty: valid).

    Hidden files are not part of the record and are left out (the record is validated in a scratch copy).
    Raises ImportError when ``hepdata-validator`` is not installed. Runs offline.
    """
    import tempfile
    import warnings

    directory = Path(directory)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # jsonschema's RefResolver, used by the validator
        from hepdata_validator.full_submission_validator import FullSubmissionValidator

        validator = FullSubmissionValidator(autoload_remote_schemas=False)
        with tempfile.TemporaryDirectory() as scratch:
            for path in _record_files(directory):
                shutil.copy2(path, Path(scratch) / path.name)
            ok = validator.validate(directory=scratch)
            messages = [
                f"{directory / Path(file).name}: {m.message}"
                for file, msgs in validator.get_messages().items()
                for m in msgs
            ]
    if not ok and not messages:
        messages = [f"{directory}: invalid HEPData record"]
    return messages


def write_validated_submission(
    directory: str | Path,
    tables: Sequence[Table],
    comment: str,
    resources: Sequence[tuple[str | Path, str]] = (),
    provenance: Mapping[str, Any] | None = None,
) -> list[Path]:
    """:func:`write_submission`, then :func:`validate_submission`; raise ``RuntimeError`` listing the
    validator's messages if the record is invalid (``hepdata-validator`` is a pinned dependency)."""
    written = write_submission(directory, tables, comment, resources=resources, provenance=provenance)
    problems = validate_submission(directory)
    if problems:
        raise RuntimeError(f"HEPData record {directory} is invalid: " + "; ".join(problems))
    return written
