"""Writing a checked workbook in bulk: a few statements per sheet instead of several per row.

The row-by-row writer (`importing._Writer`) calls a programme service for every row, and each service
locks the version, looks for a free code, checks the owner's membership, validates every foreign key with a
query, saves and writes its history row: about 18 queries a measure, 11 s for a 1 000-measure programme.
An import has already checked all of that for the whole file under the version's lock, so this writer
builds every row in memory first, exactly as the services would set its fields (the same helpers:
`set_translations`, `_apply_estimate`, `_apply_contingency`, `_risk_fields`, the same order numbers and
revision counters), validates all of them, and only then writes each sheet with django-simple-history's
`bulk_create_with_history` and `bulk_update_with_history`. The history rows are those the services write:
the importing person as the author, `workbook import: <file>` as the reason (`…: estimate` where the
services' `set_estimate` would have saved the row), "+" for a new row and "~" for a changed one.

What stays row by row: the programme's and the version's facts (one row each), a new programme and a new
draft, and removals (`delete_content`, whose cascades Django collects row by row anyway). The database's
constraints have the last word on every bulk statement; a refusal rolls the whole import back.
`karki/workbooks/tests/test_bulk.py` imports the same workbooks both ways and compares the rows and history.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from karki.audit.recording import combine, current_reason
from karki.core.content import set_translations
from karki.programmes import models as m
from karki.programmes import services
from karki.programmes.enums import Basket

from .importing import APPLY_ORDER, ESTIMATE_KEYS, MODELS, REMOVED_FIRST, ImportRefused, _translations, _Writer

# Where a new row goes in its list, as the services number it (`services._next_order`): after the rows of
# its group, the version's rows unless named here.
_ORDER_GROUP: dict[type, str | None] = {m.Target: "theme", m.TopDownTarget: "dimension",
                                        m.FundingAllocation: "funding"}
ESTIMATE = "estimate"  # the reason `services.set_estimate` gives
# Django's bulk_update sets each column with a CASE over the batch's ids, so one statement costs the database
# rows × rows comparisons. PostgreSQL would take all 1 000 changed measures in one statement (the benchmark's
# step changing every measure had not finished after 7 minutes); SQLite's 999 parameters keep batches small.
UPDATE_BATCH = 100


class _Sheet:
    """The rows of one model to write: new ones, changed ones, and the reason each history row gets."""

    def __init__(self) -> None:
        self.created: list[Any] = []
        self.updated: list[Any] = []


class BulkWriter(_Writer):
    """Writes a plan into a draft version: validates every row first, then writes sheet by sheet, parents
    first, each sheet in a few bulk statements with its history; removals as the row-by-row writer does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason = current_reason()
        self.sheets: dict[type, _Sheet] = {}
        self.orders: dict[tuple, int] = {}
        self.links_removed: list[m.ProjectMeasure] = []
        self.problems: list[str] = []

    def write(self) -> dict:
        try:
            self._programme()
            self._load_objects()
            self._load_orders()
            services._check_draft(self.version)  # locks the version row, as every service does first
            for key in APPLY_ORDER:
                self._prepare(key)
            if self.problems:
                raise ImportRefused(_("Kärki refused a row: %(reason)s Nothing was imported.")
                                    % {"reason": " ".join(self.problems[:5])})
            for key in APPLY_ORDER:
                if key in REMOVED_FIRST:
                    self._remove_missing(key)
                self._flush(MODELS[key])
                if key == "projects":
                    for link in self.links_removed:
                        services.delete_content(obj=link, by=self.by)
                    self._flush(m.ProjectMeasure)
                plan = self.plans[key]
                self.report["created"] += len(plan.created)
                self.report["updated"] += len(plan.updated)
                self.report["sheets"].append({"key": key, "created": len(plan.created), "updated": len(plan.updated),
                                              "removed": len(plan.missing) if self.target.remove_missing else 0,
                                              "kept": 0 if self.target.remove_missing else len(plan.missing)})
            for key in reversed(APPLY_ORDER):
                if key not in REMOVED_FIRST:
                    self._remove_missing(key)
        except m.VersionFrozen as error:
            raise ImportRefused(" ".join(error.messages)) from error
        except IntegrityError as error:
            # The checks and the validation above should have found it; the database has the last word.
            raise ImportRefused(_("Kärki could not save the workbook's rows: the database refused them (%(reason)s). "
                                  "Nothing was imported.") % {"reason": str(error).splitlines()[0]}) from error
        except ValidationError as error:
            raise ImportRefused(_("Kärki refused a row: %(reason)s Nothing was imported.")
                                % {"reason": " ".join(error.messages)}) from error
        self.report["programme"] = self.version.programme.slug
        self.report["version"] = self.version.number
        return self.report

    # -- numbering and validating, as the services do

    def _load_orders(self) -> None:
        """The last order number of each list (`services._next_order`), read once per model."""
        for model in {MODELS[key] for key in APPLY_ORDER}:
            if not hasattr(model, "order"):
                continue
            group = _ORDER_GROUP.get(model)
            if group is None:
                last = model.objects.filter(version=self.version).aggregate(last=Max("order"))["last"]
                self.orders[(model, None)] = last or 0
                continue
            group_field = model._meta.get_field(group)
            attname = group_field.attname
            for value, last in (model.objects.filter(version=self.version).values_list(attname)
                                .annotate(last=Max("order")).order_by()):
                self.orders[(model, value)] = last or 0

    def _next_order(self, obj) -> int:
        model = type(obj)
        group = _ORDER_GROUP.get(model)
        key: Any = None
        if group is not None:
            related = getattr(obj, group)
            # A row of a group created by this import (a new theme's targets) is numbered from 1.
            key = related if isinstance(related, str) else (related.pk or id(related)) if related else None
        number = self.orders.get((model, key), 0) + 1
        self.orders[(model, key)] = number
        return number

    def _add(self, obj, *, created: bool, reason: str | None = None) -> None:
        """Validate the row's fields (the services' `full_clean`, less what needs the database: foreign keys
        are rows of this version found or made by the import, codes were matched against the whole draft,
        and the constraints are checked by the database when the sheet is written)."""
        relations = [f.name for f in type(obj)._meta.concrete_fields if f.is_relation]
        try:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            label = getattr(obj, "code", "") or str(type(obj)._meta.verbose_name)
            self.problems.append(f"{label}: {' '.join(error.messages)}")
        obj._history_user = self.by
        obj._change_reason = combine(self.reason, reason)
        sheet = self.sheets.setdefault(type(obj), _Sheet())
        (sheet.created if created else sheet.updated).append(obj)

    def _flush(self, model) -> None:
        sheet = self.sheets.get(model)
        if sheet is None:
            return
        if sheet.created:
            bulk_create_with_history(sheet.created, model, default_user=self.by)
        if sheet.updated:
            fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "version"]
            bulk_update_with_history(sheet.updated, model, fields, batch_size=UPDATE_BATCH, default_user=self.by)

    # -- each sheet, field by field as its service sets them

    def _prepare(self, key: str) -> None:
        plan = self.plans[key]
        for change in plan.created:
            self._build(key, change, None)
        for change in plan.updated:
            self._build(key, change, change.item.obj)

    def _build(self, key: str, change, obj) -> None:
        values = change.row.values
        fields = set(change.fields)
        builder = getattr(self, f"_build_{key}", None)
        try:
            built = builder(values, obj, fields) if builder else self._build_detail(key, values, obj)
        except ValidationError as error:
            self.problems.append(f"{change.label}: {' '.join(error.messages)}")
            return
        if key in self.objects and built is not None:
            self.objects[key][built.code] = built

    def _estimate_only(self, obj, values) -> Any:
        services._apply_estimate(obj, self._estimate(values, obj))
        services._bump(obj)
        self._add(obj, created=False, reason=ESTIMATE)
        return obj

    def _build_themes(self, values, obj, fields):
        created = obj is None
        if created:
            obj = m.Theme(version=self.version)
            obj.order = self._next_order(obj)
        obj.code = values["code"]
        obj.owner = self._owner(values)
        obj.owner_name = values.get("owner_name") or ""
        set_translations(obj, "name", _translations(values, "name"))
        set_translations(obj, "description", _translations(values, "description"))
        if not created:
            services._bump(obj)
        self._add(obj, created=created)
        return obj

    def _build_targets(self, values, obj, fields):
        if obj is not None and fields <= ESTIMATE_KEYS:
            return self._estimate_only(obj, values)
        created = obj is None
        theme = self._ref("themes", values["theme"])
        if created:
            obj = m.Target(version=self.version, theme=theme)
            obj.order = self._next_order(obj)
        elif "theme" in fields and theme is not None:
            obj.theme = theme
        obj.code = values["code"]
        obj.org_unit = self._org_unit(values)
        obj.potential_class_stated = values.get("potential_class_stated") or ""
        obj.difficulty = values.get("difficulty") or ""
        set_translations(obj, "name", _translations(values, "name"))
        set_translations(obj, "description", _translations(values, "description"))
        services._apply_estimate(obj, self._estimate(values, obj))
        if not created:
            services._bump(obj)
        self._add(obj, created=created)
        return obj

    def _build_measures(self, values, obj, fields):
        if obj is not None and fields <= ESTIMATE_KEYS:
            return self._estimate_only(obj, values)
        target = self._ref("targets", values.get("target") or "")
        created = obj is None
        if created:
            basket = values.get("basket") or Basket.A
            if basket == Basket.A and target is None:
                raise ValidationError({"target": _("A basket A measure belongs to a productivity target.")})
            obj = m.Measure(version=self.version, target=target, basket=basket)
            obj.order = self._next_order(obj)
        else:  # services.update_measure: the basket and the target move together
            basket = (values.get("basket") or Basket.A) if fields & {"basket", "target"} else None
            if basket is not None:
                if basket == Basket.A and target is None and obj.target_id is None:
                    raise ValidationError({"target": _("A basket A measure belongs to a productivity target.")})
                obj.basket = basket
                if target is None and basket != Basket.A:
                    obj.target = None
            if target is not None:
                obj.target = target
        obj.code = values["code"]
        obj.horizon = values.get("horizon") or ""
        obj.difficulty = values.get("difficulty") or ""
        obj.org_unit = self._org_unit(values)
        obj.owner = self._owner(values)
        obj.owner_name = values.get("owner_name") or ""
        set_translations(obj, "name", _translations(values, "name"))
        set_translations(obj, "description", _translations(values, "description"))
        services._apply_estimate(obj, self._estimate(values, obj))
        services._apply_contingency(obj, contingency_rank=values.get("contingency_rank"),
                                    service_level_impact=values.get("service_level_impact") or "",
                                    service_level_effect=_translations(values, "service_level_effect"))
        if not created:
            services._bump(obj)
        self._add(obj, created=created)
        return obj

    def _build_risks(self, values, obj, fields):
        created = obj is None
        if created:
            obj = m.Risk(version=self.version)
            obj.order = self._next_order(obj)
        services._risk_fields(obj, version=self.version, code=values["code"], title=_translations(values, "title"),
                              theme=self._ref("themes", values.get("theme") or ""), category=values["category"],
                              description=_translations(values, "description"), likelihood=values.get("likelihood"),
                              impact=values.get("impact"), mitigation=_translations(values, "mitigation"),
                              owner_name=values.get("owner_name") or "")
        obj.owner = self._owner(values)  # a person of the organisation: the check found them among its members
        if not created:
            services._bump(obj)
        self._add(obj, created=created)
        return obj

    def _build_dependencies(self, values, obj, fields):
        created = obj is None
        if created:
            measure = self._ref("measures", values["measure"])
            obj = m.MeasureDependency(version=self.version, measure=measure,
                                      depends_on=self._ref("measures", values["depends_on"]))
        set_translations(obj, "note", _translations(values, "note"))
        self._add(obj, created=created)
        return obj

    def _build_projects(self, values, obj, fields):
        project = self._build_detail("projects", values, obj)
        wanted = list(values.get("measures") or ())
        links = {} if obj is None else self._links().get(project.pk, {})
        self.links_removed += [link for code, link in links.items() if code not in wanted]
        for code in wanted:
            if code not in links:
                self._add(m.ProjectMeasure(version=self.version, project=project,
                                           measure=self._ref("measures", code)), created=True)
        return project

    def _links(self) -> dict[int, dict[str, m.ProjectMeasure]]:
        if not hasattr(self, "_project_links"):
            self._project_links: dict[int, dict[str, m.ProjectMeasure]] = {}
            for link in m.ProjectMeasure.objects.filter(version=self.version).select_related("measure"):
                self._project_links.setdefault(link.project_id, {})[link.measure.code] = link
        return self._project_links

    def _build_detail(self, key: str, values: dict, obj):
        """`services.create_content` / `update_content`."""
        model = MODELS[key]
        plain, translated = self._detail_values(key, values)
        created = obj is None
        if created:
            obj = model(version=self.version)
        for name, value in plain.items():
            setattr(obj, name, value)
        for name, value in translated.items():
            set_translations(obj, name, value or {})
        if created and hasattr(obj, "order") and not plain.get("order"):
            obj.order = self._next_order(obj)
        self._add(obj, created=created)
        return obj
