"""Template context that every page needs."""

from .nav import nav_items_for


def navigation(request):
    """The header's navigation links, by role (see `authorities.nav`)."""
    return {"nav_items": nav_items_for(request)}
