"""HEPData record of Fig. 1 of paper 003 (darkreach.branching_hepdata): built from figure1_table, valid, exact."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.branching_hepdata import (
    LEFT_TABLE,
    RIGHT_TABLE,
    figure1_hepdata_tables,
    meson_variable_name,
    phi2_variable_name,
    write_figure1_hepdata,
)
from darkreach.hepdata import read_submission, validate_submission, write_submission
from darkreach.mesons import MESONS
from darkreach.models.inelastic_scalar import figure1_table, write_figure1_csv
from darkreach.models.scalar_widths import PHI2_CHANNELS, PRODUCTION_MESONS

DELTA, LAMBDA = 10.0, 1000.0


@pytest.fixture(scope="module")
def rows():
    return figure1_table(np.geomspace(1e-3, 2.0, 15), delta=DELTA, Lambda=LAMBDA)


def _by_name(table):
    return {v.name: v for v in table.dependent}


def test_record_round_trip_is_valid_and_exact(rows, tmp_path):
    tables = figure1_hepdata_tables(rows, DELTA, LAMBDA)
    assert [t.name for t in tables] == [LEFT_TABLE, RIGHT_TABLE]
    out = tmp_path / "rec"
    write_submission(out, tables, "test record")
    assert validate_submission(out) == []
    comment, back = read_submission(out)
    assert comment == "test record"
    assert [t.name for t in back] == [LEFT_TABLE, RIGHT_TABLE]
    left, right = back
    for t in back:
        (x,) = t.independent
        assert x.units == "GeV"
        assert list(x.values) == [r["m1_gev"] for r in rows]
        quals = {q.name: (q.value, q.units) for q in t.qualifiers}
        assert quals == {"delta": (DELTA, ""), "Lambda": (LAMBDA, "GeV"), "c_fL = c_fR": (1.0, "")}
        for v in t.dependent:
            assert all(type(y) is float and math.isfinite(y) for y in v.values)
    # left: one column per meson, numbers identical to figure1_table
    meson_cols = _by_name(left)
    assert list(meson_cols) == [meson_variable_name(k) for k in PRODUCTION_MESONS]
    for k in PRODUCTION_MESONS:
        assert list(meson_cols[meson_variable_name(k)].values) == [r[f"meson:{k}"] for r in rows]
    # right: exactly the channels open somewhere on the grid, identical numbers
    open_channels = [c for c in PHI2_CHANNELS if any(r[f"phi2:{c}"] > 0.0 for r in rows)]
    assert "e+e-" in open_channels and "u u~" in open_channels and len(open_channels) < len(PHI2_CHANNELS)
    phi2_cols = _by_name(right)
    assert list(phi2_cols) == [phi2_variable_name(c) for c in open_channels]
    for c in open_channels:
        assert list(phi2_cols[phi2_variable_name(c)].values) == [r[f"phi2:{c}"] for r in rows]
    # phi2 branching ratios sum to 1 wherever phi2 decays (here: everywhere, neutrinos are always open)
    for i, r in enumerate(rows):
        total = math.fsum(v.values[i] for v in right.dependent)
        assert abs(total - 1.0) < 1e-9, (r["m1_gev"], total)
    # closed meson channels are exactly 0: m1 + m2 = 12 m1 above the meson mass
    for k in PRODUCTION_MESONS:
        col = meson_cols[meson_variable_name(k)].values
        for i, r in enumerate(rows):
            if r["m1_gev"] * (2.0 + DELTA) >= MESONS[k].mass:
                assert col[i] == 0.0, (k, r["m1_gev"])
    pi0 = meson_cols[meson_variable_name("pi0")].values
    assert pi0[0] > 0.0 and any(y == 0.0 for y in pi0)


def test_write_figure1_hepdata_with_resources(rows, tmp_path):
    csv = tmp_path / "fig1.csv"
    write_figure1_csv(rows, csv, header="test")
    png = tmp_path / "fig1.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "rec"
    tables = write_figure1_hepdata(out, rows, DELTA, LAMBDA, resources=[(png, "figure"), (csv, "table")])
    assert len(tables) == 2
    assert (out / "fig1.png").is_file() and (out / "fig1.csv").is_file()
    assert validate_submission(out) == []
    comment, back = read_submission(out)
    assert "paper 003" in comment and [t.name for t in back] == [LEFT_TABLE, RIGHT_TABLE]
    # provenance: in the CSV's comment lines and the record's comment (default: no config hash)
    from darkreach.hepdata import read_submission_provenance
    from darkreach.provenance import provenance, read_csv_provenance

    assert read_csv_provenance(csv) == provenance() == read_submission_provenance(out)
    write_figure1_hepdata(out, rows, DELTA, LAMBDA, provenance=provenance("0123456789abcdef", 3))
    assert read_submission_provenance(out)["config_hash"] == "0123456789abcdef"
    assert validate_submission(out) == []


def test_nan_is_refused(rows):
    bad = [dict(r) for r in rows]
    bad[3]["meson:eta"] = float("nan")
    with pytest.raises(ValueError, match="meson:eta"):
        figure1_hepdata_tables(bad, DELTA, LAMBDA)
    with pytest.raises(ValueError, match="no Fig. 1 rows"):
        figure1_hepdata_tables([], DELTA, LAMBDA)
