"""The tartan rug as an XLSX workbook, in the same colours as the page."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import BenchmarkBuild
from .rug import rug_build

RULE = (
    "Rule: LAs with no value (missing, suppressed or not applicable) are left "
    "out; n is the number left, and with n < 5 no positions or bands are given. "
    "LAs are ordered best to worst (highest first where higher is better or "
    "neither is, lowest first where lower is better); rank is the place in that "
    "order, tied values sharing the average of the places they span (7 and 8 "
    "tied are both 7.5); position = (rank - 1) / (n - 1). Top 20% if position "
    "<= 0.2, bottom 20% if position >= 0.8, otherwise middle; where neither "
    "direction is better these are the highest and lowest 20%, with no judgement "
    "of good or bad. Quintile 1 if position <= 0.2, 2 if <= 0.4, 3 if < 0.6, "
    "4 if < 0.8, 5 if >= 0.8."
)


def rug_workbook(build: BenchmarkBuild, group: str) -> bytes:
    """One row per indicator, one column per LA: value and band in each cell's
    text, quintile in its fill, then the comparators."""
    rug = rug_build(build, group)
    book = Workbook()
    sheet = book.active
    sheet.title = "Tartan rug"

    sheet.append([f"London RIA benchmark, {build.period.label}, group {group}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([RULE])
    sheet.append([])

    header = ["Indicator", *[a.name for a in rug.authorities]]
    header += ["Group mean", "Group median", "London rate"]
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    for row in rug.rows:
        values = [row.indicator.name]
        for cell in row.cells:
            values.append(_cell_text(cell))
        comparator = row.comparator
        values += [
            _rounded(comparator.mean if comparator else None, row.indicator),
            _rounded(comparator.median if comparator else None, row.indicator),
            _rounded(comparator.rate if comparator else None, row.indicator),
        ]
        sheet.append(values)
        excel_row = sheet.max_row
        for offset, cell in enumerate(row.cells, start=2):
            target = sheet.cell(excel_row, offset)
            target.alignment = Alignment(wrap_text=True, vertical="top")
            if cell is not None:
                colour = cell.colour.lstrip("#").upper()
                target.fill = PatternFill("solid", start_color=colour, end_color=colour)

    sheet.column_dimensions["A"].width = 48
    for column in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.freeze_panes = "B5"
    _never_formulas(sheet)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell_text(cell) -> str:
    """Value and band; and, for a figure two LAs report together, so."""
    if cell is None:
        return ""
    text = f"{cell.display}\n{cell.band}"
    if cell.result.shared_with:
        text += f"\nReported jointly: {cell.result.shared_with}"
    return text


def _rounded(number, indicator):
    if number is None:
        return None
    return round(float(number), indicator.decimal_places)


def _never_formulas(sheet) -> None:
    """Names come from the admin; one starting with = must stay text."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
                cell.quotePrefix = True
