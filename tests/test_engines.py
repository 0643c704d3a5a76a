"""Hadronic engines per generator entry: SIBYLL 2.3d through chromo, PYTHIA tunes, and the config checks of both.

SIBYLL runs in a subprocess per shard (a Fortran generator initialises once per process), as Snakemake jobs do;
the three SIBYLL shards here (100-200 events each) take ~15 s on an idle machine. Tests running a generator are ``slow``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
from particle import Particle

from darkreach.config import ConfigError, check_config, load_config
from darkreach.config.slices import sample_id
from darkreach.mesons import MESONS, PAPER000_TABLE1
from darkreach.production import BeamFrame
from darkreach.production.meson_beams.engines import (
    ENGINES,
    PYTHIA_TUNES,
    SIBYLL_SPECIES,
    check_generator_entry,
    generate_shard,
)
from darkreach.production.meson_beams.merge import merge_shards
from darkreach.production.meson_beams.multiplicities import multiplicity_table
from darkreach.production.meson_beams.samples import BRANCHES, load_meson_sample, read_metadata, write_sample
from darkreach.production.meson_beams.settings import GeneratorSettings, pythia_settings, settings_from_config

REPO = Path(__file__).resolve().parents[1]
LIGHT = ("pi0", "eta", "rho", "omega", "kplus")
N_FIXED_TARGET = 200
N_COLLIDER = 100
PROTON_MASS = 0.93827208943


def _sibyll(energy: float, frame: BeamFrame = BeamFrame.FIXED_TARGET) -> GeneratorSettings:
    return GeneratorSettings(None, energy, LIGHT, frame=frame, engine="sibyll23d")


@pytest.fixture(scope="module")
def sibyll_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two 400 GeV fixed-target shards with the same seed, and a 13.6 TeV collider shard."""
    folder = tmp_path_factory.mktemp("sibyll")
    out = {"a": folder / "a.root", "b": folder / "b.root", "lhc": folder / "lhc.root"}
    generate_shard(_sibyll(400.0), N_FIXED_TARGET, 4242, out["a"])
    generate_shard(_sibyll(400.0), N_FIXED_TARGET, 4242, out["b"])
    generate_shard(_sibyll(13600.0, BeamFrame.COLLIDER), N_COLLIDER, 99, out["lhc"])
    return out


def _four_momenta(path: Path, species: str) -> np.ndarray:
    import uproot

    with uproot.open(path) as file:
        arrays = file[species].arrays(["px", "py", "pz", "E", "weight"], library="np")
    return np.column_stack([arrays[k] for k in ("px", "py", "pz", "E", "weight")])


@pytest.mark.slow
def test_sibyll_same_seed_same_file(sibyll_files: dict[str, Path]) -> None:
    for species in LIGHT:
        assert np.array_equal(_four_momenta(sibyll_files["a"], species), _four_momenta(sibyll_files["b"], species))
    meta = read_metadata(sibyll_files["a"])
    assert meta["generator"] == "sibyll23d" and meta["model_version"] == "2.3d" and meta["seeds"] == [4242]


@pytest.mark.slow
def test_sibyll_shards_merge(sibyll_files: dict[str, Path], tmp_path: Path) -> None:
    """Shards of one SIBYLL generation merge like PYTHIA's: events and counts add up, the seed line is dropped from
    the settings; the same seed twice is refused (it would duplicate events)."""
    with pytest.raises(ValueError, match="seed 4242"):
        merge_shards([sibyll_files["a"], sibyll_files["b"]], tmp_path / "twice.root")
    meta = read_metadata(sibyll_files["b"])
    other = tmp_path / "other_seed.root"  # shard b relabelled as another seed's shard
    chunks = {k: [dict(zip(BRANCHES, _four_momenta(sibyll_files["b"], k).T, strict=True))] for k in LIGHT}
    write_sample(other, chunks, {**meta, "seed": 4243, "seeds": [4243]})
    merged = merge_shards([sibyll_files["a"], other], tmp_path / "merged.root")
    assert merged["n_events"] == 2 * N_FIXED_TARGET and merged["seeds"] == [4242, 4243]
    assert merged["counts"]["pi0"] == 2 * meta["counts"]["pi0"]
    assert merged["sigma_gen_mb"] == pytest.approx(meta["sigma_gen_mb"])
    assert merged["settings"] == [line for line in meta["settings"] if not line.startswith("seed =")]


@pytest.mark.slow
@pytest.mark.parametrize("species", LIGHT)
def test_sibyll_mesons_on_shell_in_the_lab_frame(sibyll_files: dict[str, Path], species: str) -> None:
    """E^2 - p^2 = m^2 with the PDG mass of `particle`, within the resonance width or 1 % (SIBYLL uses fixed
    masses, rho at 0.7685 GeV): the unstable mesons are read with their own momenta from SIBYLL's history."""
    pdg = Particle.from_pdgid(MESONS[species].pdgid)
    mass, width = pdg.mass / 1000.0, (pdg.width or 0.0) / 1000.0
    p4 = _four_momenta(sibyll_files["a"], species)
    assert p4.shape[0] > 0
    m = np.sqrt(np.maximum(p4[:, 3] ** 2 - np.sum(p4[:, :3] ** 2, axis=1), 0.0))
    on_shell = np.abs(m - mass) <= max(width, 0.01 * mass)
    assert np.mean(on_shell) >= 0.97, (species, np.median(m), mass)  # ~0.3 % of SIBYLL's omegas have 0.7327 GeV
    assert np.all(p4[:, 4] == 1.0)
    assert p4[:, 3].max() <= 400.0 + PROTON_MASS and np.mean(p4[:, 2] > 0.0) > 0.9  # beam along +z, lab frame


@pytest.mark.slow
def test_sibyll_collider_frame(sibyll_files: dict[str, Path]) -> None:
    pi0 = _four_momenta(sibyll_files["lhc"], "pi0")
    assert pi0[:, 3].max() <= 6800.0 and 0.4 < np.mean(pi0[:, 2] > 0.0) < 0.6  # CM frame, symmetric beams
    meta = read_metadata(sibyll_files["lhc"])
    # inelastic pp at 13.6 TeV: TOTEM/ATLAS measure ~79-80 mb (FASER 2 uses 79.5 mb, paper 000 eq. 4.2)
    assert meta["sigma_gen_mb"] == pytest.approx(79.5, rel=0.05)
    # more mesons per inelastic event at the LHC than at the SPS
    assert meta["counts"]["pi0"] / N_COLLIDER > 3 * read_metadata(sibyll_files["a"])["counts"]["pi0"] / N_FIXED_TARGET


@pytest.mark.slow
@pytest.mark.parametrize("species", ["pi0", "rho", "omega"])
def test_sibyll_multiplicities_near_table1(sibyll_files: dict[str, Path], species: str) -> None:
    """pi0, rho and omega per inelastic pp event at 400 GeV within 35 % (plus 3 sigma statistics) of Table 1 of
    paper 000, and the cross section near the measured sigma_inel(pp, sqrt(s) = 27.4 GeV) ~ 32 mb."""
    sample = load_meson_sample(sibyll_files["a"], species)
    per_event = sample.multiplicity_per_event
    stat = np.sqrt(len(sample)) / sample.n_events
    assert abs(per_event - PAPER000_TABLE1[species]) <= 0.35 * PAPER000_TABLE1[species] + 3 * stat
    assert sample.sigma_gen_mb == pytest.approx(32.0, rel=0.1)


@pytest.mark.slow
def test_sibyll_is_the_reference_of_a_mixed_beam(sibyll_files: dict[str, Path], tmp_path: Path) -> None:
    """Light mesons from SIBYLL, J/psi from PYTHIA: SIBYLL's file is the minimum-bias reference, so its
    multiplicities are per event, and PYTHIA's J/psi is normalised with sigma_gen(Charmonium) / sigma_inel(SIBYLL)."""
    charm = GeneratorSettings("Charmonium:all", 400.0, ("jpsi",))
    generate_shard(charm, 100, 7, tmp_path / "charm.root")
    rows = {
        r["species"]: r for r in multiplicity_table({"sibyll": sibyll_files["a"], "charm": tmp_path / "charm.root"})
    }
    sibyll = read_metadata(sibyll_files["a"])
    assert rows["pi0"]["per_pp_interaction"] == rows["pi0"]["per_event"]
    assert rows["pi0"]["process"] == "inelastic"
    jpsi = rows["jpsi"]
    assert jpsi["per_pp_interaction"] == pytest.approx(
        jpsi["per_event"] * jpsi["sigma_gen_mb"] / sibyll["sigma_gen_mb"]
    )


def test_sibyll_shard_settings_are_checked() -> None:
    with pytest.raises(ValueError, match=r"'jpsi'"):
        GeneratorSettings(None, 400.0, ("pi0", "jpsi"), engine="sibyll23d")
    with pytest.raises(ValueError, match=r"process.*'SoftQCD:inelastic'"):
        GeneratorSettings("SoftQCD:inelastic", 400.0, ("pi0",), engine="sibyll23d")
    with pytest.raises(ValueError, match=r"engine 'pythia9'"):
        GeneratorSettings("SoftQCD:inelastic", 400.0, ("pi0",), engine="pythia9")
    with pytest.raises(ValueError, match="not 'pythia8'"):
        pythia_settings(_sibyll(400.0), 1)
    with pytest.raises(ValueError, match="seed"):
        generate_shard(_sibyll(400.0), 10, 0, "unused.root")


# --- PYTHIA tunes --------------------------------------------------------------------------------------------


def test_tune_is_read_before_extra_settings_and_applied() -> None:
    """Tune:pp = 5 (4C) switches the PDF to CTEQ6L1 (PDF:pSet = 8); the default Monash keeps NNPDF2.3 (13)."""
    import pythia8mc

    def pdf_set(tune: int | None) -> str:
        settings = GeneratorSettings("SoftQCD:inelastic", 400.0, ("pi0",), ("PhaseSpace:pTHatMin = 1.",), tune=tune)
        lines = pythia_settings(settings, 3)
        if tune is not None:
            assert lines.index(f"Tune:pp = {tune}") < lines.index("PhaseSpace:pTHatMin = 1.")
        pythia = pythia8mc.Pythia("", False)
        assert all(pythia.readString(line) for line in lines)
        return str(pythia.settings.word("PDF:pSet")).strip()

    assert pdf_set(None) == pdf_set(14) == "13" and pdf_set(5) == "8"


@pytest.mark.slow
@pytest.mark.parametrize("tune", sorted(PYTHIA_TUNES))
def test_every_offered_tune_initialises_offline(tune: int) -> None:
    """Each offered tune finds its PDF set among pythia8mc's bundled grids (no LHAPDF): PYTHIA initialises.
    Parton and hadron levels are off to keep it fast; the beams and their PDFs are set up all the same (an
    LHAPDF-only tune such as 11, AU2-CT10, fails here)."""
    import pythia8mc

    settings = GeneratorSettings("SoftQCD:inelastic", 400.0, ("pi0",), tune=tune)
    pythia = pythia8mc.Pythia("", False)
    lines = [*pythia_settings(settings, 5), "PartonLevel:all = off", "HadronLevel:all = off"]
    assert all(pythia.readString(line) for line in lines)
    assert pythia.init(), f"Tune:pp = {tune} does not initialise"


# --- configuration -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def paper() -> dict:
    return load_config(REPO / "config" / "paper.yaml")


ENTRY = "beams.sps400_sibyll.generators.sibyll"
BAD_ENTRIES = [
    (lambda g: g.update(engine="epos"), f"'{ENTRY}.engine'", "'epos'"),
    (lambda g: g.update(process="SoftQCD:inelastic"), f"'{ENTRY}.process'", "'SoftQCD:inelastic'"),
    (lambda g: g.update(species=["pi0", "jpsi"]), f"'{ENTRY}.species'", "'jpsi'"),
    (lambda g: g.update(tune=5), f"'{ENTRY}.tune'", "5"),
    (lambda g: g.update(extra_settings=["Tune:pp = 5"]), f"'{ENTRY}.extra_settings'", "Tune:pp = 5"),
]


@pytest.mark.parametrize(("mutate", "key", "value"), BAD_ENTRIES)
def test_bad_sibyll_entry_names_key_and_value(paper: dict, mutate, key: str, value: str) -> None:
    cfg = copy.deepcopy(paper)
    mutate(cfg["beams"]["sps400_sibyll"]["generators"]["sibyll"])
    with pytest.raises(ConfigError) as err:
        check_config(cfg)
    assert key in str(err.value) and value in str(err.value), str(err.value)


def test_bad_pythia_entries_name_key_and_value(paper: dict) -> None:
    cfg = copy.deepcopy(paper)
    cfg["beams"]["sps400_4c"]["generators"]["softqcd"]["tune"] = 3
    with pytest.raises(ConfigError, match=r"'beams.sps400_4c.generators.softqcd.tune'.*unknown PYTHIA tune 3"):
        check_config(cfg)
    cfg = copy.deepcopy(paper)
    del cfg["beams"]["sps400"]["generators"]["charm"]["process"]
    with pytest.raises(ConfigError, match=r"'beams.sps400.generators.charm.process' is required"):
        check_config(cfg)
    cfg = copy.deepcopy(paper)
    cfg["beams"]["sps400"]["generators"]["softqcd"]["species"] = ["pi0"]
    cfg["beams"]["sps400"]["generators"]["sibyll"] = {
        "engine": "sibyll23d",
        "species": ["eta"],
        "events_per_shard": 10,
        "shards": 1,
    }
    with pytest.raises(ConfigError, match=r"'beams.sps400.generators'.*\['softqcd', 'sibyll'\].*minimum-bias"):
        check_config(cfg)


def test_variant_beams_mirror_their_nominal_beam(paper: dict) -> None:
    """Each variant beam makes the same species as its nominal beam, at the same energy: <beam>_sibyll (fixed
    target) takes the nominal PYTHIA SoftQCD species from SIBYLL, <beam>_pythia (LHC) the nominal SIBYLL species
    from PYTHIA SoftQCD, and <beam>_4c runs every entry with PYTHIA Tune 4C; heavy flavour is the nominal PYTHIA
    entry everywhere."""
    beams = paper["beams"]
    fixed = [b for b in beams if f"{b}_sibyll" in beams]
    lhc = [b for b in beams if f"{b}_pythia" in beams]
    assert set(fixed) == {"sps400", "sps450", "ps70"} and set(lhc) == {"lhc13p6", "lhc14"}
    for beam in fixed + lhc:
        base = beams[beam]
        light_variant = f"{beam}_sibyll" if beam in fixed else f"{beam}_pythia"
        species = {s for g in base["generators"].values() for s in g["species"]}
        for variant in (light_variant, f"{beam}_4c"):
            vcfg = beams[variant]
            # the parton sample (beams.<beam>.partons) is not a meson-generator variant: the nominal beam's only
            assert {k: v for k, v in vcfg.items() if k not in ("generators", "description", "partons")} == {
                k: v for k, v in base.items() if k not in ("generators", "description", "partons")
            }
            assert {s for g in vcfg["generators"].values() for s in g["species"]} == species
        pythia = beams[beam if beam in fixed else light_variant]["generators"]
        sibyll = beams[light_variant if beam in fixed else beam]["generators"]
        assert sibyll["sibyll"]["species"] == pythia["softqcd"]["species"]
        assert set(sibyll["sibyll"]["species"]) <= SIBYLL_SPECIES
        heavy = [g for g in base["generators"] if g not in ("softqcd", "sibyll")]
        assert heavy and all(beams[light_variant]["generators"][g] == base["generators"][g] for g in heavy)
        tuned = beams[f"{beam}_4c"]["generators"]

        def physics(entry: dict) -> dict:  # a variant may have other statistics (shards), never other physics
            return {k: v for k, v in entry.items() if k not in ("shards", "events_per_shard")}

        assert set(tuned) == set(pythia) and all(physics(tuned[g]) == physics({**pythia[g], "tune": 5}) for g in pythia)


def test_sample_hash_changes_only_with_what_is_set(paper: dict) -> None:
    """Entries without engine or tune keep their hash; spelling out the default engine names the same sample;
    a tune or another engine names another sample."""
    cfg = copy.deepcopy(paper)
    before = sample_id(cfg, "sps400", "softqcd")
    cfg["beams"]["sps400"]["generators"]["softqcd"]["engine"] = "pythia8"
    assert sample_id(cfg, "sps400", "softqcd") == before
    cfg["beams"]["sps400"]["generators"]["softqcd"]["tune"] = 14
    assert sample_id(cfg, "sps400", "softqcd") != before
    sibyll = {"engine": "sibyll23d", "species": ["pi0"], "events_per_shard": 10, "shards": 1}
    other = {"engine": "pythia8", "process": "SoftQCD:inelastic", "species": ["pi0"], "events_per_shard": 10}
    cfg["beams"]["sps400"]["generators"]["a"] = {**sibyll}
    cfg["beams"]["sps400"]["generators"]["b"] = {**other, "shards": 1}
    assert sample_id(cfg, "sps400", "a").split("-")[1] != sample_id(cfg, "sps400", "b").split("-")[1]


def test_settings_from_config_carry_engine_and_tune(paper: dict) -> None:
    beam = paper["beams"]["lhc13p6"]
    settings = settings_from_config(beam, beam["generators"]["sibyll"])
    assert settings.engine == "sibyll23d" and settings.process is None and settings.frame is BeamFrame.COLLIDER
    tuned = paper["beams"]["lhc13p6_4c"]
    assert settings_from_config(tuned, tuned["generators"]["charmonium"]).tune == 5
    check_generator_entry({"species": ["pi0"], "process": "SoftQCD:inelastic"}, "x")  # pythia8 is the default
    assert set(ENGINES) == {"pythia8", "sibyll23d"}
