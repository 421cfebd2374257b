"""Reminder e-mails about missing status reports, one per person, period and day, in the person's
language. `manage.py send_report_reminders` (safe to run from cron as often as wanted) and the button
on the "who has not reported" page both call `send_reminders`."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from karki.accounts import permissions as perms
from karki.accounts.services import preferred_language
from karki.figures import read as figures
from karki.lib import dates

from .enums import RECEIVED_STATES
from .models import Period, Reminder, StatusReport
from .status import Missing

logger = logging.getLogger(__name__)


def recipient_language(user) -> str:
    """The language the person chose with the language switch (kept with their account); else the
    language they last wrote a status report in; else the default language (Finnish)."""
    language = preferred_language(user) or (
        StatusReport.objects.filter(submitted_by=user).order_by("-submitted_at")
        .values_list("language", flat=True).first())
    return language or settings.LANGUAGE_CODE


@dataclass
class ReminderPlan:
    """Who a reminder about the missing reports of a period reaches, and which missing reports have
    nobody to remind. The measure's owner is reminded; a measure without a reachable owner (none in
    Kärki, no e-mail address, deactivated) reminds the owner of its theme, who may report on it too."""

    by_owner: dict = field(default_factory=dict)  # person → [measures]
    unreachable: list[Missing] = field(default_factory=list)
    # Projects whose monthly follow-up of the period is missing, by their owner (one e-mail names both).
    projects: dict = field(default_factory=dict)  # person → [projects]
    unreachable_projects: list = field(default_factory=list)

    @property
    def people(self) -> list:
        """Everybody a reminder reaches: owners of measures and of projects."""
        return list(dict.fromkeys([*self.by_owner, *self.projects]))


def _reachable(person) -> bool:
    return person is not None and bool(person.email) and person.is_active


def missing_follow_ups(period: Period):
    """The projects followed in the period's programme whose follow-up of the period has not been received
    (nothing written, a draft, or returned for correction)."""
    from karki.projects.models import ProjectReport
    from karki.projects.reading import reporting_projects

    received = ProjectReport.objects.filter(period=period, state__in=RECEIVED_STATES).values("project_id")
    return (reporting_projects(period.programme, period).exclude(pk__in=received)
            .select_related("owner", "organisation").order_by("code"))


def reminder_plan(missing: list[Missing], projects=()) -> ReminderPlan:
    """`missing`: the measures without a received report; `projects`: those without a received follow-up."""
    from karki.programmes.models import Theme

    theme_ids = {item.measure.target.theme_id for item in missing
                 if not _reachable(item.measure.owner) and item.measure.target_id}
    theme_owners = {theme.pk: theme.owner for theme in Theme.objects.filter(pk__in=theme_ids).select_related("owner")}
    plan = ReminderPlan(by_owner=defaultdict(list))
    for item in missing:
        measure = item.measure
        person = measure.owner
        if not _reachable(person) and measure.target_id:
            person = theme_owners.get(measure.target.theme_id)
        if _reachable(person):
            plan.by_owner[person].append(measure)
        else:
            plan.unreachable.append(item)
    plan.by_owner = dict(plan.by_owner)
    by_project_owner = defaultdict(list)
    for project in projects:
        if _reachable(project.owner):
            by_project_owner[project.owner].append(project)
        else:
            plan.unreachable_projects.append(project)
    plan.projects = dict(by_project_owner)
    return plan


@dataclass
class ReminderResult:
    sent: int = 0
    already_today: int = 0  # people reminded earlier today about the same period: not sent again
    unreachable: int = 0  # missing reports without anybody to e-mail
    # People whose e-mail the mail server refused or did not take in time (EMAIL_TIMEOUT): no Reminder is
    # recorded for them, so that the next run tries again. As "username (period)".
    failed: list[str] = field(default_factory=list)


def send_reminders(*, periods=None, by=None, stdout=None) -> ReminderResult:
    """Remind the owners of measures without a received report in each open period. A person already
    reminded today about a period is skipped, so running it again (cron, a second click) sends nothing
    twice. `by` is the person who asked (the programme office's button); None for the scheduled command.
    An e-mail the mail server does not take is logged and counted in `failed`, not recorded as sent."""
    periods = periods if periods is not None else Period.objects.open().select_related("programme")
    today = dates.today()
    result = ReminderResult()
    for period in periods:
        if by is not None and not perms.can_send_reminders(by, period.programme):
            raise PermissionDenied
        if not period.is_open:
            raise ValidationError(_("The reporting period %(period)s is closed; nobody is reminded about it.")
                                  % {"period": period.key}, code="period_closed")
        plan = reminder_plan(figures.status_picture(period.programme, period).missing, missing_follow_ups(period))
        result.unreachable += len(plan.unreachable) + len(plan.unreachable_projects)
        for owner in plan.people:
            measures, projects = plan.by_owner.get(owner, []), plan.projects.get(owner, [])
            if Reminder.objects.filter(period=period, recipient=owner, sent_on=today).exists():
                result.already_today += 1
                continue
            language = recipient_language(owner)
            try:
                with transaction.atomic():
                    Reminder.objects.create(period=period, recipient=owner, sent_on=today, sent_at=dates.now(),
                                            sent_by=by if getattr(by, "pk", None) else None, language=language,
                                            measure_codes=" ".join([*(m.code for m in measures),
                                                                    *(p.code for p in projects)]))
                    _send(owner, period, measures, language, projects)
            except IntegrityError:
                result.already_today += 1  # another run reminded them a moment ago
                continue
            except Exception:
                # Whatever the mail backend raises (SMTP refusals, a dropped connection, a timeout): the
                # Reminder row went with the savepoint, and the people after this one are still reminded.
                logger.exception("The reminder to %s about %s could not be sent", owner.get_username(), period.key)
                result.failed.append(f"{owner.get_username()} ({period.key})")
                if stdout is not None:
                    stdout.write(f"{period} {owner.get_username()} {len(measures) + len(projects)} not sent")
                continue
            result.sent += 1
            if stdout is not None:
                stdout.write(f"{period} {owner.get_username()} {len(measures) + len(projects)}")
    return result


def _send(owner, period: Period, measures, language: str, projects=()) -> None:
    site = settings.SITE_URL.rstrip("/")
    url = site + reverse("monitoring:report-batch", args=[period.programme.slug, period.key])
    when = {"month": period.month, "year": period.year}
    with translation.override(language):
        if measures:
            subject = _("Status reports of %(month)s/%(year)s are missing") % when
        else:
            subject = _("Project follow-ups of %(month)s/%(year)s are missing") % when
        lines = [_("Hello,"), ""]
        if measures:
            lines += [
                _("The status reports of the following measures for %(month)s/%(year)s have not been received:")
                % when, "",
                *[f"- {m.code} {m.name}" for m in measures], "",
                _("You can report them all on one page: %(url)s") % {"url": url}, "",
            ]
        if projects:
            lines += [_("The monthly follow-up of the following projects for %(month)s/%(year)s has not been "
                        "received:") % when, ""]
            for project in projects:
                link = site + reverse("projects:follow-up-period",
                                      args=[project.organisation.slug, project.code, period.key])
                lines += [f"- {project.code} {project.name}: {link}"]
            lines += [""]
        lines += [_("Kärki, on behalf of the programme office")]
    send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [owner.email])


def notify_returned(report) -> bool:
    """Tell the person who submitted a returned report (else the measure's owner) what to correct, in their
    language, with a link to the report page. A mail server that refuses is logged; the return stands."""
    person = report.submitted_by or (report.measure.owner if report.measure_id else None)
    if person is None or not _reachable(person):
        return False
    period = report.period
    url = settings.SITE_URL.rstrip("/") + reverse("monitoring:report-batch", args=[period.programme.slug, period.key])
    with translation.override(recipient_language(person)):
        subject = _("Your status report %(code)s for %(month)s/%(year)s was returned for correction") % {
            "code": report.measure_code, "month": period.month, "year": period.year}
        reviewer = report.reviewed_by.get_full_name() or report.reviewed_by.get_username() if report.reviewed_by \
            else _("the programme office")
        lines = [
            _("Hello,"), "",
            _("%(reviewer)s returned your status report of measure %(code)s for %(month)s/%(year)s with this comment:")
            % {"reviewer": reviewer, "code": report.measure_code, "month": period.month, "year": period.year}, "",
            report.review_comment, "",
            _("Correct it and submit it again: %(url)s") % {"url": url}, "",
            _("Kärki, on behalf of the programme office"),
        ]
    try:
        send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [person.email])
    except Exception:
        logger.exception("The return of %s (%s) could not be mailed", report.measure_code, period.key)
        return False
    return True
