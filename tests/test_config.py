"""Configuration: the embedded default validates; bad input is refused naming key and value."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from darkreach.config import ConfigError, benchmark_label, check_config, grid_values, load_config
from darkreach.experiments import experiment_from_config
from darkreach.mesons import PAPER000_TABLE1

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def default() -> dict:
    return load_config(REPO / "config" / "config.yaml")


def test_default_config_is_valid_and_matches_package_copy(default: dict) -> None:
    packaged = REPO / "src" / "darkreach" / "config" / "default.yaml"
    assert packaged.read_text() == (REPO / "config" / "config.yaml").read_text()
    assert load_config(REPO / ".test" / "config.yaml")["seed"] == 7
    assert default["targets"]["experiments"] == ["na62", "hike"]


def test_na62_and_hike_follow_paper_000(default: dict) -> None:
    na62 = experiment_from_config(default, "na62")
    hike = experiment_from_config(default, "hike")
    assert na62.exposures == (1e17, 1e18) and hike.exposures == (5e19,)
    assert na62.geometry.theta_max == pytest.approx(np.arctan(1.2 / 217.0))
    assert na62.geometry.theta_max == pytest.approx(5.5e-3, rel=0.01)  # quoted in sec. 3
    assert na62.energy_thresholds_gev == (1.0,)
    # copper target: J/psi and Upsilon multiplicities scaled by A^0.29, light mesons untouched
    assert na62.mesons_per_interaction["jpsi"] == pytest.approx(4.7e-6 * 63.546**0.29)
    assert na62.mesons_per_interaction["pi0"] == PAPER000_TABLE1["pi0"]


BAD_CASES = [
    (lambda c: c["experiments"]["na62"].update(beam="lhc"), "experiments.na62.beam", "'lhc'"),
    (lambda c: c["models"]["idm-dipole"]["benchmarks"].append({"delta": 0.0}), "benchmarks.3", "0.0"),
    (lambda c: c["models"].update({"axion": {"benchmarks": [{}]}}), "models.axion", "'axion'"),
    (lambda c: c["targets"].update(experiments=["na62", "ship"]), "targets.experiments", "'ship'"),
    (lambda c: c["experiments"]["na62"].update(exposures=[-1e17]), "experiments.na62.exposures.0", "-1e+17"),
    (lambda c: c["experiments"]["na62"].update(energy_thresholds_gev=[-1.0]), "energy_thresholds_gev.0", "-1.0"),
    (lambda c: c["experiments"]["na62"].update(acceptance="approximate"), "experiments.na62.acceptance", "approximate"),
    (lambda c: c["scan"].update(mass_gev=[]), "scan.mass_gev", "[]"),
    (lambda c: c["scan"].update(mass_gev=[0.1, 0.3, 0.2]), "scan.mass_gev", "[0.1, 0.3, 0.2]"),
    (lambda c: c["scan"].update(coupling={"min": 1e-3, "max": 1e-6, "num": 10}), "scan.coupling", "0.001"),
    (lambda c: c["scan"].update(mass_gev=[-0.1, 0.2]), "scan.mass_gev", "-0.1"),
    (lambda c: c["scan"].update(events_per_mass="many"), "scan.events_per_mass", "'many'"),
    (lambda c: c.update(colour="blue"), "<root>", "colour"),
    (lambda c: c["beams"]["sps400"]["generators"]["softqcd"].update(shards=0), "softqcd.shards", "0"),
    (lambda c: c["beams"]["sps400"]["generators"]["softqcd"].update(species=["kaon"]), "species.0", "'kaon'"),
    (lambda c: c.update(seed=-5), "seed", "-5"),
    (lambda c: c["experiments"]["na62"]["geometry"].update(z_end_m=50.0), "experiments.na62.geometry", "50.0"),
    (lambda c: c["experiments"]["na62"].update(multiplicities={"jpsi": -1.0}), "multiplicities.jpsi", "-1.0"),
]


@pytest.mark.parametrize(("mutate", "key", "value"), BAD_CASES)
def test_bad_input_names_key_and_value(default: dict, mutate, key: str, value: str) -> None:
    cfg = copy.deepcopy(default)
    # do not share the YAML-anchored geometry between experiments in the mutated copy
    cfg["experiments"]["hike"]["geometry"] = dict(cfg["experiments"]["hike"]["geometry"])
    mutate(cfg)
    with pytest.raises(ConfigError) as err:
        check_config(cfg)
    assert key in str(err.value) and value in str(err.value), str(err.value)


def test_missing_and_corrupt_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("seed: [unclosed\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml:2:1: invalid YAML"):  # file, line and column
        load_config(bad)


def test_grid_values() -> None:
    assert np.allclose(grid_values({"min": 1.0, "max": 100.0, "num": 3}, "g"), [1.0, 10.0, 100.0])
    assert np.allclose(grid_values({"min": 1.0, "max": 3.0, "num": 3, "spacing": "linear"}, "g"), [1, 2, 3])
    assert benchmark_label({"delta": 0.1}) == "delta-0.1"
    assert benchmark_label({"delta": 0.005}) == "delta-0.005"
    # the keys in sorted order: a figure job reads its canonical (sorted) slice and must find the scan's files
    assert benchmark_label({"delta": 10, "g_Vq": 0.25, "g_Vl": 0}) == "delta-10_g_Vl-0_g_Vq-0.25"
    assert benchmark_label({"g_Vl": 0, "delta": 10, "g_Vq": 0.25}) == "delta-10_g_Vl-0_g_Vq-0.25"
