"""Period labels and dates (DESIGN.md section 4): no database needed."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.periods import (
    DEFAULT_CLOSE_AFTER_DUE,
    DEFAULT_DUE_AFTER,
    PeriodKey,
    PeriodLabelError,
    parse_period_label,
    quarter_containing,
)

date = datetime.date

keys = st.builds(
    PeriodKey,
    year_start=st.integers(min_value=2000, max_value=2098),
    quarter=st.integers(min_value=1, max_value=4),
)


# Labels and slugs


def test_a_financial_year_is_labelled_by_both_calendar_years():
    assert PeriodKey(2024).label == "2024-25"


def test_a_quarter_label_adds_the_quarter_number():
    assert PeriodKey(2024, 3).label == "2024-25 Q3"


def test_a_year_ending_in_a_new_century_keeps_two_digits():
    assert PeriodKey(1999).label == "1999-00"
    assert PeriodKey(2009, 1).label == "2009-10 Q1"


def test_a_slug_is_the_label_in_lower_case_with_hyphens():
    assert PeriodKey(2024, 3).slug == "2024-25-q3"
    assert PeriodKey(2024).slug == "2024-25"


# Dates


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, date(2024, 4, 1), date(2024, 6, 30)),
        (2, date(2024, 7, 1), date(2024, 9, 30)),
        (3, date(2024, 10, 1), date(2024, 12, 31)),
        (4, date(2025, 1, 1), date(2025, 3, 31)),
    ],
)
def test_quarters_run_from_april_to_the_next_march(quarter, start, end):
    key = PeriodKey(2024, quarter)

    assert key.start_date == start
    assert key.end_date == end


def test_a_financial_year_runs_from_1_april_to_31_march():
    key = PeriodKey(2024)

    assert key.start_date == date(2024, 4, 1)
    assert key.end_date == date(2025, 3, 31)


def test_the_fourth_quarter_ends_in_a_leap_year_february_without_trouble():
    # Q4 2023-24 covers February 2024, which has 29 days.
    assert PeriodKey(2023, 4).end_date == date(2024, 3, 31)
    assert PeriodKey(2023, 3).end_date == date(2023, 12, 31)


@given(keys)
def test_each_quarter_ends_the_day_before_the_next_begins(key):
    assert key.end_date + datetime.timedelta(days=1) == key.next_quarter().start_date


@given(keys)
def test_the_four_quarters_of_a_year_cover_the_year_exactly(key):
    year = PeriodKey(key.year_start)

    assert PeriodKey(key.year_start, 1).start_date == year.start_date
    assert PeriodKey(key.year_start, 4).end_date == year.end_date


def test_the_default_gaps_are_six_weeks_to_due_and_four_more_to_close():
    assert datetime.timedelta(weeks=6) == DEFAULT_DUE_AFTER
    assert datetime.timedelta(weeks=4) == DEFAULT_CLOSE_AFTER_DUE


# Parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-25", PeriodKey(2024)),
        ("2024-25 Q1", PeriodKey(2024, 1)),
        ("2024-25 Q4", PeriodKey(2024, 4)),
        ("2024-25-q3", PeriodKey(2024, 3)),
        ("2024-25-Q3", PeriodKey(2024, 3)),
        ("  2024-25 Q2  ", PeriodKey(2024, 2)),
        ("1999-00", PeriodKey(1999)),
    ],
)
def test_labels_and_slugs_are_read_back_into_keys(text, expected):
    assert parse_period_label(text) == expected


@given(keys)
def test_a_label_or_slug_round_trips(key):
    assert parse_period_label(key.label) == key
    assert parse_period_label(key.slug) == key
    year = PeriodKey(key.year_start)
    assert parse_period_label(year.label) == year


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024",
        "24-25",
        "2024/25",
        "2024-2025",
        "2024-25 Q0",
        "2024-25 Q5",
        "2024-25Q3",
        "2024-25 Q3 extra",
        "Q3 2024-25",
        "twenty twenty-four",
    ],
)
def test_text_that_is_not_a_period_is_refused_with_the_expected_forms(text):
    with pytest.raises(PeriodLabelError, match="use a financial year such as"):
        parse_period_label(text)


@pytest.mark.parametrize("text", ["2024-26", "2024-24", "2024-23 Q1", "2024-26-q2"])
def test_years_that_do_not_follow_each_other_are_refused(text):
    with pytest.raises(PeriodLabelError, match="is not a financial year"):
        parse_period_label(text)


def test_the_refusal_says_which_year_should_follow():
    with pytest.raises(PeriodLabelError, match="2024 is followed by 25"):
        parse_period_label("2024-26")


def test_a_label_error_is_a_value_error_so_forms_can_catch_either():
    assert issubclass(PeriodLabelError, ValueError)


# Moving between quarters


def test_the_quarter_before_q1_is_q4_of_the_previous_year():
    assert PeriodKey(2024, 1).previous_quarter() == PeriodKey(2023, 4)


def test_the_quarter_after_q4_is_q1_of_the_next_year():
    assert PeriodKey(2024, 4).next_quarter() == PeriodKey(2025, 1)


@pytest.mark.parametrize("quarter", [1, 2, 3])
def test_the_next_quarter_within_a_year_keeps_the_year(quarter):
    assert PeriodKey(2024, quarter).next_quarter() == PeriodKey(2024, quarter + 1)


@pytest.mark.parametrize("quarter", [2, 3, 4])
def test_the_previous_quarter_within_a_year_keeps_the_year(quarter):
    assert PeriodKey(2024, quarter).previous_quarter() == PeriodKey(2024, quarter - 1)


@given(keys)
def test_next_then_previous_comes_back_to_the_same_quarter(key):
    assert key.next_quarter().previous_quarter() == key
    assert key.previous_quarter().next_quarter() == key


def test_a_year_has_no_previous_or_next_quarter():
    with pytest.raises(PeriodLabelError):
        PeriodKey(2024).previous_quarter()
    with pytest.raises(PeriodLabelError):
        PeriodKey(2024).next_quarter()


# The quarter a day falls in


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 4, 1), PeriodKey(2024, 1)),
        (date(2024, 6, 30), PeriodKey(2024, 1)),
        (date(2024, 7, 1), PeriodKey(2024, 2)),
        (date(2024, 9, 30), PeriodKey(2024, 2)),
        (date(2024, 10, 1), PeriodKey(2024, 3)),
        (date(2024, 12, 31), PeriodKey(2024, 3)),
        (date(2025, 1, 1), PeriodKey(2024, 4)),
        (date(2025, 2, 28), PeriodKey(2024, 4)),
        (date(2025, 3, 31), PeriodKey(2024, 4)),
    ],
)
def test_a_day_falls_in_the_financial_quarter_that_contains_it(day, expected):
    assert quarter_containing(day) == expected


@given(st.dates(min_value=date(2000, 4, 1), max_value=date(2099, 3, 31)))
def test_the_quarter_containing_a_day_starts_on_or_before_it_and_ends_after(day):
    key = quarter_containing(day)

    assert key.start_date <= day <= key.end_date
