"""Project addresses. A project belongs to an organisation: /organisations/<org>/projects/<code>/…;
the programme's "Projects" place lists the projects followed in it."""

from django.urls import path

from .views import editing, followup, funder, pages, workbook  # noqa: F401  (each fills its own section)

app_name = "projects"

P = "organisations/<slug:slug>/projects/<str:code>/"

urlpatterns = [
    # -- reading the plan (views/pages.py)
    path("programmes/<slug:slug>/projects/", pages.not_yet, name="programme-projects"),
    path("organisations/<slug:slug>/projects/", pages.not_yet, name="organisation-projects"),
    path(P, pages.not_yet, name="project"),
    path(P + "budget/", pages.not_yet, name="budget"),
    path(P + "schedule/", pages.not_yet, name="schedule"),
    path(P + "indicators/", pages.not_yet, name="indicators"),
    path("programmes/<slug:slug>/indicators/", pages.not_yet, name="programme-indicators"),
    # -- keeping the plan (views/editing.py)
    # -- monthly follow-up and its review (views/followup.py)
    path(P + "follow-up/", followup.not_yet, name="follow-up"),
    # -- the funder's report (views/funder.py)
    path(P + "funder-reports/", funder.not_yet, name="funder-reports"),
    # -- the project workbook (views/workbook.py)
]
