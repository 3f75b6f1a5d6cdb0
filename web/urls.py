from django.urls import path

from web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("widget.js", views.widget_asset, {"name": "widget.js"}, name="widget-js"),
    path("widget-call.js", views.widget_asset, {"name": "widget-call.js"}, name="widget-call-js"),
]
