from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

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
    path("programmes/", include("karki.books.urls")),
    path("", include("karki.projects.urls")),
    path("", include("karki.public.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The interactive API reference for signed-in people (the schema it reads needs a session or a token).
    path("docs/api/", login_required(SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="api/reference.html")), name="api-docs"),
    path("api/v1/", include("karki.programmes.api.urls")),
    path("api/v1/", include("karki.okr.api.urls")),
    path("api/v1/", include("karki.monitoring.api.urls")),
    path("api/v1/", include("karki.reports.api.urls")),
    path("api/v1/", include("karki.workbooks.api.urls")),
    path("api/v1/", include("karki.forecasts.api.urls")),
    path("api/v1/", include("karki.projects.api.urls")),
    path("admin/", admin.site.urls),
]
