"""Tests of the meson-beam production source: PYTHIA8 meson generation (paper 000 sec. 4.1, Table 1), the sample
format, merging and multiplicities (``darkreach.production.meson_beams``).

Event counts are tiny; PYTHIA's SoftQCD initialisation (~2.5 s) dominates, so generated files are
shared through module-scoped fixtures. Tests running PYTHIA are marked ``slow`` (~25 s in all).

The batch extraction (``Pythia.nextBatch`` + vectorised selection) is checked against an independent
plain-Python loop over ``pythia.event`` after each ``pythia.next()`` (:func:`_record_instances`): with the
same settings and seed both see the same events (``nextBatch`` calls ``next()`` in the same sequence).
``pytest -s`` prints the multiplicity table.
"""

from __future__ import annotations

import json
from collections import Counter

import awkward as ak
import numpy as np
import pytest
import uproot

pythia8mc = pytest.importorskip("pythia8mc")

from darkreach.mesons import MESONS, PAPER000_TABLE1  # noqa: E402
from darkreach.production.meson_beams import (  # noqa: E402
    GeneratorSettings,
    generate_shard,
    load_meson_sample,
    merge_shards,
    multiplicity_table,
    pythia_settings,
    read_metadata,
    read_multiplicity_csv,
    settings_from_config,
    write_multiplicity_csv,
)
from darkreach.production.meson_beams import pythia as pythia_run  # noqa: E402
from darkreach.production.meson_beams.extraction import select_instances  # noqa: E402
from darkreach.production.meson_beams.multiplicities import CSV_COLUMNS, format_multiplicity_table  # noqa: E402
from darkreach.production.meson_beams.samples import BRANCHES  # noqa: E402

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


def _is_carbon_copy(event, i: int) -> bool:
    """Entry ``i`` has a single daughter which is the same particle (so it is not the bottom copy)."""
    particle = event[i]
    d1, d2 = particle.daughter1(), particle.daughter2()
    return d1 == d2 > 0 and event[d1].id() == particle.id()


def _record_instances(event, pdgids) -> list[tuple[float, ...]]:
    """Reference selection, a plain loop over the event record: ``(id, px, py, pz, E)`` of every entry
    with ``|id|`` in ``pdgids`` that is not a carbon copy, in record order."""
    wanted = {abs(p) for p in pdgids}
    rows = []
    for i in range(event.size()):
        particle = event[i]
        if abs(particle.id()) in wanted and not _is_carbon_copy(event, i):
            rows.append((particle.id(), particle.px(), particle.py(), particle.pz(), particle.e()))
    return rows


def _reference_run(settings: GeneratorSettings, n_events: int, seed: int, on_event=None) -> dict:
    """Plain ``next()`` loop with the settings of ``generate_shard``: rows of all MESONS, event weights,
    failed ``next()`` calls; ``on_event(event)`` is called for each accepted event."""
    pythia = pythia8mc.Pythia("", False)
    for line in pythia_settings(settings, seed):
        assert pythia.readString(line)
    assert pythia.init()
    pdgids = [m.pdgid for m in MESONS.values()]
    rows, weights, failed = [], [], 0
    while len(weights) < n_events:
        if not pythia.next():
            failed += 1
            continue
        event_rows = _record_instances(pythia.event, pdgids)
        weight = pythia.infoPython().weight()
        rows += [(*r, weight) for r in event_rows]
        weights.append(weight)
        if on_event is not None:
            on_event(pythia.event)
    return {
        "table": np.array(rows, dtype=np.float64).reshape(-1, 6),  # id, px, py, pz, E, weight
        "weights": np.array(weights),
        "failed": failed,
        "weight_sum": pythia.infoPython().weightSum(),
    }


def _assert_matches_reference(trees, meta, reference, species) -> None:
    """Same instances, element-wise (the order is event order, then record order, in both)."""
    table = reference["table"]
    for key in species:
        expected = table[np.abs(table[:, 0]) == MESONS[key].pdgid]
        got = trees[key]
        assert len(got["E"]) == len(expected) == meta["counts"][key], key
        for column, branch in enumerate(("px", "py", "pz", "E", "weight"), start=1):
            np.testing.assert_array_equal(got[branch], expected[:, column], err_msg=f"{key} {branch}")


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
    with pytest.raises(ValueError, match="'head_on'"):
        GeneratorSettings("SoftQCD:inelastic", BEAM, ("pi0",), frame="head_on")
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
def test_stable_species_recorded(tmp_path):
    """Extraction reads the event record: a species that may not decay is recorded as a final particle."""
    settings = GeneratorSettings("Charmonium:all", BEAM, ("pi0", "jpsi"), ("111:mayDecay = off",))
    n_events, seed = 40, 1
    meta = generate_shard(settings, n_events, seed, tmp_path / "x.root")
    trees = _trees(tmp_path / "x.root")
    assert meta["counts"]["pi0"] > 100
    final_pi0 = []
    reference = _reference_run(
        settings,
        n_events,
        seed,
        on_event=lambda ev: final_pi0.extend(ev[i].isFinal() for i in range(ev.size()) if ev[i].id() == 111),
    )
    assert all(final_pi0) and len(final_pi0) == meta["counts"]["pi0"]  # all stable, all recorded
    _assert_matches_reference(trees, meta, reference, settings.species)


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
    assert meta["extraction"] == "nextBatch" and meta["batch_size"] == pythia_run.BATCH_SIZE
    assert meta["n_events_reread"] == 0  # kept for the format; restarts are invisible to batch extraction
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


def test_collider_settings_lines():
    settings = settings_from_config(
        {"frame": "collider", "sqrt_s_gev": 13600.0}, {"process": "SoftQCD:inelastic", "species": ["pi0"]}
    )
    lines = pythia_settings(settings, 5)
    assert lines[:4] == ["Beams:frameType = 1", "Beams:idA = 2212", "Beams:idB = 2212", "Beams:eCM = 13600.0"]
    assert not any(line.startswith(("Beams:eA", "Beams:eB")) for line in lines)
    with pytest.raises(ValueError, match="sqrt_s_gev"):
        settings_from_config(
            {"frame": "collider", "energy_gev": 7000.0}, {"process": "SoftQCD:inelastic", "species": ["pi0"]}
        )


@pytest.mark.slow
def test_collider_kinematics(tmp_path):
    """pp at sqrt(s) = 14 TeV in the CM frame: both hemispheres, E <= sqrt(s)/2, forward tail within mrad."""
    settings = GeneratorSettings("SoftQCD:inelastic", 14000.0, ("pi0", "eta"), frame="collider")
    meta = generate_shard(settings, 60, 11, tmp_path / "lhc.root")
    assert meta["frame"] == "collider" and meta["beam_energy_gev"] == 14000.0
    pi0 = _trees(tmp_path / "lhc.root")["pi0"]
    assert pi0["E"].max() <= 7000.0
    forward = np.mean(pi0["pz"] > 0)
    assert 0.35 < forward < 0.65  # symmetric beams: no preferred hemisphere
    rapidity = 0.5 * np.log((pi0["E"] + pi0["pz"]) / (pi0["E"] - pi0["pz"]))
    assert abs(np.median(rapidity)) < 1.0
    theta = np.arctan2(np.hypot(pi0["px"], pi0["py"]), np.abs(pi0["pz"]))
    assert np.mean(theta < 2.1e-3) > 0.02  # the FASER region is populated (~8 % in PYTHIA 8.317)


@pytest.mark.slow
@pytest.mark.parametrize(("file_key", "species"), [("soft", "pi0"), ("soft", "eta"), ("charm", "jpsi")])
def test_on_shell_narrow_mesons(files, file_key, species):
    """pi0, eta, J/psi have tiny widths: E^2 - p^2 = m_PDG^2 (rho/omega/phi/eta' have BW masses)."""
    t = _trees(files[file_key])[species]
    assert len(t["E"]) > 0
    m2 = t["E"] ** 2 - t["px"] ** 2 - t["py"] ** 2 - t["pz"] ** 2
    mass = MESONS[species].mass
    np.testing.assert_allclose(np.sqrt(m2), mass, rtol=1e-3)


# --- reproducibility and correctness of the batch extraction -------------------------------------


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


def _synthetic_batch():
    """A nextBatch-like array: 3 requested events, the second failed (None). Daughter indices are local
    to each event, so the copy chain in the last event checks the offsets."""

    def prt(pid, d1=0, d2=0, px=0.0):
        return {"id": pid, "daughter1": d1, "daughter2": d2, "p": {"px": px, "py": 0.0, "pz": 1.0, "e": 2.0}}

    event0 = [
        prt(221, 1, 1, px=1.0),  # 0: single daughter of opposite sign   -> counted
        prt(-221, px=2.0),  # 1                                          -> counted
        prt(2212),  # 2
    ]
    event2 = [
        prt(2212),  # 0
        prt(443, 2, 2, px=3.0),  # 1: top copy of a J/psi        -> skipped
        prt(443, 3, 3, px=4.0),  # 2: intermediate copy           -> skipped
        prt(443, 4, 5, px=5.0),  # 3: bottom copy, decays         -> counted
        prt(13),  # 4
        prt(-13),  # 5
        prt(111, 7, 7, px=6.0),  # 6: single daughter, other id   -> counted
        prt(22),  # 7
        prt(-113, 9, 10, px=7.0),  # 8: two daughters               -> counted
        prt(-113, px=8.0),  # 9: a daughter with the same id, final -> counted
        prt(111, px=9.0),  # 10: final pi0                      -> counted
    ]
    events = [
        {"prt": event0, "info": {"weights": [0.5]}},
        None,
        {"prt": event2, "info": {"weights": [2.5, 1.0]}},
    ]
    return ak.Array(events)


@pytest.mark.parametrize("layout", ["as_built", "byte_masked", "without_none"])
def test_select_instances_synthetic(layout):
    """Bottom-copy rule, global daughter indexing, failed events and weights on a hand-made batch
    (also in other awkward layouts than the one nextBatch builds)."""
    raw = _synthetic_batch()
    if layout == "byte_masked":  # failed event kept in the content: the general (copying) path
        raw = ak.Array(ak.to_layout(raw).to_ByteMaskedArray(True))
    elif layout == "without_none":
        raw = ak.drop_none(raw)
    batch = select_instances(raw, [443, 111, 113, 221])
    assert batch.n_accepted == 2 and batch.n_failed == (0 if layout == "without_none" else 1)
    assert batch.ids.tolist() == [221, -221, 443, 111, -113, -113, 111]
    assert batch.momenta[:, 0].tolist() == [1.0, 2.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    assert batch.instance_weights.tolist() == [0.5] * 2 + [2.5] * 5
    assert batch.event_weights.tolist() == [0.5, 2.5]
    only_jpsi = select_instances(_synthetic_batch(), [443])
    assert only_jpsi.ids.tolist() == [443] and only_jpsi.momenta[0].tolist() == [5.0, 0.0, 1.0, 2.0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("file_key", "settings", "n_events", "seed"), [("a", SOFT, SMALL, 21), ("charm", CHARM, 200, 12)]
)
def test_batch_matches_event_record(files, file_key, settings, n_events, seed):
    """generate_shard equals a plain next() loop over the event record, element by element.

    For Charmonium:all, the J/psi produced in the hard process has carbon copies (recoils of the beam
    remnants, showers): every entry of the chain is in the record but the J/psi is counted once, with
    the momentum of its bottom copy.
    """
    jpsi = Counter()
    hard_jpsi = []  # (top copy's momentum, bottom copy's momentum) of hard-process J/psi with copies

    def count_jpsi(event):
        for i in range(event.size()):
            if event[i].id() == 443:
                jpsi["entries"] += 1
                jpsi["copies"] += _is_carbon_copy(event, i)
                if abs(event[i].status()) == 23 and _is_carbon_copy(event, i):
                    bottom = event[event[i].iBotCopyId()]
                    hard_jpsi.append((event[i].e(), bottom.e()))

    meta = read_metadata(files[file_key])
    reference = _reference_run(settings, n_events, seed, on_event=count_jpsi)
    assert meta["n_failed"] == reference["failed"]
    _assert_matches_reference(_trees(files[file_key]), meta, reference, settings.species)
    if settings is CHARM:
        counted = meta["counts"]["jpsi"]
        assert jpsi["copies"] >= 1 and hard_jpsi
        assert counted == jpsi["entries"] - jpsi["copies"] < jpsi["entries"]
        energies = _trees(files[file_key])["jpsi"]["E"]
        for top_e, bottom_e in hard_jpsi:
            assert np.count_nonzero(energies == bottom_e) == 1
            assert top_e == bottom_e or np.count_nonzero(energies == top_e) == 0


@pytest.mark.slow
def test_failed_events_and_batch_boundaries(tmp_path, monkeypatch):
    """Failed events are counted, exactly n_events are accepted, and the output does not depend on the
    batch size: batches of 64 events split the run, failures included, and still match the plain loop.

    ``Check:epTolErr`` is set absurdly tight so that PYTHIA often regenerates an event internally and
    sometimes gives up (``next()`` returns False).
    """
    monkeypatch.setattr(pythia_run, "BATCH_SIZE", 64)
    settings = GeneratorSettings("Charmonium:all", BEAM, ALL_SPECIES, ("Check:epTolErr = 1e-15",))
    n_events, seed = 150, 5
    meta = generate_shard(settings, n_events, seed, tmp_path / "h.root")
    assert meta["batch_size"] == 64 and meta["n_events"] == n_events
    reference = _reference_run(settings, n_events, seed)
    assert meta["n_failed"] == reference["failed"] > 0
    _assert_matches_reference(_trees(tmp_path / "h.root"), meta, reference, ALL_SPECIES)
    assert meta["counts"]["jpsi"] > 0  # feed-down from chi_c and psi(2S) included


@pytest.mark.slow
def test_biased_generation_stores_event_weights(tmp_path):
    """Each instance carries its event's weight (info.weights[0] of nextBatch = Info::weight())."""
    settings = GeneratorSettings(
        "HardQCD:all", BEAM, ("pi0",), ("PhaseSpace:pTHatMin = 2.", "PhaseSpace:bias2Selection = on")
    )
    n_events, seed = 100, 3
    meta = generate_shard(settings, n_events, seed, tmp_path / "w.root")
    assert meta["weighted"] is True
    trees = _trees(tmp_path / "w.root")
    assert np.unique(trees["pi0"]["weight"]).size > 10

    reference = _reference_run(settings, n_events, seed)
    _assert_matches_reference(trees, meta, reference, ("pi0",))
    assert meta["sum_weights"] == pytest.approx(reference["weights"].sum(), rel=1e-12)
    assert meta["sum_weights"] == pytest.approx(reference["weight_sum"], rel=1e-12)
    pi0_weights = reference["table"][reference["table"][:, 0] == 111, 5]
    assert meta["weight_sums"]["pi0"] == pytest.approx(pi0_weights.sum(), rel=1e-12)


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
    _, read = read_multiplicity_csv(out)
    assert [tuple(r) for r in read] == [CSV_COLUMNS] * len(rows)
    assert read == rows  # every value back as written (str(float) round-trips)

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
