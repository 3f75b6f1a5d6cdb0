from django.urls import path

from web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Under /api/docs/ beside the page that uses it; calls.api.urls serves the page and the schema.
    path("api/docs/redoc.standalone.js", views.redoc_bundle, name="api-docs-redoc"),
    path("your-restaurants/", views.your_restaurants, name="your-restaurants"),
    path("widget.js", views.widget_asset, {"name": "widget.js"}, name="widget-js"),
    path("widget-call.js", views.widget_asset, {"name": "widget-call.js"}, name="widget-call-js"),
]
