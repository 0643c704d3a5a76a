"""Configured ``contours`` figures (darkreach.output.figures.contours, specs of darkreach.config.figures): spec
validation, row selection, CSV, HEPData, files."""

from __future__ import annotations

import csv
import json
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from darkreach.config import benchmark_label
from darkreach.config.figures import figure_spec_from_config
from darkreach.output import style
from darkreach.output.contour_table import ContourTable, write_contour_table
from darkreach.output.figures import contours as figures
from darkreach.output.hepdata import read_submission, validate_submission
from darkreach.output.hepdata_records import contour_figure_tables


def write_contour(path: Path, rows: list[dict], model: str = "idm-dipole", benchmark: str = '{"delta": 0.1}',
                  mass: str = "m1 [GeV]", coupling: str = "d [GeV^-1]") -> Path:  # fmt: skip
    """A contour table written by darkreach.output.contour_table.write_contour_table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    (mass_name, mass_unit), (coupling_name, coupling_unit) = style.split_axis(mass), style.split_axis(coupling)
    table = ContourTable(model=model, benchmark=json.loads(benchmark), mass_parameter=mass_name, mass_unit=mass_unit,
                         coupling_name=coupling_name, coupling_unit=coupling_unit, rows=tuple(rows))  # fmt: skip
    write_contour_table(table, path)
    return path


def rows_closed(exposure: float, threshold: float, scale: float = 1.0, level: float = 3.0) -> list[dict]:
    """A closed region: one interval per mass over a contiguous run, tip at the heaviest mass."""
    out = []
    masses = np.geomspace(0.01, 1.0, 9)
    for k, m in enumerate(masses):
        width = 1.0 - k / (len(masses) - 1) * 0.95
        lo = scale * 1e-6 * (1.0 + 3 * m)
        hi = lo * 10 ** (3 * width)
        out.append({"exposure": exposure, "energy_threshold_gev": threshold, "level": level, "mass": float(m),
                    "interval": 0, "coupling_low": lo, "coupling_high": hi,
                    "low_at_grid_edge": "False", "high_at_grid_edge": str(k == 0)})  # fmt: skip
    return out


def rows_two_intervals(exposure: float, threshold: float) -> list[dict]:
    """Two disjoint intervals per mass at the lighter masses, one at the heavier ones."""
    out = []
    for k, m in enumerate(np.geomspace(0.02, 0.5, 6)):
        out.append({"exposure": exposure, "energy_threshold_gev": threshold, "level": 3.0, "mass": float(m),
                    "interval": 0, "coupling_low": 2e-7, "coupling_high": 5e-6 * (1 + k),
                    "low_at_grid_edge": "False", "high_at_grid_edge": "False"})  # fmt: skip
        if k < 3:
            out.append({"exposure": exposure, "energy_threshold_gev": threshold, "level": 3.0, "mass": float(m),
                        "interval": 1, "coupling_low": 1e-4, "coupling_high": 1e-3 / (1 + k),
                        "low_at_grid_edge": "False", "high_at_grid_edge": "False"})  # fmt: skip
    return out


def rows_bound() -> list[dict]:
    out = []
    for m in np.geomspace(0.01, 3.0, 12):
        out.append({"exposure": 1.0, "energy_threshold_gev": 0.0, "level": 2.3, "mass": float(m), "interval": 0,
                    "coupling_low": 3e-4 * (1 + m), "coupling_high": 1e-1,
                    "low_at_grid_edge": "False", "high_at_grid_edge": "True"})  # fmt: skip
    return out


@pytest.fixture()
def results(tmp_path: Path) -> Path:
    """results/contours/<experiment>/idm-dipole/<label>.csv for two benchmarks and four experiments."""
    res = tmp_path / "results"
    c = res / "contours"
    for label, bench, scale in (("delta-0.1", '{"delta": 0.1}', 1.0), ("delta-0.01", '{"delta": 0.01}', 3.0)):
        na62 = rows_closed(1e18, 1.0, scale) + rows_closed(1e17, 1.0, 10 * scale)
        write_contour(c / "na62" / "idm-dipole" / f"{label}.csv", na62, benchmark=bench)
        write_contour(c / "hike" / "idm-dipole" / f"{label}.csv", rows_two_intervals(5e19, 1.0), benchmark=bench)
        write_contour(c / "ship_ecn3" / "idm-dipole" / f"{label}.csv", [], benchmark=bench)  # no reach at all
        write_contour(c / "charm2" / "idm-dipole" / f"{label}.csv", rows_bound(), benchmark=bench)
    return res


def config(**overrides) -> dict:
    panel = lambda delta: {  # noqa: E731
        "benchmark": {"delta": delta},
        "curves": [
            {"experiment": "na62", "exposure": 1.0e18, "threshold_gev": 1.0, "label": "NA62 $10^{18}$ POT"},
            {"experiment": "na62", "exposure": "1e17", "label": "NA62 $10^{17}$ POT", "style": "dotted"},
            {"experiment": "hike", "label": "HIKE", "style": "dashed"},
            {"experiment": "ship_ecn3", "exposure": 6e20, "label": "SHiP"},
            {"experiment": "charm2", "kind": "bound", "label": "CHARM-II", "style": "dotted"},
        ],
    }
    mapping = {
        "model": "idm-dipole",
        "title": "Dipole inelastic DM (N = 3) and bounds",
        "source": "paper 000, Fig. 2",
        "panels": [panel(0.1), panel(0.01)],
        "y_range": [1e-9, 1.0],
    }
    mapping.update(overrides)
    return mapping


def make(results: Path, tmp_path: Path, mapping: dict | None = None, name: str = "fig_test"):
    spec = figure_spec_from_config(name, mapping or config())
    files = figures.contour_files(spec, results)
    out = tmp_path / "fig"
    out.mkdir(exist_ok=True)
    paths = {k: out / f"{name}.{k}" for k in ("png", "pdf", "csv")}
    curves = figures.make_figure(spec, files, paths["png"], paths["pdf"], paths["csv"], out / "hepdata")
    return spec, curves, paths, out / "hepdata"


def read_csv_lines(lines) -> list[dict]:
    """Rows of a darkreach CSV: every ``#`` line (model header, provenance) is skipped."""
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


def read_csv(path: Path) -> list[dict]:
    with path.open() as fh:
        return read_csv_lines(fh)


# ------------------------------------------------------------------------------------------------ spec


def test_spec_defaults_and_files(results: Path) -> None:
    spec = figure_spec_from_config("fig_test", config())
    assert [p.label for p in spec.panels] == [benchmark_label({"delta": 0.1}), "delta-0.01"]
    c = spec.panels[0].curves
    assert (c[1].exposure, c[1].threshold_gev) == (1e17, None)  # "1e17" is a string in YAML 1.1
    assert (c[2].style, c[2].kind, c[2].colour) == ("dashed", "sensitivity", None)
    assert c[4].kind == "bound" and spec.y_range == (1e-9, 1.0) and spec.x_range is None
    assert spec.panels[0].title == r"$\delta$ = 0.1"
    files = figures.contour_files(spec, results)
    assert len(files) == 8
    assert files[("hike", "delta-0.01")] == results / "contours" / "hike" / "idm-dipole" / "delta-0.01.csv"
    assert all(p.is_file() for p in files.values())
    assert (
        figure_spec_from_config(
            "f", {"model": "m", "panels": [{"benchmark": {"delta": 0.1}, "curves": [{"experiment": "hike"}]}]}
        )
        .panels[0]
        .curves[0]
        .label
        is None
    )  # made from the values drawn
    assert figures.default_label("hike", 5e19, 1.0) == r"HIKE $5\times10^{19}$, $E > 1$ GeV"


@pytest.mark.parametrize(
    ("path", "change", "match"),
    [
        ("panels.1.curves.2.style", {"style": "wavy"}, r"figures\.fig_test\.panels\.1\.curves\.2\.style.*'wavy'"),
        ("panels.0.curves.0.kind", {"kind": "limit"}, r"panels\.0\.curves\.0\.kind.*'limit'"),
        ("panels.0.curves.1.exposure", {"exposure": -1.0}, r"panels\.0\.curves\.1\.exposure.*-1\.0"),
        ("panels.0.curves.1.exposure", {"exposure": "lots"}, r"panels\.0\.curves\.1\.exposure.*'lots'"),
        ("panels.0.curves.3.colour", {"colour": "notacolour"}, r"panels\.0\.curves\.3\.colour.*'notacolour'"),
        ("panels.0.curves.3.colur", {"colur": "red"}, r"panels\.0\.curves\.3\.colur: unknown key.*'red'"),
        ("panels.0.curves.4.threshold_gev", {"threshold_gev": -2}, r"curves\.4\.threshold_gev.*-2"),
    ],
)
def test_bad_curve_names_key(path: str, change: dict, match: str) -> None:
    mapping = config()
    i, j = int(path.split(".")[1]), int(path.split(".")[3])
    mapping["panels"][i]["curves"][j].update(change)
    with pytest.raises(ValueError, match=match):
        figure_spec_from_config("fig_test", mapping)


def test_bad_figure_and_panel_keys() -> None:
    with pytest.raises(ValueError, match=r"figures\.f\.model: required"):
        figure_spec_from_config("f", {"panels": []})
    with pytest.raises(ValueError, match=r"figures\.f\.panels: must be a non-empty list.*\[\]"):
        figure_spec_from_config("f", config(panels=[]))
    with pytest.raises(ValueError, match=r"figures\.f\.y_range: low must be below high.*\[1\.0, 0\.1\]"):
        figure_spec_from_config("f", config(y_range=[1.0, 0.1]))
    with pytest.raises(ValueError, match=r"figures\.f\.colour: unknown key"):
        figure_spec_from_config("f", config(colour="red"))
    mapping = config()
    mapping["panels"][1]["benchmark"] = "delta-0.1"
    with pytest.raises(ValueError, match=r"figures\.f\.panels\.1\.benchmark: .*'delta-0\.1'"):
        figure_spec_from_config("f", mapping)
    mapping = config()
    del mapping["panels"][0]["curves"][2]["experiment"]
    with pytest.raises(ValueError, match=r"figures\.f\.panels\.0\.curves\.2\.experiment: required"):
        figure_spec_from_config("f", mapping)
    mapping = config()
    mapping["panels"][0]["x_range"] = [0, 5]
    with pytest.raises(ValueError, match=r"figures\.f\.panels\.0\.x_range\[0\]: .*> 0.*0"):
        figure_spec_from_config("f", mapping)


def test_ambiguous_exposure_names_figure_panel_curve_and_values(results: Path, tmp_path: Path) -> None:
    mapping = config()
    del mapping["panels"][1]["curves"][1]["exposure"]  # na62 holds 1e17 and 1e18
    with pytest.raises(ValueError, match=r"fig_amb\.panels\.1\.curves\.1 \(na62, delta-0\.01\): exposure is not given"
                                         r".*\[1e\+17, 1e\+18\]"):  # fmt: skip
        make(results, tmp_path, mapping, name="fig_amb")


def test_axis_labels_from_header() -> None:
    assert style.axis_label("m1 [GeV]") == "$m_1$ [GeV]"
    assert style.axis_label("d [GeV^-1]") == "$d$ [GeV$^{-1}$]"
    assert style.axis_label("Lambda [GeV]") == r"$\Lambda$ [GeV]"
    assert style.axis_label("delta []") == r"$\delta$"
    assert style.axis_label("M_Zprime [GeV] from Lambda with {}") == "$M_{Z'}$ [GeV]"
    assert style.axis_label("epsilon []") == r"$\epsilon$"


# ------------------------------------------------------------------------------------------------ outputs


def test_make_figure_outputs(results: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="darkreach.output.figures.contours"):
        spec, curves, paths, hep = make(results, tmp_path)
    for key in ("png", "pdf", "csv"):
        assert paths[key].stat().st_size > 1000 if key != "csv" else paths[key].stat().st_size > 0
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and paths["pdf"].read_bytes()[:5] == b"%PDF-"
    assert len(curves) == 10
    none = [c for c in curves if c.no_reach]
    assert [(c.panel, c.spec.experiment) for c in none] == [(0, "ship_ecn3"), (1, "ship_ecn3")]
    assert sum("no reach" in r.message and "ship_ecn3" in r.message for r in caplog.records) == 2

    rows = read_csv(paths["csv"])
    assert list(rows[0]) == list(figures.CSV_COLUMNS)
    assert not any(v.lower() == "nan" for r in rows for v in r.values())
    # every row of the selected exposure/threshold, exactly as in the input table
    for panel, label in ((0, "delta-0.1"), (1, "delta-0.01")):
        with (results / "contours" / "na62" / "idm-dipole" / f"{label}.csv").open() as fh:
            src = read_csv_lines(fh)
        for exposure, curve_label in (("1e+18", "NA62 $10^{18}$ POT"), ("1e+17", "NA62 $10^{17}$ POT")):
            want = [r for r in src if r["exposure"] == exposure]
            got = [r for r in rows if r["panel"] == str(panel) and r["label"] == curve_label]
            assert len(got) == len(want) == 9
            for g, w in zip(got, want):
                for col in ("level", "mass", "interval", "coupling_low", "coupling_high", "exposure"):
                    assert float(g[col]) == float(w[col]), col
                assert float(g["threshold_gev"]) == float(w["energy_threshold_gev"])
                assert g["high_at_grid_edge"] == w["high_at_grid_edge"]
                assert g["benchmark"] == f'{{"delta": {0.1 if panel == 0 else 0.01}}}'
    hike = [r for r in rows if r["experiment"] == "hike" and r["panel"] == "0"]
    assert len(hike) == 9 and sorted({r["interval"] for r in hike}) == ["0", "1"]
    assert {r["kind"] for r in rows if r["experiment"] == "charm2"} == {"bound"}
    assert not any(r["experiment"] == "ship_ecn3" for r in rows)


def test_hepdata_record_round_trips_and_validates(results: Path, tmp_path: Path) -> None:
    spec, curves, paths, hep = make(results, tmp_path)
    assert validate_submission(hep) == []
    comment, tables = read_submission(hep)
    assert "paper 000, Fig. 2" in comment
    assert len(tables) == len(curves) == 10  # one table per curve, the empty ones included
    with (hep / "submission.yaml").open() as fh:
        docs = list(yaml.safe_load_all(fh))
    locations = [r["location"] for r in docs[0]["additional_resources"]]
    assert locations == ["fig_test.png", "fig_test.csv"] and (hep / "fig_test.png").is_file()
    for curve, table in zip(curves, tables):
        rows = sorted(curve.rows, key=lambda r: (r["mass"], r["interval"]))
        (x,) = table.independent
        low, high = table.dependent
        assert (x.name, x.units) == ("$m_1$", "GeV")
        assert (low.units, high.units) == ("GeV^-1", "GeV^-1") and low.name == "$d$ lower edge"
        assert list(x.values) == [r["mass"] for r in rows]
        assert list(low.values) == [r["coupling_low"] for r in rows]
        assert list(high.values) == [r["coupling_high"] for r in rows]
        assert all(type(v) is float for v in (*x.values, *low.values, *high.values))
        quals = {q.name: q.value for q in table.qualifiers}
        assert quals["experiment"] == style.display_name(curve.spec.experiment)
        assert quals["benchmark"] == ("delta = 0.1" if curve.panel == 0 else "delta = 0.01")
        if curve.no_reach:
            assert x.values == () and "no reach" in table.description
            assert quals["exposure"] == 6e20 and "level (signal events)" not in quals
        else:
            assert quals["exposure"] == curve.exposure and quals["level (signal events)"] == curve.level
            assert quals["energy threshold"] == curve.threshold_gev
    assert tables[0].name == "Panel 1: NA62 10^18 POT"
    assert "(lower: 0, upper: 1 of 9 rows)" in tables[0].description


def test_panel_axes_from_header_and_grid(tmp_path: Path) -> None:
    """A scalar-model figure in Lambda with four panels (a 2x2 grid); one panel in delta."""
    c = tmp_path / "results" / "contours"
    panels = []
    for delta in (10, 1, 0.1):
        write_contour(c / "na62" / "inelastic-scalar" / f"delta-{delta:g}.csv", rows_closed(1e18, 2.0, 1e8, 2.3),
                      model="inelastic-scalar", benchmark=f'{{"delta": {delta}}}', coupling="Lambda [GeV]")  # fmt: skip
        panels.append({"benchmark": {"delta": delta}, "curves": [{"experiment": "na62"}]})
    write_contour(c / "na62" / "inelastic-scalar" / "m1-0.1.csv", rows_closed(1e18, 2.0, 1e8, 2.3),
                  model="inelastic-scalar", benchmark='{"m1": 0.1}', mass="delta []",
                  coupling="Lambda [GeV]")  # fmt: skip
    panels.append({"benchmark": {"m1": 0.1}, "curves": [{"experiment": "na62"}, {"experiment": "newexp"}]})
    write_contour(c / "newexp" / "inelastic-scalar" / "m1-0.1.csv", [], model="inelastic-scalar",
                  benchmark='{"m1": 0.1}', mass="delta []", coupling="Lambda [GeV]")  # fmt: skip
    spec = figure_spec_from_config("fig_s", {"model": "inelastic-scalar", "panels": panels})
    curves, meta = figures.resolve_curves(spec, figures.contour_files(spec, tmp_path / "results"))
    fig = figures.draw_figure(spec, curves, meta)
    try:
        axes = [ax for ax in fig.axes if ax.get_visible()]
        assert len(axes) == 4 and fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 2)
        assert [ax.get_xlabel() for ax in axes] == ["$m_1$ [GeV]"] * 3 + [r"$\delta$"]
        assert {ax.get_ylabel() for ax in axes} == {r"$\Lambda$ [GeV]"}
        assert all(ax.get_xscale() == "log" and ax.get_yscale() == "log" for ax in axes)
        texts = [t.get_text() for t in axes[3].get_legend().get_texts()]
        assert texts == ["NA62 $10^{18}$, $E > 2$ GeV", "NEWEXP (no reach)"]
        assert figures.curve_colours(spec)["newexp"] == style.FALLBACK_COLOURS[0]
    finally:
        figures.plt.close(fig)
    tables = contour_figure_tables(spec, curves, meta)
    assert (tables[3].independent[0].name, tables[3].independent[0].units) == (r"$\delta$", "")
    assert tables[0].dependent[0].units == "GeV"


def test_mixed_axes_in_a_panel_is_an_error(results: Path, tmp_path: Path) -> None:
    write_contour(results / "contours" / "hike" / "idm-dipole" / "delta-0.1.csv", rows_two_intervals(5e19, 1.0),
                  coupling="Lambda [GeV]")  # fmt: skip
    with pytest.raises(ValueError, match=r"panels\.0\.curves\.2 .*Lambda \[GeV\].*differs from 'd \[GeV\^-1\]'"):
        make(results, tmp_path)


def test_bound_is_filled_and_sensitivity_is_not(results: Path, tmp_path: Path) -> None:
    spec = figure_spec_from_config("fig_test", config())
    curves, meta = figures.resolve_curves(spec, figures.contour_files(spec, results))
    fig = figures.draw_figure(spec, curves, meta)
    try:
        ax = fig.axes[0]
        fills = ax.patches
        assert len(fills) == 1 and fills[0].get_alpha() == pytest.approx(style.BOUND_ALPHA)
        # outlines: na62 x2 (one run each), hike interval 0 and 1, charm2 outline
        assert len(ax.lines) == 5
        assert ax.get_ylim() == pytest.approx((1e-9, 1.0))
    finally:
        figures.plt.close(fig)


def test_workflow_script(results: Path, tmp_path: Path) -> None:
    """workflow/scripts/figure.py with a stand-in for the snakemake object, in a fresh interpreter."""
    out = tmp_path / "script"
    spec = figure_spec_from_config("fig_script", config())
    inputs = [str(p) for p in figures.contour_files(spec, results).values()]
    outputs = {
        "png": out / "f.png",
        "pdf": out / "f.pdf",
        "csv": out / "f.csv",
        "hepdata": out / "f_hepdata",
        "archive": out / "f_hepdata.zip",
    }
    out.mkdir()
    code = f"""
import runpy, types
ns = types.SimpleNamespace
smk = ns(log=[{str(out / "f.log")!r}], input={inputs!r},
         params=ns(name="fig_script", spec={config()!r}, config_hash="0123456789abcdef"),
         output=ns(**{ {k: str(v) for k, v in outputs.items()}!r}))
runpy.run_path({str(Path(__file__).resolve().parents[1] / "workflow" / "scripts" / "figure.py")!r},
               init_globals={{"snakemake": smk}}, run_name="__main__")
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr + (out / "f.log").read_text()
    assert all(p.exists() for p in outputs.values()) and outputs["png"].stat().st_size > 1000
    assert validate_submission(outputs["hepdata"]) == []
    import zipfile

    with zipfile.ZipFile(outputs["archive"]) as zf:
        assert "submission.yaml" in zf.namelist()
        assert sorted(zf.namelist()) == sorted(p.name for p in outputs["hepdata"].iterdir())
    text = (out / "f.log").read_text()
    assert "no reach" in text and "figure fig_script: 10 curves in 2 panels from 8 contour tables" in text
    # params.config_hash reaches the CSV's provenance lines and the record's comment
    from darkreach.output.hepdata import read_submission_provenance
    from darkreach.output.provenance import read_csv_provenance

    assert read_csv_provenance(outputs["csv"])["config_hash"] == "0123456789abcdef"
    assert read_submission_provenance(outputs["hepdata"])["config_hash"] == "0123456789abcdef"
    assert len(read_csv(outputs["csv"])) > 0
