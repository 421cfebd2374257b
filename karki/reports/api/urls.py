from django.urls import path

from . import views

urlpatterns = [
    path("programmes/<slug:slug>/export/measures/", views.export_measures, name="api-export-measures"),
    path("programmes/<slug:slug>/export/status-reports/", views.export_status_reports,
         name="api-export-status-reports"),
    path("programmes/<slug:slug>/export/savings-by-year/", views.export_savings_by_year,
         name="api-export-savings-by-year"),
    path("programmes/<slug:slug>/export/savings-by-theme/", views.export_savings_by_theme,
         name="api-export-savings-by-theme"),
    path("programmes/<slug:slug>/export/savings-by-org-unit/", views.export_savings_by_org_unit,
         name="api-export-savings-by-org-unit"),
    path("programmes/<slug:slug>/export/savings-by-cost-category/", views.export_savings_by_cost_category,
         name="api-export-savings-by-cost-category"),
    path("programmes/<slug:slug>/export/savings-in-the-books/", views.export_books, name="api-export-books"),
    path("programmes/<slug:slug>/export/books-unmapped/", views.export_books_unmapped,
         name="api-export-books-unmapped"),
]
