"""Nothing unpublished is reachable on the public site: every public address is tried (found by following
every link from the home page in each language, and every file of the data package) with a draft version,
a hidden measure, an undecided basket C measure and private fields in the data, and none of them shows."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from karki.forecasts.models import BasketDecision
from karki.programmes import services as programme_services
from karki.programmes.models import ImpactAssessment, Measure, Programme, Risk, Theme
from karki.public.enums import EntryKind, Visibility
from karki.public.models import PublicEntry, PublicSite
from karki.reports.models import CouncilReport

pytestmark = pytest.mark.django_db

SLUG = "kymenlaakso-2023-2025"
HIDDEN = "4.1.b"
LINK = re.compile(r'(?:href|action)="(/public/[^"#?]*)(?:\?[^"#]*)?"')


def crawl(client, slug: str) -> dict[str, object]:
    """Every address under /public/<slug>/ reachable from its home pages and its data package, answered."""
    queue = [f"/public/{slug}/", f"/public/{slug}/sv/", f"/public/{slug}/en/", f"/public/{slug}/datapackage.json"]
    seen: dict[str, object] = {}
    while queue:
        path = queue.pop()
        if path in seen or not path.startswith(f"/public/{slug}/"):
            continue
        response = client.get(path)
        seen[path] = response
        if response.status_code != 200:
            continue
        body = response.content.decode()
        if response["Content-Type"].startswith("text/html"):
            queue += [found for found in LINK.findall(body) if found not in seen]
        elif path.endswith("datapackage.json"):
            for resource in json.loads(body).get("resources", []):
                queue.append(f"/public/{slug}/{resource['path']}".replace(f"/public/{slug}//", "/"))
                queue.append(re.sub(r"\.csv$", ".json", f"/public/{slug}/{resource['path']}"))
    return seen


def _people_names() -> list[str]:
    return list(get_user_model().objects.filter(username__endswith=".kymenlaakso").values_list("username", flat=True))


@pytest.fixture
def kymenlaakso():
    return Programme.objects.get(slug=SLUG)


@pytest.fixture
def with_secrets(kymenlaakso):
    """A hidden measure and a draft version with a measure and a theme name of its own."""
    pmo = get_user_model().objects.get(username="pmo.kymenlaakso")
    PublicEntry.objects.update_or_create(programme=kymenlaakso, kind=EntryKind.MEASURE, code=HIDDEN, defaults={
        "visibility": Visibility.PRIVATE, "resident_text_fi": "Piilotettu asukasteksti"})
    draft = programme_services.start_new_version(programme=kymenlaakso, by=pmo)
    theme = Theme.objects.get(version=draft, code="1")
    programme_services.update_theme(theme=theme, by=pmo, code="1", name={"fi": "Luonnoksen salainen teema"})
    target = theme.targets.first()
    programme_services.create_measure(version=draft, code="9.9.z", name={"fi": "Luonnoksen salainen toimenpide"},
                                      by=pmo, target=target)
    return draft


def _private_texts(programme) -> list[str]:
    version = programme.versions.filter(status="approved").order_by("-number").first()
    hidden = Measure.objects.get(version=version, code=HIDDEN)
    texts = [hidden.name_fi, "Piilotettu asukasteksti", "Luonnoksen salainen teema", "Luonnoksen salainen toimenpide",
             *_people_names()]
    texts += [risk.title_fi for risk in Risk.objects.filter(version=version)]
    for impact in ImpactAssessment.objects.filter(version=version):
        texts += [impact.staff_fi[:60]] if impact.staff_fi else []
    # What owners wrote when they escalated, and who issued the reports: in the frozen figures, never public.
    for report in CouncilReport.objects.for_programme(programme):
        for figures in report.figures.values():
            texts += [e["obstacles"] for e in figures.get("escalations", []) if e.get("obstacles")]
            texts += [figures["report"]["issued_by"]] if figures.get("report", {}).get("issued_by") else []
    return [text for text in texts if text]


def test_every_public_address__nothing_private_nothing_draft_nothing_hidden(client, kymenlaakso, with_secrets):
    answered = crawl(client, SLUG)
    ok = {path: r for path, r in answered.items() if r.status_code == 200}
    # The site is all there: pages in three languages, each theme and public measure, reports and data files.
    assert len(ok) > 60
    assert any(path.endswith(".csv") for path in ok) and any(path.endswith(".json") for path in ok)
    assert f"/public/{SLUG}/measures/1.1.a/" in ok and f"/public/{SLUG}/sv/measures/1.1.a/" in ok
    assert not [path for path, r in answered.items() if r.status_code >= 500]

    private = _private_texts(kymenlaakso)
    assert len(private) >= 8
    for path, response in ok.items():
        body = response.content.decode()
        leaked = [text for text in private if text in body]
        assert not leaked, f"{path} shows {leaked}"
        assert f"/measures/{HIDDEN}/" not in body, f"{path} links to the hidden measure"
        assert "9.9.z" not in body, f"{path} shows the draft measure"


def test_hidden_and_draft_measure_pages__404_in_every_language(client, kymenlaakso, with_secrets):
    for prefix in ("", "sv/", "en/"):
        for code in (HIDDEN, "9.9.z", "does-not-exist"):
            assert client.get(f"/public/{SLUG}/{prefix}measures/{code}/").status_code == 404


def test_every_public_response__same_for_every_visitor(client, kymenlaakso):
    """No session, cookie or user touches a public answer: nothing is set, nothing varies by a cookie."""
    client.cookies["karki_language"] = "sv"
    for path, response in crawl(client, SLUG).items():
        if response.status_code != 200:
            continue
        assert "Set-Cookie" not in response.headers, path
        assert "Cookie" not in response.get("Vary", ""), path
        assert "public" in response["Cache-Control"], path
    assert client.get(f"/public/{SLUG}/")["Content-Language"] == "fi"  # the address decides, not the cookie


def test_unpublished_programme__every_address_404(client, kymenlaakso):
    paths = [path for path, r in crawl(client, SLUG).items() if r.status_code == 200]
    PublicSite.objects.filter(programme=kymenlaakso).update(is_published=False)
    still = [path for path in paths if client.get(path).status_code != 404]
    assert not still


def test_programme_not_published__404(client):
    """Itä-Uusimaa has no public site: its addresses answer 404 like any unknown one."""
    slug = "ita-uusimaa-2023-2026"
    for path in ("", "sv/", "changes/", "themes/1/", "measures/1.1/", "reports/", "reports/1/", "data/",
                 "accessibility/", "datapackage.json", "data/measures.csv", "data/measures.json"):
        assert client.get(f"/public/{slug}/{path}").status_code == 404, path


def test_published_site_with_only_a_draft__404(client, kymenlaakso):
    pmo = get_user_model().objects.get(username="pmo.kymenlaakso")
    programme = programme_services.create_programme(
        organisation=kymenlaakso.organisation, slug="luonnos-vain", name={"fi": "Vain luonnos"},
        period_start=2025, period_end=2027, by=pmo)
    programme_services.create_version(programme=programme, by=pmo)
    PublicSite.objects.create(programme=programme, is_published=True, contact_email="a@example.org")
    assert client.get("/public/luonnos-vain/").status_code == 404
    assert client.get("/public/luonnos-vain/datapackage.json").status_code == 404


def test_basket_c_measure__private_until_decided_or_shown(client):
    """Itä-Uusimaa published: basket B shows, basket C waits for management's decision or the office's choice."""
    programme = Programme.objects.get(slug="ita-uusimaa-2023-2026")
    PublicSite.objects.create(programme=programme, is_published=True, contact_email="a@example.org")
    slug = programme.slug
    assert client.get(f"/public/{slug}/measures/B.1/").status_code == 200
    assert client.get(f"/public/{slug}/measures/C.1/").status_code == 404
    assert "C.1" not in client.get(f"/public/{slug}/data/measures.csv").content.decode()

    PublicEntry.objects.create(programme=programme, kind=EntryKind.MEASURE, code="C.1", visibility=Visibility.PUBLIC)
    assert client.get(f"/public/{slug}/measures/C.1/").status_code == 200
    assert client.get(f"/public/{slug}/measures/C.2/").status_code == 404

    pmo = get_user_model().objects.get(username="pmo.ita-uusimaa")
    BasketDecision.objects.create(programme=programme, basket="C", decision="do_not_activate",
                                  decided_on=date(2024, 9, 1), reasoning="Ei tarvita.", measure_codes="C.2",
                                  recorded_by=pmo, recorded_at="2024-09-01T12:00:00+03:00")
    assert client.get(f"/public/{slug}/measures/C.2/").status_code == 200
    assert client.get(f"/public/{slug}/measures/C.3/").status_code == 404


def test_hidden_theme__its_measures_hidden_too(client, kymenlaakso):
    PublicEntry.objects.create(programme=kymenlaakso, kind=EntryKind.THEME, code="2", visibility=Visibility.PRIVATE)
    assert client.get(f"/public/{SLUG}/themes/2/").status_code == 404
    assert client.get(f"/public/{SLUG}/measures/2.1.a/").status_code == 404
    # Even a measure set public by itself: its theme's name and code would show through it.
    PublicEntry.objects.create(programme=kymenlaakso, kind=EntryKind.MEASURE, code="2.1.a",
                               visibility=Visibility.PUBLIC)
    assert client.get(f"/public/{SLUG}/measures/2.1.a/").status_code == 404
