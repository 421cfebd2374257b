"""Writes of the monitoring: reporting periods, status reports, reviews. Views, the API, the demo
loader and management commands all call these."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from karki.accounts import permissions as perms
from karki.core.conflicts import NOT_YET_SAVED, StaleEdit, check_revision, display
from karki.lib import dates
from karki.programmes.enums import CostCategory, Recurrence
from karki.programmes.models import Measure, ProgrammeVersion

from .enums import RECEIVED_STATES, PeriodStatus, ReviewState, Verification
from .models import Period, RealisedSaving, StatusReport

# Change reasons of the history rows of a verification (the audit pages word them, karki/audit/history.py).
REOPENED = "claim changed after verification"
DECISION_REASONS = {Verification.VERIFIED: "verified", Verification.ADJUSTED: "verification adjusted",
                    Verification.REJECTED: "verification rejected"}

# Realised savings are reported in the detailed categories; "total" is for targets set from above.
REPORTED_CATEGORIES = [c for c in CostCategory if c != CostCategory.TOTAL]


def running_version(programme) -> ProgrammeVersion | None:
    """The version being run: the latest approved one."""
    return (ProgrammeVersion.objects.filter(programme=programme).approved().select_related("programme")
            .order_by("-number").first())


def reporting_measures(version):
    """The measures expected to report: basket A (B and C are prepared, not run, until activated)."""
    if version is None:
        return Measure.objects.none()
    return (Measure.objects.filter(version=version, basket="A")
            .select_related("version__programme", "target__theme__version__programme", "org_unit", "owner")
            .order_by("order", "code"))


@transaction.atomic
def open_period(*, programme, year: int, month: int, by) -> Period:
    if not perms.can_manage_periods(by, programme):
        raise PermissionDenied
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Give a month between 1 and 12.")}, code="invalid_month")
    existing = Period.objects.select_for_update().filter(programme=programme, year=year, month=month).first()
    if existing is not None:
        if existing.is_open:
            return existing
        existing.status, existing.closed_at, existing.closed_by = PeriodStatus.OPEN, None, None
        existing._history_user = by
        existing.save()
        return existing
    period = Period(programme=programme, year=year, month=month, opened_at=dates.now(), opened_by=by)
    period._history_user = by
    period.save()
    return period


@transaction.atomic
def close_period(*, period: Period, by) -> Period:
    if not perms.can_manage_periods(by, period.programme):
        raise PermissionDenied
    if period.is_open:
        period.status, period.closed_at, period.closed_by = PeriodStatus.CLOSED, dates.now(), by
        period._history_user = by
        period.save()
    return period


def previous_reports(period: Period, codes) -> dict[str, StatusReport]:
    """The latest earlier report of each measure code: what a new report's form starts from."""
    earlier = (StatusReport.objects.filter(period__programme_id=period.programme_id, measure_code__in=list(codes))
               .filter(period__in=Period.objects.up_to(period).exclude(pk=period.pk))
               .order_by("measure_code", "-period__year", "-period__month"))
    found: dict[str, StatusReport] = {}
    for report in earlier.select_related("period").only(
            "measure_code", "phase", "status", "narrative", "obstacles", "language", "escalation",
            "revised_expected_eur", "forecast_note", "confidence", "period__year", "period__month"):
        found.setdefault(report.measure_code, report)
    return found


def unchanged_report(previous: StatusReport) -> dict:
    """What "no change since last month" reports: the previous report's phase, status, obstacles,
    escalation and forecast, carried over as they stood. The narrative says what happened in the month,
    so it becomes a note that nothing changed since that report (copying last month's events would
    report them twice); realised savings are the month's own, so none are carried over."""
    period = previous.period
    return {
        "phase": previous.phase, "status": previous.status, "obstacles": previous.obstacles,
        "narrative": _("No change since the report of %(month)s/%(year)s.") % {"month": period.month,
                                                                              "year": period.year},
        "escalation": previous.escalation, "revised_expected_eur": previous.revised_expected_eur,
        "forecast_note": previous.forecast_note, "confidence": previous.confidence,
    }


# Bookkeeping of a report that says nothing to a person comparing what was saved.
_REPORT_HIDDEN_FIELDS = ("period", "measure", "measure_code")


class StaleReport(StaleEdit):
    """A report saved by someone else after the form was opened (or the API client read it), also when
    there was no report then. Besides the report's own fields it tells how the realised savings,
    which are rows of their own, changed."""

    def __init__(self, current, expected_revision: int):
        super().__init__(current, expected_revision, hidden_fields=_REPORT_HIDDEN_FIELDS)

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        rows = super().changes
        seen, later = self._records()
        if not later or (seen is None and self.expected_revision != NOT_YET_SAVED):
            return rows
        # Rows are known by their history id: a row whose recurrence was changed is the same row.
        then: dict[int, tuple[tuple[str, str], Decimal]] = {}
        if seen is not None:
            # The savings of the revision seen are those saved before the next revision was.
            for record in (RealisedSaving.history.filter(report_id=self.current.pk,
                                                         history_date__lt=later[0].history_date)
                           .order_by("history_date", "history_id")):
                if record.history_type == "-":
                    then.pop(record.id, None)
                else:
                    then[record.id] = ((record.category, record.recurrence), record.amount_eur)
        before = dict(then.values())
        now = {(row.category, row.recurrence): row.amount_eur
               for row in RealisedSaving.objects.filter(report_id=self.current.pk)}
        amount = RealisedSaving._meta.get_field("amount_eur")
        for key in saving_keys():
            if before.get(key) != now.get(key):
                rows.append((saving_label(*key), display(amount, before.get(key)), display(amount, now.get(key))))
        return rows


def saving_keys() -> list[tuple[str, str]]:
    """(cost category, recurrence) of every realised saving a report may carry, in the order shown."""
    return [(c.value, r.value) for c in REPORTED_CATEGORIES for r in Recurrence]


def saving_label(category: str, recurrence: str) -> str:
    """A realised saving in words, as the conflict and the history show it."""
    if recurrence == Recurrence.ONE_OFF:
        return _("Realised savings in the month: %(category)s, one-off") % {
            "category": CostCategory(category).label}
    return _("Realised savings in the month: %(category)s") % {"category": CostCategory(category).label}


def _stored_report(period: Period, code: str) -> StatusReport | None:
    return StatusReport.objects.filter(period=period, measure_code=code).first()


@transaction.atomic
def record_status_report(measure: Measure, *, period: Period, by, phase: str, status: str, narrative: str = "",
                         obstacles: str = "", language: str = "fi", escalation: bool = False,
                         revised_expected_eur: Decimal | None = None, forecast_note: str = "",
                         savings: dict | None = None, submit: bool = False,
                         expected_revision: int | None = None, confidence: int | None = None) -> StatusReport:
    """Save (and with `submit`, hand in) the report of `measure` for `period`. `savings` maps a cost
    category (a recurring saving) or a (cost category, recurrence) pair to its amount; savings not given
    are left as they are, one given as None or zero is removed.

    `expected_revision` is the revision of the report the person saw, `NOT_YET_SAVED` when they saw
    none: a report saved by someone else meanwhile is refused with `StaleReport` (nothing is saved).
    None checks nothing (the demo loader)."""
    if not perms.can_report_measure(by, measure):
        raise PermissionDenied
    if measure.version.programme_id != period.programme_id:
        raise ValidationError(_("The measure is not part of this programme."), code="wrong_programme")
    if not period.is_open:
        raise ValidationError(_("The reporting period %(period)s is closed; reports can no longer be changed.")
                              % {"period": period.key}, code="period_closed")
    report = _stored_report(period, measure.code)
    creating = report is None
    if report is not None:
        check_revision(report, expected_revision, stale_edit=StaleReport)
        if report.state == ReviewState.ACCEPTED:
            raise ValidationError(_("The report of %(code)s has been accepted and can no longer be changed.")
                                  % {"code": measure.code}, code="report_accepted")
        report.revision += 1
    else:
        report = StatusReport(period=period, measure_code=measure.code)
    report.measure = measure
    report.phase, report.status = phase, status
    report.narrative, report.obstacles, report.language = narrative or "", obstacles or "", language
    report.escalation = escalation
    report.revised_expected_eur, report.forecast_note = revised_expected_eur, forecast_note or ""
    report.confidence = confidence
    if submit:
        report.state, report.submitted_at, report.submitted_by = ReviewState.SUBMITTED, dates.now(), by
    elif report.state != ReviewState.RETURNED:
        report.state = report.state if report.state == ReviewState.SUBMITTED else ReviewState.DRAFT
    report.full_clean(exclude=["measure", "period", "submitted_by", "reviewed_by"], validate_unique=False,
                      validate_constraints=False)
    report._history_user = by
    if creating:
        _create(report, expected_revision)
    else:
        report.save()
    _save_savings(report, savings or {}, by=by)
    return report


def _create(report: StatusReport, expected_revision: int | None) -> None:
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Someone else's save made the report between the look-up and this insert: theirs stays.
        stored = _stored_report(report.period, report.measure_code)
        if stored is None:
            raise
        raise StaleReport(stored, NOT_YET_SAVED if expected_revision is None else expected_revision) from None


def _save_savings(report: StatusReport, savings: dict, *, by) -> None:
    current = {(s.category, s.recurrence): s for s in report.savings.all()}
    wanted: dict[tuple[str, str], Decimal | None] = {}
    for key, amount in savings.items():
        category, recurrence = key if isinstance(key, tuple) else (key, Recurrence.RECURRING)
        if category not in REPORTED_CATEGORIES:
            raise ValidationError(_("Unknown cost category: %(category)s.") % {"category": category},
                                  code="invalid_category")
        if recurrence not in Recurrence.values:
            raise ValidationError(_("Choose recurring or one-off, not %(value)s.") % {"value": recurrence},
                                  code="invalid_recurrence")
        wanted[(category, recurrence)] = None if amount in (None, Decimal("0")) else amount
    # A saving moved from recurring to one-off (or back) within its cost category is the same claim with its
    # recurrence changed, not a new one: it keeps its history, and a decided one goes back to finance.
    moved = set()
    for (category, recurrence), amount in wanted.items():
        other = (category, Recurrence.ONE_OFF if recurrence == Recurrence.RECURRING else Recurrence.RECURRING)
        if amount is not None and (category, recurrence) not in current and other in current \
                and other in wanted and wanted[other] is None:
            row = current.pop(other)
            row.recurrence = recurrence
            current[(category, recurrence)] = row
            moved.add((category, recurrence))
    for key, amount in wanted.items():
        row = current.get(key)
        if amount is None:
            if row is not None:
                row._history_user = by
                row.delete()
            continue
        if row is None:
            row = RealisedSaving(report=report, category=key[0], recurrence=key[1])
        elif row.amount_eur == amount and key not in moved:
            continue
        else:
            row.revision += 1
            if row.verification != Verification.CLAIMED:
                _reopen(row)
        row.amount_eur = amount
        row._history_user = by
        row.save()


def _reopen(saving: RealisedSaving) -> None:
    """A claim changed after finance decided on it is a new claim: back to waiting for verification, with
    what finance had verified kept beside it (a controller would not accept a verification that silently
    covers an amount they never saw; refusing the owner's correction would keep a wrong claim instead)."""
    saving.previously_verified_eur = saving.verified_amount_eur
    saving.verification, saving.verified_amount_eur = Verification.CLAIMED, None
    saving.verification_reason, saving.verified_by, saving.verified_at = "", None, None
    saving._change_reason = REOPENED


@transaction.atomic
def review_report(report: StatusReport, *, by, accept: bool, comment: str = "",
                  expected_revision: int | None = None) -> StatusReport:
    """Accept a submitted report, or return it to its owner with a comment."""
    if not perms.can_review_reports(by, report.period.programme):
        raise PermissionDenied
    check_revision(report, expected_revision)
    report.refresh_from_db()
    if report.state not in (ReviewState.SUBMITTED, ReviewState.ACCEPTED):
        raise ValidationError(_("Only submitted reports are reviewed."), code="not_submitted")
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"review_comment": _("Say what should be corrected when you return a report.")},
                              code="comment_required")
    report.state = ReviewState.ACCEPTED if accept else ReviewState.RETURNED
    report.review_comment, report.reviewed_at, report.reviewed_by = comment, dates.now(), by
    report.revision += 1
    report._history_user = by
    report.save()
    if not accept:
        from .reminders import notify_returned

        transaction.on_commit(lambda: notify_returned(report))
    return report


# -- Verification of realised savings by finance ----------------------------------------------------------


class StaleSaving(StaleEdit):
    """The claim changed (or another person in finance decided on it) after the page was opened."""

    def __init__(self, current, expected_revision: int):
        super().__init__(current, expected_revision, hidden_fields=("report", "category", "recurrence"))


@transaction.atomic
def verify_saving(saving: RealisedSaving, *, by, decision: str, amount: Decimal | None = None, reason: str = "",
                  expected_revision: int | None = None) -> RealisedSaving:
    """Finance's decision on a claimed realised saving: `verified` (the claimed amount), `adjusted` (another
    amount, with a reason) or `rejected` (with a reason; counts as zero). A decision may be changed later
    by a new one; each is a history row with the person and the time.

    `expected_revision` is the revision of the saving the person saw: a claim changed meanwhile (or
    decided by someone else) is refused with `StaleSaving` and nothing is saved."""
    saving = (RealisedSaving.objects.select_related("report__period__programme", "report__measure")
              .get(pk=saving.pk))
    if not perms.can_verify_savings(by, saving.report.period.programme):
        raise PermissionDenied
    if perms.owns_claim(by, saving):
        raise ValidationError(_("You reported this saving yourself or own the measure: another person in "
                                "finance verifies it."), code="own_claim")
    check_revision(saving, expected_revision, stale_edit=StaleSaving)
    if saving.report.state not in RECEIVED_STATES:
        raise ValidationError(_("The report of %(code)s has not been handed in: its savings are verified once "
                                "it is.") % {"code": saving.report.measure_code}, code="not_submitted")
    if decision not in (Verification.VERIFIED, Verification.ADJUSTED, Verification.REJECTED):
        raise ValidationError(_("Choose verify, adjust or reject."), code="invalid_decision")
    reason = (reason or "").strip()
    if decision == Verification.ADJUSTED:
        errors = {}
        if amount is None:
            errors["amount"] = _("Give the amount finance verifies.")
        if not reason:
            errors["reason"] = _("Say why the verified amount differs from the claim.")
        if errors:
            raise ValidationError(errors, code="adjust_incomplete")
        if amount == saving.amount_eur:
            decision = Verification.VERIFIED  # the claim as it stands: nothing was adjusted
    elif decision == Verification.REJECTED:
        if not reason:
            raise ValidationError({"reason": _("Say why the saving is rejected.")}, code="reason_required")
        amount = Decimal("0")
    else:
        amount = saving.amount_eur
    saving.verification, saving.verified_amount_eur = decision, amount
    saving.verification_reason = reason
    saving.verified_by, saving.verified_at = by, dates.now()
    saving.previously_verified_eur = None
    saving.revision += 1
    saving._history_user = by
    saving._change_reason = DECISION_REASONS[Verification(decision)]
    saving.save()
    return saving


@dataclass
class BulkResult:
    verified: list[RealisedSaving]
    changed: int  # claims changed (or decided) by someone else since the page was shown: left for a look


@transaction.atomic
def verify_savings(items: list[tuple[RealisedSaving, int]], *, by) -> BulkResult:
    """Verify many claims as claimed ("verify all shown"): each (saving, revision seen) is verified only if
    it still is the claim that was shown and still waits; the others are left as they are and counted."""
    verified, changed = [], 0
    for saving, revision in items:
        if perms.owns_claim(by, saving):
            continue  # the page never offers them; another person in finance verifies them
        try:
            with transaction.atomic():
                current = RealisedSaving.objects.select_for_update().get(pk=saving.pk)
                if current.revision != revision or current.verification != Verification.CLAIMED:
                    changed += 1
                    continue
                verified.append(verify_saving(current, by=by, decision=Verification.VERIFIED,
                                              expected_revision=revision))
        except (StaleSaving, RealisedSaving.DoesNotExist):
            changed += 1
    return BulkResult(verified, changed)
