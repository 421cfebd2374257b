"""What people see in the browser: the programme list, the programme page with its sums, the
measure page, version comparison, languages and formats."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from karki.programmes import services
from karki.programmes.models import Measure, ProgrammeVersion


def test_programme_list__anonymous__sent_to_login(client):
    response = client.get("/programmes/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_programme_list__shows_own_organisations_programmes_marked_as_sample_data(client_for, viewer):
    page = client_for(viewer).get("/programmes/").content.decode()
    assert "Itä-Uudenmaan hyvinvointialueen tuottavuusohjelma" in page
    assert "Kymenlaakson" not in page
    assert "Esimerkkiaineisto" in page or "Sample data" in page


def test_programme_page__finnish__sums_with_decimal_comma(client_for, viewer):
    page = client_for(viewer).get("/programmes/ita-uusimaa-2023-2026/v/1/").content.decode()
    for figure in ("10,6\u00a0M€", "3,4\u00a0M€", "4,9\u00a0M€", "3,0\u00a0M€", "3,2\u00a0M€", "1,5\u00a0M€",
                   "1,0\u00a0M€", "27,6\u00a0M€"):
        assert figure in page
    assert 'lang="fi"' in page
    assert "5.10.2023" in page


def test_programme_page__swedish__stated_vs_computed_warnings_visible(client_for, viewer):
    client = client_for(viewer)
    client.cookies["karki_language"] = "sv"
    page = client.get("/programmes/ita-uusimaa-2023-2026/v/2/").content.decode()
    assert '<html lang="sv">' in page
    assert "8,3\u00a0mn\u00a0€" in page and "27,6\u00a0mn\u00a0€" in page
    assert "2,3\u00a0mn\u00a0€" in page and "2,4\u00a0mn\u00a0€" in page
    assert "Utvecklande av servicestrukturen" in page


def test_programme_page__finnish_reader_of_swedish_only_text__marked_as_fallback(client_for, viewer):
    page = client_for(viewer).get("/programmes/ita-uusimaa-2023-2026/v/2/").content.decode()
    assert 'lang="sv" class="fallback"' in page


def test_language_switch__sets_language_and_returns_to_the_page(client_for, viewer):
    client = client_for(viewer)
    response = client.get("/language/sv/?next=/programmes/")
    assert response.status_code == 302 and response["Location"] == "/programmes/"
    assert client.get("/programmes/").content.decode().count('<html lang="sv">') == 1


def test_language_switch__foreign_next_url__not_followed(client_for, viewer):
    response = client_for(viewer).get("/language/en/?next=https://example.com/")
    assert response["Location"] == "/"


def test_programme_page__other_county__not_found(client_for, outsider):
    assert client_for(outsider).get("/programmes/ita-uusimaa-2023-2026/").status_code == 404


def test_measure_page__shows_horizon_and_covering_estimate(client_for, viewer):
    page = client_for(viewer).get("/programmes/ita-uusimaa-2023-2026/v/1/measures/1.1.a/").content.decode()
    assert "HUS" in page
    assert "Keskipitkä" in page or "Medium" in page
    assert "3,8\u00a0M€" in page


def test_measure_page__version_2_in_finnish__the_drafts_finnish_name_and_swedish_marked(client_for, viewer):
    client = client_for(viewer)
    page = client.get("/programmes/ita-uusimaa-2023-2026/v/2/measures/1.1.a/").content.decode()
    assert "<h1>1.1.a HUS-omistajaohjauksen kehittäminen yhteistyössä muiden Uudenmaan" in page
    # Its Swedish description adds a goal the draft does not have: shown in Swedish, marked as such.
    assert '<div lang="sv" class="fallback"><p>Vi utvecklar HUS-ägarstyrningen' in page
    assert "(ruotsiksi)" in page
    only_swedish = client.get("/programmes/ita-uusimaa-2023-2026/v/2/measures/3.3.b/").content.decode()
    assert '<span lang="sv" class="fallback">Vi utarbetar en plan' in only_swedish


def test_compare_versions__money_deltas_by_theme_and_changes(client_for, viewer):
    page = client_for(viewer).get("/programmes/ita-uusimaa-2023-2026/compare/?a=1&b=2").content.decode()
    assert "10,6\u00a0M€" in page and "8,3\u00a0M€" in page
    assert "−2,3\u00a0M€" in page  # spearhead 1 went from 10,6 to 8,3 M€


def test_programme_page__query_count_does_not_grow_with_measures(client_for, pmo, ita, draft):
    client = client_for(pmo)
    url = f"/programmes/{ita.slug}/v/{draft.number}/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    target = draft.programme.versions.get(number=draft.number)
    first_target = services.Target.objects.filter(version=target).first()
    for i in range(40):
        services.create_measure(version=draft, target=first_target, code=f"X.{i}", name={"fi": f"Lisätoimi {i}"},
                                horizon="short", estimate={"kind": "point", "amount_eur": "1000"}, by=pmo)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
    assert len(after) < 45


def test_draft_edit_estimate__invalid_then_fixed(client_for, pmo, ita, draft):
    client = client_for(pmo)
    url = f"/programmes/{ita.slug}/v/{draft.number}/measures/1.1.a/estimate/"
    measure = Measure.objects.get(version=draft, code="1.1.a")
    response = client.post(url, {"estimate_kind": "range", "estimate_min_eur": "2 M€", "estimate_max_eur": "1 M€",
                                 "revision": measure.revision})
    assert response.status_code == 400
    page = response.content.decode()
    assert "data-error-summary" in page and 'aria-invalid="true"' in page
    response = client.post(url, {"estimate_kind": "range", "estimate_min_eur": "0", "estimate_max_eur": "1,5 M€",
                                 "revision": measure.revision})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.estimate_min_eur, measure.estimate_max_eur) == (0, 1500000)
    assert measure.history.first().history_user == pmo


def test_edit_estimate__stale_form__refused_with_message(client_for, pmo, ita, draft):
    client = client_for(pmo)
    measure = Measure.objects.get(version=draft, code="1.1.a")
    url = f"/programmes/{ita.slug}/v/{draft.number}/measures/1.1.a/estimate/"
    stale = measure.revision
    client.post(url, {"estimate_kind": "point", "estimate_amount_eur": "100000", "revision": stale})
    response = client.post(url, {"estimate_kind": "point", "estimate_amount_eur": "200000", "revision": stale})
    assert response.status_code == 400
    measure.refresh_from_db()
    assert measure.estimate_amount_eur == 100000


def test_approved_version__edit_pages_forbidden(client_for, pmo, ita):
    client = client_for(pmo)
    assert client.get(f"/programmes/{ita.slug}/v/2/measures/1.1.a/edit/").status_code == 403
    assert client.get(f"/programmes/{ita.slug}/v/2/themes/new/").status_code == 403


def test_viewer__cannot_edit_a_draft(client_for, viewer, ita, draft):
    assert client_for(viewer).get(f"/programmes/{ita.slug}/v/{draft.number}/measures/1.1.a/edit/").status_code == 403


def test_start_and_approve_version_in_the_browser(client_for, pmo, ita):
    client = client_for(pmo)
    response = client.post(f"/programmes/{ita.slug}/versions/new/")
    assert response.status_code == 302
    version = ProgrammeVersion.objects.get(programme=ita, number=3)
    assert version.is_draft and Measure.objects.filter(version=version).count() == 78 + 9
    client.post(f"/programmes/{ita.slug}/v/3/approve/", {"confirm": "yes"})
    version.refresh_from_db()
    assert version.status == "approved" and version.approved_by == pmo
