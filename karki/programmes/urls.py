from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("<slug:slug>/", views.programme_detail, name="programme-detail"),
    path("<slug:slug>/measures/", views.measure_list, name="measures-latest"),
    path("<slug:slug>/risks/", views.risk_list, name="risks-latest"),
    path("<slug:slug>/compare/", views.compare_versions, name="compare"),
    path("<slug:slug>/versions/new/", views.version_start, name="version-start"),
    path("<slug:slug>/v/<int:number>/", views.programme_detail, name="version-detail"),
    path("<slug:slug>/v/<int:number>/approve/", views.version_approve, name="version-approve"),
    path("<slug:slug>/v/<int:number>/publication/", views.version_publish, name="version-publish"),
    path("<slug:slug>/v/<int:number>/risks/", views.risk_list, name="risk-list"),
    path("<slug:slug>/v/<int:number>/risks/new/", views.risk_edit, name="risk-create"),
    path("<slug:slug>/v/<int:number>/risks/<str:code>/edit/", views.risk_edit, name="risk-edit"),
    path("<slug:slug>/v/<int:number>/risks/<str:code>/delete/", views.risk_delete, name="risk-delete"),
    path("<slug:slug>/v/<int:number>/themes/new/", views.theme_edit, name="theme-create"),
    path("<slug:slug>/v/<int:number>/themes/<str:code>/edit/", views.theme_edit, name="theme-edit"),
    path("<slug:slug>/v/<int:number>/themes/<str:theme_code>/targets/new/", views.target_edit, name="target-create"),
    path("<slug:slug>/v/<int:number>/targets/<str:code>/edit/", views.target_edit, name="target-edit"),
    path("<slug:slug>/v/<int:number>/measures/", views.measure_list, name="measure-list"),
    path("<slug:slug>/v/<int:number>/measures/new/", views.measure_edit, name="measure-create"),
    path("<slug:slug>/v/<int:number>/measures/<str:code>/", views.measure_detail, name="measure-detail"),
    path("<slug:slug>/v/<int:number>/measures/<str:code>/edit/", views.measure_edit, name="measure-edit"),
    path("<slug:slug>/v/<int:number>/measures/<str:code>/delete/", views.measure_delete, name="measure-delete"),
    path("<slug:slug>/v/<int:number>/measures/<str:code>/estimate/", views.measure_estimate_edit,
         name="measure-estimate"),
    path("<slug:slug>/v/<int:number>/measures/<str:code>/dependencies/new/", views.dependency_add,
         name="dependency-add"),
    path("<slug:slug>/v/<int:number>/measures/<str:code>/dependencies/<str:other>/remove/", views.dependency_remove,
         name="dependency-remove"),
]
