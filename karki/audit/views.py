"""History pages and the auditor's export. Read-only: the audit trail has no write view."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from karki.lib import dates
from karki.programmes.models import Measure
from karki.programmes.permissions import get_measure_for_user, get_version

from . import export, history
from .forms import HistoryFilterForm
from .permissions import get_programme_history_for_user


def _filter_form(request, programme) -> HistoryFilterForm:
    return HistoryFilterForm(
        request.GET, versions=programme.versions.order_by("number"),
        users=history.people(history.programme_sources(programme)),
    )


@login_required
@require_GET
def programme_history(request, slug: str):
    programme = get_programme_history_for_user(request, slug)
    form = _filter_form(request, programme)
    page = history.history_page(history.programme_sources(programme, form.filters()), request.GET.get("page"))
    approved = programme.versions.filter(approved_at__isnull=False).select_related("approved_by").order_by("number")
    return render(request, "audit/programme_history.html", {
        "programme": programme, "form": form, "page": page, "approved_versions": approved,
        "elided_pages": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "nav": "programmes",
    })


@login_required
@require_GET
def measure_history(request, slug: str, number: int, code: str):
    programme = get_programme_history_for_user(request, slug)
    version = get_version(programme, number, request.user)
    measure = get_measure_for_user(request, version, code)
    page = history.history_page(history.measure_sources(measure), request.GET.get("page"))
    # A new version starts with copies; the same measure's earlier life is in the version it came from.
    earlier = None
    if version.based_on_id and Measure.objects.filter(version_id=version.based_on_id, code=code).exists():
        earlier = version.based_on
    return render(request, "audit/measure_history.html", {
        "programme": programme, "version": version, "measure": measure, "page": page, "earlier": earlier,
        "elided_pages": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "nav": "programmes",
    })


def _export(request, slug: str, extension: str):
    programme = get_programme_history_for_user(request, slug)
    filters = _filter_form(request, programme).filters()
    entries = history.iter_entries(history.programme_sources(programme, filters))
    filename = f"{programme.slug}-history-{dates.today().isoformat()}.{extension}"
    if extension == "csv":
        response = StreamingHttpResponse(export.csv_lines(entries), content_type="text/csv; charset=utf-8")
    else:
        meta = {
            "programme": programme.slug, "exported_at": timezone.localtime(dates.now()).isoformat(),
            "exported_by": request.user.get_username(),
            "filters": {key: value for key, value in vars(filters).items() if value not in (None, "")},
            "description": _("One row per changed field, oldest first."),
        }
        response = StreamingHttpResponse(export.json_chunks(entries, meta), content_type="application/json")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"  # the file names people; keep it out of shared caches
    return response


@login_required
@require_GET
def programme_history_csv(request, slug: str):
    return _export(request, slug, "csv")


@login_required
@require_GET
def programme_history_json(request, slug: str):
    return _export(request, slug, "json")


@login_required
@require_GET
def project_history(request, slug: str, code: str):
    """Every saved change to a project's plan and follow-up: who, when, old → new. Members of the
    organisation read it (the project's own readers), like the programme's history."""
    from karki.projects.permissions import get_project_for_user

    project = get_project_for_user(request, slug, code)
    page = history.history_page(history.project_sources(project), request.GET.get("page"))
    return render(request, "audit/project_history.html", {
        "project": project, "page": page, "nav": "programmes" if project.programme_id else "organisations",
        "elided_pages": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    })
