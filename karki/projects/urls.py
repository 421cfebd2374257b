"""Project addresses. A project belongs to an organisation: /organisations/<org>/projects/<code>/…;
the programme's "Projects" place lists the projects followed in it."""

from django.urls import path

from karki.audit.views import project_history

from .views import editing, followup, funder, pages, workbook  # noqa: F401  (each fills its own section)

app_name = "projects"

P = "organisations/<slug:slug>/projects/<str:code>/"

urlpatterns = [
    # Before the project's own address, which would read "new" and "import" as codes.
    path("organisations/<slug:slug>/projects/new/", editing.not_yet, name="project-create"),
    path("organisations/<slug:slug>/projects/import/", workbook.organisation_import, name="organisation-import"),
    path("organisations/<slug:slug>/projects/import/template.xlsx", workbook.workbook_template,
         name="workbook-template"),
    path("projects/workbook-imports/<uuid:job_id>/confirm/", workbook.import_confirm, name="workbook-import-confirm"),
    # -- reading the plan (views/pages.py)
    path("programmes/<slug:slug>/projects/", pages.not_yet, name="programme-projects"),
    path("organisations/<slug:slug>/projects/", pages.not_yet, name="organisation-projects"),
    path(P, pages.not_yet, name="project"),
    path(P + "budget/", pages.not_yet, name="budget"),
    path(P + "schedule/", pages.not_yet, name="schedule"),
    path(P + "indicators/", pages.not_yet, name="indicators"),
    path("programmes/<slug:slug>/indicators/", pages.not_yet, name="programme-indicators"),
    # -- keeping the plan (views/editing.py)
    path(P + "edit/", editing.not_yet, name="project-edit"),
    path(P + "structure/edit/", editing.not_yet, name="structure-edit"),
    path(P + "funders/edit/", editing.not_yet, name="funders-edit"),
    path(P + "budget/edit/", editing.not_yet, name="budget-edit"),
    path(P + "schedule/edit/", editing.not_yet, name="schedule-edit"),
    path(P + "risks/edit/", editing.not_yet, name="risks-edit"),
    path(P + "indicators/edit/", editing.not_yet, name="indicators-edit"),
    path(P + "indicators/<str:indicator>/values/new/", editing.not_yet, name="indicator-value-create"),
    path("programmes/<slug:slug>/indicators/<str:indicator>/values/new/", editing.not_yet,
         name="programme-indicator-value-create"),
    # -- monthly follow-up and its review (views/followup.py)
    path(P + "follow-up/", followup.not_yet, name="follow-up"),
    path(P + "follow-up/<str:period>/", followup.not_yet, name="follow-up-period"),
    path(P + "follow-up/<str:period>/review/", followup.not_yet, name="follow-up-review"),
    # -- the funder's report (views/funder.py)
    path(P + "funder-reports/", funder.not_yet, name="funder-reports"),
    path(P + "funder-reports/<int:pk>/", funder.not_yet, name="funder-report"),
    # -- who changed what and when (karki/audit)
    path(P + "history/", project_history, name="history"),
    # -- the project workbook (views/workbook.py)
    path(P + "workbook.xlsx", workbook.workbook_export, name="workbook-export"),
    path(P + "import/", workbook.workbook_import, name="workbook-import"),
]
