from django.urls import path

from . import views

P = "organisations/<slug:slug>/projects/<str:code>/"

urlpatterns = [
    path("organisations/<slug:slug>/projects/", views.projects, name="api-project-list"),
    path(P, views.project_detail, name="api-project-detail"),
    path(P + "plan/", views.project_plan, name="api-project-plan"),
    path(P + "budget/", views.budget_line, name="api-project-budget-line"),
    path(P + "milestones/", views.milestones, name="api-project-milestones"),
    path(P + "follow-up/<str:period>/", views.follow_up, name="api-project-follow-up"),
]
