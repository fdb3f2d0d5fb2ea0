"""The quarterly return as a spreadsheet: the template an LA downloads, and
the reading of the file it uploads (DESIGN.md section 8).

The template is the portal's own: a "Return" sheet with a title block that
names the LA and period, and a table with one row per core indicator. An
upload is checked against the same rules as the browser form
(`validation.validate_entry` and `soft_warnings`) and is all or nothing: either
every row is usable, or the LA gets every problem by row and column and the
portal saves nothing.
"""

import datetime
import logging
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from authorities.models import LocalAuthority

from .models import Indicator, Return, ReturnValue
from .selectors import WarningContext, return_values_by_indicator, warning_context
from .services import values_version
from .validation import CleanEntry, RawEntry, soft_warnings, validate_entry

logger = logging.getLogger(__name__)

RETURN_SHEET = "Return"
HELP_SHEET = "How to fill in"

# The title block: fixed cells that the upload checks, so that a file cannot
# land on another LA's return or another quarter.
AUTHORITY_CELL = (3, "B")
DFE_CODE_CELL = (4, "B")
PERIOD_CELL = (5, "B")
# The values' version when the template was made (services.values_version), so
# an upload cannot quietly undo figures saved after the download.
VERSION_CELL = (5, "E")
HEADING_ROW = 8
FIRST_DATA_ROW = HEADING_ROW + 1

# Far more rows than the catalogue will ever have; anything beyond is refused
# rather than read.
MAX_ROWS = 500
# A few megabytes of compressed XML can unpack to gigabytes; refuse before
# openpyxl tries.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

# Text that a spreadsheet program would treat as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NOT_A_SPREADSHEET = (
    "The selected file must be an Excel spreadsheet saved as .xlsx. Download the "
    "template from this page, fill it in and upload it without changing its type"
)


@dataclass(frozen=True)
class Column:
    letter: str
    heading: str
    width: int
    # The RawEntry field the column fills, if the LA types into it.
    field: str = ""


COLUMNS = (
    Column("A", "Code", 14),
    Column("B", "Indicator", 45),
    Column("C", "Unit", 20),
    Column("D", "Numerator: what to count", 45),
    Column("E", "Numerator", 14, "numerator"),
    Column("F", "Denominator: what to count", 45),
    Column("G", "Denominator", 14, "denominator"),
    Column("H", "Value", 14, "value"),
    Column("I", "No value", 10, "no_value"),
    Column("J", "Reason for no value", 40, "missing_reason"),
    Column("K", "Reason for confirming an unusual value", 40, "warning_reason"),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS if c.field}
COLUMN_BY_LETTER = {c.letter: c for c in COLUMNS}
CODE_COLUMN = "A"

_HEADING_FILL = PatternFill("solid", fgColor="D9D9D9")
_LOCKED_FILL = PatternFill("solid", fgColor="F3F2F1")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Problem:
    """Something wrong with an uploaded file, in the terms of the sheet."""

    message: str
    row: int | None = None
    column: str | None = None
    # The code of the indicator on that row, when the row has a known one.
    code: str = ""

    @property
    def column_heading(self) -> str:
        # The title block above the table has no column headings.
        if self.row is not None and self.row < HEADING_ROW:
            return ""
        column = COLUMN_BY_LETTER.get(self.column or "")
        return column.heading if column else ""

    @property
    def location(self) -> str:
        """Where to look, e.g. "Row 12, column E"."""
        if self.row and self.column:
            return f"Row {self.row}, column {self.column}"
        if self.row:
            return f"Row {self.row}"
        if self.column:
            return f"Column {self.column}"
        return "The whole file"


@dataclass
class ParseResult:
    """Either the entries to save or the problems that stop the upload."""

    entries: dict[Indicator, CleanEntry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # None for a file without a readable version: nothing to compare.
    version: int | None = None

    @property
    def is_valid(self) -> bool:
        return not self.problems


def return_template_filename(ret: Return) -> str:
    """A name that says whose return it is, e.g.
    `ria-return-202-camden-2025-26-q2.xlsx`."""
    authority = ret.authority
    who = f"{authority.dfe_code}-{slugify(authority.name)}"
    return f"ria-return-{who}-{ret.period.slug}.xlsx"


# --- The template --------------------------------------------------------


def return_template_workbook(ret: Return) -> bytes:
    """The return as an XLSX file, filled in with what is already saved."""
    indicators = list(Indicator.objects.core())
    saved = return_values_by_indicator(ret)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = RETURN_SHEET
    _write_title_block(sheet, ret)
    _write_table(sheet, indicators, saved)
    _write_help(workbook.create_sheet(HELP_SHEET), ret, indicators)
    workbook.properties.creator = "London RIA portal"

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_title_block(sheet: Worksheet, ret: Return) -> None:
    sheet["A1"] = "London RIA quarterly return"
    sheet["A1"].font = Font(bold=True, size=14)
    for (row, letter), label, value in (
        (AUTHORITY_CELL, "Local authority", ret.authority.name),
        (DFE_CODE_CELL, "DfE code", ret.authority.dfe_code),
        (PERIOD_CELL, "Period", ret.period.label),
    ):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        _set_text(sheet[f"{letter}{row}"], value)
    row, letter = VERSION_CELL
    sheet.cell(row=row, column=4, value="Template version").font = Font(bold=True)
    sheet[f"{letter}{row}"] = values_version(ret, list(Indicator.objects.core()))
    sheet["A6"] = (
        "Fill in the table below. Do not change the cells above, the codes in "
        f"column A or the column headings. The ‘{HELP_SHEET}’ sheet explains "
        "each column."
    )


def _write_table(
    sheet: Worksheet, indicators: list[Indicator], saved: dict[int, ReturnValue]
) -> None:
    for column in COLUMNS:
        cell = sheet[f"{column.letter}{HEADING_ROW}"]
        cell.value = column.heading
        cell.font = Font(bold=True)
        cell.fill = _HEADING_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[column.letter].width = column.width
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"

    no_value = DataValidation(
        type="list",
        formula1='"Yes"',
        allow_blank=True,
        error="Put Yes, or leave the cell blank.",
        errorTitle="No value",
    )
    sheet.add_data_validation(no_value)

    for row, indicator in enumerate(indicators, start=FIRST_DATA_ROW):
        _write_indicator_row(sheet, row, indicator, saved.get(indicator.pk))
        no_value.add(f"I{row}")

    # Locked cells keep the codes and labels the upload relies on; the LA can
    # still resize columns and rows. There is no password: this guards against
    # slips, not against anyone determined.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _write_indicator_row(
    sheet: Worksheet, row: int, indicator: Indicator, saved: ReturnValue | None
) -> None:
    cells = {c.letter: sheet[f"{c.letter}{row}"] for c in COLUMNS}
    _set_text(cells["A"], indicator.code)
    _set_text(cells["B"], indicator.name)
    _set_text(cells["C"], indicator.get_unit_display())

    editable = ["I", "J", "K"]
    if indicator.has_components:
        _set_text(cells["D"], indicator.numerator_label)
        _set_text(cells["F"], indicator.denominator_label)
        editable += ["E", "G"]
        # Shown for reference only: the portal works the value out.
        cells["H"].fill = _LOCKED_FILL
    else:
        for letter in ("D", "E", "F", "G"):
            cells[letter].fill = _LOCKED_FILL
        editable.append("H")

    for letter, cell in cells.items():
        cell.alignment = _WRAP
        if letter in editable:
            cell.protection = Protection(locked=False)

    if saved is None:
        return
    if indicator.has_components:
        cells["E"].value = _number_for_cell(saved.numerator)
        cells["G"].value = _number_for_cell(saved.denominator)
        _set_text(cells["H"], indicator.format_value(saved.value))
    else:
        cells["H"].value = _number_for_cell(saved.value)
    if saved.is_missing:
        _set_text(cells["I"], "Yes")
    _set_text(cells["J"], saved.missing_reason)
    _set_text(cells["K"], saved.warning_reason)


def _write_help(sheet: Worksheet, ret: Return, indicators: list[Indicator]) -> None:
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 100
    sheet["A1"] = "How to fill in the quarterly return"
    sheet["A1"].font = Font(bold=True, size=14)
    _set_text(
        sheet["A2"],
        f"This file is for {ret.authority.name} ({ret.authority.dfe_code}), "
        f"{ret.period.label}. Upload it only to that return.",
    )

    steps = [
        f"Fill in one row for each indicator on the ‘{RETURN_SHEET}’ sheet. Do "
        "not change the cells above the table, the codes in column A, the column "
        "headings or the names of the sheets.",
        "For an indicator with a numerator and a denominator, enter both numbers "
        "in columns E and G. The portal works out the value; column H shows the "
        "value saved in the portal when you downloaded this file.",
        "For an indicator without a numerator and denominator, enter the value "
        "itself in column H.",
        "Enter numbers only: no % signs, units or formulas. Commas between "
        "thousands are fine. Use at most 4 decimal places.",
        "If there is no value, leave the numbers blank, put Yes in column I "
        "(No value) and explain why in column J.",
        "If a value is far from your recent quarters or outside the London range, "
        "the portal asks you to confirm it. If the figure is right, say why in "
        "column K.",
        "A row left blank counts as not answered yet. It does not clear anything "
        "already saved in the portal.",
        "Upload the file from the return’s page in the portal. If anything needs "
        "fixing, the portal lists every problem by row and column and saves "
        "nothing until the whole file is right.",
    ]
    for number, step in enumerate(steps, start=1):
        row = 3 + number
        sheet.cell(row=row, column=1, value=f"Step {number}")
        _set_text(sheet.cell(row=row, column=2), step).alignment = _WRAP

    heading_row = 5 + len(steps)
    sheet.cell(row=heading_row, column=1, value="What each indicator measures")
    sheet.cell(row=heading_row, column=1).font = Font(bold=True)
    for row, indicator in enumerate(indicators, start=heading_row + 1):
        _set_text(sheet.cell(row=row, column=1), indicator.code)
        definition = _set_text(sheet.cell(row=row, column=2), indicator.definition)
        definition.alignment = _WRAP


def _set_text(cell: Cell, text: str) -> Cell:
    """Write `text` so that no spreadsheet program runs it as a formula.

    openpyxl turns any string starting with "=" into a formula, and Excel
    does the same to "+", "-" and "@" when someone edits the cell; a saved
    reason such as '=HYPERLINK(...)' must come back as the words typed.

    Control characters, such as the vertical tab Word uses for a line break,
    become spaces: openpyxl refuses to write them at all.
    """
    if not text:
        return cell
    cell.value = ILLEGAL_CHARACTERS_RE.sub(" ", text)
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


def _number_for_cell(number: Decimal | None) -> int | float | None:
    if number is None:
        return None
    if number == number.to_integral_value():
        return int(number)
    return float(number)


# --- Reading an upload ---------------------------------------------------


@dataclass(frozen=True)
class CellData:
    """What one uploaded cell held, detached from openpyxl."""

    value: Any = None
    is_formula: bool = False
    number_format: str = "General"

    @property
    def is_blank(self) -> bool:
        return self.value is None or (
            isinstance(self.value, str) and not self.value.strip()
        )


EMPTY = CellData()

# Row number to the row's cells, A to K, for rows with anything in them.
Rows = dict[int, tuple[CellData, ...]]


def return_parse_upload(ret: Return, uploaded_file: UploadedFile) -> ParseResult:
    """Read an uploaded template into entries for `return_save_values`.

    All or nothing: if anything is wrong, the result holds every problem and
    no entries. A row with a code and nothing else is not answered yet and is
    left out, so it changes nothing already saved.
    """
    limit = settings.RETURN_UPLOAD_MAX_BYTES
    if uploaded_file.size is not None and uploaded_file.size > limit:
        return _refuse(
            Problem(
                f"The selected file must be smaller than {filesizeformat(limit)}. "
                "Upload the portal’s template, which is much smaller"
            )
        )

    rows, problem = _read_return_sheet(uploaded_file.read())
    if problem:
        return _refuse(problem)

    problems = _check_title_block(ret, rows) or _check_headings(rows)
    if problems:
        return _refuse(*problems)

    result = _read_entries(ret, rows)
    result.version = _read_version(rows)
    if result.problems:
        logger.info(
            "Upload to return %s refused with %s problems",
            ret.pk,
            len(result.problems),
        )
        return _refuse(*result.problems)
    return result


def _refuse(*problems: Problem) -> ParseResult:
    return ParseResult(problems=list(problems))


def _read_return_sheet(data: bytes) -> tuple[Rows, Problem | None]:
    """The non-empty rows of the "Return" sheet, or why they cannot be read."""
    if not zipfile.is_zipfile(BytesIO(data)):
        return {}, Problem(NOT_A_SPREADSHEET)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}, Problem(NOT_A_SPREADSHEET)
    if unpacked > MAX_UNPACKED_BYTES:
        return {}, Problem(
            "The selected file holds far more than the return needs. Download a "
            "new template and copy your figures into it"
        )

    # A damaged or foreign file can fail anywhere inside openpyxl, and
    # read-only mode parses lazily, so the rows are read inside the guard.
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception as error:
        logger.warning("Uploaded file could not be opened as XLSX: %r", error)
        return {}, Problem(NOT_A_SPREADSHEET)
    try:
        if RETURN_SHEET not in workbook.sheetnames:
            found = ", ".join(f"‘{name}’" for name in workbook.sheetnames)
            return {}, Problem(
                f"The spreadsheet must have a sheet called ‘{RETURN_SHEET}’; this "
                f"one has {found}. Use the portal’s template without renaming "
                "its sheets"
            )
        return _rows_of(workbook[RETURN_SHEET])
    except Exception:
        logger.warning("Uploaded XLSX could not be read", exc_info=True)
        return {}, Problem(NOT_A_SPREADSHEET)
    finally:
        workbook.close()


def _rows_of(sheet: ReadOnlyWorksheet) -> tuple[Rows, Problem | None]:
    rows: Rows = {}
    for cells in sheet.iter_rows(max_col=len(COLUMNS)):
        data = tuple(_cell_data(cell) for cell in cells)
        if all(cell.is_blank for cell in data):
            continue
        number = next(c.row for c in cells if getattr(c, "row", None))
        if number > MAX_ROWS:
            return {}, Problem(
                f"The ‘{RETURN_SHEET}’ sheet has something in row {number}. The "
                f"return uses fewer than {MAX_ROWS} rows: delete the rest",
                row=number,
            )
        # Short rows (fewer cells than columns) are padded to A to K.
        rows[number] = data + (EMPTY,) * (len(COLUMNS) - len(data))
    return rows, None


def _cell_data(cell: Any) -> CellData:
    value = cell.value
    if value is None:
        return EMPTY
    is_formula = cell.data_type == "f" or isinstance(value, ArrayFormula)
    if isinstance(value, ArrayFormula):
        value = value.text or ""
    return CellData(value, is_formula, cell.number_format or "General")


def _cell(rows: Rows, row: int, letter: str) -> CellData:
    cells = rows.get(row)
    if cells is None:
        return EMPTY
    return cells[ord(letter) - ord("A")]


def _read_version(rows: Rows) -> int | None:
    row, letter = VERSION_CELL
    value = _cell(rows, row, letter).value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _check_title_block(ret: Return, rows: Rows) -> list[Problem]:
    problems = []
    authority = ret.authority

    row, letter = DFE_CODE_CELL
    code = _plain_text(_cell(rows, row, letter))
    if code != authority.dfe_code:
        other = LocalAuthority.objects.filter(dfe_code=code).first()
        if other is not None:
            message = (
                f"This spreadsheet is for {other.name} ({other.dfe_code}), but you "
                f"are uploading to {authority.name}’s return. Use "
                f"{authority.name}’s spreadsheet"
            )
        else:
            message = (
                f"Cell {letter}{row} must hold {authority.name}’s DfE code, "
                f"{authority.dfe_code}. Download a new template for this return"
            )
        problems.append(Problem(message, row=row, column=letter))

    row, letter = PERIOD_CELL
    label = _plain_text(_cell(rows, row, letter))
    if label != ret.period.label:
        found = f"for {label}" if label else "not for any period"
        problems.append(
            Problem(
                f"This spreadsheet is {found}, but you are uploading to the "
                f"{ret.period.label} return. Use the spreadsheet for "
                f"{ret.period.label}",
                row=row,
                column=letter,
            )
        )
    return problems


def _check_headings(rows: Rows) -> list[Problem]:
    # Checked so that a moved or inserted column cannot put numerators where
    # the portal reads denominators.
    for column in COLUMNS:
        found = _plain_text(_cell(rows, HEADING_ROW, column.letter))
        if found.casefold() != column.heading.casefold():
            return [
                Problem(
                    f"Column {column.letter} must be headed ‘{column.heading}’ in "
                    f"row {HEADING_ROW}. Do not add, remove or move columns in the "
                    "template",
                    row=HEADING_ROW,
                    column=column.letter,
                )
            ]
    return []


def _read_entries(ret: Return, rows: Rows) -> ParseResult:
    indicators = {i.code.upper(): i for i in Indicator.objects.core()}
    context = None
    result = ParseResult()
    seen: dict[str, int] = {}

    for row in sorted(r for r in rows if r > HEADING_ROW):
        indicator, problem = _row_indicator(rows, row, indicators, seen)
        if problem:
            result.problems.append(problem)
        if indicator is None:
            continue

        raw, problems = _raw_entry(rows, row, indicator)
        if raw.is_blank and not problems:
            continue  # Not answered yet.
        clean, more = _validate_row(indicator, raw, row, skip=problems)
        problems += more
        if clean is not None and clean.value is not None:
            context = context or warning_context(ret)
            problems += _check_warnings(ret, indicator, clean, row, context)

        result.problems += problems
        if clean is not None and not problems:
            result.entries[indicator] = clean

    for code, indicator in indicators.items():
        if code not in seen:
            result.problems.append(
                Problem(
                    f"There is no row for {code} ({indicator.name}). Put its row "
                    "back, or download a new template",
                    column=CODE_COLUMN,
                    code=code,
                )
            )
    if result.problems:
        result.entries = {}
    return result


def _row_indicator(
    rows: Rows, row: int, indicators: dict[str, Indicator], seen: dict[str, int]
) -> tuple[Indicator | None, Problem | None]:
    code = _plain_text(_cell(rows, row, CODE_COLUMN)).upper()
    if not code:
        return None, Problem(
            "Enter the indicator code for this row, or delete the row",
            row=row,
            column=CODE_COLUMN,
        )
    indicator = indicators.get(code)
    if indicator is None:
        return None, Problem(
            f"‘{code}’ is not an indicator in this return. Use the codes in the "
            "template",
            row=row,
            column=CODE_COLUMN,
        )
    if code in seen:
        return None, Problem(
            f"{code} is already in row {seen[code]}. Give each indicator one row",
            row=row,
            column=CODE_COLUMN,
            code=code,
        )
    seen[code] = row
    return indicator, None


def _raw_entry(
    rows: Rows, row: int, indicator: Indicator
) -> tuple[RawEntry, list[Problem]]:
    """The row as typed, and the cells that cannot even be read as typed."""
    problems = []

    def number(field_name: str) -> str:
        letter = COLUMN_BY_FIELD[field_name].letter
        text, message = _number_text(_cell(rows, row, letter))
        if message:
            problems.append(Problem(message, row, letter, indicator.code))
        return text

    def text(field_name: str) -> str:
        return _plain_text(_cell(rows, row, COLUMN_BY_FIELD[field_name].letter))

    # Only the columns that apply to this indicator are read; the others are
    # locked in the template and hold labels or the saved value for reference.
    if indicator.has_components:
        numerator, denominator, value = number("numerator"), number("denominator"), ""
    else:
        numerator, denominator, value = "", "", number("value")

    letter = COLUMN_BY_FIELD["no_value"].letter
    no_value, message = _yes_or_blank(_cell(rows, row, letter))
    if message:
        problems.append(Problem(message, row, letter, indicator.code))

    raw = RawEntry(
        numerator=numerator,
        denominator=denominator,
        value=value,
        no_value=no_value,
        missing_reason=text("missing_reason"),
        warning_reason=text("warning_reason"),
    )
    return raw, problems


def _validate_row(
    indicator: Indicator, raw: RawEntry, row: int, skip: list[Problem]
) -> tuple[CleanEntry | None, list[Problem]]:
    result = validate_entry(indicator, raw)
    reported = {p.column for p in skip}
    if COLUMN_BY_FIELD["no_value"].letter in reported:
        # Without knowing whether the LA meant "no value", any other message
        # about the row would be a guess.
        return None, []
    problems = []
    for field_name, message in result.errors.items():
        letter = COLUMN_BY_FIELD[field_name].letter
        # A cell already reported as unreadable would otherwise also be
        # reported as empty.
        if letter not in reported:
            problems.append(Problem(message, row, letter, indicator.code))
    return (None if skip else result.clean), problems


def _check_warnings(
    ret: Return,
    indicator: Indicator,
    clean: CleanEntry,
    row: int,
    context: WarningContext,
) -> list[Problem]:
    """Ask for a reason for an unusual value, as the browser form does.

    Like the browser form, this drops a reason once the value no longer looks
    unusual: the reason only means something next to a warning.
    """
    warnings = soft_warnings(
        indicator,
        clean.value,
        own_history=context.own_history.get(indicator.pk, []),
        london_range=context.london_range.get(indicator.pk),
        authority_name=ret.authority.name,
    )
    if not warnings:
        clean.warning_reason = ""
        return []
    if clean.warning_reason:
        return []
    column = COLUMN_BY_FIELD["warning_reason"]
    reasons = "; and ".join(warnings)
    return [
        Problem(
            f"{reasons[:1].upper()}{reasons[1:]}. Check the figures. If they are "
            f"right, say why in column {column.letter} ({column.heading})",
            row=row,
            column=column.letter,
            code=indicator.code,
        )
    ]


def _plain_text(cell: CellData) -> str:
    """A cell as text. A formula in a text column is kept as the words typed,
    never worked out: someone who wrote "=1+1" as a reason meant that."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number_text(cell: CellData) -> tuple[str, str]:
    """A number cell as the text `validate_entry` reads, or why it cannot be."""
    value = cell.value
    if cell.is_blank:
        return "", ""
    if cell.is_formula:
        return "", (
            "Enter a number, not a formula. Copy the cell and paste it back as a value"
        )
    if isinstance(value, bool):
        return "", "Enter a number, not TRUE or FALSE"
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        return "", "Enter a number, not a date or time"
    if isinstance(value, int | float):
        if "%" in cell.number_format:
            return "", (
                "Enter the number without a % sign, like 37.5, in a cell that is "
                "not formatted as a percentage"
            )
        return (str(value) if isinstance(value, int) else repr(value)), ""
    return str(value).strip(), ""


def _yes_or_blank(cell: CellData) -> tuple[bool, str]:
    value = cell.value
    if cell.is_blank:
        return False, ""
    if isinstance(value, bool) and not cell.is_formula:
        return value, ""
    if isinstance(value, str) and not cell.is_formula:
        answer = value.strip().casefold()
        if answer in {"yes", "y"}:
            return True, ""
        if answer in {"no", "n"}:
            return False, ""
    return False, "Put Yes if there is no value, or leave the cell blank"
