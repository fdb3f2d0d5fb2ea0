from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("authorities.urls")),
    path("", include("indicators.urls")),
    path("benchmarking/", include("benchmarking.urls")),
    path("admin/", admin.site.urls),
]
