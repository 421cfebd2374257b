from django.urls import path

from . import views

urlpatterns = [
    path("programmes/<slug:slug>/workbook/", views.version_workbook, name="api-version-workbook"),
    path("organisations/<slug:slug>/workbook-template/", views.template, name="api-workbook-template"),
]
