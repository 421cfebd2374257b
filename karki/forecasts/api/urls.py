from django.urls import path

from . import views

urlpatterns = [
    path("programmes/<slug:slug>/forecast/", views.programme_forecast, name="api-programme-forecast"),
]
