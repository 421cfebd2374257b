from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from karki.accounts import permissions as perms
from karki.core.conflicts import NOT_YET_SAVED
from karki.core.content import Text, translated
from karki.core.forms import MoneyField, apply_errors
from karki.figures import read as figures
from karki.forecasts.inputs import ForecastUnavailable
from karki.lib.formatting import format_eur
from karki.programmes.enums import Recurrence

from . import reminders, services
from .charts import bar_charts
from .enums import TRAFFIC_LIGHT_ICONS, Phase, ReviewState, TrafficLight
from .forms import (
    PeriodOpenForm,
    ReviewForm,
    StatusReportForm,
    VerificationFilterForm,
    VerificationForm,
    saving_field,
)
from .models import Period, RealisedSaving, Reminder, StatusReport
from .permissions import (
    get_monitored_programme,
    get_period,
    get_report_for_user,
    get_saving,
    get_verification_programme,
)
from .verification import Filters, listed, overview, period_choices, root_units


def _context(request, programme, **extra) -> dict:
    return {"programme": programme, "nav": "programmes",
            "can_manage_periods": perms.can_manage_periods(request.user, programme),
            "can_review": perms.can_review_reports(request.user, programme),
            "can_see_verification": perms.can_view_verification(request.user, programme), **extra}


@login_required
def status_page(request, slug: str):
    programme = get_monitored_programme(request, slug)
    periods = list(Period.objects.filter(programme=programme).order_by("-year", "-month"))
    if not periods:
        return render(request, "monitoring/status.html", _context(request, programme, picture=None, periods=[]))
    period = get_period(programme, request.GET.get("period"))
    picture = figures.status_picture(programme, period)
    lang = get_language()
    # The target is a yearly level: its line belongs on the chart of each year's savings, not on the
    # running sum's (docs/decisions.md).
    target_label = _("Yearly target for %(year)s:") % {"year": picture.target_year}
    charts = {
        "years": bar_charts([(str(r.year), [r.planned_eur, r.realised_eur]) for r in picture.by_year], lang,
                           marker=(target_label, picture.target_eur)),
        "cumulative": bar_charts([(str(r.year), [r.planned_cumulative_eur, r.realised_cumulative_eur])
                                 for r in picture.by_year], lang),
        "themes": bar_charts([(str(r.label), [r.planned_eur, r.realised_eur]) for r in picture.by_theme], lang),
        "units": bar_charts([(str(r.label), [r.planned_eur, r.realised_eur]) for r in picture.by_org_unit], lang),
        "categories": bar_charts([(r.label, [r.planned_eur, r.realised_eur]) for r in picture.by_category], lang),
    }
    status_rows = [(TrafficLight(k), TRAFFIC_LIGHT_ICONS[TrafficLight(k)], n) for k, n in picture.status_counts.items()]
    phase_rows = [(Phase(k), n) for k, n in picture.phase_counts.items()]
    try:
        forecast = figures.forecast(picture.version, period=period) if picture.version else None
    except ForecastUnavailable:  # the forecast page says why; the status picture stands without it
        forecast = None
    return render(request, "monitoring/status.html", _context(
        request, programme, picture=picture, period=period, periods=periods, charts=charts,
        status_rows=status_rows, phase_rows=phase_rows, forecast=forecast,
        projects=figures.projects(programme, period)))


@login_required
@require_http_methods(["GET", "POST"])
def period_list(request, slug: str):
    programme = get_monitored_programme(request, slug, manage=request.method == "POST")
    form = PeriodOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year, month = form.cleaned_data["period"]
        try:
            period = services.open_period(programme=programme, year=year, month=month, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Reporting period %(period)s is open.") % {"period": period.key})
            return redirect("monitoring:period-list", slug=slug)
    periods = Period.objects.filter(programme=programme).select_related("opened_by", "closed_by").order_by(
        "-year", "-month")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "monitoring/periods.html", _context(request, programme, periods=periods, form=form),
                  status=status)


@login_required
@require_POST
def period_close(request, slug: str, period: str):
    programme = get_monitored_programme(request, slug, manage=True)
    services.close_period(period=get_period(programme, period), by=request.user)
    messages.success(request, _("Reporting period %(period)s is closed.") % {"period": period})
    return redirect("monitoring:period-list", slug=slug)


@login_required
def period_reports(request, slug: str, period: str):
    """Reports of the period and who has not reported, by org unit and owner."""
    programme = get_monitored_programme(request, slug)
    period_obj = get_period(programme, period)
    picture = figures.status_picture(programme, period_obj)
    reports = (StatusReport.objects.filter(period=period_obj).select_related("submitted_by")
               .order_by("measure_code"))
    can_remind = perms.can_send_reminders(request.user, programme)
    # The projects followed in the programme: their follow-ups of the period, reviewed here as well.
    projects = figures.projects(programme, period_obj)
    return render(request, "monitoring/period_reports.html", _context(
        request, programme, period=period_obj, picture=picture, reports=reports,
        icons=TRAFFIC_LIGHT_ICONS, can_remind=can_remind and period_obj.is_open, projects=projects,
        can_review_projects=perms.can_add_project(request.user, programme.organisation),
        plan=reminders.reminder_plan(picture.missing, reminders.missing_follow_ups(period_obj))
        if can_remind else None,
        reminders_sent=(Reminder.objects.filter(period=period_obj).select_related("recipient", "sent_by")
                        .order_by("-sent_on", "-sent_at", "recipient__username") if can_remind else [])))


@login_required
@require_POST
def period_remind(request, slug: str, period: str):
    """The programme office reminds the owners who have not reported, with the same e-mails (and the
    same once-a-day rule) as the scheduled `send_report_reminders` command."""
    programme = get_monitored_programme(request, slug)
    if not perms.can_send_reminders(request.user, programme):
        raise PermissionDenied
    period_obj = get_period(programme, period)
    try:
        result = reminders.send_reminders(periods=[period_obj], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if result.sent:
            messages.success(request, ngettext(
                "A reminder was e-mailed to %(count)s person.", "Reminders were e-mailed to %(count)s people.",
                result.sent) % {"count": result.sent})
        if result.already_today:
            messages.info(request, ngettext(
                "%(count)s person had already been reminded today and got no second e-mail.",
                "%(count)s people had already been reminded today and got no second e-mail.",
                result.already_today) % {"count": result.already_today})
        if result.failed:
            messages.error(request, ngettext(
                "%(count)s person could not be reached: the mail server did not take the reminder. Press the "
                "button again later; nobody already reminded today gets a second e-mail.",
                "%(count)s people could not be reached: the mail server did not take the reminders. Press the "
                "button again later; nobody already reminded today gets a second e-mail.",
                len(result.failed)) % {"count": len(result.failed)})
        if not result.sent and not result.already_today and not result.failed:
            messages.info(request, _("Nobody was reminded: no missing report has an owner with an e-mail address."))
    return redirect("monitoring:period-reports", slug=slug, period=period_obj.key)


def _needs_saving(form, submit: bool, *, only_changed: bool = False) -> bool:
    """A filled-in form is saved unless it is a report already in that state that nobody changed:
    submitting the page again does not re-submit every untouched report. With `only_changed` (another
    row's "no change" button was pressed) only rows the person typed in are saved."""
    if not form.is_filled():
        return False
    if only_changed:
        return form.has_changed()
    report = form.report
    if report is None or form.has_changed():
        return True
    return submit and report.state in (ReviewState.DRAFT, ReviewState.RETURNED)


@login_required
@require_http_methods(["GET", "POST"])
def report_batch(request, slug: str, period: str):
    """All the measures the user reports on as a grid, one row (a fieldset) each with its details closed
    until needed, pre-filled from the previous report, saved with one button or reported unchanged
    since last month with a row's own. A refused row keeps what was typed and shows its errors next to
    it; then nothing of the page is saved, so that the person corrects and saves once more."""
    programme = get_monitored_programme(request, slug)
    period_obj = get_period(programme, period)
    version = services.running_version(programme)
    measures = [m for m in services.reporting_measures(version) if perms.can_report_measure(request.user, m)]
    if request.GET.get("measure"):
        measures = [m for m in measures if m.code == request.GET["measure"]]
    if not measures:
        raise PermissionDenied
    themes = _report_themes(measures)
    # A person reporting on many measures (the programme office) gets one theme at a time, so that the
    # page stays usable and its form within the number of fields a request may carry.
    one_at_a_time = len(measures) > BATCH_PAGE_MEASURES and len(themes) > 1
    theme = request.GET.get("theme")
    if theme not in {t["code"] for t in themes}:
        theme = themes[0]["code"] if one_at_a_time else ""
    if theme:
        measures = [m for m in measures if m.target.theme.code == theme]
    codes = [m.code for m in measures]
    current = {r.measure_code: r for r in StatusReport.objects.filter(period=period_obj, measure_code__in=codes)
               .prefetch_related("savings")}
    previous = services.previous_reports(period_obj, codes)
    # "No change since last month" is offered while this month's report is still to be written; a report
    # handed in is changed in its fields, so that one press cannot replace what was written this month.
    offered = {code for code in previous if period_obj.is_open
               and (code not in current or current[code].state == ReviewState.DRAFT)}
    data = request.POST or None
    # Pressed on a row: that row takes the previous report's values and is handed in; rows typed in are
    # saved with it as drafts, all or nothing as with the page's own buttons.
    unchanged = request.POST.get("same_as_last", "") if request.method == "POST" else ""
    if unchanged not in offered:
        unchanged = ""
    if unchanged:
        data = _with_unchanged_row(request.POST, unchanged, previous[unchanged])
    forms = []
    for measure in measures:
        report = current.get(measure.code)
        source = report or previous.get(measure.code)
        initial = {}
        if source is not None:
            initial = {name: getattr(source, name) for name in ("phase", "status", "narrative", "obstacles",
                                                                 "escalation", "revised_expected_eur",
                                                                 "forecast_note", "confidence")}
        # The revision of the report the page shows, or "no report yet": a report someone else hands in
        # while the page is open is then refused instead of replaced by this page's pre-fill.
        initial["revision"] = report.revision if report is not None else NOT_YET_SAVED
        if report is not None:
            initial.update({saving_field(s.category, s.recurrence): s.amount_eur for s in report.savings.all()})
        form = StatusReportForm(data, prefix=measure.code, initial=initial, measure=measure)
        form.report = report
        form.prefilled_from = None if report is not None else previous.get(measure.code)
        form.previous = previous.get(measure.code)
        form.locked = not period_obj.is_open or (report is not None and report.state == ReviewState.ACCEPTED)
        if form.locked:
            for field in form.fields.values():
                field.disabled = True
        form.offer_unchanged = measure.code in offered
        forms.append(form)
    if request.method == "POST":
        if not period_obj.is_open:
            raise PermissionDenied
        submit = request.POST.get("action") == "submit"
        editable = [f for f in forms if not f.locked]
        # A row's button (even one no longer offered) saves only what was typed, never the whole pre-fill.
        row_action = "same_as_last" in request.POST
        valid = [f.is_valid() for f in editable]  # every row, so that every row shows its errors
        if all(valid):
            saved, refused = 0, False
            with transaction.atomic():
                for form in editable:
                    is_unchanged = form.measure.code == unchanged
                    if not is_unchanged and not _needs_saving(form, submit, only_changed=row_action):
                        continue
                    try:
                        with transaction.atomic():
                            services.record_status_report(form.measure, period=period_obj, by=request.user,
                                                          language=get_language(),
                                                          submit=submit or is_unchanged, **form.payload())
                    except ValidationError as error:
                        apply_errors(form, error)
                        refused = True
                    else:
                        saved += 1
                if refused:
                    transaction.set_rollback(True)
            if not refused:
                url = reverse("monitoring:report-batch", kwargs={"slug": slug, "period": period_obj.key})
                url = f"{url}?theme={theme}" if theme else url
                if unchanged:
                    earlier = previous[unchanged].period
                    messages.success(request, _("%(code)s reported with no change since %(month)s/%(year)s and "
                                                "submitted to the programme office.") % {
                        "code": unchanged, "month": earlier.month, "year": earlier.year})
                    if saved > 1:
                        messages.success(request, ngettext(
                            "%(count)s other report saved as a draft.", "%(count)s other reports saved as drafts.",
                            saved - 1) % {"count": saved - 1})
                    return redirect(url)  # the message on top says what was done; the row shows it handed in
                if not saved:
                    messages.info(request, _("Nothing was saved: no report was filled in or changed."))
                elif submit:
                    messages.success(request, ngettext("%(count)s report submitted.", "%(count)s reports submitted.",
                                                       saved) % {"count": saved})
                else:
                    messages.success(request, ngettext("%(count)s report saved as a draft.",
                                                       "%(count)s reports saved as drafts.", saved) % {"count": saved})
                return redirect(url)
    status = 400 if any(f.is_bound and f.errors for f in forms) else 200
    return render(request, "monitoring/report_batch.html", _context(
        request, programme, period=period_obj, forms=forms, icons=TRAFFIC_LIGHT_ICONS,
        has_errors=status == 400, themes=themes if len(themes) > 1 else [], theme=theme,
        without_report=sum(1 for f in forms if f.report is None),
        offer_all=not one_at_a_time), status=status)


def _with_unchanged_row(post, code: str, previous: StatusReport):
    """The page as posted, with the row of `code` holding what "no change since last month" reports; its
    realised savings stay as typed (none unless given)."""
    data = post.copy()
    for name, value in services.unchanged_report(previous).items():
        key = f"{code}-{name}"
        if name == "escalation":
            if value:
                data[key] = "on"
            else:
                data.pop(key, None)
        elif name == "revised_expected_eur":
            data[key] = MoneyField().prepare_value(value)
        else:
            data[key] = "" if value is None else str(value)
    return data


# Above this many measures, the report page shows one theme at a time (about 21 fields a measure).
BATCH_PAGE_MEASURES = 40


def _report_themes(measures) -> list[dict]:
    """The themes of the measures a person reports on, in programme order, with how many each has."""
    found: dict[str, dict] = {}
    for measure in measures:
        theme = measure.target.theme
        entry = found.setdefault(theme.code, {"code": theme.code, "theme": theme, "count": 0})
        entry["count"] += 1
    return sorted(found.values(), key=lambda t: (t["theme"].order, t["theme"].code))


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request, slug: str, period: str, code: str):
    programme = get_monitored_programme(request, slug)
    period_obj = get_period(programme, period)
    report = get_report_for_user(request, period_obj, code, review=True)
    form = ReviewForm(request.POST or None, initial={"revision": report.revision,
                                                    "review_comment": report.review_comment})
    if request.method == "POST" and form.is_valid():
        accept = request.POST.get("action") == "accept"
        try:
            services.review_report(report, by=request.user, accept=accept,
                                   comment=form.cleaned_data["review_comment"],
                                   expected_revision=form.cleaned_data.get("revision"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if accept:
                messages.success(request, _("Report of %(code)s accepted.") % {"code": code})
            else:
                messages.success(request, _("Report of %(code)s returned to the reporter.") % {"code": code})
            return redirect("monitoring:period-reports", slug=slug, period=period_obj.key)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "monitoring/review.html", _context(
        request, programme, period=period_obj, report=report, form=form, icons=TRAFFIC_LIGHT_ICONS,
        conflict=getattr(form, "conflict", None)), status=status)


# -- Verification of realised savings by finance ----------------------------------------------------------

VERIFICATION_PAGE_ROWS = 50


def _verification_filters(request, programme):
    units, roots = root_units(programme)
    form = VerificationFilterForm(request.GET or None, periods=period_choices(programme),
                                  units=[(u.pk, str(translated(u, "name"))) for u in roots])
    data = form.chosen()
    filters = Filters(period=data.get("period") or "", category=data.get("category") or "", unit=data.get("unit"),
                      show=data.get("show") or "waiting", kind=data.get("kind") or "")
    return form, filters, units


def _filter_query(filters: Filters, page: int | None = None) -> str:
    """The filters as they stand in the address, to come back to the same rows after an action."""
    params = {"period": filters.period, "category": filters.category, "kind": filters.kind,
              "unit": filters.unit or "", "show": "" if filters.show == "waiting" else filters.show,
              "page": page if page and page > 1 else ""}
    return urlencode({key: value for key, value in params.items() if value})


@login_required
def verification(request, slug: str):
    """Finance's list of realised savings that wait for verification, with claimed against verified by cost
    category and org unit, a decision per row and "verify all shown"."""
    programme = get_verification_programme(request, slug)
    form, filters, units = _verification_filters(request, programme)
    summary = overview(programme, filters, units)
    page = Paginator(listed(programme, filters, units), VERIFICATION_PAGE_ROWS).get_page(request.GET.get("page"))
    can_verify = perms.can_verify_savings(request.user, programme)
    rows = []
    for saving in page.object_list:
        saving.own = perms.owns_claim(request.user, saving)
        name = translated(saving.report.measure, "name")  # the whole name is on the claim's own page
        saving.short_name = Text(Truncator(name.text).words(10), name.lang, name.is_fallback)
        rows.append(saving)
    bulk = [s for s in rows if s.verification == "claimed" and not s.own] if can_verify else []
    query = _filter_query(filters, page.number)
    return render(request, "monitoring/verification.html", _context(
        request, programme, form=form, filters=filters, summary=summary, page=page, rows=rows,
        can_verify=can_verify, bulk=bulk, bulk_eur=sum((s.amount_eur for s in bulk), Decimal("0")),
        query=query, page_query=_filter_query(filters),
        # How much of the claimed is one-off, when some is and not all of it (the kind filter says that).
        show_one_off=bool(summary.total.one_off_count) and not filters.kind,
        one_off_query=_filter_query(replace(filters, kind=Recurrence.ONE_OFF)),
        all_kinds_query=_filter_query(replace(filters, kind=""))))


@login_required
@require_http_methods(["GET", "POST"])
def verification_saving(request, slug: str, pk: int):
    """One claim with finance's decision form (also where a refused decision is shown again)."""
    programme = get_verification_programme(request, slug, verify=request.method == "POST")
    saving = get_saving(programme, pk)
    back = request.POST.get("back") or request.GET.get("back") or ""
    form = VerificationForm(request.POST or None, initial={"revision": saving.revision,
                                                           "amount": saving.verified_amount_eur,
                                                           "reason": saving.verification_reason})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.verify_saving(saving, by=request.user, decision=data["decision"], amount=data["amount"],
                                   reason=data["reason"], expected_revision=data.get("revision"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            done = {"verified": _("%(code)s %(month)s/%(year)s, %(category)s: verified."),
                    "adjusted": _("%(code)s %(month)s/%(year)s, %(category)s: verified with another amount."),
                    "rejected": _("%(code)s %(month)s/%(year)s, %(category)s: rejected.")}
            saving.refresh_from_db()
            period = saving.report.period
            messages.success(request, done[saving.verification] % {
                "code": saving.report.measure_code, "month": period.month, "year": period.year,
                "category": saving.get_category_display()})
            url = reverse("monitoring:verification", args=[slug])
            return redirect(f"{url}?{back}" if back else url)
    history = (RealisedSaving.history.filter(id=saving.pk).select_related("history_user")
               .order_by("-history_date", "-history_id"))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "monitoring/verification_saving.html", _context(
        request, programme, saving=saving, form=form, back=back, history=history,
        can_verify=perms.can_verify_savings(request.user, programme),
        own=perms.owns_claim(request.user, saving), conflict=getattr(form, "conflict", None)), status=status)


@login_required
@require_POST
def verification_bulk(request, slug: str):
    """"Verify all shown": a confirmation that states what happens, then every claim shown that is still
    the claim shown is verified as claimed; claims changed meanwhile are left and counted."""
    programme = get_verification_programme(request, slug, verify=True)
    back = request.POST.get("back", "")
    wanted: dict[int, int] = {}
    for item in request.POST.getlist("item"):
        pk, _sep, revision = item.partition(":")
        if pk.isdigit() and revision.isdigit():
            wanted[int(pk)] = int(revision)
    savings = list(RealisedSaving.objects.for_programme(programme).filter(pk__in=wanted).select_related(
        "report__period", "report__measure").order_by("report__period__year", "report__period__month",
                                                      "report__measure_code", "category"))
    url = reverse("monitoring:verification", args=[slug])
    url = f"{url}?{back}" if back else url
    if not savings:
        messages.info(request, _("Nothing was verified: no claim was shown."))
        return redirect(url)
    if request.POST.get("confirm") != "yes":
        return render(request, "monitoring/verification_bulk.html", _context(
            request, programme, savings=savings, wanted=wanted, back=back,
            total=sum((s.amount_eur for s in savings), Decimal("0"))))
    result = services.verify_savings([(s, wanted[s.pk]) for s in savings], by=request.user)
    if result.verified:
        messages.success(request, ngettext(
            "%(count)s realised saving verified as claimed, together %(amount)s.",
            "%(count)s realised savings verified as claimed, together %(amount)s.", len(result.verified)) % {
            "count": len(result.verified),
            "amount": format_eur(sum((s.amount_eur for s in result.verified), Decimal("0")), get_language())})
    if result.changed:
        messages.warning(request, ngettext(
            "%(count)s claim was changed or decided by someone else after the page was shown and was left as "
            "it is: look at it again below.",
            "%(count)s claims were changed or decided by someone else after the page was shown and were left "
            "as they are: look at them again below.", result.changed) % {"count": result.changed})
    return redirect(url)
