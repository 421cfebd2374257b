"""Importing into a programme: what is written, what is refused, and what the history shows afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from karki.programmes import models as m
from karki.programmes import services
from karki.workbooks.importing import ImportRefused, Target, apply_workbook, check_workbook, summary

from .conftest import cell, edit, exported, find_row, minimal, sheet
from .test_round_trip import history_rows


def _target(programme, **options) -> Target:
    return Target(organisation=programme.organisation, programme=programme, file_name="muutos.xlsx", **options)


def _check(data: bytes, target: Target):
    check = check_workbook(data, target)
    return check, summary(check, target)


def _errors(data: bytes, target: Target) -> list[dict]:
    check, result = _check(data, target)
    assert not check.ok
    return result["errors"]


def _apply(data: bytes, target: Target, by) -> dict:
    check = check_workbook(data, target)
    assert check.ok, [p.as_dict() for p in check.problems.errors]
    return apply_workbook(data, target, by=by, expected_fingerprint=check.fingerprint)


def _set(key: str, code_header: str, code: str, header: str, value):
    def change(workbook):
        worksheet = sheet(workbook, key)
        cell(worksheet, find_row(worksheet, code_header, code), header).value = value
    return change


def _sheet_summary(result: dict, key: str) -> dict:
    return next(s for s in result["sheets"] if s["key"] == key)


def _latest_history(obj):
    return type(obj).history.filter(id=obj.pk).order_by("-history_date", "-history_id").first()


def test_import__changed_cells__only_those_rows_saved_by_the_importer_with_the_file_as_reason(draft, pmo):
    data = edit(exported(draft), _set("measures", "Koodi", "3.1.a", "Nimi (fi)", "Etähoiva kaikille"))
    check, result = _check(data, _target(draft.programme))
    measures = _sheet_summary(result, "measures")
    assert (measures["created"], measures["updated"], measures["missing"]) == (0, 1, 0)
    assert measures["updated_labels"] == [{"label": "3.1.a", "fields": ["Nimi (fi)"]}]
    before = history_rows()

    report = apply_workbook(data, _target(draft.programme), by=pmo, expected_fingerprint=check.fingerprint)

    assert (report["created"], report["updated"]) == (0, 1)
    assert history_rows() == before + 1
    measure = m.Measure.objects.get(version=draft, code="3.1.a")
    assert measure.name_fi == "Etähoiva kaikille"
    record = _latest_history(measure)
    assert record.history_user == pmo
    assert record.history_change_reason == "workbook import: muutos.xlsx"
    assert measure.revision == 2


def test_import__only_an_estimate_changed__recorded_as_an_estimate_change(draft, finance, pmo):
    data = edit(exported(draft), _set("targets", "Koodi", "1.1", "Arvio (€)", "4,2 M€"))
    _apply(data, _target(draft.programme), pmo)
    target = m.Target.objects.get(version=draft, code="1.1")
    assert (target.estimate_kind, target.estimate_amount_eur) == ("point", Decimal("4200000.00"))
    assert _latest_history(target).history_change_reason == "workbook import: muutos.xlsx: estimate"


def test_import__programme_facts__changed_with_history(draft, pmo):
    data = edit(exported(draft), _set("programme", "Tunniste", draft.programme.slug, "Taloudellinen tavoite (€)",
                                      "30 M€"))
    _apply(data, _target(draft.programme), pmo)
    draft.programme.refresh_from_db()
    assert draft.programme.target_eur == Decimal("30000000")
    assert _latest_history(draft.programme).history_user == pmo


def test_import__measure_moved_to_basket_b_and_target_moved_to_another_theme(draft, pmo):
    def change(workbook):
        _set("measures", "Koodi", "3.1.a", "Kori", "B")(workbook)
        _set("measures", "Koodi", "3.1.a", "Tuottavuuskohde", None)(workbook)
        _set("targets", "Koodi", "1.1", "Teema", "2")(workbook)

    _apply(edit(exported(draft), change), _target(draft.programme), pmo)
    measure = m.Measure.objects.get(version=draft, code="3.1.a")
    assert (measure.basket, measure.target) == ("B", None)
    assert m.Target.objects.get(version=draft, code="1.1").theme.code == "2"


def test_import__rows_missing_from_the_file__kept_and_listed_by_default(draft, pmo):
    def remove(workbook):
        worksheet = sheet(workbook, "measures")
        worksheet.delete_rows(find_row(worksheet, "Koodi", "3.1.a"))

    data = edit(exported(draft), remove)
    _check_, result = _check(data, _target(draft.programme))
    measures = _sheet_summary(result, "measures")
    assert (measures["missing"], measures["missing_labels"]) == (1, ["3.1.a"])
    report = _apply(data, _target(draft.programme), pmo)
    assert (report["removed"], report["kept"]) == (0, 1)
    assert m.Measure.objects.filter(version=draft, code="3.1.a").exists()


def test_import__rows_missing_from_the_file__removed_when_asked_with_history(draft, pmo):
    services.add_dependency(measure=m.Measure.objects.get(version=draft, code="3.1.a"),
                            depends_on=m.Measure.objects.get(version=draft, code="3.1.b"), by=pmo)

    def remove(workbook):
        worksheet = sheet(workbook, "measures")
        worksheet.delete_rows(find_row(worksheet, "Koodi", "3.1.a"))
        dependencies = sheet(workbook, "dependencies")
        dependencies.delete_rows(2)

    report = _apply(edit(exported(draft), remove), _target(draft.programme, remove_missing=True), pmo)
    assert report["removed"] == 2  # the measure and its dependency
    assert not m.Measure.objects.filter(version=draft, code="3.1.a").exists()
    gone = m.Measure.history.filter(code="3.1.a", version_id=draft.pk, history_type="-").get()
    assert gone.history_user == pmo and gone.history_change_reason.startswith("workbook import: muutos.xlsx")


def test_import__one_bad_cell__nothing_written(draft, pmo):
    def change(workbook):
        _set("measures", "Koodi", "3.1.a", "Nimi (fi)", "Uusi nimi")(workbook)
        _set("ramp", "Vuosi", 2025, "Säästö vuonna (€)", "paljon")(workbook)

    data = edit(exported(draft), change)
    before = history_rows()
    check = check_workbook(data, _target(draft.programme))
    assert not check.ok
    with pytest.raises(ImportRefused):
        apply_workbook(data, _target(draft.programme), by=pmo, expected_fingerprint=check.fingerprint)
    assert history_rows() == before
    assert m.Measure.objects.get(version=draft, code="3.1.a").name_fi != "Uusi nimi"


def test_import__references_between_sheets__each_wrong_one_named(draft, pmo):
    def change(workbook):
        _set("targets", "Koodi", "1.1", "Teema", "9")(workbook)
        _set("measures", "Koodi", "3.1.a", "Tuottavuuskohde", None)(workbook)
        _set("measures", "Koodi", "3.1.b", "Organisaatioyksikkö (koodi)", "EI-OLE")(workbook)
        _set("measures", "Koodi", "2.1.a", "Omistaja (käyttäjätunnus)", "tuntematon")(workbook)
        _set("themes", "Koodi", "2", "Koodi", "1")(workbook)

    errors = _errors(edit(exported(draft), change), _target(draft.programme))
    found = {(e["sheet"], e["column"]): e["message"] for e in errors}
    assert "ei ole taulukossa ”Teemat”" in found[("Tuottavuuskohteet", "Teema")]
    assert "A-korin toimenpide kuuluu tuottavuuskohteeseen" in found[("Toimenpiteet", "Tuottavuuskohde")]
    assert "EI-OLE" in found[("Toimenpiteet", "Organisaatioyksikkö (koodi)")]
    assert "tuntematon" in found[("Toimenpiteet", "Omistaja (käyttäjätunnus)")]
    assert "on myös rivillä 2" in found[("Teemat", "Koodi")]


def test_import__dependencies_in_a_cycle__refused_with_the_chain(draft):
    data = minimal(extra={
        "measures": [{"code": code, "target": "1.1", "name_fi": code} for code in ("a", "b", "c")],
        "dependencies": [{"measure": "a", "depends_on": "b"}, {"measure": "b", "depends_on": "c"},
                         {"measure": "c", "depends_on": "a"}, {"measure": "a", "depends_on": "a"}],
    })
    target = Target(organisation=draft.programme.organisation, identifier="sykli", file_name="sykli.xlsx")
    messages = [(e["row"], e["message"]) for e in _errors(data, target)]
    assert (4, "Tämä riippuvuus sulkisi kehän: c → a → b → c. Toimenpide ei voi odottaa itseään; poista jokin "
               "riippuvuuksista.") in messages
    assert any(row == 5 and "ei voi riippua itsestään" in message for row, message in messages)


def test_import__owner_by_username_and_as_written__both_kept(draft, pmo):
    owner = get_user_model().objects.get(username="theme-owner.ita-uusimaa")

    def change(workbook):
        _set("themes", "Koodi", "2", "Omistaja (käyttäjätunnus)", owner.username)(workbook)
        _set("themes", "Koodi", "2", "Omistaja (kuten kirjoitettu)", "Hallintoylilääkäri")(workbook)

    _apply(edit(exported(draft), change), _target(draft.programme), pmo)
    theme = m.Theme.objects.get(version=draft, code="2")
    assert (theme.owner, theme.owner_name) == (owner, "Hallintoylilääkäri")


def test_import__approved_version_without_asking_for_a_new_draft__refused(ita):
    with pytest.raises(ImportRefused) as caught:
        check_workbook(exported(ita.versions.get(number=2)), _target(ita))
    assert "hyväksytty" in caught.value.message


def test_import__into_a_new_draft__copies_the_approved_version_and_applies_the_changes(ita, pmo):
    approved = ita.versions.get(number=2)
    data = edit(exported(approved), _set("measures", "Koodi", "3.1.a", "Nimi (fi)", "Etähoiva kaikille"))
    target = _target(ita, new_draft=True)
    check, result = _check(data, target)
    assert result["new_draft"] and result["version"] == 2
    assert _sheet_summary(result, "measures")["updated"] == 1
    apply_workbook(data, target, by=pmo, expected_fingerprint=check.fingerprint)
    draft = ita.versions.get(number=3)
    assert draft.is_draft and draft.label_fi == "Versio 3"  # the approved version's label stays its own
    assert m.Measure.objects.get(version=draft, code="3.1.a").name_fi == "Etähoiva kaikille"
    assert m.Measure.objects.get(version=approved, code="3.1.a").name_fi != "Etähoiva kaikille"


def test_import__draft_changed_after_the_preview__refused(draft, pmo):
    data = edit(exported(draft), _set("measures", "Koodi", "3.1.a", "Nimi (fi)", "Etähoiva kaikille"))
    check = check_workbook(data, _target(draft.programme))
    theme = m.Theme.objects.get(version=draft, code="1")
    services.update_theme(theme=theme, code="1", name={"fi": "Joku muu muutti tämän"}, by=pmo)
    with pytest.raises(ImportRefused) as caught:
        apply_workbook(data, _target(draft.programme), by=pmo, expected_fingerprint=check.fingerprint)
    assert "muuttunut" in caught.value.message
    assert m.Measure.objects.get(version=draft, code="3.1.a").name_fi != "Etähoiva kaikille"


def test_import__workbook_of_another_programme__refused(draft, kym):
    errors = _errors(exported(kym.versions.get(number=1)), _target(draft.programme))
    [error] = [e for e in errors if e["column"] == "Tunniste"]
    assert "kymenlaakso-2023-2025" in error["message"]


def test_import__new_programme__created_with_a_draft_version_1(org, pmo):
    target = Target(organisation=org, file_name="uusi.xlsx")
    report = _apply(minimal(), target, pmo)
    programme = m.Programme.objects.get(slug="uusi-ohjelma")
    version = programme.versions.get()
    assert (report["programme"], report["version"], version.is_draft) == ("uusi-ohjelma", 1, True)
    assert programme.target_eur == Decimal("1400000")
    assert list(m.Measure.objects.filter(version=version).values_list("code", "basket")) == [
        ("1.1.a", "A"), ("B.1", "B")]
    target_row = m.Target.objects.get(version=version)
    assert (target_row.estimate_kind, target_row.estimate_min_eur, target_row.estimate_max_eur) == (
        "range", Decimal("500000.00"), Decimal("1500000.00"))
    assert programme.history.get().history_user == pmo


def test_import__new_programme_with_a_taken_identifier__refused(org, ita):
    target = Target(organisation=org, file_name="uusi.xlsx", identifier=ita.slug)
    [error] = _errors(minimal(), target)
    assert ita.slug in error["message"] and error["column"] == "Tunniste"


def _delete_rows(key: str, header: str, value):
    def change(workbook):
        worksheet = sheet(workbook, key)
        column = cell(worksheet, 1, header).column
        for row in range(worksheet.max_row, 1, -1):
            if worksheet.cell(row=row, column=column).value == value:
                worksheet.delete_rows(row)
    return change


def test_import__removing_missing_rows__a_measure_moved_away_from_a_removed_target_survives(draft, pmo):
    """The file moves 3.1's measures to 3.2 and no longer has 3.1; removing 3.1 must not take them with it."""
    from karki.monitoring.models import Period
    from karki.monitoring.services import record_status_report

    measure = m.Measure.objects.get(version=draft, code="3.1.a")
    measure = services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "250000"}, by=pmo)
    report = record_status_report(measure, period=Period.objects.get(programme=draft.programme, year=2024, month=12),
                                  by=pmo, phase="started", status="green", narrative="Käynnissä")
    theme = services.create_theme(version=draft, code="9", name={"fi": "Poistuva teema"}, by=pmo)
    risk = m.Risk.objects.get(version=draft, code="R1")
    services.update_risk(risk=risk, code="R1", title={c: getattr(risk, f"title_{c}") for c in ("fi", "sv", "en")},
                         category=risk.category, theme=theme, by=pmo)
    moved = list(m.Measure.objects.filter(version=draft, target__code="3.1").values_list("code", flat=True))
    history_before = m.Measure.history.filter(id=measure.pk).count()

    def change(workbook):
        for code in moved:
            _set("measures", "Koodi", code, "Tuottavuuskohde", "3.2")(workbook)
        _set("risks", "Koodi", "R1", "Teema", "1")(workbook)
        _delete_rows("targets", "Koodi", "3.1")(workbook)
        _delete_rows("cost_effects", "Tuottavuuskohde", "3.1")(workbook)
        _delete_rows("themes", "Koodi", "9")(workbook)

    result = _apply(edit(exported(draft), change), _target(draft.programme, remove_missing=True), pmo)

    assert not m.Target.objects.filter(version=draft, code="3.1").exists()
    assert not m.Theme.objects.filter(version=draft, code="9").exists()
    assert result["removed"] >= 2
    survivor = m.Measure.objects.get(pk=measure.pk)
    assert (survivor.target.code, survivor.estimate_kind, survivor.estimate_amount_eur) == (
        "3.2", "point", Decimal("250000.00"))
    assert sorted(m.Measure.objects.filter(version=draft, code__in=moved).values_list("target__code", flat=True)) \
        == ["3.2"] * len(moved)
    assert m.Measure.history.filter(id=measure.pk).count() == history_before + 1  # moved, never deleted
    assert not m.Measure.history.filter(id=measure.pk, history_type="-").exists()
    report.refresh_from_db()
    assert report.measure_id == measure.pk and report.narrative == "Käynnissä"
    assert m.Risk.objects.get(version=draft, code="R1").theme.code == "1"


def test_import__removing_missing_rows__a_dependency_turned_round_is_not_a_cycle(draft, pmo):
    measures = {x.code: x for x in m.Measure.objects.filter(version=draft, code__in=("3.1.a", "3.1.b"))}
    services.add_dependency(measure=measures["3.1.a"], depends_on=measures["3.1.b"], by=pmo)

    def change(workbook):
        dependencies = sheet(workbook, "dependencies")
        cell(dependencies, 2, "Toimenpide").value = "3.1.b"
        cell(dependencies, 2, "Riippuu toimenpiteestä").value = "3.1.a"

    report = _apply(edit(exported(draft), change), _target(draft.programme, remove_missing=True), pmo)

    assert (report["created"], report["removed"]) == (1, 1)
    assert list(m.MeasureDependency.objects.filter(version=draft).values_list("measure__code", "depends_on__code")) \
        == [("3.1.b", "3.1.a")]


# -- The check refuses what the services would refuse: the preview never says "ready" for a file that then fails


def test_check__order_of_preference_on_a_basket_a_measure__refused_in_its_cell(draft, pmo):
    data = edit(exported(draft), _set("measures", "Koodi", "3.1.a", "Etusijajärjestys", 2))
    target = _target(draft.programme)
    [error] = _errors(data, target)
    assert (error["sheet"], error["column"]) == ("Toimenpiteet", "Etusijajärjestys")
    assert error["message"].startswith("Etusijajärjestys on vain korien B ja C toimenpiteillä")
    with pytest.raises(ImportRefused):  # and the import refuses it too, writing nothing
        apply_workbook(data, target, by=pmo, expected_fingerprint=check_workbook(data, target).fingerprint)


def test_check__order_of_preference_of_a_measure_moved_to_basket_a__refused(draft, pmo):
    def change(workbook):
        _set("measures", "Koodi", "B.1", "Kori", "A")(workbook)
        _set("measures", "Koodi", "B.1", "Tuottavuuskohde", "3.1")(workbook)

    [error] = _errors(edit(exported(draft), change), _target(draft.programme))
    assert error["column"] == "Etusijajärjestys" and "korien B ja C" in error["message"]


def test_check__cost_in_service_level_on_a_basket_a_measure__a_warning_and_imported(draft, pmo):
    data = edit(exported(draft), _set("measures", "Koodi", "3.1.a", "Vaikutus palvelutasoon", "minor"))
    check, result = _check(data, _target(draft.programme))
    assert check.ok
    [warning] = [w for w in result["warnings"] if w["column"] == "Vaikutus palvelutasoon"]
    assert "korien B ja C" in warning["message"]
    _apply(data, _target(draft.programme), pmo)
    assert m.Measure.objects.get(version=draft, code="3.1.a").service_level_impact == "minor"


def test_check__target_year_outside_the_programme_years__refused(draft, pmo):
    data = edit(exported(draft), _set("programme", "Tunniste", draft.programme.slug, "Tavoitevuosi", 2030))
    [error] = _errors(data, _target(draft.programme))
    assert (error["sheet"], error["column"], error["row"]) == ("Ohjelma", "Tavoitevuosi", 2)
    assert error["message"] == "Tavoitevuoden on oltava jokin ohjelman vuosista 2023–2026."


def test_check__new_programme_with_its_target_year_outside_its_years__refused(org):
    data = minimal(extra={"programme": [{"identifier": "uusi", "name_fi": "Uusi", "period_start": 2026,
                                         "period_end": 2028, "target_year": 2025}]})
    [error] = _errors(data, Target(organisation=org, file_name="uusi.xlsx"))
    assert error["column"] == "Tavoitevuosi" and "2026–2028" in error["message"]


def test_check__dependency_closing_a_cycle_through_a_measure_kept_in_karki__refused(draft, pmo):
    """3.1.a → 9.9 → 3.1.b stays in Kärki (9.9 is not in the file but is kept): 3.1.b → 3.1.a closes a cycle."""
    measures = {x.code: x for x in m.Measure.objects.filter(version=draft, code__in=("3.1.a", "3.1.b"))}
    kept = services.create_measure(version=draft, code="9.9", name={"fi": "Pysyvä"}, basket="B", by=pmo)
    services.add_dependency(measure=measures["3.1.a"], depends_on=kept, by=pmo)
    services.add_dependency(measure=kept, depends_on=measures["3.1.b"], by=pmo)

    def change(workbook):
        _delete_rows("measures", "Koodi", "9.9")(workbook)
        _delete_rows("dependencies", "Toimenpide", "9.9")(workbook)
        _delete_rows("dependencies", "Toimenpide", "3.1.a")(workbook)
        sheet(workbook, "dependencies").append(["3.1.b", "3.1.a"])

    [error] = _errors(edit(exported(draft), change), _target(draft.programme))
    assert error["column"] == "Riippuu toimenpiteestä"
    assert "3.1.b → 3.1.a → 9.9 → 3.1.b" in error["message"]


def test_check__removing_a_measure_with_status_reports__refused_and_nothing_removed(draft, pmo):
    from karki.monitoring.models import Period
    from karki.monitoring.services import record_status_report

    measure = m.Measure.objects.get(version=draft, code="3.1.a")
    record_status_report(measure, period=Period.objects.get(programme=draft.programme, year=2024, month=12), by=pmo,
                         phase="started", status="green")
    data = edit(exported(draft), _delete_rows("measures", "Koodi", "3.1.a"))
    target = _target(draft.programme, remove_missing=True)
    [error] = _errors(data, target)
    assert (error["sheet"], error["message"]) == ("Toimenpiteet", (
        "Toimenpiteistä 3.1.a on kirjoitettu tilanneraportteja, joten niitä ei voi poistaa. Pidä ne työkirjassa tai "
        "tuo työkirja poistamatta rivejä, joita tiedostossa ei ole."))
    assert _check(data, _target(draft.programme))[0].ok  # kept when nothing is removed
    assert m.Measure.objects.filter(pk=measure.pk).exists()


# -- Consistency: what was compared is what is written


def test_apply__the_version_is_locked_before_it_is_compared(draft, pmo):
    """An edit in the browser locks the version row before it writes (services._check_draft); the import takes the
    same lock before reading the draft, so neither can slip in between the other's reading and writing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks: it lets one transaction write at a time")
    data = edit(exported(draft), _set("measures", "Koodi", "3.1.a", "Nimi (fi)", "Etähoiva kaikille"))
    check = check_workbook(data, _target(draft.programme))
    with CaptureQueriesContext(connection) as queries:
        apply_workbook(data, _target(draft.programme), by=pmo, expected_fingerprint=check.fingerprint)
    sql = [query["sql"] for query in queries]
    lock = next(i for i, text in enumerate(sql)
                if "FOR UPDATE" in text and 'FROM "programmes_programmeversion"' in text)
    first_read = next(i for i, text in enumerate(sql) if 'FROM "programmes_measure"' in text)
    assert lock < first_read
    assert m.Measure.objects.get(version=draft, code="3.1.a").name_fi == "Etähoiva kaikille"


def test_apply__the_draft_is_read_once(draft, pmo, monkeypatch):
    from karki.workbooks import importing, snapshot

    data = edit(exported(draft), _set("measures", "Koodi", "3.1.a", "Nimi (fi)", "Etähoiva kaikille"))
    check = check_workbook(data, _target(draft.programme))
    reads = []
    monkeypatch.setattr(importing, "read_version",
                        lambda version, **options: reads.append(version) or snapshot.read_version(version, **options))
    report = apply_workbook(data, _target(draft.programme), by=pmo, expected_fingerprint=check.fingerprint)
    assert reads == [draft]
    assert report["updated"] == 1


def test_import__target_year_outside_the_programmes_years__refused_on_its_cell(draft, pmo):
    data = edit(exported(draft), _set("programme", "Tunniste", draft.programme.slug, "Tavoitevuosi", 2022))
    errors = _errors(data, _target(draft.programme))
    assert [e["message"] for e in errors] == ["Tavoitevuoden on oltava jokin ohjelman vuosista 2023–2026."]
    draft.programme.refresh_from_db()
    assert draft.programme.target_year == 2026


def test_check__a_code_again_in_another_case__refused_as_the_same_code(draft, pmo):
    def change(workbook):
        _set("measures", "Koodi", "3.1.b", "Koodi", " 3.1.A ")(workbook)

    errors = _errors(edit(exported(draft), change), _target(draft.programme))
    found = {(e["sheet"], e["column"]): e["message"] for e in errors}
    assert "on myös rivillä" in found[("Toimenpiteet", "Koodi")]


def _without_columns(*headers):
    """An older workbook: made before these columns were added to the template."""
    def change(workbook):
        for worksheet in workbook.worksheets:
            for position in reversed(range(1, worksheet.max_column + 1)):
                if worksheet.cell(row=1, column=position).value in headers:
                    worksheet.delete_cols(position)
    return change


def test_import__one_off_estimate__saved_and_recorded_as_an_estimate_change(draft, pmo):
    data = edit(exported(draft), _set("measures", "Koodi", "3.1.a", "Pysyvä vai kertaluonteinen",
                                      "Kertaluonteinen"))
    _apply(data, _target(draft.programme), pmo)
    measure = m.Measure.objects.get(version=draft, code="3.1.a")
    assert measure.estimate_recurrence == "one_off"
    assert _latest_history(measure).history_change_reason == "workbook import: muutos.xlsx: estimate"


def test_check__unknown_recurrence__refused_on_its_cell_in_finnish(draft, pmo):
    data = edit(exported(draft), _set("targets", "Koodi", "1.1", "Pysyvä vai kertaluonteinen", "joskus"))
    [error] = _errors(data, _target(draft.programme))
    assert (error["sheet"], error["column"]) == ("Tuottavuuskohteet", "Pysyvä vai kertaluonteinen")
    assert "joskus" in error["message"] and "Kertaluonteinen" in error["message"]


def test_import__older_workbook_without_the_new_columns__imports_and_keeps_what_is_stored(draft, pmo):
    programme = draft.programme
    services.update_programme(programme=programme, by=pmo, deficit_eur=Decimal("5000000"), deficit_year=2026)
    measure = m.Measure.objects.get(version=draft, code="3.1.a")
    services.set_estimate(item=measure, by=pmo, estimate={"kind": "point", "amount_eur": "200000",
                                                          "recurrence": "one_off"})
    old = edit(exported(draft), _without_columns("Pysyvä vai kertaluonteinen", "Katettava kertynyt alijäämä (€)",
                                                 "Katettava vuoteen mennessä"))
    data = edit(old, _set("measures", "Koodi", "3.1.a", "Nimi (fi)", "Etähoiva kaikille"))
    report = _apply(data, _target(programme), pmo)
    assert report["updated"] == 1
    measure.refresh_from_db()
    programme.refresh_from_db()
    assert measure.name_fi == "Etähoiva kaikille" and measure.estimate_recurrence == "one_off"
    assert (programme.deficit_eur, programme.deficit_year) == (Decimal("5000000"), 2026)


def test_import__older_workbook_into_a_new_programme__recurring_and_no_deficit(org, pmo):
    old = edit(minimal(), _without_columns("Pysyvä vai kertaluonteinen", "Katettava kertynyt alijäämä (€)",
                                           "Katettava vuoteen mennessä"))
    target = Target(organisation=org, identifier="uusi-ohjelma", file_name="vanha.xlsx")
    _apply(old, target, pmo)
    version = m.ProgrammeVersion.objects.get(programme__slug="uusi-ohjelma", number=1)
    assert version.programme.deficit_eur is None
    assert set(m.Measure.objects.filter(version=version).values_list("estimate_recurrence", flat=True)) == {
        "recurring"}


def test_import__deficit__saved_with_history(draft, pmo):
    def change(workbook):
        slug = draft.programme.slug
        _set("programme", "Tunniste", slug, "Katettava kertynyt alijäämä (€)", "78 M€")(workbook)
        _set("programme", "Tunniste", slug, "Katettava vuoteen mennessä", 2025)(workbook)

    _apply(edit(exported(draft), change), _target(draft.programme), pmo)
    draft.programme.refresh_from_db()
    assert (draft.programme.deficit_eur, draft.programme.deficit_year) == (Decimal("78000000"), 2025)
    assert _latest_history(draft.programme).history_user == pmo


def test_check__deficit_year_outside_the_programme_years__refused_on_its_cell(draft, pmo):
    def change(workbook):
        slug = draft.programme.slug
        _set("programme", "Tunniste", slug, "Katettava kertynyt alijäämä (€)", "78 M€")(workbook)
        _set("programme", "Tunniste", slug, "Katettava vuoteen mennessä", 2030)(workbook)

    [error] = _errors(edit(exported(draft), change), _target(draft.programme))
    assert (error["sheet"], error["column"], error["row"]) == ("Ohjelma", "Katettava vuoteen mennessä", 2)
    assert error["message"] == ("Vuoden, johon mennessä kertynyt alijäämä on katettava, on oltava jokin ohjelman "
                                "vuosista 2023–2026.")


def test_check__deficit_without_its_year__refused(draft, pmo):
    data = edit(exported(draft), _set("programme", "Tunniste", draft.programme.slug,
                                      "Katettava kertynyt alijäämä (€)", "78 M€"))
    [error] = _errors(data, _target(draft.programme))
    assert error["column"] == "Katettava vuoteen mennessä" and "kertynyt alijäämä" in error["message"]


def test_projects_sheet__total_not_grant_plus_own__refused_on_the_cell(ita, org):
    from .conftest import minimal as build

    data = build(extra={"projects": [{"code": "P1", "name_fi": "Hanke", "total_cost_eur": "2,87 M€",
                                      "grant_share_eur": "2,30 M€", "own_share_eur": "0,60 M€"},
                                     {"code": "P2", "name_fi": "Toinen", "total_cost_eur": "2,24 M€",
                                      "grant_share_eur": "3,00 M€"}]})
    errors = _errors(data, Target(organisation=org, file_name="uusi.xlsx"))
    found = {(e["row"], e["column"]): e["message"].replace("\u202f", " ").replace("\xa0", " ") for e in errors
             if e["sheet"] == "Hankkeet"}
    assert "2 870 000 €" in found[(2, "Kokonaiskustannus (€)")] and "2 900 000 €" in found[(2, "Kokonaiskustannus (€)")]
    assert "3 000 000 €" in found[(3, "Avustuksen osuus (€)")]


def test_projects_sheet__stated_total_is_not_a_savings_note(ita, org):
    from .conftest import minimal as build

    data = build(extra={"projects": [{"code": "P1", "name_fi": "Hanke", "total_cost_eur": 900,
                                      "grant_share_eur": 700, "own_share_eur": 200}],
                        "allocations": [], "funding": []})
    check, result = _check(data, Target(organisation=org, file_name="uusi.xlsx"))
    assert check.ok
    assert not [w for w in result["warnings"] if w["sheet"] == "Hankkeet"]
