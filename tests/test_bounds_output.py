"""Bounds as tables and figures, curve overlays and the ``darkreach bound`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from darkreach.bounds import get_bound
from darkreach.bounds.tables import bound_table, refine_grid
from darkreach.cli.main import main
from darkreach.config.figures import figure_spec_from_config
from darkreach.models import get_model
from darkreach.output.contour_table import ContourTable, read_contour_table, write_contour_table
from darkreach.output.overlays import CurveFileError, check_axes, read_curve_file

SCALAR = get_model("inelastic-scalar")

CURVE = """# darkreach-curve: 1
# label: test relic
# kind: {kind}
# x: m1
# x_unit: GeV
# y: Lambda
# y_unit: GeV
# source: computed by darkreach tests
{extra}x,y
0.01,100
0.1,200
1.0,300
"""


def _curve(tmp_path: Path, kind: str = "target", extra: str = "", body: str | None = None) -> Path:
    path = tmp_path / "curve.csv"
    path.write_text(body if body is not None else CURVE.format(kind=kind, extra=extra))
    return path


def test_bound_table_round_trip(tmp_path: Path) -> None:
    grid = refine_grid([0.01, 0.1, 1.0], 4)
    assert len(grid) == 9
    table = bound_table(get_bound("upsilon-invisible"), SCALAR, {"delta": 0.1}, grid, (10.0, 1e5))
    path = tmp_path / "t.csv"
    write_contour_table(table, path)
    back = read_contour_table(path)
    assert back.experiment == "upsilon-invisible" and back.bound is not None
    assert back.bound["kind"] == "bound" and back.coupling_name == "Lambda"
    assert all(r["low_at_grid_edge"] and r["coupling_low"] == 10.0 for r in back.rows)
    assert len(back.rows) == 9


def _figure(bounds: list, overlays: list | None = None) -> dict:
    panel = {"benchmark": {"delta": 10}, "curves": [{"experiment": "charm", "kind": "bound"}], "bounds": bounds}
    if overlays is not None:
        panel["overlays"] = overlays
    return {"model": "inelastic-scalar", "panels": [panel]}


def test_figure_spec_bounds_are_validated() -> None:
    spec = figure_spec_from_config("f", _figure(["lep-monophoton", "ewpm-projection"]))
    curves = spec.panels[0].curves
    assert [(c.experiment, c.table, c.kind) for c in curves[1:]] == [
        ("lep-monophoton", "bounds", "bound"),
        ("ewpm-projection", "bounds", "sensitivity"),
    ]
    with pytest.raises(ValueError, match=r"figures\.f\.panels\.0\.bounds\.0: unknown bound 'lep'.*\(got 'lep'\)"):
        figure_spec_from_config("f", _figure(["lep"]))
    with pytest.raises(ValueError, match=r"bounds\.0: 'babar' is computed as an experiment"):
        figure_spec_from_config("f", _figure(["babar"]))
    with pytest.raises(ValueError, match=r"panels\.0\.bounds: must be a list"):
        figure_spec_from_config("f", _figure("lep-monophoton"))  # type: ignore[arg-type]


def test_figure_draws_bounds_and_overlays(tmp_path: Path) -> None:
    from darkreach.output.figures import build_figure

    overlay = _curve(tmp_path, extra='# benchmark: {"delta": 10}\n')
    spec = figure_spec_from_config("f", _figure(["lep-monophoton", "upsilon-invisible"], [str(overlay)]))
    files = []
    for name in ("lep-monophoton", "upsilon-invisible"):
        path = tmp_path / "bounds" / name / "inelastic-scalar" / "delta-10.csv"
        path.parent.mkdir(parents=True)
        write_contour_table(bound_table(get_bound(name), SCALAR, {"delta": 10}, [0.001, 0.003, 0.01], (10.0, 1e5)),
                            path)  # fmt: skip
        files.append(path)
    charm = tmp_path / "contours" / "charm" / "inelastic-scalar" / "delta-10.csv"
    charm.parent.mkdir(parents=True)
    rows = tuple(
        {"exposure": 1e18, "energy_threshold_gev": 1.0, "level": 2.3, "mass": m, "interval": 0, "coupling_low": 50.0,
         "coupling_high": 2000.0, "low_at_grid_edge": False, "high_at_grid_edge": False}
        for m in (0.001, 0.01, 0.1)
    )  # fmt: skip
    write_contour_table(ContourTable("inelastic-scalar", {"delta": 10}, "m1", "GeV", "Lambda", "GeV", rows), charm)
    out = tmp_path / "fig"
    summary = build_figure(spec, [charm, *files, overlay], f"{out}.png", f"{out}.pdf", f"{out}.csv", tmp_path / "hd")
    assert "3 curves" in summary
    assert (tmp_path / "fig.png").stat().st_size > 0
    text = (tmp_path / "fig.csv").read_text()
    assert "lep-monophoton" in text and "upsilon-invisible" in text


@pytest.mark.parametrize(
    ("extra", "kind", "message"),
    [
        ("", "relic", "kind must be one of"),
        ("# style: wavy\n", "target", "style must be one of"),
        ("# excluded: above\n", "target", "excluded applies to kind 'bound' only"),
        ("# benchmark: delta=10\n", "target", "benchmark must be a JSON object"),
        ("# colour: red\n", "target", "unknown header key 'colour'"),
    ],
)
def test_overlay_header_errors(tmp_path: Path, extra: str, kind: str, message: str) -> None:
    with pytest.raises(CurveFileError, match=message):
        read_curve_file(_curve(tmp_path, kind, extra))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (CURVE.replace("# label: test relic\n", "").format(kind="bound", extra=""), "'label' is missing"),
        (CURVE.format(kind="bound", extra="").replace("x,y\n", "m,y\n"), "columns must be 'x,y'"),
        (CURVE.format(kind="bound", extra="").replace("0.1,200", "0.1,nan"), "line 11: column 'y' must be finite"),
        (CURVE.format(kind="bound", extra="").replace("0.1,200", "0.001,200"), "strictly increasing"),
        (CURVE.format(kind="bound", extra="").replace("0.1,200", "0.1,-2"), "must be positive"),
        (CURVE.format(kind="bound", extra="").replace("darkreach-curve: 1", "darkreach-curve: 2"), "format version"),
    ],
)
def test_overlay_body_errors(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(CurveFileError, match=message):
        read_curve_file(_curve(tmp_path, body=body))


def test_overlay_band_and_axes(tmp_path: Path) -> None:
    body = CURVE.format(kind="bound", extra="# excluded: between\n").replace(
        "x,y\n0.01,100\n0.1,200\n1.0,300", "x,y_low,y_high\n0.01,100,200\n0.1,200,400\n1.0,300,900"
    )
    curve = read_curve_file(_curve(tmp_path, body=body))
    assert curve.is_band and curve.line_style == "solid" and list(curve.y_high) == [200, 400, 900]
    check_axes(curve, "inelastic-scalar", "m1", "GeV", "Lambda", "GeV", "here")
    with pytest.raises(ValueError, match=r"here: curve file .* has y = Lambda \[GeV\], the panel's axis is d"):
        check_axes(curve, "idm-dipole", "m1", "GeV", "d", "GeV^-1", "here")


def test_cli_bound_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["bound", "--bound", "lep-monophoton", "--model", "inelastic-scalar", "--m1", "0.01", "--delta", "10"]
    assert main([*argv, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["bound"] == "lep-monophoton" and out["scan_variable"] == "Lambda"
    assert out["excluded"] == [[200.0, pytest.approx(353.553, rel=1e-5)]]
    heavy = [*argv[:6], "5.0", "--delta", "10"]
    assert main([*heavy, "--json"]) == 0  # phi2 decays inside LEP: nothing
    assert json.loads(capsys.readouterr().out)["excluded"] == []
    assert main(["bound", "--bound", "dilepton", "--model", "inelastic-scalar", "--m1", "0.01", "--delta", "10",
                 "--json"]) == 2  # fmt: skip
    assert "scans 'Lambda'" in json.loads(capsys.readouterr().out)["error"]["message"]


def test_config_refuses_a_bound_of_another_model() -> None:
    from darkreach.config import ConfigError
    from darkreach.config.checks import _check_panel_bounds

    _check_panel_bounds(["lep-monophoton", "jpsi-invisible"], "inelastic-scalar", "figures.f.panels.0.bounds")
    with pytest.raises(ConfigError, match=r"'figures\.f\.panels\.0\.bounds\.1': bound 'dilepton' .* scans 'Lambda'"):
        _check_panel_bounds(["lep-monophoton", "dilepton"], "inelastic-scalar", "figures.f.panels.0.bounds")
    with pytest.raises(ConfigError, match="applies to model\\(s\\) inelastic-scalar, not 'idm-dipole'"):
        _check_panel_bounds(["upsilon-invisible"], "idm-dipole", "figures.f.panels.0.bounds")
