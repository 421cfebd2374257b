"""The round trip: a version exported to Excel and imported into an empty programme is the same programme,
field by field and row by row; imported again into the same draft, it changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import models

from karki.organisations.models import OrgUnit
from karki.programmes import models as m
from karki.programmes import services
from karki.workbooks.importing import Target, apply_workbook, check_workbook

from .conftest import exported

# Bookkeeping, not content: which row, which version, how often it was edited, when it was made.
SKIPPED = {"id", "version", "revision", "created_at"}
NATURAL = {m.Theme: "code", m.Target: "code", m.Measure: "code", m.Funding: "code", m.Project: "code"}
PROGRAMME_SKIPPED = {"id", "slug", "created_at", "is_sample_data"}
VERSION_FIELDS = ["label", "label_fi", "label_sv", "label_en", "date", "source", "stated_total_eur",
                  "effects_start_year"]


def _value(obj, field: models.Field):
    if field.is_relation:
        related = getattr(obj, field.name)
        if related is None:
            return None
        key = NATURAL.get(type(related))
        return getattr(related, key) if key else related.pk  # org units and people: the same rows
    return _text_or_value(field, getattr(obj, field.attname))


def _text_or_value(field: models.Field, value):
    """A translation column left empty is NULL or "" depending on how it was written: the same empty text."""
    if isinstance(field, models.CharField | models.TextField) and value is None:
        return ""
    return value


def content(version: m.ProgrammeVersion) -> dict[str, list[dict]]:
    """Every field of every row of the version, in Kärki's order, references by code."""
    found = {}
    for model in m.VERSION_CONTENT_MODELS:
        fields = [f for f in model._meta.concrete_fields if f.name not in SKIPPED]
        rows = model.objects.filter(version=version).order_by(*(model._meta.ordering or []), "pk")
        if model is m.MeasureDependency:
            rows = rows.order_by("measure__code", "depends_on__code")
        if model is m.ProjectMeasure:
            rows = rows.order_by("project__code", "measure__code")
        found[model.__name__] = [{f.name: _value(row, f) for f in fields} for row in rows]
    return found


def facts(version: m.ProgrammeVersion) -> dict:
    programme = version.programme
    values = {f.name: _text_or_value(f, getattr(programme, f.attname)) for f in m.Programme._meta.concrete_fields
              if f.name not in PROGRAMME_SKIPPED and not f.is_relation}
    values.update({name: _text_or_value(m.ProgrammeVersion._meta.get_field(name), getattr(version, name))
                   for name in VERSION_FIELDS})
    return values


def history_rows() -> int:
    return sum(model.history.count() for model in [m.Programme, m.ProgrammeVersion, *m.VERSION_CONTENT_MODELS])


def _import_new(data: bytes, organisation, by, identifier: str) -> m.ProgrammeVersion:
    target = Target(organisation=organisation, identifier=identifier, file_name="kopio.xlsx")
    check = check_workbook(data, target)
    assert check.ok, [p.as_dict() for p in check.problems.errors]
    apply_workbook(data, target, by=by, expected_fingerprint=check.fingerprint)
    return m.ProgrammeVersion.objects.get(programme__slug=identifier, number=1)


def _reimport(data: bytes, version: m.ProgrammeVersion, by) -> dict:
    target = Target(organisation=version.programme.organisation, programme=version.programme, file_name="sama.xlsx")
    check = check_workbook(data, target)
    assert check.ok, [p.as_dict() for p in check.problems.errors]
    return apply_workbook(data, target, by=by, expected_fingerprint=check.fingerprint)


@pytest.mark.parametrize(("slug", "number"), [("ita-uusimaa-2023-2026", 2), ("kymenlaakso-2023-2025", 1)])
def test_round_trip__demo_programme__reproduced_exactly_and_reimport_changes_nothing(slug, number, db):
    original = m.ProgrammeVersion.objects.get(programme__slug=slug, number=number)
    organisation = original.programme.organisation
    pmo = get_user_model().objects.get(username=f"pmo.{organisation.slug}")
    data = exported(original)

    copy = _import_new(data, organisation, pmo, identifier=f"{slug}-kopio")

    assert facts(copy) == facts(original)
    expected, found = content(original), content(copy)
    for model in m.VERSION_CONTENT_MODELS:
        assert found[model.__name__] == expected[model.__name__], model.__name__
    assert sum(len(rows) for rows in found.values()) > 50  # the demo programmes are not empty

    before = history_rows()
    report = _reimport(exported(copy), copy, pmo)
    assert (report["created"], report["updated"], report["removed"]) == (0, 0, 0)
    assert history_rows() == before


@pytest.fixture
def rich_draft(ita, pmo):
    """A draft with everything the demo data lacks: owners, org units, dependencies with notes, cost-category
    effects on a target and on a measure, a top-down target by service area, an indicator with a deadline,
    a funding with an allocation, a project with measures, impact assessments, goals."""
    draft = services.start_new_version(programme=ita, by=pmo)
    people = get_user_model().objects
    unit = OrgUnit.objects.get(organisation=ita.organisation, code="IKA-KOTI")
    theme_owner, measure_owner = people.get(username="theme-owner.ita-uusimaa"), people.get(
        username="measure-owner.ita-uusimaa")
    target = m.Target.objects.get(version=draft, code="1.1")
    services.update_target(target=target, code="1.1", name={"fi": target.name_fi, "sv": "Vårdnivåer"},
                           estimate={"kind": "range", "min_eur": "500000", "max_eur": "1500000",
                                     "note": {"fi": "Tarkennetaan syksyllä"}}, org_unit=unit, difficulty="demanding",
                           potential_class_stated="large", by=pmo)
    measure = m.Measure.objects.get(version=draft, code="3.1.a")
    services.update_measure(measure=measure, code="3.1.a", name={"fi": measure.name_fi, "en": "Remote care"},
                            estimate={"kind": "upper_bound", "amount_eur": "100000", "recurrence": "one_off"},
                            org_unit=unit,
                            owner=measure_owner, owner_name="Palvelujohtaja", horizon="short", by=pmo)
    measures = {x.code: x for x in m.Measure.objects.filter(version=draft)}
    services.add_dependency(measure=measures["3.1.a"], depends_on=measures["3.1.b"],
                            note={"fi": "Odottaa järjestelmää", "sv": "Väntar på systemet"}, by=pmo)
    services.add_dependency(measure=measures["3.1.b"], depends_on=measures["1.1.a"], by=pmo)
    services.create_content(version=draft, model=m.CostCategoryEffect, by=pmo, values={
        "target": target, "category": "personnel", "cost_change_min_eur": Decimal("12000000"),
        "cost_change_max_eur": Decimal("16000000")})
    services.create_content(version=draft, model=m.CostCategoryEffect, by=pmo, values={
        "measure": measures["3.1.a"], "category": "purchased_services", "cost_change_min_eur": Decimal("-89000000"),
        "cost_change_max_eur": Decimal("-28000000.50")})
    services.create_content(version=draft, model=m.TopDownTarget, by=pmo, values={
        "dimension": "service_area", "org_unit": unit, "cost_change_min_eur": Decimal("-2000000"),
        "cost_change_max_eur": Decimal("-1000000"), "years": "2024–2026"}, translations={"note": {"fi": "Kotihoito"}})
    services.create_content(version=draft, model=m.Indicator, by=pmo, values={
        "code": "I1", "unit": "%", "direction": "up", "baseline_value": Decimal("6.76"), "baseline_year": 2023,
        "target_value": Decimal("30"), "deadline": date(2025, 12, 31), "theme": measure.target.theme},
        translations={"name": {"fi": "Digitaalisten palvelujen osuus", "sv": "Andel digitala tjänster"}})
    funding = services.create_content(version=draft, model=m.Funding, by=pmo, values={
        "code": "F1", "kind": "grant", "total_eur": Decimal("10900000"), "grant_share_eur": Decimal("10900000")},
        translations={"name": {"fi": "Vakauttamisraha"}})
    services.create_content(version=draft, model=m.FundingAllocation, by=pmo, values={
        "funding": funding, "theme": target.theme, "share_pct_min": Decimal("30"), "share_pct_max": Decimal("32.5")})
    project = services.create_content(version=draft, model=m.Project, by=pmo, values={"code": "P1"},
                                      translations={"name": {"fi": "Asiakas- ja potilastietojärjestelmä"}})
    for code in ("3.1.a", "1.1.a"):
        services.create_content(version=draft, model=m.ProjectMeasure, by=pmo,
                                values={"project": project, "measure": measures[code]})
    services.create_content(version=draft, model=m.ImpactAssessment, by=pmo, values={"measure": measures["3.1.a"]},
                            translations={"clients": {"fi": "Palvelu etänä", "sv": "Tjänsten på distans"}})
    services.create_content(version=draft, model=m.Goal, by=pmo, values={"code": "G1"},
                            translations={"name": {"fi": "Talous tasapainoon 2026"}})
    risk = m.Risk.objects.filter(version=draft).first()
    services.update_risk(risk=risk, code=risk.code, title={c: getattr(risk, f"title_{c}") for c in "fi sv en".split()},
                         category=risk.category,
                         theme=target.theme, likelihood=4, impact=5, owner=theme_owner, owner_name="Hallintoylilääkäri",
                         by=pmo)
    services.update_programme(programme=ita, by=pmo, deficit_eur=Decimal("12500000"), deficit_year=2025)
    ita.refresh_from_db()
    draft.programme.refresh_from_db()
    services.update_version(version=draft, label={"fi": "Luonnos 2025", "sv": "Utkast 2025"},
                            stated_total_eur=Decimal("27600000"), date=date(2025, 3, 1), source="Kärki",
                            effects_start_year=2024, by=pmo)
    return draft


def test_round_trip__everything_a_version_holds__reproduced_exactly(rich_draft, pmo):
    data = exported(rich_draft)
    copy = _import_new(data, rich_draft.programme.organisation, pmo, identifier="ita-kopio")
    assert facts(copy) == facts(rich_draft)
    assert (copy.programme.deficit_eur, copy.programme.deficit_year) == (Decimal("12500000"), 2025)
    assert m.Measure.objects.get(version=copy, code="3.1.a").estimate_recurrence == "one_off"
    expected, found = content(rich_draft), content(copy)
    for model in m.VERSION_CONTENT_MODELS:
        assert found[model.__name__] == expected[model.__name__], model.__name__
    for name in ("MeasureDependency", "CostCategoryEffect", "ProjectMeasure", "FundingAllocation", "ImpactAssessment"):
        assert found[name], name


@pytest.mark.parametrize("language", ["sv", "en"])
def test_round_trip__workbook_in_swedish_or_english__same_programme(language, rich_draft, pmo):
    data = exported(rich_draft, language)
    copy = _import_new(data, rich_draft.programme.organisation, pmo, identifier=f"ita-kopio-{language}")
    assert content(copy) == content(rich_draft)


def test_reimport__same_export_into_the_same_draft__no_history_rows(rich_draft, pmo):
    data = exported(rich_draft)
    before = history_rows()
    report = _reimport(data, rich_draft, pmo)
    assert (report["created"], report["updated"], report["removed"], report["kept"]) == (0, 0, 0, 0)
    assert history_rows() == before
