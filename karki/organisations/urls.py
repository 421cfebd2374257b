from django.urls import path

from karki.accounts import views as people

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("<slug:slug>/units/", views.org_unit_list, name="org-units"),
    path("<slug:slug>/units/new/", views.org_unit_edit, name="org-unit-create"),
    path("<slug:slug>/units/<int:pk>/edit/", views.org_unit_edit, name="org-unit-edit"),
    # People live in the accounts app; their pages sit under the organisation they belong to.
    path("<slug:slug>/people/", people.people_list, name="people"),
    path("<slug:slug>/people/new/", people.person_add, name="person-add"),
    path("<slug:slug>/people/changes/", people.role_changes, name="role-changes"),
    path("<slug:slug>/people/account-changes/", people.account_changes, name="account-changes"),
    path("<slug:slug>/people/<int:pk>/", people.person_edit, name="person-edit"),
    path("<slug:slug>/people/<int:pk>/remove/", people.person_remove, name="person-remove"),
]
