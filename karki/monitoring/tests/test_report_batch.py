"""A measure owner reports a month from one page: every measure pre-filled from the previous report,
one save, per-row errors that keep what was typed."""

import re

from django.test import Client
from django.urls import reverse

from karki.monitoring import services
from karki.monitoring.models import StatusReport

P = "ita-uusimaa-2023-2026"
URL = reverse("monitoring:report-batch", args=[P, "2024-12"])


def _form_data(page: str) -> dict:
    """What the browser would send back for the page as it is shown (inputs, selects, textareas)."""
    data = {}
    for name, value in re.findall(r'<input type="(?:text|hidden|number)" name="([^"]+)"(?: value="([^"]*)")?', page):
        data[name] = value
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        data[name] = body
    for name in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]*checked', page):
        data[name] = "on"
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_batch__every_measure_of_the_owner_prefilled_and_one_save(client_for, measure_owner, open_period):
    client = client_for(measure_owner)
    page = client.get(URL).content.decode()
    codes = re.findall(r'<fieldset id="report-([^"]+)" class="report">', page)
    assert len(codes) >= 10  # the demo owner runs eleven measures
    missing = [c for c in codes if not StatusReport.objects.filter(period=open_period, measure_code=c).exists()]
    assert missing and all(f'name="{c}-phase"' in page for c in missing)
    assert page.count("Esitäytetty edellisestä raportista") == len(missing)  # pre-filled from November
    before = {r.measure_code: r.revision for r in StatusReport.objects.filter(period=open_period)}

    data = _form_data(page)
    code = missing[0]
    data.update({f"{code}-narrative": "Uusi kotihoidon tiimi aloitti.", f"{code}-saving_personnel": "12 500",
                 "action": "submit"})
    response = client.post(URL, data)
    assert response.status_code == 302

    for missing_code in missing:  # the pre-filled reports were handed in as they stood
        report = StatusReport.objects.get(period=open_period, measure_code=missing_code)
        assert report.state == "submitted" and report.submitted_by == measure_owner
    written = StatusReport.objects.get(period=open_period, measure_code=code)
    assert written.narrative == "Uusi kotihoidon tiimi aloitti."
    assert written.savings.get().amount_eur == 12500
    november = StatusReport.objects.get(period__programme=open_period.programme, period__year=2024, period__month=11,
                                        measure_code=code)
    assert (written.phase, written.status) == (november.phase, november.status)
    # Reports already handed in and left untouched are not handed in again.
    for report in StatusReport.objects.filter(period=open_period, measure_code__in=before):
        assert report.revision == before[report.measure_code]


def test_batch__errors_in_two_rows__both_shown_input_kept_nothing_saved(client_for, measure_owner, open_period):
    client = client_for(measure_owner)
    data = _form_data(client.get(URL).content.decode())
    data.update({"3.5.b-saving_personnel": "paljon", "3.5.c-phase": "", "3.5.c-status": "red",
                 "3.4.a-narrative": "Tämä kirjoitettiin", "action": "submit"})
    before = StatusReport.objects.filter(period=open_period).count()
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 400
    start = page.index('class="ds-error-summary error-summary"')
    summary = page[start:page.index("</div>", start)]
    assert 'href="#id_3.5.b-saving_personnel"' in summary and 'href="#id_3.5.c-phase"' in summary
    assert 'value="paljon"' in page and "Tämä kirjoitettiin" in page
    assert StatusReport.objects.filter(period=open_period).count() == before
    assert not StatusReport.objects.filter(period=open_period, narrative="Tämä kirjoitettiin").exists()


def test_batch__row_saved_by_someone_else_meanwhile__conflict_in_that_row_nothing_saved(
        client_for, measure_owner, pmo, open_period, owners_measure):
    client = client_for(measure_owner)
    page = client.get(URL).content.decode()
    data = _form_data(page)
    report = StatusReport.objects.get(period=open_period, measure_code="3.1.a")
    # The programme office corrects the report while the owner has the page open.
    services.record_status_report(owners_measure, period=open_period, by=pmo, phase="implemented", status="amber",
                                  narrative="Ohjelmatoimiston korjaus", expected_revision=report.revision)
    code = next(c for c in re.findall(r'<fieldset id="report-([^"]+)"', page)
                if not StatusReport.objects.filter(period=open_period, measure_code=c).exists())
    data.update({"3.1.a-narrative": "Omistajan teksti", f"{code}-narrative": "Toinen rivi", "action": "submit"})
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ohjelmatoimiston korjaus" in page and "Omistajan teksti" in page
    report.refresh_from_db()
    assert report.narrative == "Ohjelmatoimiston korjaus"
    assert f'name="3.1.a-revision" value="{report.revision}"' in page  # saving again is a deliberate choice
    assert not StatusReport.objects.filter(period=open_period, measure_code=code).exists()


def test_batch__nothing_changed__nothing_saved(client_for, pmo, open_period):
    client = client_for(pmo)
    url = URL + "?measure=1.1.a"
    data = _form_data(client.get(url).content.decode())
    revision = StatusReport.objects.get(period=open_period, measure_code="1.1.a").revision
    response = client.post(url, {**data, "action": "submit"})
    assert response.status_code == 302
    assert StatusReport.objects.get(period=open_period, measure_code="1.1.a").revision == revision


def test_batch__bounded_queries_for_an_owner_with_many_measures(client_for, measure_owner,
                                                                django_assert_max_num_queries):
    client = client_for(measure_owner)
    with django_assert_max_num_queries(30):
        assert client.get(URL).status_code == 200


def test_batch__report_handed_in_by_someone_else_meanwhile__conflict_not_overwritten(
        client_for, measure_owner, pmo, open_period):
    """A measure had no report when the owner opened the page; the programme office reports on it
    before the owner presses Submit. The owner's pre-fill must not replace the office's report."""
    owner = client_for(measure_owner)
    page = owner.get(URL).content.decode()
    code = next(c for c in re.findall(r'<fieldset id="report-([^"]+)"', page)
                if not StatusReport.objects.filter(period=open_period, measure_code=c).exists())
    office = Client()
    office.force_login(pmo)
    office_url = URL + f"?measure={code}"
    office_data = _form_data(office.get(office_url).content.decode())
    office_data.update({f"{code}-narrative": "Ohjelmatoimisto raportoi puhelinsoiton perusteella",
                        f"{code}-saving_rents": "3 000", "action": "submit"})
    assert office.post(office_url, office_data).status_code == 302
    office_report = StatusReport.objects.get(period=open_period, measure_code=code)
    before = StatusReport.objects.filter(period=open_period).count()

    data = _form_data(page)
    data.update({f"{code}-obstacles": "Omistajan huomio", "action": "submit"})
    response = owner.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 400
    conflict = page[page.index('class="conflict"', page.index(f'id="report-{code}"')):]
    conflict = conflict[:conflict.index("</section>")].replace("\u202f", " ").replace("\xa0", " ")
    # What the office saved is shown, with who saved it; what the owner typed is kept.
    assert "Ohjelmatoimisto raportoi puhelinsoiton perusteella" in conflict and "3 000 €" in conflict
    assert (pmo.get_full_name() or pmo.get_username()) in conflict
    assert "Omistajan huomio" in page
    office_report.refresh_from_db()
    assert office_report.narrative == "Ohjelmatoimisto raportoi puhelinsoiton perusteella"
    assert office_report.submitted_by == pmo and office_report.savings.get().amount_eur == 3000
    assert StatusReport.objects.filter(period=open_period).count() == before  # nothing of the page saved

    # Saving again after seeing the office's report is a deliberate choice: it goes through.
    again = _form_data(page)
    again["action"] = "submit"
    assert owner.post(URL, again).status_code == 302
    office_report.refresh_from_db()
    assert office_report.obstacles == "Omistajan huomio" and office_report.submitted_by == measure_owner


def test_batch__two_rows_in_conflict__each_conflict_labelled_by_its_own_heading(
        client_for, measure_owner, pmo, open_period):
    owner = client_for(measure_owner)
    page = owner.get(URL).content.decode()
    codes = [c for c in re.findall(r'<fieldset id="report-([^"]+)"', page)
             if not StatusReport.objects.filter(period=open_period, measure_code=c).exists()][:2]
    assert len(codes) == 2
    for code in codes:
        measure = next(m for m in services.reporting_measures(services.running_version(open_period.programme))
                       if m.code == code)
        services.record_status_report(measure, period=open_period, by=pmo, phase="started", status="green",
                                      submit=True)
    response = owner.post(URL, {**_form_data(page), "action": "submit"})
    page = response.content.decode()
    assert response.status_code == 400 and page.count('class="conflict"') == 2
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for label in re.findall(r'<section class="conflict" aria-labelledby="([^"]+)"', page):
        assert f'id="{label}"' in page


def test_batch__programme_office_with_every_measure__one_theme_at_a_time_and_saves(client_for, pmo, open_period):
    """The programme office reports on all 78 measures of the demo programme: the page shows one theme
    at a time (with links to the others), and a whole theme is handed in with one press."""
    client = client_for(pmo)
    page = client.get(URL).content.decode()
    codes = re.findall(r'<fieldset id="report-([^"]+)" class="report">', page)
    assert codes and all(code.startswith("1.") for code in codes)
    assert 'href="?theme=2"' in page and 'aria-current="page"' in page
    assert "All themes" not in page and "Kaikki teemat" not in page  # all 78 at once would be too much
    second = client.get(URL + "?theme=2").content.decode()
    theme_two = re.findall(r'<fieldset id="report-([^"]+)" class="report">', second)
    assert theme_two and all(code.startswith("2.") for code in theme_two)
    data = _form_data(second)
    data.update({f"{theme_two[0]}-narrative": "Teeman 2 raportti", "action": "submit"})
    response = client.post(URL + "?theme=2", data)
    assert response.status_code == 302 and response["Location"].endswith("?theme=2")
    assert StatusReport.objects.get(period=open_period, measure_code=theme_two[0]).narrative == "Teeman 2 raportti"


def _november(open_period, code):
    return StatusReport.objects.get(period__programme=open_period.programme, period__year=2024, period__month=11,
                                    measure_code=code)


def test_grid__one_row_per_measure_details_closed_unless_errors(client_for, measure_owner, open_period):
    client = client_for(measure_owner)
    page = client.get(URL).content.decode()
    rows = re.findall(r'<fieldset id="report-([^"]+)" class="report">', page)
    assert page.count('<details class="report-details">') == len(rows)  # all closed
    # Offered where this month's report is still to be written (every owner's measure reported in November).
    to_write = [c for c in rows if not StatusReport.objects.filter(period=open_period, measure_code=c)
                .exclude(state="draft").exists()]
    assert to_write and page.count('name="same_as_last"') == len(to_write)
    assert "✔ Aikataulussa" in page  # the status has its icon and its word
    missing = [c for c in rows if not StatusReport.objects.filter(period=open_period, measure_code=c).exists()]
    assert f"Tältä kuulta puuttuu vielä {len(missing)} raport" in page  # what is left to do, first

    data = _form_data(page)
    data.update({f"{rows[0]}-saving_rents": "paljon", "action": "draft"})
    page = client.post(URL, data).content.decode()
    row = page[page.index(f'id="report-{rows[0]}"'):page.index("</fieldset>\n", page.index(f'id="report-{rows[0]}"'))]
    assert '<details class="report-details" open>' in row
    assert page.count('<details class="report-details" open>') == 1


def test_grid__no_change_since_last_month__reports_the_previous_values_and_keeps_typed_rows(
        client_for, measure_owner, open_period):
    client = client_for(measure_owner)
    page = client.get(URL).content.decode()
    missing = [c for c in re.findall(r'<fieldset id="report-([^"]+)" class="report">', page)
               if not StatusReport.objects.filter(period=open_period, measure_code=c).exists()]
    code, typed = missing[0], missing[1]
    untouched = missing[2:]
    november = _november(open_period, code)
    data = _form_data(page)
    data.update({f"{code}-phase": "cancelled", f"{code}-narrative": "ei tätä", f"{typed}-obstacles": "Sairauslomia",
                 "same_as_last": code})
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL

    report = StatusReport.objects.get(period=open_period, measure_code=code)
    assert report.state == "submitted" and report.submitted_by == measure_owner
    assert (report.phase, report.status, report.obstacles, report.escalation, report.confidence) == (
        november.phase, november.status, november.obstacles, november.escalation, november.confidence)
    assert report.narrative == "Ei muutosta 11/2024 raportin jälkeen."
    assert not report.savings.exists()  # realised savings are the month's own
    draft = StatusReport.objects.get(period=open_period, measure_code=typed)
    assert (draft.state, draft.obstacles) == ("draft", "Sairauslomia")  # what was typed elsewhere is kept
    # Rows nobody touched are not turned into drafts by another row's button.
    assert not StatusReport.objects.filter(period=open_period, measure_code__in=untouched).exists()


def test_grid__no_change__with_savings_typed__and_an_error_elsewhere__nothing_saved(
        client_for, measure_owner, open_period):
    client = client_for(measure_owner)
    page = client.get(URL).content.decode()
    missing = [c for c in re.findall(r'<fieldset id="report-([^"]+)" class="report">', page)
               if not StatusReport.objects.filter(period=open_period, measure_code=c).exists()]
    code, other = missing[0], missing[1]
    data = _form_data(page)
    data.update({f"{code}-saving_personnel": "4 000", f"{other}-confidence": "300", "same_as_last": code})
    response = client.post(URL, data)
    assert response.status_code == 400 and f'href="#id_{other}-confidence"' in response.content.decode()
    assert not StatusReport.objects.filter(period=open_period, measure_code__in=[code, other]).exists()

    data[f"{other}-confidence"] = "30"
    assert client.post(URL, data).status_code == 302
    report = StatusReport.objects.get(period=open_period, measure_code=code)
    assert report.state == "submitted" and report.savings.get().amount_eur == 4000


def test_grid__no_change_on_a_report_handed_in_or_accepted__not_offered_and_refused_quietly(
        client_for, measure_owner, pmo, open_period):
    submitted = list(StatusReport.objects.filter(period=open_period, state="submitted",
                                                 measure__owner=measure_owner)[:2])
    services.review_report(submitted[0], by=pmo, accept=True)
    client = client_for(measure_owner)
    page = client.get(URL).content.decode()
    drafts = StatusReport.objects.filter(period=open_period, state="draft").count()
    for report in submitted:
        assert f'name="same_as_last" value="{report.measure_code}"' not in page
        before = StatusReport.objects.get(pk=report.pk)
        client.post(URL, {**_form_data(page), "same_as_last": report.measure_code})
        after = StatusReport.objects.get(pk=report.pk)
        assert (after.revision, after.narrative) == (before.revision, before.narrative)
    # Nor does the refused button save the page's pre-filled rows as drafts.
    assert StatusReport.objects.filter(period=open_period, state="draft").count() == drafts
