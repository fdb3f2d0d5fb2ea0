"""The benchmarking rule of DESIGN.md section 6, as pure DataFrame work.

`benchmark_frame` ranks every LA within each (period, indicator, comparison
group) at once and works out the London comparators beside them. Nothing here
touches Django or the database, so the rule can be tested on its own and run
over many periods in one go.

The whole frame is sorted once, by group and then from best to worst; ranks,
counts, medians and sums are then read off that order with numpy. Ranks are
kept doubled, as integers, so that the band and quintile edges (p = 0.2, 0.4,
0.6, 0.8) are decided exactly rather than in floating point.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

KEYS = ["period", "indicator", "group"]
REQUIRED_COLUMNS = [*KEYS, "la", "value", "polarity"]

HIGH_GOOD = "high_good"
LOW_GOOD = "low_good"
NEITHER = "neither"
POLARITIES = frozenset({HIGH_GOOD, LOW_GOOD, NEITHER})

# With fewer LAs than this, nobody in the group gets a rank or a band.
MIN_LAS_FOR_BANDS = 5

TOP = "top"
MIDDLE = "middle"
BOTTOM = "bottom"

# Indexed by the band codes worked out in `_bands`: 0 means no band.
_BAND_NAMES = np.array(["", TOP, MIDDLE, BOTTOM], dtype=object)

_BAND_LABELS = {
    TOP: "Top 20%",
    MIDDLE: "Middle",
    BOTTOM: "Bottom 20%",
}
# A `neither` indicator has no good end, so its bands only say which end.
_NEUTRAL_BAND_LABELS = {
    TOP: "Highest 20%",
    MIDDLE: "Middle",
    BOTTOM: "Lowest 20%",
}


@dataclass(frozen=True)
class BenchmarkFrames:
    """The two tables a benchmark build produces.

    `results` has one row per input row, with the input's index and columns
    plus `n`, `rank`, `position`, `band` and `quintile`. `comparators` has one
    row per (period, indicator, group) with `n`, `mean`, `median` and `rate`.
    """

    results: pd.DataFrame
    comparators: pd.DataFrame


@dataclass(frozen=True)
class _Sorted:
    """The frame's rows in one order: by group, then best to worst."""

    order: np.ndarray  # row numbers of the input, in sorted order
    codes: np.ndarray  # group code of each input row
    starts: np.ndarray  # where each group's rows begin in the sorted order
    n: np.ndarray  # LAs with a value, per group


def benchmark_frame(values: pd.DataFrame) -> BenchmarkFrames:
    """Apply the benchmarking rule to every period, indicator and group.

    `values` needs the columns `period`, `indicator`, `group`, `la`, `value`
    (NaN when missing, suppressed or not applicable) and `polarity`
    (`high_good`, `low_good` or `neither`). The optional `numerator` and
    `denominator` give the comparator rate, scaled by the optional
    `multiplier` (100 for a percentage, 10,000 for a rate per 10,000; 1 when
    absent). A figure two LAs report together (the same optional
    `shared_with`) adds its numerator and denominator to the rate once. Each
    LA may appear only once per (period, indicator, group),
    though it may belong to many groups.
    """
    _check_columns(values)
    value = _floats(values, "value")
    low_good = _low_good_mask(values["polarity"])

    # Negating puts the best first for high_good and neither; NaN sorts last.
    best_first = np.where(low_good, value, -value)
    rows = _sort(values, value, best_first)

    results = _results(values, rows, best_first)
    comparators = _comparators(values, rows, value)
    return BenchmarkFrames(results=results, comparators=comparators)


def band_label(band: str, polarity: str) -> str:
    """The words shown for a band: 'Top 20%', or 'Highest 20%' for `neither`.

    An empty band (no value, or too few LAs) has an empty label.
    """
    if not band:
        return ""
    labels = _NEUTRAL_BAND_LABELS if polarity == NEITHER else _BAND_LABELS
    try:
        return labels[band]
    except KeyError:
        raise ValueError(f"Unknown band {band!r}.")


def _check_columns(values: pd.DataFrame) -> None:
    missing = [column for column in REQUIRED_COLUMNS if column not in values]
    if missing:
        raise ValueError(f"Benchmark input lacks columns: {', '.join(missing)}.")


def _floats(values: pd.DataFrame, column: str, default: float = np.nan) -> np.ndarray:
    """A column as a float array, or `default` throughout when it is absent."""
    if column not in values:
        return np.full(len(values), default)
    return values[column].to_numpy(dtype=float, na_value=np.nan)


def _low_good_mask(polarity: pd.Series) -> np.ndarray:
    """True where the lowest value is best; refuses unknown polarities."""
    codes, uniques = pd.factorize(polarity, use_na_sentinel=False)
    unknown = set(uniques) - POLARITIES
    if unknown:
        names = ", ".join(sorted(map(repr, unknown)))
        raise ValueError(f"Unknown polarity: {names}.")

    names = list(uniques)
    low_code = names.index(LOW_GOOD) if LOW_GOOD in names else -1
    return codes == low_code


def _sort(values: pd.DataFrame, value: np.ndarray, best_first: np.ndarray) -> _Sorted:
    """Number the groups and sort every row by group, then best to worst."""
    grouped = values.groupby(KEYS, sort=True, dropna=False, observed=True)
    codes = grouped.ngroup().to_numpy(dtype=np.intp)
    group_count = int(codes.max()) + 1 if len(codes) else 0

    order = _order(codes, best_first, group_count)
    sorted_codes = codes[order]
    starts = np.flatnonzero(_changes(sorted_codes))

    _check_one_row_per_la(values["la"], codes)
    has_value = ~np.isnan(value)
    n = np.bincount(codes[has_value], minlength=group_count)
    return _Sorted(order=order, codes=codes, starts=starts, n=n)


def _check_one_row_per_la(la: pd.Series, codes: np.ndarray) -> None:
    """Refuse an LA that appears twice in a group: it would be counted twice."""
    la_codes, la_names = pd.factorize(la, use_na_sentinel=False)
    pairs = pd.Index(codes.astype(np.int64) * len(la_names) + la_codes)
    if not pairs.is_unique:
        raise ValueError(
            "An LA appears more than once for the same period, indicator and group."
        )


def _order(codes: np.ndarray, best_first: np.ndarray, group_count: int) -> np.ndarray:
    """Row numbers sorted by group code, then best to worst within each group.

    Two stable sorts do what np.lexsort does, faster: numpy sorts codes that
    fit in 16 bits by radix.
    """
    by_value = np.argsort(best_first, kind="stable")
    small = np.uint16 if group_count <= 2**16 else np.intp
    by_group = np.argsort(codes[by_value].astype(small), kind="stable")
    return by_value[by_group]


def _changes(sorted_array: np.ndarray) -> np.ndarray:
    """True at each element that differs from the one before (and the first)."""
    changed = np.empty(len(sorted_array), dtype=bool)
    changed[:1] = True
    np.not_equal(sorted_array[1:], sorted_array[:-1], out=changed[1:])
    return changed


def _doubled_ranks(rows: _Sorted, best_first: np.ndarray) -> np.ndarray:
    """Twice each row's rank, as an integer, in the input's row order.

    A run of tied values spanning places a..b (counted from 0 within the
    group) shares the rank (a + b) / 2 + 1, so twice the rank is a + b + 2.
    Rows with no value get meaningless numbers, to be masked by the caller.
    """
    sorted_codes = rows.codes[rows.order]
    place = np.arange(len(rows.order)) - rows.starts[sorted_codes]

    run_starts = _changes(sorted_codes) | _changes(best_first[rows.order])
    run_ids = np.cumsum(run_starts) - 1
    run_ends = np.empty_like(run_starts)
    run_ends[:-1] = run_starts[1:]
    run_ends[-1:] = True
    doubled = place[run_starts][run_ids] + place[run_ends][run_ids] + 2

    in_input_order = np.empty_like(doubled)
    in_input_order[rows.order] = doubled
    return in_input_order


def _bands(excess: np.ndarray, fifth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Band codes and quintiles from an exact comparison of p with k / 5.

    `excess` is 10(rank - 1) and `fifth` is 2(n - 1), both integers, so that
    p <= k / 5 exactly when excess <= k * fifth. Band codes index
    `_BAND_NAMES`.
    """
    quintile = np.select(
        [excess <= fifth, excess <= 2 * fifth, excess < 3 * fifth, excess < 4 * fifth],
        [1, 2, 3, 4],
        default=5,
    )
    band_code = np.select([quintile == 1, quintile == 5], [1, 3], default=2)
    return band_code, quintile


def _results(
    values: pd.DataFrame, rows: _Sorted, best_first: np.ndarray
) -> pd.DataFrame:
    """The input rows with each LA's count, rank, position, band and quintile."""
    n = rows.n[rows.codes]
    ranked = ~np.isnan(best_first) & (n >= MIN_LAS_FOR_BANDS)
    doubled = _doubled_ranks(rows, best_first)

    # Only ranked rows are guaranteed n - 1 >= 4, so the others divide by 1.
    safe_gaps = np.where(ranked, n - 1, 1)
    band_code, quintile = _bands(5 * (doubled - 2), 2 * safe_gaps)
    band_code = np.where(ranked, band_code, 0)

    added = pd.DataFrame(
        {
            "n": n,
            "rank": np.where(ranked, doubled / 2, np.nan),
            "position": np.where(ranked, (doubled - 2) / (2 * safe_gaps), np.nan),
            "band": pd.array(_BAND_NAMES[band_code], dtype="str"),
            "quintile": pd.arrays.IntegerArray(quintile.astype("int64"), ~ranked),
        },
        index=values.index,
    )
    return pd.concat([values, added], axis=1)


def _comparators(
    values: pd.DataFrame, rows: _Sorted, value: np.ndarray
) -> pd.DataFrame:
    """Each group's count, mean, median and summed rate of the LA values."""
    first_rows = rows.order[rows.starts]
    comparators = values[KEYS].take(first_rows).reset_index(drop=True)

    has_value = ~np.isnan(value)
    totals = np.bincount(rows.codes[has_value], value[has_value], minlength=len(rows.n))
    multiplier = _floats(values, "multiplier", default=1.0)[first_rows]

    comparators["n"] = rows.n
    comparators["mean"] = _divide(totals, rows.n)
    comparators["median"] = _medians(rows, value)
    comparators["rate"] = _rates(values, rows) * np.nan_to_num(multiplier, nan=1.0)
    return comparators


def _medians(rows: _Sorted, value: np.ndarray) -> np.ndarray:
    """Each group's median, read off the sorted order (NaN when n is 0).

    Within a group the values run monotonically, up or down, with missing
    ones last, so the middle one or two are the median either way.
    """
    if not len(rows.order):
        return np.full(len(rows.n), np.nan)

    sorted_values = value[rows.order]
    last = len(sorted_values) - 1
    lower = np.clip(rows.starts + (rows.n - 1) // 2, 0, last)
    upper = np.clip(rows.starts + rows.n // 2, 0, last)
    middle = (sorted_values[lower] + sorted_values[upper]) / 2
    return np.where(rows.n > 0, middle, np.nan)


def _rates(values: pd.DataFrame, rows: _Sorted) -> np.ndarray:
    """Summed numerators over summed denominators, where LAs gave both."""
    numerator = _floats(values, "numerator")
    denominator = _floats(values, "denominator")
    both = (
        ~np.isnan(numerator) & ~np.isnan(denominator) & ~_repeated_share(values, rows)
    )

    codes = rows.codes[both]
    numerators = np.bincount(codes, numerator[both], minlength=len(rows.n))
    denominators = np.bincount(codes, denominator[both], minlength=len(rows.n))
    return _divide(numerators, denominators)


def _repeated_share(values: pd.DataFrame, rows: _Sorted) -> np.ndarray:
    """True for the second and later LAs of a jointly reported figure (the
    same `shared_with`, such as `314 / 318`) in a group: their numerator and
    denominator are the first one's, and must be summed only once."""
    if "shared_with" not in values:
        return np.zeros(len(values), dtype=bool)
    shared = values["shared_with"].fillna("").astype(str).to_numpy()
    keys = pd.DataFrame({"group": rows.codes, "shared": shared})
    return keys.duplicated().to_numpy() & (shared != "")


def _divide(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """top / bottom, with NaN wherever bottom is zero (and no warning)."""
    quotient = np.full(len(top), np.nan)
    np.divide(top, bottom, out=quotient, where=bottom != 0)
    return quotient
