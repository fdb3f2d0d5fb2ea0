from django.contrib import admin

from .models import (
    Indicator,
    Period,
    PeriodChange,
    PeriodExtension,
    Return,
    ReturnTransition,
    ReturnValue,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "polarity", "source", "is_core"]
    list_filter = ["source", "unit", "polarity", "is_core"]
    search_fields = ["code", "name"]
    ordering = ["display_order"]


class PeriodExtensionInline(admin.TabularInline):
    model = PeriodExtension
    extra = 0
    autocomplete_fields = ["authority"]
    readonly_fields = ["granted_by", "granted_at"]

    def has_add_permission(self, request, obj=None):
        # Extensions are granted from the portal, which records who and why.
        return False


class PeriodChangeInline(admin.TabularInline):
    model = PeriodChange
    extra = 0
    can_delete = False
    fields = ["at", "actor", "description"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "kind",
        "start_date",
        "end_date",
        "due_on",
        "edits_close_on",
    ]
    list_filter = ["kind"]
    readonly_fields = ["label", "slug", "kind", "year_start", "quarter"]
    inlines = [PeriodExtensionInline, PeriodChangeInline]

    def has_add_permission(self, request):
        # Periods are created with their returns by the services, not by hand.
        return False


class ReturnValueInline(admin.TabularInline):
    model = ReturnValue
    extra = 0
    can_delete = False
    fields = ["indicator", "numerator", "denominator", "value", "missing_reason"]
    readonly_fields = fields


class ReturnTransitionInline(admin.TabularInline):
    model = ReturnTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields


@admin.register(Return)
class ReturnAdmin(admin.ModelAdmin):
    """Read-only: returns change only through the workflow, which audits it."""

    list_display = ["authority", "period", "status", "submitted_at"]
    list_filter = ["status", "period"]
    search_fields = ["authority__name", "authority__dfe_code"]
    readonly_fields = ["authority", "period", "status", "submitted_at", "accepted_at"]
    inlines = [ReturnValueInline, ReturnTransitionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
