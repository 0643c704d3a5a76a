"""Tests of the tail stratum of meson samples (``darkreach.production.meson_beams.stratum``, issue 12): the weight
formula, unbiasedness of the stratified sample against its nominal part, determinism, the configuration checks and
the sample hash. PYTHIA runs tiny samples (2000 nominal + 4000 tail events at 450 GeV, ~10 s in all)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from darkreach.config import ConfigError, load_config
from darkreach.config.run import RunConfig
from darkreach.config.slices import sample_id, sample_spec
from darkreach.production.meson_beams.stratum import TailStratum, momentum, tail_weight_factor

pythia8mc = pytest.importorskip("pythia8mc")

from darkreach.production.meson_beams import GeneratorSettings, generate_shard, load_meson_sample  # noqa: E402
from darkreach.production.meson_beams.merge import merge_stratified  # noqa: E402
from darkreach.production.meson_beams.samples import open_root, read_metadata, read_species_arrays  # noqa: E402
from darkreach.production.meson_beams.stratum import generate_tail_shard  # noqa: E402

SETTINGS = GeneratorSettings("SoftQCD:inelastic", 450.0, ("pi0", "eta"))
P_CUT = 100.0  # GeV: low enough that 2000 events hold a few hundred pi0 above it
N_NOM, N_TAIL = 2000, 4000
PAPER = "config/paper.yaml"


def test_weight_formula() -> None:
    assert tail_weight_factor(200_000, 800_000) == pytest.approx(0.2)
    assert tail_weight_factor(10, 0) == 1.0
    for bad in ((0, 5), (10, -1)):
        with pytest.raises(ValueError, match="event counts"):
            tail_weight_factor(*bad)


@pytest.fixture(scope="module")
def stratified(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stratum")
    nominal = [tmp / "nom_0.root", tmp / "nom_1.root"]
    generate_shard(SETTINGS, N_NOM // 2, 101, nominal[0])
    generate_shard(SETTINGS, N_NOM // 2, 102, nominal[1])
    tail = [tmp / "tail_0.root", tmp / "tail_1.root"]
    generate_tail_shard(SETTINGS, N_TAIL // 2, 201, P_CUT, tail[0])
    generate_tail_shard(SETTINGS, N_TAIL // 2, 202, P_CUT, tail[1])
    merge_stratified(nominal, [], tmp / "nominal.root")
    meta = merge_stratified(nominal, tail, tmp / "stratified.root")
    return {"dir": tmp, "nominal": tmp / "nominal.root", "stratified": tmp / "stratified.root", "meta": meta}


@pytest.mark.slow
def test_tail_shard_keeps_only_the_tail(stratified) -> None:
    path = stratified["dir"] / "tail_0.root"
    meta = read_metadata(path)
    assert meta["stratum"] == "tail" and meta["min_momentum_gev"] == P_CUT and meta["n_events"] == N_TAIL // 2
    with open_root(path) as file:
        arrays = read_species_arrays(file, "pi0", path)
    assert arrays["px"].size == meta["counts"]["pi0"] > 0
    assert np.all(momentum(arrays) > P_CUT)


@pytest.mark.slow
def test_stratified_weights_are_unbiased(stratified) -> None:
    nominal = load_meson_sample(stratified["nominal"], "pi0")
    strat = load_meson_sample(stratified["stratified"], "pi0")
    meta = stratified["meta"]
    factor = N_NOM / (N_NOM + N_TAIL)
    assert meta["tail_stratum"]["weight_factor"] == pytest.approx(factor)
    # normalisation stays that of the nominal events: multiplicities and yields divide by N_nom
    assert strat.n_events == nominal.n_events == N_NOM
    p_nom, p_str = np.linalg.norm(nominal.momenta, axis=1), np.linalg.norm(strat.momenta, axis=1)
    below, above = p_str <= P_CUT, p_str > P_CUT
    # below the cut: exactly the nominal mesons, weight 1
    assert np.array_equal(np.sort(p_str[below]), np.sort(p_nom[p_nom <= P_CUT]))
    assert np.all(strat.weights[below] == 1.0)
    # above the cut: every meson of the N_nom + N_tail events, weight f
    assert np.allclose(strat.weights[above], factor)
    n_tail_region = int(above.sum())
    assert n_tail_region > 3 * int((p_nom > P_CUT).sum())
    # exact identity: sum of the tail weights = f x (mesons above the cut in all events), an estimate of the
    # nominal count there; the two agree within the nominal sample's Poisson error
    expected = float((p_nom > P_CUT).sum())
    assert strat.weights[above].sum() == pytest.approx(factor * n_tail_region)
    assert abs(strat.weights[above].sum() - expected) < 4.0 * np.sqrt(expected)
    # weighted count per event (the generated multiplicity) and <|p|^2> agree with the nominal sample within MC error
    assert abs(strat.multiplicity_per_event - nominal.multiplicity_per_event) < 4.0 * np.sqrt(expected) / N_NOM + 1e-12
    f_nom, f_str = p_nom**2, p_str**2
    mean_nom = f_nom.sum() / N_NOM
    mean_str = (strat.weights * f_str).sum() / N_NOM
    error = np.sqrt((f_nom**2).sum()) / N_NOM  # Poisson error of the nominal estimate (dominant)
    assert abs(mean_str - mean_nom) < 4.0 * error
    assert meta["counts"]["pi0"] == len(strat) and meta["nominal_counts"]["pi0"] == len(nominal)


@pytest.mark.slow
def test_tail_shard_is_deterministic(tmp_path) -> None:
    one = generate_tail_shard(SETTINGS, 300, 7, P_CUT, tmp_path / "a.root")
    two = generate_tail_shard(SETTINGS, 300, 7, P_CUT, tmp_path / "b.root")
    assert one["counts"] == two["counts"]
    with open_root(tmp_path / "a.root") as fa, open_root(tmp_path / "b.root") as fb:
        a, b = read_species_arrays(fa, "pi0", "a"), read_species_arrays(fb, "pi0", "b")
    assert all(np.array_equal(a[k], b[k]) for k in a)


@pytest.mark.slow
def test_shared_seed_is_refused(stratified, tmp_path) -> None:
    generate_tail_shard(SETTINGS, 50, 101, P_CUT, tmp_path / "t.root")  # seed 101 is a nominal shard's
    with pytest.raises(ValueError, match="seeds"):
        merge_stratified([stratified["dir"] / "nom_0.root"], [tmp_path / "t.root"], tmp_path / "x.root")


def _paper() -> dict:
    return load_config(PAPER)


def test_paper_sps450_has_a_tail_stratum() -> None:
    gen = RunConfig.from_mapping(_paper()).beams["sps450"].generators["softqcd"]
    assert gen.tail_stratum == TailStratum(200_000, 4, 250.0)


@pytest.mark.parametrize(
    ("stratum", "key", "message"),
    [
        ({"events_per_shard": 0, "shards": 1, "min_momentum_gev": 10.0}, "events_per_shard", "integer"),
        ({"events_per_shard": 10, "shards": 1.5, "min_momentum_gev": 10.0}, "shards", "integer"),
        ({"events_per_shard": 10, "shards": 1, "min_momentum_gev": -1.0}, "min_momentum_gev", "positive"),
        ({"events_per_shard": 10, "shards": 1, "min_momentum_gev": 450.0}, "min_momentum_gev", "below"),
        ({"events_per_shard": 10, "shards": 1}, "min_momentum_gev", "required"),
        ({"events_per_shard": 10, "shards": 1, "min_momentum_gev": 1.0, "p": 2}, "tail_stratum", "unknown"),
    ],
)
def test_bad_tail_stratum(stratum, key, message) -> None:
    cfg = _paper()
    cfg["beams"]["sps450"]["generators"]["softqcd"]["tail_stratum"] = stratum
    with pytest.raises(ConfigError, match=message) as err:
        RunConfig.from_mapping(cfg)
    assert "beams.sps450.generators.softqcd.tail_stratum" in str(err.value) and key in str(err.value)


def test_collider_cut_below_half_sqrt_s() -> None:
    cfg = _paper()
    beam = next(b for b, v in cfg["beams"].items() if v["frame"] == "collider")
    gen = next(iter(cfg["beams"][beam]["generators"]))
    half = cfg["beams"][beam]["sqrt_s_gev"] / 2.0
    cfg["beams"][beam]["generators"][gen]["tail_stratum"] = {
        "events_per_shard": 1,
        "shards": 1,
        "min_momentum_gev": half,
    }
    with pytest.raises(ConfigError, match="below the largest meson momentum"):
        RunConfig.from_mapping(cfg)
    cfg["beams"][beam]["generators"][gen]["tail_stratum"]["min_momentum_gev"] = 0.9 * half
    assert RunConfig.from_mapping(cfg).beams[beam].generators[gen].tail_stratum is not None


def test_hash_changes_only_with_the_key() -> None:
    cfg = _paper()
    with_stratum = sample_id(cfg, "sps450", "softqcd")
    without = copy.deepcopy(cfg)
    del without["beams"]["sps450"]["generators"]["softqcd"]["tail_stratum"]
    assert "tail_stratum" not in sample_spec(without, "sps450", "softqcd")["generator_settings"]
    assert sample_id(without, "sps450", "softqcd") != with_stratum
    # the sample of a generator without the key is that of the same entry spelt without it elsewhere: the tune beam
    # copies the nominal entry (no stratum) and its id depends on its own keys only
    other = copy.deepcopy(without)
    other["beams"]["sps450"]["generators"]["softqcd"]["tail_stratum"] = {
        "events_per_shard": 1,
        "shards": 1,
        "min_momentum_gev": 100.0,
    }
    assert sample_id(other, "sps450", "softqcd") not in (with_stratum, sample_id(without, "sps450", "softqcd"))
    assert sample_id(other, "sps450", "charmonium") == sample_id(cfg, "sps450", "charmonium")
