"""metrics: hand-computed values (arithmetic in the comments), z = 1.959964."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from marketlib import metrics

Z = metrics.Z95


def test_wilson_interval_36_of_1000():
    # p = 0.036, z² = 3.841459, z²/n = 0.003841459, denom = 1.003841459
    # center = (0.036 + 3.841459/2000) / denom = 0.0379207 / 1.0038415 = 0.0377756
    # half = z/denom · sqrt(0.036·0.964/1000 + 3.841459/(4·1000²)) = 1.952465 · sqrt(3.56644e-5) = 0.0116600
    # -> [0.0261156, 0.0494357]
    low, high = metrics.wilson_interval(pl.lit(36), pl.lit(1000))
    lo, hi = pl.select(low.alias("lo"), high.alias("hi")).row(0)
    assert lo == pytest.approx(0.0261156, rel=1e-5)
    assert hi == pytest.approx(0.0494357, rel=1e-5)


def test_wilson_interval_edges():
    # 0 of 10: low = 0, high = (z²/n)/(1 + z²/n) = 0.3841459/1.3841459 = 0.277533
    # 10 of 10: mirror image, low = 1 - 0.277533 = 0.722467
    # more successes than trials: not a proportion -> null; zero trials -> null
    frame = pl.DataFrame({"x": [0, 10, 11, 0], "n": [10, 10, 10, 0]})
    low, high = metrics.wilson_interval("x", "n")
    out = frame.select(low.alias("lo"), high.alias("hi"))
    assert out["lo"][0] == 0.0 and out["hi"][0] == pytest.approx(0.277533, rel=1e-5)
    assert out["lo"][1] == pytest.approx(0.722467, rel=1e-5) and out["hi"][1] == 1.0
    assert out["lo"][2] is None and out["hi"][2] is None
    assert out["lo"][3] is None


def test_share_in_percent():
    # 43 of 60 = 71.667%; Wilson [59.233%, 81.493%]
    out = metrics.add_share(pl.DataFrame({"k": [43], "n": [60]}), "k", "n").row(0, named=True)
    assert out["share_pct"] == pytest.approx(71.6667, rel=1e-5)
    assert out["share_low_pct"] == pytest.approx(59.23271, rel=1e-5)
    assert out["share_high_pct"] == pytest.approx(81.49317, rel=1e-5)


def test_success_ratio_combined_interval_by_hand():
    # 50 openings (a plain count: Var = 50) / 10,000 professionals with a published RSE of 5%:
    # Var(ln R) = 1/50 + 0.05² = 0.0225 -> SE 0.15; R = 0.5%; 0.5 · exp(∓1.959964 · 0.15) = [0.372640, 0.670888]
    frame = pl.DataFrame(
        {"openings": [50.0, 0.0], "openings_var": [50.0, 0.0], "professionals": [10_000, 500],
         "professionals_rse_pct": [5.0, 5.0]}
    )
    out = metrics.add_success_ratio(frame)
    first = out.row(0, named=True)
    assert first["success_ratio_pct"] == pytest.approx(0.5)
    assert first["success_ratio_low_pct"] == pytest.approx(0.372640, rel=1e-5)
    assert first["success_ratio_high_pct"] == pytest.approx(0.670888, rel=1e-5)
    assert first["professionals_per_opening"] == pytest.approx(200.0)
    assert first["professionals_per_opening_low"] == pytest.approx(100 / 0.670888, rel=1e-5)
    assert first["professionals_per_opening_high"] == pytest.approx(100 / 0.372640, rel=1e-5)
    # no openings: no ratio (and no interval) rather than a misleading 0 ± 0
    assert out.row(1, named=True)["success_ratio_pct"] is None


def test_success_ratio_interval_with_day_average_weights():
    # three postings open 1/3, 1/3 and all of the window: O = 5/3, Var(O) = Σw² = 11/9; 500 professionals,
    # an estimate with RSE 25%: Var(ln R) = (11/9)/(25/9) + 0.25² = 0.5025 -> SE 0.708872;
    # R = 100 · (5/3) / 500 = 0.333333%; × exp(∓1.959964 · 0.708872) = [0.0830779, 1.337433]
    frame = pl.DataFrame(
        {"openings": [5 / 3], "openings_var": [11 / 9], "professionals": [500], "professionals_rse_pct": [25.0]}
    )
    row = metrics.add_success_ratio(frame).row(0, named=True)
    assert row["success_ratio_pct"] == pytest.approx(1 / 3)
    assert row["success_ratio_low_pct"] == pytest.approx(0.0830779, rel=1e-5)
    assert row["success_ratio_high_pct"] == pytest.approx(1.337433, rel=1e-5)


def test_relative_odds_combined_interval_by_hand():
    # B vs A: (14/1000) / (36/1000) = 0.388889; A's professionals exact, B's with RSE 10%:
    # SE(ln RR) = sqrt(1/36 + 1/14 + 0.1²) = 0.330464 -> 0.388889 · exp(∓1.959964·0.330464) = [0.203486, 0.743219]
    frame = pl.DataFrame(
        {"metro": ["A", "B", "C"], "openings": [36.0, 14.0, 5.0], "openings_var": [36.0, 14.0, 5.0],
         "professionals": [1000, 1000, None], "professionals_rse_pct": [0.0, 10.0, None]}
    )
    out = metrics.add_relative_odds(frame, "metro", "A")
    rows = {r["metro"]: r for r in out.iter_rows(named=True)}
    assert rows["A"]["relative_odds"] == 1.0 and rows["A"]["relative_odds_low"] == 1.0
    assert rows["B"]["relative_odds"] == pytest.approx(0.388889, rel=1e-5)
    assert rows["B"]["relative_odds_low"] == pytest.approx(0.203486, rel=1e-5)
    assert rows["B"]["relative_odds_high"] == pytest.approx(0.743219, rel=1e-5)
    assert rows["C"]["relative_odds"] is None  # no denominator


def test_relative_odds_without_reference_is_null():
    frame = pl.DataFrame(
        {"metro": ["A"], "openings": [36.0], "openings_var": [36.0], "professionals": [1000],
         "professionals_rse_pct": [3.0]}
    )
    out = metrics.add_relative_odds(frame, "metro", "Nowhere")
    assert out["relative_odds"].to_list() == [None]


def test_professionals_rse_of_a_sum():
    # 600 at 10% and 400 at 20%: SE = sqrt(60² + 80²) = 100 -> 100 / 1000 = 10%; a null RSE counts as exact
    frame = pl.DataFrame({"e": [600, 400, 100], "rse": [10.0, 20.0, None]})
    out = frame.head(2).select(metrics.professionals_rse(pl.col("e"), pl.col("rse"))).item()
    assert out == pytest.approx(10.0)
    with_exact = frame.select(metrics.professionals_rse(pl.col("e"), pl.col("rse"))).item()
    assert with_exact == pytest.approx(100 * 100 / 1100)


def test_count_ratio_interval():
    # 82/30 = 2.73333; SE = sqrt(1/82 + 1/30) = sqrt(0.0455285) = 0.213374
    # 2.73333 · exp(∓1.959964·0.213374) = 2.73333 · [0.658225, 1.519241] = [1.79915, 4.15257]
    ratio, low, high = metrics.count_ratio_interval(82, 30)
    assert ratio == pytest.approx(2.733333, rel=1e-6)
    assert low == pytest.approx(1.79915, rel=1e-4)
    assert high == pytest.approx(4.15257, rel=1e-4)
    assert metrics.count_ratio_interval(5, 0) == (None, None, None)


def test_index_to_baseline_per_group():
    # x: 50 at baseline -> 75 is 150; y: 10 -> 5 is 50; z has no baseline row -> null
    base = dt.date(2020, 2, 1)
    frame = pl.DataFrame(
        {
            "date": [base, dt.date(2020, 3, 1), base, dt.date(2020, 3, 1), dt.date(2020, 3, 1)],
            "g": ["x", "x", "y", "y", "z"],
            "v": [50.0, 75.0, 10.0, 5.0, 7.0],
        }
    )
    out = metrics.index_to_baseline(frame, "date", "v", base, by=["g"])
    assert out["index"].to_list() == [100.0, 150.0, 100.0, 50.0, None]


def test_flag_thin_keeps_rows():
    frame = pl.DataFrame({"n": [29, 30, None]})
    out = metrics.flag_thin(frame, "n", 30)
    assert out.height == 3
    assert out["is_thin"].to_list() == [True, False, True]


def test_quantile_summary_linear():
    # [1, 2, 3, 4]: p25 = 1 + 0.75·1 = 1.75, median 2.5, p75 = 3.25, IQR 1.5, p10 = 1.3
    out = metrics.quantile_summary(
        pl.DataFrame({"k": ["a"] * 4 + ["b"], "v": [1.0, 2, 3, 4, None]}), "v", ["k"]
    )
    a = out.row(0, named=True)
    assert (a["n"], a["p10"], a["p25"], a["median"], a["p75"], a["iqr"]) == (4, 1.3, 1.75, 2.5, 3.25, 1.5)
    assert out["k"].to_list() == ["a"]  # null values are not counted; b had none left
