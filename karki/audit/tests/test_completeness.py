"""Audit completeness: every write function in karki/programmes/services.py leaves a history
entry naming the acting user and the change old → new.

The services are enumerated with `inspect`, so a new service without an exercise below fails
`test_every_service__has_an_audit_exercise` until somebody adds one (or says why it writes
nothing).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q

from karki.audit import history
from karki.programmes import services
from karki.programmes.models import (
    Measure,
    MeasureDependency,
    Programme,
    ProgrammeVersion,
    Risk,
    Target,
    Theme,
    YearlyRampStep,
)

# Public functions of services.py that write nothing, and why.
NOT_WRITES = {
    "validate_estimate": "checks an estimate's figures and returns them; stores nothing",
    "find_dependency_path": "reads the dependency graph",
}


@dataclass
class Expected:
    """The newest history entry of `obj` shows `action` and `field` going `old` → `new` (exact values)."""

    obj: object
    action: str
    field: str
    old: str
    new: str
    reason: str = ""
    pk: int | None = None  # for a deleted object, whose own pk is gone


@dataclass
class World:
    programme: Programme  # Itä-Uusimaa: versions 1 and 2 approved
    pmo: object  # prepares things
    actor: object  # makes the change under test
    _draft: ProgrammeVersion | None = None

    @property
    def draft(self) -> ProgrammeVersion:
        if self._draft is None:
            self._draft = services.start_new_version(programme=self.programme, by=self.pmo)
        return self._draft

    def get(self, model, code: str):
        return model.objects.get(version=self.draft, code=code)

    def approved(self) -> ProgrammeVersion:
        return ProgrammeVersion.objects.get(programme=self.programme, number=2)


def _create_programme(w: World) -> Expected:
    programme = services.create_programme(
        organisation=w.programme.organisation, slug="audit-test", name={"fi": "Auditoinnin testiohjelma"},
        period_start=2025, period_end=2027, target_eur=Decimal("1500000"), by=w.actor)
    return Expected(programme, "created", "target_eur", "", "1500000.00")


def _create_version(w: World) -> Expected:
    programme = services.create_programme(organisation=w.programme.organisation, slug="audit-test",
                                          name={"fi": "Testi"}, period_start=2025, period_end=2026, by=w.pmo)
    version = services.create_version(programme=programme, label={"fi": "Ensimmäinen"}, by=w.actor)
    return Expected(version, "created", "label_fi", "", "Ensimmäinen")


def _start_new_version(w: World) -> Expected:
    version = services.start_new_version(programme=w.programme, by=w.actor)
    return Expected(version, "created", "number", "", "3", reason="copy of version 2")


def _copy_version_content(w: World) -> Expected:
    target = services.create_version(programme=w.programme, by=w.pmo)
    services.copy_version_content(source=w.approved(), target=target, by=w.actor)
    return Expected(Theme.objects.get(version=target, code="1"), "created", "code", "", "1")


def _approve_version(w: World) -> Expected:
    services.approve_version(version=w.draft, by=w.actor)
    return Expected(w.draft, "approved", "status", "draft", "approved", reason="approved")


def _update_version(w: World) -> Expected:
    services.update_version(version=w.draft, label={"fi": "Kevään tarkistus"}, stated_total_eur=None, by=w.actor)
    return Expected(w.draft, "changed", "label_fi", "Versio 3", "Kevään tarkistus")


def _create_theme(w: World) -> Expected:
    theme = services.create_theme(version=w.draft, code="9", name={"fi": "Digitalisaatio"}, by=w.actor)
    return Expected(theme, "created", "name_fi", "", "Digitalisaatio")


def _update_theme(w: World) -> Expected:
    theme = w.get(Theme, "1")
    old = theme.name_fi
    services.update_theme(theme=theme, code="1", name={"fi": "Uusi nimi"}, by=w.actor)
    return Expected(theme, "changed", "name_fi", old, "Uusi nimi")


def _create_target(w: World) -> Expected:
    target = services.create_target(theme=w.get(Theme, "1"), code="1.9", name={"fi": "Uusi kohde"},
                                    difficulty="demanding", by=w.actor)
    return Expected(target, "created", "difficulty", "", "demanding")


def _update_target(w: World) -> Expected:
    target = w.get(Target, "1.1")
    old = target.name_fi
    services.update_target(target=target, code="1.1", name={"fi": "Muutettu kohde"},
                           estimate={"kind": target.estimate_kind, "amount_eur": target.estimate_amount_eur,
                                     "min_eur": target.estimate_min_eur, "max_eur": target.estimate_max_eur},
                           by=w.actor)
    return Expected(target, "changed", "name_fi", old, "Muutettu kohde")


def _create_measure(w: World) -> Expected:
    measure = services.create_measure(version=w.draft, target=w.get(Target, "1.1"), code="1.1.x",
                                      name={"fi": "Uusi toimenpide"}, horizon="short", by=w.actor)
    return Expected(measure, "created", "horizon", "", "short")


def _update_measure(w: World) -> Expected:
    measure = w.get(Measure, "1.1.a")
    services.update_measure(measure=measure, code="1.1.a", name={"fi": "Toinen nimi"}, horizon="long",
                            difficulty=measure.difficulty, by=w.actor)
    return Expected(measure, "changed", "horizon", "medium", "long")


def _set_estimate(w: World) -> Expected:
    measure = w.get(Measure, "1.1.a")
    services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "250000"}, by=w.actor)
    return Expected(measure, "changed", "estimate_amount_eur", "", "250000.00", reason="estimate")


def _delete_content(w: World) -> Expected:
    risk = Risk.objects.get(version=w.draft, code="R1")
    pk = risk.pk
    services.delete_content(obj=risk, by=w.actor)
    return Expected(risk, "deleted", "code", "R1", "", pk=pk)


def _add_dependency(w: World) -> Expected:
    measure, other = w.get(Measure, "1.1.a"), w.get(Measure, "2.1.a")
    dependency = services.add_dependency(measure=measure, depends_on=other, by=w.actor)
    return Expected(dependency, "created", "depends_on_id", "", str(other.pk))


def _update_dependency(w: World) -> Expected:
    dependency = services.add_dependency(measure=w.get(Measure, "1.1.a"), depends_on=w.get(Measure, "2.1.a"),
                                         by=w.pmo)
    services.update_dependency(dependency=dependency, note={"fi": "Odottaa tietojärjestelmää"}, by=w.actor)
    return Expected(dependency, "changed", "note_fi", "", "Odottaa tietojärjestelmää")


def _update_programme(w: World) -> Expected:
    services.update_programme(programme=w.programme, target_eur=Decimal("30000000"), by=w.actor)
    return Expected(w.programme, "changed", "target_eur", "27600000.00", "30000000.00")


def _create_content(w: World) -> Expected:
    step = services.create_content(version=w.draft, model=YearlyRampStep, values={"year": 2027,
                                   "savings_eur": Decimal("30000000")}, by=w.actor)
    return Expected(step, "created", "savings_eur", "", "30000000.00")


def _update_content(w: World) -> Expected:
    step = YearlyRampStep.objects.get(version=w.draft, year=2026)
    services.update_content(obj=step, values={"savings_eur": Decimal("28000000")}, by=w.actor)
    return Expected(step, "changed", "savings_eur", "27600000.00", "28000000.00")


def _publish_version(w: World) -> Expected:
    publication = services.publish_version(version=w.approved(), by=w.actor)
    return Expected(publication, "created", "published_by_id", "", str(w.actor.pk), reason="published")


def _withdraw_publication(w: World) -> Expected:
    publication = services.publish_version(version=w.approved(), by=w.pmo)
    services.withdraw_publication(version=w.approved(), by=w.actor)
    return Expected(publication, "changed", "withdrawn_by_id", "", str(w.actor.pk), reason="withdrawn")


def _create_risk(w: World) -> Expected:
    risk = services.create_risk(version=w.draft, code="R9", title={"fi": "Uusi riski"}, category="financial",
                                theme=w.get(Theme, "1"), likelihood=3, by=w.actor)
    return Expected(risk, "created", "likelihood", "", "3")


def _update_risk(w: World) -> Expected:
    risk = Risk.objects.get(version=w.draft, code="R1")
    old_impact = risk.impact
    services.update_risk(risk=risk, code="R1", title={c: getattr(risk, f"title_{c}") for c in ("fi", "sv", "en")},
                         category=risk.category, likelihood=risk.likelihood, impact=5, by=w.actor)
    return Expected(risk, "changed", "impact", "" if old_impact is None else str(old_impact), "5")


EXERCISES = {
    "publish_version": _publish_version,
    "withdraw_publication": _withdraw_publication,
    "create_risk": _create_risk,
    "update_risk": _update_risk,
    "create_programme": _create_programme,
    "create_version": _create_version,
    "start_new_version": _start_new_version,
    "copy_version_content": _copy_version_content,
    "approve_version": _approve_version,
    "update_version": _update_version,
    "create_theme": _create_theme,
    "update_theme": _update_theme,
    "create_target": _create_target,
    "update_target": _update_target,
    "create_measure": _create_measure,
    "update_measure": _update_measure,
    "set_estimate": _set_estimate,
    "delete_content": _delete_content,
    "add_dependency": _add_dependency,
    "update_dependency": _update_dependency,
    "update_programme": _update_programme,
    "create_content": _create_content,
    "update_content": _update_content,
}


def _service_functions() -> set[str]:
    return {
        name for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == services.__name__ and not name.startswith("_")
    }


def test_every_service__has_an_audit_exercise():
    services_found = _service_functions()
    missing = services_found - EXERCISES.keys() - NOT_WRITES.keys()
    assert not missing, f"Add an audit exercise to EXERCISES for: {sorted(missing)}"
    gone = (EXERCISES.keys() | NOT_WRITES.keys()) - services_found
    assert not gone, f"These services no longer exist: {sorted(gone)}"


@pytest.fixture
def world(ita, pmo):
    actor = get_user_model().objects.get(username="finance.ita-uusimaa")
    actor.first_name, actor.last_name = "Fiia", "Finanssi"
    actor.save()
    return World(programme=ita, pmo=pmo, actor=actor)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_service_write__leaves_history_with_author_and_old_to_new(name, world):
    expected = EXERCISES[name](world)
    obj = expected.obj
    model = type(obj)
    pk = expected.pk or obj.pk
    entry = history.history_page([history.Source(model, Q(id=pk))]).entries[0]  # the newest
    assert entry.user == world.actor, f"{name}: history names {entry.user}, not the acting user"
    assert entry.who == "Fiia Finanssi"
    assert entry.action == expected.action
    changes = {change.field: change for change in entry.changes}
    assert expected.field in changes, f"{name}: {expected.field} not among {sorted(changes)}"
    change = changes[expected.field]
    assert (change.old_value, change.new_value) == (expected.old, expected.new)
    assert expected.reason in entry.reason


def test_delete_content__cascade__every_removed_object_has_an_entry(world):
    theme = world.get(Theme, "7")
    measure_ids = list(Measure.objects.filter(target__theme=theme).values_list("pk", flat=True))
    services.delete_content(obj=theme, by=world.actor)
    deleted = Measure.history.model.objects.filter(id__in=measure_ids, history_type="-")
    assert sorted(deleted.values_list("id", flat=True)) == sorted(measure_ids)


def test_approve_version__entry_names_approver_and_time(world):
    version = services.approve_version(version=world.draft, by=world.actor)
    entry = history.history_page([history.Source(ProgrammeVersion, Q(id=version.pk))]).entries[0]
    assert entry.action == "approved"
    assert entry.approved_by == "Fiia Finanssi" and entry.approved_at == version.approved_at
    assert "Fiia Finanssi" in entry.summary


def test_dependency__shows_on_both_measures_history(world):
    measure, other = world.get(Measure, "1.1.a"), world.get(Measure, "2.1.a")
    services.add_dependency(measure=measure, depends_on=other, by=world.actor)
    for m in (measure, other):
        entries = history.history_page(history.measure_sources(m)).entries
        assert entries[0].model is MeasureDependency
        assert entries[0].identifier == "1.1.a → 2.1.a"
