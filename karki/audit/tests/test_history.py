"""How the read side of the audit trail words an entry: labels, values, names of related objects."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import translation

from karki.audit import history
from karki.audit.recording import change_reason
from karki.programmes import services
from karki.programmes.models import Measure, Programme, Target, Theme


def _newest(model, pk) -> history.Entry:
    return history.history_page([history.Source(model, Q(id=pk))]).entries[0]


def test_format_when__finnish_swedish_english():
    moment = datetime(2024, 3, 5, 7, 4, tzinfo=ZoneInfo("UTC"))  # 9.04 in Helsinki (winter time)
    assert history.format_when(moment, "fi") == "5.3.2024 klo 9.04"
    assert history.format_when(moment, "sv") == "5.3.2024 kl. 9.04"
    assert history.format_when(moment, "en") == "5 Mar 2024 09:04"


def test_changed_entry__translated_labels_choices_and_no_noise(pmo, draft):
    measure = Measure.objects.get(version=draft, code="1.1.a")
    services.update_measure(measure=measure, code="1.1.a", name={"fi": "Uusi", "sv": "Ny"}, horizon="short",
                            difficulty=measure.difficulty, by=pmo)
    changes = {c.label: c for c in _newest(Measure, measure.pk).changes}
    assert changes["Nimi (suomeksi)"].new == "Uusi" and changes["Nimi (ruotsiksi)"].new == "Ny"
    assert changes["Realisoitumisaika"].new == "Lyhyt (noin 1 vuosi)"
    assert changes["Realisoitumisaika"].new_value == "short"
    assert "Nimi" not in changes and not [c for c in changes.values() if c.field in ("revision", "order")]
    with translation.override("en"):
        labels = {c.label for c in _newest(Measure, measure.pk).changes}
    assert "Name (in Finnish)" in labels and "Realisation horizon" in labels


def test_related_object__named_by_code_even_after_it_was_deleted(pmo, draft):
    theme = Theme.objects.get(version=draft, code="1")
    target = services.create_target(theme=theme, code="1.9", name={"fi": "Väliaikainen"}, by=pmo)
    measure = services.create_measure(version=draft, target=target, code="1.9.a", name={"fi": "T"}, by=pmo)
    created = _newest(Measure, measure.pk)
    assert {c.label: c.new for c in created.changes}["Tuottavuuskohde"] == "1.9"
    services.delete_content(obj=target, by=pmo)  # cascades to the measure
    assert not Target.objects.filter(pk=target.pk).exists()
    deleted = _newest(Measure, measure.pk)
    assert deleted.action == "deleted"
    assert {c.label: c.old for c in deleted.changes}["Tuottavuuskohde"] == "1.9"
    # an object that left no trace at all is shown by its id
    labels = history._resolve({Target: {987654321}})
    target_field = Measure.history.model._meta.get_field("target")
    assert history._readable(target_field, 987654321, labels, "fi") == "#987654321"


def test_change_without_a_person__shown_as_the_command(draft):
    theme = Theme.objects.get(version=draft, code="1")
    theme.owner_name = "Anna"
    with change_reason("import_okr"):
        theme.save()  # no _history_user: a program, not a person
    entry = _newest(Theme, theme.pk)
    assert entry.user is None and entry.who == "import_okr"


def test_programme_sources__version_filter_leaves_out_the_programme_itself(ita):
    models = {s.model for s in history.programme_sources(ita, history.HistoryFilters(version=2))}
    assert Programme not in models and Measure in models
    page = history.history_page(history.programme_sources(ita, history.HistoryFilters(version=2)))
    assert page.entries and {e.version_number for e in page.entries} == {2}


def test_reasons__shown_in_the_readers_language_kept_as_stored_for_exports():
    from django.utils import translation

    from karki.audit.history import readable_reason

    with translation.override("fi"):
        assert readable_reason("approved") == "hyväksytty"
        assert readable_reason("load_demo: approved") == "esittelyaineisto ladattu: hyväksytty"
        assert readable_reason("workbook import: muutos.xlsx") == "työkirjan tuonti: muutos.xlsx"
        assert readable_reason("copy of version 2") == "kopio versiosta 2"
    with translation.override("sv"):
        assert readable_reason("workbook import: muutos.xlsx: estimate") == \
            "import av arbetsbok: muutos.xlsx: uppskattning ändrad"


def test_history_filter__every_kind_named_in_finnish():
    from django.utils import translation

    from karki.audit.history import kind_choices

    with translation.override("fi"):
        labels = dict(kind_choices())
    assert labels["projectmeasure"] == "Hankkeen toimenpide"
