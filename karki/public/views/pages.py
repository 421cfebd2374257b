"""The public site's pages, for residents: readable without signing in, the same for every visitor."""

from __future__ import annotations

from django.conf import settings
from django.views.decorators.http import require_GET

from ..reading import LANGUAGES, published_programmes, search
from ..reading import compare as compare_reports
from .common import NotPublic, answer, answer_uncached, page_context, public_url, render_page


@require_GET
def index(request, lang: str):
    """The published programmes (usually one county's)."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django.utils.translation import override

    with override(lang):
        programmes = list(published_programmes())
        content = render_to_string("public/index.html", {
            "lang": lang, "programmes": programmes, "site": None, "SITE_NAME": settings.SITE_NAME,
            "alternates": [(code, public_url("index", code)) for code in LANGUAGES],
            "licence": settings.PUBLIC_DATA_LICENCE, "SITE_URL_BASE": settings.SITE_URL.rstrip("/")})
    response = HttpResponse(content)
    response["Content-Language"] = lang
    return response


@require_GET
def home(request, slug: str, lang: str):
    return answer(request, slug, lang, ("home",),
                  lambda site: render_page("public/home.html", page_context(site, "home")))


@require_GET
def changes(request, slug: str, lang: str):
    """"What changes for you": the resident texts, searchable by words, service and municipality or area."""
    text = " ".join(request.GET.get("q", "").split())[:100]
    service, area = request.GET.get("service", "")[:100], request.GET.get("area", "")[:100]

    def make(site):
        chosen_service = service if service in site.services else ""
        chosen_area = area if area in site.areas else ""
        context = page_context(site, "changes")
        context.update(q=text, service=chosen_service, area=chosen_area,
                       found=search(site, text=text, service=chosen_service, area=chosen_area),
                       searched=bool(text or chosen_service or chosen_area))
        return render_page("public/changes.html", context)

    # Free text is not kept: each is a page of its own, and anybody could fill the cache with them.
    if text:
        return answer_uncached(request, slug, lang, make)
    return answer(request, slug, lang, ("changes", service, area), make)


@require_GET
def theme(request, slug: str, lang: str, code: str):
    def make(site):
        item = site.theme(code)
        if item is None:
            raise NotPublic
        context = page_context(site, "theme", code=code)
        context["theme"] = item
        return render_page("public/theme.html", context)

    return answer(request, slug, lang, ("theme", code), make)


@require_GET
def measure(request, slug: str, lang: str, code: str):
    def make(site):
        item = site.measures.get(code)
        if item is None:
            raise NotPublic
        context = page_context(site, "measure", code=code)
        context.update(measure=item, theme=site.theme(item.theme_code) if item.theme_code else None)
        return render_page("public/measure.html", context)

    return answer(request, slug, lang, ("measure", code), make)


@require_GET
def reports(request, slug: str, lang: str):
    return answer(request, slug, lang, ("reports",),
                  lambda site: render_page("public/reports.html", page_context(site, "reports")))


@require_GET
def report(request, slug: str, lang: str, number: int):
    def make(site):
        item = site.report(number)
        if item is None:
            raise NotPublic
        context = page_context(site, "report", number=number)
        index = site.reports.index(item)
        context.update(report=item, previous=site.reports[index + 1] if index + 1 < len(site.reports) else None)
        return render_page("public/report.html", context)

    return answer(request, slug, lang, ("report", number), make)


@require_GET
def compare(request, slug: str, lang: str):
    """Two issued reports side by side (`?a=1&b=3`); without a choice, the latest two."""
    def number(name):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() and len(value) < 6 else None

    a, b = number("a"), number("b")

    def make(site):
        context = page_context(site, "compare")
        chosen = [site.report(n) for n in (a, b) if n is not None]
        if any(item is None for item in chosen):
            raise NotPublic
        if len(chosen) < 2:
            chosen = site.reports[:2][::-1]
        older, newer = sorted(chosen, key=lambda r: r.number) if len(chosen) == 2 else (None, None)
        context.update(a=older.number if older else None, b=newer.number if newer else None,
                       comparison=compare_reports(older, newer, site) if older and newer and older != newer else None)
        return render_page("public/compare.html", context)

    return answer(request, slug, lang, ("compare", a, b), make)


@require_GET
def accessibility(request, slug: str, lang: str):
    from karki.core.views import STATEMENT_PREPARED, STATEMENT_REVIEWED

    def make(site):
        context = page_context(site, "accessibility")
        context.update(prepared=STATEMENT_PREPARED, reviewed=STATEMENT_REVIEWED,
                       feedback_email=site.settings.contact_email or settings.ACCESSIBILITY_FEEDBACK_EMAIL,
                       authority_name=settings.ACCESSIBILITY_AUTHORITY_NAME,
                       authority_url=settings.ACCESSIBILITY_AUTHORITY_URL,
                       authority_email=settings.ACCESSIBILITY_AUTHORITY_EMAIL,
                       authority_phone=settings.ACCESSIBILITY_AUTHORITY_PHONE)
        return render_page("public/accessibility.html", context)

    return answer(request, slug, lang, ("accessibility",), make)
