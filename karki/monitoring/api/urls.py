from django.urls import path

from . import views

urlpatterns = [
    path("programmes/<slug:slug>/status/", views.programme_status, name="api-programme-status"),
    path("programmes/<slug:slug>/measures/<str:code>/reports/", views.measure_report, name="api-measure-report"),
]
