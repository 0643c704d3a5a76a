"""``branching`` figures (darkreach.output.figures.branching): Fig. 1 of paper 003, its table, its HEPData record
(darkreach.output.hepdata_records, built from figure1_table, valid, exact) and the ``figure`` rule building it from
the config."""

from __future__ import annotations

import json
import math
import zipfile

import numpy as np
import pytest
from conftest import REPO, run_snakemake

from darkreach.config import ConfigError, load_config
from darkreach.config.figures import BranchingFigureSpec, figure_spec_from_config
from darkreach.mesons import MESONS
from darkreach.models.inelastic_scalar.couplings import PRODUCTION_MESONS
from darkreach.models.inelastic_scalar.decays import PHI2_CHANNELS, PQCD_CHANNELS
from darkreach.output.figures.branching import figure1_table, read_figure1_csv, write_figure1_csv
from darkreach.output.hepdata import read_submission, validate_submission, write_submission
from darkreach.output.hepdata_records import (
    LEFT_TABLE,
    RIGHT_TABLE,
    figure1_hepdata_tables,
    meson_variable_name,
    phi2_variable_name,
    write_figure1_hepdata,
)

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
    write_figure1_csv(rows, csv)
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
    from darkreach.output.hepdata import read_submission_provenance
    from darkreach.output.provenance import provenance, read_csv_provenance

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


# =========================================================================== Fig. 1 table and figure
def test_figure1_table_reproduces_the_caption(tmp_path):
    m1s = np.geomspace(1e-3, 2.0, 40)
    rows = figure1_table(m1s)
    assert [r["m1_gev"] for r in rows] == pytest.approx(list(m1s))
    for r in rows:
        br_phi2 = {k[5:]: v for k, v in r.items() if k.startswith("phi2:")}
        assert set(br_phi2) == set(PHI2_CHANNELS)
        assert math.fsum(br_phi2.values()) == pytest.approx(1.0, rel=1e-9)
        m1 = r["m1_gev"]
        light = [r[f"meson:{k}"] for k in ("pi0", "eta", "etap", "rho", "omega")]
        if m1 < 0.05:  # omega >> rho (f_rho suppressed for democratic couplings, eq. A.9)
            assert r["meson:omega"] > 100.0 * r["meson:rho"]
        if m1 < 0.25:  # J/psi (and Upsilon) above every light meson while open
            assert r["meson:jpsi"] > max(light) and r["meson:upsilon"] > r["meson:jpsi"]
        if m1 < 0.19:  # ChPT regime: phi1 V and phi1 l+l- dominate, the most likely channel is one of them
            signal = sum(br_phi2[k] for k in ("rho", "omega", "e+e-", "mu+mu-"))
            assert signal > 0.55
            assert max(br_phi2, key=br_phi2.get) in ("omega", "e+e-")
            assert all(br_phi2[k] == 0.0 for k in PQCD_CHANNELS)
        if m1 > 0.21:  # pQCD above the switch at m2 - m1 = 2 GeV
            assert br_phi2["u u~"] > 0.1 and br_phi2["omega"] == 0.0
    path = tmp_path / "fig1.csv"
    write_figure1_csv(rows, path)
    back = read_figure1_csv(path)
    assert back[5]["meson:omega"] == pytest.approx(rows[5]["meson:omega"], rel=1e-7)


@pytest.mark.slow
@pytest.mark.parametrize("catalogue", ["scalar", "paper"])
def test_branching_rule_builds(tmp_path, catalogue):
    """`snakemake --configfile=config/<scalar|paper>.yaml fig_scalar_1`: the configured figure, by the figure rule."""
    proc = run_snakemake(tmp_path, "fig_scalar_1", config=REPO / "config" / f"{catalogue}.yaml")
    assert proc.returncode == 0
    res = tmp_path / "results" / "paper"
    rows = read_figure1_csv(res / "fig_scalar_1.csv")
    assert len(rows) > 100 and rows[0]["m1_gev"] == pytest.approx(1e-3)
    for got, want in zip(rows, figure1_table(np.geomspace(1e-3, 2.0, 121)), strict=True):  # 8 significant digits
        assert all(got[k] == pytest.approx(v, rel=1e-7, abs=0.0) for k, v in want.items())
    for ext in ("png", "pdf"):
        assert (res / f"fig_scalar_1.{ext}").stat().st_size > 5000
    assert validate_submission(res / "fig_scalar_1_hepdata") == []
    with zipfile.ZipFile(res / "fig_scalar_1_hepdata.zip") as zf:
        assert {"submission.yaml", "fig_scalar_1.png", "fig_scalar_1.csv"} <= set(zf.namelist())
    log = (tmp_path / "logs" / "paper" / "fig_scalar_1.log").read_text()
    assert "Traceback" not in log and "figure fig_scalar_1: branching ratios at 121 masses" in log
    assert (tmp_path / "results" / "benchmarks" / "paper" / "fig_scalar_1.tsv").is_file()
    assert not (tmp_path / "results" / "mesons").exists()  # independent of the meson samples


# =========================================================================== the figure rule, from a config


def test_branching_spec_from_config():
    cfg = load_config(REPO / "config" / "paper.yaml")
    spec = figure_spec_from_config("fig_scalar_1", cfg["figures"]["fig_scalar_1"])
    assert isinstance(spec, BranchingFigureSpec) and spec.kind == "branching"
    assert (spec.model, dict(spec.benchmark), spec.coupling) == ("inelastic-scalar", {"delta": 10}, 1000.0)
    assert load_config(REPO / "config" / "scalar.yaml")["figures"]["fig_scalar_1"] == cfg["figures"]["fig_scalar_1"]
    with pytest.raises(ValueError, match=r"figures\.f\.coupling: required"):
        figure_spec_from_config("f", {"kind": "branching", "model": "inelastic-scalar", "benchmark": {"delta": 1},
                                      "mass_gev": [0.1, 0.2]})  # fmt: skip
    with pytest.raises(ValueError, match=r"figures\.f\.kind: must be one of \['contours', 'branching', 'production'\]"):
        figure_spec_from_config("f", {"kind": "pie", "model": "m"})
    with pytest.raises(ValueError, match=r"^figures\.f\.mass_gev: grid must be strictly increasing"):
        figure_spec_from_config("f", {"kind": "branching", "model": "inelastic-scalar", "benchmark": {"delta": 1},
                                      "coupling": 1.0, "mass_gev": [0.2, 0.1]})  # fmt: skip


@pytest.mark.slow
def test_figure_rule_builds_a_branching_figure_from_config(tmp_path):
    """A figure of kind branching in a user's config (extends the default): built by the one `figure` rule, with
    its benchmark, coupling and mass grid from the config, no scan and no meson sample."""
    config = tmp_path / "my.yaml"
    config.write_text(
        "extends: default\n"
        "targets: {experiments: [na62], models: [idm-dipole], figures: [my_branching]}\n"
        "figures:\n"
        "  my_branching:\n"
        "    kind: branching\n"
        "    model: inelastic-scalar\n"
        "    benchmark: {delta: 0.5}\n"
        "    coupling: 500.0\n"
        "    mass_gev: [0.01, 0.05, 0.1, 0.3]\n"
    )
    dry = run_snakemake(tmp_path, "-n", "my_branching", config=config)
    assert "figure " in dry.stdout and "scan" not in dry.stdout.split("Job stats:")[-1]
    run_snakemake(tmp_path, "my_branching", config=config)
    res = tmp_path / "results" / "paper"
    rows = read_figure1_csv(res / "my_branching.csv")
    want = figure1_table([0.01, 0.05, 0.1, 0.3], delta=0.5, Lambda=500.0)
    assert [r["m1_gev"] for r in rows] == [0.01, 0.05, 0.1, 0.3]
    for got, exp in zip(rows, want):
        assert list(got) == list(exp)
        for key in exp:
            assert got[key] == pytest.approx(exp[key], rel=1e-7, abs=0.0), key
    header = json.loads((res / "my_branching.csv").read_text().splitlines()[0][2:])
    assert header["table"] == "branching" and header["figure"] == "my_branching"
    assert header["benchmark"] == {"delta": 0.5} and header["coupling"] == 500.0
    assert header["provenance"]["config_hash"]  # the hash of the figure's config slice
    _, tables = read_submission(res / "my_branching_hepdata")
    quals = {q.name: q.value for q in tables[0].qualifiers}
    assert quals["delta"] == 0.5 and quals["Lambda"] == 500.0
    assert validate_submission(res / "my_branching_hepdata") == []
    assert (res / "my_branching.png").stat().st_size > 5000 and (res / "my_branching_hepdata.zip").is_file()
    assert not (tmp_path / "results" / "mesons").exists()


def test_branching_figure_of_a_model_without_one_is_refused(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(
        "extends: default\nfigures:\n  fig_x:\n    kind: branching\n    model: idm-dipole\n"
        "    benchmark: {delta: 0.1}\n    coupling: 1.0e-5\n    mass_gev: [0.1, 0.2]\n"
    )
    with pytest.raises(ConfigError, match=r"'figures\.fig_x\.model': no branching figure for model 'idm-dipole'"):
        load_config(config)
