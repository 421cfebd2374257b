from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from karki.accounts.models import Preferences
from karki.monitoring.models import Period, Reminder, StatusReport
from karki.monitoring.reminders import recipient_language

P = "ita-uusimaa-2023-2026"


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_reminders__once_a_day_in_the_recipients_language(measure_owner, open_period, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    measure_owner.email = "omistaja@example.fi"
    measure_owner.save()
    call_command("send_report_reminders", "--programme", open_period.programme.slug)
    sent = _to("omistaja@example.fi")
    assert len(sent) == 1
    assert "2024-12" not in sent[0].subject and "12/2024" in sent[0].subject
    assert "/periods/2024-12/report/" in sent[0].body
    call_command("send_report_reminders", "--programme", open_period.programme.slug)
    assert len(_to("omistaja@example.fi")) == 1
    assert Reminder.objects.get(recipient=measure_owner).sent_by is None  # sent by the scheduled command


def test_recipient_language__chosen_language_then_latest_report_then_finnish(measure_owner, client_for, pmo):
    StatusReport.objects.filter(submitted_by=measure_owner).update(language="en")
    assert recipient_language(measure_owner) == "en"  # nothing chosen: the language of the latest report
    client_for(measure_owner).get(reverse("core:set-language", args=["sv"]))
    assert recipient_language(measure_owner) == "sv"  # chosen with the language switch wins
    Preferences.objects.filter(user=measure_owner).delete()
    StatusReport.objects.filter(submitted_by=measure_owner).update(submitted_by=pmo)
    assert recipient_language(measure_owner) == "fi"


def test_reminder_email__in_the_language_the_person_chose(measure_owner, client_for, open_period):
    client_for(measure_owner).get(reverse("core:set-language", args=["sv"]))
    call_command("send_report_reminders", "--programme", P)
    sent = _to(measure_owner.email)
    assert len(sent) == 1 and sent[0].subject == "Lägesrapporter saknas: 12/2024"
    assert Reminder.objects.get(recipient=measure_owner, period=open_period).language == "sv"


def test_remind_button__pmo_reminds_the_missing_once_a_day(pmo, client_for, measure_owner, open_period):
    client = client_for(pmo)
    page = client.get(reverse("monitoring:period-reports", args=[P, "2024-12"])).content.decode()
    assert reverse("monitoring:period-remind", args=[P, "2024-12"]) in page
    response = client.post(reverse("monitoring:period-remind", args=[P, "2024-12"]))
    assert response.status_code == 302
    assert len(_to(measure_owner.email)) == 1
    reminder = Reminder.objects.get(recipient=measure_owner, period=open_period)
    assert reminder.sent_by == pmo and "3.5.b" in reminder.measure_codes.split()
    # Measures without an owner in Kärki remind the owner of their theme (theme 1 in the demo).
    theme_owner = Reminder.objects.get(recipient__username="theme-owner.ita-uusimaa", period=open_period)
    assert theme_owner.measure_codes.split() and all(c.startswith("1.") for c in theme_owner.measure_codes.split())
    page = client.get(reverse("monitoring:period-reports", args=[P, "2024-12"])).content.decode()
    assert "Tästä kuukaudesta lähetetyt muistutukset" in page and pmo.username in page

    again = client.post(reverse("monitoring:period-remind", args=[P, "2024-12"]))
    assert len(_to(measure_owner.email)) == 1  # the same day: no second e-mail
    assert any("oli jo saanut muistutuksen tänään" in str(m) for m in get_messages(again.wsgi_request))


def test_remind_button__closed_period__nobody_reminded(pmo, client_for, ita):
    assert not Period.objects.get(programme=ita, year=2024, month=11).is_open
    response = client_for(pmo).post(reverse("monitoring:period-remind", args=[P, "2024-11"]))
    assert response.status_code == 302
    assert any("on suljettu" in str(m) for m in get_messages(response.wsgi_request))
    assert not mail.outbox and not Reminder.objects.exists()


def test_remind_button__not_shown_to_a_viewer(viewer, client_for):
    page = client_for(viewer).get(reverse("monitoring:period-reports", args=[P, "2024-12"])).content.decode()
    assert reverse("monitoring:period-remind", args=[P, "2024-12"]) not in page
