from django.urls import path

from . import views

app_name = "okr"
urlpatterns = [
    path("<slug:slug>/okr/", views.okr_overview, name="overview"),
    path("<slug:slug>/okr/objectives/new/", views.objective_edit, name="objective-create"),
    path("<slug:slug>/okr/objectives/<int:pk>/edit/", views.objective_edit, name="objective-edit"),
    path("<slug:slug>/okr/objectives/<int:pk>/remove/", views.objective_delete, name="objective-delete"),
    path("<slug:slug>/okr/objectives/<int:objective_pk>/key-results/new/", views.key_result_edit,
         name="key-result-create"),
    path("<slug:slug>/okr/key-results/<int:pk>/", views.key_result_detail, name="key-result"),
    path("<slug:slug>/okr/key-results/<int:pk>/edit/", views.key_result_edit, name="key-result-edit"),
    path("<slug:slug>/okr/key-results/<int:pk>/remove/", views.key_result_delete, name="key-result-delete"),
    path("<slug:slug>/okr/import/", views.import_upload, name="import"),
    path("<slug:slug>/okr/import/<uuid:job_id>/", views.import_confirm, name="import-confirm"),
    path("<slug:slug>/okr/key-results/<int:pk>/check-ins/<int:entry_pk>/confidence/", views.check_in_confidence,
         name="check-in-confidence"),
]
