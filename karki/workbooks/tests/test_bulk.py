"""The bulk import leaves the database exactly as the row-by-row services do: the same rows, and the same history
(who, why, created or changed, every value), only in fewer statements.

Each test imports one workbook twice into the same state: first through the services (`row_by_row=True`) inside a
savepoint that is rolled back, then in bulk; both results are read with the ids replaced by what the rows are
(codes, or their place among the version's rows), because a rolled-back insert still uses up ids on PostgreSQL.
"""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from karki.programmes import models as m
from karki.programmes import services
from karki.workbooks.importing import ImportRefused, Target, apply_workbook, check_workbook

from .conftest import cell, edit, exported, find_row, sheet
from .test_round_trip import rich_draft  # noqa: F401  (a fixture)

MODELS = [m.Programme, m.ProgrammeVersion, *m.VERSION_CONTENT_MODELS]
SKIPPED = {"created_at", "history_date", "history_id"}


class _Undo(Exception):
    pass


def _keys() -> dict[tuple[type, int], object]:
    """What each row is, independent of its id: a programme by its identifier, a version by its number, a row
    with a code by its code, other rows by their place among their version's rows of that kind."""
    keys: dict[tuple[type, int], object] = {}
    for programme in m.Programme.objects.all():
        keys[(m.Programme, programme.pk)] = programme.slug
    for version in m.ProgrammeVersion.objects.select_related("programme"):
        keys[(m.ProgrammeVersion, version.pk)] = (version.programme.slug, version.number)
    for model in m.VERSION_CONTENT_MODELS:
        places: dict[int, int] = {}
        for obj in model.objects.order_by("pk"):
            places[obj.version_id] = places.get(obj.version_id, 0) + 1
            code = getattr(obj, "code", None)
            keys[(model, obj.pk)] = (keys[(m.ProgrammeVersion, obj.version_id)], code or f"#{places[obj.version_id]}")
    return keys


def _values(model, row, keys, old_keys) -> tuple:
    """A row (or a history row) of `model` with its ids replaced by keys."""
    def key(related, pk):
        if pk is None:
            return None
        return keys.get((related, pk)) or old_keys.get((related, pk)) or ("unknown", related.__name__, pk)

    values = {}
    for field in model._meta.concrete_fields:
        if field.name in SKIPPED:
            continue
        value = getattr(row, field.attname)
        if field.primary_key:
            value = key(model, value)
        elif field.is_relation and field.related_model in MODELS:
            value = key(field.related_model, value)
        values[field.attname] = value
    if hasattr(row, "history_type"):
        values.update(history_type=row.history_type, history_user_id=row.history_user_id,
                      history_change_reason=row.history_change_reason)
    return tuple(sorted(values.items(), key=lambda item: item[0]))


def _marks() -> dict[type, int]:
    return {model: model.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
            for model in MODELS}


def _state(marks, old_keys) -> dict[str, list]:
    """Every row of every programme, and the history rows written since `marks`."""
    keys = _keys()
    state: dict[str, list] = {}
    for model in MODELS:
        state[model.__name__] = sorted((_values(model, row, keys, old_keys) for row in model.objects.all()), key=repr)
        written = model.history.filter(history_id__gt=marks[model])
        state[f"history of {model.__name__}"] = sorted(
            (_values(model, row, keys, old_keys) for row in written), key=repr)
    return state


def _copy_row_by_row(*, source, target, by) -> None:
    """How `services.copy_version_content` copied a version before it wrote in bulk: one save per row."""
    mapping: dict[type, dict[int, int]] = {}
    for model in m.VERSION_CONTENT_MODELS:
        fk_fields = [f for f in model._meta.concrete_fields
                     if f.is_relation and f.related_model in mapping and f.name != "version"]
        ids: dict[int, int] = {}
        for obj in model.objects.filter(version=source).order_by("pk"):
            old_pk = obj.pk
            obj.pk = None
            obj.id = None
            obj._state.adding = True
            obj.version = target
            for field in fk_fields:
                old_ref = getattr(obj, field.attname)
                if old_ref is not None:
                    setattr(obj, field.attname, mapping[field.related_model][old_ref])
            obj._history_user = by
            obj.save()
            ids[old_pk] = obj.pk
        mapping[model] = ids


def _both_ways(data: bytes, target: Target, by) -> tuple[dict, dict, dict, dict]:
    """(row-by-row state, bulk state, row-by-row report, bulk report) of importing `data` into `target`: first
    every row saved on its own (the services, and a new draft copied row by row), then in bulk."""
    check = check_workbook(data, target)
    assert check.ok, [p.as_dict() for p in check.problems.errors]
    old_keys, marks = _keys(), _marks()
    try:
        with transaction.atomic(), mock.patch.object(services, "copy_version_content", _copy_row_by_row):
            slow_report = apply_workbook(data, target, by=by, expected_fingerprint=check.fingerprint, row_by_row=True)
            slow = _state(marks, old_keys)
            raise _Undo
    except _Undo:
        pass
    assert _state(marks, old_keys) != slow  # rolled back
    bulk_report = apply_workbook(data, target, by=by, expected_fingerprint=check.fingerprint)
    return slow, _state(marks, old_keys), slow_report, bulk_report


def _assert_same(slow: dict, bulk: dict) -> None:
    for name in slow:
        assert bulk[name] == slow[name], name


def _set(key: str, code_header: str, code: str, header: str, value):
    def change(workbook):
        worksheet = sheet(workbook, key)
        cell(worksheet, find_row(worksheet, code_header, code), header).value = value
    return change


def _append(key: str, values: dict):
    def change(workbook):
        worksheet = sheet(workbook, key)
        headers = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True))
        worksheet.append([values.get(header) for header in headers])
    return change


def _delete(key: str, header: str, value):
    def change(workbook):
        worksheet = sheet(workbook, key)
        worksheet.delete_rows(find_row(worksheet, header, value))
    return change


def _changes(*changes):
    def change(workbook):
        for one in changes:
            one(workbook)
    return change


def test_bulk_import__new_programme__same_rows_and_history_as_row_by_row(rich_draft, pmo):  # noqa: F811
    target = Target(organisation=rich_draft.programme.organisation, identifier="ita-kopio", file_name="kopio.xlsx")

    slow, bulk, slow_report, bulk_report = _both_ways(exported(rich_draft), target, pmo)

    _assert_same(slow, bulk)
    assert bulk_report == slow_report
    history = bulk["history of Measure"]
    assert len(history) == m.Measure.objects.filter(version=rich_draft).count()
    assert {(dict(row)["history_type"], dict(row)["history_user_id"], dict(row)["history_change_reason"])
            for row in history} == {("+", pmo.pk, "workbook import: kopio.xlsx")}
    for name in ("ProjectMeasure", "MeasureDependency", "FundingAllocation", "TopDownTarget", "ImpactAssessment"):
        assert bulk[f"history of {name}"], name


def test_bulk_import__changes_moves_new_rows_and_removals_in_a_draft__same_as_row_by_row(rich_draft, pmo):  # noqa: F811
    change = _changes(
        _set("measures", "Koodi", "3.1.a", "Nimi (fi)", "Etähoiva kaikille"),
        _set("targets", "Koodi", "1.1", "Arvio, yläraja (€)", "4,2 M€"),  # only the estimate: "…: estimate"
        _set("measures", "Koodi", "1.1.a", "Kori", "B"),  # moved to basket B, out of its target
        _set("measures", "Koodi", "1.1.a", "Tuottavuuskohde", None),
        _set("projects", "Koodi", "P1", "Toimenpiteet", "1.1.a, 3.1.b"),  # one link removed, one added
        _set("dependencies", "Toimenpide", "3.1.a", "Huomautus (fi)", "Odottaa uutta järjestelmää"),
        _append("themes", {"Koodi": "9", "Nimi (fi)": "Uusi teema"}),
        _append("targets", {"Koodi": "9.1", "Teema": "9", "Nimi (fi)": "Uusi kohde", "Arvio (€)": "1,5 M€"}),
        _append("measures", {"Koodi": "9.1.a", "Tuottavuuskohde": "9.1", "Nimi (fi)": "Uusi toimenpide"}),
        _append("measures", {"Koodi": "9.1.b", "Tuottavuuskohde": "9.1", "Nimi (fi)": "Toinen uusi"}),
        _append("dependencies", {"Toimenpide": "9.1.b", "Riippuu toimenpiteestä": "9.1.a"}),
        _append("top_down", {"Ulottuvuus": "cost_category", "Kustannuslaji": "personnel",
                             "Kustannusmuutos, alaraja (€)": "-2 M€", "Kustannusmuutos, yläraja (€)": "-1 M€"}),
        _append("allocations", {"Rahoitus": "F1", "Teema": "9", "Osuus, alaraja (%)": 10}),
        _delete("goals", "Koodi", "G1"),
    )
    data = edit(exported(rich_draft), change)
    target = Target(organisation=rich_draft.programme.organisation, programme=rich_draft.programme,
                    remove_missing=True, file_name="muutos.xlsx")

    slow, bulk, slow_report, bulk_report = _both_ways(data, target, pmo)

    _assert_same(slow, bulk)
    assert bulk_report == slow_report
    assert bulk_report["created"] >= 7 and bulk_report["updated"] >= 5 and bulk_report["removed"] >= 1
    reasons = {dict(row)["history_change_reason"] for row in bulk["history of Target"]}
    assert reasons == {"workbook import: muutos.xlsx", "workbook import: muutos.xlsx: estimate"}
    moved = m.Measure.objects.get(version=rich_draft, code="1.1.a")
    assert (moved.basket, moved.target, moved.revision) == ("B", None, 2)
    new = m.Target.objects.get(version=rich_draft, code="9.1")
    assert (new.theme.code, new.order, new.estimate_amount_eur) == ("9", 1, Decimal("1500000.00"))
    assert sorted(m.ProjectMeasure.objects.filter(version=rich_draft).values_list("measure__code", flat=True)) \
        == ["1.1.a", "3.1.b"]


def test_bulk_import__into_a_new_draft_of_an_approved_version__same_as_copying_and_writing_row_by_row(ita, pmo):
    approved = ita.versions.order_by("-number").first()
    assert not approved.is_draft
    data = edit(exported(approved), _set("measures", "Koodi", "3.1.a", "Nimi (fi)", "Etähoiva kaikille"))
    target = Target(organisation=ita.organisation, programme=ita, new_draft=True, file_name="uusi.xlsx")

    slow, bulk, slow_report, bulk_report = _both_ways(data, target, pmo)

    _assert_same(slow, bulk)
    assert bulk_report == slow_report
    assert bulk_report["version"] == approved.number + 1
    assert m.Measure.objects.get(version__programme=ita, version__number=approved.number + 1,
                                 code="3.1.a").name_fi == "Etähoiva kaikille"


def test_bulk_import__queries_do_not_grow_with_the_rows(rich_draft, pmo):  # noqa: F811
    """A few statements a sheet, not several a row (about 18 a measure through the services): 40 more measures
    cost a few more batches of the bulk statements at most."""
    def queries(extra: int, identifier: str) -> int:
        rows = [_append("measures", {"Koodi": f"X.{i}", "Kori": "C", "Nimi (fi)": f"Lisä {i}"}) for i in range(extra)]
        data = edit(exported(rich_draft), _changes(*rows))
        target = Target(organisation=rich_draft.programme.organisation, identifier=identifier, file_name="x.xlsx")
        check = check_workbook(data, target)
        with CaptureQueriesContext(connection) as captured:
            apply_workbook(data, target, by=pmo, expected_fingerprint=check.fingerprint)
        return len(captured)

    assert queries(80, "kopio-b") - queries(40, "kopio-a") < 10


def test_bulk_import__a_row_the_database_refuses__nothing_written(rich_draft, pmo, monkeypatch):  # noqa: F811
    """The database's constraints have the last word on a bulk statement; the whole import is rolled back."""
    data = edit(exported(rich_draft), _set("measures", "Koodi", "3.1.a", "Nimi (fi)", "Etähoiva kaikille"))
    target = Target(organisation=rich_draft.programme.organisation, programme=rich_draft.programme,
                    file_name="muutos.xlsx")
    check = check_workbook(data, target)
    before = _marks()
    original = services._apply_contingency

    def rank_on_basket_a(measure, **options):  # what the check and the validation would have refused
        original(measure, **options)
        measure.contingency_rank = 1

    monkeypatch.setattr(services, "_apply_contingency", rank_on_basket_a)
    with pytest.raises(ImportRefused, match="Mitään ei tuotu|Nothing was imported"):
        apply_workbook(data, target, by=pmo, expected_fingerprint=check.fingerprint)
    assert _marks() == before
    assert m.Measure.objects.get(version=rich_draft, code="3.1.a").name_fi != "Etähoiva kaikille"
