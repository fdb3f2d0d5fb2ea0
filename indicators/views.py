"""Pages for quarterly returns: the LA's task list and entry pages, the
analyst's review, the status grid, periods and the accepted data set.

Views stay thin: they load what the user may see through `selectors`, hand
changes to `services`, and render.
"""

import csv
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authorities.access import require_analyst, require_ria_team

from . import selectors, services
from .forms import (
    ExtensionForm,
    IndicatorEntryForm,
    PeriodDatesForm,
    QueryForm,
    ReopenForm,
    SubmitForm,
)
from .models import (
    Indicator,
    Period,
    PeriodChange,
    ReturnStatus,
    ReturnTransition,
    SourceCollection,
)

STATUS_TAGS = {
    ReturnStatus.NOT_STARTED: "govuk-tag--grey",
    ReturnStatus.IN_PROGRESS: "govuk-tag--light-blue",
    ReturnStatus.SUBMITTED: "govuk-tag--blue",
    ReturnStatus.QUERIED: "govuk-tag--orange",
    ReturnStatus.ACCEPTED: "govuk-tag--green",
    ReturnStatus.REOPENED: "govuk-tag--yellow",
}


@require_GET
@login_required
def return_list(request):
    """An LA's home page: its returns, newest first, overdue ones marked."""
    if not request.user.is_la_user:
        return redirect("home")

    returns = selectors.returns_for_user(request.user).prefetch_related("values")
    core = list(Indicator.objects.core())
    rows = [(ret, len(services.return_unanswered(ret, core=core))) for ret in returns]
    return render(
        request,
        "indicators/return_list.html",
        {
            "rows": rows,
            "authority": request.user.authority,
            "today": timezone.localdate(),
        },
    )


@require_GET
@login_required
def return_detail(request, pk):
    """The return as a task list, with its workflow history."""
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    user = request.user
    context = {
        "ret": ret,
        "groups": selectors.return_groups(ret),
        "edit_problem": services.return_edit_problem(ret, user),
        "can_edit_role": user.can_edit_la_work,
        "question": selectors.return_open_question(ret),
        "transitions": ret.transitions.select_related("actor"),
        "can_accept": services.transition_allowed(ret, ReturnStatus.ACCEPTED, user),
        "can_reopen": services.transition_allowed(ret, ReturnStatus.REOPENED, user),
        "unanswered": services.return_unanswered(ret),
        "query_form": QueryForm(),
    }
    return render(request, "indicators/return_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def return_group_edit(request, pk, source):
    """The entry page for one source collection's indicators."""
    ret = selectors.return_get_for_la_editing(user=request.user, pk=pk)
    if source not in SourceCollection.values:
        raise Http404("No such group of indicators")
    group = selectors.return_group(ret, source)

    problem = services.return_edit_problem(ret, request.user)
    if problem and request.method == "GET":
        messages.info(request, problem)
        return redirect("indicators:return-detail", pk=ret.pk)
    # A POST goes on even then: the service refuses it, and the page comes
    # back with the reason and what was typed.

    context = selectors.warning_context(ret)

    def build(indicator, stored):
        args = {
            "own_history": context.own_history.get(indicator.pk, []),
            "london_range": context.london_range.get(indicator.pk),
            "authority_name": ret.authority.name,
        }
        form = IndicatorEntryForm(
            request.POST if request.method == "POST" else None,
            indicator=indicator,
            warning_args=args,
            initial=IndicatorEntryForm.initial_from(stored),
        )
        form.stored = stored
        return form

    forms = [build(indicator, stored) for indicator, stored in group.rows]
    # The version the page was built from travels with the form, so that a
    # save cannot quietly undo figures someone else saved in the meantime.
    version = services.values_version(ret, group.indicators)
    refusal = ""

    if request.method == "POST" and all(form.is_valid() for form in forms):
        entries = {form.indicator: form.entry for form in forms if form.entry}
        seen = _posted_version(request, default=version)
        try:
            changed = services.return_save_values(
                ret=ret,
                actor=request.user,
                entries=entries,
                seen_version=(group.indicators, seen),
            )
        except services.ReturnError as error:
            # Keep what was typed on the page rather than lose it.
            refusal = str(error)
        else:
            if changed:
                messages.success(
                    request, f"{group.label}: your answers have been saved."
                )
            return redirect("indicators:return-detail", pk=ret.pk)

    errors = [("", refusal)] if refusal else []
    errors += [
        (f"{form[field].id_for_label}", message)
        for form in forms
        for field, messages_ in form.errors.items()
        for message in messages_
    ]
    return render(
        request,
        "indicators/return_group_edit.html",
        {
            "ret": ret,
            "group": group,
            "forms": forms,
            "errors": errors,
            "version": version,
        },
    )


def _posted_version(request, *, default: int) -> int:
    try:
        return int(request.POST.get("version", default))
    except ValueError:
        return -1  # Never matches, so the save is refused and the page rebuilt.


@require_http_methods(["GET", "POST"])
@login_required
def return_check(request, pk):
    """Check your answers, then submit."""
    ret = selectors.return_get_for_la_editing(user=request.user, pk=pk)
    question = selectors.return_open_question(ret)
    form = SubmitForm(request.POST or None, answering_query=question is not None)
    problem = services.return_edit_problem(ret, request.user)
    unanswered = services.return_unanswered(ret)

    if request.method == "POST" and not problem and form.is_valid():
        try:
            services.return_submit(
                ret=ret, actor=request.user, note=form.cleaned_data["note"]
            )
        except services.ReturnError as error:
            form.add_error(None, str(error))
        else:
            return redirect("indicators:return-submitted", pk=ret.pk)

    return render(
        request,
        "indicators/return_check.html",
        {
            "ret": ret,
            "groups": selectors.return_groups(ret),
            "form": form,
            "problem": problem,
            "unanswered": unanswered,
            "question": question,
        },
    )


@require_GET
@login_required
def return_submitted(request, pk):
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    if ret.status != ReturnStatus.SUBMITTED:
        return redirect("indicators:return-detail", pk=ret.pk)
    return render(request, "indicators/return_submitted.html", {"ret": ret})


@require_GET
@login_required
def return_history(request, pk):
    """Every saved state of every value, newest first."""
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    # The page lists `ret.transitions` with each actor's name: fetch the actors
    # with them, not one query a row.
    prefetch_related_objects(
        [ret],
        Prefetch("transitions", ReturnTransition.objects.select_related("actor")),
    )
    return render(
        request,
        "indicators/return_history.html",
        {"ret": ret, "changes": selectors.return_value_history(ret)},
    )


@require_POST
@login_required
def return_accept(request, pk):
    ret = selectors.return_get_for_analyst(user=request.user, pk=pk)
    try:
        services.return_accept(ret=ret, actor=request.user)
    except services.ReturnError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{ret.authority.name}’s return has been accepted.")
    return redirect("indicators:return-detail", pk=ret.pk)


@require_http_methods(["GET", "POST"])
@login_required
def return_query(request, pk):
    ret = selectors.return_get_for_analyst(user=request.user, pk=pk)
    form = QueryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_query(
                ret=ret, actor=request.user, message=form.cleaned_data["message"]
            )
        except services.ReturnError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Your question has been sent to {ret.authority.name}."
            )
            return redirect("indicators:return-detail", pk=ret.pk)
    return render(request, "indicators/return_query.html", {"ret": ret, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def return_reopen(request, pk):
    ret = selectors.return_get_for_analyst(user=request.user, pk=pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_reopen(
                ret=ret, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ReturnError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{ret.authority.name}’s return is open again.")
            return redirect("indicators:return-detail", pk=ret.pk)
    return render(request, "indicators/return_reopen.html", {"ret": ret, "form": form})


@require_GET
@login_required
def status_grid(request):
    """LAs by quarters, each return's status, late ones marked."""
    require_ria_team(request.user)
    # Newest first: the open quarter is what the analyst is chasing.
    periods = list(Period.objects.quarterly().order_by("-start_date")[:8])
    return render(
        request,
        "indicators/status_grid.html",
        {
            "periods": periods,
            "rows": selectors.status_grid(user=request.user, periods=periods),
            "status_tags": STATUS_TAGS,
        },
    )


@require_GET
@login_required
def period_list(request):
    require_ria_team(request.user)
    periods = Period.objects.quarterly().prefetch_related("extensions__authority")
    changes = PeriodChange.objects.select_related("period", "actor")[:30]
    return render(
        request,
        "indicators/period_list.html",
        {"periods": periods, "changes": changes},
    )


@require_http_methods(["GET", "POST"])
@login_required
def period_edit(request, slug):
    """The analyst sets a quarter's due and edit-close dates."""
    require_analyst(request.user)
    period = get_object_or_404(Period.objects.quarterly(), slug=slug)
    form = PeriodDatesForm(
        request.POST or None,
        initial={"due_on": period.due_on, "edits_close_on": period.edits_close_on},
    )
    if request.method == "POST" and form.is_valid():
        services.period_set_dates(
            period=period, actor=request.user, **form.cleaned_data
        )
        messages.success(request, f"The dates for {period.label} have been saved.")
        return redirect("indicators:period-list")
    return render(
        request, "indicators/period_edit.html", {"period": period, "form": form}
    )


@require_http_methods(["GET", "POST"])
@login_required
def extension_grant(request, slug):
    """The analyst gives one LA a later due and edit-close date."""
    require_analyst(request.user)
    period = get_object_or_404(Period.objects.quarterly(), slug=slug)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            extension = services.extension_grant(
                period=period, actor=request.user, **form.cleaned_data
            )
        except services.ReturnError as error:
            form.add_error("until", str(error))
        else:
            messages.success(
                request,
                f"{extension.authority.name} can now edit its {period.label} return "
                f"until {extension.until:%-d %B %Y}.",
            )
            return redirect("indicators:period-list")
    return render(
        request, "indicators/extension_grant.html", {"period": period, "form": form}
    )


@require_GET
@login_required
def dataset(request):
    """The accepted quarterly data set: what DfE and the RIA team read."""
    user = request.user
    if not (user.is_ria_team or user.is_dfe_viewer):
        raise Http404("Not found")

    periods = list(Period.objects.quarterly().order_by("-start_date"))
    period = _chosen_period(request, periods)
    table = selectors.accepted_dataset(period) if period else None

    if period and request.GET.get("format") == "csv":
        return _dataset_csv(period, table)
    return render(
        request,
        "indicators/dataset.html",
        {"periods": periods, "period": period, "table": table},
    )


def _chosen_period(request, periods):
    slug = request.GET.get("period")
    if slug:
        for period in periods:
            if period.slug == slug:
                return period
        raise Http404("No such period")
    return periods[0] if periods else None


def _dataset_csv(period, table):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # The byte-order mark makes Excel read the file as UTF-8, so names and
    # reasons with curly quotes or accents come out as typed.
    response.write("\ufeff")
    response["Content-Disposition"] = (
        f'attachment; filename="ria-accepted-data-{period.slug}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "period",
            "la_code",
            "la_name",
            "indicator",
            "numerator",
            "denominator",
            "value",
            "missing_reason",
        ]
    )
    for row in table.csv_rows():
        writer.writerow([_safe_cell(cell) for cell in row])
    return response


def _safe_cell(cell):
    """Stop a spreadsheet from reading free text as a formula."""
    if cell is None or isinstance(cell, (int, Decimal)):
        return "" if cell is None else cell
    text = str(cell)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
