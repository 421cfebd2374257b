from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_GET


@require_GET
def set_language(request, code: str):
    """Switch the interface language with a plain link (lang/hreflang), keeping the page."""
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if check_for_language(code) and code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=False,
        )
    return response


def home(request):
    return redirect("programmes:programme-list")
