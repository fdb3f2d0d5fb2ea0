from django.urls import path

from . import views, views_authority, views_flags, views_published, views_reports

app_name = "benchmarking"

urlpatterns = [
    path("", views.index, name="index"),
    path("builds/", views.builds, name="builds"),
    path("builds/<int:build>/", views.build_detail, name="build-detail"),
    path("builds/<int:build>/progress/", views.build_progress, name="build-progress"),
    path("builds/<int:build>/publish/", views.build_publish, name="build-publish"),
    path(
        "builds/<int:build>/reports/progress/",
        views_reports.build_reports_progress,
        name="build-reports-progress",
    ),
    path("reports/", views_reports.reports, name="reports"),
    path(
        "reports/<int:report>/download/",
        views_reports.report_download,
        name="report-download",
    ),
    path(
        "reports/<int:report>/rebuild/",
        views_reports.report_rebuild,
        name="report-rebuild",
    ),
    path("<slug:period>/rug/", views.rug, name="rug"),
    path(
        "published/import/",
        views_published.published_upload,
        name="published-import",
    ),
    path(
        "<slug:period>/authorities/<str:code>/",
        views_authority.authority_detail,
        name="authority",
    ),
    path("<slug:period>/flags/", views_flags.flags, name="flags"),
]
