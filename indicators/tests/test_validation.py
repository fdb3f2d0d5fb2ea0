"""Derived values, the hard rules of an entry and the soft warnings.

Most indicators here are built unsaved, so these tests need no database; the
few that read the seeded core set say so with the `db` fixture.
"""

from decimal import Decimal

import pytest

from indicators.models import Indicator, Polarity, SourceCollection, Unit
from indicators.validation import (
    MAX_DECIMAL_PLACES,
    RawEntry,
    parse_number,
    soft_warnings,
    validate_entry,
)

D = Decimal


def make_indicator(unit, *, components=True, places=1, name="Things counted"):
    """An unsaved indicator; with components the LA enters a fraction."""
    return Indicator(
        code=f"TEST_{unit.upper()}",
        name=name,
        definition="A test indicator.",
        unit=unit,
        decimal_places=places,
        polarity=Polarity.NEITHER,
        source=SourceCollection.CIN,
        numerator_label="Children seen on time" if components else "",
        denominator_label="Children seen" if components else "",
    )


@pytest.fixture
def percent():
    return make_indicator(Unit.PERCENT)


@pytest.fixture
def rate():
    return make_indicator(Unit.RATE_PER_10K)


@pytest.fixture
def ratio():
    return make_indicator(Unit.RATIO)


def entry(numerator="", denominator="", value="", **extra):
    return RawEntry(numerator=numerator, denominator=denominator, value=value, **extra)


# Derived values


def test_a_percentage_is_derived_from_its_parts(percent):
    assert percent.derive_value(D(45), D(180)) == D(25)


def test_a_rate_is_per_ten_thousand(rate):
    assert rate.derive_value(D(250), D(50_000)) == D(50)


def test_a_ratio_is_the_plain_quotient(ratio):
    assert ratio.derive_value(D(90), D(5)) == D(18)


def test_a_derived_value_keeps_its_precision_for_rounding_later(percent):
    assert percent.derive_value(D(1), D(3)) == D(100) / D(3)


def test_the_unit_decides_the_suffix():
    assert make_indicator(Unit.PERCENT).unit_suffix == "%"
    assert make_indicator(Unit.RATE_PER_10K).unit_suffix == " per 10,000"
    assert make_indicator(Unit.DAYS).unit_suffix == " days"
    assert make_indicator(Unit.RATIO).unit_suffix == ""
    assert make_indicator(Unit.COUNT).unit_suffix == ""


def test_an_indicator_with_both_labels_has_components(percent):
    assert percent.has_components
    assert not make_indicator(Unit.PERCENT, components=False).has_components


def test_only_the_percent_unit_is_a_percentage(percent, rate):
    assert percent.is_percentage
    assert not rate.is_percentage


# Formatting


def test_a_value_is_shown_to_the_indicators_decimal_places_with_its_unit(percent):
    assert percent.format_value(D(25)) == "25.0%"


def test_no_value_is_shown_as_nothing(percent):
    assert percent.format_value(None) == ""


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("12.24", "12.2%"),
        ("12.25", "12.3%"),
        ("12.35", "12.4%"),
        ("12.26", "12.3%"),
        ("99.95", "100.0%"),
        ("0.05", "0.1%"),
    ],
)
def test_halves_round_up_as_people_and_spreadsheets_expect(percent, value, shown):
    assert percent.format_value(D(value)) == shown


def test_a_long_derived_value_is_rounded_for_display(percent):
    assert percent.format_value(percent.derive_value(D(1), D(3))) == "33.3%"


def test_thousands_are_separated_by_commas(rate):
    assert rate.format_value(D("1234.56")) == "1,234.6 per 10,000"


def test_more_decimal_places_pad_with_zeros():
    ratio = make_indicator(Unit.RATIO, places=2)

    assert ratio.format_value(D("17.5")) == "17.50"


def test_no_decimal_places_show_whole_numbers():
    days = make_indicator(Unit.DAYS, components=False, places=0)
    count = make_indicator(Unit.COUNT, components=False, places=0)

    assert days.format_value(D("44.5")) == "45 days"
    assert count.format_value(D(1200)) == "1,200"


def test_integers_are_accepted_as_well_as_decimals(percent):
    assert percent.format_value(40) == "40.0%"


# Reading numbers


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("125", D(125)),
        ("37.5", D("37.5")),
        (" 1,234.5 ", D("1234.5")),
        ("0", D(0)),
        ("1.50000", D("1.5")),
        ("1.2345", D("1.2345")),
        ("9999999999", D(9_999_999_999)),
    ],
)
def test_numbers_people_type_are_read(text, number):
    assert parse_number(text, "Children") == (number, "")


def test_an_empty_box_is_no_number_and_no_error():
    assert parse_number("   ", "Children") == (None, "")


@pytest.mark.parametrize("text", ["abc", "12a", "1.2.3", "NaN", "Infinity", "-inf"])
def test_text_that_is_not_a_finite_number_is_refused(text):
    number, message = parse_number(text, "Children")

    assert number is None
    assert message == "Children must be a number, like 125 or 37.5"


def test_a_negative_number_is_refused():
    assert parse_number("-1", "Children") == (None, "Children cannot be negative")


def test_more_than_four_decimal_places_are_refused():
    assert MAX_DECIMAL_PLACES == 4
    number, message = parse_number("1.23456", "Children")

    assert number is None
    assert message == "Children can have at most 4 decimal places"


def test_a_number_with_more_than_ten_whole_digits_is_refused():
    assert parse_number("10000000000", "Children") == (None, "Children is too large")


# Hard rules for an indicator entered as numerator and denominator


def test_a_valid_fraction_gives_its_parts_and_derived_value(percent):
    result = validate_entry(percent, entry("45", "180"))

    assert result.errors == {}
    assert result.clean.numerator == D(45)
    assert result.clean.denominator == D(180)
    assert result.clean.value == D(25)
    assert result.clean.missing_reason == ""


def test_a_value_typed_beside_the_parts_is_ignored_for_the_derived_one(percent):
    result = validate_entry(percent, entry("45", "180", value="99"))

    assert result.clean.value == D(25)


def test_the_warning_reason_is_kept_without_surrounding_space(percent):
    result = validate_entry(
        percent, entry("45", "180", warning_reason="  A new team started.  ")
    )

    assert result.clean.warning_reason == "A new team started."


def test_a_numerator_that_is_not_a_number_is_refused(percent):
    result = validate_entry(percent, entry("lots", "180"))

    assert result.clean is None
    assert result.errors == {
        "numerator": "Children seen on time must be a number, like 125 or 37.5"
    }


def test_a_denominator_that_is_not_a_number_is_refused(percent):
    result = validate_entry(percent, entry("45", "many"))

    assert result.clean is None
    assert "must be a number" in result.errors["denominator"]


@pytest.mark.parametrize("field", ["numerator", "denominator"])
def test_a_negative_part_is_refused(percent, field):
    parts = {"numerator": "45", "denominator": "180", field: "-5"}

    result = validate_entry(percent, entry(**parts))

    assert result.clean is None
    assert result.errors[field].endswith("cannot be negative")


def test_each_missing_part_is_asked_for_by_its_label(percent):
    result = validate_entry(percent, entry())

    assert result.clean is None
    assert result.errors == {
        "numerator": "Enter children seen on time",
        "denominator": "Enter children seen",
    }


def test_a_zero_denominator_is_refused_and_points_to_no_value(percent):
    result = validate_entry(percent, entry("0", "0"))

    assert result.clean is None
    assert result.errors["denominator"].startswith("Children seen must be more than 0")
    assert "tick ‘no value’" in result.errors["denominator"]


@pytest.mark.parametrize("unit", [Unit.RATE_PER_10K, Unit.RATIO])
def test_a_zero_denominator_is_refused_for_every_fraction(unit):
    result = validate_entry(make_indicator(unit), entry("5", "0"))

    assert "denominator" in result.errors


def test_a_percentage_numerator_above_its_denominator_is_refused(percent):
    result = validate_entry(percent, entry("181", "180"))

    assert result.clean is None
    assert result.errors == {
        "numerator": "The number counted cannot be more than the total it is "
        "counted from (180)"
    }


def test_the_refusal_shows_a_large_denominator_with_commas(percent):
    result = validate_entry(percent, entry("2001", "2000"))

    assert "(2,000)" in result.errors["numerator"]


def test_a_percentage_of_exactly_100_is_allowed(percent):
    result = validate_entry(percent, entry("180", "180"))

    assert result.clean.value == D(100)


def test_a_ratio_numerator_may_exceed_its_denominator(ratio):
    # Caseload: 90 cases held by 5 social workers.
    result = validate_entry(ratio, entry("90", "5"))

    assert result.errors == {}
    assert result.clean.value == D(18)


def test_a_rate_numerator_may_exceed_its_denominator(rate):
    result = validate_entry(rate, entry("3", "2"))

    assert result.clean.value == D(15_000)


def test_fractional_parts_are_allowed_for_full_time_equivalents(ratio):
    result = validate_entry(ratio, entry("93", "4.5"))

    assert result.errors == {}
    assert result.clean.denominator == D("4.5")


def test_a_part_with_too_many_decimal_places_is_refused(ratio):
    result = validate_entry(ratio, entry("93", "4.12345"))

    assert result.errors["denominator"].endswith("at most 4 decimal places")


def test_a_part_with_commas_is_read(percent):
    result = validate_entry(percent, entry("1,200", "2,400"))

    assert result.clean.value == D(50)


def test_a_derived_value_too_large_to_store_is_refused(ratio):
    result = validate_entry(ratio, entry("9999999999", "0.0001"))

    assert result.clean is None
    assert result.errors == {
        "denominator": "Children seen is too small for the number counted: "
        "check both figures"
    }


def test_a_rate_from_a_tiny_denominator_is_refused(rate):
    # 100,000 per 0.001 children is 10^12 per 10,000: one digit too many.
    assert "denominator" in validate_entry(rate, entry("100000", "0.001")).errors


def test_the_largest_derived_value_that_fits_is_allowed(ratio):
    result = validate_entry(ratio, entry("9999999999", "0.01"))

    assert result.clean.value == D("999999999900")


# A missing value


def test_no_value_with_a_reason_is_a_valid_answer(percent):
    result = validate_entry(
        percent, entry(no_value=True, missing_reason="  System migration.  ")
    )

    assert result.errors == {}
    assert result.clean.value is None
    assert result.clean.numerator is None
    assert result.clean.missing_reason == "System migration."


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_missing_value_needs_a_reason(percent, reason):
    result = validate_entry(percent, entry(no_value=True, missing_reason=reason))

    assert result.clean is None
    assert result.errors == {
        "missing_reason": "Explain why there is no value for things counted"
    }


@pytest.mark.parametrize(
    "figures",
    [{"numerator": "4"}, {"denominator": "10"}, {"value": "12"}],
)
def test_no_value_together_with_figures_is_refused(percent, figures):
    result = validate_entry(
        percent, entry(no_value=True, missing_reason="Not collected", **figures)
    )

    assert result.clean is None
    assert set(result.errors) == {"no_value"}


def test_no_value_reports_both_problems_at_once(percent):
    result = validate_entry(percent, entry("4", "10", no_value=True))

    assert set(result.errors) == {"missing_reason", "no_value"}


def test_a_reason_without_ticking_no_value_does_not_excuse_blank_parts(percent):
    result = validate_entry(percent, entry(missing_reason="Not collected"))

    assert result.clean is None
    assert set(result.errors) == {"numerator", "denominator"}


def test_a_direct_indicator_may_be_missing_too():
    days = make_indicator(Unit.DAYS, components=False)

    result = validate_entry(days, entry(no_value=True, missing_reason="Not known"))

    assert result.clean.missing_reason == "Not known"


# Hard rules for an indicator whose value is entered directly


def test_a_direct_value_is_taken_as_typed():
    days = make_indicator(Unit.DAYS, components=False)

    result = validate_entry(days, entry(value="24.5", warning_reason=" Busy. "))

    assert result.errors == {}
    assert result.clean.value == D("24.5")
    assert result.clean.numerator is None
    assert result.clean.denominator is None
    assert result.clean.warning_reason == "Busy."


def test_a_direct_indicator_ignores_parts_and_asks_for_the_value():
    days = make_indicator(Unit.DAYS, components=False, name="Days to adoption")

    result = validate_entry(days, entry("4", "10"))

    assert result.errors == {"value": "Enter a value for days to adoption"}


def test_a_direct_value_that_is_not_a_number_is_refused():
    days = make_indicator(Unit.DAYS, components=False, name="Days to adoption")

    result = validate_entry(days, entry(value="about 40"))

    assert result.errors == {
        "value": "Days to adoption must be a number, like 125 or 37.5"
    }


def test_a_negative_direct_value_is_refused():
    count = make_indicator(Unit.COUNT, components=False, name="Children")

    result = validate_entry(count, entry(value="-3"))

    assert result.errors == {"value": "Children cannot be negative"}


def test_a_direct_percentage_over_100_is_refused():
    percent = make_indicator(Unit.PERCENT, components=False)

    result = validate_entry(percent, entry(value="100.1"))

    assert result.clean is None
    assert result.errors == {"value": "A percentage cannot be more than 100"}


@pytest.mark.parametrize("value", ["0", "37.5", "100"])
def test_a_direct_percentage_from_0_to_100_is_allowed(value):
    percent = make_indicator(Unit.PERCENT, components=False)

    result = validate_entry(percent, entry(value=value))

    assert result.clean.value == D(value)


@pytest.mark.parametrize("unit", [Unit.RATE_PER_10K, Unit.RATIO, Unit.DAYS])
def test_other_direct_units_may_exceed_100(unit):
    result = validate_entry(make_indicator(unit, components=False), entry(value="450"))

    assert result.clean.value == D(450)


def test_a_count_must_be_whole():
    count = make_indicator(Unit.COUNT, components=False)

    result = validate_entry(count, entry(value="12.5"))

    assert result.errors == {"value": "A count must be a whole number"}


@pytest.mark.parametrize("value", ["12", "12.0", "1,200"])
def test_a_whole_count_is_allowed_however_it_is_written(value):
    count = make_indicator(Unit.COUNT, components=False)

    result = validate_entry(count, entry(value=value))

    assert result.errors == {}
    assert result.clean.value == result.clean.value.to_integral_value()


def test_days_may_be_fractional():
    days = make_indicator(Unit.DAYS, components=False)

    assert validate_entry(days, entry(value="12.5")).errors == {}


def test_a_direct_value_with_too_many_decimal_places_is_refused():
    days = make_indicator(Unit.DAYS, components=False)

    result = validate_entry(days, entry(value="12.00001"))

    assert result.errors["value"].endswith("at most 4 decimal places")


def test_a_direct_value_that_is_too_large_is_refused():
    count = make_indicator(Unit.COUNT, components=False, name="Children")

    result = validate_entry(count, entry(value="12345678901"))

    assert result.errors == {"value": "Children is too large"}


# The seeded core set


def test_every_core_indicator_is_entered_as_a_fraction(db):
    core = list(Indicator.objects.core())

    assert len(core) == 18
    assert all(indicator.has_components for indicator in core)


def test_a_core_percentage_refuses_more_counted_than_the_total(db):
    assessments = Indicator.objects.get(code="ASSESS_45D")

    result = validate_entry(assessments, entry("501", "500"))

    assert set(result.errors) == {"numerator"}


def test_the_core_caseload_allows_more_cases_than_workers(db):
    caseload = Indicator.objects.get(code="SW_CASELOAD")

    result = validate_entry(caseload, entry("540", "30"))

    assert result.clean.value == D(18)
    assert caseload.format_value(result.clean.value) == "18.0"


def test_a_core_rate_is_per_ten_thousand_children(db):
    referrals = Indicator.objects.get(code="REF_RATE")

    result = validate_entry(referrals, entry("2,150", "43,000"))

    assert referrals.format_value(result.clean.value) == "500.0 per 10,000"


# Whether anything was typed


def test_an_untouched_entry_is_blank():
    assert RawEntry(numerator="  ").is_blank


@pytest.mark.parametrize(
    "typed",
    [
        {"numerator": "1"},
        {"denominator": "1"},
        {"value": "1"},
        {"no_value": True},
        {"missing_reason": "Not known"},
    ],
)
def test_anything_typed_makes_an_entry_not_blank(typed):
    assert not RawEntry(**typed).is_blank


def test_a_warning_reason_alone_leaves_an_entry_blank():
    # A reason to confirm a value means nothing without the value.
    assert RawEntry(warning_reason="Checked").is_blank


# Soft warnings


def test_a_value_far_above_the_las_history_is_questioned(percent):
    # Range 10 to 12 widened by the larger of 2 and a quarter of 11 (2.75).
    warnings = soft_warnings(
        percent,
        D("14.8"),
        own_history=[D(10), D(11), D(12)],
        london_range=None,
        authority_name="Camden",
    )

    assert warnings == ["14.8% is far from Camden’s last 3 quarters (10.0% to 12.0%)"]


def test_a_value_far_below_the_las_history_is_questioned(percent):
    warnings = soft_warnings(
        percent, D("7.2"), own_history=[D(10), D(11), D(12)], london_range=None
    )

    assert len(warnings) == 1
    assert "your LA’s last 3 quarters" in warnings[0]


@pytest.mark.parametrize("value", ["7.25", "10", "11", "14.75"])
def test_a_value_near_the_las_history_passes(percent, value):
    warnings = soft_warnings(
        percent, D(value), own_history=[D(10), D(11), D(12)], london_range=None
    )

    assert warnings == []


def test_a_wide_history_widens_the_margin_by_its_own_range(percent):
    # Range 10 to 30: margin 20 beats a quarter of the mean (5).
    history = [D(10), D(30)]

    assert soft_warnings(percent, D(50), own_history=history, london_range=None) == []
    assert soft_warnings(percent, D("50.1"), own_history=history, london_range=None)
    assert soft_warnings(percent, D(0), own_history=history, london_range=None) == []


def test_a_flat_history_still_allows_a_quarter_either_side(percent):
    history = [D(40), D(40), D(40), D(40)]

    assert soft_warnings(percent, D(50), own_history=history, london_range=None) == []
    assert soft_warnings(percent, D(30), own_history=history, london_range=None) == []
    assert soft_warnings(percent, D("50.1"), own_history=history, london_range=None)
    assert soft_warnings(percent, D("29.9"), own_history=history, london_range=None)


@pytest.mark.parametrize("history", [[], [D(10)]])
def test_fewer_than_two_earlier_values_give_no_history_warning(percent, history):
    warnings = soft_warnings(percent, D(95), own_history=history, london_range=None)

    assert warnings == []


def test_a_value_outside_the_london_range_is_questioned(rate):
    warnings = soft_warnings(
        rate, D("601"), own_history=[], london_range=(D(200), D(600))
    )

    assert warnings == [
        "601.0 per 10,000 is outside the London range for the last accepted "
        "quarter (200.0 per 10,000 to 600.0 per 10,000)"
    ]


def test_a_value_below_the_london_range_is_questioned(rate):
    warnings = soft_warnings(
        rate, D("199.9"), own_history=[], london_range=(D(200), D(600))
    )

    assert len(warnings) == 1


@pytest.mark.parametrize("value", ["200", "400", "600"])
def test_a_value_inside_the_london_range_passes(rate, value):
    warnings = soft_warnings(
        rate, D(value), own_history=[], london_range=(D(200), D(600))
    )

    assert warnings == []


def test_without_a_london_range_there_is_no_london_warning(rate):
    assert soft_warnings(rate, D(10_000), own_history=[], london_range=None) == []


def test_a_value_can_raise_both_warnings_history_first(percent):
    warnings = soft_warnings(
        percent,
        D(90),
        own_history=[D(10), D(12)],
        london_range=(D(5), D(40)),
    )

    assert len(warnings) == 2
    assert "far from" in warnings[0]
    assert "London range" in warnings[1]
