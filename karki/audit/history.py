"""Read side of the audit trail: who changed what and when, old → new, in words a person reads.

django-simple-history writes a row into a history table for each save or delete of a
Programme, a ProgrammeVersion and every version content model (see
karki/programmes/translation.py). A history view draws from several of those tables at once
(a *source* is one table with a filter); this module merges them newest first and describes
each row as an `Entry` with its field-by-field `Change`s.

Pagination lets the database do the merge: every source contributes only its sort keys
(history_date, source number, history_id) to one UNION ALL, which the database orders, counts
and slices. Only the rows on the page are then loaded: one query per table that appears on the
page, one for the rows' previous versions (to compute old → new) and one per kind of object
they refer to. Nothing loads a whole history into Python, however long it grows.

An export walks the sources oldest first with database cursors merged lazily (`iter_entries`),
describing a batch of rows at a time, so its memory stays flat too.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from itertools import islice

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import IntegerField, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.translator import NotRegistered, translator

from karki.core.content import CONTENT_LANGUAGES, active_language, translated
from karki.core.forms import LANGUAGE_NAMES
from karki.forecasts.models import BasketDecision
from karki.lib import formatting
from karki.monitoring.models import RealisedSaving, StatusReport
from karki.organisations.models import OrgUnit
from karki.programmes.enums import VersionStatus
from karki.programmes.models import (
    VERSION_CONTENT_MODELS,
    CostCategoryEffect,
    FundingAllocation,
    ImpactAssessment,
    Measure,
    MeasureDependency,
    Programme,
    ProgrammeVersion,
    ProjectMeasure,
    Publication,
    StatedTotal,
    TopDownTarget,
    YearlyRampStep,
)
from karki.public.models import PublicEntry, PublicSite

PER_PAGE = 25

# Everything the programme history shows, in the order the "kind of object" filter lists it.
PROGRAMME_MODELS: list[type[models.Model]] = [Programme, ProgrammeVersion, Publication, *VERSION_CONTENT_MODELS,
                                              BasketDecision, RealisedSaving, PublicSite, PublicEntry]
# Rows of the programme itself rather than of one of its versions (management's decisions on baskets; the
# realised savings owners claim and finance verifies; what the programme office shows residents), with how
# each finds its programme.
PROGRAMME_LEVEL_MODELS = {BasketDecision: "programme_id", RealisedSaving: "report__period__programme_id",
                          PublicSite: "programme_id", PublicEntry: "programme_id"}

# Columns that are not content: keys, the version an object sits in (the entry says it), the
# optimistic-locking counter, display order, creation stamps, and who saved when (the entry says it).
SKIPPED_FIELDS = {"id", "version", "programme", "revision", "order", "created_at", "updated_at", "updated_by"}

CREATED, CHANGED, DELETED, APPROVED = "created", "changed", "deleted", "approved"
ACTIONS = {"+": CREATED, "~": CHANGED, "-": DELETED}
ACTION_LABELS = {
    CREATED: gettext_lazy("Created"),
    CHANGED: gettext_lazy("Changed"),
    DELETED: gettext_lazy("Deleted"),
    APPROVED: gettext_lazy("Approved"),
}
SYSTEM_USER = "system"

# How an object is named in an entry when it has no `code` of its own: fields to join, separator.
IDENTIFIERS: dict[type[models.Model], tuple[tuple[str, ...], str]] = {
    Programme: (("slug",), ""),
    ProgrammeVersion: (("number",), ""),
    Publication: (("version",), ""),
    YearlyRampStep: (("year",), ""),
    MeasureDependency: (("measure", "depends_on"), " → "),
    ProjectMeasure: (("project", "measure"), " – "),
    CostCategoryEffect: (("target", "measure", "category"), " – "),
    ImpactAssessment: (("theme", "measure"), " – "),
    StatedTotal: (("theme",), ""),
    FundingAllocation: (("funding", "theme", "label_fi"), " – "),
    TopDownTarget: (("category", "org_unit"), " – "),
    BasketDecision: (("basket", "decided_on"), " – "),
    RealisedSaving: (("report", "category"), " – "),
    PublicSite: ((), ""),
    PublicEntry: (("kind", "code"), " "),
}


def _project_identifiers() -> None:
    """Projects' rows without a code of their own (registered here: karki.projects imports this app's
    neighbours, not the other way round)."""
    from karki.projects import models as pm

    IDENTIFIERS.update({
        pm.BudgetLine: (("item", "year", "cost_type"), " – "),
        pm.BudgetShare: (("line", "funder"), " – "),
        pm.IndicatorValue: (("project_indicator", "measured_on"), " – "),
        pm.ProjectReport: (("period",), ""),
        pm.MilestoneUpdate: (("report", "milestone"), " – "),
        pm.Spending: (("report", "cost_type", "funder"), " – "),
    })


_project_identifiers()


# -- Sources and filters -------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One history table (of `model`) restricted by `condition`."""

    model: type[models.Model]
    condition: Q = field(default_factory=Q)

    @property
    def history_model(self) -> type[models.Model]:
        return self.model.history.model

    def queryset(self) -> models.QuerySet:
        return self.history_model.objects.filter(self.condition)


@dataclass(frozen=True)
class HistoryFilters:
    version: int | None = None  # version number
    user: int | str | None = None  # a user's id, or SYSTEM_USER for changes without a person
    kind: str | None = None  # a model_name from PROGRAMME_MODELS
    date_from: date | None = None
    date_to: date | None = None

    def condition(self) -> Q:
        q = Q()
        if self.user == SYSTEM_USER:
            q &= Q(history_user__isnull=True)
        elif self.user:
            q &= Q(history_user_id=self.user)
        if self.date_from:
            q &= Q(history_date__date__gte=self.date_from)  # __date is the local (Helsinki) date
        if self.date_to:
            q &= Q(history_date__date__lte=self.date_to)
        return q


def kind_choices() -> list[tuple[str, str]]:
    return [(model._meta.model_name, capfirst(model._meta.verbose_name)) for model in PROGRAMME_MODELS]


def _version_ids(programme: Programme, number: int | None = None) -> models.QuerySet:
    """Ids of the programme's versions, deleted drafts included (their history stays readable)."""
    qs = ProgrammeVersion.history.model.objects.filter(programme_id=programme.pk)
    if number is not None:
        qs = qs.filter(number=number)
    return qs.values("id")


def programme_sources(programme: Programme, filters: HistoryFilters | None = None) -> list[Source]:
    """The programme, its versions and everything in them, narrowed by `filters`."""
    filters = filters or HistoryFilters()
    common = filters.condition()
    version_ids = _version_ids(programme, filters.version)
    sources = []
    for model in PROGRAMME_MODELS:
        if filters.kind and model._meta.model_name != filters.kind:
            continue
        if model is Programme:
            if filters.version is not None:
                continue  # the programme's own fields belong to no version
            condition = Q(id=programme.pk)
        elif model is ProgrammeVersion:
            condition = Q(id__in=version_ids)
        elif model in PROGRAMME_LEVEL_MODELS:
            if filters.version is not None:
                continue  # decisions on the programme and its monitoring belong to no version
            condition = Q(**{PROGRAMME_LEVEL_MODELS[model]: programme.pk})
        else:
            condition = Q(version_id__in=version_ids)
        sources.append(Source(model, condition & common))
    return sources


def measure_sources(measure: Measure) -> list[Source]:
    """The measure and what hangs on it: dependencies, cost effects, impacts, project links. (Its realised
    savings belong to the programme's run, not to a version: they are in the programme's history.)"""
    return [
        Source(Measure, Q(id=measure.pk)),
        Source(MeasureDependency, Q(measure_id=measure.pk) | Q(depends_on_id=measure.pk)),
        Source(CostCategoryEffect, Q(measure_id=measure.pk)),
        Source(ImpactAssessment, Q(measure_id=measure.pk)),
        Source(ProjectMeasure, Q(measure_id=measure.pk)),
    ]


def project_sources(project) -> list[Source]:
    """The project's plan and follow-up: its facts, structure, funders, budget and shares, schedule, risks,
    indicators and their values, and the monthly follow-up with its milestone statuses and spending. Rows
    that hang on a removed parent are still found: the parents' ids come from their history tables."""
    from karki.projects import models as pm

    pk = project.pk

    def ids(model, **where):
        return model.history.model.objects.filter(**where).values("id")

    return [
        Source(pm.Project, Q(id=pk)),
        *(Source(model, Q(project_id=pk)) for model in (pm.WorkItem, pm.Funder, pm.BudgetLine, pm.Phase,
                                                          pm.Milestone, pm.ProjectRisk, pm.ProjectIndicator,
                                                          pm.ProjectReport)),
        Source(pm.BudgetShare, Q(line_id__in=ids(pm.BudgetLine, project_id=pk))),
        Source(pm.IndicatorValue, Q(project_indicator_id__in=ids(pm.ProjectIndicator, project_id=pk))),
        Source(pm.MilestoneUpdate, Q(report_id__in=ids(pm.ProjectReport, project_id=pk))),
        Source(pm.Spending, Q(report_id__in=ids(pm.ProjectReport, project_id=pk))),
    ]


def people(sources: list[Source]) -> list:
    """Everybody who appears as the author of a change in these sources, by name."""
    parts = [source.queryset().order_by().values("history_user_id") for source in sources]
    if not parts:
        return []
    ids = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0].distinct()
    user_ids = {row["history_user_id"] for row in ids if row["history_user_id"] is not None}
    users = get_user_model().objects.filter(pk__in=user_ids)
    return sorted(users, key=lambda user: person_name(user).lower())


# -- Entries -------------------------------------------------------------------------------


@dataclass
class Change:
    field: str  # the stored column, e.g. "name_fi", "estimate_amount_eur"
    label: str  # "Name (in Finnish)"
    old: str  # as a person reads it, in the active language
    new: str
    old_value: str  # as stored: decimals with a point, ISO dates, ids of related objects
    new_value: str


@dataclass
class Entry:
    when: datetime
    user: object | None
    who: str
    action: str
    model: type[models.Model]
    object_id: int
    identifier: str
    version_number: int | None
    reason: str
    changes: list[Change]
    approved_by: str = ""
    approved_at: datetime | None = None
    history_id: int = 0

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])

    @property
    def kind_label(self) -> str:
        return capfirst(self.model._meta.verbose_name)

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name

    @property
    def what(self) -> str:
        """"Measure 1.1.a", "Programme version 2"."""
        if self.model is ProgrammeVersion:
            return _("Version %(number)s") % {"number": self.identifier}
        return f"{self.kind_label} {self.identifier}".strip()

    @property
    def summary(self) -> str:
        if self.action == APPROVED:
            return _("Version %(number)s approved by %(person)s") % {
                "number": self.identifier, "person": self.approved_by or self.who}
        return f"{self.action_label}: {self.what}"

    @property
    def reason_text(self) -> str:
        return readable_reason(self.reason)

    @property
    def key(self) -> str:
        """Unique within a page, for element ids."""
        return f"{self.model_name}-{self.history_id}"


# The reasons services store with a change are short tokens ("approved", "load_demo: approved", "workbook
# import: muutos.xlsx"), kept as stored for exports and the API; pages show them in the reader's language.
REASON_WORDS = {
    "approved": gettext_lazy("approved"), "published": gettext_lazy("published"),
    "withdrawn": gettext_lazy("publication withdrawn"), "estimate": gettext_lazy("estimate changed"),
    "deleted": gettext_lazy("removed"), "load_demo": gettext_lazy("demo data loaded"),
    "workbook import": gettext_lazy("workbook import"), "added": gettext_lazy("person added"),
    "roles": gettext_lazy("roles changed"), "removed": gettext_lazy("person removed"),
    "single sign-on": gettext_lazy("single sign-on"), "details": gettext_lazy("details changed"),
    "deactivated": gettext_lazy("account deactivated"),
    "verified": gettext_lazy("verified by finance"), "verification adjusted": gettext_lazy("verification adjusted"),
    "verification rejected": gettext_lazy("rejected by finance"),
    "claim changed after verification": gettext_lazy("claim changed after verification"),
    "public site published": gettext_lazy("published to residents"),
    "public site withdrawn": gettext_lazy("withdrawn from residents"),
}


def readable_reason(reason: str) -> str:
    """A stored reason in the active language: each known part translated, the rest (a file name) as it is."""
    parts = []
    for part in (reason or "").split(": "):
        if part in REASON_WORDS:
            parts.append(str(REASON_WORDS[part]))
        elif part.startswith("copy of version ") and part[16:].isdigit():
            parts.append(_("copy of version %(number)s") % {"number": part[16:]})
        else:
            parts.append(part)
    return ": ".join(parts)


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


def format_when(value: datetime | None, language: str | None = None) -> str:
    """A moment in Helsinki time the way the reader writes it: 5.10.2023 klo 9.05 (fi)."""
    if value is None:
        return ""
    return formatting.format_datetime(timezone.localtime(value), (language or active_language())[:2])


@cache
def _translated_columns(model: type[models.Model]) -> dict[str, tuple[str, str]]:
    """{"name_fi": ("name", "fi"), …} for the fields modeltranslation adds to `model`."""
    try:
        bases = translator.get_options_for_model(model).fields
    except NotRegistered:
        return {}
    return {f"{base}_{code}": (base, code) for base in bases for code in CONTENT_LANGUAGES}


@cache
def shown_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The columns of `model`'s history table that an entry describes, in model order.

    Leaves out simple-history's own columns, SKIPPED_FIELDS and the untranslated base column
    that modeltranslation keeps beside name_fi/name_sv/name_en (it repeats one of them)."""
    translated_columns = _translated_columns(model)
    bases = {base for base, _code in translated_columns.values()}
    return tuple(
        f for f in model.history.model._meta.concrete_fields
        if not f.name.startswith("history_") and f.name not in SKIPPED_FIELDS and f.name not in bases
    )


def field_label(model: type[models.Model], f: models.Field) -> str:
    column = _translated_columns(model).get(f.name)
    if column:
        base, code = column
        return f"{capfirst(model._meta.get_field(base).verbose_name)} ({LANGUAGE_NAMES[code]})"
    return str(capfirst(f.verbose_name))


def _is_empty(value) -> bool:
    return value is None or value == "" or value is False


def _exact(value) -> str:
    """The stored value as text an auditor's tools read back exactly."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _money(value: Decimal, language: str) -> str:
    if value == value.to_integral_value():
        return formatting.format_eur(value, language)
    number = formatting.format_number(value, language, 2)  # keep cents rather than round them away
    if language == "en":
        return f"−€{number[1:]}" if number.startswith("−") else f"€{number}"
    return f"{number}\u00a0€"


def _readable(f: models.Field, value, labels: dict, language: str) -> str:
    if value is None or value == "":
        return ""
    if f.is_relation:
        return labels.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.DecimalField):
        value = Decimal(value)
        if f.name.endswith("_eur"):
            return _money(value, language)
        places = max(0, -value.normalize().as_tuple().exponent)
        return formatting.format_number(value, language, min(places, f.decimal_places))
    if isinstance(f, models.DateTimeField):
        return format_when(value, language)
    if isinstance(f, models.DateField):
        return formatting.format_date(value, language)
    if isinstance(f, models.BooleanField):
        return _("Yes") if value else _("No")
    return str(value)


def _object_label(model: type[models.Model], obj) -> str:
    """How a related object is named: a person by name, content by its code, a unit by name."""
    if model is get_user_model():
        return person_name(obj)
    if model is ProgrammeVersion:
        return _("version %(number)s") % {"number": obj.number}
    if model is StatusReport:
        return f"{obj.measure_code} · {obj.period.month}/{obj.period.year}"
    if model._meta.label == "monitoring.Period":
        return f"{obj.month}/{obj.year}"
    if model._meta.label == "projects.ProjectReport":
        return _("follow-up %(month)s/%(year)s") % {"month": obj.period.month, "year": obj.period.year}
    if model._meta.label == "projects.BudgetLine":
        try:
            item = obj.item.code
        except models.ObjectDoesNotExist:  # removed with its item; the line still names its year and type
            item = "–"
        return f"{item} · {obj.year} · {obj.get_cost_type_display()}"
    if getattr(obj, "code", None) and model not in (Programme, OrgUnit):
        return obj.code
    for name in ("name", "title", "label"):
        if hasattr(obj, f"{name}_fi"):
            text = translated(obj, name).text
            if text:
                return text
    return str(getattr(obj, "code", "") or f"#{obj.pk}")


def _resolve(refs: dict[type[models.Model], set[int]]) -> dict[tuple[type[models.Model], int], str]:
    """Names of referred objects, one query per model; a deleted one is named from its last
    historical row, and only an object that left no trace at all shows as "#id"."""
    labels: dict[tuple[type[models.Model], int], str] = {}
    for model, ids in refs.items():
        ids = {i for i in ids if i is not None}
        if not ids:
            continue
        objects = model._base_manager.filter(pk__in=ids)
        if model is StatusReport:
            objects = objects.select_related("period")  # a report is named by its measure and month
        found = {obj.pk: obj for obj in objects}
        missing = ids - found.keys()
        if missing and hasattr(model, "history"):
            for record in model.history.model.objects.filter(id__in=missing).order_by("id", "-history_id"):
                found.setdefault(record.id, record)
        for pk, obj in found.items():
            labels[(model, pk)] = _object_label(model, obj)
    return labels


def _with_previous(qs: models.QuerySet) -> models.QuerySet:
    """Each row with the history_id of the same object's row before it (ids only grow)."""
    earlier = qs.model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
    return qs.annotate(previous_history_id=Subquery(earlier.order_by("-history_id").values("history_id")[:1]))


def describe(records: list) -> list[Entry]:
    """Entries for historical rows (each annotated by `_with_previous`), in the given order."""
    language = active_language()
    by_table: dict[type, list] = defaultdict(list)
    for record in records:
        by_table[type(record)].append(record)
    previous: dict[tuple[type, int], object] = {}
    for table, rows in by_table.items():
        ids = [r.previous_history_id for r in rows if getattr(r, "previous_history_id", None)]
        if ids:
            previous.update({(table, p.history_id): p for p in table.objects.filter(history_id__in=ids)})

    refs: dict[type[models.Model], set[int]] = defaultdict(set)
    version_ids: set[int] = set()
    for record in [*records, *previous.values()]:
        model = record.instance_type
        for f in shown_fields(model):
            if f.is_relation:
                refs[f.related_model].add(getattr(record, f.attname))
        if hasattr(record, "version_id"):
            version_ids.add(record.version_id)
    labels = _resolve(refs)
    numbers = dict(ProgrammeVersion.history.model.objects.filter(id__in=version_ids).values_list("id", "number"))

    entries = []
    for record in records:
        model = record.instance_type
        before = previous.get((type(record), getattr(record, "previous_history_id", None)))
        entries.append(_entry(model, record, before, labels, numbers, language))
    return entries


def _identifier(model, record, labels, language) -> str:
    names, separator = IDENTIFIERS.get(model, (("code",), ""))
    fields = {f.name: f for f in model.history.model._meta.concrete_fields}
    parts = []
    for name in names:
        f = fields.get(name)
        value = getattr(record, f.attname if f else name, None)
        text = _readable(f, value, labels, language) if f else str(value or "")
        if text:
            parts.append(text)
    # A model named by no field (a programme's one public site) is named by its kind alone.
    return separator.join(parts) or (f"#{record.id}" if names else "")


def _entry(model, record, before, labels, numbers, language) -> Entry:
    action = ACTIONS[record.history_type]
    changes = []
    for f in shown_fields(model):
        new = getattr(record, f.attname)
        if action == CREATED:
            old, show = None, not _is_empty(new)
        elif action == DELETED:
            old, new, show = new, None, not _is_empty(new)
        else:
            old = getattr(before, f.attname) if before is not None else new
            show = old != new
        if show:
            changes.append(Change(
                field=f.attname if f.is_relation else f.name, label=field_label(model, f),
                old=_readable(f, old, labels, language), new=_readable(f, new, labels, language),
                old_value=_exact(old), new_value=_exact(new),
            ))
    approved_by, approved_at = "", None
    if model is ProgrammeVersion and record.status == VersionStatus.APPROVED and action != DELETED and (
            before is None or before.status != VersionStatus.APPROVED):
        action = APPROVED
        approved_at = record.approved_at
        approved_by = labels.get((get_user_model(), record.approved_by_id), "")
    if model is ProgrammeVersion:
        version_number = record.number
    else:
        version_number = numbers.get(getattr(record, "version_id", None))
    user = record.history_user
    reason = record.history_change_reason or ""
    return Entry(
        when=record.history_date, user=user, who=person_name(user) or readable_reason(reason) or _("system"),
        action=action,
        model=model, object_id=record.id, identifier=_identifier(model, record, labels, language),
        version_number=version_number, reason=reason, changes=changes, approved_by=approved_by,
        approved_at=approved_at, history_id=record.history_id,
    )


# -- Reading: a page, or everything ---------------------------------------------------------


def _keys(sources: list[Source]) -> models.QuerySet:
    """(history_date, src, history_id) of every row of the sources, newest first, as one query."""
    parts = [
        source.queryset().order_by().values("history_date", "history_id", src=Value(index, IntegerField()))
        for index, source in enumerate(sources)
    ]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-history_date", "-src", "-history_id")


def _load(sources: list[Source], keys: Iterable[dict]) -> list:
    keys = list(keys)
    wanted: dict[int, list[int]] = defaultdict(list)
    for key in keys:
        wanted[key["src"]].append(key["history_id"])
    rows = {}
    for index, ids in wanted.items():
        qs = sources[index].history_model.objects.filter(history_id__in=ids).select_related("history_user")
        rows.update({(index, r.history_id): r for r in _with_previous(qs)})
    return [rows[(key["src"], key["history_id"])] for key in keys]


def history_page(sources: list[Source], page_number=1, per_page: int = PER_PAGE) -> Page:
    """One page of entries, newest first. `page.entries` holds them; invalid numbers give the
    nearest page (Paginator.get_page)."""
    if not sources:
        paginator = Paginator([], per_page)
        page = paginator.get_page(1)
        page.entries = []
        return page
    page = Paginator(_keys(sources), per_page).get_page(page_number)
    page.entries = describe(_load(sources, page.object_list))
    return page


def iter_entries(sources: list[Source], batch: int = 200) -> Iterator[Entry]:
    """Every entry of the sources, oldest first, read with cursors and described in batches."""
    streams = [
        _with_previous(source.queryset().select_related("history_user").order_by("history_date", "history_id"))
        .iterator(chunk_size=batch)
        for source in sources
    ]
    merged = heapq.merge(*streams, key=lambda r: (r.history_date, r.history_id))
    while chunk := list(islice(merged, batch)):
        yield from describe(chunk)
