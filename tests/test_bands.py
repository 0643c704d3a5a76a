"""Statistical bands (jackknife over meson batches), tail sampling and the convergence loop (issue 12)."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

from darkreach.cli import main
from darkreach.detectors import CylinderWithCalorimeter
from darkreach.mesons import PAPER000_TABLE1, nuclear_scaling
from darkreach.models import get_model
from darkreach.output.contour_table import (
    BAND_COLUMNS,
    CONTOUR_COLUMNS,
    contour_table_from_scan,
    read_contour_table,
    write_contour_table,
)
from darkreach.sensitivity.bands import interval_bands, jackknife_sd
from darkreach.sensitivity.chain import decay_probability_batch_sums, decay_probability_sums
from darkreach.sensitivity.scan import Convergence, PrecisionWarning, scan_signals
from darkreach.sensitivity.tail import tail_draw, tail_draw_cdf, tail_weights
from darkreach.sensitivity.yields import (
    MesonKinematics,
    expected_events,
    expected_events_replicates,
    simulate_point,
)

NA62 = CylinderWithCalorimeter(79.0, 217.0, 1.0, 217.0, 1.2)
MODEL = get_model("idm-dipole")
POINT = {"m1": 0.3, "delta": 0.1}
D = np.logspace(-8, -2, 61)


def _synthetic(keys, n, seed):
    rng = np.random.default_rng(seed)
    out = {}
    for key in keys:
        pz = rng.exponential(30.0, n)
        pt = rng.exponential(0.4, n)
        phi = rng.uniform(0.0, 2.0 * math.pi, n)
        out[key] = MesonKinematics(np.column_stack([pt * np.cos(phi), pt * np.sin(phi), pz]), np.ones(n))
    return out


def _fm(keys):
    return {k: PAPER000_TABLE1[k] * nuclear_scaling(k, 63.546) for k in keys}


@pytest.fixture(scope="module")
def mesons():
    return _synthetic(("jpsi", "rho"), 6000, seed=3)


# ------------------------------------------------------------------------------------------ jackknife
def test_jackknife_of_a_mean_is_the_analytic_standard_error():
    """For a mean of n iid values in B equal batches, the leave-one-batch-out spread is sd(batch means)/sqrt(B)
    exactly, and over many toys its square averages to sigma^2/n (sigma^2 = 1/12 for uniforms)."""
    rng = np.random.default_rng(1)
    n, b, toys = 2000, 20, 400
    ratios = []
    for _ in range(toys):
        x = rng.random(n)
        batch = np.arange(n) % b
        sums = np.bincount(batch, weights=x, minlength=b)
        counts = np.bincount(batch, minlength=b)
        reps = (x.sum() - sums) / (n - counts)
        sd = float(jackknife_sd(reps))
        means = sums / counts
        assert sd == pytest.approx(means.std(ddof=1) / math.sqrt(b), rel=1e-10)
        ratios.append(sd**2 / (1.0 / 12.0 / n))
    assert np.mean(ratios) == pytest.approx(1.0, abs=0.06)  # E[var_J] = var of the mean; 400 toys: +-0.025


def test_batch_sums_partition_the_events_and_keep_the_nominal_bits():
    rng = np.random.default_rng(4)
    n = 5000
    w, bg = rng.uniform(0.1, 2.0, n), rng.uniform(1.0, 500.0, n)
    sa = rng.uniform(50.0, 100.0, n)
    sb = sa + rng.uniform(0.0, 150.0, n)
    batch = rng.integers(0, 7, n)
    ctau = np.array([0.1, 10.0, 1e3, np.inf])
    total, per_batch = decay_probability_batch_sums(w, bg, sa, sb, batch, 7, ctau)
    np.testing.assert_array_equal(total, decay_probability_sums(w, bg, sa, sb, ctau))
    np.testing.assert_allclose(per_batch.sum(axis=0), total, rtol=1e-12)
    assert np.all(per_batch[:, 3] == 0.0)


def test_simulated_batches_follow_the_meson_index(mesons):
    """Every event's batch is its meson's sample index mod B: batch totals add up to the total weight, reused
    mesons (n_events > sample size) share a batch, and the nominal yield is that of expected_events, bit for bit."""
    events = simulate_point(MODEL, POINT, mesons, NA62.kernel("paper"), 15_000, seed=2, batches=9)
    assert events
    for ev in events:
        assert ev.batch_totals is not None and ev.batch_totals.size == 9
        assert ev.batch_totals.sum() == pytest.approx(ev.total_weight, rel=1e-12)
        assert ev.meson_index is not None and ev.meson_index.max() < 6000
        assert np.all(ev.selected_batches(0.0) == ev.meson_index % 9)
    fm = _fm(mesons)
    nominal, reps = expected_events_replicates(MODEL, POINT, events, D, fm, 1e18, 1.0)
    np.testing.assert_array_equal(nominal, expected_events(MODEL, POINT, events, D, fm, 1e18, 1.0))
    assert reps.shape == (9, D.size) and np.all(np.isfinite(reps)) and reps.max() > 0.0


def test_closed_point_gives_zero_yield_and_zero_band():
    mes = _synthetic(("jpsi", "rho"), 500, seed=5)
    point = {"m1": 6.0, "delta": 0.1}  # every channel closed
    events = simulate_point(MODEL, point, mes, NA62.kernel("paper"), 500, seed=1)
    nominal, reps = expected_events_replicates(MODEL, point, events, D, _fm(mes), 1e18, 1.0)
    assert np.all(nominal == 0.0) and np.all(reps == 0.0) and not np.any(np.isnan(reps))
    assert interval_bands(D, nominal, reps, 3.0) == []


def test_bands_bracket_the_edges_and_a_vanishing_replicate_widens_them():
    c = np.logspace(-6, 0, 61)
    shape = 1e9 * c**2 * np.exp(-c / 1e-2)
    rng = np.random.default_rng(0)
    scale = 1.0 + 0.05 * rng.standard_normal(20)
    reps = shape[None, :] * scale[:, None]
    (band,) = interval_bands(c, shape, reps, 3.0)
    assert band.low_band[0] < band.interval.low < band.low_band[1]
    assert band.high_band[0] < band.interval.high < band.high_band[1]
    # where N ~ c^2 (the low edge; log-log interpolation is exact there) scaling N by k moves the edge by
    # -log(k)/2 in log c (up to the exp factor, 0.5 % here)
    assert band.precision_low == pytest.approx(float(jackknife_sd(-0.5 * np.log(scale))), rel=1e-2)
    reps[3] = 0.0  # the region vanishes without batch 3: both edges move to the centre in that replicate
    (wide,) = interval_bands(c, shape, reps, 3.0)
    assert wide.vanished == 1 and wide.precision_low > band.precision_low and math.isfinite(wide.precision_high)


# ------------------------------------------------------------------------------------------ tail sampling
def test_tail_sampling_is_unbiased_and_reduces_the_variance():
    """E_q[w f / (N q)] is the uniform mean of w f; for f = [p > cut] x p (a tail observable) the variance of the
    momentum-weighted draw is several times smaller than that of the uniform draw."""
    rng = np.random.default_rng(8)
    sample = _synthetic(("rho",), 20_000, seed=8)["rho"]
    p = np.linalg.norm(sample.momenta, axis=1)
    f = np.where(p > 120.0, p, 0.0)
    exact = float(np.mean(sample.weights * f))
    cdf = tail_draw_cdf(sample.momenta, 2.0)
    n, toys = 2000, 300
    uniform, tail = [], []
    for _ in range(toys):
        idx = rng.integers(0, p.size, n)
        uniform.append(np.mean(sample.weights[idx] * f[idx]))
        jdx = tail_draw(cdf, n, rng)
        tail.append(np.mean(tail_weights(sample.weights, cdf, jdx) * f[jdx]))
    uniform, tail = np.array(uniform), np.array(tail)
    assert np.mean(tail) == pytest.approx(exact, abs=4 * np.std(tail) / math.sqrt(toys))
    assert np.mean(uniform) == pytest.approx(exact, abs=4 * np.std(uniform) / math.sqrt(toys))
    assert np.var(tail) < np.var(uniform) / 5
    # the weights of a full draw average to the sample's mean weight
    jdx = tail_draw(cdf, 200_000, rng)
    assert np.mean(tail_weights(sample.weights, cdf, jdx)) == pytest.approx(1.0, rel=0.02)


def test_tail_sampled_yield_agrees_with_the_uniform_one(mesons):
    fm = _fm(mesons)
    tailed = {k: MesonKinematics(v.momenta, v.weights, tail_draw_cdf(v.momenta, 1.0)) for k, v in mesons.items()}
    results = []
    for sample in (mesons, tailed):
        events = simulate_point(MODEL, POINT, sample, NA62.kernel("paper"), 12_000, seed=3)
        nominal, reps = expected_events_replicates(MODEL, POINT, events, D, fm, 1e18, 1.0)
        results.append((nominal[20], float(jackknife_sd(reps[:, 20]))))
    (a, sa), (b, sb) = results
    assert a > 0 and b > 0
    assert abs(a - b) < 4 * math.hypot(sa, sb)


def test_bands_cover_the_toy_spread_with_heavy_tailed_tail_weights():
    """Coverage on toys: every toy generates its own meson sample (2 000 rho, exponential pz as for a beam
    dump) and draws 8 000 mesons from it with tail sampling q ~ p^2, so mesons are reused and the weights
    w/(N q) are heavy-tailed (largest accepted weight ~25x the mean, the CHARM-II situation). Over 150 toys the
    spread of N at a long-lifetime coupling (N ~ c^4) and of the lower contour edge matches the jackknife sd
    over 20 meson batches, which then covers the decay sampling, the tail draw and the finite sample at once
    (measured: 0.96 for N and for the edge; the statistical scatter of such a ratio over 150 toys is ~6 %)."""
    fm = _fm(("rho",))
    couplings = np.geomspace(1e-7, 1e-5, 41)
    level = 3.0  # lower edge near 8e-7, where N ~ 6 c^4/(1e-6)^4
    logs_n, sd_n, log_low, s_low, heaviest = [], [], [], [], []
    for toy in range(150):
        sample = _synthetic(("rho",), 2000, seed=100 + toy)["rho"]
        tailed = {"rho": MesonKinematics(sample.momenta, sample.weights, tail_draw_cdf(sample.momenta, 2.0))}
        events = simulate_point(MODEL, POINT, tailed, NA62.kernel("paper"), 8000, seed=toy + 1)
        heaviest.append(events[0].weight.max() / events[0].weight.mean())
        nominal, reps = expected_events_replicates(MODEL, POINT, events, couplings, fm, 1e18, 1.0)
        logs_n.append(math.log(nominal[10]))
        sd_n.append(float(jackknife_sd(reps[:, 10])) / nominal[10])
        (band,) = interval_bands(couplings, nominal, reps, level)
        log_low.append(math.log(band.interval.low))
        s_low.append(band.precision_low)
    assert np.mean(heaviest) > 15.0  # the weights are heavy-tailed indeed
    ratio_n = np.std(logs_n, ddof=1) / math.sqrt(np.mean(np.square(sd_n)))
    ratio_low = np.std(log_low, ddof=1) / math.sqrt(np.mean(np.square(s_low)))
    assert 0.8 < ratio_n < 1.2
    assert 0.8 < ratio_low < 1.2


# ------------------------------------------------------------------------------------------ convergence
class _ToySignal:
    """N(c) = 1e9 c^2 exp(-c/0.01) with a replicate spread of 0.3/sqrt(n) in normalisation."""

    def __init__(self, n: int, key: int) -> None:
        self.n, self.key = n, key

    def expected_events_replicates(self, couplings, threshold, n_interactions=1.0):
        rng = np.random.default_rng(self.key)
        shape = 1e9 * couplings**2 * np.exp(-couplings / 1e-2) * n_interactions
        reps = shape[None, :] * (1.0 + 0.3 / math.sqrt(self.n) * rng.standard_normal((20, 1)) * math.sqrt(19))
        return shape, reps

    def expected_events(self, couplings, threshold, n_interactions=1.0):
        return self.expected_events_replicates(couplings, threshold, n_interactions)[0]


def _toy_scan(cap, calls):
    model = get_model("idm-dipole")

    def simulate(point, key, n):
        calls.append((key, n))
        return _ToySignal(n, key)

    conv = Convergence(0.01, cap, (3.0,), label="toyexp x idm-dipole {'delta': 0.1}")
    return scan_signals(model, {"delta": 0.1}, np.array([0.1, 0.2]), np.logspace(-6, 0, 61), [1.0], simulate, 100,
                        convergence=conv)  # fmt: skip


def test_convergence_loop_reaches_the_target():
    calls: list = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", PrecisionWarning)
        result, _ = _toy_scan(10**6, calls)
    assert all(p <= 0.01 for p in result.metadata["edge_precision"])
    assert all(n > 100 for n in result.metadata["events_used"]) and result.metadata["precision_not_reached"] == []
    assert len({k for k, _ in calls}) == len(calls)  # every round has its own stream key
    assert result.replicates is not None and result.replicates.shape == (1, 2, 20, 61)


def test_convergence_loop_stops_at_the_cap_and_warns_with_names():
    calls: list = []
    with pytest.warns(PrecisionWarning, match=r"toyexp x idm-dipole .*m1 = 0\.1, 0\.2"):
        result, _ = _toy_scan(300, calls)
    assert result.metadata["events_used"] == [300, 300]
    assert result.metadata["precision_not_reached"] == [0.1, 0.2]


# ------------------------------------------------------------------------------------------ outputs
def test_contour_csv_has_band_columns_that_bracket_the_edges(tmp_path):
    calls: list = []
    result, _ = _toy_scan(10**6, calls)
    result.metadata.update(exposures=[1.0], level=3.0, experiment="toyexp", exposure_unit="POT")
    table = contour_table_from_scan(result, [1.0], 3.0)
    path = tmp_path / "c.csv"
    write_contour_table(table, path)
    header = json.loads(path.read_text().splitlines()[0][2:])
    assert header["statistics"]["precision_not_reached"] == [] and header["statistics"]["batches"] == 20
    assert path.read_text().splitlines()[1].split(",") == list(CONTOUR_COLUMNS + BAND_COLUMNS)
    back = read_contour_table(path)
    assert back.rows and back.has_bands
    for r in back.rows:
        assert r["coupling_low_min"] <= r["coupling_low"] <= r["coupling_low_max"]
        assert r["coupling_high_min"] <= r["coupling_high"] <= r["coupling_high_max"]
        assert 0.0 <= r["edge_precision_low"] <= 0.011 and r["events_used"] > 100


def test_cli_json_has_bands_and_precision(capsys):
    argv = ["reach", "--model", "idm-dipole", "--experiment", "babar", "--m1", "0.1", "--delta", "0.1"]
    assert main([*argv, "--events", "2000", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["intervals_band"]) == len(out["intervals"]) >= 1
    for (low, high), ((lo_min, lo_max), (hi_min, hi_max)) in zip(out["intervals"], out["intervals_band"]):
        assert lo_min <= low <= lo_max and hi_min <= high <= hi_max
    assert out["edge_precision"] > 0.0
    assert main([*argv, "--events", "2000", "--precision", str(out["edge_precision"] / 2), "--json"]) == 0
    sharper = json.loads(capsys.readouterr().out)
    assert sharper["events_simulated"] > 2000 and sharper["edge_precision"] < out["edge_precision"]


def test_reinterpreted_bands_follow_the_edges():
    """Lambda -> epsilon ~ 1/Lambda^2 (dark photon) swaps the edges and their bands and doubles the precision."""
    from darkreach.output.contour_table import ContourTable
    from darkreach.output.reinterpret import convert_contour_table

    row = {"exposure": 1e18, "energy_threshold_gev": 2.0, "level": 2.3, "mass": 0.05, "interval": 0,
           "coupling_low": 10.0, "coupling_high": 1500.0, "low_at_grid_edge": False, "high_at_grid_edge": False,
           "coupling_low_min": 10.0 * math.exp(-0.1), "coupling_low_max": 10.0 * math.exp(0.1),
           "coupling_high_min": 1500.0 * math.exp(-0.02), "coupling_high_max": 1500.0 * math.exp(0.02),
           "edge_precision_low": 0.1, "edge_precision_high": 0.02, "events_used": 1000}  # fmt: skip
    table = ContourTable(model="inelastic-scalar", benchmark={"delta": 10}, mass_parameter="m1", mass_unit="GeV",
                         coupling_name="Lambda", coupling_unit="GeV", rows=(row,), level=2.3)  # fmt: skip
    (out,) = convert_contour_table(table, "dark_photon", M_Zprime=40.0).rows
    assert out["coupling_low_min"] <= out["coupling_low"] <= out["coupling_low_max"]
    assert out["coupling_high_min"] <= out["coupling_high"] <= out["coupling_high_max"]
    assert out["edge_precision_low"] == pytest.approx(0.04) and out["edge_precision_high"] == pytest.approx(0.2)


def test_hepdata_carries_the_bands_and_omits_zero_ones(tmp_path):
    """Edge bands become asymmetric 'stat' uncertainties that pass hepdata-validator; a zero band (an edge at the
    grid end, a source without Monte Carlo variance) is written without uncertainty, which HEPData requires."""
    from darkreach.output.hepdata import Table, Variable, read_submission, write_validated_submission

    edges = Variable("d lower edge", (1e-5, 2e-5), "GeV^-1", errors=((1e-6, 1.1e-6), (0.0, 0.0)))
    table = Table("bands", "edges with bands", (Variable("m1", (0.1, 0.2), "GeV"),), (edges,))
    write_validated_submission(tmp_path / "rec", [table], "test record")
    _, (back,) = read_submission(tmp_path / "rec")
    assert back.dependent[0].errors == ((1e-6, 1.1e-6), (0.0, 0.0)) and back.dependent[0].error_label == "stat"
