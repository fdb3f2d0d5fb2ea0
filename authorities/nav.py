def nav_items_for(request):
    return []
