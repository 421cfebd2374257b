from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("<slug:slug>/history/", views.programme_history, name="programme-history"),
    path("<slug:slug>/history/export.csv", views.programme_history_csv, name="programme-history-csv"),
    path("<slug:slug>/history/export.json", views.programme_history_json, name="programme-history-json"),
    path("<slug:slug>/v/<int:number>/measures/<str:code>/history/", views.measure_history, name="measure-history"),
]
