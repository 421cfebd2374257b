"""Personal API tokens: made and revoked on the "API tokens" page, used by scripts with `Authorization: Token`."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from karki.accounts.models import ApiToken
from karki.accounts.tokens import create_token

PROGRAMMES = "/api/v1/programmes/"
TOKENS = "/accounts/tokens/"


def _api(client, value, url=PROGRAMMES):
    return client.get(url, HTTP_AUTHORIZATION=f"Token {value}")


def _value_on_page(html: str) -> str:
    return re.search(r'id="new-token-value"[^>]*value="([0-9a-f]+)"', html).group(1)


def test_token__reads_the_api_with_exactly_the_users_permissions(client, viewer, outsider):
    _token, viewer_value = create_token(user=viewer, name="Power BI", days=30)
    _token, outsider_value = create_token(user=outsider, name="Script", days=30)

    assert [p["slug"] for p in _api(client, viewer_value).json()] == ["ita-uusimaa-2023-2026"]
    assert [p["slug"] for p in _api(client, outsider_value).json()] == ["kymenlaakso-2023-2025"]


def test_token__of_a_kymenlaakso_user__cannot_read_ita_uusimaa(client, outsider, ita, kym):
    _token, value = create_token(user=outsider, name="Script", days=30)
    assert _api(client, value, f"{PROGRAMMES}{kym.slug}/").status_code == 200
    assert _api(client, value, f"{PROGRAMMES}{ita.slug}/").status_code == 404
    assert _api(client, value, f"{PROGRAMMES}{ita.slug}/measures/").status_code == 404


def test_token__expired__refused_401(client, viewer):
    token, value = create_token(user=viewer, name="Old", days=30)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    response = _api(client, value)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token__wrong_value_or_none__refused_401_with_the_challenge(client, db):
    for response in (_api(client, "0" * 64), client.get(PROGRAMMES)):
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_token__of_a_deactivated_user__refused(client, viewer):
    _token, value = create_token(user=viewer, name="BI", days=30)
    viewer.is_active = False
    viewer.save()
    assert _api(client, value).status_code == 401


def test_token_page__value_shown_once_and_only_its_hash_stored(client_for, viewer):
    client = client_for(viewer)
    client.cookies["karki_language"] = "en"
    assert client.get(TOKENS).status_code == 200

    response = client.post(TOKENS, {"name": "Power BI", "days": "90"})
    assert response.status_code == 200
    value = _value_on_page(response.content.decode())
    assert "shown only this once" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]

    token = ApiToken.objects.get(user=viewer)
    assert token.name == "Power BI" and value not in (token.digest, token.token_key)
    assert timedelta(days=89) < token.expiry - timezone.now() <= timedelta(days=90)

    again = client.get(TOKENS).content.decode()
    assert "Power BI" in again and value not in again
    assert _api(Client(), value).status_code == 200


def test_token_page__lists_created_expiry_and_last_use(client_for, viewer):
    token, value = create_token(user=viewer, name="Nightly export", days=365)
    client = client_for(viewer)
    client.cookies["karki_language"] = "en"
    assert "not yet" in client.get(TOKENS).content.decode()

    _api(Client(), value)
    token.refresh_from_db()
    assert token.last_used is not None
    page = client.get(TOKENS).content.decode()
    assert "Nightly export" in page and "not yet" not in page
    assert timezone.localtime(token.expiry).strftime("%Y") in page


def test_token_page__revoke__token_refused_afterwards(client_for, viewer):
    token, value = create_token(user=viewer, name="BI", days=30)
    assert _api(Client(), value).status_code == 200

    client = client_for(viewer)
    response = client.post(f"{TOKENS}{token.digest}/revoke/")
    assert response.status_code == 302 and response["Location"] == TOKENS
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert _api(Client(), value).status_code == 401


def test_token_page__cannot_revoke_someone_elses_token(client_for, viewer, pmo):
    token, _value = create_token(user=pmo, name="PMO script", days=30)
    response = client_for(viewer).post(f"{TOKENS}{token.digest}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_token_page__name_required_and_expiry_from_the_list(client_for, viewer):
    client = client_for(viewer)
    response = client.post(TOKENS, {"name": "", "days": "90"})
    assert response.status_code == 400 and "data-error-summary" in response.content.decode()
    response = client.post(TOKENS, {"name": "Forever", "days": "100000"})
    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=viewer).exists()


def test_token_page__forms_need_the_csrf_token_and_a_signed_in_user(viewer):
    client = Client(enforce_csrf_checks=True)
    assert client.get(TOKENS).status_code == 302  # to the sign-in page
    client.force_login(viewer)
    assert client.post(TOKENS, {"name": "BI", "days": "30"}).status_code == 403
    page = client.get(TOKENS).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(TOKENS, {"name": "BI", "days": "30", "csrfmiddlewaretoken": csrf}).status_code == 200


def test_user_menu__links_to_the_token_page(client_for, viewer):
    page = client_for(viewer).get("/programmes/").content.decode()
    assert f'href="{TOKENS}"' in page


def test_admin__lists_and_revokes_tokens_but_never_makes_them(client, viewer, db):
    from django.contrib.auth import get_user_model

    token, value = create_token(user=viewer, name="Leaver's script", days=30)
    client.force_login(get_user_model().objects.get(username="admin"))
    assert "Leaver&#x27;s script" in client.get("/admin/accounts/apitoken/").content.decode()
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    response = client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _api(Client(), value).status_code == 401


# -- Tokens of single sign-on users pause when sign-on was not used for a while ---------------------


def _sso_identity(user, *, days_ago):
    from karki.accounts.models import ExternalIdentity

    return ExternalIdentity.objects.create(user=user, issuer="tenant", subject=f"oid-{user.pk}",
                                           last_sign_in=timezone.now() - timedelta(days=days_ago))


def test_token__sso_user_who_has_not_signed_in_for_over_a_week__refused_401_with_a_reason(client, viewer):
    _token, value = create_token(user=viewer, name="Power BI", days=365)
    _sso_identity(viewer, days_ago=8)  # a leaver: Entra ID no longer lets them in, so Kärki never re-syncs
    response = client.get(PROGRAMMES, HTTP_AUTHORIZATION=f"Token {value}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert "signed in to Kärki with your organisation account for over 7 days" in response.json()["detail"]


def test_token__sso_user_signed_in_recently__works(client, viewer):
    _token, value = create_token(user=viewer, name="Power BI", days=365)
    _sso_identity(viewer, days_ago=6)
    assert _api(client, value).status_code == 200


def test_token__sso_user_signs_in_again__token_works_again(client, viewer):
    from karki.accounts.models import ExternalIdentity

    _token, value = create_token(user=viewer, name="Power BI", days=365)
    identity = _sso_identity(viewer, days_ago=30)
    assert _api(client, value).status_code == 401
    ExternalIdentity.objects.filter(pk=identity.pk).update(last_sign_in=timezone.now())
    assert _api(client, value).status_code == 200


def test_token__revalidation_period_follows_the_setting(client, viewer, settings):
    settings.OIDC_TOKEN_REVALIDATE_DAYS = 1
    _token, value = create_token(user=viewer, name="Power BI", days=365)
    _sso_identity(viewer, days_ago=2)
    assert _api(client, value).status_code == 401


def test_token__local_user_never_signed_in_for_months__still_works(client, viewer):
    _token, value = create_token(user=viewer, name="Power BI", days=365)
    assert _api(client, value).status_code == 200


def test_token_page__sso_user_told_tokens_pause_without_sign_in(client_for, viewer):
    client = client_for(viewer)
    client.cookies["karki_language"] = "en"
    assert "tokens pause" not in client.get(TOKENS).content.decode()
    _sso_identity(viewer, days_ago=0)
    assert "not signed in to Kärki for over 7 days" in client.get(TOKENS).content.decode()
