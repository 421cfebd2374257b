import os
import smtplib
import socket
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
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


class FirstSendFails(locmem.EmailBackend):
    """A mail server that drops the connection on the first message of a run and takes the rest."""

    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def first_send_fails(settings):
    FirstSendFails.calls = 0
    settings.EMAIL_BACKEND = f"{__name__}.FirstSendFails"
    return FirstSendFails


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_remind_button__mail_server_fails_for_one__the_others_reminded_and_the_office_told(
        pmo, client_for, open_period, first_send_fails, caplog, settings):
    client = client_for(pmo)
    url = reverse("monitoring:period-remind", args=[P, "2024-12"])
    response = client.post(url)
    assert response.status_code == 302
    reminded = {r.recipient.email for r in Reminder.objects.filter(period=open_period)}
    assert len(reminded) >= 1 and {m.to[0] for m in mail.outbox} == reminded  # the people after the failure too
    messages = _messages(response)
    assert any("ei saatu lähetettyä 1 henkilölle" in m for m in messages), messages
    assert any("could not be sent" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    client.get(response.url)  # the office reads the page with the messages

    # The person whose e-mail failed has no reminder recorded: pressing again reaches them, and only them.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = client.post(url)
    assert Reminder.objects.filter(period=open_period).count() == len(reminded) + 1
    assert len(mail.outbox) == len(reminded) + 1
    assert not any("ei saatu lähetettyä" in m for m in _messages(again))


def test_reminder_command__mail_server_fails__reported_and_exits_non_zero(open_period, first_send_fails, capsys):
    with pytest.raises(CommandError) as info:
        call_command("send_report_reminders", "--programme", P)
    assert "1 reminder could not be sent" in str(info.value)
    assert "1 could not be sent" in capsys.readouterr().out
    assert Reminder.objects.filter(period=open_period).count() == len(mail.outbox)
    call_command("send_report_reminders", "--programme", P)  # the next run retries the failed one
    assert Reminder.objects.filter(period=open_period).count() == len(mail.outbox) == first_send_fails.calls - 1


def test_remind_button__mail_server_never_answers__refused_after_the_timeout_not_a_server_error(
        pmo, client_for, open_period, settings):
    server = socket.socket()  # accepts connections (the kernel does) but never says a word
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.getsockname()[1]
    settings.EMAIL_TIMEOUT = 0.2
    try:
        response = client_for(pmo).post(reverse("monitoring:period-remind", args=[P, "2024-12"]))
    finally:
        server.close()
    assert response.status_code == 302
    assert any("ei saatu lähetettyä" in m for m in _messages(response))
    assert not Reminder.objects.filter(period=open_period).exists()


def test_email_timeout__ten_seconds_unless_set():
    assert mail.get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 10
    env = {**os.environ, "EMAIL_TIMEOUT": "2.5"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(settings.EMAIL_TIMEOUT)"],
        cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "2.5", result.stderr
