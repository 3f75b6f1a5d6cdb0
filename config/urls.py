from django.contrib import admin
from django.urls import include, path

from config.health import healthz, readyz

admin.site.site_header = "Hostline"
admin.site.site_title = "Hostline admin"
admin.site.index_title = "Restaurants, hours and menus"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", include("tenants.api.urls")),
    path("", include("tenants.urls")),
]
