from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from authorities.models import LocalAuthority

from .models import Indicator, ReturnValue
from .validation import CleanEntry, RawEntry, soft_warnings, validate_entry


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


class IndicatorEntryForm(forms.Form):
    """One indicator's answer on a group's entry page.

    Every field is text so that whatever was typed comes back on a rejected
    form; `indicators.validation` does the reading and the rules.
    """

    numerator = forms.CharField(required=False)
    denominator = forms.CharField(required=False)
    value = forms.CharField(required=False)
    no_value = forms.BooleanField(
        required=False, label="There is no value this quarter"
    )
    missing_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Why not?"
    )
    warning_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="If the value is right, say why",
    )

    def __init__(self, *args, indicator: Indicator, warning_args: dict, **kwargs):
        self.indicator = indicator
        self.warning_args = warning_args
        self.warnings: list[str] = []
        super().__init__(*args, prefix=indicator.code.lower(), **kwargs)

        self.fields["numerator"].label = indicator.numerator_label
        self.fields["denominator"].label = indicator.denominator_label
        self.fields["value"].label = f"Value ({indicator.get_unit_display().lower()})"
        for name in ("numerator", "denominator", "value"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"}
            )

    @classmethod
    def initial_from(cls, stored: ReturnValue | None) -> dict:
        if stored is None:
            return {}
        return {
            "numerator": _plain(stored.numerator),
            "denominator": _plain(stored.denominator),
            "value": "" if stored.indicator.has_components else _plain(stored.value),
            "no_value": stored.is_missing,
            "missing_reason": stored.missing_reason,
            "warning_reason": stored.warning_reason,
        }

    @property
    def derived_display(self) -> str:
        """The value worked out from what was typed, once it reads as valid."""
        entry = getattr(self, "entry", None)
        if not self.indicator.has_components or entry is None or entry.value is None:
            return ""
        return self.indicator.format_value(entry.value)

    @property
    def is_blank(self) -> bool:
        return self._raw().is_blank

    def _raw(self) -> RawEntry:
        data = self.cleaned_data
        return RawEntry(
            numerator=data.get("numerator", ""),
            denominator=data.get("denominator", ""),
            value=data.get("value", ""),
            no_value=data.get("no_value", False),
            missing_reason=data.get("missing_reason", ""),
            warning_reason=data.get("warning_reason", ""),
        )

    def clean(self):
        raw = self._raw()
        if raw.is_blank:
            # Not answered yet: allowed while the return is a draft.
            self.entry = None
            return self.cleaned_data

        result = validate_entry(self.indicator, raw)
        for field, message in result.errors.items():
            self.add_error(field, message)
        self.entry: CleanEntry | None = result.clean
        if self.entry is None or self.entry.value is None:
            return self.cleaned_data

        self.warnings = soft_warnings(
            self.indicator, self.entry.value, **self.warning_args
        )
        if self.warnings and not self.entry.warning_reason:
            self.add_error(
                "warning_reason",
                f"{self.indicator.name}: check the value, or say why it is right",
            )
        if not self.warnings:
            # A reason only means something while the value is unusual.
            self.entry.warning_reason = ""
        return self.cleaned_data


def _plain(number) -> str:
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text


class SubmitForm(forms.Form):
    note = forms.CharField(
        required=False,
        label="Anything the analyst should know (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, answering_query: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if answering_query:
            self.fields["note"].required = True
            self.fields["note"].label = "Your answer to the analyst’s question"
            self.fields["note"].error_messages["required"] = (
                "Answer the analyst’s question before you resubmit"
            )
        self.helper = _helper(Field.textarea("note"))


class QueryForm(forms.Form):
    message = forms.CharField(
        label="Your question for the LA",
        help_text="The LA’s editors see this on the return. Say which values and why.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your question for the LA"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("message"))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why does this return need to be reopened?",
        help_text="The LA’s editors see this reason on the return.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the return needs to be reopened"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason"))


class PeriodDatesForm(forms.Form):
    due_on = DateInputField(
        label="Due date",
        help_text="For example, 12 11 2025",
        require_all_fields=True,
    )
    edits_close_on = DateInputField(
        label="Date edits close",
        help_text="After this date only the analyst can reopen a return.",
        require_all_fields=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("due_on", context={"legend_size": Size.MEDIUM}),
            Field("edits_close_on", context={"legend_size": Size.MEDIUM}),
        )

    def clean(self):
        data = super().clean()
        due, close = data.get("due_on"), data.get("edits_close_on")
        if due and close and close < due:
            self.add_error("edits_close_on", "Edits cannot close before the due date")
        return data


class ExtensionForm(forms.Form):
    authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.all(),
        label="Local authority",
        empty_label="Choose an LA",
        error_messages={"required": "Choose the LA that needs an extension"},
    )
    until = DateInputField(
        label="New due date",
        help_text="The LA can edit its return until the end of this day.",
        require_all_fields=True,
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the extension"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("authority"),
            Field("until", context={"legend_size": Size.MEDIUM}),
            Field.textarea("reason"),
        )
