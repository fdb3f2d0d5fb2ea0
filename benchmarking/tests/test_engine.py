"""The benchmarking rule of DESIGN.md section 6, worked through by example.

The examples fix each clause of the rule; the properties at the end check,
over generated data, what must hold whatever the values.
"""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarking.engine import (
    BOTTOM,
    MIDDLE,
    TOP,
    band_label,
    benchmark_frame,
)

MISSING = None


def make_frame(
    values: list[float | None],
    *,
    polarity: str = "high_good",
    period: str = "2024-25 Q1",
    indicator: str = "CIN_RATE",
    group: str = "london",
    **extra: object,
) -> pd.DataFrame:
    """One period, indicator and group; LA i has values[i] (None: missing)."""
    return pd.DataFrame(
        {
            "period": period,
            "indicator": indicator,
            "group": group,
            "la": [f"LA{i:02d}" for i in range(len(values))],
            "value": [np.nan if v is None else v for v in values],
            "polarity": polarity,
            **extra,
        }
    )


def results_of(values: list[float | None], **kwargs: object) -> pd.DataFrame:
    return benchmark_frame(make_frame(values, **kwargs)).results


def quintiles(results: pd.DataFrame) -> list[int | None]:
    return [None if pd.isna(q) else int(q) for q in results["quintile"]]


# Worked examples


def test_33_las_without_ties_put_ranks_1_to_7_top_and_27_to_33_bottom():
    results = results_of(list(range(33, 0, -1)))

    assert results["rank"].tolist() == list(range(1, 34))
    assert (results["n"] == 33).all()
    bands = results.set_index("rank")["band"]
    assert (bands.loc[1:7] == TOP).all()
    assert (bands.loc[8:26] == MIDDLE).all()
    assert (bands.loc[27:33] == BOTTOM).all()


def test_33_las_fall_into_quintiles_of_7_6_7_6_7():
    results = results_of(list(range(33, 0, -1)))

    expected = [1] * 7 + [2] * 6 + [3] * 7 + [4] * 6 + [5] * 7
    assert quintiles(results) == expected


def test_a_tie_across_the_top_edge_of_33_shares_rank_7_5_and_is_middle():
    values = [float(v) for v in range(33, 0, -1)]
    values[7] = values[6]  # the LAs in 7th and 8th place tie

    tied = results_of(values).iloc[[6, 7]]

    assert tied["rank"].tolist() == [7.5, 7.5]
    assert tied["position"].tolist() == [0.203125, 0.203125]
    assert tied["band"].tolist() == [MIDDLE, MIDDLE]
    assert quintiles(tied) == [2, 2]


def test_six_las_meet_every_quintile_edge_exactly():
    results = results_of([6, 5, 4, 3, 2, 1])

    assert results["position"].tolist() == [0, 0.2, 0.4, 0.6, 0.8, 1]
    assert results["band"].tolist() == [TOP, TOP, MIDDLE, MIDDLE, BOTTOM, BOTTOM]
    assert quintiles(results) == [1, 1, 2, 4, 5, 5]


def test_three_way_ties_can_land_exactly_on_0_2_and_0_8():
    # Eleven LAs: places 2-4 tie at rank 3 (p = 0.2) and places 8-10 tie at
    # rank 9 (p = 0.8), so both tied runs sit exactly on a band edge.
    results = results_of([100, 90, 90, 90, 70, 60, 50, 40, 40, 40, 10])

    assert results["rank"].tolist() == [1, 3, 3, 3, 5, 6, 7, 9, 9, 9, 11]
    assert results["position"].tolist() == [
        0,
        0.2,
        0.2,
        0.2,
        0.4,
        0.5,
        0.6,
        0.8,
        0.8,
        0.8,
        1,
    ]
    assert results["band"].tolist() == [TOP] * 4 + [MIDDLE] * 3 + [BOTTOM] * 4
    assert quintiles(results) == [1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5]


def test_five_las_are_enough_for_bands():
    results = results_of([50, 40, 30, 20, 10])

    assert results["rank"].tolist() == [1, 2, 3, 4, 5]
    assert results["position"].tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert results["band"].tolist() == [TOP, MIDDLE, MIDDLE, MIDDLE, BOTTOM]
    assert quintiles(results) == [1, 2, 3, 4, 5]


def test_four_las_get_no_rank_position_band_or_quintile():
    results = results_of([40, 30, 20, 10])

    assert (results["n"] == 4).all()
    assert results["rank"].isna().all()
    assert results["position"].isna().all()
    assert (results["band"] == "").all()
    assert results["quintile"].isna().all()


def test_equal_values_all_share_the_middle_rank():
    results = results_of([12.5] * 9)

    assert (results["rank"] == 5).all()
    assert (results["position"] == 0.5).all()
    assert (results["band"] == MIDDLE).all()
    assert quintiles(results) == [3] * 9


def test_neither_orders_highest_first_like_high_good():
    values = [3, 9, 1, 7, 5, 5, 8]
    neither = results_of(values, polarity="neither")
    high_good = results_of(values, polarity="high_good")

    assert neither["rank"].tolist() == [6, 1, 7, 3, 4.5, 4.5, 2]
    columns = ["rank", "position", "band", "quintile"]
    pd.testing.assert_frame_equal(neither[columns], high_good[columns])


def test_low_good_puts_the_lowest_value_first():
    results = results_of([3, 9, 1, 7, 5, 5, 8], polarity="low_good")

    assert results["rank"].tolist() == [2, 7, 1, 5, 3.5, 3.5, 6]
    assert results["band"].tolist()[:3] == [TOP, BOTTOM, TOP]


def test_missing_values_are_left_out_of_n_and_get_no_band():
    results = results_of([10, MISSING, 30, 20, MISSING, 50, 40])

    assert (results["n"] == 5).all()
    assert results["rank"].fillna(0).tolist() == [5, 0, 3, 4, 0, 1, 2]
    assert results["band"].tolist() == [BOTTOM, "", MIDDLE, MIDDLE, "", TOP, MIDDLE]
    assert quintiles(results) == [5, None, 3, 4, None, 1, 2]


def test_missing_values_can_take_a_group_below_five():
    results = results_of([10, MISSING, 30, 20, MISSING, 50])

    assert (results["n"] == 4).all()
    assert results["rank"].isna().all()
    assert (results["band"] == "").all()


def test_each_period_indicator_and_group_is_ranked_on_its_own():
    parts = [
        make_frame([1, 2, 3, 4, 5, 6], group="london"),
        make_frame([6, 5, 4, 3, 2, 1], group="inner"),
        make_frame([1, 2, 3, 4], group="outer"),
        make_frame([1, 2, 3, 4, 5], indicator="NEET", polarity="low_good"),
        make_frame([5, 5, 5, 1, 2, 9, 9], period="2024-25 Q2"),
    ]
    combined = benchmark_frame(pd.concat(parts, ignore_index=True)).results

    alone = pd.concat(
        [benchmark_frame(part).results for part in parts], ignore_index=True
    )
    pd.testing.assert_frame_equal(combined, alone)


def test_the_same_la_is_ranked_separately_in_each_of_its_groups():
    london = make_frame([10, 20, 30, 40, 50, 60], group="london")
    cluster = london.iloc[:5].assign(group="cluster:a", value=[60, 50, 40, 30, 20])

    results = benchmark_frame(pd.concat([london, cluster])).results

    la00 = results[results["la"] == "LA00"].set_index("group")
    assert la00.loc["london", "rank"] == 6
    assert la00.loc["cluster:a", "rank"] == 1


def test_the_input_index_and_columns_are_kept():
    frame = make_frame([5, 4, 3, 2, 1], note=list("abcde"))
    frame.index = [10, 20, 30, 40, 50]

    results = benchmark_frame(frame).results

    assert results.index.tolist() == [10, 20, 30, 40, 50]
    assert results["note"].tolist() == list("abcde")
    assert list(results.columns[-5:]) == ["n", "rank", "position", "band", "quintile"]
    assert str(results["quintile"].dtype) == "Int64"


def test_an_empty_frame_gives_empty_tables():
    frames = benchmark_frame(make_frame([]))

    assert frames.results.empty
    assert frames.comparators.empty


# Comparators


def test_comparators_give_the_mean_and_median_of_the_values():
    frames = benchmark_frame(make_frame([4, 1, MISSING, 10, 2, 3]))

    comparators = frames.comparators
    assert len(comparators) == 1
    row = comparators.iloc[0]
    assert (row["period"], row["indicator"], row["group"]) == (
        "2024-25 Q1",
        "CIN_RATE",
        "london",
    )
    assert row["n"] == 5
    assert row["mean"] == pytest.approx(4.0)
    assert row["median"] == 3.0


def test_comparator_median_of_an_even_count_averages_the_middle_pair():
    for polarity in ["high_good", "low_good"]:
        frames = benchmark_frame(make_frame([7, 1, 3, 5], polarity=polarity))
        assert frames.comparators.iloc[0]["median"] == 4.0


def test_comparator_rate_sums_numerators_and_denominators_where_both_given():
    frame = make_frame(
        [50, 25, 10, MISSING],
        numerator=[5, 1, np.nan, 3],
        denominator=[10, 4, 20, np.nan],
        multiplier=100.0,
    )

    row = benchmark_frame(frame).comparators.iloc[0]

    # Only the first two LAs gave both: (5 + 1) / (10 + 4), as a percentage.
    assert row["rate"] == pytest.approx(600 / 14)
    assert row["mean"] == pytest.approx(85 / 3)


def test_comparator_rate_is_missing_without_numerators_or_denominators():
    no_columns = benchmark_frame(make_frame([1, 2, 3]))
    no_pairs = benchmark_frame(
        make_frame([1, 2], numerator=[1, np.nan], denominator=[np.nan, 2])
    )
    zero = benchmark_frame(make_frame([1, 2], numerator=[0, 0], denominator=[0, 0]))

    assert np.isnan(no_columns.comparators.iloc[0]["rate"])
    assert np.isnan(no_pairs.comparators.iloc[0]["rate"])
    assert np.isnan(zero.comparators.iloc[0]["rate"])


def test_comparator_rate_uses_a_multiplier_of_one_by_default():
    frame = make_frame([1, 2], numerator=[3, 1], denominator=[4, 4])

    assert benchmark_frame(frame).comparators.iloc[0]["rate"] == 0.5


def test_a_group_with_no_values_has_no_mean_or_median():
    row = benchmark_frame(make_frame([MISSING, MISSING])).comparators.iloc[0]

    assert row["n"] == 0
    assert np.isnan(row["mean"])
    assert np.isnan(row["median"])


def test_there_is_one_comparator_row_per_period_indicator_and_group():
    frame = pd.concat(
        [
            make_frame([1, 2, 3], group="london"),
            make_frame([4, 5], group="inner"),
            make_frame([6], indicator="NEET"),
        ]
    )

    comparators = benchmark_frame(frame).comparators.set_index(["indicator", "group"])

    assert comparators["n"].to_dict() == {
        ("CIN_RATE", "inner"): 2,
        ("CIN_RATE", "london"): 3,
        ("NEET", "london"): 1,
    }
    assert comparators.loc[("CIN_RATE", "inner"), "mean"] == 4.5


# Bad input


def test_missing_columns_are_refused():
    with pytest.raises(ValueError, match="polarity"):
        benchmark_frame(make_frame([1, 2]).drop(columns="polarity"))


def test_an_unknown_polarity_is_refused():
    with pytest.raises(ValueError, match="sideways"):
        benchmark_frame(make_frame([1, 2], polarity="sideways"))


def test_an_la_twice_in_one_group_is_refused():
    frame = make_frame([1, 2, 3, 4, 5, 6])
    frame.loc[5, "la"] = "LA00"

    with pytest.raises(ValueError, match="more than once"):
        benchmark_frame(frame)


# Labels


@pytest.mark.parametrize(
    ("band", "polarity", "label"),
    [
        (TOP, "high_good", "Top 20%"),
        (BOTTOM, "low_good", "Bottom 20%"),
        (MIDDLE, "high_good", "Middle"),
        (TOP, "neither", "Highest 20%"),
        (BOTTOM, "neither", "Lowest 20%"),
        (MIDDLE, "neither", "Middle"),
        ("", "high_good", ""),
        ("", "neither", ""),
    ],
)
def test_band_labels_only_judge_when_the_indicator_has_a_good_end(
    band, polarity, label
):
    assert band_label(band, polarity) == label


def test_an_unknown_band_has_no_label():
    with pytest.raises(ValueError):
        band_label("upper", "high_good")


# Properties

few_examples = settings(max_examples=50, deadline=None)

# Small whole numbers, so that ties are common; None is a missing value.
group_values = st.lists(
    st.one_of(st.none(), st.integers(min_value=0, max_value=6)), max_size=25
)


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    """Up to four groups, each its own indicator with its own polarity."""
    groups = draw(st.lists(group_values, min_size=1, max_size=4))
    polarities = st.sampled_from(["high_good", "low_good", "neither"])
    parts = [
        make_frame(values, indicator=f"IND{i}", polarity=draw(polarities))
        for i, values in enumerate(groups)
    ]
    return pd.concat(parts, ignore_index=True)


def reference_band(rank: float, n: int) -> tuple[str, int]:
    """The band and quintile of DESIGN.md 6.5-6.6, in exact fractions."""
    p = Fraction(rank) - 1
    p /= n - 1
    fifth = Fraction(1, 5)
    if p <= fifth:
        return TOP, 1
    if p >= 4 * fifth:
        return BOTTOM, 5
    if p <= 2 * fifth:
        return MIDDLE, 2
    return MIDDLE, 3 if p < 3 * fifth else 4


@few_examples
@given(frames())
def test_ranks_bands_and_quintiles_agree_with_a_plain_reference(frame):
    results = benchmark_frame(frame).results

    best_first = frame["value"].where(frame["polarity"] == "low_good", -frame["value"])
    expected = best_first.groupby(frame["indicator"]).rank(method="average")
    ranked = results["n"] >= 5
    pd.testing.assert_series_equal(
        results["rank"], expected.where(ranked), check_names=False
    )

    for row in results[results["rank"].notna()].itertuples():
        assert (row.band, row.quintile) == reference_band(row.rank, row.n)


@few_examples
@given(group_values)
def test_reversing_the_polarity_swaps_top_and_bottom_and_mirrors_quintiles(values):
    high = results_of(values, polarity="high_good")
    low = results_of(values, polarity="low_good")

    swap = {TOP: BOTTOM, BOTTOM: TOP, MIDDLE: MIDDLE, "": ""}
    assert low["band"].tolist() == [swap[band] for band in high["band"]]
    pd.testing.assert_series_equal(low["quintile"], 6 - high["quintile"])
    mirrored = high["n"] + 1 - high["rank"]
    pd.testing.assert_series_equal(low["rank"], mirrored, check_names=False)


@few_examples
@given(frames(), st.randoms(use_true_random=False))
def test_the_order_of_the_rows_makes_no_difference(frame, random):
    order = list(frame.index)
    random.shuffle(order)

    original = benchmark_frame(frame)
    shuffled = benchmark_frame(frame.loc[order])

    pd.testing.assert_frame_equal(shuffled.results.sort_index(), original.results)
    pd.testing.assert_frame_equal(shuffled.comparators, original.comparators)


@few_examples
@given(frames())
def test_every_value_in_a_group_of_five_or_more_has_exactly_one_band(frame):
    results = benchmark_frame(frame).results

    banded = results["value"].notna() & (results["n"] >= 5)
    assert results.loc[banded, "band"].isin([TOP, MIDDLE, BOTTOM]).all()
    assert (results.loc[~banded, "band"] == "").all()
    assert results.loc[banded, "quintile"].notna().all()
    assert results.loc[~banded, "quintile"].isna().all()


@few_examples
@given(frames())
def test_positions_run_from_0_to_1(frame):
    positions = benchmark_frame(frame).results["position"].dropna()

    assert positions.between(0, 1).all()


@few_examples
@given(frames())
def test_ranks_in_a_group_sum_to_n_times_n_plus_1_over_2(frame):
    results = benchmark_frame(frame).results
    ranked = results[results["rank"].notna()]

    for _, group in ranked.groupby("indicator"):
        n = int(group["n"].iloc[0])
        assert len(group) == n
        assert group["rank"].sum() == n * (n + 1) / 2
