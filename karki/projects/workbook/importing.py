"""Importing a project workbook: check everything, compare with the plan in Kärki, then write through the
project services, as the programme workbook does (`karki.workbooks.importing`).

    check_workbook(data, target)  → Check: every problem by sheet, row and column, or per sheet what would be
                                    created, changed and removed, and the budget by funder; nothing is written
    apply_workbook(data, target)  → the same check again, then every write in one transaction

The workbook is the whole plan: rows the file does not have are removed (the preview lists them first).
The money rules are checked on the whole plan with `karki.projects.rules`, the same words as the forms
and the API, and the services check them again when they write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from karki.audit.recording import acting_user, change_reason
from karki.lib import dates
from karki.lib.codes import code_key
from karki.organisations.models import OrgUnit
from karki.programmes.models import Programme
from karki.workbooks.reading import Book, Problems, Row, read_workbook
from karki.workbooks.safety import WorkbookProblem

from .. import rules, services
from ..models import MilestoneUpdate, Project, Spending
from . import format as fmt
from .snapshot import Item, Snapshot, empty_snapshot, read_project

LIST_LIMIT = 200
LANGS = ("fi", "sv", "en")
ZERO = Decimal("0")


class ImportRefused(WorkbookProblem):
    """The import cannot go ahead (the plan changed since the check, a service refused a row …)."""


@dataclass
class Target:
    """Where a workbook goes: over an existing project's plan, or a new project of the organisation."""

    organisation: Any
    project: Project | None = None
    file_name: str = ""


@dataclass
class Change:
    identity: tuple
    label: str
    row: Row | None = None
    item: Item | None = None
    fields: list[str] = field(default_factory=list)


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
    money: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


# -- Checking ----------------------------------------------------------------------------------------


def check_workbook(data: bytes, target: Target, progress=None) -> Check:
    """Read, check and compare; writes nothing. Raises `UnreadableWorkbook`."""
    book, problems = read_workbook(data, target.file_name, progress=progress, layout=fmt.LAYOUT)
    return _compare(book, problems, target)


def fingerprint(project: Project | None, snapshot: Snapshot) -> str:
    return f"{project.pk if project else 0}:{snapshot.fingerprint()}"


def _compare(book: Book, problems: Problems, target: Target) -> Check:
    snapshot = read_project(target.project) if target.project is not None else empty_snapshot()
    check = Check(book=book, problems=problems, fingerprint=fingerprint(target.project, snapshot))
    if any(sheet.key not in book.sheets for sheet in fmt.SHEETS):
        return check  # whole sheets or columns are missing: comparing rows would only add noise
    for row in book.rows("budget"):  # an empty share and a share of 0 € are the same: nothing paid
        for key in list(row.values):
            if key.startswith(fmt.SHARE_PREFIX) and row.values[key] == ZERO:
                row.values[key] = None
    _Checker(book, problems, target, snapshot).run()
    check.money = _money(book)
    check.plans = plan(book, snapshot)
    if target.project is not None:
        _check_removals(book, check.plans, problems)
    return check


def _name(values: dict, key: str = "name") -> str:
    language = (get_language() or "fi")[:2]
    for code in (language, *LANGS):
        if values.get(f"{key}_{code}"):
            return values[f"{key}_{code}"]
    return values.get("code") or ""


def _shown(day: date) -> str:
    return day.strftime("%-d.%-m.%Y")


class _Checker:
    def __init__(self, book: Book, problems: Problems, target: Target, snapshot: Snapshot):
        self.book, self.problems, self.target, self.snapshot = book, problems, target, snapshot
        organisation = target.organisation
        self.org_units = set(OrgUnit.objects.filter(organisation=organisation).values_list("code", flat=True))
        self.people = {name.casefold() for name in get_user_model().objects.filter(
            memberships__organisation=organisation).values_list("username", flat=True)}

    def error(self, key: str, row: Row, column: str, message: str) -> None:
        data = self.book.sheets[key]
        row.invalid.add(column)
        self.problems.error(message, sheet=data.title, row=row.number, column=data.header(column),
                            cell=row.cells.get(column, ""))

    def run(self) -> None:
        codes = self._duplicates()
        self._references(codes)
        self._project()
        self._structure()
        self._budget()
        self._schedule()

    def _duplicates(self) -> dict[str, set[str]]:
        codes: dict[str, set[str]] = {}
        for sheet in fmt.SHEETS:
            data = self.book.sheets[sheet.key]
            if sheet.identity:
                seen: dict[tuple, int] = {}
                for row in data.rows:
                    identity = tuple(row.values.get(k) for k in sheet.identity)
                    if any(value in ("", None) for value in identity):
                        continue
                    key = tuple(code_key(v) if isinstance(v, str) else v for v in identity)
                    if key in seen:
                        self.error(sheet.key, row, sheet.identity[0], _(
                            "“%(value)s” is also on row %(row)s. Each row of the sheet must be different: remove "
                            "one or give it another code.") % {"value": " · ".join(str(v) for v in identity),
                                                                "row": seen[key]})
                    else:
                        seen[key] = row.number
            if "code" in sheet.by_key:
                codes[sheet.key] = {row.values["code"] for row in data.rows if row.values.get("code")}
        return codes

    def _references(self, codes: dict[str, set[str]]) -> None:
        for sheet in fmt.SHEETS:
            data = self.book.sheets[sheet.key]
            for row in data.rows:
                for column in data.sheet.columns:
                    value = row.values.get(column.key)
                    if column.key in row.invalid or value in ("", None, ()):
                        continue
                    if column.kind == fmt.REF and value not in codes.get(column.ref, set()):
                        self.error(sheet.key, row, column.key, _(
                            "%(codes)s is not on the sheet “%(sheet)s”. Add it there or correct the code.")
                            % {"codes": value, "sheet": self.book.sheets[column.ref].title})
                    elif column.kind == fmt.ORG_UNIT and value not in self.org_units:
                        self.error(sheet.key, row, column.key, _(
                            "%(organisation)s has no org unit with the code %(code)s. The codes are listed on the "
                            "read-me sheet of the template; an administrator adds org units.")
                            % {"organisation": self.target.organisation, "code": value})
                    elif column.kind == fmt.PERSON and value.casefold() not in self.people:
                        self.error(sheet.key, row, column.key, _(
                            "%(organisation)s has no person with the username %(name)s in Kärki. Correct the "
                            "username, or empty the cell and write the name in “Owner (as written)”.")
                            % {"organisation": self.target.organisation, "name": value})

    def _project(self) -> None:
        rows = self.book.rows("project")
        if len(rows) != 1:
            return
        row = rows[0]
        values = row.values
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            self.error("project", row, "end_date", _("The project cannot end before it starts."))
        slug = values.get("programme")
        if slug and "programme" not in row.invalid and not Programme.objects.filter(
                slug=slug, organisation=self.target.organisation).exists():
            self.error("project", row, "programme", _(
                "%(organisation)s has no programme with the identifier %(slug)s. Correct it or empty the cell.")
                % {"organisation": self.target.organisation, "slug": slug})
        code = values.get("code") or ""
        if not code or "code" in row.invalid:
            return
        project = self.target.project
        if project is not None:
            if code_key(code) != code_key(project.code):
                self.error("project", row, "code", _(
                    "The workbook is for the project %(other)s, not for %(this)s. Import it into its own project, "
                    "or write %(this)s here to import it into this one.") % {"other": code, "this": project.code})
        elif code.lower() in services.RESERVED_CODES:
            self.error("project", row, "code", _("%(code)s cannot be a project's code; choose another.")
                       % {"code": code})
        elif any(code_key(c) == code_key(code) for c in Project.objects.filter(
                organisation=self.target.organisation).values_list("code", flat=True)):
            self.error("project", row, "code", _(
                "%(organisation)s already has a project %(code)s. Import the workbook on that project's page, or "
                "give the new project another code.") % {"organisation": self.target.organisation, "code": code})

    def _structure(self) -> None:
        rows = [row for row in self.book.rows("structure") if row.values.get("code")]
        parent = {row.values["code"]: row.values.get("parent") or "" for row in rows}
        for row in rows:
            seen = {row.values["code"]}
            up = parent.get(row.values["code"])
            while up:
                if up in seen:
                    self.error("structure", row, "parent", _(
                        "The item would be part of itself through %(chain)s. Correct “Part of”.")
                        % {"chain": " → ".join([*seen, up])})
                    break
                seen.add(up)
                up = parent.get(up)

    def _years(self) -> list[int]:
        rows = self.book.rows("project")
        values = rows[0].values if len(rows) == 1 else {}
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and start <= end:
            return list(range(start.year, end.year + 1))
        return []

    def _budget(self) -> None:
        data = self.book.sheets["budget"]
        funders = {row.values["code"]: row for row in self.book.rows("funders") if row.values.get("code")}
        names = {code: _name(row.values) for code, row in funders.items()}
        columns = fmt.share_codes(data.sheet)
        for code in columns:
            if code not in funders:
                key = f"{fmt.SHARE_PREFIX}{code}"
                self.problems.error(_(
                    "The column “%(code)s” is not the code of a funder on the sheet “%(sheet)s”. The columns after "
                    "the note are the funders' shares, headed by their codes: add the funder or correct the header.")
                    % {"code": code, "sheet": self.book.sheets["funders"].title}, sheet=data.title, row=1,
                    column=code, cell=(data.rows[0].cells.get(key, "")[:-1] + "1") if data.rows else "")
        years = self._years()
        total = ZERO
        paid: dict[str, Decimal] = {}
        for row in data.rows:
            values = row.values
            shares = {names.get(code, code): values.get(f"{fmt.SHARE_PREFIX}{code}") for code in columns}
            year = values.get("year")
            if year is not None and "year" not in row.invalid:
                for message in rules.line_errors(total=ZERO, shares={}, year=year, years=years):
                    self.error("budget", row, "year", message)
            if "total_eur" in row.invalid or any(f"{fmt.SHARE_PREFIX}{c}" in row.invalid for c in columns):
                continue
            for message in rules.line_errors(total=values.get("total_eur"), shares=shares, year=None, years=years):
                self.error("budget", row, "total_eur", message)
            if values.get("total_eur") is not None:
                total += values["total_eur"]
            for code in columns:
                amount = values.get(f"{fmt.SHARE_PREFIX}{code}")
                if amount:
                    paid[code] = paid.get(code, ZERO) + amount
        for code, row in funders.items():
            if "max_share_pct" in row.invalid:
                continue
            for message in rules.limit_errors(project_total=total, paid={names[code]: paid.get(code, ZERO)},
                                              funders=[rules.FunderLimit(names[code],
                                                                         row.values.get("max_share_pct"))]):
                self.error("funders", row, "max_share_pct", message)

    def _schedule(self) -> None:
        rows = self.book.rows("project")
        values = rows[0].values if len(rows) == 1 else {}
        start, end = values.get("start_date"), values.get("end_date")

        def inside(key: str, row: Row, column: str) -> None:
            day = row.values.get(column)
            if day and start and end and column not in row.invalid and not start <= day <= end:
                self.error(key, row, column, _("The date must fall within the project, %(start)s–%(end)s.")
                           % {"start": _shown(start), "end": _shown(end)})

        for row in self.book.rows("phases"):
            first, last = row.values.get("start_date"), row.values.get("end_date")
            if first and last and last < first:
                self.error("phases", row, "end_date", _("A phase cannot end before it starts."))
            inside("phases", row, "start_date")
            inside("phases", row, "end_date")
        for row in self.book.rows("milestones"):
            inside("milestones", row, "due_date")
        today = dates.today()
        for row in self.book.rows("values"):
            day = row.values.get("measured_on")
            if day and day > today:
                self.error("values", row, "measured_on", _("A measured value cannot be dated in the future."))


def _check_removals(book: Book, plans: dict[str, SheetPlan], problems: Problems) -> None:
    """What Kärki keeps although the file does not have it: what the monthly follow-up has reported on."""
    followed = sorted(set(MilestoneUpdate.objects.filter(
        milestone__in=[c.item.obj for c in plans["milestones"].missing]).values_list("milestone__code", flat=True)))
    if followed:
        problems.error(_("The follow-up has reported on the milestones %(codes)s, so they cannot be removed. Keep "
                         "them in the workbook.") % {"codes": ", ".join(followed)},
                       sheet=book.sheets["milestones"].title)
    spent = sorted(set(Spending.objects.filter(
        funder__in=[c.item.obj for c in plans["funders"].missing]).values_list("funder__code", flat=True)))
    if spent:
        problems.error(_("Spending has been reported for the funders %(codes)s, so they cannot be removed. Keep "
                         "them in the workbook.") % {"codes": ", ".join(spent)}, sheet=book.sheets["funders"].title)


def _money(book: Book) -> dict:
    """The plan's budget by funder, as the preview shows it."""
    data = book.sheets["budget"]
    names = {row.values.get("code"): _name(row.values) for row in book.rows("funders")}
    total = sum((row.values.get("total_eur") or ZERO for row in data.rows), ZERO)
    by_funder = []
    for code in fmt.share_codes(data.sheet):
        amount = sum((row.values.get(f"{fmt.SHARE_PREFIX}{code}") or ZERO for row in data.rows), ZERO)
        by_funder.append({"code": code, "name": names.get(code, code), "amount_eur": str(amount),
                          "share_pct": str((amount * 100 / total).quantize(Decimal("0.1"))) if total else None})
    by_year: dict[int, Decimal] = {}
    for row in data.rows:
        if row.values.get("year") and row.values.get("total_eur") is not None:
            by_year[row.values["year"]] = by_year.get(row.values["year"], ZERO) + row.values["total_eur"]
    return {"total_eur": str(total), "by_funder": by_funder,
            "by_year": [{"year": year, "amount_eur": str(amount)} for year, amount in sorted(by_year.items())]}


# -- Comparing ---------------------------------------------------------------------------------------


def _identity(sheet: fmt.Sheet, values: dict) -> tuple:
    return tuple(code_key(v) if isinstance(v, str) else v for v in (values.get(k) or "" for k in sheet.identity))


def _label(identity_values: tuple) -> str:
    return " · ".join(str(v) for v in identity_values if v not in ("", None))


def _differs(new, old) -> bool:
    return (new if new is not None else "") != (old if old is not None else "")


def plan(book: Book, snapshot: Snapshot) -> dict[str, SheetPlan]:
    plans: dict[str, SheetPlan] = {}
    for sheet in fmt.SHEETS:
        data = book.sheets[sheet.key]
        result = plans[sheet.key] = SheetPlan(sheet=sheet)
        items = snapshot.sheets.get(sheet.key, [])
        keys = [c.key for c in data.sheet.columns]
        if sheet.single_row:
            row = data.rows[0] if data.rows else None
            if row is None:
                continue
            if not items:
                result.created.append(Change((), "", row=row))
            else:
                changed = [k for k in keys if _differs(row.values.get(k), items[0].values.get(k))]
                if changed:
                    result.updated.append(Change((), "", row=row, item=items[0], fields=changed))
                else:
                    result.unchanged += 1
            continue
        existing = {_identity(sheet, item.values): item for item in items}
        seen = set()
        for row in data.rows:
            identity = _identity(sheet, row.values)
            label = _label(tuple(row.values.get(k) for k in sheet.identity))
            item = existing.get(identity)
            if item is None:
                result.created.append(Change(identity, label, row=row))
                continue
            seen.add(identity)
            changed = [k for k in keys if _differs(row.values.get(k), item.values.get(k))]
            if sheet.key == "budget":  # a funder whose column the file no longer has pays nothing
                changed += [k for k, v in item.values.items() if k.startswith(fmt.SHARE_PREFIX) and v
                            and k not in keys]
            if changed:
                result.updated.append(Change(identity, label, row=row, item=item, fields=changed))
            else:
                result.unchanged += 1
        for identity, item in existing.items():
            if identity not in seen:
                result.missing.append(Change(identity, _label(tuple(item.values.get(k) for k in sheet.identity)),
                                             item=item))
    return plans


# -- The preview ---------------------------------------------------------------------------------------


def summary(check: Check, target: Target) -> dict:
    """What the job page shows: JSON, in the language the work runs in."""
    problems = check.problems
    result: dict[str, Any] = {
        "ok": check.ok, "project_import": True,
        "errors": [p.as_dict() for p in problems.errors], "error_count": problems.error_count,
        "warnings": [p.as_dict() for p in problems.warnings], "warning_count": problems.warning_count,
        "fingerprint": check.fingerprint, "new_project": target.project is None,
        "project": target.project.code if target.project is not None else "",
        "organisation": target.organisation.slug, "sheets": [], "money": check.money,
    }
    if not check.ok or check.book is None:
        return result
    changes = 0
    for sheet in fmt.SHEETS:
        p = check.plans.get(sheet.key)
        data = check.book.sheets[sheet.key]
        changes += len(p.created) + len(p.updated) + len(p.missing)
        result["sheets"].append({
            "key": sheet.key, "title": data.title, "created": len(p.created), "updated": len(p.updated),
            "unchanged": p.unchanged, "missing": len(p.missing),
            "created_labels": [c.label for c in p.created[:LIST_LIMIT]],
            "updated_labels": [{"label": c.label, "fields": [data.header(k) if k in data.sheet.by_key else k
                                                             for k in c.fields]} for c in p.updated[:LIST_LIMIT]],
            "missing_labels": [c.label for c in p.missing[:LIST_LIMIT]],
        })
    result["changes"] = changes
    return result


# -- Writing -----------------------------------------------------------------------------------------


def apply_workbook(data: bytes, target: Target, *, by, expected_fingerprint: str, progress=None) -> dict:
    """Check the file again and write it, all or nothing; refuses (`ImportRefused`) when anything is wrong or
    the plan changed since the preview the person confirmed."""
    book, problems = read_workbook(data, target.file_name, progress=progress, layout=fmt.LAYOUT)
    reason = f"workbook import: {target.file_name or 'xlsx'}"
    with change_reason(reason[:100]), acting_user(by), transaction.atomic():
        if target.project is not None:
            target.project = Project.objects.select_for_update().get(pk=target.project.pk)
        check = _compare(book, problems, target)
        if not check.ok:
            raise ImportRefused(_("The workbook has %(count)s problems; nothing was imported.")
                                % {"count": check.problems.error_count})
        if check.fingerprint != expected_fingerprint:
            raise ImportRefused(_("The project has changed since the workbook was checked, so the preview you "
                                  "confirmed is no longer what would happen. Nothing was imported: check the "
                                  "workbook again and look at the new preview."))
        if progress:
            progress(60, _("Saving"))
        try:
            project = _Writer(book, check.plans, target, by).write()
        except ValidationError as error:  # the checks should have found it; the services have the last word
            raise ImportRefused(_("Kärki refused a row: %(reason)s Nothing was imported.")
                                % {"reason": " ".join(error.messages)}) from error
    report = {"project": project.code, "organisation": project.organisation.slug, "created": 0, "updated": 0,
              "removed": 0}
    for p in check.plans.values():
        report["created"] += len(p.created)
        report["updated"] += len(p.updated)
        report["removed"] += len(p.missing)
    return report


def _texts(values: dict, name: str) -> dict[str, str]:
    return {code: values.get(f"{name}_{code}") or "" for code in LANGS}


class _Writer:
    """Writes the plan through the services: the project, removals (children first), the structure parents
    first, funders and the budget with the allowed shares checked once at the end, the schedule, risks and
    indicators."""

    def __init__(self, book: Book, plans: dict[str, SheetPlan], target: Target, by):
        self.book, self.plans, self.target, self.by = book, plans, target, by
        self.people = {u.get_username().casefold(): u for u in get_user_model().objects.filter(
            memberships__organisation=target.organisation).distinct()}
        self.units = {u.code: u for u in OrgUnit.objects.filter(organisation=target.organisation)}

    def person(self, values: dict, key: str = "owner"):
        name = values.get(key) or ""
        return self.people.get(name.casefold()) if name else None

    def write(self) -> Project:
        s = services
        project = self._project()
        self.project = project
        objects: dict[str, dict[str, Any]] = {
            key: {item.values["code"]: item.obj for item in read_project(project).sheets[key]}
            for key in ("structure", "funders", "phases", "indicators")} if self.target.project else {
            key: {} for key in ("structure", "funders", "phases", "indicators")}
        self.objects = objects
        by = self.by
        # Removals of rows nothing else of the file hangs on, first: a year or a code that moves frees its place.
        for key, remove in (("values", lambda o: s.delete_indicator_value(value=o, by=by)),
                            ("milestones", lambda o: s.delete_milestone(milestone=o, by=by)),
                            ("risks", lambda o: s.delete_risk(risk=o, by=by))):
            for change in self.plans[key].missing:
                remove(change.item.obj)
        with s.limits_checked_once(project):
            for change in self.plans["budget"].missing:
                s.delete_budget_line(line=change.item.obj, by=by)
            self._structure()
            for change in self.plans["funders"].created + self.plans["funders"].updated:
                v = change.row.values
                funder = s.save_funder(project=project, by=by, code=v["code"], kind=v["kind"], name=_texts(v, "name"),
                                       max_share_pct=v.get("max_share_pct"), funding_code=v.get("funding_code") or "",
                                       funder=change.item.obj if change.item else None)
                objects["funders"][funder.code] = funder
            codes = fmt.share_codes(self.book.sheets["budget"].sheet)
            items = objects["structure"]
            for change in self.plans["budget"].created + self.plans["budget"].updated:
                v = change.row.values
                shares = {objects["funders"][code]: v.get(f"{fmt.SHARE_PREFIX}{code}") for code in codes}
                for funder in objects["funders"].values():
                    shares.setdefault(funder, None)
                s.set_budget_line(project=project, by=by, item=items[v["item"]], year=v["year"],
                                  cost_type=v["cost_type"], total_eur=v["total_eur"], shares=shares,
                                  note=v.get("note") or "")
            for change in self.plans["funders"].missing:
                funder = type(change.item.obj).objects.filter(pk=change.item.obj.pk).first()
                if funder is not None:
                    s.delete_funder(funder=funder, by=by)
        for change in self.plans["indicators"].missing:
            s.delete_indicator(indicator=change.item.obj, by=by)
        for change in self.plans["phases"].missing:
            s.delete_phase(phase=change.item.obj, by=by)
        for change in self.plans["phases"].created + self.plans["phases"].updated:
            v = change.row.values
            phase = s.save_phase(project=project, by=by, code=v["code"], name=_texts(v, "name"),
                                 start_date=v["start_date"], end_date=v["end_date"],
                                 phase=change.item.obj if change.item else None)
            objects["phases"][phase.code] = phase
        for change in self.plans["milestones"].created + self.plans["milestones"].updated:
            v = change.row.values
            s.save_milestone(project=project, by=by, code=v["code"], name=_texts(v, "name"), due_date=v["due_date"],
                             phase=objects["phases"].get(v.get("phase") or ""),
                             item=objects["structure"].get(v.get("item") or ""), owner=self.person(v),
                             owner_name=v.get("owner_name") or "", deliverable=_texts(v, "deliverable"),
                             milestone=change.item.obj if change.item else None)
        for change in self.plans["risks"].created + self.plans["risks"].updated:
            v = change.row.values
            s.save_risk(project=project, by=by, code=v["code"], title=_texts(v, "title"), category=v["category"],
                        likelihood=v.get("likelihood"), impact=v.get("impact"), owner=self.person(v),
                        owner_name=v.get("owner_name") or "", description=_texts(v, "description"),
                        mitigation=_texts(v, "mitigation"), risk=change.item.obj if change.item else None)
        for change in self.plans["indicators"].created + self.plans["indicators"].updated:
            v = change.row.values
            indicator = s.save_indicator(
                project=project, by=by, code=v["code"], name=_texts(v, "name"), unit=v.get("unit") or "",
                direction=v.get("direction") or "", baseline_value=v.get("baseline_value"),
                baseline_date=v.get("baseline_date"), target_value=v.get("target_value"), deadline=v.get("deadline"),
                indicator=change.item.obj if change.item else None)
            objects["indicators"][indicator.code] = indicator
        for change in self.plans["values"].created + self.plans["values"].updated:
            v = change.row.values
            s.record_indicator_value(by=by, measured_on=v["measured_on"], value=v["value"],
                                     source=v.get("source") or "",
                                     project_indicator=objects["indicators"][v["indicator"]])
        # Items the file no longer has, deepest first: their parts have been moved or removed by now.
        for change in reversed(self.plans["structure"].missing):
            item = type(change.item.obj).objects.filter(pk=change.item.obj.pk).first()
            if item is not None:
                s.delete_item(item=item, by=by)
        self._final_dates()
        return project

    def _project(self) -> Project:
        p = self.plans["project"]
        change = (p.created or p.updated or [None])[0]
        current = self.target.project
        if change is None:
            return current
        v = change.row.values
        programme = Programme.objects.filter(slug=v["programme"], organisation=self.target.organisation).first() \
            if v.get("programme") else None
        translated = {name: _texts(v, name) for name in ("description", "goals", "expected_results", "impacts",
                                                         "dependencies")}
        common = dict(code=v["code"], name=_texts(v, "name"), by=self.by, programme=programme,
                      owner=self.person(v), owner_name=v.get("owner_name") or "",
                      org_unit=self.units.get(v.get("org_unit") or ""), status=v["status"], translated=translated)
        if current is None:
            return services.create_project(organisation=self.target.organisation, start_date=v["start_date"],
                                           end_date=v["end_date"], **common)
        # Dates that shrink are set after the rest, when the budget and schedule fit them.
        self.final = (v["start_date"], v["end_date"], common)
        start, end = min(v["start_date"], current.start_date), max(v["end_date"], current.end_date)
        return services.update_project(project=current, start_date=start, end_date=end,
                                       expected_revision=current.revision, **common)

    def _final_dates(self) -> None:
        final = getattr(self, "final", None)
        if final is None:
            return
        start, end, common = final
        if (self.project.start_date, self.project.end_date) != (start, end):
            self.project.refresh_from_db()
            services.update_project(project=self.project, start_date=start, end_date=end,
                                    expected_revision=self.project.revision, **common)

    def _structure(self) -> None:
        rows = {change.row.values["code"]: change for change in
                self.plans["structure"].created + self.plans["structure"].updated}
        order = {row.values["code"]: index for index, row in enumerate(self.book.rows("structure"), start=1)}
        items = self.objects["structure"]
        done: set[str] = set()

        def write(code: str) -> None:
            if code in done:
                return
            done.add(code)
            change = rows[code]
            v = change.row.values
            parent_code = v.get("parent") or ""
            if parent_code in rows:
                write(parent_code)
            item = services.save_item(project=self.project, by=self.by, code=v["code"], name=_texts(v, "name"),
                                      kind=v["kind"], parent=items.get(parent_code) if parent_code else None,
                                      description=_texts(v, "description"),
                                      item=change.item.obj if change.item else None, order=order[code])
            items[item.code] = item

        for code in rows:
            write(code)
