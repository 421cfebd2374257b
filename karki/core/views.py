from datetime import date

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_GET


def set_language_cookie(response, code: str) -> None:
    """The interface language of this browser (read by karki.core.middleware.LanguageMiddleware)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=False,
    )


@require_GET
def set_language(request, code: str):
    """Switch the interface language with a plain link (lang/hreflang), keeping the page. A signed-in
    person's choice is also kept with their account: for their next sign-in and for e-mails to them."""
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if check_for_language(code) and code in dict(settings.LANGUAGES):
        set_language_cookie(response, code)
        if request.user.is_authenticated:
            from karki.accounts.services import remember_language

            remember_language(user=request.user, language=code)
    return response


def home(request):
    """My work: what the signed-in person must do now, and a card per programme with its verdict."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    from .work import my_work

    return render(request, "core/home.html", {"work": my_work(request.user), "nav": "home"})


# When the accessibility statement was prepared and last reviewed against the browser tests; change these
# whenever the statement's content changes (the law asks for the statement to be kept up to date).
STATEMENT_PREPARED = date(2026, 11, 30)
STATEMENT_REVIEWED = date(2026, 11, 30)


@require_GET
def accessibility_statement(request):
    """The accessibility statement (saavutettavuusseloste), readable without signing in."""
    from karki.browser.pages import PAGES

    return render(request, "core/accessibility.html", {
        "prepared": STATEMENT_PREPARED,
        "reviewed": STATEMENT_REVIEWED,
        "pages_tested": len(PAGES),
        "feedback_email": settings.ACCESSIBILITY_FEEDBACK_EMAIL,
        "authority_name": settings.ACCESSIBILITY_AUTHORITY_NAME,
        "authority_url": settings.ACCESSIBILITY_AUTHORITY_URL,
        "authority_email": settings.ACCESSIBILITY_AUTHORITY_EMAIL,
        "authority_phone": settings.ACCESSIBILITY_AUTHORITY_PHONE,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
    })


@require_GET
def favicon(request):
    """Browsers that ask for /favicon.ico get the icon of the pages (a hashed static address)."""
    response = redirect(static("favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def styleguide(request):
    """The components Kärki's pages are made of, each shown live with when to use it: for the staff who
    build and theme Kärki (and scanned by the browser tests like any page)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise PermissionDenied
    from .styleguide import examples

    return render(request, "core/styleguide.html", examples(request))
