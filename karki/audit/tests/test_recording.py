"""Where a change came from: commands mark the history rows they write."""

from __future__ import annotations

from karki.audit.recording import acting_user, change_reason
from karki.programmes import services
from karki.programmes.models import Measure, Programme, ProgrammeVersion, Theme


def test_load_demo__rows_say_they_came_from_the_demo_loader(ita):
    programme_row = Programme.history.model.objects.filter(id=ita.pk).earliest("history_id")
    assert programme_row.history_change_reason == "load_demo"
    assert programme_row.history_user.username == "pmo.ita-uusimaa"
    approved = ProgrammeVersion.history.model.objects.filter(programme_id=ita.pk, status="approved")
    assert set(approved.values_list("history_change_reason", flat=True)) == {"load_demo: approved"}
    themes = Theme.history.model.objects.filter(version_id__in=ita.versions.values("pk"))
    assert set(themes.values_list("history_change_reason", flat=True)) == {"load_demo"}


def test_change_reason__only_inside_the_block(pmo, draft):
    measure = Measure.objects.get(version=draft, code="1.1.a")
    with change_reason("import_okr"):
        services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "1"}, by=pmo)
    services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "2"}, by=pmo)
    reasons = list(Measure.history.model.objects.filter(id=measure.pk).order_by("-history_id")
                   .values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["estimate", "import_okr: estimate"]


def test_acting_user__names_the_author_of_cascaded_deletes(pmo, draft, finance):
    theme = Theme.objects.get(version=draft, code="7")
    measure_ids = list(Measure.objects.filter(target__theme=theme).values_list("pk", flat=True))
    with acting_user(finance):
        services.delete_content(obj=theme, by=finance)
    authors = Measure.history.model.objects.filter(id__in=measure_ids, history_type="-").values_list(
        "history_user__username", flat=True)
    assert measure_ids and set(authors) == {"finance.ita-uusimaa"}
