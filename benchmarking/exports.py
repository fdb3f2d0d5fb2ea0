"""Benchmark results as rows for CSV and XLSX downloads and the export command."""

import csv
import io

from .models import BenchmarkBuild
from .selectors import build_comparators, build_results

EXPORT_COLUMNS = [
    "period",
    "indicator",
    "la_code",
    "la_name",
    "value",
    "suppression",
    "rank",
    "position",
    "band",
    "quintile",
    "london_mean",
    "london_median",
]


def export_rows(build: BenchmarkBuild, group: str) -> list[list]:
    """One row per indicator and LA in `group`, in EXPORT_COLUMNS order.

    `london_mean` and `london_median` are those of the comparison group the
    rows were ranked in: all London unless another group is asked for.
    """
    comparators = build_comparators(build, group)
    rows = []
    for result in build_results(build, group):
        comparator = comparators.get(result.indicator_id)
        rows.append(
            [
                build.period.label,
                result.indicator.code,
                result.authority.dfe_code,
                result.authority.name,
                _plain(result.value),
                result.suppression,
                _plain(result.rank),
                "" if result.position is None else f"{result.position:.4f}",
                result.band,
                "" if result.quintile is None else result.quintile,
                _plain(comparator.mean if comparator else None),
                _plain(comparator.median if comparator else None),
            ]
        )
    return rows


def export_csv(build: BenchmarkBuild, group: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in export_rows(build, group):
        writer.writerow([_safe_text(cell) for cell in row])
    return buffer.getvalue()


def _plain(number) -> str:
    """A number without trailing zeros or exponent; blank for none."""
    if number is None:
        return ""
    text = f"{float(number):.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _safe_text(cell):
    """Stop a spreadsheet from reading an LA name or symbol as a formula."""
    text = str(cell)
    if text[:1] in ("=", "+", "@", "\t", "\r") or (
        text[:1] == "-" and not _is_number(text)
    ):
        return "'" + text
    return cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
