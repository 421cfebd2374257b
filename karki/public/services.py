"""Writes to the public site's settings: whether the programme is published to residents, its contact and
texts, and which themes and measures residents see. The settings pages, the demo loader and commands all
call these functions.

Each runs in a transaction, refuses a save based on an older revision than the stored one (somebody else
saved meanwhile), records who and when (`updated_by`, and the history with its author) and raises
`ValidationError` with a message for the person when the input breaks a rule. The public pages follow by
themselves: a write to these models gives the programme new tokens (`karki.figures.marks`), so no cached
page made before it is served after it.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from karki.accounts import permissions as perms
from karki.core.conflicts import NOT_YET_SAVED, StaleEdit, check_revision
from karki.core.content import set_translations

from .enums import EntryKind, Visibility
from .models import PublicEntry, PublicSite, split_list
from .overview import find_content, versions
from .reading import public_version

# Columns a conflict does not list: modeltranslation's base column repeats one language, and who saved
# when is said by the conflict's authors.
_NOT_COMPARED = ("resident_text", "services", "areas", "updated_at", "updated_by")

# Why a history row was written, beyond what its fields say (read by karki.audit.history.REASON_WORDS).
PUBLISHED, WITHDRAWN = "public site published", "public site withdrawn"


class VisibilityConflict(ValidationError):
    """Somebody else saved the setting of some of the rows after the list was opened; nothing was saved.
    `current` holds what is stored now for those rows, by (kind, code)."""

    def __init__(self, current: dict[tuple[str, str], PublicEntry | None]):
        codes = ", ".join(code for _kind, code in sorted(current, key=lambda key: key[1]))
        super().__init__(
            _("Someone else saved the public site settings of %(codes)s meanwhile. Nothing was saved: your "
              "choices are still in the list, with what was saved meanwhile beside them. Check them and save "
              "again.") % {"codes": codes},
            code="stale_edit")
        self.current = current


def _check_allowed(by, programme) -> None:
    if not perms.can_manage_public_site(by, programme):
        raise PermissionDenied


def _save(obj, by, *, reason: str = "") -> None:
    """Stamp and save `obj`; a row that somebody else created meanwhile (two first saves at once) is a
    stale edit like any other."""
    if obj.pk is not None:
        obj.revision = (obj.revision or 0) + 1
    obj.updated_by = by
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.full_clean(validate_unique=False, validate_constraints=False)
    creating = obj.pk is None
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        if not creating:
            raise
        model = type(obj)
        lookup = {"programme": obj.programme} if model is PublicSite else {
            "programme": obj.programme, "kind": obj.kind, "code": obj.code}
        raise StaleEdit(model.objects.get(**lookup), NOT_YET_SAVED, hidden_fields=_NOT_COMPARED) from None


def _texts(obj, field: str, values: Mapping[str, str] | None, *, as_list: bool = False) -> None:
    values = dict(values or {})
    if as_list:  # "Kotka ,Kouvola;" is kept as "Kotka, Kouvola": the public search splits it the same way
        values = {code: ", ".join(split_list(value or "")) for code, value in values.items()}
    set_translations(obj, field, values)


@transaction.atomic
def save_site(programme, *, by, revision: int | None, is_published: bool, resident_text: Mapping[str, str],
              contact_name: str, contact_email: str, feedback_url: str) -> PublicSite:
    """The programme's public site: published or not, its contact and what changes for residents.

    `revision` is the one the form was opened on (`NOT_YET_SAVED` when there were no settings yet; None
    checks nothing). Publishing needs an approved version, which is what residents read, and a contact
    address or a feedback form, so that they can answer."""
    _check_allowed(by, programme)
    site = PublicSite.objects.filter(programme=programme).first()
    if site is None:
        site = PublicSite(programme=programme)
    else:
        check_revision(site, revision, hidden_fields=_NOT_COMPARED)
        site.refresh_from_db()
    was_published = site.pk is not None and site.is_published
    site.is_published = bool(is_published)
    site.contact_name = (contact_name or "").strip()
    site.contact_email = (contact_email or "").strip()
    site.feedback_url = (feedback_url or "").strip()
    _texts(site, "resident_text", resident_text)
    if site.is_published:
        errors = {}
        if public_version(programme) is None:
            errors["is_published"] = _(
                "The programme has no approved version yet. Residents only ever see an approved version: "
                "approve one first, then publish.")
        if not (site.contact_email or site.feedback_url):
            errors["contact_email"] = _(
                "Give a contact and feedback address or the address of a feedback form before publishing, "
                "so that residents can reach the programme.")
        if errors:
            raise ValidationError(errors)
    reason = ""
    if site.is_published != was_published:
        reason = PUBLISHED if site.is_published else WITHDRAWN
    _save(site, by, reason=reason)
    return site


def _content(programme, kind: str, code: str, found=None):
    obj = find_content(programme, kind, code, found)
    if obj is None:
        raise ValidationError(_("%(code)s is not a theme or measure of the programme's latest approved version "
                                "or of its draft.") % {"code": code}, code="unknown_code")
    return obj


def _check_visibility(visibility: str) -> None:
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose whether it is shown on the public site.")})


@transaction.atomic
def save_entry(programme, *, kind: str, code: str, by, revision: int | None, visibility: str,
               resident_text: Mapping[str, str], services: Mapping[str, str],
               areas: Mapping[str, str]) -> PublicEntry:
    """A theme or measure on the public site: shown or not, and what it changes for residents (with the
    services and areas it concerns, which the public search offers). `revision`: as in `save_site`."""
    _check_allowed(by, programme)
    if kind not in EntryKind.values:
        raise ValidationError(_("Choose a theme or a measure."), code="unknown_kind")
    _content(programme, kind, code)
    _check_visibility(visibility)
    entry = PublicEntry.objects.filter(programme=programme, kind=kind, code=code).first()
    if entry is None:
        entry = PublicEntry(programme=programme, kind=kind, code=code)
    else:
        check_revision(entry, revision, hidden_fields=_NOT_COMPARED)
        entry.refresh_from_db()
    entry.visibility = visibility
    _texts(entry, "resident_text", resident_text)
    _texts(entry, "services", services, as_list=True)
    _texts(entry, "areas", areas, as_list=True)
    _save(entry, by)
    return entry


@transaction.atomic
def set_visibility(programme, *, by, changes: Mapping[tuple[str, str], str],
                   revisions: Mapping[tuple[str, str], int] | None = None) -> list[PublicEntry]:
    """Whether each of many themes and measures is shown, in one save: `changes` maps (kind, code) to a
    `Visibility`, `revisions` (kind, code) to the revision its row was opened on (`NOT_YET_SAVED` when it
    had no settings; a key left out checks nothing). When somebody else saved any of them meanwhile,
    nothing is saved (`VisibilityConflict`). Returns the rows whose setting changed."""
    _check_allowed(by, programme)
    revisions = revisions or {}
    found = versions(programme)
    for (kind, code), visibility in changes.items():
        if kind not in EntryKind.values:
            raise ValidationError(_("Choose a theme or a measure."), code="unknown_kind")
        _content(programme, kind, code, found)
        _check_visibility(visibility)
    # Locked in a stable order (on PostgreSQL), so two saves of overlapping rows cannot deadlock.
    keys = sorted(changes)
    stored = {(e.kind, e.code): e for e in PublicEntry.objects.select_for_update().filter(
        programme=programme, kind__in={kind for kind, _code in keys}, code__in={code for _kind, code in keys})
        .order_by("kind", "code")}
    stale = {}
    for key in keys:
        entry = stored.get(key)
        expected = revisions.get(key)
        if expected is not None and (entry.revision if entry is not None else NOT_YET_SAVED) != expected:
            stale[key] = entry
    if stale:
        raise VisibilityConflict(stale)
    saved = []
    for key in keys:
        kind, code = key
        entry = stored.get(key) or PublicEntry(programme=programme, kind=kind, code=code)
        if entry.visibility == changes[key]:
            continue  # unchanged, or "by default" for a row that has no settings yet
        entry.visibility = changes[key]
        _save(entry, by)
        saved.append(entry)
    return saved
