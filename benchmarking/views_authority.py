"""An LA's benchmarking page: where it stands on every core indicator."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from authorities.models import LocalAuthority
from indicators.models import Period

from .authority import authority_groups, authority_page
from .groups import LONDON, comparison_groups
from .selectors import build_current, may_see_benchmarking

TEMPLATE = "benchmarking/authority.html"


@require_GET
@login_required
def authority_detail(request, period, code):
    """Any London LA's page, for the period's current build.

    Every London LA user may see every LA once the build is published: the
    benchmark is shared between them by design (DESIGN.md section 2).
    """
    if not may_see_benchmarking(request.user):
        raise Http404("Not found")
    period = get_object_or_404(Period, slug=period)
    authority = get_object_or_404(LocalAuthority, dfe_code=code)

    groups = authority_groups(authority, comparison_groups())
    key = request.GET.get("group") or LONDON
    group = next((g for g in groups if g.key == key), None)
    if group is None:
        raise Http404("No such comparison group for this LA")

    context = {"period": period, "authority": authority, "groups": groups}
    build = build_current(period, user=request.user)
    if build is None:
        # A page of its own rather than the bare 404, to say why.
        return render(request, TEMPLATE, {**context, "page": None}, status=404)

    page = authority_page(
        build=build, authority=authority, group=group, user=request.user
    )
    return render(request, TEMPLATE, {**context, "page": page, "build": build})
