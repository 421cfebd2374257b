"""Which figures a change touches, told to every app process through the database.

A programme's figures (summary, monitoring, status picture, forecast) depend on three scopes: the
programme (its versions and their content, periods, reports, realised savings, scenarios, basket
decisions), its organisation (org units, objectives, key results, check-ins) and people (the names
shown as owners). Every write to a model of those scopes marks its scope; when the transaction
commits, the scope's `Stamp` gets a new random token. `memo` keys what it keeps by the tokens, so a
figure computed before a change is never read after it, in this process or in any other.

Writes are seen through the model signals (save and delete, including cascades) and through the
query sets' bulk writes (`MarksQuerySetMixin`: bulk_create, bulk_update and update). Within a
transaction that has marked a scope, figures of that scope are computed afresh and not kept
(`pending`): the transaction sees its own writes, which other processes must not.
"""

from __future__ import annotations

import secrets
import threading

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.signals import post_save, pre_delete

PEOPLE = "people"
EVERYTHING = "everything"  # a bulk update whose rows cannot be told apart cheaply


def programme_scope(programme_id) -> str:
    return f"programme:{programme_id}"


def organisation_scope(organisation_id) -> str:
    return f"organisation:{organisation_id}"


# How a row finds its programme or organisation (a lookup path usable in values_list), per model label.
# Models of `programmes` that hold a version's content are found by their class (VersionContent).
PROGRAMME_PATHS = {
    "programmes.programme": "pk",
    "programmes.programmeversion": "programme_id",
    "programmes.publication": "version__programme_id",
    "monitoring.period": "programme_id",
    "monitoring.statusreport": "period__programme_id",
    "monitoring.realisedsaving": "report__period__programme_id",
    "forecasts.scenario": "programme_id",
    "forecasts.basketdecision": "programme_id",
    "okr.keyresultmeasure": "programme_id",
    # The public site is made from these and from the version and issued reports: a change to any of them
    # gives its pages new tokens (public/cache.py).
    "reports.councilreport": "programme_id",
    "public.publicsite": "programme_id",
    "public.publicentry": "programme_id",
}
ORGANISATION_PATHS = {
    "programmes.programme": "organisation_id",
    "organisations.organisation": "pk",
    "organisations.orgunit": "organisation_id",
    "okr.objective": "organisation_id",
    "okr.keyresult": "objective__organisation_id",
    "okr.checkin": "key_result__objective__organisation_id",
    "okr.keyresultmeasure": "key_result__objective__organisation_id",
    # Projects are content of the organisation (their programme may change): the status picture's projects
    # section and "my work" read their follow-up, milestones and money.
    "projects.project": "organisation_id",
    "projects.budgetline": "project__organisation_id",
    "projects.milestone": "project__organisation_id",
    "projects.projectreport": "project__organisation_id",
    "projects.milestoneupdate": "report__project__organisation_id",
    "projects.spending": "report__project__organisation_id",
}
VERSION_CONTENT_PATH = "version__programme_id"


def _version_content(model) -> bool:
    from karki.programmes.models import VersionContent

    return issubclass(model, VersionContent)


def paths(model) -> tuple[str | None, str | None]:
    label = model._meta.label_lower
    programme = VERSION_CONTENT_PATH if _version_content(model) else PROGRAMME_PATHS.get(label)
    return programme, ORGANISATION_PATHS.get(label)


def tracked(model) -> bool:
    return model is _user_model() or any(paths(model))


def _user_model():
    return apps.get_model(settings.AUTH_USER_MODEL)


# ---------------------------------------------------------------------------------------------------
# Resolving rows to scopes. A path of one step is read off the row; a longer one follows its foreign
# keys, whose targets never move (a report stays in its period, a version in its programme), so what
# was found is kept for the life of the process.

_found: dict[tuple[str, str, object], object] = {}
_FOUND_MAX = 50_000


def _follow(model, path: str, row) -> object:
    if path == "pk":
        return row.pk
    first, _, rest = path.partition("__")
    if not rest:
        return getattr(row, first)
    fk_value = getattr(row, f"{first}_id", None)
    if fk_value is None:
        return None
    key = (model._meta.label_lower, path, fk_value)
    if key not in _found:
        related = model._meta.get_field(first).related_model
        value = related._default_manager.filter(pk=fk_value).values_list(rest, flat=True).first()
        if len(_found) >= _FOUND_MAX:
            _found.clear()
        _found[key] = value
    return _found[key]


def scopes_of(row) -> set[str]:
    model = type(row)
    if model is _user_model():
        return {PEOPLE}
    programme_path, organisation_path = paths(model)
    found = set()
    if programme_path:
        value = _follow(model, programme_path, row)
        found.add(programme_scope(value) if value is not None else EVERYTHING)
    if organisation_path:
        value = _follow(model, organisation_path, row)
        found.add(organisation_scope(value) if value is not None else EVERYTHING)
    return found


def scopes_of_rows(model, rows) -> set[str]:
    """The scopes of many rows of one model, with one query per path step not yet known (bulk writes)."""
    rows = list(rows)
    if not rows:
        return set()
    if model is _user_model():
        return {PEOPLE}
    found = set()
    for path, scope in zip(paths(model), (programme_scope, organisation_scope), strict=True):
        if not path:
            continue
        first, _, rest = path.partition("__")
        if path == "pk" or not rest:
            values = {row.pk if path == "pk" else getattr(row, first) for row in rows}
        else:
            fk_values = {getattr(row, f"{first}_id", None) for row in rows}
            label = model._meta.label_lower
            unknown = [v for v in fk_values if v is not None and (label, path, v) not in _found]
            if unknown:
                related = model._meta.get_field(first).related_model
                if len(_found) + len(unknown) >= _FOUND_MAX:
                    _found.clear()
                for pk, value in related._default_manager.filter(pk__in=unknown).values_list("pk", rest):
                    _found[(label, path, pk)] = value
            values = {_found.get((label, path, v)) for v in fk_values}
        found |= {scope(value) if value is not None else EVERYTHING for value in values}
    return found


def scopes_of_queryset(queryset) -> set[str]:
    """The scopes of the rows a bulk update is about to change (one query per path)."""
    model = queryset.model
    found = set()
    for path, scope in zip(paths(model), (programme_scope, organisation_scope), strict=True):
        if path:
            found |= {scope(value) if value is not None else EVERYTHING
                      for value in queryset.order_by().values_list(path, flat=True).distinct()}
    return found


# ---------------------------------------------------------------------------------------------------
# Marking within a transaction, stamping on commit.

_local = threading.local()


def pending() -> set[str]:
    """The scopes this thread's open transaction has written to (nothing outside a transaction)."""
    marked = getattr(_local, "pending", None)
    if marked is None:
        marked = _local.pending = set()
    if marked and not connection.in_atomic_block:
        marked.clear()  # committed (and stamped) or rolled back: either way nothing is pending
    return marked


def mark(scopes) -> None:
    scopes = set(scopes)
    if not scopes:
        return
    if connection.in_atomic_block:
        pending().update(scopes)
    transaction.on_commit(lambda: stamp(scopes))


def stamp(scopes) -> None:
    """New tokens for `scopes` (and for everything, when asked): in one short transaction of its own."""
    from .models import Stamp

    for scope in sorted(scopes):
        Stamp.objects.update_or_create(scope=scope, defaults={"token": secrets.token_hex(8)})


def tokens(scopes) -> tuple[str, ...]:
    """The committed tokens of `scopes` (and of everything), in one query: the key of what they made."""
    from .models import Stamp

    wanted = sorted(set(scopes) | {EVERYTHING})
    stored = dict(Stamp.objects.filter(scope__in=wanted).values_list("scope", "token"))
    return tuple(stored.get(scope, "") for scope in wanted)


# ---------------------------------------------------------------------------------------------------
# Hooks.

def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if sender is _user_model() and update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes no figure
    mark(scopes_of(instance))


def _deleting(sender, instance, **kwargs):
    mark(scopes_of(instance))


def connect() -> None:
    for model in apps.get_models():
        if tracked(model):
            post_save.connect(_saved, sender=model, dispatch_uid=f"figures-saved-{model._meta.label_lower}")
            pre_delete.connect(_deleting, sender=model, dispatch_uid=f"figures-deleting-{model._meta.label_lower}")


class MarksQuerySetMixin:
    """Bulk writes send no signals: they mark their rows' scopes themselves. (`delete()` needs nothing:
    with a delete receiver connected, Django deletes row by row and sends the signals.)"""

    def update(self, **kwargs):
        scopes = scopes_of_queryset(self)
        count = super().update(**kwargs)
        if count:
            mark(scopes)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        mark(scopes_of_rows(self.model, created))
        return created

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        count = super().bulk_update(objs, *args, **kwargs)
        mark(scopes_of_rows(self.model, objs))
        return count


class MarkedQuerySet(MarksQuerySetMixin, models.QuerySet):
    pass
