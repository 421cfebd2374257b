from django.core import mail
from django.core.management import call_command

from karki.monitoring.models import Reminder


def test_reminders__once_a_day_in_the_recipients_language(measure_owner, open_period, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    measure_owner.email = "omistaja@example.fi"
    measure_owner.save()
    call_command("send_report_reminders", "--programme", open_period.programme.slug)
    sent = [m for m in mail.outbox if m.to == ["omistaja@example.fi"]]
    assert len(sent) == 1
    assert "2024-12" not in sent[0].subject and "12/2024" in sent[0].subject
    assert "/periods/2024-12/report/" in sent[0].body
    call_command("send_report_reminders", "--programme", open_period.programme.slug)
    assert len([m for m in mail.outbox if m.to == ["omistaja@example.fi"]]) == 1
    assert Reminder.objects.filter(recipient=measure_owner).count() == 1
