"""Sign-in protection, cookies, security headers and the Content Security Policy that Kärki's own pages keep."""

import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from conftest import DEMO_PASSWORD
from karki.programmes.models import Measure, Target

LOGIN = "/accounts/login/"
LOCKED_OUT_TEXT = "Too many failed sign-in attempts"


@pytest.fixture
def english(client):
    client.cookies["karki_language"] = "en"
    return client


def _sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# Brute-force protection ------------------------------------------------------------------------------


def test_sign_in__five_wrong_passwords__even_the_right_one_refused_with_a_message(english, pmo):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(english, pmo.username, "wrong-password")
        assert response.status_code == 200  # the ordinary "wrong password" page
    response = _sign_in(english, pmo.username, "wrong-password")
    assert response.status_code == 429

    response = _sign_in(english, pmo.username, DEMO_PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_OUT_TEXT in page and "15 minutes" in page
    assert 'name="password"' in page  # the sign-in page again, not a bare text page
    assert "_auth_user_id" not in english.session


def test_sign_in__one_person_locked_out__others_and_other_computers_unaffected(client, pmo, viewer):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, pmo.username, "wrong-password")
    assert _sign_in(client, pmo.username, DEMO_PASSWORD).status_code == 429

    assert _sign_in(client, viewer.username, DEMO_PASSWORD).status_code == 302
    client.logout()
    response = _sign_in(client, pmo.username, DEMO_PASSWORD, REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 302


def test_sign_in__successful_sign_in_clears_earlier_failures(client, pmo):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, pmo.username, "wrong-password")
    assert _sign_in(client, pmo.username, DEMO_PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, pmo.username, "wrong-password").status_code == 200


def test_sign_in__behind_a_proxy__counted_per_real_address_not_spoofed_one(client, pmo, settings):
    settings.REVERSE_PROXY_COUNT = 1
    # The attacker writes a new left-hand address each time; the proxy appends the one it really saw.
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, pmo.username, "wrong-password", HTTP_X_FORWARDED_FOR=f"10.9.9.{attempt}, 203.0.113.5")
    response = _sign_in(client, pmo.username, DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.99, 203.0.113.5")
    assert response.status_code == 429

    response = _sign_in(client, pmo.username, DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302


# Cookies and headers ---------------------------------------------------------------------------------


def test_cookies__session_lasts_a_working_day_and_scripts_cannot_read_cookies(client, pmo):
    response = _sign_in(client, pmo.username, DEMO_PASSWORD)
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"] and session_cookie["samesite"] == "Lax"
    assert int(session_cookie["max-age"]) == 8 * 60 * 60
    page = client.get("/programmes/")
    csrf_cookie = page.cookies.get(settings.CSRF_COOKIE_NAME) or client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["httponly"]


def test_headers__every_page_answers_with_security_headers(client):
    response = client.get(LOGIN)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


# Content Security Policy -----------------------------------------------------------------------------


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, <style>, style="" and on*= handlers,
    and scripts or styles from another origin."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f'<{tag} {name}="…">')
        if tag == "style":
            self.problems.append("<style>")
        if tag == "script":
            src = attrs.get("src")
            if not src:
                self._in_inline_script = True
            elif "//" in src:
                self.problems.append(f"<script src={src}>")
        if tag == "link" and "//" in (attrs.get("href") or ""):
            self.problems.append(f"<link href={attrs['href']}>")
        if tag == "a" and (attrs.get("href") or "").lower().startswith("javascript:"):
            self.problems.append("javascript: link")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>{data.strip()[:40]}")


def _inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def _main_pages(ita, draft):
    measure = Measure.objects.filter(version=draft).order_by("code").first()
    target = Target.objects.filter(version=draft).order_by("code").first()
    base = f"/programmes/{ita.slug}/v/{draft.number}"
    return [
        "/programmes/",
        f"/programmes/{ita.slug}/",
        f"{base}/",
        f"{base}/measures/{measure.code}/",
        f"{base}/measures/{measure.code}/edit/",
        f"{base}/measures/{measure.code}/estimate/",
        f"{base}/measures/{measure.code}/history/",
        f"{base}/measures/new/",
        f"{base}/targets/{target.code}/edit/",
        f"{base}/themes/{target.theme.code}/edit/",
        f"/programmes/{ita.slug}/compare/",
        "/accounts/tokens/",
        "/accounts/no-roles/",
    ]


def _assert_strict_csp(response):
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                      "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'", "object-src 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_csp__sign_in_page__strict_policy_and_no_inline_code(client):
    response = client.get(LOGIN)
    _assert_strict_csp(response)
    assert _inline_code(response.content.decode()) == []


def test_csp__main_pages__strict_policy_and_no_inline_code(client_for, pmo, ita, draft):
    client = client_for(pmo)
    for url in _main_pages(ita, draft):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict_csp(response)
        assert _inline_code(response.content.decode()) == [], url


def test_csp__form_with_errors_and_htmx_fragment__no_inline_code(client_for, pmo, ita, draft):
    client = client_for(pmo)
    measure = Measure.objects.filter(version=draft).order_by("code").first()
    url = f"/programmes/{ita.slug}/v/{draft.number}/measures/{measure.code}/estimate/"
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(url, {"estimate_kind": "point", "estimate_amount_eur": "paljon"}, **headers)
        assert "data-error-summary" in response.content.decode()
        _assert_strict_csp(response)
        assert _inline_code(response.content.decode()) == []


def test_csp__htmx_told_not_to_inject_its_indicator_style(client_for, pmo):
    page = client_for(pmo).get("/programmes/").content.decode()
    assert '<meta name="htmx-config"' in page and '"includeIndicatorStyles": false' in page
    css = (Path(settings.BASE_DIR) / "static/css/karki.css").read_text(encoding="utf-8")
    assert ".htmx-indicator" in css


def test_csp__django_admin_keeps_the_same_policy(client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    for url in ("/admin/", "/admin/accounts/membership/", "/admin/accounts/membership/add/",
                "/admin/axes/accessattempt/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict_csp(response)
        assert _inline_code(response.content.decode()) == [], url


# Production configuration ----------------------------------------------------------------------------


def _manage_check(tmp_path, **variables):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE_", "DEBUG", "OIDC_", "PASSWORD_LOGIN"))}
    env.update({
        "KARKI_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "ALLOWED_HOSTS": "karki.example.fi",
        "KARKI_VAR_DIR": str(tmp_path),
        **variables,
    })
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


ENTRA = {
    "OIDC_ENABLED": "true", "OIDC_ENTRA_TENANT_ID": "00000000-0000-0000-0000-000000000000",
    "OIDC_RP_CLIENT_ID": "karki", "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_ROLE_MAP": "Karki.PMO=ita-uusimaa:pmo", "PASSWORD_LOGIN_ENABLED": "false",
}


@pytest.mark.parametrize("variables", [{}, ENTRA], ids=["password", "entra-id-only"])
def test_check_deploy__production_settings__no_issues(tmp_path, variables):
    result = _manage_check(tmp_path, **variables)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("variables, message", [
    ({"OIDC_ENABLED": "true"}, "OIDC_ENABLED=true needs OIDC_RP_CLIENT_ID"),
    ({"PASSWORD_LOGIN_ENABLED": "false"}, "nobody can sign in"),
    ({**ENTRA, "OIDC_ROLE_MAP": "Karki.PMO=ita-uusimaa:chief"}, "unknown role 'chief'"),
], ids=["sso-without-client", "no-way-to-sign-in", "bad-role-map"])
def test_check__sign_in_misconfigured__refuses_to_start(tmp_path, variables, message):
    result = _manage_check(tmp_path, **variables)
    assert result.returncode != 0 and message in result.stderr


def test_sign_in__person_without_any_role__sent_to_the_no_roles_page(english, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("uusi.henkilo", password=DEMO_PASSWORD)
    response = _sign_in(english, "uusi.henkilo", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/accounts/no-roles/"
    page = english.get("/accounts/no-roles/").content.decode()
    assert "uusi.henkilo" in page and "do not yet have a role" in page
