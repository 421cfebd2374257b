from django.urls import path

from . import views

urlpatterns = [
    path("organisations/<slug:slug>/key-results/", views.key_result_list, name="api-key-result-list"),
    path("organisations/<slug:slug>/key-results/<int:pk>/check-ins/", views.check_in, name="api-check-in"),
]
