"""Tests of the PYTHIA8 meson generation stage (paper 000 sec. 4.1, Table 1).

Event counts are tiny; PYTHIA's SoftQCD initialisation (~2.5 s) dominates, so generated files are
shared through module-scoped fixtures. Tests running PYTHIA are marked ``slow`` (~20 s in all).
``pytest -s`` prints the multiplicity table.
"""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import uproot

pythia8mc = pytest.importorskip("pythia8mc")

from darkreach.generation import (  # noqa: E402
    GeneratorSettings,
    generate_shard,
    load_meson_sample,
    merge_shards,
    multiplicity_table,
    pythia_settings,
    read_metadata,
    write_multiplicity_csv,
)
from darkreach.generation.multiplicities import CSV_COLUMNS, format_multiplicity_table  # noqa: E402
from darkreach.generation.pythia_mesons import decays_from_record  # noqa: E402
from darkreach.generation.samples import BRANCHES  # noqa: E402
from darkreach.mesons import MESONS, PAPER000_TABLE1  # noqa: E402

BEAM = 400.0
ALL_SPECIES = tuple(MESONS)
LIGHT = ("pi0", "eta", "rho", "omega")
SOFT = GeneratorSettings("SoftQCD:inelastic", BEAM, ALL_SPECIES)
CHARM = GeneratorSettings("Charmonium:all", BEAM, ("jpsi", "pi0"))
SMALL = 300


def _trees(path) -> dict[str, dict[str, np.ndarray]]:
    with uproot.open(path) as f:
        names = [k for k, c in f.classnames(cycle=False).items() if c == "TTree"]
        return {k: f[k].arrays(list(BRANCHES), library="np") for k in names}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Generate once: 2000 SoftQCD events, 200 Charmonium events, and three small SoftQCD shards."""
    d = tmp_path_factory.mktemp("mesons")
    out = {
        "soft": d / "soft.root",
        "charm": d / "charm.root",
        "a": d / "a.root",
        "a_again": d / "a_again.root",
        "b": d / "b.root",
    }
    generate_shard(SOFT, 2000, 11, out["soft"])
    generate_shard(CHARM, 200, 12, out["charm"])
    generate_shard(SOFT, SMALL, 21, out["a"])
    generate_shard(SOFT, SMALL, 21, out["a_again"])
    generate_shard(SOFT, SMALL, 22, out["b"])
    return out


# --- settings -----------------------------------------------------------------------------------


def test_pythia_settings_lines():
    lines = pythia_settings(GeneratorSettings("SoftQCD:inelastic", 400.0, ("pi0",), ("Tune:pp = 14",)), 42)
    assert lines[:10] == [
        "Beams:frameType = 2",
        "Beams:idA = 2212",
        "Beams:idB = 2212",
        "Beams:eA = 400.0",
        "Beams:eB = 0.",
        "SoftQCD:inelastic = on",
        "Random:setSeed = on",
        "Random:seed = 42",
        "Next:numberCount = 0",
        "Print:quiet = on",
    ]
    assert lines[-1] == "Tune:pp = 14"
    pythia = pythia8mc.Pythia("", False)
    assert all(pythia.readString(line) for line in lines)


@pytest.mark.parametrize("seed", [-1, 0, 900_000_001, 1.5, True, "7"])
def test_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        pythia_settings(SOFT, seed)


def test_bad_settings():
    with pytest.raises(ValueError, match="'kaon0'"):
        GeneratorSettings("SoftQCD:inelastic", BEAM, ("pi0", "kaon0"))
    with pytest.raises(ValueError, match="'collider'"):
        GeneratorSettings("SoftQCD:inelastic", BEAM, ("pi0",), frame="collider")
    with pytest.raises(ValueError, match="beam_energy"):
        GeneratorSettings("SoftQCD:inelastic", -1.0, ("pi0",))
    with pytest.raises(ValueError, match="'pi0'"):
        GeneratorSettings("SoftQCD:inelastic", BEAM, ("pi0", "pi0"))
    with pytest.raises(ValueError, match="Beams:eA"):
        GeneratorSettings("SoftQCD:inelastic", BEAM, ("pi0",), ("Beams:eA = 120",))
    with pytest.raises(ValueError, match="n_events"):
        generate_shard(SOFT, 0, 1, "unused.root")
    bad_line = GeneratorSettings("SoftQCD:inelastic", BEAM, ("pi0",), ("NoSuch:setting = 3",))
    with pytest.raises(ValueError, match="NoSuch:setting"):
        generate_shard(bad_line, 10, 1, "unused.root")


@pytest.mark.slow
def test_non_decaying_species_refused(tmp_path):
    """The decay handler only sees decays: a stable pi0 must be an error, not an empty tree."""
    settings = GeneratorSettings("Charmonium:all", BEAM, ("pi0",), ("111:mayDecay = off",))
    with pytest.raises(ValueError, match="pi0"):
        generate_shard(settings, 10, 1, tmp_path / "x.root")
    assert not (tmp_path / "x.root").exists()


# --- file structure and kinematics -----------------------------------------------------------------


@pytest.mark.slow
def test_root_structure_and_metadata(files):
    with uproot.open(files["soft"]) as f:
        classes = f.classnames(cycle=False)
        assert classes["metadata"] == "TObjString"
        for key in ALL_SPECIES:
            assert classes[key] == "TTree"
            tree = f[key]
            assert set(tree.keys()) == set(BRANCHES)
            for branch in BRANCHES:
                assert tree[branch].typename == "double"
    meta = read_metadata(files["soft"])
    assert meta == json.loads(str(uproot.open(files["soft"])["metadata"]))
    assert meta["pythia_version"] == "8.317"
    assert meta["settings"] == pythia_settings(SOFT, 11)
    assert meta["seed"] == 11 and meta["seeds"] == [11]
    assert meta["n_events"] == 2000 and meta["n_failed"] >= 0
    assert meta["process"] == "SoftQCD:inelastic" and meta["beam_energy_gev"] == BEAM
    assert 25.0 < meta["sigma_gen_mb"] < 45.0  # sigma_inel(pp) at sqrt(s) = 27.4 GeV is ~32 mb
    assert meta["sigma_err_mb"] >= 0.0
    assert "darkreach_version" in meta
    trees = _trees(files["soft"])
    assert meta["counts"] == {k: len(trees[k]["px"]) for k in ALL_SPECIES}
    assert meta["counts"]["upsilon"] == 0  # empty trees are written, not skipped
    for key in ALL_SPECIES:
        np.testing.assert_array_equal(trees[key]["weight"], 1.0)  # unbiased generation
    assert meta["weighted"] is False and meta["sum_weights"] == 2000.0


@pytest.mark.slow
def test_fixed_target_kinematics(files):
    trees = _trees(files["soft"])
    for key in ("pi0", "eta", "etap", "rho", "omega", "phi"):
        t = trees[key]
        p = np.sqrt(t["px"] ** 2 + t["py"] ** 2 + t["pz"] ** 2)
        assert np.all(t["E"] >= p), key
        assert t["E"].max() <= BEAM, key
    pi0 = trees["pi0"]
    assert np.mean(pi0["pz"] > 0) > 0.95  # beam along +z in the lab
    rapidity = 0.5 * np.log((pi0["E"] + pi0["pz"]) / (pi0["E"] - pi0["pz"]))
    y_cm = np.arccosh((BEAM + 0.938272) / np.sqrt(2 * 0.938272 * (BEAM + 0.938272)))  # ~3.37
    assert abs(np.median(rapidity) - y_cm) < 0.5  # lab frame, not the CM frame (median would be ~0)
    assert abs(np.mean(pi0["px"])) < 0.05 and abs(np.mean(pi0["py"])) < 0.05


@pytest.mark.slow
@pytest.mark.parametrize(("file_key", "species"), [("soft", "pi0"), ("soft", "eta"), ("charm", "jpsi")])
def test_on_shell_narrow_mesons(files, file_key, species):
    """pi0, eta, J/psi have tiny widths: E^2 - p^2 = m_PDG^2 (rho/omega/phi/eta' have BW masses)."""
    t = _trees(files[file_key])[species]
    assert len(t["E"]) > 0
    m2 = t["E"] ** 2 - t["px"] ** 2 - t["py"] ** 2 - t["pz"] ** 2
    mass = MESONS[species].mass
    np.testing.assert_allclose(np.sqrt(m2), mass, rtol=1e-3)


# --- reproducibility and correctness of the decay-handler extraction ------------------------------


@pytest.mark.slow
def test_determinism(files):
    a, again, b = _trees(files["a"]), _trees(files["a_again"]), _trees(files["b"])
    for key in ALL_SPECIES:
        for branch in BRANCHES:
            np.testing.assert_array_equal(a[key][branch], again[key][branch])
    assert not np.array_equal(a["pi0"]["E"], b["pi0"]["E"])
    meta_a, meta_again = read_metadata(files["a"]), read_metadata(files["a_again"])
    for key in ("counts", "sigma_gen_mb", "n_failed", "settings"):
        assert meta_a[key] == meta_again[key]


@pytest.mark.slow
def test_handler_matches_event_record(tmp_path):
    """The decay handler sees exactly the decayed instances of the event record, once each.

    ``Check:epTolErr`` is set absurdly tight so that PYTHIA often regenerates an event after its
    decays (the first-instance check must then re-read the event from the record) and sometimes gives
    up (``next()`` returns False: the instances already recorded for it must be dropped).
    """
    settings = GeneratorSettings("Charmonium:all", BEAM, ALL_SPECIES, ("Check:epTolErr = 1e-15",))
    n_events, seed = 150, 5
    meta = generate_shard(settings, n_events, seed, tmp_path / "h.root")
    assert meta["n_events_reread"] > 0 and meta["n_failed"] > 0
    trees = _trees(tmp_path / "h.root")

    pythia = pythia8mc.Pythia("", False)
    for line in pythia_settings(settings, seed):
        assert pythia.readString(line)
    assert pythia.init()
    pdgids = [m.pdgid for m in MESONS.values()]
    rows: list[float] = []
    accepted = 0
    while accepted < n_events:
        if pythia.next():
            rows.extend(decays_from_record(pythia.event, pdgids))
            accepted += 1
    table = np.array(rows).reshape(-1, 6)
    for key, spec in MESONS.items():
        expected = table[np.abs(table[:, 0]) == spec.pdgid]
        got = trees[key]
        assert len(got["E"]) == len(expected) == meta["counts"][key], key
        # order within an event differs (decay order vs record order): compare sorted
        for column, branch in zip(range(2, 6), ("px", "py", "pz", "E")):
            np.testing.assert_array_equal(np.sort(got[branch]), np.sort(expected[:, column]), err_msg=key)
    assert meta["counts"]["jpsi"] > 0  # feed-down from chi_c and psi(2S) included


@pytest.mark.slow
def test_biased_generation_stores_event_weights(tmp_path):
    """Unit weights are assumed first; PYTHIA's weightSum reveals a biased run, which is then redone
    with the same seed reading every event weight."""
    settings = GeneratorSettings(
        "HardQCD:all", BEAM, ("pi0",), ("PhaseSpace:pTHatMin = 2.", "PhaseSpace:bias2Selection = on")
    )
    n_events, seed = 100, 3
    meta = generate_shard(settings, n_events, seed, tmp_path / "w.root")
    assert meta["weighted"] is True
    weights = _trees(tmp_path / "w.root")["pi0"]["weight"]
    assert np.unique(weights).size > 10

    pythia = pythia8mc.Pythia("", False)
    for line in pythia_settings(settings, seed):
        assert pythia.readString(line)
    assert pythia.init()
    event_weights, instance_weights = [], []
    while len(event_weights) < n_events:
        if pythia.next():
            w = pythia.infoPython().weight()
            event_weights.append(w)
            instance_weights += [w] * (len(decays_from_record(pythia.event, [111])) // 6)
    assert meta["sum_weights"] == pytest.approx(sum(event_weights), rel=1e-12)
    np.testing.assert_array_equal(weights, instance_weights)
    assert meta["weight_sums"]["pi0"] == pytest.approx(sum(instance_weights), rel=1e-12)


# --- merging --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_merge(files, tmp_path):
    merged = tmp_path / "merged.root"
    meta = merge_shards([files["a"], files["b"]], merged)
    ma, mb = read_metadata(files["a"]), read_metadata(files["b"])
    assert meta == read_metadata(merged)
    assert meta["n_events"] == 2 * SMALL
    assert meta["seeds"] == [21, 22]
    assert [s["seed"] for s in meta["shards"]] == [21, 22]
    assert meta["counts"] == {k: ma["counts"][k] + mb["counts"][k] for k in ALL_SPECIES}
    expected_sigma = (SMALL * ma["sigma_gen_mb"] + SMALL * mb["sigma_gen_mb"]) / (2 * SMALL)
    assert meta["sigma_gen_mb"] == pytest.approx(expected_sigma, rel=1e-12)
    expected_err = np.hypot(ma["sigma_err_mb"], mb["sigma_err_mb"]) / 2
    assert meta["sigma_err_mb"] == pytest.approx(expected_err, rel=1e-12)
    a, b, m = _trees(files["a"]), _trees(files["b"]), _trees(merged)
    for key in ALL_SPECIES:
        for branch in BRANCHES:
            np.testing.assert_array_equal(m[key][branch], np.concatenate([a[key][branch], b[key][branch]]))
    # merged files merge again
    again = merge_shards([merged, files["soft"]], tmp_path / "merged2.root")
    assert again["n_events"] == 2 * SMALL + 2000 and again["seeds"] == [21, 22, 11]


@pytest.mark.slow
def test_merge_refuses_inconsistent_shards(files, tmp_path):
    with pytest.raises(ValueError, match="process") as err:
        merge_shards([files["a"], files["charm"]], tmp_path / "x.root")
    assert str(files["charm"]) in str(err.value)
    with pytest.raises(ValueError, match="seed 21"):
        merge_shards([files["a"], files["a_again"]], tmp_path / "x.root")
    # a shard with other species: rewrite shard b's metadata
    meta = read_metadata(files["b"])
    meta["species"] = ["pi0"]
    other = tmp_path / "other_species.root"
    with uproot.recreate(other) as f:
        f.mktree("pi0", {b: np.float64 for b in BRANCHES})
        f["metadata"] = json.dumps(meta)
    with pytest.raises(ValueError, match="species") as err:
        merge_shards([files["a"], other], tmp_path / "x.root")
    assert str(other) in str(err.value)
    assert not (tmp_path / "x.root").exists()
    with pytest.raises(ValueError):
        merge_shards([], tmp_path / "x.root")


# --- multiplicities vs paper 000 Table 1 -----------------------------------------------------------


@pytest.mark.slow
def test_multiplicities_vs_table1(files, tmp_path):
    rows = multiplicity_table({"softqcd": files["soft"], "charmonium": files["charm"]})
    print("\n" + format_multiplicity_table(rows))
    by_key = {(r["generator"], r["species"]): r for r in rows}
    for species in LIGHT:
        row = by_key[("softqcd", species)]
        assert row["per_pp_interaction"] == row["per_event"] == row["n_instances"] / row["n_events"]
        assert row["table1_paper000"] == PAPER000_TABLE1[species]
        assert 0.5 < row["ratio"] < 2.0, (species, row["ratio"])
    jpsi = by_key[("charmonium", "jpsi")]
    sigma_soft = by_key[("softqcd", "pi0")]["sigma_gen_mb"]
    assert jpsi["per_pp_interaction"] == pytest.approx(jpsi["per_event"] * jpsi["sigma_gen_mb"] / sigma_soft)
    print(f"J/psi per pp interaction {jpsi['per_pp_interaction']:.3g} vs Table 1 4.7e-6: ratio {jpsi['ratio']:.3f}")
    assert 0.1 < jpsi["ratio"] < 10.0

    out = tmp_path / "mult" / "multiplicities.csv"
    write_multiplicity_csv(rows, out)
    with out.open(newline="") as stream:
        read = list(csv.DictReader(stream))
    assert tuple(read[0]) == CSV_COLUMNS
    assert len(read) == len(rows)
    assert float(read[0]["per_event"]) == pytest.approx(rows[0]["per_event"])

    with pytest.raises(ValueError, match="SoftQCD:inelastic"):
        multiplicity_table({"charmonium": files["charm"]})


# --- reading side: bad inputs ---------------------------------------------------------------------


@pytest.mark.slow
def test_load_meson_sample(files):
    sample = load_meson_sample(files["soft"], "pi0")
    assert sample.momenta.shape == (len(sample), 3) and sample.momenta.dtype == np.float64
    assert sample.weights.shape == (len(sample),)
    assert sample.n_events == 2000 and sample.sigma_gen_mb > 0
    assert sample.multiplicity_per_event == pytest.approx(len(sample) / 2000)
    empty = load_meson_sample(files["soft"], "upsilon")
    assert empty.momenta.shape == (0, 3) and empty.weights.shape == (0,)


@pytest.mark.slow
def test_load_errors(files, tmp_path):
    missing = tmp_path / "nope.root"
    with pytest.raises(FileNotFoundError, match="generation rule") as err:
        load_meson_sample(missing, "pi0")
    assert str(missing) in str(err.value)

    garbage = tmp_path / "garbage.root"
    garbage.write_bytes(b"this is not ROOT" * 64)
    with pytest.raises(ValueError, match="not a valid ROOT file") as err:
        load_meson_sample(garbage, "pi0")
    assert str(garbage) in str(err.value)

    truncated = tmp_path / "truncated.root"
    truncated.write_bytes(files["soft"].read_bytes()[:200])
    with pytest.raises(ValueError, match="truncated.root"):
        load_meson_sample(truncated, "pi0")

    with pytest.raises(ValueError, match="'kaon0'"):
        load_meson_sample(files["charm"], "kaon0")
    with pytest.raises(ValueError, match="'eta'"):
        load_meson_sample(files["charm"], "eta")  # not generated in this file

    no_meta = tmp_path / "no_meta.root"
    with uproot.recreate(no_meta) as f:
        f.mktree("pi0", {b: np.float64 for b in BRANCHES})
    with pytest.raises(ValueError, match="metadata"):
        load_meson_sample(no_meta, "pi0")

    nan = tmp_path / "nan.root"
    with uproot.recreate(nan) as f:
        tree = f.mktree("pi0", {b: np.float64 for b in BRANCHES})
        tree.extend({b: np.array([1.0, np.nan if b == "pz" else 1.0]) for b in BRANCHES})
        f["metadata"] = json.dumps(read_metadata(files["soft"]))
    with pytest.raises(ValueError, match="non-finite momenta"):
        load_meson_sample(nan, "pi0")
