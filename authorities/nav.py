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
        items.append(NavItem("Reports", reverse("benchmarking:reports")))

    # Reports lives under Benchmarking's address: the longest match is the
    # one current item.
    path = request.path
    current = max(
        (item for item in items if path.startswith(item.url)),
        key=lambda item: len(item.url),
        default=None,
    )
    if current is not None:
        current.active = True
    return items
