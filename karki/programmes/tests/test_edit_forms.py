"""Creating and editing themes, targets and measures in a draft version through the browser."""

from decimal import Decimal

from karki.programmes.models import Measure, Target, Theme


def test_theme_create__name_required_in_some_language__then_saved(client_for, pmo, ita, draft):
    client = client_for(pmo)
    url = f"/programmes/{ita.slug}/v/{draft.number}/themes/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": "8"})
    assert response.status_code == 400 and "data-error-summary" in response.content.decode()
    response = client.post(url, {"code": "8", "name_sv": "Ny spets", "owner_name": "Anna"})
    assert response.status_code == 302
    theme = Theme.objects.get(version=draft, code="8")
    assert theme.name_sv == "Ny spets" and theme.name_fi == ""


def test_target_create__finnish_money_formats_understood(client_for, pmo, ita, draft):
    client = client_for(pmo)
    url = f"/programmes/{ita.slug}/v/{draft.number}/themes/1/targets/new/"
    response = client.post(url, {"code": "1.9", "name_fi": "Uusi kohde", "estimate_kind": "point",
                                 "estimate_amount_eur": "1,4 M€", "difficulty": "demanding"})
    assert response.status_code == 302
    target = Target.objects.get(version=draft, code="1.9")
    assert target.estimate_amount_eur == Decimal("1400000") and target.potential_class == "large"
    page = client.get(f"/programmes/{ita.slug}/v/{draft.number}/").content.decode()
    assert "1,4\u00a0M€" in page


def test_target_create__unreadable_amount__clear_message(client_for, pmo, ita, draft):
    client = client_for(pmo)
    client.cookies["karki_language"] = "en"
    url = f"/programmes/{ita.slug}/v/{draft.number}/themes/1/targets/new/"
    response = client.post(url, {"code": "1.9", "name_fi": "Uusi", "estimate_kind": "point",
                                 "estimate_amount_eur": "paljon"})
    assert response.status_code == 400
    assert "1,4 M€" in response.content.decode()
    assert not Target.objects.filter(version=draft, code="1.9").exists()


def test_measure_create_and_edit__basket_a_needs_a_target(client_for, pmo, ita, draft):
    client = client_for(pmo)
    url = f"/programmes/{ita.slug}/v/{draft.number}/measures/new/"
    response = client.post(url, {"code": "9.9.a", "name_fi": "Irrallinen", "basket": "A"})
    assert response.status_code == 400
    target = Target.objects.get(version=draft, code="1.1")
    response = client.post(url, {"code": "1.1.x", "name_fi": "Uusi toimenpide", "basket": "A", "target": target.pk,
                                 "horizon": "short"})
    assert response.status_code == 302
    measure = Measure.objects.get(version=draft, code="1.1.x")
    edit = f"/programmes/{ita.slug}/v/{draft.number}/measures/1.1.x/edit/"
    response = client.post(edit, {"code": "1.1.x", "name_fi": "Uusi toimenpide", "name_sv": "Ny åtgärd",
                                  "basket": "A", "target": target.pk, "horizon": "long",
                                  "revision": measure.revision})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.horizon == "long" and measure.name_sv == "Ny åtgärd"


def test_estimate_edit__htmx__errors_swapped_in_place_and_success_redirects(client_for, pmo, ita, draft):
    client = client_for(pmo)
    url = f"/programmes/{ita.slug}/v/{draft.number}/measures/1.1.a/estimate/"
    response = client.post(url, {"estimate_kind": "point"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<form") and "data-error-summary" in body
    response = client.post(url, {"estimate_kind": "upper_bound", "estimate_amount_eur": "100000"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"].endswith("/measures/1.1.a/")


def test_measure_owner__edits_own_measure_not_others(client_for, ita, pmo):
    from django.contrib.auth import get_user_model

    from karki.programmes import services

    draft = services.start_new_version(programme=ita, by=pmo)
    owner = get_user_model().objects.get(username="measure-owner.ita-uusimaa")
    own = Measure.objects.filter(version=draft, owner=owner).first()
    other = Measure.objects.filter(version=draft).exclude(owner=owner).first()
    client = client_for(owner)
    assert client.get(f"/programmes/{ita.slug}/v/{draft.number}/measures/{own.code}/edit/").status_code == 200
    assert client.get(f"/programmes/{ita.slug}/v/{draft.number}/measures/{other.code}/edit/").status_code == 403
