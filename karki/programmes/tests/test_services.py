"""Rules of the domain enforced by the services, whatever the path."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from karki.core.conflicts import StaleEdit
from karki.programmes import services
from karki.programmes.comparison import compare
from karki.programmes.models import Measure, ProgrammeVersion, Target, Theme, VersionFrozen


def test_approved_version__every_write_path_refused(ita, pmo):
    version = ProgrammeVersion.objects.get(programme=ita, number=2)
    measure = Measure.objects.get(version=version, code="1.1.a")
    with pytest.raises(VersionFrozen):
        services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "1"}, by=pmo)
    measure.name_fi = "muutettu"
    with pytest.raises(VersionFrozen):
        measure.save()
    with pytest.raises(VersionFrozen):
        measure.delete()
    with pytest.raises(VersionFrozen):
        Measure.objects.filter(version=version).update(horizon="short")
    with pytest.raises(VersionFrozen):
        Measure.objects.filter(version=version).delete()
    with pytest.raises(VersionFrozen):
        Theme.objects.bulk_create([Theme(version=version, code="99", name="x")])
    version.label_fi = "muutettu"
    with pytest.raises(VersionFrozen):
        version.save()
    assert Measure.objects.get(pk=measure.pk).name_fi != "muutettu"


def test_new_version__copy_of_latest__same_figures_and_independent(ita, pmo, draft):
    assert draft.number == 3 and draft.is_draft and draft.based_on.number == 2
    result = compare(ProgrammeVersion.objects.get(programme=ita, number=2), draft)
    assert result.items == [] and result.total_delta_expected == 0
    measure = Measure.objects.get(version=draft, code="1.1.a")
    services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "50000"}, by=pmo)
    original = Measure.objects.get(version__number=2, version__programme=ita, code="1.1.a")
    assert original.estimate is None


def test_new_version__while_a_draft_exists__refused(ita, pmo, draft):
    with pytest.raises(ValidationError) as error:
        services.start_new_version(programme=ita, by=pmo)
    assert "luonnos" in error.value.messages[0]  # Finnish: the user's language
    assert ita.versions.count() == 3


def test_compare__changed_estimate_shows_money_delta_by_theme(ita, pmo, draft):
    target = Target.objects.get(version=draft, code="1.1")
    services.set_estimate(item=target, estimate={"kind": "range", "min_eur": "1000000", "max_eur": "3000000"},
                          by=pmo)
    services.create_theme(version=draft, code="8", name={"fi": "Uusi teema"}, by=pmo)
    result = compare(ProgrammeVersion.objects.get(programme=ita, number=2), draft)
    assert [i.code for i in result.added] == ["8"]
    changed = {i.code: i for i in result.changed}
    assert [c.field for c in changed["1.1"].changes] == ["estimate"]
    delta = {d.code: d.delta_expected for d in result.theme_deltas}
    assert delta["1"] == Decimal("0")  # 2,0 M€ point → 1–3 M€ range keeps the expected value
    assert delta["8"] == 0


def test_dependency_cycle__refused_with_the_chain(pmo, draft):
    a, b, c = (Measure.objects.get(version=draft, code=code) for code in ("1.1.a", "1.1.b", "1.1.c"))
    services.add_dependency(measure=a, depends_on=b, by=pmo)
    services.add_dependency(measure=b, depends_on=c, by=pmo)
    with pytest.raises(ValidationError) as error:
        services.add_dependency(measure=c, depends_on=a, by=pmo)
    assert "1.1.c → 1.1.a → 1.1.b → 1.1.c" in error.value.messages[0]


def test_dependency_on_itself__refused(pmo, draft):
    a = Measure.objects.get(version=draft, code="1.1.a")
    with pytest.raises(ValidationError):
        services.add_dependency(measure=a, depends_on=a, by=pmo)


@pytest.mark.parametrize(
    ("estimate", "field"),
    [
        ({"kind": "point"}, "estimate_amount_eur"),
        ({"kind": "point", "amount_eur": "-5"}, "estimate_amount_eur"),
        ({"kind": "range", "min_eur": "5", "max_eur": "1"}, "estimate_max_eur"),
        ({"kind": "range", "max_eur": "1"}, "estimate_min_eur"),
    ],
)
def test_estimate__figures_that_do_not_fit_the_kind__refused(pmo, draft, estimate, field):
    measure = Measure.objects.get(version=draft, code="1.1.a")
    with pytest.raises(ValidationError) as error:
        services.set_estimate(item=measure, estimate=estimate, by=pmo)
    assert field in error.value.error_dict


def test_duplicate_code__refused(pmo, draft):
    with pytest.raises(ValidationError, match="1.1.a"):
        services.create_measure(version=draft, target=Target.objects.get(version=draft, code="1.1"), code="1.1.a",
                                name={"fi": "Kaksoiskappale"}, by=pmo)


def test_every_write__history_has_author_and_old_value(pmo, draft):
    target = Target.objects.get(version=draft, code="1.1")
    old = target.estimate_amount_eur
    services.set_estimate(item=target, estimate={"kind": "point", "amount_eur": "2500000"}, by=pmo)
    latest, previous = target.history.all()[:2]
    assert latest.history_user == pmo
    assert previous.estimate_amount_eur == old and latest.estimate_amount_eur == Decimal("2500000")


def test_stale_edit__second_save_refused_and_first_kept(pmo, finance, draft):
    measure = Measure.objects.get(version=draft, code="1.1.a")
    opened = measure.revision
    services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "1000"}, by=pmo,
                          expected_revision=opened)
    with pytest.raises(StaleEdit):
        services.set_estimate(item=Measure.objects.get(pk=measure.pk), by=finance, expected_revision=opened,
                              estimate={"kind": "point", "amount_eur": "2000"})
    assert Measure.objects.get(pk=measure.pk).estimate_amount_eur == 1000


@pytest.mark.parametrize("facts", [{"target_year": 2022}, {"target_year": 2027}, {"period_end": 2025}])
def test_programme__target_year_outside_its_years__refused_and_kept(ita, pmo, facts):
    with pytest.raises(ValidationError) as refused:
        services.update_programme(programme=ita, by=pmo, **facts)
    assert refused.value.message_dict == {"target_year": ["Tavoitevuoden on oltava jokin ohjelman vuosista "
                                                          f"2023–{facts.get('period_end', 2026)}."]}
    ita.refresh_from_db()
    assert (ita.period_end, ita.target_year) == (2026, 2026)


def test_programme__new_with_target_year_before_its_first_year__refused(ita, pmo):
    with pytest.raises(ValidationError) as refused:
        services.create_programme(organisation=ita.organisation, slug="uusi", name={"fi": "Uusi"}, period_start=2026,
                                  period_end=2028, target_year=2025, by=pmo)
    assert "target_year" in refused.value.message_dict
    assert not ita.organisation.programmes.filter(slug="uusi").exists()
