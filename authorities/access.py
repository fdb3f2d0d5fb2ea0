"""Role checks shared by every app's views.

Someone outside the RIA team gets 404 for the team's pages, so that the pages'
existence does not leak; a team member whose role cannot act gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import User


def require_ria_team(user: User) -> None:
    if not user.is_ria_team:
        raise Http404("Not found")


def require_analyst(user: User) -> None:
    require_ria_team(user)
    if not user.is_analyst:
        raise PermissionDenied("Only the RIA data analyst can do that.")
