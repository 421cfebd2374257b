"""Writes to organisations: the org-unit tree (toimiala → tulosalue → unit).

Each function runs in a transaction, records its author in the history (`_history_user`) and
raises `ValidationError` with a message for the user when the input breaks a rule.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from karki.core.conflicts import check_revision
from karki.core.content import set_translations
from karki.lib.codes import clashing_code, clean_code

from .enums import OrgUnitLevel
from .models import Organisation, OrgUnit

LEVEL_BY_DEPTH = [OrgUnitLevel.SERVICE_AREA, OrgUnitLevel.RESULT_AREA]


def level_for(parent: OrgUnit | None) -> str:
    """The level follows from the place in the tree: top level = service area, below it result
    area, anything deeper a unit."""
    depth = 0
    while parent is not None:
        depth += 1
        parent = parent.parent
    return LEVEL_BY_DEPTH[depth] if depth < len(LEVEL_BY_DEPTH) else OrgUnitLevel.UNIT


def descendant_ids(unit: OrgUnit) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in OrgUnit.objects.filter(organisation_id=unit.organisation_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(children.get(unit.pk, []))
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def _check(organisation: Organisation, *, code: str, parent: OrgUnit | None, unit: OrgUnit | None = None) -> None:
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationError({"parent": _("The parent must be an org unit of the same organisation.")})
    if unit is not None and parent is not None and (parent.pk == unit.pk or parent.pk in descendant_ids(unit)):
        raise ValidationError({"parent": _("An org unit cannot be placed under itself or under one of its own "
                                           "sub-units.")})
    others = OrgUnit.objects.filter(organisation=organisation)
    if unit is not None:
        others = others.exclude(pk=unit.pk)
    stored = clashing_code(code, others.values_list("code", flat=True))
    if stored is not None:  # 2.1.B and 2.1.b are one code to a reader
        raise ValidationError({"code": _("Another org unit of this organisation already has the code %(code)s.")
                               % {"code": stored}})


def _lock(organisation: Organisation) -> None:
    """Serialise tree changes of one organisation: two concurrent moves could otherwise make a cycle."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def _save(unit: OrgUnit, by) -> None:
    if unit.pk is not None:
        unit.revision = (unit.revision or 0) + 1
    unit._history_user = by
    unit.full_clean(validate_unique=False, validate_constraints=False)
    unit.save()


def _relevel_subtree(unit: OrgUnit, by) -> None:
    for child in OrgUnit.objects.filter(parent=unit).select_related("parent"):
        level = level_for(child.parent)
        if child.level != level:
            child.level = level
            _save(child, by)
        _relevel_subtree(child, by)


@transaction.atomic
def create_org_unit(*, organisation: Organisation, code: str, name: dict[str, str], parent: OrgUnit | None,
                    by) -> OrgUnit:
    code = clean_code(code)
    _lock(organisation)
    _check(organisation, code=code, parent=parent)
    last = OrgUnit.objects.filter(organisation=organisation, parent=parent).aggregate(m=Max("order"))["m"]
    unit = OrgUnit(organisation=organisation, code=code, parent=parent, level=level_for(parent),
                   order=(last or 0) + 1)
    set_translations(unit, "name", name)
    _save(unit, by)
    return unit


@transaction.atomic
def update_org_unit(*, unit: OrgUnit, code: str, name: dict[str, str], parent: OrgUnit | None, by,
                    expected_revision: int | None = None) -> OrgUnit:
    """Rename, recode or move an org unit; moving it also corrects the level of its sub-units.

    `expected_revision` is the revision the form was opened on: if someone saved the unit since,
    nothing is saved and `StaleEdit` tells what changed."""
    code = clean_code(code)
    organisation = unit.organisation
    _lock(organisation)
    check_revision(unit, expected_revision, hidden_fields=("name",))
    unit.refresh_from_db(fields=["parent", "revision"])
    _check(organisation, code=code, parent=parent, unit=unit)
    moved = unit.parent_id != (parent.pk if parent else None)
    unit.code = code
    unit.parent = parent
    if moved:
        unit.level = level_for(parent)
    set_translations(unit, "name", name)
    _save(unit, by)
    if moved:
        _relevel_subtree(unit, by)
    return unit
