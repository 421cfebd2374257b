from django.urls import path

from . import views

app_name = "books"
urlpatterns = [
    path("<slug:slug>/books/", views.reconciliation, name="reconciliation"),
    path("<slug:slug>/books/mapping/", views.mapping, name="mapping"),
    path("<slug:slug>/books/import/", views.import_books, name="import"),
]
