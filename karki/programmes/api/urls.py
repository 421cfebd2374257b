from django.urls import path

from karki.audit.api import views as audit_api

from . import edits, views

urlpatterns = [
    path("programmes/", views.programme_list, name="api-programme-list"),
    path("programmes/<slug:slug>/", views.programme_detail, name="api-programme-detail"),
    path("programmes/<slug:slug>/summary/", views.programme_summary, name="api-programme-summary"),
    path("programmes/<slug:slug>/versions/", edits.version_start, name="api-version-start"),
    path("programmes/<slug:slug>/versions/<int:number>/approve/", edits.version_approve, name="api-version-approve"),
    path("programmes/<slug:slug>/versions/<int:number>/publication/", edits.version_publication,
         name="api-version-publication"),
    path("programmes/<slug:slug>/themes/", edits.themes, name="api-theme-list"),
    path("programmes/<slug:slug>/themes/<str:code>/", edits.theme_detail, name="api-theme-detail"),
    path("programmes/<slug:slug>/targets/", edits.targets, name="api-target-list"),
    path("programmes/<slug:slug>/targets/<str:code>/", edits.target_detail, name="api-target-detail"),
    path("programmes/<slug:slug>/measures/", edits.measures, name="api-measure-list"),
    path("programmes/<slug:slug>/measures/<str:code>/", edits.measure_detail, name="api-measure-detail"),
    path("programmes/<slug:slug>/measures/<str:code>/estimate/", edits.measure_estimate, name="api-measure-estimate"),
    path("programmes/<slug:slug>/measures/<str:code>/dependencies/", edits.dependencies, name="api-dependency-add"),
    path("programmes/<slug:slug>/measures/<str:code>/dependencies/<str:other>/", edits.dependency_detail,
         name="api-dependency-detail"),
    path("programmes/<slug:slug>/risks/", edits.risks, name="api-risk-list"),
    path("programmes/<slug:slug>/risks/<str:code>/", edits.risk_detail, name="api-risk-detail"),
    path("programmes/<slug:slug>/indicators/", views.indicator_list, name="api-indicator-list"),
    path("programmes/<slug:slug>/history/", audit_api.programme_history, name="api-programme-history"),
]
