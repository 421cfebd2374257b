"""Single sign-on with OpenID Connect (Entra ID): claims → user and memberships. No network: the identity
provider's answers are mocked."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import translation

from karki.accounts.enums import MembershipSource, Role
from karki.accounts.models import ExternalIdentity, Membership
from karki.accounts.oidc import REFUSED_SESSION_KEY, OIDCBackend, parse_role_map, refusal_message
from karki.accounts.signin import NO_ROLES_SESSION_KEY

CLIENT_ID = "kärki-client-id"
ROLE_MAP = (
    "grp-ita-pmo=ita-uusimaa:pmo; grp-ita-read=ita-uusimaa:viewer; "
    "Karki.Finance=kymenlaakso:finance; grp-gone=no-such-county:viewer"
)


@pytest.fixture
def oidc(settings, db):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.invalid/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.invalid/token"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.invalid/keys"
    settings.OIDC_OP_ISSUER = "https://login.example.invalid/v2.0"
    settings.OIDC_OP_USER_ENDPOINT = ""
    settings.OIDC_ROLE_MAP = ROLE_MAP
    settings.OIDC_ROLE_CLAIMS = ["roles", "groups"]
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "karki.accounts.oidc.OIDCBackend",
    ]
    return settings


TENANT = "8d2c6f0e-tenant"
MAIJA_OID = "0b6c1f2a-maija"


def _claims(**extra):
    """An Entra ID token of Maija: the tenant (tid) and her object ID (oid) identify her."""
    claims = {
        "aud": CLIENT_ID, "iss": "https://login.example.invalid/v2.0", "nonce": "nonce-1",
        "tid": TENANT, "oid": MAIJA_OID, "sub": "app-specific-subject-of-maija",
        "preferred_username": "Maija.Meikalainen@ita-uusimaa.example", "email": "maija@ita-uusimaa.example",
        "given_name": "Maija", "family_name": "Meikäläinen", "groups": ["grp-ita-pmo", "grp-unknown"],
    }
    claims.update(extra)
    return claims


def _sign_in(claims):
    """What the backend does after the identity provider has answered and the ID token was verified."""
    backend = OIDCBackend()
    request = RequestFactory().get("/accounts/oidc/callback/")
    request.session = {}
    backend.request = request
    return backend.get_or_create_user("access-token", "id-token", claims), request.session


def _roles(user):
    return {(m.organisation.slug, m.role, m.source) for m in Membership.objects.filter(user=user)}


def _callback(client, claims):
    """The browser coming back from the identity provider; in English, so that messages can be read."""
    if "karki_language" not in client.cookies:
        client.cookies["karki_language"] = "en"
    session = client.session
    session["oidc_states"] = {"state-1": {"nonce": "nonce-1", "code_verifier": "v" * 64, "added_on": time.time()}}
    session.save()
    with mock.patch.object(OIDCBackend, "get_token", return_value={"id_token": "x", "access_token": "y"}), \
            mock.patch("mozilla_django_oidc.auth.OIDCAuthenticationBackend.verify_token", return_value=claims):
        return client.get("/accounts/oidc/callback/", {"code": "code-1", "state": "state-1"})


# The role map ----------------------------------------------------------------------------------------


def test_role_map__parsed_into_organisation_and_role():
    assert parse_role_map(" g1=ita-uusimaa:pmo ; g1=kymenlaakso:viewer;Karki.Finance=kymenlaakso:finance;") == {
        "g1": {("ita-uusimaa", "pmo"), ("kymenlaakso", "viewer")},
        "Karki.Finance": {("kymenlaakso", "finance")},
    }
    assert parse_role_map("") == {}


@pytest.mark.parametrize("text", ["g1=ita-uusimaa", "g1:pmo", "=ita-uusimaa:pmo", "g1=ita-uusimaa:boss"])
def test_role_map__mistakes__refused_with_a_clear_error(text):
    with pytest.raises(ImproperlyConfigured, match="OIDC_ROLE_MAP"):
        parse_role_map(text)


# Users and memberships from claims -------------------------------------------------------------------


def test_first_sign_in__user_created_from_claims_with_mapped_roles(oidc, db):
    user, _session = _sign_in(_claims(roles=["Karki.Finance"]))
    assert user.username == "maija.meikalainen@ita-uusimaa.example"
    assert (user.first_name, user.last_name, user.email) == ("Maija", "Meikäläinen", "maija@ita-uusimaa.example")
    assert not user.has_usable_password()
    assert _roles(user) == {("ita-uusimaa", Role.PMO, MembershipSource.OIDC),
                            ("kymenlaakso", Role.FINANCE, MembershipSource.OIDC)}


def test_next_sign_in__sso_roles_follow_the_token_and_hand_made_roles_stay(oidc, db):
    user, _session = _sign_in(_claims(groups=["grp-ita-pmo"]))
    Membership.objects.create(user=user, organisation=Membership.objects.get(user=user).organisation,
                              role=Role.THEME_OWNER)  # granted by hand in Kärki

    user, _session = _sign_in(_claims(groups=["grp-ita-read"], family_name="Virtanen"))
    assert user.last_name == "Virtanen"
    assert _roles(user) == {("ita-uusimaa", Role.VIEWER, MembershipSource.OIDC),
                            ("ita-uusimaa", Role.THEME_OWNER, MembershipSource.LOCAL)}
    assert get_user_model().objects.filter(username=user.username).count() == 1


def test_sign_in__role_granted_by_hand_and_by_the_token__stays_local(oidc, pmo):
    ExternalIdentity.objects.create(user=pmo, issuer=TENANT, subject=MAIJA_OID)  # linked by the operator
    user, _session = _sign_in(_claims(preferred_username=pmo.username, groups=["grp-ita-pmo"]))
    assert user == pmo
    user, _session = _sign_in(_claims(preferred_username=pmo.username, groups=[]))
    assert ("ita-uusimaa", Role.PMO, MembershipSource.LOCAL) in _roles(user)


def test_sign_in__unknown_groups_and_organisations__ignored(oidc, db):
    user, session = _sign_in(_claims(groups=["grp-unknown", "grp-gone"], roles="Karki.Finance"))
    assert _roles(user) == {("kymenlaakso", Role.FINANCE, MembershipSource.OIDC)}


def test_sign_in__no_mapped_role__not_signed_in_and_no_roles_page_names_them(oidc, db):
    user, session = _sign_in(_claims(groups=["grp-unknown"]))
    assert user is None
    assert session[NO_ROLES_SESSION_KEY] == "Maija Meikäläinen"
    created = get_user_model().objects.get(username="maija.meikalainen@ita-uusimaa.example")
    assert not created.memberships.exists()  # an administrator can now give a role by hand


def test_sign_in__last_mapped_role_removed__access_ends(oidc, db):
    user, _session = _sign_in(_claims(groups=["grp-ita-read"]))
    assert user is not None
    user, _session = _sign_in(_claims(groups=[]))
    assert user is None
    assert not Membership.objects.filter(user__username="maija.meikalainen@ita-uusimaa.example").exists()


# Who the person is: only the provider's identifier, never a username or an e-mail ---------------------


STRONG = "Kärki-tuottavuus-2024!"


def _messages_on_sign_in_page(client) -> str:
    client.cookies["karki_language"] = "en"
    return client.get("/accounts/login/").content.decode()


def test_sso__local_account_with_the_same_username__never_taken_over(oidc, client, db):
    """An administrator of Kymenlaakso makes a local account named like Itä-Uusimaa's Maija; when the
    real Maija signs in with her organisation account, her Itä-Uusimaa roles must not land on it."""
    from karki.accounts import services
    from karki.organisations.models import Organisation

    kym = Organisation.objects.get(slug="kymenlaakso")
    trap = services.add_person(
        organisation=kym, username="maija.meikalainen@ita-uusimaa.example", first_name="M", last_name="M",
        email="", roles=["viewer"], password=STRONG, by=get_user_model().objects.get(username="admin.kymenlaakso"),
    )
    response = _callback(client, _claims(groups=["grp-ita-pmo"]))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    page = _messages_on_sign_in_page(client)
    assert "An account with the username maija.meikalainen@ita-uusimaa.example already exists in Kärki" in page
    assert "ask your administrator to link it" in page
    assert _roles(trap) == {("kymenlaakso", Role.VIEWER, MembershipSource.LOCAL)}
    assert not ExternalIdentity.objects.exists()
    # The local account's password gives only what Kymenlaakso's administrator granted.
    response = client.post("/accounts/login/", {"username": trap.username, "password": STRONG})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(trap.pk)
    assert client.get("/programmes/ita-uusimaa-2023-2026/").status_code == 404


def test_sso__preferred_username_of_the_superuser__not_signed_in_as_them(oidc, client, db):
    root = get_user_model().objects.get(username="admin")
    response = _callback(client, _claims(preferred_username="ADMIN", oid="someone-else", groups=["grp-ita-pmo"]))
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert not root.memberships.exists() and not root.external_identities.exists()
    assert "An account with the username admin already exists" in _messages_on_sign_in_page(client)


@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_sso__identity_linked_to_platform_staff__refused(oidc, client, db, flags):
    staff = get_user_model().objects.create_user("tuki", password=STRONG, **flags)
    ExternalIdentity.objects.create(user=staff, issuer=TENANT, subject=MAIJA_OID)  # bypassing the admin's check
    response = _callback(client, _claims(groups=["grp-ita-pmo"]))
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert not staff.memberships.exists()
    assert "cannot be used with single sign-on" in _messages_on_sign_in_page(client)


def test_sso__unverified_email__not_a_username(oidc, db):
    claims = _claims(preferred_username=None, email="pmo.ita-uusimaa@example.org")
    user, session = _sign_in(claims)
    assert user is None and "did not give Kärki a username" in str(_refusal_message(session))
    assert not get_user_model().objects.filter(username="pmo.ita-uusimaa@example.org").exists()

    user, _session = _sign_in({**claims, "email_verified": True})
    assert user.username == "pmo.ita-uusimaa@example.org"


def _refusal_message(session):
    with translation.override("en"):
        return refusal_message(session[REFUSED_SESSION_KEY])


def test_sso__username_changed_at_the_provider__same_account(oidc, db):
    first, _session = _sign_in(_claims())
    again, _session = _sign_in(_claims(preferred_username="maija.virtanen@ita-uusimaa.example"))
    assert again == first and again.username == "maija.meikalainen@ita-uusimaa.example"


def test_sso__another_person_with_the_same_username__refused(oidc, db):
    maija, _session = _sign_in(_claims())
    other, session = _sign_in(_claims(oid="another-person", groups=["grp-ita-pmo", "grp-ita-read"]))
    assert other is None and "already exists" in str(_refusal_message(session))
    assert _roles(maija) == {("ita-uusimaa", Role.PMO, MembershipSource.OIDC)}


def test_sso__identity__entra_tenant_and_object_id_else_issuer_and_subject(oidc, db):
    user, _session = _sign_in(_claims())
    assert list(user.external_identities.values_list("issuer", "subject")) == [(TENANT, MAIJA_OID)]

    claims = _claims(preferred_username="liisa@example.org", sub="liisa-sub")
    del claims["tid"], claims["oid"]
    user, _session = _sign_in(claims)
    assert list(user.external_identities.values_list("issuer", "subject")) == [
        ("https://login.example.invalid/v2.0", "liisa-sub")]


def test_sso__every_sign_in_records_its_time_for_the_api_tokens(oidc, db):
    from datetime import timedelta

    from django.utils import timezone

    user, _session = _sign_in(_claims())
    identity = user.external_identities.get()
    assert timezone.now() - identity.last_sign_in < timedelta(minutes=1)
    ExternalIdentity.objects.filter(pk=identity.pk).update(last_sign_in=timezone.now() - timedelta(days=30))
    _sign_in(_claims())
    identity.refresh_from_db()
    assert timezone.now() - identity.last_sign_in < timedelta(minutes=1)
    assert identity.history.count() == 1  # signing in is not a change of the link


def test_sso__deactivated_account__refused_with_a_message(oidc, client, db):
    user, _session = _sign_in(_claims())
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert _callback(client, _claims())["Location"] == "/accounts/login/"
    assert "has been deactivated" in _messages_on_sign_in_page(client)


def test_admin__operator_links_an_existing_account__then_it_signs_in_with_sso(oidc, client, pmo):
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.post("/admin/accounts/externalidentity/add/", {
        "user": pmo.pk, "issuer": TENANT, "subject": MAIJA_OID,
    })
    assert response.status_code == 302
    client.logout()
    assert _callback(client, _claims(groups=["grp-ita-read"]))["Location"] == "/"
    assert client.session["_auth_user_id"] == str(pmo.pk)
    assert ("ita-uusimaa", Role.VIEWER, MembershipSource.OIDC) in _roles(pmo)


def test_admin__linking_platform_staff__refused(client, db):
    root = get_user_model().objects.get(username="admin")
    client.force_login(root)
    client.cookies["karki_language"] = "en"
    response = client.post("/admin/accounts/externalidentity/add/", {
        "user": root.pk, "issuer": TENANT, "subject": MAIJA_OID,
    })
    assert response.status_code == 200
    assert "cannot be linked to single sign-on" in response.content.decode()
    assert not ExternalIdentity.objects.exists()


def test_sso_role_changes__on_the_changes_page_by_the_person_with_reason_single_sign_on(oidc, client, db):
    user, _session = _sign_in(_claims(groups=["grp-ita-pmo"]))
    _sign_in(_claims(groups=["grp-ita-read"]))
    records = Membership.history.filter(user_id=user.pk)
    assert {(r.history_type, r.role, r.history_user_id, r.history_change_reason) for r in records} == {
        ("+", Role.PMO, user.pk, "single sign-on"), ("-", Role.PMO, user.pk, "single sign-on"),
        ("+", Role.VIEWER, user.pk, "single sign-on"),
    }
    client.force_login(get_user_model().objects.get(username="admin.ita-uusimaa"))
    client.cookies["karki_language"] = "en"
    page = client.get("/organisations/ita-uusimaa/people/changes/").content.decode()
    rows = [row for row in page.split("<tr>") if "maija.meikalainen@ita-uusimaa.example</td>" in row]
    assert len(rows) == 3
    assert all("<td>single sign-on</td>" in row for row in rows)
    assert any("revoked Programme office" in row for row in rows)


# The whole sign-in through the callback --------------------------------------------------------------


def test_callback__mapped_user__signed_in_and_sees_their_programme(oidc, client, ita):
    response = _callback(client, _claims(groups=["grp-ita-read"]))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(f"/programmes/{ita.slug}/").status_code == 200


def test_callback__no_role__friendly_page_with_whom_to_ask(oidc, client, settings):
    settings.ACCESS_CONTACT = "karki-tuki@ita-uusimaa.example"
    client.cookies["karki_language"] = "en"
    response = _callback(client, _claims(groups=["grp-unknown"]))
    assert response.status_code == 302 and response["Location"] == "/accounts/no-roles/"
    page = client.get("/accounts/no-roles/").content.decode()
    assert "Maija Meikäläinen" in page and "karki-tuki@ita-uusimaa.example" in page
    assert "do not yet have a role" in page
    assert "_auth_user_id" not in client.session
    assert client.get("/programmes/").status_code == 302  # still signed out


@pytest.mark.parametrize("claims", [{"aud": "someone-else"}, {"iss": "https://evil.example.invalid/v2.0"}])
def test_callback__token_for_another_client_or_from_another_issuer__refused(oidc, client, claims):
    response = _callback(client, _claims(groups=["grp-ita-pmo"], **claims))
    assert response.status_code == 400  # a forged or misdirected token, as for a wrong nonce
    assert "_auth_user_id" not in client.session


def test_callback__identity_provider_reports_an_error__back_to_sign_in_with_a_message(oidc, client):
    client.cookies["karki_language"] = "en"
    response = client.get("/accounts/oidc/callback/", {"error": "access_denied", "state": "state-1"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "did not succeed" in client.get("/accounts/login/").content.decode()


def test_callback__failed_sso_sign_ins__never_lock_anyone_out(oidc, client):
    from axes.models import AccessAttempt

    for _attempt in range(oidc.AXES_FAILURE_LIMIT + 1):
        _callback(client, _claims(groups=["grp-unknown"]))
    assert not AccessAttempt.objects.exists()
    assert _callback(client, _claims(groups=["grp-ita-read"]))["Location"] == "/"


# The sign-in page ------------------------------------------------------------------------------------


def test_sign_in_page__sso_on__button_and_password_form(oidc, client):
    client.cookies["karki_language"] = "en"
    page = client.get("/accounts/login/?next=/programmes/").content.decode()
    assert "Sign in with your organisation account" in page
    assert 'href="/accounts/oidc/authenticate/?next=%2Fprogrammes%2F"' in page
    assert 'name="password"' in page


def test_sign_in_page__password_sign_in_switched_off__only_the_button(oidc, client):
    oidc.PASSWORD_LOGIN_ENABLED = False
    page = client.get("/accounts/login/").content.decode()
    assert 'name="password"' not in page and "/accounts/oidc/authenticate/" in page
    assert client.post("/accounts/login/", {"username": "pmo.ita-uusimaa", "password": "x"}).status_code == 405


def test_sign_in_page__sso_off__no_button_and_sso_addresses_not_found(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/oidc/authenticate/" not in page
    assert client.get("/accounts/oidc/authenticate/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=a&state=b").status_code == 404


def test_sso_button__sends_the_browser_to_the_identity_provider_with_pkce(oidc, client):
    response = client.get("/accounts/oidc/authenticate/?next=/programmes/")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://login.example.invalid/authorize"
    assert query["client_id"] == [CLIENT_ID] and query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/callback/"]
    assert "email" in query["scope"][0] and "profile" in query["scope"][0]
