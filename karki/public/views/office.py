"""The programme office's settings of the public site (signed in): whether the programme is published to
residents and what they see of it. Every write goes through `karki.public.services`; a refused save shows
the service's message on the same form with everything typed still in it (status 400).

The settings page answers first "is our programme public, and what do residents see?", then holds the
site's form and the list of themes and measures, whose settings change many at a time. One theme or
measure's texts for residents are written on a page of their own.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from karki.core.content import translated
from karki.core.forms import apply_errors

from .. import services
from ..enums import EntryKind
from ..forms import EntryForm, SiteForm, VisibilityForm
from ..overview import Overview, Row, overview
from ..permissions import get_programme_for_office
from ..reading import LANGUAGES
from .common import public_url

# What the list can be narrowed to (?show=…), in the order the filter offers it.
SHOWS = {
    "": lambda row: True,
    "public": lambda row: row.public,
    "hidden": lambda row: not row.public,
    "no-text": lambda row: row.public and not row.text_languages,
}


def _show_choices() -> list[tuple[str, str]]:
    return [("", _("All themes and measures")), ("public", _("Shown to residents")),
            ("hidden", _("Not shown to residents")), ("no-text", _("Shown, but without a text for residents"))]


def _lang() -> str:
    language = (get_language() or "fi")[:2]
    return language if language in LANGUAGES else "fi"


def default_label(row: Row) -> str:
    """The "by default" choice of a row says what it means for this theme or measure now."""
    return _("By default (public)") if row.default_public else _("By default (not public)")


def _addresses(programme) -> list[tuple[str, str, str]]:
    """(language code, its name in that language, address) of the public site's front page."""
    names = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}
    return [(code, names[code], public_url("home", code, slug=programme.slug)) for code in LANGUAGES]


def _settings_url(programme, show: str = "") -> str:
    url = reverse("public:office", args=[programme.slug])
    return f"{url}?show={show}" if show else url


def _groups_shown(data: Overview, show: str, form: VisibilityForm, conflict_rows: dict) -> list[dict]:
    """The groups of the list narrowed by `show`, each row with its inputs: a theme stays as the heading of
    its measures that are shown, even when it does not match itself."""
    keep = SHOWS[show]

    def item(row: Row) -> dict:
        return {"row": row, "choice": form[f"v-{row.key}"], "was": form[f"was-{row.key}"],
                "revision": form[f"rev-{row.key}"], "matches": keep(row),
                "conflict": row.key in conflict_rows, "saved_meanwhile": conflict_rows.get(row.key)}

    groups = []
    for group in data.groups:
        measures = [item(row) for row in group.measures if keep(row)]
        theme = group.theme if group.theme is not None and (keep(group.theme) or measures) else None
        if theme is not None or measures:
            groups.append({"theme": item(theme) if theme is not None else None, "measures": measures})
    return groups


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request, slug: str):
    programme = get_programme_for_office(request, slug)
    data = overview(programme)
    show = request.GET.get("show", "")
    show = show if show in SHOWS else ""
    action = request.POST.get("save") if request.method == "POST" else None
    site_form = SiteForm(request.POST if action == "site" else None, site=data.site)
    rows = data.rows
    list_form = VisibilityForm(request.POST if action == "visibility" else None, rows=rows,
                               default_labels={row.key: default_label(row) for row in rows})
    conflict_rows: dict[str, object] = {}
    refused = False

    if action == "site":
        if site_form.is_valid():
            was_published = data.published
            try:
                site = services.save_site(
                    programme, by=request.user, revision=site_form.cleaned_data["revision"],
                    is_published=site_form.cleaned_data["is_published"],
                    resident_text=site_form.translated_values("resident_text"),
                    contact_name=site_form.cleaned_data["contact_name"],
                    contact_email=site_form.cleaned_data["contact_email"],
                    feedback_url=site_form.cleaned_data["feedback_url"])
            except ValidationError as error:
                apply_errors(site_form, error)
            else:
                if site.is_published and not was_published:
                    messages.success(request, _("The programme is now public: anybody can read it at %(address)s.")
                                     % {"address": public_url("home", _lang(), slug=programme.slug)})
                elif was_published and not site.is_published:
                    messages.success(request, _("The public site is withdrawn: residents no longer see the "
                                                "programme."))
                else:
                    messages.success(request, _("The public site's settings were saved."))
                return redirect(_settings_url(programme, show))
        refused = True
    elif action == "visibility":
        if list_form.is_valid():
            try:
                saved = services.set_visibility(programme, by=request.user, changes=list_form.changes(),
                                                revisions=list_form.revisions())
            except services.VisibilityConflict as conflict:
                list_form.reopen(conflict)
                list_form.add_error(None, conflict.messages[0])
                conflict_rows = {f"{kind}-{code}": entry for (kind, code), entry in conflict.current.items()}
            except ValidationError as error:
                apply_errors(list_form, error)
            else:
                if saved:
                    messages.success(request, ngettext(
                        "Saved: %(count)s theme or measure now shown or hidden as you chose.",
                        "Saved: %(count)s themes and measures now shown or hidden as you chose.",
                        len(saved)) % {"count": len(saved)})
                else:
                    messages.info(request, _("Nothing was changed in the list."))
                return redirect(_settings_url(programme, show) + "#entries")
        refused = True
    elif action is not None:
        refused = True
        messages.error(request, _("Nothing was saved: save the site's settings or the list with its own button."))

    groups = _groups_shown(data, show, list_form, conflict_rows)
    approved = data.versions.approved
    return render(request, "public/office.html", {
        "programme": programme, "data": data, "site_form": site_form, "list_form": list_form, "groups": groups,
        "shown_count": sum(len(g["measures"]) + (1 if g["theme"] and g["theme"]["matches"] else 0) for g in groups),
        "approved_on": timezone.localtime(approved.approved_at).date() if approved and approved.approved_at else None,
        "show": show, "show_choices": _show_choices(), "conflict_rows": conflict_rows,
        "addresses": _addresses(programme), "public_home": public_url("home", _lang(), slug=programme.slug),
        "nav": "programmes",
    }, status=400 if refused else 200)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, slug: str, kind: str, code: str):
    """One theme or measure: whether residents see it, and what it changes for them in fi/sv/en."""
    programme = get_programme_for_office(request, slug)
    if kind not in EntryKind.values:
        raise Http404
    data = overview(programme)
    row = next((r for r in data.rows if r.kind == kind and r.code == code), None)
    if row is None:
        raise Http404
    form = EntryForm(request.POST or None, entry=row.entry, default_label=default_label(row))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_entry(
                programme, kind=kind, code=code, by=request.user, revision=form.cleaned_data["revision"],
                visibility=form.cleaned_data["visibility"],
                resident_text=form.translated_values("resident_text"),
                services=form.translated_values("services"), areas=form.translated_values("areas"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: %(code)s on the public site.") % {"code": code})
            return redirect(_settings_url(programme) + f"#row-{row.key}")
    theme_row = None
    if kind == EntryKind.MEASURE:
        theme_row = next((g.theme for g in data.groups if row in g.measures), None)
    page_name = "theme" if kind == EntryKind.THEME else "measure"
    # Many measures' descriptions repeat their name; the name is already the heading.
    description = translated(row.obj, "description").text.strip()
    return render(request, "public/office_entry.html", {
        "programme": programme, "data": data, "row": row, "obj": row.obj, "form": form, "theme_row": theme_row,
        "preview": public_url(page_name, _lang(), slug=programme.slug, code=code)
        if data.published and row.public else "",
        "settings_url": _settings_url(programme), "nav": "programmes",
        "show_description": bool(description) and description != translated(row.obj, "name").text.strip(),
    }, status=400 if form.is_bound and form.errors else 200)
