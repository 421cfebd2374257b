"""My work: what the signed-in person must do now, and how each of their programmes is doing.

A measure owner sees the reports they owe this month (with the deadline) and the ones returned to them;
the programme office the reports waiting for review; finance the claimed savings waiting for verification;
owners of key results the ones not checked in this month; those who decide on baskets B and C a decision
the latest forecast asks for. Every figure on the programme cards is read from `karki.figures`, the same
place the programme's own pages read it from."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from karki.accounts import permissions as perms
from karki.figures import read as figures
from karki.forecasts.baskets import latest_decisions
from karki.forecasts.inputs import ForecastUnavailable
from karki.lib import dates
from karki.monitoring.models import Period, StatusReport
from karki.monitoring.services import running_version
from karki.monitoring.verification import waiting_count
from karki.okr.models import KeyResult
from karki.programmes.models import Measure, Programme


@dataclass
class Task:
    kind: str  # report, returned, review, late (milestones), verify, check_in, decision
    text: str
    href: str
    programme: Programme
    due: date | None = None
    overdue: bool = False


@dataclass
class Card:
    programme: Programme
    is_own: bool
    version: object = None
    forecast: object = None
    picture: object = None
    verdict: str = ""  # on_track, at_risk, off_track, no_target, unknown

    @property
    def received_pct(self) -> Decimal | None:
        if self.picture is None or not self.picture.reports_expected:
            return None
        return Decimal(self.picture.reports_received * 100) / self.picture.reports_expected


@dataclass
class MyWork:
    tasks: list[Task] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)


def report_deadline(period: Period) -> date:
    """Reports of a month are due on the REPORTS_DUE_DAY of the next month (the 5th unless set)."""
    year, month = (period.year + 1, 1) if period.month == 12 else (period.year, period.month + 1)
    day = min(settings.REPORTS_DUE_DAY, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def verdict_of(forecast) -> str:
    if forecast is None:
        return "unknown"
    if forecast.probability is None:
        return "no_target"
    if forecast.probability >= 0.8:
        return "on_track"
    if forecast.probability >= 0.5:
        return "at_risk"
    return "off_track"


def my_work(user) -> MyWork:
    work = MyWork()
    today = dates.today()
    for programme in Programme.objects.visible_to(user).select_related("organisation").order_by("slug"):
        own = perms.is_member(user, programme.organisation_id)
        card = Card(programme=programme, is_own=own)
        work.cards.append(card)
        if not own:
            continue
        version = running_version(programme)
        card.version = version
        periods = list(Period.objects.filter(programme=programme).order_by("-year", "-month"))
        latest = periods[0] if periods else None
        if version is not None and perms.can_view_forecast(user, programme):
            try:
                card.forecast = figures.forecast(version, period=latest)
            except ForecastUnavailable:
                card.forecast = None
            card.verdict = verdict_of(card.forecast)
        if latest is not None and version is not None and perms.can_view_monitoring(user, programme):
            card.picture = figures.status_picture(programme, latest)
        for period in (p for p in periods if p.is_open):
            work.tasks.extend(_report_tasks(user, programme, period, today))
        work.tasks.extend(_project_tasks(user, programme, [p for p in periods if p.is_open], today))
        work.tasks.extend(_check_in_tasks(user, programme, version, today))
        work.tasks.extend(_verification_tasks(user, programme))
        if card.forecast is not None and latest is not None:
            work.tasks.extend(_decision_tasks(user, programme, card.forecast, latest))
    order = {"returned": 0, "report": 1, "review": 2, "late": 3, "verify": 4, "decision": 5, "check_in": 6}
    work.tasks.sort(key=lambda t: (order[t.kind], t.due or date.max, t.programme.slug))
    return work


def _report_tasks(user, programme, period, today) -> list[Task]:
    tasks = []
    picture = figures.status_picture(programme, period)
    due = report_deadline(period)
    mine = [item for item in picture.missing if getattr(item.measure, "owner_id", None) == user.pk]
    returned = [item for item in mine if item.state == "returned"]
    owed = [item for item in mine if item.state != "returned"]
    href = reverse("monitoring:report-batch", args=[programme.slug, period.key])
    if owed:
        tasks.append(Task("report", ngettext(
            "%(count)s status report for %(month)s/%(year)s to write (%(codes)s)",
            "%(count)s status reports for %(month)s/%(year)s to write (%(codes)s)", len(owed))
            % {"count": len(owed), "month": period.month, "year": period.year,
               "codes": ", ".join(item.measure.code for item in owed)},
            href, programme, due=due, overdue=due < today))
    if returned:
        tasks.append(Task("returned", ngettext(
            "%(count)s status report returned to you for correction (%(codes)s)",
            "%(count)s status reports returned to you for correction (%(codes)s)", len(returned))
            % {"count": len(returned), "codes": ", ".join(item.measure.code for item in returned)},
            href, programme, due=due, overdue=due < today))
    if perms.can_review_reports(user, programme):
        waiting = StatusReport.objects.filter(period=period, state="submitted").count()
        if waiting:
            tasks.append(Task("review", ngettext(
                "%(count)s status report of %(month)s/%(year)s waiting for your review",
                "%(count)s status reports of %(month)s/%(year)s waiting for your review", waiting)
                % {"count": waiting, "month": period.month, "year": period.year},
                reverse("monitoring:period-reports", args=[programme.slug, period.key]), programme))
    return tasks


def _project_tasks(user, programme, open_periods, today) -> list[Task]:
    """Projects followed in the programme: the owner's follow-ups to write (or returned) in each open period
    and their late milestones; the programme office's submitted follow-ups to review."""
    from karki.projects.models import Project, ProjectReport
    from karki.projects.reading import standings

    tasks: list[Task] = []
    owned = list(Project.objects.filter(programme=programme, owner=user).exclude(status__in=("completed", "cancelled"))
                 .select_related("organisation").order_by("code"))
    if owned and open_periods:
        states = {(r.project_id, r.period_id): r for r in ProjectReport.objects.filter(
            project__in=owned, period__in=open_periods).only("project_id", "period_id", "state")}
        for period in open_periods:
            first = date(period.year, period.month, 1)
            last = date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])
            due = report_deadline(period)
            for project in owned:
                if not (project.start_date <= last and project.end_date >= first):
                    continue
                report = states.get((project.pk, period.pk))
                if report is not None and report.state in ("submitted", "accepted"):
                    continue
                href = reverse("projects:follow-up-period", args=[project.organisation.slug, project.code, period.key])
                if report is not None and report.state == "returned":
                    tasks.append(Task("returned", _("The follow-up of project %(code)s for %(month)s/%(year)s was "
                                                    "returned to you for correction")
                                      % {"code": project.code, "month": period.month, "year": period.year},
                                      href, programme, due=due, overdue=due < today))
                else:
                    tasks.append(Task("report", _("The follow-up of project %(code)s for %(month)s/%(year)s to write")
                                      % {"code": project.code, "month": period.month, "year": period.year},
                                      href, programme, due=due, overdue=due < today))
    for project in owned:
        late = [s for s in standings(project) if s.is_late]
        if late:
            first = late[0]
            tasks.append(Task("late", ngettext(
                "Project %(code)s: %(count)s late milestone, %(milestone)s",
                "Project %(code)s: %(count)s late milestones, the most urgent %(milestone)s", len(late))
                % {"code": project.code, "count": len(late),
                   "milestone": f"{first.milestone.code} {Truncator(first.milestone.name).chars(80)}"},
                reverse("projects:follow-up", args=[project.organisation.slug, project.code]), programme,
                due=first.milestone.due_date, overdue=True))
    if open_periods and perms.can_add_project(user, programme.organisation):
        waiting = dict(ProjectReport.objects.filter(project__programme=programme, period__in=open_periods,
                                                    state="submitted").values("period_id")
                       .annotate(n=Count("pk")).values_list("period_id", "n"))
        for period in open_periods:
            if waiting.get(period.pk):
                tasks.append(Task("review", ngettext(
                    "%(count)s project follow-up of %(month)s/%(year)s waiting for your review",
                    "%(count)s project follow-ups of %(month)s/%(year)s waiting for your review", waiting[period.pk])
                    % {"count": waiting[period.pk], "month": period.month, "year": period.year},
                    reverse("monitoring:period-reports", args=[programme.slug, period.key])
                    + "#project-follow-ups-title", programme))
    return tasks


def _verification_tasks(user, programme) -> list[Task]:
    """Finance: the claimed realised savings of received reports that wait for verification."""
    if not perms.can_verify_savings(user, programme):
        return []
    count, amount = waiting_count(programme)
    if not count:
        return []
    from karki.core.templatetags.karki import meur

    return [Task("verify", ngettext("%(count)s realised saving (%(amount)s) waits for verification",
                                    "%(count)s realised savings (%(amount)s) wait for verification", count)
                 % {"count": count, "amount": meur(amount)},
                 reverse("monitoring:verification", args=[programme.slug]), programme)]


def _check_in_tasks(user, programme, version, today) -> list[Task]:
    """Key results the person owns, or that are linked to measures they own, without a check-in this month."""
    codes = list(Measure.objects.filter(version=version, owner=user).values_list("code", flat=True)) if version else []
    mine = Q(owner=user) | Q(measure_links__programme=programme, measure_links__measure_code__in=codes)
    first_of_month = today.replace(day=1)
    key_results = (KeyResult.objects.filter(objective__organisation_id=programme.organisation_id).filter(mine)
                   .annotate(last=Max("check_ins__date")).filter(Q(last__isnull=True) | Q(last__lt=first_of_month))
                   .select_related("objective__organisation").distinct().order_by("pk"))
    return [Task("check_in", _("Check in the key result “%(name)s”: no check-in this month yet")
                 % {"name": Truncator(str(kr)).chars(90)},
                 reverse("okr:key-result", args=[kr.objective.organisation.slug, kr.pk]), programme)
            for kr in key_results]


def _decision_tasks(user, programme, forecast, period) -> list[Task]:
    """A decision on basket B or C waits when the forecast misses the target at 80 % certainty and the
    basket's decision in force was taken before the latest reporting period opened (or never)."""
    if not perms.can_record_basket_decision(user, programme) or forecast.target_eur is None:
        return []
    gap = forecast.gap_at(80)
    if not gap:
        return []
    prepared = set(Measure.objects.filter(version=forecast.version, basket__in=("B", "C"))
                   .values_list("basket", flat=True))
    decided = latest_decisions(programme)
    waiting = [basket for basket in sorted(prepared)
               if basket not in decided or decided[basket].decided_on < period.opened_at.date()]
    if not waiting:
        return []
    from karki.core.templatetags.karki import meur

    return [Task("decision", _("A decision on basket %(baskets)s: the forecast misses the target by %(gap)s at 80 %% "
                               "certainty") % {"baskets": " / ".join(waiting), "gap": meur(gap)},
                 reverse("forecasts:baskets", args=[programme.slug]), programme)]
