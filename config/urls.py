from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("karki.core.urls")),
    path("accounts/", include("karki.accounts.urls")),
    path("programmes/", include("karki.programmes.urls")),
    path("organisations/", include("karki.organisations.urls")),
    path("organisations/", include("karki.okr.urls")),
    path("programmes/", include("karki.audit.urls")),
    path("programmes/", include("karki.monitoring.urls")),
    path("programmes/", include("karki.reports.urls")),
    path("jobs/", include("karki.jobs.urls")),
    path("", include("karki.workbooks.urls")),
    path("programmes/", include("karki.forecasts.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("karki.programmes.api.urls")),
    path("api/v1/", include("karki.okr.api.urls")),
    path("api/v1/", include("karki.monitoring.api.urls")),
    path("api/v1/", include("karki.reports.api.urls")),
    path("api/v1/", include("karki.workbooks.api.urls")),
    path("api/v1/", include("karki.forecasts.api.urls")),
    path("admin/", admin.site.urls),
]
