"""The figures every report of a period is made from: the status picture (monitoring/status.py) with
the forecast, the measures' phases and the risks, in one structure.

`report_figures()` reads them (in the active language: labels and names come out translated) and
returns plain data — dicts, lists, strings, ints and Decimals — so that the same figures can be frozen
as JSON in an issued council report (`freeze`) and read back exactly (`thaw`). The slide deck, the Excel
file and the council PDF are all drawn from this one structure, which is why they agree with each other
and with the status page.

Keys ending in `_eur` (euros) or `_pct` (per cent) hold Decimals; frozen, they are strings with a dot.

The forecast is what exists today: the version's planned ramp to the target year, adjusted by the
owners' revised forecasts. A later forecast (for example a simulation) can be added as another key of
the same structure without changing the outputs that do not show it.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder

from karki.core.content import active_language, translated
from karki.lib import dates, money
from karki.monitoring.enums import RECEIVED_STATES, TRAFFIC_LIGHT_ICONS, Phase, TrafficLight
from karki.monitoring.models import Period, StatusReport
from karki.monitoring.status import status_picture
from karki.programmes.enums import RiskCategory
from karki.programmes.models import Measure, Risk

ZERO = Decimal("0")
DECIMAL_SUFFIXES = ("_eur", "_pct")


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


def report_figures(programme, period: Period, *, by=None) -> Data:
    """Everything the reports of `period` show, in the active language."""
    lang = active_language()
    picture = status_picture(programme, period)
    version = picture.version
    summary = picture.summary

    measures = []
    if version is not None:
        measures = list(Measure.objects.filter(version=version, basket="A").only(
            "code", "name", "name_fi", "name_sv", "name_en", "estimate_kind", "estimate_amount_eur",
            "estimate_min_eur", "estimate_max_eur", "order", "version_id").order_by("order", "code"))
    by_code = {m.code: m for m in measures}

    # This period's received reports: phase and status of each measure (the council report compares them).
    reports = {code: (phase, status) for code, phase, status in StatusReport.objects.filter(
        period=period, state__in=RECEIVED_STATES).values_list("measure_code", "phase", "status")}
    escalated = {r.measure_code for r in picture.escalations}
    texts = {code: (obstacles, language) for code, obstacles, language in StatusReport.objects.filter(
        period=period, measure_code__in=escalated).values_list("measure_code", "obstacles", "language")}

    forecast = _forecast(programme, period, summary, by_code)
    target = picture.target_eur
    planned_to_date = picture.by_year[-1].planned_cumulative_eur if picture.by_year else ZERO

    data = Data(
        language=lang,
        programme=Data(slug=programme.slug, name=translated(programme, "name", lang).text,
                       organisation=str(programme.organisation.name), is_sample_data=programme.is_sample_data,
                       first_year=programme.period_start, last_year=programme.period_end),
        period=Data(key=period.key, label=period_label(period), year=period.year, month=period.month,
                    status=period.status),
        version=Data(number=version.number, label=translated(version, "label", lang).text or str(version.number))
        if version else None,
        produced_at=dates.now().isoformat(),
        produced_by=_person(by) if by is not None else "",
        target_eur=target,
        target_year=programme.target_year,
        realised_total_eur=picture.realised_total_eur,
        coverage_pct=picture.coverage_pct,
        planned_to_date_eur=planned_to_date,
        forecast=forecast,
        gap_eur=money.gap(target, forecast.forecast_eur) if target is not None else None,
        remaining_eur=money.gap(target, picture.realised_total_eur) if target is not None else None,
        reports_expected=picture.reports_expected,
        reports_received=picture.reports_received,
        by_year=[Data(year=r.year, planned_eur=r.planned_eur, planned_cumulative_eur=r.planned_cumulative_eur,
                      realised_eur=r.realised_eur, realised_cumulative_eur=r.realised_cumulative_eur)
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
        missing_by_org_unit=[Data(label=label, count=count) for label, count in picture.missing_by_org_unit],
        missing=[Data(code=item.measure.code, **_named(item.measure, lang),
                      owner=_person(item.measure.owner, item.measure.owner_name), state=item.state)
                 for item in picture.missing],
        measures=[Data(code=m.code, **_named(m, lang),
                       phase=reports.get(m.code, ("", ""))[0], status=reports.get(m.code, ("", ""))[1])
                  for m in measures],
        risks=_risks(version, lang),
    )
    return data


def _lines(rows) -> list[Data]:
    # A label shown in another language than the report's (a Swedish-only theme in a Finnish report)
    # keeps its language, so that the PDF marks it up for screen readers and hyphenation.
    return [Data(key=str(r.key), label=str(r.label), label_lang=getattr(r.label, "lang", ""),
                 planned_eur=r.planned_eur, realised_eur=r.realised_eur)
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


def _forecast(programme, period: Period, summary, by_code: dict[str, Measure]) -> Data:
    """Planned savings by the target year (the version's ramp), adjusted by the owners' revised forecasts.

    A revised forecast is a measure's yearly savings as its owner now sees them; its difference to the
    measure's own decided estimate (expected figure) is counted for every year from the period's year to
    the forecast year. Revisions of measures whose estimate sits on their target have nothing to compare
    with and are only counted (`unmatched`).
    """
    year = programme.target_year or programme.period_end
    planned = ZERO
    if summary is not None:
        for row in summary.by_year:
            if row.year <= year:
                planned = row.cumulative_eur
    latest: dict[str, Decimal] = {}
    revised = (StatusReport.objects
               .filter(period__in=Period.objects.up_to(period), state__in=RECEIVED_STATES,
                       revised_expected_eur__isnull=False, measure_code__in=list(by_code))
               .order_by("measure_code", "-period__year", "-period__month")
               .values_list("measure_code", "revised_expected_eur"))
    for code, amount in revised:
        latest.setdefault(code, amount)
    revised_total = decided_total = ZERO
    matched = unmatched = 0
    for code, amount in latest.items():
        estimate = by_code[code].estimate
        if estimate is None or estimate.kind in (money.EstimateKind.ENABLING, money.EstimateKind.TO_BE_SPECIFIED):
            unmatched += 1
            continue
        matched += 1
        revised_total += amount
        decided_total += estimate.expected
    years = max(year - period.year + 1, 0)
    adjustment = (revised_total - decided_total) * years
    return Data(year=year, planned_eur=planned, revised_count=matched, unmatched_count=unmatched,
                revised_yearly_eur=revised_total, decided_yearly_eur=decided_total, years=years,
                adjustment_eur=adjustment, forecast_eur=max(planned + adjustment, ZERO))


def _risks(version, lang: str) -> list[Data]:
    if version is None:
        return []
    rows = Risk.objects.filter(version=version).select_related("owner", "theme").order_by("order", "code")
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
    """The frozen figures as `Data` again, with the Decimals of `_eur` and `_pct` keys restored."""
    if isinstance(value, dict):
        return Data({k: thaw(v, k) for k, v in value.items()})
    if isinstance(value, list):
        return [thaw(v, key) for v in value]
    if key.endswith(DECIMAL_SUFFIXES) and isinstance(value, str):
        return Decimal(value)
    return value
