"""Systematic variations: expansion into derived experiments, their checks, scan reuse, the envelope and a tiny run.

``.test/variations.yaml`` extends the tiny paper configuration with NA62 at the exact acceptance (a new scan) and
CHARM-II at the two-sided limit of 144 events (the nominal scan at another level), drawn in one figure.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import REPO, run_snakemake

from darkreach.config import ConfigError, load_config
from darkreach.config.variations import (
    contour_level,
    derived_name,
    expand_variations,
    figure_variations,
    scan_benchmark,
    scan_source,
    split_name,
)
from darkreach.experiments import experiment_from_config
from darkreach.mesons import HEAVY_FLAVOUR_A_EXPONENT, PAPER000_TABLE1
from darkreach.output.contour_table import read_contour_table
from darkreach.output.figures.envelope import envelope
from darkreach.output.hepdata import read_submission, validate_submission

VARIATIONS = REPO / ".test" / "variations.yaml"


def _config(tmp_path: Path, extra: dict) -> Path:
    path = tmp_path / "cfg.yaml"
    path.write_text(yaml.safe_dump({"extends": str(REPO / ".test" / "paper.yaml"), **extra}))
    return path


def _with_variation(tmp_path: Path, spec: dict, experiment: str = "na62", figure_band: object = None) -> Path:
    extra: dict = {"variations": {"v": spec}, "experiments": {experiment: {"variations": ["v"]}}}
    if figure_band is not None:
        extra["figures"] = {"fig_dipole": {"systematic_band": figure_band}}
    return _config(tmp_path, extra)


def test_expansion_applies_exactly_the_overrides():
    raw = yaml.safe_load(VARIATIONS.read_text())
    cfg = load_config(VARIATIONS)
    nominal, derived = cfg["experiments"]["na62"], cfg["experiments"]["na62~acceptance-exact"]
    assert "variations" not in nominal and "variations" not in derived
    changed = {k for k in set(nominal) | set(derived) if nominal.get(k) != derived.get(k)}
    assert changed == set(raw["variations"]["acceptance-exact"]["experiment"]) == {"acceptance"}
    assert derived["acceptance"] == "exact" and nominal["acceptance"] == "paper"
    assert split_name("na62~acceptance-exact") == ("na62", "acceptance-exact") and split_name("na62") == ("na62", None)
    assert derived_name("charm2", "limit-two-sided") in cfg["experiments"]


def test_null_removes_a_key_and_a_whole_key_is_replaced():
    cfg = load_config(VARIATIONS)
    cfg["variations"]["swap"] = {"experiment": {"limit": None, "level": 50.0}}
    cfg["experiments"] = {k: v for k, v in cfg["experiments"].items() if "~" not in k}
    cfg["experiments"]["charm2"] = {**cfg["experiments"]["charm2"], "variations": ["swap"]}
    out = expand_variations(cfg)
    derived = out["experiments"]["charm2~swap"]
    assert "limit" not in derived and derived["level"] == 50.0
    assert contour_level(out, "charm2~swap") == 50.0 and scan_source(out, "charm2~swap") == "charm2"


def test_level_only_variation_reuses_the_nominal_scan_and_others_do_not():
    cfg = load_config(VARIATIONS)
    assert scan_source(cfg, "charm2~limit-two-sided") == "charm2"
    # 1.96 sqrt(5429): the two-sided 95 % quantile (one-sided cl 0.975), against 1.645 sqrt(5429) nominal
    assert contour_level(cfg, "charm2~limit-two-sided") == pytest.approx(1.959964 * math.sqrt(5429), rel=1e-6)
    assert contour_level(cfg, "charm2") == pytest.approx(1.644854 * math.sqrt(5429), rel=1e-6)
    assert scan_source(cfg, "na62~acceptance-exact") == "na62~acceptance-exact"
    assert figure_variations(cfg, "fig_dipole_band") == {
        "na62": ("na62~acceptance-exact",),
        "charm2": ("charm2~limit-two-sided",),
    }


def test_a_panel_can_leave_out_the_envelope(tmp_path):
    raw = yaml.safe_load(VARIATIONS.read_text())
    panel = raw["figures"]["fig_dipole_band"]["panels"][0]
    raw["figures"]["fig_dipole_band"]["panels"] = [panel, {**panel, "systematic_band": False}]
    (tmp_path / "paper.yaml").write_text((REPO / ".test" / "paper.yaml").read_text())
    (tmp_path / "cfg.yaml").write_text(yaml.safe_dump(raw))
    cfg = load_config(tmp_path / "cfg.yaml")
    assert figure_variations(cfg, "fig_dipole_band", 0) == figure_variations(cfg, "fig_dipole_band")
    assert figure_variations(cfg, "fig_dipole_band", 1) == {}
    raw["figures"]["fig_dipole_band"]["panels"][1]["systematic_band"] = True
    (tmp_path / "cfg.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(ConfigError, match=r"panels\.1\.systematic_band"):
        load_config(tmp_path / "cfg.yaml")


def test_benchmark_variation_sets_the_model_parameter_and_only_for_its_model(tmp_path):
    spec = {"model": "inelastic-scalar", "benchmark": {"neutrino_convention": "v-a"}}
    cfg = load_config(_with_variation(tmp_path, spec, experiment="faser"))
    point = {"axis": "delta", "m2": 0.3}
    assert scan_benchmark(cfg, "faser~v", "inelastic-scalar", point) == {**point, "neutrino_convention": "v-a"}
    assert scan_benchmark(cfg, "faser", "inelastic-scalar", point) == point
    assert scan_source(cfg, "faser~v") == "faser~v"  # same entry, other model parameter: its own scan
    with pytest.raises(ValueError, match="inelastic-scalar"):
        scan_benchmark(cfg, "faser~v", "idm-dipole", {"delta": 0.1})


@pytest.mark.parametrize(
    ("spec", "band", "expected"),
    [
        ({"experiment": {"acceptence": "exact"}}, None, r"variations\.v\.experiment\.acceptence"),
        ({"experiment": {"acceptance": "exakt"}}, None, r"experiments\.na62~v\.acceptance.*exakt"),
        ({"experiment": {"nuclear_scaling": "quarkonia"}}, None, r"experiments\.na62~v\.nuclear_scaling.*quarkonia"),
        ({"experiment": {"beam": "sps401"}}, None, r"experiments\.na62~v\.beam.*sps401"),
        ({"benchmark": {"neutrino_convention": "v-a"}}, None, r"variations\.v\.benchmark.*model"),
        (
            {"model": "inelastic-scalar", "benchmark": {"neutrino_convention": "dirac"}},
            None,
            r"variations\.v\.benchmark\.neutrino_convention.*dirac",
        ),
        ({"experiment": {"acceptance": "exact"}}, ["nope"], r"figures\.fig_dipole\.systematic_band\.0.*nope"),
        ({"model": "inelastic-scalar", "experiment": {"acceptance": "exact"}}, True, r"systematic_band.*idm-dipole"),
    ],
)
def test_bad_variation_is_named(tmp_path, spec, band, expected):
    with pytest.raises(ConfigError, match=expected):
        load_config(_with_variation(tmp_path, spec, figure_band=band))


def test_unknown_variation_name_and_reserved_separator(tmp_path):
    with pytest.raises(ConfigError, match=r"experiments\.na62\.variations\.0.*'nope'"):
        load_config(_config(tmp_path, {"experiments": {"na62": {"variations": ["nope"]}}}))
    raw = yaml.safe_load((REPO / ".test" / "paper.yaml").read_text())
    raw["experiments"]["na62~x"] = raw["experiments"]["na62"]
    with pytest.raises(ConfigError, match=r"experiments\.na62~x.*reserved"):
        expand_variations(raw)


def test_nuclear_scaling_choice():
    """A^0.29 on quarkonia and open heavy flavour (paper 000 sec. 4.1, the default) or on open flavour only."""
    cfg = load_config(REPO / "config" / "paper.yaml")
    a_cu = cfg["experiments"]["na62"]["target_mass_number"]
    nominal = experiment_from_config(cfg, "na62").mesons_per_interaction
    open_only = experiment_from_config(cfg, "na62~a029-open-heavy-flavour").mesons_per_interaction
    scale = a_cu**HEAVY_FLAVOUR_A_EXPONENT
    for key in ("jpsi", "upsilon"):
        assert nominal[key] == pytest.approx(PAPER000_TABLE1[key] * scale, rel=1e-12)
        assert open_only[key] == pytest.approx(PAPER000_TABLE1[key], rel=1e-12)
    for key in ("dplus", "ds", "bplus"):
        assert open_only[key] == nominal[key] == pytest.approx(PAPER000_TABLE1[key] * scale, rel=1e-12)
    for key in ("pi0", "eta", "kplus"):
        assert open_only[key] == nominal[key] == PAPER000_TABLE1[key]
    # paper 003 applies no scaling: its tables default to none
    assert experiment_from_config(cfg, "ship2019").nuclear_scaling == "none"
    bad = {**cfg, "experiments": {**cfg["experiments"]}}
    bad["experiments"]["faser"] = {**cfg["experiments"]["faser"], "nuclear_scaling": "heavy-flavour"}
    from darkreach.config import check_config

    with pytest.raises(ConfigError, match=r"experiments\.faser\.nuclear_scaling.*nuclear target"):
        check_config(bad)


def test_neutrino_convention_shortens_the_lifetime():
    """The standard V-A rate doubles each nu nu~ width (half of it in the paper's reading, docs/physics.md)."""
    from darkreach.models import get_model
    from darkreach.models.inelastic_scalar.decays import phi2_channel_widths

    model = get_model("inelastic-scalar")
    point = {"m1": 0.1, "delta": 10.0}
    paper, va = phi2_channel_widths(0.1, 10.0, 1.0), phi2_channel_widths(0.1, 10.0, 1.0, neutrino_convention="v-a")
    nu = [k for k in paper if k.startswith("nu_")]
    assert [va[k] for k in nu] == pytest.approx([2 * paper[k] for k in nu], rel=1e-12)
    width_va = model.llp_width_unit({**point, "neutrino_convention": "v-a"})
    assert width_va == pytest.approx(sum(va.values()), rel=1e-12)
    assert model.llp_width_unit(point) == pytest.approx(sum(paper.values()), rel=1e-12)
    assert model.llp_width_unit(point) < width_va


def test_envelope_of_toy_contours():
    nominal = [
        {"mass": 0.1, "coupling_low": 1e-6, "coupling_high": 1e-3},
        {"mass": 0.2, "coupling_low": 2e-6, "coupling_high": 5e-4},
    ]
    wider = [
        {"mass": 0.1, "coupling_low": 5e-7, "coupling_high": 2e-3},
        {"mass": 0.2, "coupling_low": 3e-6, "coupling_high": 4e-4},
        {"mass": 0.4, "coupling_low": 1e-5, "coupling_high": 2e-5},  # reached by this reading only
    ]
    split = [  # two intervals at one mass: its span counts
        {"mass": 0.1, "coupling_low": 2e-6, "coupling_high": 1e-5},
        {"mass": 0.1, "coupling_low": 1e-4, "coupling_high": 9e-4},
    ]
    points = envelope([nominal, wider, split])
    assert [p.mass for p in points] == [0.1, 0.2, 0.4]
    p1, p2, p4 = points
    assert (p1.low, p1.high, p1.inner_low, p1.inner_high) == (5e-7, 2e-3, 2e-6, 9e-4)
    assert (p1.with_interval, p1.total) == (3, 3)
    # at 0.2 the third reading has no interval: outer edges only
    assert (p2.low, p2.high, p2.inner_low, p2.inner_high, p2.with_interval) == (2e-6, 5e-4, None, None, 2)
    assert (p4.low, p4.high, p4.inner_low) == (1e-5, 2e-5, None)
    assert envelope([[], []]) == []
    # readings whose spans do not overlap share no inner span
    disjoint = envelope([[{"mass": 1.0, "coupling_low": 1.0, "coupling_high": 2.0}],
                         [{"mass": 1.0, "coupling_low": 3.0, "coupling_high": 4.0}]])  # fmt: skip
    assert (disjoint[0].low, disjoint[0].high, disjoint[0].inner_low) == (1.0, 4.0, None)
    with pytest.raises(ValueError, match="not finite"):
        envelope([[{"mass": 1.0, "coupling_low": float("nan"), "coupling_high": 2.0}]])


def test_dry_run_reuses_the_scan_of_a_level_only_variation(tmp_path):
    proc = run_snakemake(tmp_path, "-n", "fig_dipole_band", config=VARIATIONS)
    out = proc.stdout
    scans = {
        line.split("results/scans/")[1].split("/")[0] for line in out.splitlines() if "output: results/scans/" in line
    }
    assert scans == {"na62", "na62~acceptance-exact", "charm2"}
    assert "results/contours/charm2~limit-two-sided/idm-dipole/delta-0.1.csv" in out


def test_bad_variation_stops_snakemake_before_any_job(tmp_path):
    bad = _with_variation(tmp_path, {"experiment": {"acceptance": "exakt"}})
    proc = run_snakemake(tmp_path, "-n", config=bad, check=False)
    assert proc.returncode != 0
    assert "experiments.na62~v.acceptance" in proc.stdout + proc.stderr
    assert "rule scan" not in proc.stdout


@pytest.fixture(scope="module")
def variations_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("variations")
    run_snakemake(work, "fig_dipole_band", config=VARIATIONS)
    return work


def _figure_rows(work: Path) -> list[dict[str, str]]:
    with (work / "results" / "paper" / "fig_dipole_band.csv").open() as fh:
        next(fh)  # JSON header line
        return list(csv.DictReader(fh))


def test_tiny_run_writes_each_variation_and_the_envelope(variations_run):
    contours = variations_run / "results" / "contours"
    nominal = read_contour_table(contours / "charm2" / "idm-dipole" / "delta-0.1.csv")
    two_sided = read_contour_table(contours / "charm2~limit-two-sided" / "idm-dipole" / "delta-0.1.csv")
    assert two_sided.experiment == "charm2~limit-two-sided" and two_sided.level == pytest.approx(144.41, rel=1e-4)
    assert not (variations_run / "results" / "scans" / "charm2~limit-two-sided").exists()
    # a higher level excludes less: every interval of the two-sided bound lies inside the one-sided one
    spans = {r["mass"]: (r["coupling_low"], r["coupling_high"]) for r in nominal.rows}
    assert two_sided.rows
    for r in two_sided.rows:
        lo, hi = spans[r["mass"]]
        assert lo <= r["coupling_low"] <= r["coupling_high"] <= hi
    rows = _figure_rows(variations_run)
    env = [r for r in rows if r["kind"] == "envelope"]
    assert {r["experiment"] for r in env} == {"na62", "charm2"}
    assert {r["envelope_of"] for r in env} == {"na62 na62~acceptance-exact", "charm2 charm2~limit-two-sided"}
    for r in env:
        values = [float(r[k]) for k in ("mass", "coupling_low", "coupling_high")]
        assert all(np.isfinite(values)) and values[1] <= values[2]
        assert "nan" not in ",".join(r.values()).lower()
    # the envelope contains the nominal curve at every mass
    for r in (r for r in rows if r["kind"] != "envelope"):
        e = next(x for x in env if x["experiment"] == r["experiment"] and x["mass"] == r["mass"])
        assert float(e["coupling_low"]) <= float(r["coupling_low"]) * (1 + 1e-7)
        assert float(e["coupling_high"]) >= float(r["coupling_high"]) * (1 - 1e-7)
    record = variations_run / "results" / "paper" / "fig_dipole_band_hepdata"
    assert validate_submission(record) == []
    names = [t.name for t in read_submission(record)[1]]
    assert sum("syst. envelope" in n for n in names) == 2


def test_scan_job_check_accepts_a_derived_experiments_model_options():
    from darkreach.config.variations import check_scan_job

    nominal = {"delta": 10.0}
    job = ("ship2019~neutrino-va", "inelastic-scalar", "delta-10")
    # the variation's option changes the scanned point's label, not the job's
    check_scan_job(job, job[:2], "delta-10", nominal, {**nominal, "neutrino_convention": "v-a"})
    with pytest.raises(ValueError, match="only a derived experiment"):
        check_scan_job(("ship2019", *job[1:]), ("ship2019", job[1]), "delta-10", nominal, {"delta": 10.0, "x": "y"})
    with pytest.raises(ValueError, match="the scan slice is for ship2019~neutrino-va/inelastic-scalar/delta-0.1"):
        check_scan_job(job, job[:2], "delta-0.1", {"delta": 0.1}, {"delta": 0.1})
