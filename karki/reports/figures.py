"""The figures every report of a period is made from: the status picture (monitoring/status.py) with
the forecast, management's basket decisions, the measures' phases and the risks, in one structure.

`report_figures()` reads them (in the active language: labels and names come out translated) and
returns plain data — dicts, lists, strings, ints, floats and Decimals — so that the same figures can be
frozen as JSON in an issued council report (`freeze`) and read back exactly (`thaw`). The slide deck,
the Excel file and the council PDF are all drawn from this one structure, which is why they agree with
each other, with the status page and with the forecast page.

Keys ending in `_eur` (euros) or `_pct` (per cent) hold Decimals and keys ending in `_on` dates; frozen,
they are strings. Probabilities (`probability`) are floats from 0 to 1, as the forecast gives them.

The target is a yearly savings level to reach in the target year (docs/decisions.md): it is compared with
a year's savings (`realised_year_eur`, `planned_year_eur`, the forecast of the target year), while
`realised_total_eur` and `planned_to_date_eur` are the running sums. Realised savings are those the measure
owners claimed; `verified_year_eur` and `verified_total_eur` are what finance verified of them (reports
issued before verification existed lack these keys, and their text says nothing about verification).

`books` is savings in the books (karki/books/reconciliation.py) of the period's year up to its month, by
cost category: None when no books are imported for the period's year or a year before it (a report issued
before the books existed in Kärki has no `books` key either). Its figures are the reconciliation page's,
frozen with the report, so a later import of the books does not change an issued report.

The forecast is the Monte Carlo forecast of karki/forecasts, run for the running version and the period
with the forecast page's draws and seed, so that its figures are the page's; the owners' revised
forecasts in their status reports are inside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.translation import gettext as _

from karki.books.enums import CATEGORY_PARENT
from karki.books.reconciliation import UNMAPPED, available_years, reconcile
from karki.core.content import LANGUAGE_IN, active_language, translated
from karki.figures import read as figures
from karki.forecasts import assumptions
from karki.forecasts.baskets import basket_decisions, basket_plan, contingency
from karki.forecasts.inputs import ForecastUnavailable
from karki.lib import dates
from karki.monitoring.enums import RECEIVED_STATES, TRAFFIC_LIGHT_ICONS, Phase, TrafficLight
from karki.monitoring.models import Period, StatusReport
from karki.monitoring.status import relabelled, share_of_target
from karki.programmes.enums import CostCategory, RiskCategory
from karki.programmes.models import Measure, Risk

ZERO = Decimal("0")
DECIMAL_SUFFIXES = ("_eur", "_pct")
DATE_SUFFIXES = ("_on",)


class Data(dict):
    """A dict whose keys also read as attributes (figures.forecast.planned_eur), in Python and templates."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _person(user, written: str = "") -> str:
    if user is not None:
        return user.get_full_name() or user.get_username()
    return written or ""


def period_label(period: Period) -> str:
    return f"{period.month}/{period.year}"


@dataclass
class Reading:
    """What the reports of a period are made from, read (and the forecast run) once; `_labelled` writes it
    out in a language. Names, labels and the languages they are written in come from these objects."""

    programme: object
    period: Period
    picture: object  # monitoring.status.StatusPicture
    measures: list
    reports: dict
    texts: dict
    forecast: tuple | None  # (the forecast, the basket plans, the plan at the default certainty)
    decisions: list
    risks: list
    books: object | None  # books.reconciliation.Reconciliation with books, or None
    produced_at: str
    produced_by: str
    on: date


def report_figures(programme, period: Period, *, by=None, on: date | None = None) -> Data:
    """Everything the reports of `period` show, in the active language. `on` is the report's date (today
    when not given): management's basket decisions are those made up to that day."""
    return _labelled(read_figures(programme, period, by=by, on=on), active_language())


def report_figures_in(languages, programme, period: Period, *, by=None, on: date | None = None) -> dict[str, Data]:
    """The figures of `report_figures()` read and computed once and written out in each of `languages` (a
    council report issued in Finnish and Swedish): the languages show the very same figures, whatever is
    saved meanwhile, and the forecast runs once."""
    reading = read_figures(programme, period, by=by, on=on)
    figures = {}
    for language in languages:
        with translation.override(language):
            figures[language] = _labelled(reading, active_language())
    return figures


def read_figures(programme, period: Period, *, by=None, on: date | None = None) -> Reading:
    on = on or dates.today()
    picture = figures.status_picture(programme, period)
    version = picture.version

    measures = []
    if version is not None:
        measures = list(Measure.objects.filter(version=version, basket="A").only(
            "code", "name", "name_fi", "name_sv", "name_en", "order", "version_id").order_by("order", "code"))

    # This period's received reports: phase and status of each measure (the council report compares them).
    reports = {code: (phase, status) for code, phase, status in StatusReport.objects.filter(
        period=period, state__in=RECEIVED_STATES).values_list("measure_code", "phase", "status")}
    escalated = {r.measure_code for r in picture.escalations}
    texts = {code: (obstacles, language) for code, obstacles, language in StatusReport.objects.filter(
        period=period, measure_code__in=escalated).values_list("measure_code", "obstacles", "language")}
    risks = list(Risk.objects.filter(version=version).select_related("owner", "theme").order_by("order", "code")) \
        if version is not None else []
    decisions = basket_decisions(programme, until=on)
    return Reading(programme=programme, period=period, picture=picture, measures=measures, reports=reports,
                   texts=texts, forecast=_run_forecast(version, period, decisions), decisions=decisions, risks=risks,
                   books=read_books(programme, period), produced_at=dates.now().isoformat(),
                   produced_by=_person(by) if by is not None else "", on=on)


def _labelled(reading: Reading, lang: str) -> Data:
    """The figures of `reading` written out in `lang`, the active language."""
    programme, period, measures, reports, texts = (reading.programme, reading.period, reading.measures,
                                                   reading.reports, reading.texts)
    picture = relabelled(reading.picture)
    version = picture.version
    by_code = {m.code: m for m in measures}
    on = reading.on

    target = picture.target_eur
    data = Data(
        language=lang,
        programme=Data(slug=programme.slug, name=translated(programme, "name", lang).text,
                       organisation=str(programme.organisation.name), is_sample_data=programme.is_sample_data,
                       first_year=programme.period_start, last_year=programme.period_end),
        period=Data(key=period.key, label=period_label(period), year=period.year, month=period.month,
                    status=period.status),
        version=Data(number=version.number, label=translated(version, "label", lang).text or str(version.number))
        if version else None,
        produced_at=reading.produced_at,
        produced_by=reading.produced_by,
        report_on=on,
        # The target: a yearly level, compared with the savings of a year.
        target_eur=target,
        target_year=picture.target_year,
        # Realised savings are the owners' claims; beside them what finance verified of the claims (a rejected
        # claim counts as zero) and what still waits for finance.
        realised_year_eur=picture.realised_year_eur,
        verified_year_eur=picture.verified_year_eur,
        waiting_year_eur=picture.waiting_year_eur,
        planned_year_eur=picture.planned_year_eur,
        realised_year_pct=picture.realised_year_pct,
        planned_year_pct=picture.planned_year_pct,
        # The running sums from the first year to the period.
        first_year=picture.first_year,
        realised_total_eur=picture.realised_total_eur,
        verified_total_eur=picture.verified_total_eur,
        planned_to_date_eur=picture.planned_to_date_eur,
        # Recurring and one-off: the year's one-offs, the recurring run-rate at the end of the period (claimed,
        # verified) that carries into the years after, and an accumulated deficit covered year by year.
        one_off_year_eur=picture.year_row.one_off_eur if picture.year_row else Decimal(0),
        run_rate_eur=picture.run_rate_eur,
        run_rate_verified_eur=picture.run_rate_verified_eur,
        deficit_eur=picture.deficit_eur,
        deficit_year=picture.deficit_year,
        deficit_coverage=[Data(year=year, amount_eur=amount, running_eur=running)
                          for year, amount, running in picture.deficit_coverage],
        forecast=_forecast(reading.forecast, lang),
        basket_decisions=_decisions(reading.decisions, lang),
        reports_expected=picture.reports_expected,
        reports_received=picture.reports_received,
        by_year=[Data(year=r.year, planned_eur=r.planned_eur, planned_cumulative_eur=r.planned_cumulative_eur,
                      realised_eur=r.realised_eur, realised_cumulative_eur=r.realised_cumulative_eur,
                      verified_eur=r.verified_eur, verified_cumulative_eur=r.verified_cumulative_eur,
                      one_off_eur=r.one_off_eur,
                      planned_share_pct=share_of_target(r.planned_eur, target),
                      realised_share_pct=share_of_target(r.recurring_eur, target))
                 for r in picture.by_year],
        by_theme=_lines(picture.by_theme),
        by_org_unit=_lines(picture.by_org_unit),
        by_category=_lines(picture.by_category),
        status_counts=[Data(value=value, label=str(TrafficLight(value).label),
                            icon=TRAFFIC_LIGHT_ICONS[TrafficLight(value)], count=count)
                       for value, count in picture.status_counts.items()],
        phase_counts=[Data(value=value, label=str(Phase(value).label), count=count)
                      for value, count in picture.phase_counts.items()],
        escalations=[_escalation(report, by_code, texts) for report in picture.escalations],
        key_results_at_risk=[Data(text=kr.text, language=kr.objective.language, objective=kr.objective.title,
                                  org_unit=str(kr.objective.org_unit.name), reasons=kr.status.reason_labels)
                             for kr in picture.key_results_at_risk],
        missing_count=len(picture.missing),
        # Org-unit names come as a Text (with their language); frozen, they are plain strings.
        missing_by_org_unit=[Data(label=str(label), label_lang=getattr(label, "lang", ""), count=count)
                             for label, count in picture.missing_by_org_unit],
        missing=[Data(code=item.measure.code, **_named(item.measure, lang),
                      owner=_person(item.measure.owner, item.measure.owner_name), state=item.state)
                 for item in picture.missing],
        measures=[Data(code=m.code, **_named(m, lang),
                       phase=reports.get(m.code, ("", ""))[0], status=reports.get(m.code, ("", ""))[1])
                  for m in measures],
        risks=_risks(reading.risks, lang),
        books=_books(reading.books),
    )
    return data


def read_books(programme, period: Period):
    """The reconciliation of the books of the period's year up to the period's month; when that year has no
    books yet, of the latest earlier year that has (a report of 2/2025 before January's books are in shows
    2024). None without books."""
    years = available_years(programme.organisation)
    for year in sorted((y for y in years if y <= period.year), reverse=True):
        result = reconcile(programme, year=year, years=years,
                           through_month=period.month if year == period.year else None)
        if result.has_books:
            return result
    return None


def _amounts(figures) -> dict:
    """One row of the reconciliation, its figures as the reconciliation defines them."""
    return {"actual_eur": figures.actual, "baseline_eur": figures.baseline, "difference_eur": figures.difference,
            "in_books_eur": figures.in_books, "claimed_eur": figures.claimed, "verified_eur": figures.verified,
            "gap_eur": figures.gap}


def _category_label(key: str, level: int) -> str:
    """A row of the table by cost category, labelled in the active language (the reconciliation was read
    once, in whatever language was active then)."""
    if key == UNMAPPED:
        return _("Not mapped to an org unit or a cost category")
    if level and key not in CATEGORY_PARENT:  # the part of purchased services not split into its kinds
        return _("not split further")
    return str(CostCategory(key).label) if key in CostCategory.values else key


def _books(result) -> Data | None:
    if result is None:
        return None
    largest = result.largest_gap
    return Data(
        year=result.year, months=result.months, period_text=result.period_text, through=result.through_text,
        has_baseline=result.has_baseline, baseline_labels=result.baseline_labels,
        total=Data(_amounts(result.total)),
        by_category=[Data(key=row.key, label=_category_label(row.key, row.level), level=row.level,
                          **_amounts(row.figures)) for row in result.by_category],
        largest_gap=Data(key=largest.key, label=_category_label(largest.key, 0), **_amounts(largest.figures))
        if largest is not None and largest.figures.gap else None,
        unmapped=Data(actual_eur=result.unmapped.actual, baseline_eur=result.unmapped.baseline,
                      pairs=result.unmapped_key_count),
        claimed_without_unit_eur=result.claimed_without_unit,
    )


def _lines(rows) -> list[Data]:
    # A label shown in another language than the report's (a Swedish-only theme in a Finnish report)
    # keeps its language, so that the PDF marks it up for screen readers and hyphenation.
    return [Data(key=str(r.key), label=str(r.label), label_lang=getattr(r.label, "lang", ""),
                 planned_eur=r.planned_eur, realised_eur=r.realised_eur, verified_eur=r.verified_eur)
            for r in rows]


def _named(obj, lang: str | None = None, field: str = "name") -> dict[str, str]:
    """The text of `field` and, beside it, the language it is written in (it may be a fallback)."""
    text = translated(obj, field, lang)
    return {field: text.text, f"{field}_lang": text.lang}


def _escalation(report, by_code, texts) -> Data:
    measure = by_code.get(report.measure_code) or report.running_measure
    obstacles, language = texts.get(report.measure_code, ("", ""))
    return Data(code=report.measure_code, **_named(measure),
                status=report.status, status_label=str(TrafficLight(report.status).label),
                icon=TRAFFIC_LIGHT_ICONS[TrafficLight(report.status)],
                phase=report.phase, phase_label=str(Phase(report.phase).label),
                obstacles=obstacles, obstacles_language=language)


def _run_forecast(version, period: Period, decisions) -> tuple | None:
    """The Monte Carlo forecast of the running version as known at the end of `period`, with the forecast
    page's draws and seed, so that the reports show the page's very figures; and what the prepared basket
    B and C measures could close of the gap (`basket_plan`, as on the baskets page) at each certainty the
    baskets page offers; measures management has already activated (`decisions`) are no longer offered, as on
    the baskets page. Read from `karki.figures`, as the pages read them."""
    if version is None:
        return None
    try:
        result = figures.forecast(version, period=period, draws=assumptions.DEFAULT_DRAWS,
                                  seed=assumptions.DEFAULT_SEED)
    except ForecastUnavailable:  # a target year outside the programme's years: the report goes without
        return None
    offered = contingency(version, decisions).offered
    plans = [basket_plan(result, certainty=certainty, measures=offered) for certainty in assumptions.CERTAINTIES]
    main = next(plan for plan in plans if plan.certainty == assumptions.DEFAULT_CERTAINTY)
    return result, plans, main


def _forecast(forecast: tuple | None, lang: str) -> Data | None:
    if forecast is None:
        return None
    result, plans, main = forecast
    band = result.target_band
    return Data(
        draws=result.draws, seed=result.seed, mc_error_eur=result.mc_error_eur, mc_error_pp=float(result.mc_error_pp),
        target_year=result.target_year, target_eur=result.target_eur,
        p10_eur=band.p10_eur, p50_eur=band.p50_eur, p90_eur=band.p90_eur, planned_eur=band.planned_eur,
        probability=result.probability,
        level_50_eur=result.level_at(50), level_80_eur=result.level_at(80),
        gap_50_eur=result.gap_at(50), gap_80_eur=result.gap_at(80),
        first_year_reached=result.first_year_reached,
        items=len(result.inputs.items),
        revised=result.counts["revised"],
        by_year=[Data(year=b.year, p10_eur=b.p10_eur, p50_eur=b.p50_eur, p90_eur=b.p90_eur, planned_eur=b.planned_eur,
                      realised_eur=b.realised_eur, probability=b.probability, one_off_eur=b.one_off_eur,
                      realised_one_off_eur=b.realised_one_off_eur) for b in result.by_year],
        verification_rate_pct=result.verification_rate.pct,
        run_rate_eur=result.run_rate_eur,
        run_rate_claimed_eur=result.run_rate_claimed_eur,
        deficit_eur=result.deficit_eur, deficit_year=result.deficit_year,
        deficit_probability=result.deficit_probability,
        deficit_p50_eur=result.deficit_band.p50_eur if result.deficit_band else None,
        cumulative=[Data(year=b.year, p10_eur=b.p10_eur, p50_eur=b.p50_eur, p90_eur=b.p90_eur,
                         planned_eur=b.planned_eur, realised_eur=b.realised_eur) for b in result.cumulative],
        baskets=_baskets(plans, main, lang),
    )


def _baskets(plans, main, lang: str) -> Data:
    """What the prepared basket B and C measures would close, at each certainty the baskets page offers; the
    measures one by one at its default certainty."""
    return Data(
        certainty=main.certainty, activation_year=main.activation[0], activation_month=main.activation[1],
        plans=[Data(certainty=plan.certainty, level_eur=plan.level_eur, gap_eur=plan.gap_eur,
                    needed=len(plan.measures_needed), closes=plan.gap_closes, remaining_gap_eur=plan.remaining_gap_eur)
               for plan in plans],
        options=[Data(code=o.measure.code, **_named(o.measure, lang), basket=o.measure.basket,
                      rank=o.measure.contingency_rank,
                      impact=str(o.measure.get_service_level_impact_display()) if o.measure.service_level_impact
                      else "", **_named(o.measure, lang, "service_level_effect"),
                      countable=o.countable, expected_eur=o.expected_eur if o.countable else None,
                      level_eur=o.level_eur, gap_eur=o.gap_eur, closes_gap=o.closes_gap)
                 for o in main.options],
    )


def _decisions(decisions, lang: str) -> list[Data]:
    """Management's decisions on baskets B and C made up to the day `on`, oldest first, each with what the
    forecast said when it was recorded. The reasoning is written once, in one language: a report in
    another language shows it as written and says in which language (`reasoning_note`)."""
    return [Data(id=d.pk, decided_on=d.decided_on, basket=d.basket, decision=d.decision,
                 decision_label=str(d.get_decision_display()), reasoning=d.reasoning, reasoning_lang=d.language,
                 reasoning_note=str(LANGUAGE_IN[d.language]()) if d.language != lang and d.language in LANGUAGE_IN
                 else "",
                 measure_codes=d.measure_code_list, certainty=d.certainty, gap_eur=d.gap_eur,
                 probability_pct=d.probability_pct, recorded_by=_person(d.recorded_by),
                 recorded_at=d.recorded_at.isoformat())
            for d in decisions]


def _risks(rows, lang: str) -> list[Data]:
    return [Data(code=r.code, **_named(r, lang, "title"), category=r.category,
                 category_label=str(RiskCategory(r.category).label) if r.category in RiskCategory.values else "",
                 theme=r.theme.code if r.theme_id else "", likelihood=r.likelihood, impact=r.impact, score=r.score,
                 **_named(r, lang, "mitigation"), owner=_person(r.owner, r.owner_name))
            for r in rows]


# -- freezing and reading back ------------------------------------------------------------------------


def freeze(data) -> dict:
    """JSON-safe: Decimals become strings with a dot (exact), the rest stays."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def thaw(value, key: str = ""):
    """The frozen figures as `Data` again, with the Decimals of `_eur` and `_pct` keys and the dates of
    `_on` keys restored."""
    if isinstance(value, dict):
        return Data({k: thaw(v, k) for k, v in value.items()})
    if isinstance(value, list):
        return [thaw(v, key) for v in value]
    if key.endswith(DECIMAL_SUFFIXES) and isinstance(value, str):
        return Decimal(value)
    if key.endswith(DATE_SUFFIXES) and isinstance(value, str):
        return date.fromisoformat(value)
    return value
