"""Reminder e-mails about missing status reports, one per person, period and day, in the person's
language. Called by `manage.py send_report_reminders` (safe to run from cron as often as wanted)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from karki.lib import dates

from .models import Period, Reminder, StatusReport
from .status import status_picture


def recipient_language(user) -> str:
    """The language the person last wrote a status report in; the default language otherwise.
    (Kärki keeps no language preference on accounts yet; a person's own reports are the best signal.)"""
    language = (StatusReport.objects.filter(submitted_by=user).order_by("-submitted_at")
                .values_list("language", flat=True).first())
    return language or settings.LANGUAGE_CODE


def send_reminders(*, periods=None, stdout=None) -> int:
    """Remind the owners of measures without a received report in each open period. Returns the
    number of e-mails sent; a person already reminded today about a period is skipped."""
    periods = periods if periods is not None else Period.objects.open().select_related("programme")
    today = dates.today()
    sent = 0
    for period in periods:
        picture = status_picture(period.programme, period)
        by_owner = defaultdict(list)
        for item in picture.missing:
            if item.measure.owner is not None and item.measure.owner.email and item.measure.owner.is_active:
                by_owner[item.measure.owner].append(item.measure)
        for owner, measures in by_owner.items():
            if Reminder.objects.filter(period=period, recipient=owner, sent_on=today).exists():
                continue
            language = recipient_language(owner)
            try:
                with transaction.atomic():
                    Reminder.objects.create(period=period, recipient=owner, sent_on=today, language=language,
                                            measure_codes=" ".join(m.code for m in measures))
                    _send(owner, period, measures, language)
            except IntegrityError:
                continue  # another run reminded them a moment ago
            sent += 1
            if stdout is not None:
                stdout.write(f"{period} {owner.get_username()} {len(measures)}")
    return sent


def _send(owner, period: Period, measures, language: str) -> None:
    url = settings.SITE_URL.rstrip("/") + reverse("monitoring:report-batch", args=[period.programme.slug, period.key])
    with translation.override(language):
        subject = _("Status reports of %(month)s/%(year)s are missing") % {"month": period.month, "year": period.year}
        lines = [
            _("Hello,"), "",
            _("The status reports of the following measures for %(month)s/%(year)s have not been received:")
            % {"month": period.month, "year": period.year}, "",
            *[f"- {m.code} {m.name}" for m in measures], "",
            _("You can report them all on one page: %(url)s") % {"url": url}, "",
            _("Kärki, on behalf of the programme office"),
        ]
    send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [owner.email])
