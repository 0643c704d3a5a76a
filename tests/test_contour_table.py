"""The one contour-table writer and reader (darkreach.output.contour_table) and the JSON-header table format
(darkreach.output.tables): round trips keep every field, the provenance and the numbers; anything else is refused
with the file named."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from darkreach.output import (
    CONTOUR_COLUMNS,
    ContourTable,
    TableFormatError,
    contour_table_from_scan,
    read_contour_table,
    read_grid_csv,
    read_header,
    read_table,
    write_contour_table,
    write_contours_csv,
    write_grid_csv,
    write_table,
)
from darkreach.output.provenance import provenance, provenance_from_metadata
from darkreach.output.tables import FORMAT_VERSION
from darkreach.sensitivity.scan import ScanResult

PROV = provenance("0123456789abcdef", 17)


def table() -> ContourTable:
    rows = (
        {"exposure": 1e18, "energy_threshold_gev": 1.0, "level": 3.0, "mass": 0.01, "interval": 0,
         "coupling_low": 4.4e-6, "coupling_high": 1.05e-3, "low_at_grid_edge": False, "high_at_grid_edge": True},
        {"exposure": 1e18, "energy_threshold_gev": 1.0, "level": 3.0, "mass": 0.01, "interval": 1,
         "coupling_low": 2.0e-2, "coupling_high": 3.0e-2, "low_at_grid_edge": False, "high_at_grid_edge": False},
        {"exposure": 1e17, "energy_threshold_gev": 2.0, "level": 3.0, "mass": 0.123456789, "interval": 0,
         "coupling_low": 1.0e-5, "coupling_high": 2.0e-4, "low_at_grid_edge": True, "high_at_grid_edge": False},
    )  # fmt: skip
    return ContourTable(
        model="inelastic-scalar", benchmark={"axis": "delta", "m2": 1.0, "couplings": {"e": 1.0}},
        mass_parameter="delta", mass_unit="", coupling_name="Lambda", coupling_unit="GeV", rows=rows, level=3.0,
        exposures=(1e17, 1e18), energy_thresholds_gev=(1.0, 2.0), exposure_unit="POT", experiment="charm",
        provenance=PROV,
    )  # fmt: skip


def scan_result(metadata: dict | None = None) -> ScanResult:
    masses = np.geomspace(0.01, 1.0, 5)
    couplings = np.geomspace(1e-9, 1e-2, 30)
    shape = (1e-15 * (couplings / 1e-6) ** 2 * np.exp(-((couplings / 1e-3) ** 2)))[None, :] * (1 + masses)[:, None]
    return ScanResult(
        model="idm-dipole", benchmark={"delta": 0.1}, mass_parameter="m1", coupling_name="d",
        coupling_unit="GeV^-1", masses=masses, couplings=couplings, thresholds=np.array([0.0, 1.0]),
        per_interaction=np.stack([shape, 0.5 * shape]), metadata=metadata or {},
    )  # fmt: skip


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    original = table()
    write_contour_table(original, path)
    lines = path.read_text().splitlines()
    assert lines[0].startswith("# {") and not lines[1].startswith("#")  # one header line, then the CSV
    header = json.loads(lines[0][2:])  # the header is one JSON object
    assert header["table"] == "contours" and header["format_version"] == FORMAT_VERSION
    assert header["benchmark"] == {"axis": "delta", "m2": 1.0, "couplings": {"e": 1.0}}
    assert (header["mass_parameter"], header["mass_unit"], header["coupling_name"], header["coupling_unit"]) == (
        "delta", "", "Lambda", "GeV")  # fmt: skip
    assert (header["level"], header["exposures"], header["exposure_unit"]) == (3.0, [1e17, 1e18], "POT")
    assert header["energy_thresholds_gev"] == [1.0, 2.0] and header["experiment"] == "charm"
    assert header["provenance"] == PROV and "reinterpretation" not in header
    assert lines[1].split(",") == list(CONTOUR_COLUMNS)
    back = read_contour_table(path)
    assert back.replace(rows=()) == original.replace(rows=())  # every header field, the provenance included
    assert back.rows[:2] == original.rows[:2]  # rows exactly, where 8 significant digits hold the numbers
    assert back.rows[2] == {**original.rows[2], "mass": 0.12345679}
    assert back.provenance == PROV and type(back.provenance["seed"]) is int
    assert [type(v) for v in back.rows[0].values()] == [float] * 4 + [int] + [float] * 2 + [bool] * 2
    assert back.mass_label == "delta []" and back.coupling_label == "Lambda [GeV]"
    # written again: byte-identical
    again = tmp_path / "again.csv"
    write_contour_table(back, again)
    assert again.read_bytes() == path.read_bytes()
    # a reinterpreted table keeps its mapping
    converted = original.replace(reinterpretation={"target": "zprime", "g_phi": 1.0})
    write_contour_table(converted, path)
    assert read_contour_table(path).reinterpretation == {"target": "zprime", "g_phi": 1.0}


def test_rows_are_written_with_eight_digits(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    write_contour_table(table(), path)
    with path.open() as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert rows[2]["mass"] == "0.12345679" and rows[0]["exposure"] == "1e+18" and rows[0]["level"] == "3"
    assert (rows[0]["interval"], rows[0]["low_at_grid_edge"], rows[0]["high_at_grid_edge"]) == ("0", "False", "True")
    assert read_contour_table(path).rows[2]["mass"] == 0.12345679


def test_from_scan_and_write_contours_csv(tmp_path: Path) -> None:
    meta = {"config_hash": "feedfacefeedface", "seed": 3, "experiment": "na62", "exposure_unit": "POT"}
    result = scan_result(meta)
    built = contour_table_from_scan(result, [1e17, 1e18], 3.0)
    assert built.rows and built.experiment == "na62" and built.exposure_unit == "POT"
    assert built.provenance == provenance_from_metadata(meta)
    assert built.energy_thresholds_gev == (0.0, 1.0) and built.exposures == (1e17, 1e18) and built.level == 3.0
    path = tmp_path / "c.csv"
    rows = write_contours_csv(result, [1e17, 1e18], 3.0, path)
    back = read_contour_table(path)
    assert len(back.rows) == len(rows) == len(built.rows)
    for got, want in zip(back.rows, rows):
        for key in CONTOUR_COLUMNS:
            assert got[key] == pytest.approx(want[key], rel=1e-7), key
    assert back.replace(rows=()) == built.replace(rows=())


def test_grid_round_trip(tmp_path: Path) -> None:
    result = scan_result({"config_hash": "feedfacefeedface", "seed": 3, "exposure_unit": "POT"})
    path = tmp_path / "g.csv"
    write_grid_csv(result, [1e18], path)
    header, rows = read_grid_csv(path)
    assert header["table"] == "grid" and header["model"] == "idm-dipole" and header["coupling_name"] == "d"
    assert header["provenance"] == provenance_from_metadata(result.metadata)
    assert list(rows[0]) == ["exposure", "energy_threshold_gev", "m1", "d", "n_events"]
    assert len(rows) == 2 * 5 * 30
    assert rows[-1]["n_events"] == pytest.approx(result.events(1e18)[1, -1, -1], rel=1e-7)
    with pytest.raises(TableFormatError, match=r"g\.csv.*holds a 'grid' table, not a 'contours' table"):
        read_contour_table(path)


@pytest.mark.parametrize(
    ("first_line", "match"),
    [
        ("exposure,energy_threshold_gev,level\n", r"has no darkreach JSON header line"),
        # the free-text header of darkreach <= 0.1 (before the output package)
        (
            '# model=idm-dipole benchmark={"delta": 0.1} mass=m1 [GeV] coupling=d [GeV^-1]\n',
            r"has no darkreach JSON header line.*older darkreach",
        ),
        ("# {not json}\n", r"header line is not valid JSON"),
        ("# [1, 2]\n", r"has no darkreach JSON header line"),
        ('# {"table": "contours"}\n', r"the header lacks \['model', 'benchmark', 'mass_parameter', 'coupling_name'\]"),
    ],
)
def test_reader_refuses_a_file_without_the_json_header(tmp_path: Path, first_line: str, match: str) -> None:
    path = tmp_path / "legacy_contours.csv"
    path.write_text(first_line + "exposure,energy_threshold_gev,level\n1e+18,1,3\n")
    with pytest.raises(ValueError, match=match) as err:
        read_contour_table(path)
    assert isinstance(err.value, TableFormatError) and str(path) in str(err.value)  # the file is named


def test_missing_file_and_bad_row(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nowhere\.csv"):
        read_contour_table(tmp_path / "nowhere.csv")
    path = tmp_path / "c.csv"
    write_contour_table(table(), path)
    text = path.read_text().replace("0.01,1,", "zero,1,", 1)
    path.write_text(text)
    with pytest.raises(TableFormatError, match=r"c\.csv.*data row 2"):
        read_contour_table(path)


def test_generic_table_format(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_table(path, {"table": "example", "note": "α ≥ 1", "n": np.int64(3), "x": np.float64(0.5)}, ["a", "b"],
                [{"a": 1, "b": "x"}])  # fmt: skip
    want = {"table": "example", "format_version": FORMAT_VERSION, "note": "α ≥ 1", "n": 3, "x": 0.5}
    assert read_header(path) == want
    header, rows = read_table(path, "example")
    assert rows == [{"a": "1", "b": "x"}] and header["n"] == 3
    with pytest.raises(ValueError, match="must name its 'table'"):
        write_table(path, {"note": "no table"}, ["a"], [])
    with pytest.raises(ValueError, match="finite"):
        write_table(path, {"table": "t", "x": float("nan")}, ["a"], [])
