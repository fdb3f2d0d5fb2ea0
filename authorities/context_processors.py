def navigation(request):
    """The header's navigation links, by role. Filled in by `authorities.nav`."""
    from .nav import nav_items_for

    return {"nav_items": nav_items_for(request)}
