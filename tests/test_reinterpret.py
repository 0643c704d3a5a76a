"""Z' and dark-photon reinterpretation of finished Lambda contours (darkreach.output.reinterpret, paper 003 sec. 4):
the mapping preserves the EFT rates, and contour tables convert into tables the figure code draws."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from darkreach.constants import E_CHARGE
from darkreach.models.inelastic_scalar.couplings import DEMOCRATIC, ScalarCouplings
from darkreach.models.inelastic_scalar.decays import phi2_total_width
from darkreach.models.inelastic_scalar.production import meson_widths
from darkreach.models.inelastic_scalar.zprime import couplings_from_dark_photon, couplings_from_zprime
from darkreach.output import reinterpret
from darkreach.output.contour_table import ContourTable, read_contour_table, write_contour_table


def test_zprime_mapping_preserves_the_eft_rates():
    lam = 2500.0
    m_z = reinterpret.zprime_mass_from_lambda(lam, g_phi=1.0, g_V_quark=0.25, g_V_lepton=0.25)
    assert m_z == pytest.approx(0.5 * lam)
    cpl, m = couplings_from_zprime(1.0, 0.25, 0.25, m_z)
    for m1, delta in ((0.3, 10.0), (0.01, 10.0), (1.0, 0.1)):
        assert phi2_total_width(m1, delta, m, cpl) == pytest.approx(phi2_total_width(m1, delta, lam), rel=1e-12)
        assert meson_widths(m1, delta, m, cpl) == pytest.approx(meson_widths(m1, delta, lam), rel=1e-12)
    # the paper's benchmark g_Vq = 0.1, g_Vl = 0.01 is not democratic: the EFT must use matching couplings
    with pytest.raises(ValueError, match="not proportional"):
        reinterpret.zprime_mass_from_lambda(lam, 1.0, 0.1, 0.01)
    ref = reinterpret.zprime_reference_couplings(0.1, 0.01)
    m_z = reinterpret.zprime_mass_from_lambda(lam, 1.0, 0.1, 0.01, ref)
    assert m_z == pytest.approx(math.sqrt(0.1) * lam)
    cpl, m = couplings_from_zprime(1.0, 0.1, 0.01, m_z)
    assert phi2_total_width(1.0, 0.1, m, cpl) == pytest.approx(phi2_total_width(1.0, 0.1, lam, ref), rel=1e-12)
    assert reinterpret.lambda_from_zprime_mass(m_z, 1.0, 0.1, 0.01, ref) == pytest.approx(lam)
    # the reference is usable as a config benchmark / --couplings file
    assert ScalarCouplings.from_mapping(reinterpret.couplings_mapping(ref)) == ref


def test_dark_photon_mapping_preserves_the_eft_rates():
    lam, m_z, g_phi = 300.0, 40.0, 1.0
    eps = reinterpret.dark_photon_epsilon_from_lambda(lam, m_z, g_phi)
    assert eps == pytest.approx(m_z**2 / (g_phi * E_CHARGE * lam**2))
    ref = reinterpret.dark_photon_reference_couplings()
    assert ref.c_V("u") == pytest.approx(2.0 / 3.0) and ref.c_V("e") == -1.0 and ref.c_L["nu_e"] == 0.0
    cpl, m = couplings_from_dark_photon(eps, g_phi, m_z)
    assert phi2_total_width(0.1, 10.0, m, cpl) == pytest.approx(phi2_total_width(0.1, 10.0, lam, ref), rel=1e-12)
    assert reinterpret.lambda_from_dark_photon_epsilon(eps, m_z, g_phi) == pytest.approx(lam)
    with pytest.raises(ValueError, match="not proportional"):
        reinterpret.dark_photon_epsilon_from_lambda(lam, m_z, g_phi, reference=DEMOCRATIC)


def _write_contour(path: Path) -> None:
    rows = [
        {"exposure": 1e18, "energy_threshold_gev": 2.0, "level": 2.3, "mass": 0.01, "interval": 0,
         "coupling_low": 40.0, "coupling_high": 900.0, "low_at_grid_edge": False, "high_at_grid_edge": False},
        {"exposure": 1e18, "energy_threshold_gev": 2.0, "level": 2.3, "mass": 0.05, "interval": 0,
         "coupling_low": 10.0, "coupling_high": 1500.0, "low_at_grid_edge": True, "high_at_grid_edge": False},
    ]  # fmt: skip
    table = ContourTable(model="inelastic-scalar", benchmark={"delta": 10}, mass_parameter="m1", mass_unit="GeV",
                         coupling_name="Lambda", coupling_unit="GeV", rows=tuple(rows), level=2.3,
                         provenance={"config_hash": "0123456789abcdef"})  # fmt: skip
    write_contour_table(table, path)


def test_convert_contour_csv(tmp_path):
    src = tmp_path / "eft.csv"
    _write_contour(src)
    dst = tmp_path / "zp.csv"
    rows = reinterpret.convert_contour_csv(src, dst, "zprime", g_phi=1.0, g_V_quark=0.25, g_V_lepton=0.25)
    assert [float(r["coupling_low"]) for r in rows] == pytest.approx([20.0, 5.0])
    table = read_contour_table(dst)
    assert table.coupling_label.startswith("M_Zprime [GeV]") and table.benchmark == {"delta": 10}
    assert [r["coupling_high"] for r in table.rows] == pytest.approx([450.0, 750.0])
    assert table.reinterpretation["target"] == "zprime" and table.reinterpretation["g_V_quark"] == 0.25
    assert table.reinterpretation["from"] == {"coupling_name": "Lambda", "coupling_unit": "GeV"}
    assert table.provenance == {"config_hash": "0123456789abcdef"}  # carried over
    assert [r["mass"] for r in table.rows] == [0.01, 0.05] and table.level == 2.3
    dst = tmp_path / "dp.csv"
    rows = reinterpret.convert_contour_csv(src, dst, "dark_photon", g_phi=1.0, M_Zprime=40.0)
    eps = lambda lam: reinterpret.dark_photon_epsilon_from_lambda(lam, 40.0, 1.0)  # noqa: E731
    assert float(rows[1]["coupling_low"]) == pytest.approx(eps(1500.0), rel=1e-7)  # edges swap
    assert float(rows[1]["coupling_high"]) == pytest.approx(eps(10.0), rel=1e-7)
    assert (rows[1]["low_at_grid_edge"], rows[1]["high_at_grid_edge"]) == (False, True)
    table = read_contour_table(dst)
    assert table.coupling_label.startswith("epsilon")
    assert all(r["coupling_low"] < r["coupling_high"] for r in table.rows)
    assert (table.rows[1]["low_at_grid_edge"], table.rows[1]["high_at_grid_edge"]) == (False, True)
    with pytest.raises(ValueError, match="needs g_V_quark"):
        reinterpret.convert_contour_csv(src, dst, "zprime")
    with pytest.raises(ValueError, match="target must be"):
        reinterpret.convert_contour_csv(src, dst, "axion")
    with pytest.raises(ValueError, match="not a contour table in Lambda"):  # a converted table is not converted again
        reinterpret.convert_contour_csv(dst, tmp_path / "again.csv", "dark_photon", M_Zprime=40.0)


def test_converted_table_draws_with_the_figure_code(tmp_path):
    """A Z' contour is read by the figure code like any contour table; its axis label comes from the header."""
    from darkreach.output.style import axis_label

    src = tmp_path / "eft.csv"
    _write_contour(src)
    table = reinterpret.convert_contour_table(read_contour_table(src), "zprime", g_V_quark=0.25, g_V_lepton=0.25)
    assert axis_label(table.coupling_label) == "$M_{Z'}$ [GeV]" and table.mass_label == "m1 [GeV]"
