"""Project addresses. A project belongs to an organisation: /organisations/<org>/projects/<code>/…;
the programme's "Projects" place lists the projects followed in it."""

from django.urls import path

from karki.audit.views import project_history

from .views import editing, followup, funder, pages, workbook

app_name = "projects"

P = "organisations/<slug:slug>/projects/<str:code>/"

urlpatterns = [
    # Before the project's own address, which would read "new" and "import" as codes.
    path("organisations/<slug:slug>/projects/new/", editing.project_create, name="project-create"),
    path("organisations/<slug:slug>/projects/import/", workbook.organisation_import, name="organisation-import"),
    path("organisations/<slug:slug>/projects/import/template.xlsx", workbook.workbook_template,
         name="workbook-template"),
    path("projects/workbook-imports/<uuid:job_id>/confirm/", workbook.import_confirm, name="workbook-import-confirm"),
    # -- reading the plan (views/pages.py)
    path("programmes/<slug:slug>/projects/", pages.programme_projects, name="programme-projects"),
    path("organisations/<slug:slug>/projects/", pages.organisation_projects, name="organisation-projects"),
    path(P, pages.project, name="project"),
    path(P + "budget/", pages.budget, name="budget"),
    path(P + "schedule/", pages.schedule, name="schedule"),
    path(P + "indicators/", pages.indicators, name="indicators"),
    path("programmes/<slug:slug>/indicators/", pages.programme_indicators, name="programme-indicators"),
    # -- keeping the plan (views/editing.py)
    path(P + "edit/", editing.project_edit, name="project-edit"),
    path(P + "structure/edit/", editing.structure_edit, name="structure-edit"),
    path(P + "funders/edit/", editing.funders_edit, name="funders-edit"),
    path(P + "budget/edit/", editing.budget_edit, name="budget-edit"),
    path(P + "schedule/edit/", editing.schedule_edit, name="schedule-edit"),
    path(P + "risks/edit/", editing.risks_edit, name="risks-edit"),
    path(P + "indicators/edit/", editing.indicators_edit, name="indicators-edit"),
    path(P + "indicators/<str:indicator>/values/new/", editing.indicator_value_create, name="indicator-value-create"),
    path("programmes/<slug:slug>/indicators/<str:indicator>/values/new/", editing.programme_indicator_value_create,
         name="programme-indicator-value-create"),
    # -- monthly follow-up and its review (views/followup.py)
    path(P + "follow-up/", followup.follow_up, name="follow-up"),
    path(P + "follow-up/<str:period>/", followup.follow_up_period, name="follow-up-period"),
    path(P + "follow-up/<str:period>/review/", followup.follow_up_review, name="follow-up-review"),
    # -- the funder's report (views/funder.py)
    path(P + "funder-reports/", funder.funder_reports, name="funder-reports"),
    path(P + "funder-reports/<int:pk>/", funder.funder_report, name="funder-report"),
    path(P + "funder-reports/<int:pk>/<str:kind>/", funder.funder_report_file, name="funder-report-file"),
    # -- who changed what and when (karki/audit)
    path(P + "history/", project_history, name="history"),
    # -- the project workbook (views/workbook.py)
    path(P + "workbook.xlsx", workbook.workbook_export, name="workbook-export"),
    path(P + "import/", workbook.workbook_import, name="workbook-import"),
]
