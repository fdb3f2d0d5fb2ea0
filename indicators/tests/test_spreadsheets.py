"""The spreadsheet route: the template an LA downloads and the upload that
reads it back, all or nothing."""

import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from indicators import spreadsheets
from indicators.models import (
    Indicator,
    Polarity,
    ReturnStatus,
    ReturnTransition,
    ReturnValue,
    SourceCollection,
    Unit,
    ValueChange,
)
from indicators.periods import PeriodKey
from indicators.services import period_get_or_create, return_save_values
from indicators.validation import CleanEntry

D = Decimal
XLSX = spreadsheets.XLSX_CONTENT_TYPE


# --- Helpers -------------------------------------------------------------


def download_url(ret):
    return reverse("indicators:return-spreadsheet", args=[ret.pk])


def upload_url(ret):
    return reverse("indicators:return-upload", args=[ret.pk])


def template(ret) -> Workbook:
    """The return's template, opened for editing as an LA would."""
    return load_workbook(BytesIO(spreadsheets.return_template_workbook(ret)))


def to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_of(workbook: Workbook, code: str) -> int:
    sheet = workbook[spreadsheets.RETURN_SHEET]
    for row in range(spreadsheets.FIRST_DATA_ROW, sheet.max_row + 1):
        if sheet[f"A{row}"].value == code:
            return row
    raise AssertionError(f"No row for {code}")


def fill(workbook: Workbook, code: str, **cells) -> int:
    """Type into the row of `code`, by column letter, e.g. E=45."""
    sheet = workbook[spreadsheets.RETURN_SHEET]
    row = row_of(workbook, code)
    for letter, value in cells.items():
        sheet[f"{letter}{row}"] = value
    return row


def as_upload(data: bytes, name: str = "return.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def post_file(client, ret, data: bytes, name: str = "return.xlsx"):
    return client.post(upload_url(ret), {"spreadsheet": as_upload(data, name)})


def snapshot(ret):
    """Everything an upload could change."""
    ret.refresh_from_db()
    return (
        ReturnValue.objects.count(),
        ValueChange.objects.count(),
        ReturnTransition.objects.count(),
        ret.status,
        list(ReturnValue.objects.values_list("indicator__code", "value")),
    )


def parse(ret, workbook_or_bytes):
    data = workbook_or_bytes
    if isinstance(data, Workbook):
        data = to_bytes(data)
    return spreadsheets.return_parse_upload(ret, as_upload(data))


def locations(result) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.column) for p in result.problems}


def save(ret, user, **entries):
    codes = Indicator.objects.in_bulk(list(entries), field_name="code")
    return_save_values(
        ret=ret,
        actor=user,
        entries={codes[code]: entry for code, entry in entries.items()},
    )


@pytest.fixture
def direct_indicator(db):
    """An indicator the LA enters as a value, not as a fraction."""
    return Indicator.objects.create(
        code="AUDITS",
        name="Case audits completed",
        definition="Case file audits completed in the quarter.",
        unit=Unit.COUNT,
        decimal_places=0,
        polarity=Polarity.NEITHER,
        source=SourceCollection.CIN,
        display_order=5,
    )


@pytest.fixture
def london_last_quarter(camden, islington, quarter):
    """Accepted values for 2025-26 Q1, making REF_RATE's London range 100 to 120."""
    earlier = period_get_or_create(PeriodKey(2025, 1))
    ref_rate = Indicator.objects.get(code="REF_RATE")
    for authority, value in ((camden, D(100)), (islington, D(120))):
        ret = earlier.returns.get(authority=authority)
        ret.status = ReturnStatus.ACCEPTED
        ret.save()
        ReturnValue.objects.create(return_obj=ret, indicator=ref_rate, value=value)
    return earlier


# --- The template --------------------------------------------------------


def test_template_names_the_la_and_period_in_the_title_block(camden_return):
    sheet = template(camden_return)[spreadsheets.RETURN_SHEET]

    assert sheet["B3"].value == "Camden"
    assert sheet["B4"].value == "202"
    assert sheet["B5"].value == "2025-26 Q2"


def test_template_has_a_row_per_core_indicator_under_a_frozen_bold_heading(
    camden_return,
):
    workbook = template(camden_return)
    sheet = workbook[spreadsheets.RETURN_SHEET]
    heading = spreadsheets.HEADING_ROW

    assert workbook.sheetnames == ["Return", "How to fill in"]
    assert [c.value for c in sheet[heading]][:11] == [
        "Code",
        "Indicator",
        "Unit",
        "Numerator: what to count",
        "Numerator",
        "Denominator: what to count",
        "Denominator",
        "Value",
        "No value",
        "Reason for no value",
        "Reason for confirming an unusual value",
    ]
    assert all(c.font.bold for c in sheet[heading])
    assert sheet.freeze_panes == f"A{heading + 1}"
    assert sheet.column_dimensions["B"].width > 30
    codes = [sheet[f"A{r}"].value for r in range(heading + 1, sheet.max_row + 1)]
    assert codes == list(Indicator.objects.core().values_list("code", flat=True))


def test_template_locks_labels_and_leaves_the_answer_cells_open(camden_return):
    workbook = template(camden_return)
    sheet = workbook[spreadsheets.RETURN_SHEET]
    row = row_of(workbook, "REF_RATE")

    assert sheet.protection.sheet
    assert sheet[f"A{row}"].protection.locked
    assert sheet[f"H{row}"].protection.locked
    for letter in "EGIJK":
        assert not sheet[f"{letter}{row}"].protection.locked


def test_template_is_filled_in_with_what_is_saved(camden_return, editor):
    save(
        camden_return,
        editor,
        REF_RATE=CleanEntry(numerator=D(450), denominator=D("45000"), value=D("100")),
        CPP_REPEAT=CleanEntry(missing_reason="System migration"),
    )
    workbook = template(camden_return)
    sheet = workbook[spreadsheets.RETURN_SHEET]
    ref, cpp = row_of(workbook, "REF_RATE"), row_of(workbook, "CPP_REPEAT")

    assert (sheet[f"E{ref}"].value, sheet[f"G{ref}"].value) == (450, 45000)
    assert sheet[f"H{ref}"].value == "100.0 per 10,000"
    assert sheet[f"I{cpp}"].value == "Yes"
    assert sheet[f"J{cpp}"].value == "System migration"


def test_saved_text_that_looks_like_a_formula_is_exported_as_text(
    camden_return, editor
):
    save(
        camden_return,
        editor,
        CPP_REPEAT=CleanEntry(missing_reason='=HYPERLINK("x")'),
        CPP_2YRS=CleanEntry(missing_reason="-no data"),
    )
    workbook = template(camden_return)
    sheet = workbook[spreadsheets.RETURN_SHEET]

    formulas = [
        cell.coordinate
        for each in workbook.worksheets
        for row in each.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    cell = sheet[f"J{row_of(workbook, 'CPP_REPEAT')}"]
    assert cell.value == '=HYPERLINK("x")'
    assert cell.quotePrefix
    assert sheet[f"J{row_of(workbook, 'CPP_2YRS')}"].value == "-no data"


def test_template_explains_how_to_fill_it_in(camden_return):
    sheet = template(camden_return)["How to fill in"]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)

    assert "Camden (202), 2025-26 Q2" in text
    assert "Yes in column I" in text


# --- Reading an upload: the pure function --------------------------------


def test_a_template_uploaded_as_downloaded_has_no_entries_and_no_problems(
    camden_return,
):
    result = parse(camden_return, template(camden_return))

    assert result.is_valid
    assert result.entries == {}


def test_an_answered_row_becomes_a_clean_entry(camden_return):
    workbook = template(camden_return)
    fill(workbook, "REF_RATE", E="1,200", G=48000)
    fill(workbook, "CPP_REPEAT", I="yes", J="Not collected this quarter")

    result = parse(camden_return, workbook)

    assert result.problems == []
    entries = {i.code: e for i, e in result.entries.items()}
    assert entries["REF_RATE"].value == D(250)
    assert entries["CPP_REPEAT"].missing_reason == "Not collected this quarter"


def test_a_direct_value_is_read_from_the_value_column(camden_return, direct_indicator):
    workbook = template(camden_return)
    sheet = workbook[spreadsheets.RETURN_SHEET]
    row = fill(workbook, "AUDITS", H=42)

    assert not sheet[f"H{row}"].protection.locked
    result = parse(camden_return, workbook)
    assert result.entries[direct_indicator].value == D(42)


def test_every_bad_cell_is_reported_by_row_and_column(camden_return):
    workbook = template(camden_return)
    ref = fill(workbook, "REF_RATE", E="lots", G=0)
    reref = fill(workbook, "REREF_12M", E=50, G=40)
    cpp = fill(workbook, "CPP_REPEAT", I="Yes")
    fill(workbook, "CIN_RATE", E=100, G=50000)

    result = parse(camden_return, workbook)

    assert locations(result) == {
        (ref, "E"),
        (ref, "G"),
        (reref, "E"),
        (cpp, "J"),
    }
    assert result.entries == {}


def test_unknown_duplicated_and_missing_codes_are_problems(camden_return):
    workbook = template(camden_return)
    sheet = workbook[spreadsheets.RETURN_SHEET]
    first = row_of(workbook, "REF_RATE")
    sheet[f"A{first + 1}"] = "REF_RATE"  # Replaces REREF_12M's code.
    last = sheet.max_row + 1
    sheet[f"A{last}"] = "MADE_UP"
    sheet[f"A{last + 1}"] = None
    sheet[f"E{last + 1}"] = 12

    result = parse(camden_return, workbook)

    assert locations(result) == {
        (first + 1, "A"),
        (last, "A"),
        (last + 1, "A"),
        (None, "A"),
    }
    messages = " ".join(p.message for p in result.problems)
    assert "REF_RATE is already in row" in messages
    assert "‘MADE_UP’ is not an indicator" in messages
    assert "There is no row for REREF_12M" in messages


def test_a_blank_row_is_not_answered_and_does_not_clear_what_is_saved(
    camden_return, editor
):
    save(
        camden_return,
        editor,
        REF_RATE=CleanEntry(numerator=D(1), denominator=D(100), value=D(100)),
    )
    workbook = template(camden_return)
    fill(workbook, "REF_RATE", E=None, G=None, H=None)

    result = parse(camden_return, workbook)

    assert result.is_valid
    assert result.entries == {}


def test_a_formula_in_a_number_column_is_a_problem(camden_return):
    workbook = template(camden_return)
    row = fill(workbook, "REF_RATE", E="=SUM(1,2)", G=50000)

    result = parse(camden_return, workbook)

    assert locations(result) == {(row, "E")}
    assert "Enter a number, not a formula" in result.problems[0].message


def test_a_formula_in_a_text_column_is_read_as_the_text_typed(camden_return):
    workbook = template(camden_return)
    fill(workbook, "CPP_REPEAT", I="Yes", J="=1+1")
    sheet = workbook[spreadsheets.RETURN_SHEET]
    assert sheet[f"J{row_of(workbook, 'CPP_REPEAT')}"].data_type == "f"

    result = parse(camden_return, workbook)

    (entry,) = result.entries.values()
    assert entry.missing_reason == "=1+1"


def test_a_number_formatted_as_a_percentage_is_a_problem(camden_return):
    workbook = template(camden_return)
    row = fill(workbook, "REREF_12M", E=0.25, G=100)
    workbook[spreadsheets.RETURN_SHEET][f"E{row}"].number_format = "0%"

    result = parse(camden_return, workbook)

    assert locations(result) == {(row, "E")}


def test_an_unusual_value_needs_a_reason(camden_return, london_last_quarter):
    workbook = template(camden_return)
    row = fill(workbook, "REF_RATE", E=500, G=10000)

    result = parse(camden_return, workbook)

    assert locations(result) == {(row, "K")}
    assert "outside the London range" in result.problems[0].message


def test_an_unusual_value_with_a_reason_is_accepted(camden_return, london_last_quarter):
    workbook = template(camden_return)
    fill(workbook, "REF_RATE", E=500, G=10000, K="A new estate opened")

    result = parse(camden_return, workbook)

    (entry,) = result.entries.values()
    assert entry.warning_reason == "A new estate opened"


def test_a_file_for_another_la_is_refused_before_its_rows_are_read(
    camden_return,
):
    workbook = template(camden_return)
    workbook[spreadsheets.RETURN_SHEET]["B4"] = "206"
    fill(workbook, "REF_RATE", E="lots")

    result = parse(camden_return, workbook)

    assert locations(result) == {(4, "B")}
    assert "for Islington (206)" in result.problems[0].message


def test_moved_columns_are_a_problem(camden_return):
    workbook = template(camden_return)
    sheet = workbook[spreadsheets.RETURN_SHEET]
    sheet.protection.sheet = False
    sheet.insert_cols(5)

    result = parse(camden_return, workbook)

    assert locations(result) == {(spreadsheets.HEADING_ROW, "E")}


def test_a_zip_that_is_not_a_workbook_is_not_a_spreadsheet(camden_return):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")

    result = parse(camden_return, buffer.getvalue())

    assert [p.message for p in result.problems] == [spreadsheets.NOT_A_SPREADSHEET]


def test_a_file_too_big_is_refused_without_being_read(camden_return, settings):
    settings.RETURN_UPLOAD_MAX_BYTES = 10

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("The file should not be read")

    upload = Unreadable("return.xlsx", b"x" * 11, content_type=XLSX)
    result = spreadsheets.return_parse_upload(camden_return, upload)

    assert "must be smaller than" in result.problems[0].message


def test_something_far_below_the_table_is_refused(camden_return, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 40)
    workbook = template(camden_return)
    workbook[spreadsheets.RETURN_SHEET]["A41"] = "Notes"

    result = parse(camden_return, workbook)

    assert locations(result) == {(41, None)}


def test_a_file_that_unpacks_to_far_too_much_is_refused(camden_return, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_BYTES", 1000)

    result = parse(camden_return, template(camden_return))

    assert "far more than the return needs" in result.problems[0].message


def test_problems_name_the_indicator_of_their_row(camden_return):
    workbook = template(camden_return)
    fill(workbook, "REREF_12M", E=1300, G=1200)

    (problem,) = parse(camden_return, workbook).problems

    assert (problem.code, problem.location) == (
        "REREF_12M",
        f"Row {row_of(workbook, 'REREF_12M')}, column E",
    )
    assert problem.column_heading == "Numerator"


# --- The download page ---------------------------------------------------


def test_editor_downloads_the_template_with_a_telling_name(
    editor_client, camden_return
):
    response = editor_client.get(download_url(camden_return))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="ria-return-202-camden-2025-26-q2.xlsx"'
    )
    assert "no-store" in response["Cache-Control"]
    load_workbook(BytesIO(response.content))


@pytest.mark.parametrize(
    "persona", ["viewer_client", "analyst_client", "manager_client"]
)
def test_anyone_who_can_read_the_return_may_download_it(
    request, persona, camden_return
):
    client = request.getfixturevalue(persona)

    assert client.get(download_url(camden_return)).status_code == 200


# --- The upload page: success --------------------------------------------


def test_template_downloaded_and_uploaded_unchanged_changes_nothing(
    editor_client, editor, camden_return
):
    save(
        camden_return,
        editor,
        REF_RATE=CleanEntry(numerator=D(450), denominator=D(45000), value=D(100)),
        CPP_REPEAT=CleanEntry(missing_reason="-no data"),
    )
    before = snapshot(camden_return)
    downloaded = editor_client.get(download_url(camden_return)).content

    response = post_file(editor_client, camden_return, downloaded)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "indicators:return-detail", args=[camden_return.pk]
    )
    assert snapshot(camden_return) == before
    assert ReturnValue.objects.get(indicator__code="CPP_REPEAT").missing_reason == (
        "-no data"
    )


def test_filled_in_template_saves_values_as_uploaded(
    editor_client, editor, camden_return
):
    workbook = template(camden_return)
    fill(workbook, "REF_RATE", E=1200, G=48000)
    fill(workbook, "CPP_REPEAT", I="Yes", J="Not collected this quarter")

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    assert response.status_code == 302
    camden_return.refresh_from_db()
    assert camden_return.status == ReturnStatus.IN_PROGRESS
    ref = ReturnValue.objects.get(return_obj=camden_return, indicator__code="REF_RATE")
    assert (ref.numerator, ref.denominator, ref.value) == (D(1200), D(48000), D(250))
    changes = ValueChange.objects.filter(return_value__return_obj=camden_return)
    assert changes.count() == 2
    assert {c.via for c in changes} == {ValueChange.Via.SPREADSHEET}
    assert {c.changed_by for c in changes} == {editor}

    page = editor_client.get(response["Location"])
    assert "Spreadsheet uploaded: 2 answers changed" in page.content.decode()


def test_text_typed_as_a_formula_is_stored_as_text(editor_client, camden_return):
    workbook = template(camden_return)
    fill(workbook, "CPP_REPEAT", I="Yes", J="=1+1")

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    assert response.status_code == 302
    stored = ReturnValue.objects.get(indicator__code="CPP_REPEAT")
    assert stored.missing_reason == "=1+1"
    exported = template(camden_return)
    cell = exported[spreadsheets.RETURN_SHEET][f"J{row_of(exported, 'CPP_REPEAT')}"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_approver_may_upload_too(approver_client, camden_return):
    workbook = template(camden_return)
    fill(workbook, "REF_RATE", E=1200, G=48000)

    response = post_file(approver_client, camden_return, to_bytes(workbook))

    assert response.status_code == 302
    assert ValueChange.objects.count() == 1


# --- The upload page: refusals change nothing ----------------------------


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def corrupt_zip(ret) -> bytes:
    return spreadsheets.return_template_workbook(ret)[:2000]


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda ret: b"code,numerator\nREF_RATE,10\n", "return.csv"),
        (lambda ret: b"code,numerator\nREF_RATE,10\n", "return.xlsx"),
        (lambda ret: png_bytes(), "return.xlsx"),
        (corrupt_zip, "return.xlsx"),
    ],
    ids=["csv", "csv-renamed", "png-renamed", "corrupt-zip"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(
    editor_client, camden_return, make, name
):
    before = snapshot(camden_return)

    response = post_file(editor_client, camden_return, make(camden_return), name)

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem with the spreadsheet" in content
    assert "must be an Excel spreadsheet saved as .xlsx" in content
    assert snapshot(camden_return) == before


def test_a_workbook_without_the_return_sheet_is_refused(editor_client, camden_return):
    workbook = template(camden_return)
    workbook[spreadsheets.RETURN_SHEET].title = "Sheet1"
    before = snapshot(camden_return)

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    assert response.status_code == 200
    assert "must have a sheet called ‘Return’" in response.content.decode()
    assert "‘Sheet1’" in response.content.decode()
    assert snapshot(camden_return) == before


def test_a_file_for_another_la_is_refused(editor_client, camden_return):
    workbook = template(camden_return)
    workbook[spreadsheets.RETURN_SHEET]["B4"] = "206"
    fill(workbook, "REF_RATE", E=1200, G=48000)
    before = snapshot(camden_return)

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Row 4, column B" in content
    assert "This spreadsheet is for Islington (206)" in content
    assert snapshot(camden_return) == before


def test_a_file_for_another_period_is_refused(editor_client, camden_return):
    workbook = template(camden_return)
    workbook[spreadsheets.RETURN_SHEET]["B5"] = "2025-26 Q1"
    fill(workbook, "REF_RATE", E=1200, G=48000)
    before = snapshot(camden_return)

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Row 5, column B" in content
    assert "This spreadsheet is for 2025-26 Q1" in content
    assert snapshot(camden_return) == before


def test_one_bad_cell_among_good_ones_saves_nothing(editor_client, camden_return):
    workbook = template(camden_return)
    fill(workbook, "REF_RATE", E=1200, G=48000)
    bad = fill(workbook, "REREF_12M", E=1300, G=1200)
    fill(workbook, "CPP_REPEAT", I="Yes", J="Not collected this quarter")
    before = snapshot(camden_return)

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    content = response.content.decode()
    assert response.status_code == 200
    assert f"Row {bad}, column E" in content
    assert "cannot be more than the total" in content
    assert '<th scope="col" class="govuk-table__header">Column</th>' in content
    assert snapshot(camden_return) == before


def test_an_oversized_file_is_refused(editor_client, camden_return, settings):
    settings.RETURN_UPLOAD_MAX_BYTES = 1024
    workbook = template(camden_return)
    fill(workbook, "REF_RATE", E=1200, G=48000)
    before = snapshot(camden_return)

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    assert response.status_code == 200
    assert "must be smaller than" in response.content.decode()
    assert snapshot(camden_return) == before


def test_a_formula_in_a_number_cell_is_refused(editor_client, camden_return):
    workbook = template(camden_return)
    row = fill(workbook, "REF_RATE", E="=1000+200", G=48000)
    fill(workbook, "CPP_REPEAT", I="Yes", J="Not collected this quarter")
    before = snapshot(camden_return)

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    content = response.content.decode()
    assert response.status_code == 200
    assert f"Row {row}, column E: Enter a number, not a formula" in content
    assert snapshot(camden_return) == before


def test_an_unusual_value_without_a_reason_is_refused(
    editor_client, camden_return, london_last_quarter
):
    workbook = template(camden_return)
    row = fill(workbook, "REF_RATE", E=500, G=10000)
    before = snapshot(camden_return)

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    content = response.content.decode()
    assert response.status_code == 200
    assert f"Row {row}, column K" in content
    assert "outside the London range" in content
    assert snapshot(camden_return) == before


def test_an_unusual_value_with_a_reason_is_saved_with_it(
    editor_client, camden_return, london_last_quarter
):
    workbook = template(camden_return)
    fill(workbook, "REF_RATE", E=500, G=10000, K="A new estate opened")

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    assert response.status_code == 302
    stored = ReturnValue.objects.get(return_obj=camden_return)
    assert stored.warning_reason == "A new estate opened"


def test_posting_without_a_file_asks_for_one(editor_client, camden_return):
    before = snapshot(camden_return)

    response = editor_client.post(upload_url(camden_return), {})

    assert response.status_code == 200
    assert "Select the spreadsheet to upload" in response.content.decode()
    assert snapshot(camden_return) == before


# --- The upload page: who may use it -------------------------------------


def test_editor_sees_the_upload_form(editor_client, camden_return):
    response = editor_client.get(upload_url(camden_return))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content
    assert 'type="file"' in content
    assert 'accept=".xlsx"' in content
    assert '<label class="govuk-label govuk-label--m" for="id_spreadsheet">' in content
    assert "csrfmiddlewaretoken" in content


@pytest.mark.parametrize("status", [ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED])
def test_a_locked_return_shows_why_and_no_form(editor_client, camden_return, status):
    camden_return.status = status
    camden_return.save()
    workbook = template(camden_return)
    fill(workbook, "REF_RATE", E=1200, G=48000)
    before = snapshot(camden_return)

    page = editor_client.get(upload_url(camden_return)).content.decode()
    response = post_file(editor_client, camden_return, to_bytes(workbook))

    assert 'type="file"' not in page
    assert "This return has been" in page
    assert response.status_code == 200
    assert snapshot(camden_return) == before


@pytest.mark.parametrize("url", [download_url, upload_url])
def test_anonymous_visitor_is_sent_to_sign_in(client, camden_return, url):
    response = client.get(url(camden_return))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [download_url, upload_url])
@pytest.mark.parametrize("persona", ["outsider_client", "dfe_client"])
def test_people_who_cannot_see_the_return_get_404(request, camden_return, url, persona):
    client = request.getfixturevalue(persona)

    assert client.get(url(camden_return)).status_code == 404
    assert client.post(upload_url(camden_return)).status_code == 404


@pytest.mark.parametrize(
    "persona", ["viewer_client", "analyst_client", "manager_client"]
)
def test_readers_may_not_upload(request, camden_return, persona):
    client = request.getfixturevalue(persona)
    data = to_bytes(template(camden_return))
    before = snapshot(camden_return)

    assert client.get(upload_url(camden_return)).status_code == 403
    assert post_file(client, camden_return, data).status_code == 403
    assert snapshot(camden_return) == before


@pytest.mark.parametrize("url", [download_url, upload_url])
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method_is_refused(editor_client, camden_return, url, method):
    response = getattr(editor_client, method)(url(camden_return))

    assert response.status_code == 405


def test_download_cannot_be_posted_to(editor_client, camden_return):
    assert editor_client.post(download_url(camden_return)).status_code == 405


def test_an_upload_over_figures_saved_since_the_download_is_refused(
    editor_client, editor, approver, camden_return
):
    workbook = template(camden_return)
    fill(workbook, "SW_AGENCY", E=30, G=150)
    fill(workbook, "SW_VACANCY", E=10, G=150)
    # A colleague saves the agency share in the browser after the download.
    save(
        camden_return,
        approver,
        SW_AGENCY=CleanEntry(
            numerator=Decimal(45), denominator=Decimal(150), value=Decimal(30)
        ),
    )
    before = snapshot(camden_return)

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    assert response.status_code == 200
    assert "Someone else saved figures for these indicators" in (
        response.content.decode()
    )
    assert snapshot(camden_return) == before


def test_a_colleagues_save_of_another_indicator_does_not_block_an_upload(
    editor_client, approver, camden_return
):
    workbook = template(camden_return)
    fill(workbook, "SW_VACANCY", E=10, G=150)
    save(
        camden_return,
        approver,
        SW_AGENCY=CleanEntry(
            numerator=Decimal(45), denominator=Decimal(150), value=Decimal(30)
        ),
    )

    response = post_file(editor_client, camden_return, to_bytes(workbook))

    assert response.status_code == 302
    vacancy = ReturnValue.objects.get(
        return_obj=camden_return, indicator__code="SW_VACANCY"
    )
    assert vacancy.numerator == 10
    agency = ReturnValue.objects.get(
        return_obj=camden_return, indicator__code="SW_AGENCY"
    )
    assert agency.numerator == 45
