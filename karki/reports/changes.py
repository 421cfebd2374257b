"""What changed between two issued council reports: figures that moved (the forecast's probability and
median among them), measures whose phase or status changed, new escalations, management's decisions on
baskets B and C taken in between. Both sides are frozen figures (see figures.py); measures and themes
are matched by their codes, so the comparison holds across programme versions and languages. A report
issued before the Monte Carlo forecast has none to compare with, and the comparison says so."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from karki.monitoring.enums import TRAFFIC_LIGHT_ICONS, Phase, TrafficLight

from .figures import Data
from .text import local_time


def _phase(value: str) -> str:
    return str(Phase(value).label) if value in Phase.values else "–"


def _status(value: str) -> str:
    if value not in TrafficLight.values:
        return "–"
    light = TrafficLight(value)
    return f"{TRAFFIC_LIGHT_ICONS[light]} {light.label}"


def _moved(label: str, then, now, kind: str = "eur") -> Data | None:
    if then == now or (then is None and now is None):
        return None
    change = None
    if kind == "probability" and then is not None and now is not None:
        change = round((now - then) * 100, 1)  # percentage points
    elif isinstance(then, (int, Decimal)) and isinstance(now, (int, Decimal)):
        change = now - then
    return Data(label=label, kind=kind, then=then, now=now, change=change)


def _forecast_moves(previous, current) -> tuple[list, str]:
    """The movement of the forecast of the target year: probability, median and gap; or why there is none."""
    now, then = current.get("forecast"), previous.get("forecast")
    if now is None:
        return [], ""
    if then is None or "p50_eur" not in then:
        return [], _("The previous report was issued before Kärki forecast the probability of reaching the "
                     "target, so the probability and the median forecast are not compared with it.")
    if then.target_year != now.target_year:
        return [], _("The target year changed from %(then)s to %(now)s, so the forecasts are not compared.") % {
            "then": then.target_year, "now": now.target_year}
    year = {"year": now.target_year}
    return [
        _moved(_("Probability of reaching the target in %(year)s") % year, then.probability, now.probability,
               "probability"),
        _moved(_("Forecast of the savings in %(year)s, P50 (median)") % year, then.p50_eur, now.p50_eur),
        _moved(_("Gap to the target in %(year)s with %(c)s %% certainty") % {**year, "c": 80}, then.gap_80_eur,
               now.gap_80_eur),
    ], ""


def _new_decisions(previous, current) -> list:
    """Basket decisions in this report that the previous one did not have; for a previous report issued
    before decisions were reported, those decided after the day it was issued."""
    decisions = current.get("basket_decisions") or []
    if "basket_decisions" in previous:
        known = {d.id for d in previous.basket_decisions}
        return [d for d in decisions if d.id not in known]
    since = local_time(previous.report.issued_at).date() if previous.get("report") else None
    return [d for d in decisions if since is None or d.decided_on > since]


def compare(previous, current) -> Data:
    """The changes from `previous` to `current` (both thawed figures), labelled in the active language."""
    forecast_moves, forecast_note = _forecast_moves(previous, current)
    figures = [
        _moved(_("Realised savings to date"), previous.realised_total_eur, current.realised_total_eur),
        _moved(_("Planned savings to date"), previous.planned_to_date_eur, current.planned_to_date_eur),
        *forecast_moves,
        _moved(_("Target"), previous.target_eur, current.target_eur),
        _moved(_("Reports received"), previous.reports_received, current.reports_received, "count"),
    ]
    earlier_themes = {row.key: row for row in previous.by_theme}
    for row in current.by_theme:
        before = earlier_themes.get(row.key)
        then = before.realised_eur if before is not None else None
        if then is None:
            figures.append(Data(label=_("Realised to date: %(theme)s") % {"theme": row.label}, kind="eur",
                                then=None, now=row.realised_eur, change=None))
        else:
            figures.append(_moved(_("Realised to date: %(theme)s") % {"theme": row.label}, then, row.realised_eur))
    earlier = {m.code: m for m in previous.measures}
    measures = []
    for measure in current.measures:
        before = earlier.get(measure.code)
        if before is None or not measure.phase:
            continue
        if (before.phase, before.status) != (measure.phase, measure.status):
            measures.append(Data(code=measure.code, name=measure.name, name_lang=measure.get("name_lang", ""),
                                 phase_then=_phase(before.phase), phase_now=_phase(measure.phase),
                                 status_then=_status(before.status), status_now=_status(measure.status),
                                 phase_changed=before.phase != measure.phase,
                                 status_changed=before.status != measure.status,
                                 went_off_track=measure.status == TrafficLight.RED != before.status,
                                 cancelled=measure.phase == Phase.CANCELLED != before.phase))  # now, and not before
    # Counted by transition (a large programme changes hundreds of statuses a month); listed one by one
    # only when a measure went off track or was cancelled, which is what the council must see.
    counts: dict[tuple[str, str, str], int] = {}
    for row in measures:
        if row.phase_changed:
            key = ("phase", row.phase_then, row.phase_now)
            counts[key] = counts.get(key, 0) + 1
        if row.status_changed:
            key = ("status", row.status_then, row.status_now)
            counts[key] = counts.get(key, 0) + 1
    transitions = [Data(label=(_("Phase: %(then)s → %(now)s") if kind == "phase" else
                               _("Status: %(then)s → %(now)s")) % {"then": then, "now": now}, count=count)
                   for (kind, then, now), count in sorted(counts.items(), key=lambda item: (item[0][0], -item[1]))]
    attention = [row for row in measures if row.went_off_track or row.cancelled]
    escalated_before = {row.code for row in previous.escalations}
    new_escalations = [row for row in current.escalations if row.code not in escalated_before]
    return Data(figures=[f for f in figures if f is not None], measures=measures, transitions=transitions,
                attention=attention, new_escalations=new_escalations, forecast_note=forecast_note,
                new_decisions=_new_decisions(previous, current))
