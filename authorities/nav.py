"""The header's navigation, by role."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass
class NavItem:
    label: str
    url: str
    active: bool = False


def nav_items_for(request) -> list[NavItem]:
    """The links the signed-in user's role may follow, the current one marked
    active; none for someone not signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []

    items = []
    if user.is_la_user:
        items.append(NavItem("Returns", reverse("indicators:return-list")))
    if user.is_ria_team:
        items.append(NavItem("Return status", reverse("indicators:status-grid")))
        items.append(NavItem("Periods", reverse("indicators:period-list")))
    if user.is_ria_team or user.is_dfe_viewer:
        items.append(NavItem("Accepted data", reverse("indicators:dataset")))
    if user.is_ria_team or user.is_la_user:
        items.append(NavItem("Benchmarking", reverse("benchmarking:index")))

    path = request.path
    for item in items:
        item.active = path.startswith(item.url)
    return items
