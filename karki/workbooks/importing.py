"""Importing a programme workbook: check everything, compare with the draft, then write through the services.

    check_workbook(data, target)  → Check: the problems, or per sheet what would be created, changed, left
                                    alone and what is in Kärki but not in the file; nothing is written
    apply_workbook(data, target)  → the same check again, then every write in one transaction

Rows are matched by their code (by their columns and place in the list on sheets without codes), and
only rows whose values differ are saved, so importing the same file twice changes nothing the second
time and the history shows exactly what an import changed, by whom, with the file's name as the reason.

Rows in Kärki that the file does not have are kept and listed, unless the person asks to remove them.
References must be found in the file itself (a target's theme on the Themes sheet): a workbook is a
whole programme, so it can be checked on its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from karki.audit.recording import acting_user, change_reason
from karki.lib.codes import code_key
from karki.monitoring.models import StatusReport
from karki.organisations.models import OrgUnit
from karki.programmes import models as m
from karki.programmes import services
from karki.programmes.models import VersionFrozen
from karki.projects.rules import stated_total_errors

from . import format as fmt
from .reading import Book, Problems, Row, read_workbook
from .safety import WorkbookProblem
from .snapshot import Item, Snapshot, empty_snapshot, programme_values, read_version

LIST_LIMIT = 200  # rows named per sheet and kind in the preview

# Where each sheet's rows are written, parents first; removals go the other way.
APPLY_ORDER = ("themes", "targets", "measures", "funding", "projects", "indicators", "risks", "goals",
               "dependencies", "stated_totals", "ramp", "cost_effects", "top_down", "allocations", "impacts")
MODELS = {
    "themes": m.Theme, "targets": m.Target, "measures": m.Measure, "dependencies": m.MeasureDependency,
    "stated_totals": m.StatedTotal, "ramp": m.YearlyRampStep, "cost_effects": m.CostCategoryEffect,
    "top_down": m.TopDownTarget, "funding": m.Funding, "allocations": m.FundingAllocation, "projects": m.Project,
    "indicators": m.Indicator, "risks": m.Risk, "impacts": m.ImpactAssessment, "goals": m.Goal,
}
# Rows nothing else hangs on, removed before their sheet is written: a dependency the file no longer has
# must not close a cycle with one it adds (the check counts only the file's dependencies then).
REMOVED_FIRST = {"dependencies"}
ESTIMATE_KEYS = {"estimate_kind", "estimate_recurrence", "estimate_amount_eur", "estimate_min_eur",
                 "estimate_max_eur", "estimate_note_fi", "estimate_note_sv", "estimate_note_en"}


class ImportRefused(WorkbookProblem):
    """The import cannot go ahead as asked (the version is frozen, the draft changed since the check …)."""


@dataclass
class Target:
    """Where a workbook goes: an existing programme's draft (or a new draft of it), or a new programme."""

    organisation: Any
    programme: m.Programme | None = None  # None: a new programme
    new_draft: bool = False  # start a new draft from the latest approved version
    remove_missing: bool = False
    identifier: str = ""  # a new programme's identifier, when the person gives one
    file_name: str = ""

    def base_version(self, *, lock: bool = False) -> m.ProgrammeVersion | None:
        """The version the workbook is compared with: the draft, or the approved version a new draft copies.
        `lock` locks the programme's row and the version's (on PostgreSQL) until the transaction ends: every
        write to a draft locks the version row first, so nothing changes it meanwhile."""
        if self.programme is None:
            return None
        versions = m.ProgrammeVersion.objects.filter(programme=self.programme)
        if lock:
            m.Programme.objects.select_for_update().get(pk=self.programme.pk)  # imports of the programme queue up
            versions = versions.select_for_update()
        latest = versions.order_by("-number").first()
        if latest is None:
            raise ImportRefused(_("The programme has no version to import into."))
        if latest.is_draft:
            return latest
        if not self.new_draft:
            raise ImportRefused(_(
                "Version %(label)s is approved and can no longer be changed. Start a new draft version on the "
                "programme page, or tick “Start a new draft version” to import into a new draft.")
                % {"label": latest.display_label})
        return latest


@dataclass
class Change:
    identity: tuple
    label: str
    row: Row | None = None  # the row of the file
    item: Item | None = None  # the row in Kärki
    fields: list[str] = field(default_factory=list)  # column keys whose values differ


@dataclass
class SheetPlan:
    sheet: fmt.Sheet
    created: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: int = 0
    missing: list[Change] = field(default_factory=list)


@dataclass
class Check:
    book: Book | None
    problems: Problems
    plans: dict[str, SheetPlan] = field(default_factory=dict)
    fingerprint: str = ""
    base: m.ProgrammeVersion | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


# -- Checking ----------------------------------------------------------------------------------------


def check_workbook(data: bytes, target: Target, progress=None) -> Check:
    """Read, check and compare; writes nothing. Raises `UnreadableWorkbook` or `ImportRefused`."""
    base = target.base_version()
    book, problems = read_workbook(data, target.file_name, progress=progress)
    return _compare(book, problems, target, base, progress)


def _compare(book: Book, problems: Problems, target: Target, base: m.ProgrammeVersion | None,
             progress=None) -> Check:
    """The checks that need Kärki's data, and the comparison with `base`."""
    snapshot = read_version(base) if base is not None else empty_snapshot()
    check = Check(book=book, problems=problems, base=base)
    check.fingerprint = fingerprint(base, snapshot)
    if problems.error_count and _structural(book):
        return check
    if progress:
        progress(40, _("Checking the references between the sheets"))
    context = _Context.build(target)
    _check_references(book, target, context, snapshot, problems)
    if progress:
        progress(50, _("Comparing with the programme in Kärki"))
    check.plans = plan(book, snapshot, target)
    if target.remove_missing and base is not None and base.is_draft:
        _check_removals(book, check.plans, problems)
    return check


def fingerprint(version: m.ProgrammeVersion | None, snapshot: Snapshot) -> str:
    return f"{version.pk if version else 0}:{snapshot.fingerprint()}"


def _structural(book: Book) -> bool:
    """Whether whole sheets or columns are missing: then comparing rows would only add noise."""
    return any(sheet.key not in book.sheets for sheet in fmt.SHEETS)


@dataclass
class _Context:
    org_units: dict[str, OrgUnit]
    people: dict[str, Any]

    @classmethod
    def build(cls, target: Target) -> _Context:
        organisation = target.organisation
        units = {unit.code: unit for unit in OrgUnit.objects.filter(organisation=organisation)}
        people = {user.get_username(): user for user in get_user_model().objects.filter(
            memberships__organisation=organisation).distinct()}
        return cls(org_units=units, people=people)

    def person(self, username: str):
        if username in self.people:
            return self.people[username]
        matches = [user for name, user in self.people.items() if name.casefold() == username.casefold()]
        return matches[0] if len(matches) == 1 else None


def _check_references(book: Book, target: Target, context: _Context, snapshot: Snapshot,
                      problems: Problems) -> None:
    def error(key: str, row: Row, column: str, message: str) -> None:
        data = book.sheets[key]
        row.invalid.add(column)
        problems.error(message, sheet=data.title, row=row.number, column=data.header(column), cell=row.cells[column])

    codes: dict[str, set[str]] = {}
    for sheet in fmt.SHEETS:
        if sheet.key not in book.sheets:
            continue
        data = book.sheets[sheet.key]
        if not sheet.numbered and sheet.identity:
            seen: dict[tuple, int] = {}
            for row in data.rows:
                identity = tuple(row.values.get(k) for k in sheet.identity)
                if any(value in ("", None) for value in identity):
                    continue
                key = tuple(code_key(v) if isinstance(v, str) else v for v in identity)  # 2.1.B is 2.1.b
                if key in seen:
                    error(sheet.key, row, sheet.identity[0], _(
                        "“%(value)s” is also on row %(row)s. Each row of the sheet must be different: remove one "
                        "or give it another code.") % {"value": " → ".join(str(v) for v in identity),
                                                        "row": seen[key]})
                else:
                    seen[key] = row.number
        if "code" in sheet.by_key:
            codes[sheet.key] = {row.values["code"] for row in data.rows if row.values.get("code")}

    for sheet in fmt.SHEETS:
        if sheet.key not in book.sheets:
            continue
        for row in book.sheets[sheet.key].rows:
            for column in sheet.columns:
                value = row.values.get(column.key)
                if column.key in row.invalid or value in ("", None, ()):
                    continue
                if column.kind in (fmt.REF, fmt.REFS):
                    wanted = value if column.kind == fmt.REFS else (value,)
                    absent = [code for code in wanted if code not in codes.get(column.ref, set())]
                    if absent:
                        ref_sheet = fmt.SHEETS_BY_KEY[column.ref]
                        title = book.sheets[column.ref].title if column.ref in book.sheets else ref_sheet.title("fi")
                        error(sheet.key, row, column.key, _(
                            "%(codes)s is not on the sheet “%(sheet)s”. Add it there or correct the code.")
                            % {"codes": ", ".join(absent), "sheet": title})
                elif column.kind == fmt.ORG_UNIT and value not in context.org_units:
                    error(sheet.key, row, column.key, _(
                        "%(organisation)s has no org unit with the code %(code)s. The codes are listed on the read-me "
                        "sheet of the template; an administrator adds org units.")
                        % {"organisation": target.organisation, "code": value})
                elif column.kind == fmt.PERSON and context.person(value) is None:
                    error(sheet.key, row, column.key, _(
                        "%(organisation)s has no person with the username %(name)s in Kärki. Correct the username, "
                        "or empty the cell and write the name in “Owner (as written)”.")
                        % {"organisation": target.organisation, "name": value})
                elif column.kind == fmt.REFS and len(set(value)) != len(value):
                    error(sheet.key, row, column.key, _("A code is listed twice."))

    _check_programme(book, target, error)
    # A project's or a funding's stated total with its grant and own shares must add up, as the services
    # require (karki.projects.rules): refused here on the cell, before anything is written.
    for key, (total, grant, own) in (("projects", ("total_cost_eur", "grant_share_eur", "own_share_eur")),
                                     ("funding", ("total_eur", "grant_share_eur", "own_share_eur"))):
        for row in book.rows(key):
            if {total, grant, own} & row.invalid:
                continue
            found = stated_total_errors(total=row.values.get(total), grant=row.values.get(grant),
                                        own=row.values.get(own))
            for field_name, message in found.items():
                error(key, row, {"total": total, "grant": grant, "own": own}[field_name], message)
    for row in book.rows("measures"):
        if row.values.get("basket") == "A" and not row.values.get("target") and "target" not in row.invalid:
            error("measures", row, "target", _("A basket A measure belongs to a productivity target: give its code."))
    for row in book.rows("measures"):
        if row.values.get("basket") != "A":
            continue
        if row.values.get("contingency_rank") is not None:
            error("measures", row, "contingency_rank", _(
                "Only basket B and C measures have an order of preference; basket A measures are all run. Empty "
                "the cell, or move the measure to basket B or C."))
        service_level = [key for key in ("service_level_impact", *(f"service_level_effect_{code}" for code in
                                                                    fmt.CONTENT_LANGUAGES)) if row.values.get(key)]
        if service_level:
            data = book.sheets["measures"]
            problems.warn(_("The cost in service level is meant for basket B and C measures. Check the basket, or "
                            "empty the cell."), sheet=data.title, row=row.number,
                          column=data.header(service_level[0]), cell=row.cells[service_level[0]])
    for row in book.rows("cost_effects"):
        if bool(row.values.get("target")) == bool(row.values.get("measure")):
            error("cost_effects", row, "target", _("Give either a productivity target or a measure, not both or "
                                                   "neither."))
    for row in book.rows("impacts"):
        if row.values.get("measure") and row.values.get("theme"):
            error("impacts", row, "theme", _("Give a measure or a theme, not both."))
    for row in book.rows("top_down"):
        dimension = row.values.get("dimension")
        if dimension == "cost_category":
            if not row.values.get("category") and "category" not in row.invalid:
                error("top_down", row, "category", _("A target by cost category needs the cost category."))
            if row.values.get("org_unit"):
                error("top_down", row, "org_unit", _("A target by cost category has no org unit: empty the cell."))
        elif dimension == "service_area" and not row.values.get("org_unit") and "org_unit" not in row.invalid:
            error("top_down", row, "org_unit", _("A target by service area needs the org unit's code."))
    _check_dependencies(book, target, snapshot, error)


def _check_deficit(row, start, end, error) -> None:
    """The accumulated deficit as Programme.clean() checks it, on the row's cells (an older workbook without
    the columns has nothing to check)."""
    if {"deficit_eur", "deficit_year"} & row.invalid:
        return
    deficit, year = row.values.get("deficit_eur"), row.values.get("deficit_year")
    if "deficit_eur" in row.values and "deficit_year" in row.values and (deficit is None) != (year is None):
        error("programme", row, "deficit_year" if year is None else "deficit_eur", _(
            "Give both the accumulated deficit and the year by which it must be covered, or neither."))
    elif start and end and year and not start <= year <= end:
        error("programme", row, "deficit_year", _(
            "The year by which the deficit is covered must be one of the programme's years, "
            "%(first)s–%(last)s.") % {"first": start, "last": end})


def _check_programme(book: Book, target: Target, error) -> None:
    rows = book.rows("programme")
    if len(rows) != 1:
        return
    row = rows[0]
    values = row.values
    start, end = values.get("period_start"), values.get("period_end")
    if start and end and end < start:
        error("programme", row, "period_end", _("The last year cannot be before the first year."))
    target_year = values.get("target_year")
    if start and end and target_year and not start <= target_year <= end and "target_year" not in row.invalid:
        error("programme", row, "target_year", m.target_year_message(start, end))
    _check_deficit(row, start, end, error)
    identifier = values.get("identifier") or ""
    if target.programme is not None:
        if identifier and identifier != target.programme.slug and "identifier" not in row.invalid:
            error("programme", row, "identifier", _(
                "The workbook is for the programme “%(other)s”, not for “%(this)s”. Import it into its own "
                "programme, or empty the cell to import it here.") % {"other": identifier,
                                                                       "this": target.programme.slug})
        return
    slug = target.identifier or identifier
    if not slug:
        if "identifier" not in row.invalid:
            error("programme", row, "identifier", _("A new programme needs an identifier, for example "
                                                    "ita-uusimaa-2027-2030: write it here or on the import page."))
    elif m.Programme.objects.filter(slug=slug).exists():
        error("programme", row, "identifier", _("A programme with the identifier %(slug)s already exists. Choose "
                                                "another identifier.") % {"slug": slug})


def _check_dependencies(book: Book, target: Target, snapshot: Snapshot, error) -> None:
    rows = [row for row in book.rows("dependencies") if row.valid]
    edges: dict[str, set[str]] = {}
    for row in rows:
        if row.values["measure"] == row.values["depends_on"]:
            error("dependencies", row, "depends_on", _("A measure cannot depend on itself."))
    if not target.remove_missing:
        # Dependencies kept in Kärki count too, also those of measures the file does not have: the measures
        # are kept as well, and a chain through them closes a cycle all the same.
        in_file = {(row.values["measure"], row.values["depends_on"]) for row in rows}
        for item in snapshot.sheets.get("dependencies", []):
            pair = (item.values["measure"], item.values["depends_on"])
            if pair not in in_file:
                edges.setdefault(pair[0], set()).add(pair[1])
    for row in rows:
        measure, other = row.values["measure"], row.values["depends_on"]
        if measure == other:
            continue
        path = _path(edges, other, measure)
        if path is not None:
            error("dependencies", row, "depends_on", _(
                "This dependency would close a cycle: %(chain)s. A measure cannot wait for itself; remove one of "
                "the dependencies.") % {"chain": " → ".join([measure, *path])})
            continue
        edges.setdefault(measure, set()).add(other)


def _path(edges: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        if node == goal:
            return path
        if node in seen:
            continue
        seen.add(node)
        for nxt in sorted(edges.get(node, ()), reverse=True):
            stack.append((nxt, [*path, nxt]))
    return None


def _check_removals(book: Book, plans: dict[str, SheetPlan], problems: Problems) -> None:
    """What Kärki keeps although the file does not have it: a measure with status reports (the reports are
    the monitoring's record and name the measure they were written on)."""
    missing = [change.item.obj for change in plans["measures"].missing]
    if not missing:
        return
    reported = sorted(set(StatusReport.objects.filter(measure__in=missing).values_list("measure__code", flat=True)))
    if reported:
        data = book.sheets.get("measures")
        problems.error(_(
            "Status reports have been written on the measures %(codes)s, so they cannot be removed. Keep them in "
            "the workbook, or import without removing the rows the file does not have.")
            % {"codes": ", ".join(reported)}, sheet=data.title if data else fmt.MEASURES.title("fi"))


# -- Comparing ---------------------------------------------------------------------------------------


def _identities(sheet: fmt.Sheet, rows: list[dict]) -> list[tuple]:
    counter: Counter = Counter()
    found = []
    for values in rows:
        base = tuple(values.get(k) or "" for k in sheet.identity)
        if sheet.numbered:
            counter[base] += 1
            found.append((*base, counter[base]))
        else:
            found.append(base)
    return found


def label(sheet: fmt.Sheet, identity: tuple) -> str:
    if sheet.single_row:
        return ""
    parts = [str(part) for part in (identity[:-1] if sheet.numbered else identity) if part not in ("", None)]
    text = " → ".join(parts) if sheet.key == "dependencies" else " · ".join(parts)
    if not text:
        text = _("whole programme")
    if sheet.numbered and identity[-1] > 1:
        text = f"{text} ({identity[-1]})"
    return text


def _compared_keys(sheet: fmt.Sheet, absent=frozenset()) -> list[str]:
    """The columns whose values a row changes: not the programme's identifier, nor the optional columns an
    older workbook does not have (it says nothing about them)."""
    return [c.key for c in sheet.columns
            if not (sheet.key == "programme" and c.key == "identifier") and c.key not in absent]


def plan(book: Book, snapshot: Snapshot, target: Target) -> dict[str, SheetPlan]:
    plans: dict[str, SheetPlan] = {}
    for sheet in fmt.SHEETS:
        result = SheetPlan(sheet=sheet)
        plans[sheet.key] = result
        rows = book.rows(sheet.key)
        items = snapshot.sheets.get(sheet.key, [])
        data = book.sheets.get(sheet.key)
        keys = _compared_keys(sheet, data.absent if data is not None else frozenset())
        if sheet.single_row:
            if not rows:
                continue
            row = rows[0]
            if not items:
                result.created.append(Change((), "", row=row))
            else:
                changed = [k for k in keys if row.values.get(k) != items[0].values.get(k)]
                if changed:
                    result.updated.append(Change((), "", row=row, item=items[0], fields=changed))
                else:
                    result.unchanged += 1
            continue
        existing = dict(zip(_identities(sheet, [i.values for i in items]), items, strict=True))
        seen = set()
        for identity, row in zip(_identities(sheet, [r.values for r in rows]), rows, strict=True):
            item = existing.get(identity)
            if item is None:
                result.created.append(Change(identity, label(sheet, identity), row=row))
                continue
            seen.add(identity)
            changed = [k for k in keys if _differs(row.values.get(k), item.values.get(k))]
            if changed:
                result.updated.append(Change(identity, label(sheet, identity), row=row, item=item, fields=changed))
            else:
                result.unchanged += 1
        for identity, item in existing.items():
            if identity not in seen:
                result.missing.append(Change(identity, label(sheet, identity), item=item))
    return plans


def _differs(new, old) -> bool:
    if isinstance(new, tuple) or isinstance(old, tuple):
        return tuple(sorted(new or ())) != tuple(sorted(old or ()))
    if isinstance(new, Decimal) and isinstance(old, Decimal):
        return new != old
    return (new if new is not None else "") != (old if old is not None else "")


# -- The preview and the report ----------------------------------------------------------------------


def summary(check: Check, target: Target) -> dict:
    """What the job page shows: JSON, in the language the work runs in."""
    problems = check.problems
    book = check.book
    result: dict[str, Any] = {
        "ok": check.ok,
        "errors": [p.as_dict() for p in problems.errors], "error_count": problems.error_count,
        "warnings": [p.as_dict() for p in problems.warnings], "warning_count": problems.warning_count,
        "fingerprint": check.fingerprint,
        "new_programme": target.programme is None,
        "new_draft": bool(check.base is not None and not check.base.is_draft),
        "version": check.base.number if check.base is not None else None,
        "remove_missing": target.remove_missing,
        "identifier": target.identifier,
        "sheets": [],
    }
    if not check.ok or book is None:
        return result
    changes = removals = 0
    for sheet in fmt.SHEETS:
        p = check.plans.get(sheet.key)
        if p is None:
            continue
        data = book.sheets.get(sheet.key)
        title = data.title if data else sheet.title("fi")
        changes += len(p.created) + len(p.updated)
        removals += len(p.missing) if target.remove_missing else 0
        result["sheets"].append({
            "key": sheet.key, "title": title,
            "created": len(p.created), "updated": len(p.updated), "unchanged": p.unchanged, "missing": len(p.missing),
            "created_labels": [c.label for c in p.created[:LIST_LIMIT]],
            "updated_labels": [
                {"label": c.label, "fields": [data.header(k) if data else k for k in c.fields]}
                for c in p.updated[:LIST_LIMIT]],
            "missing_labels": [c.label for c in p.missing[:LIST_LIMIT]],
        })
    result["changes"] = changes + removals
    return result


# -- Writing -----------------------------------------------------------------------------------------


def apply_workbook(data: bytes, target: Target, *, by, expected_fingerprint: str, progress=None,
                   row_by_row: bool = False) -> dict:
    """Check the file again and write it, all or nothing. Refuses (`ImportRefused`) when anything is wrong
    or when the programme changed since the preview that the person confirmed.

    The rows are written in bulk (`bulk.BulkWriter`); `row_by_row` writes them through the programme
    services one at a time instead, the reference the bulk writer is tested against."""
    from .bulk import BulkWriter  # it builds on _Writer below
    # Reading the file touches no rows and takes the longest: it is done before anything is locked.
    book, problems = read_workbook(data, target.file_name, progress=progress)
    reason = f"workbook import: {target.file_name or 'xlsx'}"
    with change_reason(reason[:100]), acting_user(by), transaction.atomic():
        # Locked from here to the last write, so the version compared is the version written: another import
        # or an edit in the browser waits for this one (or this one for it, and then sees its changes).
        base = target.base_version(lock=True)
        check = _compare(book, problems, target, base, progress)
        if not check.ok:
            raise ImportRefused(_("The workbook has %(count)s problems; nothing was imported.")
                                % {"count": check.problems.error_count})
        if check.fingerprint != expected_fingerprint:
            raise ImportRefused(_("The programme has changed since the workbook was checked, so the preview you "
                                  "confirmed is no longer what would happen. Nothing was imported: check the "
                                  "workbook again and look at the new preview."))
        if progress:
            progress(60, _("Saving"))
        plans = check.plans
        if target.programme is None:
            version = _new_programme(target, book, by=by)
        elif base.is_draft:
            version = base
        else:
            version = services.start_new_version(programme=base.programme, by=by)
            # The rows to write are the new draft's copies; its own label and date are not changes of the file's.
            plans = {**plan(book, read_version(version), target), "programme": check.plans["programme"]}
        writer = _Writer if row_by_row else BulkWriter
        report = writer(version, plans, target, by).write()
    return report


def _translations(values: dict, name: str) -> dict[str, str]:
    return {code: values.get(f"{name}_{code}") or "" for code in fmt.CONTENT_LANGUAGES}


def _programme_facts(values: dict) -> dict:
    facts = {name: _translations(values, name)
             for name in ("name", "description", "target_description", "baseline_label", "decision_body")}
    for name in ("period_start", "period_end", "target_eur", "target_year", "deficit_eur", "deficit_year",
                 "baseline_year", "baseline_operating_costs_eur", "decision_date", "decision_reference"):
        facts[name] = values.get(name)
    facts["decision_reference"] = facts["decision_reference"] or ""
    return facts


def _version_facts(values: dict) -> dict:
    return {"label": _translations(values, "version_label"), "stated_total_eur": values.get("version_stated_total_eur"),
            "date": values.get("version_date"), "source": values.get("version_source") or "",
            "effects_start_year": values.get("effects_start_year")}


def _new_programme(target: Target, book: Book, *, by) -> m.ProgrammeVersion:
    values = book.rows("programme")[0].values
    slug = target.identifier or values.get("identifier")
    if m.Programme.objects.filter(slug=slug).exists():
        raise ImportRefused(_("A programme with the identifier %(slug)s already exists. Choose another identifier.")
                            % {"slug": slug})
    facts = _programme_facts(values)
    programme = services.create_programme(organisation=target.organisation, slug=slug, by=by, **facts)
    return services.create_version(programme=programme, by=by, **_version_facts(values))


class _Writer:
    """Writes a plan into a draft version through the services: sheet by sheet, parents first, then (when
    asked) removes what the file does not have, children first."""

    def __init__(self, version: m.ProgrammeVersion, plans: dict[str, SheetPlan], target: Target, by):
        self.version = version
        self.plans = plans
        self.target = target
        self.by = by
        self.context = _Context.build(target)
        self.report: dict[str, Any] = {"created": 0, "updated": 0, "removed": 0, "kept": 0, "sheets": []}
        self.objects: dict[str, dict[str, Any]] = {}

    def write(self) -> dict:
        try:
            self._programme()
            self._load_objects()
            for key in APPLY_ORDER:
                plan = self.plans[key]
                if key in REMOVED_FIRST:
                    self._remove_missing(key)
                for change in plan.created:
                    self._write(key, change, None)
                for change in plan.updated:
                    self._write(key, change, change.item.obj)
                self.report["created"] += len(plan.created)
                self.report["updated"] += len(plan.updated)
                self.report["sheets"].append({"key": key, "created": len(plan.created), "updated": len(plan.updated),
                                              "removed": len(plan.missing) if self.target.remove_missing else 0,
                                              "kept": 0 if self.target.remove_missing else len(plan.missing)})
            # Removals come last, children before parents: a row the file moves away from a parent it no
            # longer has (a measure to another target) has been moved by now, so the parent goes alone.
            for key in reversed(APPLY_ORDER):
                if key not in REMOVED_FIRST:
                    self._remove_missing(key)
        except VersionFrozen as error:
            raise ImportRefused(" ".join(error.messages)) from error
        except ProtectedError as error:  # the check names these; something may have been added since
            raise ImportRefused(_("Kärki could not remove a row the file does not have, because other records "
                                  "(such as status reports) refer to it. Nothing was imported: keep the row in "
                                  "the workbook.")) from error
        except ValidationError as error:
            # The checks above should have found it; the services have the last word.
            raise ImportRefused(_("Kärki refused a row: %(reason)s Nothing was imported.")
                                % {"reason": " ".join(error.messages)}) from error
        self.report["programme"] = self.version.programme.slug
        self.report["version"] = self.version.number
        return self.report

    # -- the programme and the version

    def _programme(self) -> None:
        """Only the facts that differ from what the person saw in the preview are written."""
        plan = self.plans["programme"]
        if not plan.updated:
            return
        change = plan.updated[0]
        current = programme_values(self.version.programme, self.version)
        values = {**current, **{key: change.row.values.get(key) for key in change.fields}}
        version_keys = {c.key for c in fmt.PROGRAMME.columns if c.key.startswith(("version_", "effects_"))}
        programme_changes = set(change.fields) - version_keys
        if programme_changes:
            facts = _programme_facts(values)
            names = {c.group or c.key for c in fmt.PROGRAMME.columns if c.key in programme_changes}
            services.update_programme(programme=self.version.programme, by=self.by,
                                      **{name: facts[name] for name in names})
            self.version.programme.refresh_from_db()
        if set(change.fields) & version_keys:
            self.version = services.update_version(version=self.version, by=self.by, **_version_facts(values))
        self.report["updated"] += 1

    # -- removing what the file does not have

    def _remove_missing(self, key: str) -> None:
        missing = self.plans[key].missing
        if not self.target.remove_missing:
            self.report["kept"] += len(missing)
            return
        for change in missing:
            obj = change.item.obj
            model = type(obj)
            current = model.objects.filter(pk=obj.pk).first()
            if current is not None:  # not already removed with its parent
                services.delete_content(obj=current, by=self.by)
            self.report["removed"] += 1

    # -- rows

    def _load_objects(self) -> None:
        for key in ("themes", "targets", "measures", "funding", "projects"):
            self.objects[key] = {obj.code: obj for obj in MODELS[key].objects.filter(version=self.version)}

    def _ref(self, key: str, code: str):
        return self.objects[key].get(code) if code else None

    def _write(self, key: str, change: Change, obj) -> None:
        values = change.row.values
        fields = set(change.fields)
        writer = getattr(self, f"_write_{key}", None)
        if writer is not None:
            written = writer(values, obj, fields)
        else:
            written = self._write_detail(key, values, obj)
        if key in self.objects and written is not None:
            self.objects[key][written.code] = written

    def _owner(self, values: dict):
        return self.context.person(values["owner"]) if values.get("owner") else None

    def _org_unit(self, values: dict):
        return self.context.org_units.get(values.get("org_unit") or "")

    @staticmethod
    def _estimate(values: dict, obj=None) -> dict:
        # A workbook without the recurrence column keeps what is stored (recurring for a new row).
        recurrence = (values.get("estimate_recurrence") if "estimate_recurrence" in values
                      else getattr(obj, "estimate_recurrence", ""))
        return {"kind": values.get("estimate_kind") or "", "amount_eur": values.get("estimate_amount_eur"),
                "min_eur": values.get("estimate_min_eur"), "max_eur": values.get("estimate_max_eur"),
                "note": _translations(values, "estimate_note"), "recurrence": recurrence or ""}

    def _write_themes(self, values, obj, fields):
        common = dict(code=values["code"], name=_translations(values, "name"),
                      description=_translations(values, "description"), owner=self._owner(values),
                      owner_name=values.get("owner_name") or "", by=self.by)
        if obj is None:
            return services.create_theme(version=self.version, **common)
        return services.update_theme(theme=obj, expected_revision=obj.revision, **common)

    def _write_targets(self, values, obj, fields):
        if obj is not None and fields <= ESTIMATE_KEYS:
            return services.set_estimate(item=obj, estimate=self._estimate(values, obj), by=self.by,
                                         expected_revision=obj.revision)
        theme = self._ref("themes", values["theme"])
        common = dict(code=values["code"], name=_translations(values, "name"),
                      description=_translations(values, "description"), estimate=self._estimate(values, obj),
                      org_unit=self._org_unit(values), difficulty=values.get("difficulty") or "",
                      potential_class_stated=values.get("potential_class_stated") or "", by=self.by)
        if obj is None:
            return services.create_target(theme=theme, **common)
        return services.update_target(target=obj, theme=theme if "theme" in fields else None,
                                      expected_revision=obj.revision, **common)

    def _write_measures(self, values, obj, fields):
        if obj is not None and fields <= ESTIMATE_KEYS:
            return services.set_estimate(item=obj, estimate=self._estimate(values, obj), by=self.by,
                                         expected_revision=obj.revision)
        target = self._ref("targets", values.get("target") or "")
        common = dict(code=values["code"], name=_translations(values, "name"),
                      description=_translations(values, "description"), horizon=values.get("horizon") or "",
                      difficulty=values.get("difficulty") or "", estimate=self._estimate(values, obj),
                      org_unit=self._org_unit(values), owner=self._owner(values),
                      owner_name=values.get("owner_name") or "", target=target, by=self.by,
                      contingency_rank=values.get("contingency_rank"),
                      service_level_impact=values.get("service_level_impact") or "",
                      service_level_effect=_translations(values, "service_level_effect"))
        if obj is None:
            return services.create_measure(version=self.version, basket=values.get("basket") or "A", **common)
        moves = bool(fields & {"basket", "target"})
        return services.update_measure(measure=obj, basket=(values.get("basket") or "A") if moves else None,
                                       expected_revision=obj.revision, **common)

    def _write_risks(self, values, obj, fields):
        common = dict(code=values["code"], title=_translations(values, "title"), category=values["category"],
                      theme=self._ref("themes", values.get("theme") or ""),
                      description=_translations(values, "description"), likelihood=values.get("likelihood"),
                      impact=values.get("impact"), mitigation=_translations(values, "mitigation"),
                      owner=self._owner(values), owner_name=values.get("owner_name") or "", by=self.by)
        if obj is None:
            return services.create_risk(version=self.version, **common)
        return services.update_risk(risk=obj, expected_revision=obj.revision, **common)

    def _write_dependencies(self, values, obj, fields):
        note = _translations(values, "note")
        if obj is None:
            return services.add_dependency(measure=self._ref("measures", values["measure"]),
                                           depends_on=self._ref("measures", values["depends_on"]), note=note,
                                           by=self.by)
        return services.update_dependency(dependency=obj, note=note, by=self.by)

    def _write_projects(self, values, obj, fields):
        project = self._write_detail("projects", values, obj)
        wanted = list(values.get("measures") or ())
        links = {link.measure.code: link for link in m.ProjectMeasure.objects.filter(project=project)
                 .select_related("measure")}
        for code, link in links.items():
            if code not in wanted:
                services.delete_content(obj=link, by=self.by)
        for code in wanted:
            if code not in links:
                services.create_content(version=self.version, model=m.ProjectMeasure, by=self.by,
                                        values={"project": project, "measure": self._ref("measures", code)})
        return project

    def _write_detail(self, key: str, values: dict, obj):
        plain, translated = self._detail_values(key, values)
        if obj is None:
            return services.create_content(version=self.version, model=MODELS[key], values=plain,
                                           translations=translated, by=self.by)
        return services.update_content(obj=obj, values=plain, translations=translated, by=self.by)

    def _detail_values(self, key: str, values: dict) -> tuple[dict, dict]:
        sheet = fmt.SHEETS_BY_KEY[key]
        plain: dict[str, Any] = {}
        for column in sheet.columns:
            if column.group or column.kind == fmt.REFS:
                continue
            value = values.get(column.key)
            if column.kind == fmt.REF:
                value = self._ref(column.ref, value or "")
            elif column.kind == fmt.ORG_UNIT:
                value = self._org_unit(values)
            elif column.kind in (fmt.TEXT, fmt.CODE, fmt.CHOICE):
                value = value or ""
            plain[column.key] = value
        translated = {group: _translations(values, group) for group in sheet.groups}
        return plain, translated
