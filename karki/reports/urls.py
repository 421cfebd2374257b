from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("<slug:slug>/reports/", views.reports_page, name="reports"),
    path("<slug:slug>/reports/start/", views.start_report, name="start"),
    path("<slug:slug>/reports/council/", views.council_reports, name="council-list"),
    path("<slug:slug>/reports/council/<int:number>/<str:language>.pdf", views.council_pdf, name="council-pdf"),
]
