from django.urls import path

from . import views, views_spreadsheet

app_name = "indicators"

urlpatterns = [
    path("returns/", views.return_list, name="return-list"),
    path("returns/<int:pk>/", views.return_detail, name="return-detail"),
    path(
        "returns/<int:pk>/groups/<slug:source>/",
        views.return_group_edit,
        name="return-group-edit",
    ),
    path("returns/<int:pk>/check/", views.return_check, name="return-check"),
    path(
        "returns/<int:pk>/submitted/", views.return_submitted, name="return-submitted"
    ),
    path("returns/<int:pk>/history/", views.return_history, name="return-history"),
    path("returns/<int:pk>/accept/", views.return_accept, name="return-accept"),
    path("returns/<int:pk>/query/", views.return_query, name="return-query"),
    path("returns/<int:pk>/reopen/", views.return_reopen, name="return-reopen"),
    path("status/", views.status_grid, name="status-grid"),
    path("periods/", views.period_list, name="period-list"),
    path("periods/<slug:slug>/dates/", views.period_edit, name="period-edit"),
    path(
        "periods/<slug:slug>/extensions/new/",
        views.extension_grant,
        name="extension-grant",
    ),
    path("accepted-data/", views.dataset, name="dataset"),
    path(
        "returns/<int:pk>/spreadsheet/",
        views_spreadsheet.return_spreadsheet,
        name="return-spreadsheet",
    ),
    path(
        "returns/<int:pk>/upload/",
        views_spreadsheet.return_upload,
        name="return-upload",
    ),
]
