"""The analyst's page for importing DfE's published statistics. The reading,
checking and saving live in `benchmarking.published`."""

import logging

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_http_methods

from authorities.access import require_analyst

from . import published

logger = logging.getLogger(__name__)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CsvFilesField(forms.FileField):
    """One or more CSV files, each within the upload limit."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        uploads = [upload for upload in uploads if upload]
        if not uploads:
            raise forms.ValidationError(self.error_messages["required"])
        single = super().clean
        return [self._check(single(upload, initial)) for upload in uploads]

    def _check(self, upload):
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(
                f"‘{upload.name}’ is not a CSV file. Upload DfE's files as they "
                "are downloaded, ending .csv"
            )
        limit = settings.PUBLISHED_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"‘{upload.name}’ is larger than {filesizeformat(limit)}. Upload "
                "fewer years, or import it with the import_published command"
            )
        return upload


class PublishedImportForm(forms.Form):
    files = CsvFilesField(
        label="Upload DfE's CSV files",
        error_messages={
            "required": "Select at least one CSV file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded. Try again",
        },
    )
    dry_run = forms.BooleanField(label="Check only (dry run)", required=False)


@require_http_methods(["GET", "POST"])
@login_required
def published_upload(request: HttpRequest) -> HttpResponse:
    """Upload DfE's published CSV files and see what they hold.

    Nothing is saved unless every file is right; a dry run saves nothing.
    """
    require_analyst(request.user)
    posted = request.method == "POST"
    form = PublishedImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    report = None

    if posted and form.is_valid():
        uploads = form.cleaned_data["files"]
        report = published.published_import(
            [(upload.name, upload.read()) for upload in uploads],
            dry_run=form.cleaned_data["dry_run"],
        )
        logger.info(
            "User %s imported %s published files: %s",
            request.user.pk,
            len(uploads),
            report.outcome(),
        )

    return render(
        request,
        "benchmarking/published_import.html",
        {
            "form": form,
            "report": report,
            "problems": report.problems if report else [],
        },
    )
