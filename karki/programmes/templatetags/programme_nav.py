"""The sub-navigation every programme page shares: the same places in the same order, each shown only to
those who may open it, the current one marked for screen readers (aria-current)."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from karki.accounts import permissions as perms

register = template.Library()

# (key, label): the order a programme office reads a programme in.
PLACES = (
    ("overview", _("Overview")),
    ("measures", _("Measures")),
    ("status", _("Status picture")),
    ("verification", _("Verification")),
    ("forecast", _("Forecast")),
    ("baskets", _("Baskets")),
    ("risks", _("Risks")),
    ("key_results", _("Key results")),
    ("projects", _("Projects")),
    ("books", _("Books")),
    ("versions", _("Versions and history")),
    ("reports", _("Reports and files")),
    ("public", _("Public site")),
)


def places(user, programme, version=None) -> list[dict]:
    """The places of `programme` that `user` may open, with their addresses."""
    slug = programme.slug
    overview = reverse("programmes:programme-detail", args=[slug])
    if version is not None:
        overview = reverse("programmes:version-detail", args=[slug, version.number])
    member = perms.is_member(user, programme.organisation_id)
    monitoring = perms.can_view_monitoring(user, programme)
    forecast = perms.can_view_forecast(user, programme)
    addresses = {
        "overview": overview,
        "measures": reverse("programmes:measure-list", args=[slug, version.number]) if version is not None
        else reverse("programmes:measures-latest", args=[slug]),
        "status": reverse("monitoring:status", args=[slug]) if monitoring else None,
        # Finance verifies the claimed savings; the programme office follows what waits.
        "verification": reverse("monitoring:verification", args=[slug])
        if monitoring and perms.can_view_verification(user, programme) else None,
        "forecast": reverse("forecasts:forecast", args=[slug]) if forecast else None,
        "baskets": reverse("forecasts:baskets", args=[slug]) if forecast else None,
        "risks": reverse("programmes:risk-list", args=[slug, version.number]) if version is not None
        else reverse("programmes:risks-latest", args=[slug]),
        "key_results": reverse("okr:overview", args=[programme.organisation.slug])
        if perms.can_view_okr(user, programme.organisation) else None,
        "projects": reverse("projects:programme-projects", args=[slug]) if member else None,
        "books": reverse("books:reconciliation", args=[slug])
        if perms.can_view_books(user, programme.organisation) else None,
        "versions": reverse("audit:programme-history", args=[slug]) if perms.can_view_history(user, programme)
        else None,
        "reports": reverse("reports:reports", args=[slug])
        if member and monitoring and perms.can_produce_reports(user, programme) else None,
        # What residents see is the programme office's to decide (the public address itself needs no link:
        # the settings page gives it).
        "public": reverse("public:office", args=[slug]) if perms.can_manage_public_site(user, programme) else None,
    }
    return [{"key": key, "label": label, "href": addresses[key]} for key, label in PLACES if addresses[key]]


@register.inclusion_tag("programmes/_programme_nav.html", takes_context=True)
def programme_nav(context, programme, page: str = "", version=None):
    return {"places": places(context["request"].user, programme, version), "page": page, "programme": programme}


@register.simple_tag
def sort_link(current: str, key: str, query: str) -> str:
    """The address that sorts by `key`: ascending first, descending when it is already ascending."""
    new = f"-{key}" if current == key else key
    return f"?{query}&sort={new}" if query else f"?sort={new}"


@register.simple_tag
def aria_sort(current: str, key: str) -> str:
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"
