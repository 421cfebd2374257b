"""The figures of a project's report to its funder for a window of months (rahoittajaraportti /
rapport till finansiären), read from karki/projects/reading.py so that they mean what the project's
pages mean:

- **Planned** is the sum of the budget lines (whole project). **Planned in the window** spreads each
  year's budget evenly over the project's months in that year and takes the window's months of it
  (budget lines are yearly; the funder asks for a period of months).
- **Spent in the window** is the follow-ups' actual costs of the window's months; **spent to date** those
  up to the window's last month; **remaining** = planned − spent to date.
- A funder's **spent share** is its part of all spending to date, set against its **allowed share** of
  the project's total cost.
- Milestones: those done in the window, and those late or at risk at the end of the window with the
  owner's reason (reading.standings, as of the window's last day).

`report_figures()` returns plain data in one language (the report's: labels and content in it, content
falling back fi → sv → en with the language it is written in), frozen as JSON with the issued report
(figures.freeze/thaw: `_eur` and `_pct` keys are Decimals, `_on` keys dates). The page, the PDF and the
Excel are all drawn from the frozen figures.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from karki.core.content import translated
from karki.lib import dates
from karki.monitoring.enums import TRAFFIC_LIGHT_ICONS, ReviewState, TrafficLight
from karki.programmes.enums import Direction, RiskCategory
from karki.projects import reading
from karki.projects.enums import CostType, FunderKind, ItemKind, MilestoneStatus, ProjectStatus
from karki.projects.models import ProjectIndicator, ProjectReport, ProjectRisk

from .figures import Data, _person

ZERO = Decimal("0")
Month = tuple[int, int]


def month_key(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def month_label(month: Month) -> str:
    return f"{month[1]}/{month[0]}"


def parse_month(text: str | None) -> Month | None:
    try:
        year, month = (int(part) for part in (text or "").split("-"))
    except ValueError:
        return None
    return (year, month) if 1 <= month <= 12 and 1900 < year < 2200 else None


def project_months(project) -> list[Month]:
    """Every month of the project, first to last."""
    months, year, month = [], project.start_date.year, project.start_date.month
    while (year, month) <= (project.end_date.year, project.end_date.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def default_window(project) -> tuple[Month, Month]:
    """From the project's start to the latest month with a follow-up (else this month, inside the project)."""
    first = (project.start_date.year, project.start_date.month)
    latest = (ProjectReport.objects.filter(project=project).order_by("-period__year", "-period__month")
              .values_list("period__year", "period__month").first())
    if latest is None:
        today = dates.today()
        latest = min((today.year, today.month), (project.end_date.year, project.end_date.month))
    return first, max(first, tuple(latest))


def month_end(month: Month) -> date:
    return date(month[0], month[1], calendar.monthrange(*month)[1])


def _text(obj, field: str, language: str) -> tuple[str, str]:
    text = translated(obj, field, language)
    return text.text, text.lang


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part * 100 / whole) if whole else None


def report_figures(project, first: Month, last: Month, *, language: str, by=None) -> Data:
    """The funder's report of `project` for the months first..last, in `language`."""
    with translation.override(language):
        return _figures(project, first, last, language, by)


def _figures(project, first: Month, last: Month, lang: str, by) -> Data:
    plan = reading.plan(project)
    upto = Data(year=last[0], month=last[1])
    money = reading.money(project, upto, planned=plan)
    window_spent = reading.spent_between(project, first, last)
    shares = {year: reading.window_share(project, year, first, last) for year in plan.years}

    def in_window(by_year: dict[int, Decimal]) -> Decimal:
        return sum((amount * shares.get(year, ZERO) for year, amount in by_year.items()), ZERO)

    planned_window = in_window(plan.by_year)
    spent_window = sum(window_spent.values(), ZERO)
    funders = plan.funders
    own_ids = {f.pk for f in funders if f.kind == FunderKind.OWN}

    name, name_lang = _text(project, "name", lang)
    organisation, organisation_lang = _text(project.organisation, "name", lang)
    programme, programme_lang = _text(project.programme, "name", lang) if project.programme else ("", lang)
    facts = Data(
        code=project.code, name=name, name_lang=name_lang, organisation=organisation,
        organisation_lang=organisation_lang, programme=programme, programme_lang=programme_lang,
        owner=_person(project.owner, project.owner_name),
        status=str(ProjectStatus(project.status).label),
        start_on=project.start_date, end_on=project.end_date,
        is_sample_data=project.is_sample_data,
    )
    for field in ("description", "goals", "expected_results"):
        facts[field], facts[f"{field}_lang"] = _text(project, field, lang)

    # -- funders: planned, spent, shares
    funder_rows = []
    for funder in funders:
        planned = plan.by_funder.get(funder.pk, ZERO)
        spent_to_date = money.spent_by_funder.get(funder.pk, ZERO)
        spent_in = sum((v for (_t, f), v in window_spent.items() if f == funder.pk), ZERO)
        spent_share = _pct(spent_to_date, money.spent_eur)
        fname, fname_lang = _text(funder, "name", lang)
        funder_rows.append(Data(
            code=funder.code, name=fname, name_lang=fname_lang, kind=funder.kind,
            kind_label=str(FunderKind(funder.kind).label), is_own=funder.kind == FunderKind.OWN,
            allowed_share_pct=funder.max_share_pct, planned_eur=planned,
            planned_share_pct=_pct(planned, plan.planned_eur), spent_window_eur=spent_in,
            spent_to_date_eur=spent_to_date, used_pct=_pct(spent_to_date, planned), spent_share_pct=spent_share,
            above_allowed=bool(funder.max_share_pct is not None and spent_share is not None
                               and spent_share > funder.max_share_pct),
        ))

    def split(rows, key):
        own = sum((r[key] for r in rows if r.is_own), ZERO)
        return sum((r[key] for r in rows), ZERO) - own, own

    grant_planned, own_planned = split(funder_rows, "planned_eur")
    grant_spent, own_spent = split(funder_rows, "spent_to_date_eur")
    grant_window, own_window = split(funder_rows, "spent_window_eur")
    funding = Data(
        grant_planned_eur=grant_planned, own_planned_eur=own_planned,
        grant_spent_window_eur=grant_window, own_spent_window_eur=own_window,
        grant_spent_eur=grant_spent, own_spent_eur=own_spent,
        grant_used_pct=_pct(grant_spent, grant_planned), own_used_pct=_pct(own_spent, own_planned),
        grant_share_planned_pct=_pct(grant_planned, plan.planned_eur),
        grant_share_spent_pct=_pct(grant_spent, money.spent_eur),
    )

    # -- costs by item of the structure (rolled up), with the grant and own-funding shares
    items = []
    for row in plan.rows:
        iname, iname_lang = _text(row.item, "name", lang)
        own = sum((v for f, v in row.by_funder.items() if f in own_ids), ZERO)
        items.append(Data(
            code=row.item.code, name=iname, name_lang=iname_lang, depth=row.depth,
            kind_label=str(ItemKind(row.item.kind).label), planned_eur=row.planned_eur,
            planned_window_eur=in_window(row.by_year),
            grant_eur=sum(row.by_funder.values(), ZERO) - own, own_eur=own,
            by_year=[Data(year=year, planned_eur=row.by_year.get(year, ZERO)) for year in plan.years],
        ))

    # -- costs by cost type: plan (whole, window), spent (window, to date), remaining
    cost_types = []
    for cost_type in CostType:
        planned = plan.by_cost_type.get(cost_type.value, ZERO)
        by_year = {y: a for (y, t), a in plan.by_year_cost_type.items() if t == cost_type.value}
        spent_to_date = money.spent_by_cost_type.get(cost_type.value, ZERO)
        spent_in = sum((v for (t, _f), v in window_spent.items() if t == cost_type.value), ZERO)
        if not (planned or spent_to_date):
            continue
        cost_types.append(Data(key=cost_type.value, label=str(cost_type.label), planned_eur=planned,
                               planned_window_eur=in_window(by_year), spent_window_eur=spent_in,
                               spent_to_date_eur=spent_to_date, remaining_eur=planned - spent_to_date,
                               used_pct=_pct(spent_to_date, planned)))

    # -- by year: plan with each funder's share
    by_year_funder = reading.planned_by_year_funder(project)
    years = []
    for year in plan.years:
        own = sum((v for (y, f), v in by_year_funder.items() if y == year and f in own_ids), ZERO)
        total_shares = sum((v for (y, _f), v in by_year_funder.items() if y == year), ZERO)
        years.append(Data(year=year, planned_eur=plan.by_year.get(year, ZERO), grant_eur=total_shares - own,
                          own_eur=own, window_share_pct=shares.get(year, ZERO) * 100))

    # -- milestones as of the window's last day
    start, end = date(first[0], first[1], 1), month_end(last)
    standings = reading.standings(project, upto, on=end)
    reached, attention, upcoming = [], [], 0
    for standing in standings:
        m = standing.milestone
        mname, mname_lang = _text(m, "name", lang)
        row = Data(code=m.code, name=mname, name_lang=mname_lang, due_on=m.due_date, done_on=standing.done_on,
                   status=standing.status, status_label=str(MilestoneStatus(standing.status).label),
                   reported=standing.reported, note=standing.note, owner=_person(m.owner, m.owner_name))
        if standing.status == MilestoneStatus.DONE:
            if standing.done_on and start <= standing.done_on <= end:
                reached.append(row)
        elif standing.needs_attention:
            attention.append(row)
        else:
            upcoming += 1
    milestones = Data(reached=reached, attention=attention, upcoming=upcoming, total=len(standings),
                      done=sum(1 for s in standings if s.status == MilestoneStatus.DONE))

    # -- indicators: the latest value up to the window's end against the target
    latest = reading.latest_indicator_values(project, end)
    indicators = []
    for indicator in ProjectIndicator.objects.filter(project=project).order_by("order", "code"):
        value = latest.get(indicator.pk)
        iname, iname_lang = _text(indicator, "name", lang)
        indicators.append(Data(
            code=indicator.code, name=iname, name_lang=iname_lang, unit=indicator.unit,
            direction=str(Direction(indicator.direction).label) if indicator.direction else "",
            baseline=_number(indicator.baseline_value), baseline_on=indicator.baseline_date,
            target=_number(indicator.target_value), deadline_on=indicator.deadline,
            latest=_number(value.value) if value else None, measured_on=value.measured_on if value else None,
        ))
        shown = [v for v in (indicators[-1].baseline, indicators[-1].latest, indicators[-1].target) if v]
        indicators[-1]["places"] = max((len(v.partition(".")[2]) for v in shown), default=0)

    # -- risks, the largest first
    risks = []
    for risk in ProjectRisk.objects.filter(project=project).select_related("owner"):
        title, title_lang = _text(risk, "title", lang)
        mitigation, mitigation_lang = _text(risk, "mitigation", lang)
        risks.append(Data(code=risk.code, title=title, title_lang=title_lang,
                          category=str(RiskCategory(risk.category).label) if risk.category in RiskCategory.values
                          else risk.category,
                          likelihood=risk.likelihood, impact=risk.impact, score=risk.score,
                          owner=_person(risk.owner, risk.owner_name), mitigation=mitigation,
                          mitigation_lang=mitigation_lang))
    risks.sort(key=lambda r: (-(r.score or 0), r.code))

    # -- the follow-ups of the window, in the words their writers used
    follow_ups = []
    for report in reading.reports_between(project, first, last):
        follow_ups.append(Data(
            period=month_label((report.period.year, report.period.month)), status=report.status,
            status_label=str(TrafficLight(report.status).label), icon=TRAFFIC_LIGHT_ICONS[TrafficLight(report.status)],
            narrative=report.narrative, obstacles=report.obstacles, text_lang=report.language,
            state_label=str(ReviewState(report.state).label), accepted=report.state == ReviewState.ACCEPTED,
        ))

    return Data(
        language=lang,
        window=Data(first=month_key(first), last=month_key(last),
                    label=f"{month_label(first)}–{month_label(last)}", start_on=start, end_on=end),
        project=facts,
        totals=Data(planned_eur=plan.planned_eur, planned_window_eur=planned_window, spent_window_eur=spent_window,
                    spent_to_date_eur=money.spent_eur, remaining_eur=money.remaining_eur,
                    used_pct=money.spent_pct, forecast_total_eur=money.forecast_total_eur,
                    forecast_is_owners=money.forecast_is_owners, window_used_pct=_pct(spent_window, planned_window)),
        funders=funder_rows, funding=funding, structure=items, cost_types=cost_types, years=years,
        milestones=milestones, indicators=indicators, risks=risks, follow_ups=follow_ups,
    )


def _number(value: Decimal | None) -> str | None:
    """An indicator's value as text without trailing zeros (kept as text: its unit is not euros)."""
    if value is None:
        return None
    normal = value.normalize()
    return format(normal, "f") if normal == normal.to_integral() else str(normal)


def headline(data: Data) -> str:
    """The answer first: what was spent in the window against its plan, and the grant's share of spending."""
    from karki.lib.formatting import format_eur, format_percent

    lang = data.language
    totals, funding = data.totals, data.funding
    sentence = _("In %(window)s the project spent %(spent)s against %(planned)s planned for the period; to date "
                 "%(to_date)s of %(total)s (%(pct)s).") % {
        "window": data.window.label, "spent": format_eur(totals.spent_window_eur, lang),
        "planned": format_eur(totals.planned_window_eur, lang), "to_date": format_eur(totals.spent_to_date_eur, lang),
        "total": format_eur(totals.planned_eur, lang),
        "pct": format_percent(totals.used_pct, lang) if totals.used_pct is not None else "–"}
    if funding.grant_share_spent_pct is not None:
        sentence += " " + _("The grants paid %(grant)s of the spending and own funding %(own)s.") % {
            "grant": format_percent(funding.grant_share_spent_pct, lang),
            "own": format_percent(100 - funding.grant_share_spent_pct, lang)}
    return sentence
