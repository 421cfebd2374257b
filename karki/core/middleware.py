import logging
import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

request_logger = logging.getLogger("karki.request")


class LanguageMiddleware:
    """Finnish unless the user chose another language with the language switch.

    Replaces Django's LocaleMiddleware on purpose: a county's staff share computers and browsers
    whose Accept-Language says little about the language they work in; the choice is explicit.
    Scripts calling the API have no cookie: for them an explicit Accept-Language header counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}
        self.public_prefixes = ("/public/", "/robots.txt")

    def __call__(self, request):
        if request.path.startswith(self.public_prefixes):
            # The public site (karki/public) is the same for every visitor: its language is in the address,
            # set by its views; no cookie is read and nothing varies by one.
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return self.get_response(request)
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.available and request.path.startswith("/api/") and "HTTP_ACCEPT_LANGUAGE" in request.META:
            code = translation.get_language_from_request(request)
        if code not in self.available:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if request.path.startswith("/api/") else ("Cookie",))
        response.headers.setdefault("Content-Language", code)
        return response


class RequestLogMiddleware:
    """One line per request on the `karki.request` logger: method, path, status and milliseconds.

    The path without its query string (which may carry search words or tokens); no user, no address:
    the audit log says who did what, this says how long it took."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            request_logger.info("%s %s %s %.1fms", request.method, request.path, status,
                                (time.perf_counter() - started) * 1000)
