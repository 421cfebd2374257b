from django.urls import path

from . import views

app_name = "okr"
urlpatterns = [
    path("<slug:slug>/okr/", views.okr_overview, name="overview"),
    path("<slug:slug>/okr/key-results/<int:pk>/", views.key_result_detail, name="key-result"),
    path("<slug:slug>/okr/import/", views.import_upload, name="import"),
    path("<slug:slug>/okr/import/confirm/", views.import_confirm, name="import-confirm"),
]
