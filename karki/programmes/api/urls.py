from django.urls import path

from karki.audit.api import views as audit_api

from . import edits, views

urlpatterns = [
    path("programmes/", views.programme_list, name="api-programme-list"),
    path("programmes/<slug:slug>/", views.programme_detail, name="api-programme-detail"),
    path("programmes/<slug:slug>/summary/", views.programme_summary, name="api-programme-summary"),
    path("programmes/<slug:slug>/themes/", views.theme_list, name="api-theme-list"),
    path("programmes/<slug:slug>/targets/", views.target_list, name="api-target-list"),
    path("programmes/<slug:slug>/measures/", edits.measures, name="api-measure-list"),
    path("programmes/<slug:slug>/measures/<str:code>/", edits.measure_detail, name="api-measure-detail"),
    path("programmes/<slug:slug>/measures/<str:code>/estimate/", edits.measure_estimate, name="api-measure-estimate"),
    path("programmes/<slug:slug>/risks/", edits.risks, name="api-risk-list"),
    path("programmes/<slug:slug>/risks/<str:code>/", edits.risk_detail, name="api-risk-detail"),
    path("programmes/<slug:slug>/indicators/", views.indicator_list, name="api-indicator-list"),
    path("programmes/<slug:slug>/history/", audit_api.programme_history, name="api-programme-history"),
]
