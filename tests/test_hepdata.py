"""HEPData records (darkreach.output.hepdata): structure, round trip, plain numbers, the official validator."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from darkreach.output.hepdata import Qualifier, Table, Variable, read_submission, validate_submission, write_submission


def table(name: str = "Panel 1: NA62 10^18 POT", n: int = 4, **kw) -> Table:
    mass = np.geomspace(0.01, 1.0, n)  # numpy scalars on purpose
    low = 1e-6 * (1 + mass)
    high = 1e-3 / (1 + mass)
    args = dict(
        name=name,
        description="NA62 sensitivity, N >= 3",
        independent=(Variable("$m_1$", tuple(mass), "GeV"),),
        dependent=(Variable("$d$ lower edge", tuple(low), "GeV^-1"), Variable("$d$ upper edge", tuple(high), "GeV^-1")),
        qualifiers=(
            Qualifier("experiment", "NA62"),
            Qualifier("exposure", np.float64(1e18)),
            Qualifier("energy threshold", 1, "GeV"),
            Qualifier("benchmark", "delta = 0.1"),
        ),  # fmt: skip
        keywords={"phrases": ["Dark sector", "Sensitivity"], "cmenergies": [27.4]},
    )
    args.update(kw)
    return Table(**args)


def test_structure_follows_the_documented_format(tmp_path: Path) -> None:
    """submission.yaml: a first document with comment/additional_resources, one document per table."""
    fig = tmp_path / "fig.png"
    fig.write_bytes(b"\x89PNG fake")
    out = tmp_path / "record"
    written = write_submission(out, [table(), table("Empty", n=0)], "All tables of Fig. 2", resources=[(fig, "Fig")])
    assert written[0] == out / "submission.yaml"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)
    with (out / "submission.yaml").open() as fh:
        docs = list(yaml.safe_load_all(fh))
    assert docs[0] == {"comment": "All tables of Fig. 2", "additional_resources": [{"location": "fig.png",
                                                                                   "description": "Fig"}]}  # fmt: skip
    assert (out / "fig.png").read_bytes() == fig.read_bytes()
    assert [set(d) for d in docs[1:]] == [{"name", "description", "keywords", "data_file"}] * 2
    assert docs[1]["keywords"] == [{"name": "phrases", "values": ["Dark sector", "Sensitivity"]},
                                   {"name": "cmenergies", "values": ["27.4"]}]  # fmt: skip
    with (out / docs[1]["data_file"]).open() as fh:
        data = yaml.safe_load(fh)
    assert set(data) == {"independent_variables", "dependent_variables"}
    (x,) = data["independent_variables"]
    assert x["header"] == {"name": "$m_1$", "units": "GeV"} and len(x["values"]) == 4
    for dep in data["dependent_variables"]:
        assert dep["header"]["units"] == "GeV^-1"
        assert dep["qualifiers"][1] == {"name": "exposure", "value": 1e18}
        assert dep["qualifiers"][2] == {"name": "energy threshold", "value": 1.0, "units": "GeV"}
        assert all(set(v) == {"value"} and type(v["value"]) is float for v in dep["values"])
    text = "".join(p.read_text() for p in out.glob("*.yaml"))
    assert "!!" not in text and "numpy" not in text  # plain floats, no Python tags
    assert validate_submission(out) == []


def test_round_trip(tmp_path: Path) -> None:
    tables = [table(), table("Panel 2: HIKE", n=7, qualifiers=()), table("Empty", n=0)]
    write_submission(tmp_path / "r", tables, "comment")
    comment, back = read_submission(tmp_path / "r")
    assert comment == "comment" and [t.name for t in back] == [t.name for t in tables]
    for a, b in zip(tables, back):
        for va, vb in zip((*a.independent, *a.dependent), (*b.independent, *b.dependent)):
            assert (vb.name, vb.units) == (va.name, va.units)
            assert list(vb.values) == [float(v) for v in va.values]  # exactly, not approximately
        assert [(q.name, q.value, q.units) for q in b.qualifiers] == [
            (q.name, q.value if isinstance(q.value, str) else float(q.value), q.units) for q in a.qualifiers
        ]
        assert b.description == a.description
    assert validate_submission(tmp_path / "r") == []


def test_dimensionless_variable_has_no_units(tmp_path: Path) -> None:
    t = table(independent=(Variable("$\\delta$", (0.1, 0.2, 0.3, 0.4)),))
    write_submission(tmp_path / "r", [t], "c")
    data = yaml.safe_load((tmp_path / "r" / "panel_1_na62_10_18_pot.yaml").read_text())
    assert data["independent_variables"][0]["header"] == {"name": "$\\delta$"}
    assert validate_submission(tmp_path / "r") == []


@pytest.mark.parametrize(
    ("tables", "match"),
    [
        ([table(dependent=(Variable("y", (1.0, float("nan"), 2.0, 3.0)),))], r"'Panel 1: NA62 10\^18 POT': y: nan"),
        ([table(dependent=(Variable("y", (1.0, 2.0)),))], "different lengths"),
        ([table(), table()], "duplicate table names"),
        ([table("x" * 65)], "1 to 64 characters"),
        ([table(keywords={"topics": ["a"]})], "unknown keyword names"),
        ([table(qualifiers=(Qualifier("exposure", float("inf")),))], "qualifier 'exposure': inf"),
        ([], "at least one table"),
    ],
)
def test_bad_tables_are_refused_before_writing(tmp_path: Path, tables: list[Table], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        write_submission(tmp_path / "r", tables, "c")
    assert not (tmp_path / "r").exists()


def test_rewrite_replaces_a_previous_record_and_spares_other_directories(tmp_path: Path) -> None:
    out = tmp_path / "r"
    write_submission(out, [table("A"), table("B")], "first")
    write_submission(out, [table("C")], "second")
    assert sorted(p.name for p in out.iterdir()) == ["c.yaml", "submission.yaml"]
    assert validate_submission(out) == []  # a stale table would be "not referenced in the submission"
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="refusing"):
        write_submission(other, [table()], "c")
    assert (other / "notes.txt").read_text() == "mine"


def test_validator_catches_broken_records(tmp_path: Path) -> None:
    out = tmp_path / "r"
    write_submission(out, [table("A"), table("B")], "c")
    (out / "b.yaml").unlink()
    assert any("Missing data_file 'b.yaml'" in m for m in validate_submission(out))
    data = yaml.safe_load((out / "a.yaml").read_text())
    data["dependent_variables"][0]["values"][0] = {"value": 1.0, "error": 0.1}
    (out / "a.yaml").write_text(json.dumps(data))
    assert any("a.yaml" in m for m in validate_submission(out))


def test_provenance_goes_into_the_comment_and_the_record_stays_valid(tmp_path: Path) -> None:
    from darkreach.output.hepdata import read_submission_provenance, write_validated_submission
    from darkreach.output.provenance import provenance

    prov = provenance("0123456789abcdef", 17)
    out = tmp_path / "r"
    write_validated_submission(out, [table()], "A comment.", provenance=prov)
    comment, _ = read_submission(out)
    assert comment.startswith("A comment. Provenance: darkreach_version=") and "config_hash=0123456789abcdef" in comment
    assert read_submission_provenance(out) == prov
    assert validate_submission(out) == []
    write_submission(out, [table()], "plain")  # no provenance given: the comment is unchanged
    assert read_submission(out)[0] == "plain" and read_submission_provenance(out) == {}
