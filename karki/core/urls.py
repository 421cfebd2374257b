from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/<str:code>/", views.set_language, name="set-language"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("styleguide/", views.styleguide, name="styleguide"),
    path("favicon.ico", views.favicon, name="favicon"),
]
