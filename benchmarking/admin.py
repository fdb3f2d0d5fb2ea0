from django import forms
from django.contrib import admin

from .models import PopulationEstimate, PublishedSourceMapping, PublishedValue


def _column_names(value, *, field: str, required: bool = False) -> list[str]:
    """A list of column names, as the importer reads it."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise forms.ValidationError(
            f'Give the {field} as a list of names, e.g. ["rate_per_10000"].'
        )
    names = [name.strip() for name in value if name.strip()]
    if required and not names:
        raise forms.ValidationError(f"Give at least one {field[:-1]}.")
    return names


class PublishedSourceMappingForm(forms.ModelForm):
    """Checks the shape of the JSON fields, which the admin shows as text."""

    class Meta:
        model = PublishedSourceMapping
        fields = [
            "indicator",
            "file_stem",
            "required_columns",
            "filters",
            "value_columns",
            "numerator_columns",
            "denominator_columns",
            "rate_from_population",
        ]

    def clean_required_columns(self):
        value = self.cleaned_data["required_columns"]
        return _column_names(value, field="required columns")

    def clean_value_columns(self):
        value = self.cleaned_data["value_columns"]
        return _column_names(value, field="value columns", required=True)

    def clean_numerator_columns(self):
        value = self.cleaned_data["numerator_columns"]
        return _column_names(value, field="numerator columns")

    def clean_denominator_columns(self):
        value = self.cleaned_data["denominator_columns"]
        return _column_names(value, field="denominator columns")

    def clean_filters(self):
        filters = self.cleaned_data["filters"]
        # One accepted value, or a list of them where DfE's wording changes.
        if not isinstance(filters, dict) or not all(
            isinstance(v, str)
            or (isinstance(v, list) and all(isinstance(i, str) for i in v))
            for v in filters.values()
        ):
            raise forms.ValidationError(
                'Give the filters as column and value, e.g. {"category": "…"}, '
                "or column and a list of accepted values."
            )
        return filters


@admin.register(PublishedSourceMapping)
class PublishedSourceMappingAdmin(admin.ModelAdmin):
    form = PublishedSourceMappingForm
    list_display = ["indicator", "file_stem", "value_columns", "rate_from_population"]
    list_filter = ["rate_from_population", "indicator__source", "file_stem"]
    search_fields = ["indicator__code", "indicator__name", "file_stem"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["indicator"]


@admin.register(PublishedValue)
class PublishedValueAdmin(admin.ModelAdmin):
    """Read only: values change by importing DfE's files again."""

    list_display = [
        "indicator",
        "period",
        "area_kind",
        "authority",
        "value",
        "suppression",
        "shared_with",
        "source_file",
    ]
    list_filter = ["indicator", "period", "area_kind", "suppression", "authority"]
    search_fields = ["indicator__code", "authority__name", "source_file"]
    list_select_related = ["indicator", "period", "authority"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PopulationEstimate)
class PopulationEstimateAdmin(admin.ModelAdmin):
    list_display = ["authority", "year", "children", "source_file"]
    list_filter = ["year"]
    search_fields = ["authority__name"]
    autocomplete_fields = ["authority"]
    list_select_related = ["authority"]
