"""What changed between two issued council reports: figures that moved, measures whose phase or
status changed, new escalations. Both sides are frozen figures (see figures.py); measures and themes
are matched by their codes, so the comparison holds across programme versions and languages."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from karki.monitoring.enums import TRAFFIC_LIGHT_ICONS, Phase, TrafficLight

from .figures import Data


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
    change = now - then if isinstance(then, (int, Decimal)) and isinstance(now, (int, Decimal)) else None
    return Data(label=label, kind=kind, then=then, now=now, change=change)


def compare(previous, current) -> Data:
    """The changes from `previous` to `current` (both thawed figures), labelled in the active language."""
    figures = [
        _moved(_("Realised savings to date"), previous.realised_total_eur, current.realised_total_eur),
        _moved(_("Planned savings to date"), previous.planned_to_date_eur, current.planned_to_date_eur),
        _moved(_("Forecast"), previous.forecast.forecast_eur, current.forecast.forecast_eur),
        _moved(_("Gap to the target"), previous.gap_eur, current.gap_eur),
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
                attention=attention, new_escalations=new_escalations)
