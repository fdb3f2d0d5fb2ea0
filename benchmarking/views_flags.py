"""The programme team's flags page: every top and bottom band of a period."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from authorities.access import require_ria_team
from indicators.models import Indicator, Period

from .flags import BOTTOM, TOP, flags_for
from .groups import LONDON, comparison_groups
from .selectors import build_current

TEMPLATE = "benchmarking/flags.html"


class FlagFilterForm(forms.Form):
    indicator = forms.ChoiceField(required=False, label="Indicator")
    group = forms.ChoiceField(required=False, label="Compare within")
    band = forms.ChoiceField(
        required=False,
        label="Band",
        choices=[
            ("", "Top and bottom"),
            (TOP, "Top 20% (or highest)"),
            (BOTTOM, "Bottom 20% (or lowest)"),
        ],
    )

    def __init__(self, *args, groups, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "All indicators")] + [
            (i.code, i.name) for i in indicators
        ]
        self.fields["group"].choices = [(g.key, g.label) for g in groups]

    def filters(self) -> dict[str, str]:
        """The chosen filters, or none but all London when a choice is unknown."""
        chosen = self.cleaned_data if self.is_valid() else {}
        return {
            "indicator": chosen.get("indicator", ""),
            "group": chosen.get("group") or LONDON,
            "band": chosen.get("band", ""),
        }


@require_GET
@login_required
def flags(request, period):
    """Only the RIA team sees every LA's flags side by side, published or not."""
    require_ria_team(request.user)
    period = get_object_or_404(Period, slug=period)

    groups = comparison_groups()
    form = FlagFilterForm(
        request.GET or None, groups=groups, indicators=Indicator.objects.core()
    )
    chosen = form.filters()
    context = {
        "period": period,
        "form": form,
        "chosen": chosen,
        "group_label": next(g.label for g in groups if g.key == chosen["group"]),
    }

    build = build_current(period, user=request.user)
    if build is None:
        # A page of its own rather than the bare 404, to say why.
        return render(request, TEMPLATE, {**context, "report": None}, status=404)

    report = flags_for(build=build, user=request.user, **chosen)
    return render(request, TEMPLATE, {**context, "report": report})
