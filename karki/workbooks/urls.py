from django.urls import path

from . import views

app_name = "workbooks"
urlpatterns = [
    path("programmes/<slug:slug>/workbook/import/", views.programme_import, name="programme-import"),
    path("programmes/<slug:slug>/v/<int:number>/workbook/", views.version_export, name="version-export"),
    path("programmes/workbook-imports/<uuid:job_id>/confirm/", views.import_confirm, name="import-confirm"),
    path("organisations/<slug:slug>/workbook/template/", views.template_download, name="template"),
    path("organisations/<slug:slug>/workbook/import/", views.programme_create, name="programme-create"),
]
