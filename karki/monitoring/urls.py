from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("<slug:slug>/status/", views.status_page, name="status"),
    path("<slug:slug>/verification/", views.verification, name="verification"),
    path("<slug:slug>/verification/verify-shown/", views.verification_bulk, name="verification-bulk"),
    path("<slug:slug>/verification/<int:pk>/", views.verification_saving, name="verification-saving"),
    path("<slug:slug>/periods/", views.period_list, name="period-list"),
    path("<slug:slug>/periods/<str:period>/close/", views.period_close, name="period-close"),
    path("<slug:slug>/periods/<str:period>/reports/", views.period_reports, name="period-reports"),
    path("<slug:slug>/periods/<str:period>/remind/", views.period_remind, name="period-remind"),
    path("<slug:slug>/periods/<str:period>/report/", views.report_batch, name="report-batch"),
    path("<slug:slug>/periods/<str:period>/reports/<str:code>/review/", views.report_review,
         name="report-review"),
]
