"""The spreadsheet route for a quarterly return: download the template, upload
it filled in. The reading and checking live in `indicators.spreadsheets`."""

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from . import selectors, services, spreadsheets
from .models import ValueChange

logger = logging.getLogger(__name__)


class SpreadsheetUploadForm(forms.Form):
    spreadsheet = forms.FileField(
        label="Upload the filled-in spreadsheet",
        error_messages={
            "required": "Select the spreadsheet to upload",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded. Try again",
        },
    )


@require_http_methods(["GET", "HEAD"])
@login_required
def return_spreadsheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The return as the portal's XLSX template, filled in with what is saved.

    Anyone who may read the return may download it.
    """
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(
        spreadsheets.return_template_workbook(ret),
        content_type=spreadsheets.XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=spreadsheets.return_template_filename(ret)
    )
    # The file holds an LA's unpublished figures: keep it out of shared caches.
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def return_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the filled-in template. Every problem is listed by row and column
    and nothing is saved until the whole file is right."""
    ret = selectors.return_get_for_la_editing(user=request.user, pk=pk)
    locked = services.return_edit_problem(ret, request.user)
    posted = request.method == "POST"
    form = SpreadsheetUploadForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    problems: list[spreadsheets.Problem] = []

    if posted and not locked and form.is_valid():
        result = spreadsheets.return_parse_upload(ret, form.cleaned_data["spreadsheet"])
        problems = result.problems
        if result.is_valid:
            try:
                changed = services.return_save_values(
                    ret=ret,
                    actor=request.user,
                    entries=result.entries,
                    via=ValueChange.Via.SPREADSHEET,
                    seen_version=_seen_version(ret, result),
                )
            except services.ReturnError as error:
                # The return was locked between the page loading and saving.
                logger.warning("Upload to return %s refused: %s", ret.pk, error)
                problems = [spreadsheets.Problem(str(error))]
            else:
                messages.success(request, _saved_message(len(result.entries), changed))
                return redirect("indicators:return-detail", pk=ret.pk)

    return render(
        request,
        "indicators/return_upload.html",
        {"ret": ret, "form": form, "locked": locked, "problems": problems},
    )


def _saved_message(read: int, changed: int) -> str:
    if read == 0:
        return "Spreadsheet uploaded. It had no answers in it, so nothing changed."
    if changed == 0:
        return (
            f"Spreadsheet uploaded. The {_answers(read)} in it matched what was "
            "already saved, so nothing changed."
        )
    return (
        f"Spreadsheet uploaded: {_answers(changed)} changed. Check the return and "
        "submit it when it is complete."
    )


def _answers(count: int) -> str:
    return f"{count} answer" if count == 1 else f"{count} answers"


def _seen_version(ret, result):
    """Guard only the indicators this file would change: a colleague's later
    save of another indicator is no reason to refuse the upload."""
    if result.version is None:
        return None
    changing = services.return_entries_changing(ret, result.entries)
    return (changing, result.version)
