"""The rules for one indicator's entry in a return (DESIGN.md section 8).

Hard errors block saving; soft warnings ask the LA to confirm with a reason.
Both are pure functions of what was typed and the numbers to compare with, so
the browser form and the spreadsheet upload apply exactly the same rules.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from statistics import mean

from .models import Indicator, Unit

MAX_DECIMAL_PLACES = 4
MAX_WHOLE_DIGITS = 10
# ReturnValue.value keeps 18 digits, 6 of them after the point. A rate or ratio
# from a tiny denominator can pass every other rule and still not fit.
MAX_DERIVED_VALUE = Decimal(10) ** 12


@dataclass
class RawEntry:
    """What a person typed for one indicator, as text."""

    numerator: str = ""
    denominator: str = ""
    value: str = ""
    no_value: bool = False
    missing_reason: str = ""
    warning_reason: str = ""

    @property
    def is_blank(self) -> bool:
        return not (
            self.numerator.strip()
            or self.denominator.strip()
            or self.value.strip()
            or self.no_value
            or self.missing_reason.strip()
        )


@dataclass
class CleanEntry:
    """A valid entry: either a value (with its parts) or a reason it is missing."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    missing_reason: str = ""
    warning_reason: str = ""


@dataclass
class EntryResult:
    clean: CleanEntry | None = None
    # Field name ("numerator", "denominator", "value", "missing_reason") to message.
    errors: dict[str, str] = field(default_factory=dict)


def parse_number(text: str, what: str) -> tuple[Decimal | None, str]:
    """Read a number typed by a person. Returns (number, error message)."""
    cleaned = text.strip().replace(",", "")
    if cleaned == "":
        return None, ""

    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None, f"{what} must be a number, like 125 or 37.5"
    if not number.is_finite():
        return None, f"{what} must be a number, like 125 or 37.5"
    if number < 0:
        return None, f"{what} cannot be negative"

    # The size comes first: only a number of bounded size can be rounded
    # safely. Normalising "1e999999999999999999" overflows the decimal
    # context, and "1e-999999999999999999" underflows to a plain 0.
    if number >= Decimal(10) ** MAX_WHOLE_DIGITS:
        return None, f"{what} is too large"
    if number != number.quantize(Decimal(1).scaleb(-MAX_DECIMAL_PLACES)):
        return None, f"{what} can have at most {MAX_DECIMAL_PLACES} decimal places"
    return number, ""


def validate_entry(indicator: Indicator, raw: RawEntry) -> EntryResult:
    """Apply the hard rules to one indicator's entry."""
    if raw.no_value:
        return _validate_missing(indicator, raw)
    if indicator.has_components:
        return _validate_components(indicator, raw)
    return _validate_direct(indicator, raw)


def _validate_missing(indicator: Indicator, raw: RawEntry) -> EntryResult:
    errors = {}
    if not raw.missing_reason.strip():
        errors["missing_reason"] = (
            f"Explain why there is no value for {indicator.name.lower()}"
        )
    if raw.numerator.strip() or raw.denominator.strip() or raw.value.strip():
        errors["no_value"] = (
            "You said there is no value, but also entered figures: "
            "remove the figures or untick ‘no value’"
        )
    if errors:
        return EntryResult(errors=errors)
    return EntryResult(clean=CleanEntry(missing_reason=raw.missing_reason.strip()))


def _validate_components(indicator: Indicator, raw: RawEntry) -> EntryResult:
    errors = {}
    numerator, message = parse_number(
        raw.numerator, _sentence(indicator.numerator_label)
    )
    if message:
        errors["numerator"] = message
    elif numerator is None:
        errors["numerator"] = f"Enter {_lower(indicator.numerator_label)}"

    denominator, message = parse_number(
        raw.denominator, _sentence(indicator.denominator_label)
    )
    if message:
        errors["denominator"] = message
    elif denominator is None:
        errors["denominator"] = f"Enter {_lower(indicator.denominator_label)}"
    elif denominator == 0:
        errors["denominator"] = (
            f"{_sentence(indicator.denominator_label)} must be more than 0; "
            "if there were none, tick ‘no value’ and say why"
        )

    if errors:
        return EntryResult(errors=errors)

    if indicator.unit == Unit.PERCENT and numerator > denominator:
        return EntryResult(
            errors={
                "numerator": (
                    "The number counted cannot be more than the total it is "
                    f"counted from ({denominator:,})"
                )
            }
        )

    value = indicator.derive_value(numerator, denominator)
    if value >= MAX_DERIVED_VALUE:
        return EntryResult(
            errors={
                "denominator": (
                    f"{_sentence(indicator.denominator_label)} is too small for "
                    "the number counted: check both figures"
                )
            }
        )
    return EntryResult(
        clean=CleanEntry(
            numerator=numerator,
            denominator=denominator,
            value=value,
            warning_reason=raw.warning_reason.strip(),
        )
    )


def _validate_direct(indicator: Indicator, raw: RawEntry) -> EntryResult:
    value, message = parse_number(raw.value, indicator.name)
    if message:
        return EntryResult(errors={"value": message})
    if value is None:
        return EntryResult(
            errors={"value": f"Enter a value for {_lower(indicator.name)}"}
        )
    if indicator.unit == Unit.PERCENT and value > 100:
        return EntryResult(errors={"value": "A percentage cannot be more than 100"})
    if indicator.unit == Unit.COUNT and value != value.to_integral_value():
        return EntryResult(errors={"value": "A count must be a whole number"})
    return EntryResult(
        clean=CleanEntry(value=value, warning_reason=raw.warning_reason.strip())
    )


def soft_warnings(
    indicator: Indicator,
    value: Decimal,
    *,
    own_history: list[Decimal],
    london_range: tuple[Decimal, Decimal] | None,
    authority_name: str = "your LA",
) -> list[str]:
    """Reasons a valid value looks unusual enough to ask the LA to confirm it.

    - Far from the LA's own recent history: outside its last four quarters'
      range widened on each side by that range, or by a quarter of their
      mean when the range is narrow. Needs at least two earlier values.
    - Outside the London range: below the lowest or above the highest value
      London LAs returned in the last accepted quarter.
    """
    warnings = []
    fmt = indicator.format_value

    if len(own_history) >= 2:
        low, high = min(own_history), max(own_history)
        margin = max(high - low, abs(Decimal(mean(own_history))) / 4)
        if value < low - margin or value > high + margin:
            warnings.append(
                f"{fmt(value)} is far from {authority_name}’s last "
                f"{len(own_history)} quarters ({fmt(low)} to {fmt(high)})"
            )

    if london_range is not None:
        low, high = london_range
        if value < low or value > high:
            warnings.append(
                f"{fmt(value)} is outside the London range for the last accepted "
                f"quarter ({fmt(low)} to {fmt(high)})"
            )
    return warnings


def _sentence(label: str) -> str:
    return label[:1].upper() + label[1:]


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]
