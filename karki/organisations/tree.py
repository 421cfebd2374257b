"""Reading an organisation's org-unit tree once loaded (`{pk: OrgUnit}` of one organisation): the top-level
unit (toimiala) a unit belongs to, and the units of a subtree. No queries here."""

from __future__ import annotations

from .models import OrgUnit


def root_of(units: dict[int, OrgUnit], unit_id: int | None) -> OrgUnit | None:
    """The top-level unit above `unit_id` (itself when it is one); None for no unit or one not in `units`."""
    unit = units.get(unit_id) if unit_id else None
    while unit is not None and unit.parent_id and unit.parent_id in units:
        unit = units[unit.parent_id]
    return unit


def root_id(units: dict[int, OrgUnit], unit_id: int | None) -> int | None:
    root = root_of(units, unit_id)
    return root.pk if root else None


def subtree_ids(units: dict[int, OrgUnit], root_id: int) -> set[int]:
    """`root_id` and every unit below it."""
    children: dict[int, list[int]] = {}
    for unit in units.values():
        if unit.parent_id is not None:
            children.setdefault(unit.parent_id, []).append(unit.pk)
    found, frontier = {root_id}, [root_id]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found
