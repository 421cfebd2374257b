"""Small helpers the outputs share: titles, times, file names."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from karki.lib.formatting import format_meur
from karki.monitoring.enums import ReviewState


def local_time(iso: str) -> datetime:
    return timezone.localtime(datetime.fromisoformat(iso))


def title_of(figures, kind: str) -> str:
    """"Tilannekuva 6/2024 – Itä-Uusimaan tuottavuusohjelma"."""
    return f"{kind} {figures.period.label} – {figures.programme.name}"


def filename(figures, kind: str, extension: str) -> str:
    """kind-programme-2024-06.ext, ASCII-safe (the kind is a translated word)."""
    return f"{slugify(kind)}-{figures.programme.slug}-{figures.period.key}.{extension}"


def state_label(state: str) -> str:
    if state in ReviewState.values:
        return str(ReviewState(state).label)
    return _("Not written")


def summary_rows(figures) -> list[tuple[str, object, str]]:
    """The summary figures, labelled: the Excel summary sheet and the deck's summary slide show these."""
    forecast = figures.forecast
    rows = [
        (_("Target"), figures.target_eur, "eur"),
        (_("Realised savings to date"), figures.realised_total_eur, "eur"),
        (_("Share of the target realised"), figures.coverage_pct, "pct"),
        (_("Planned savings to date"), figures.planned_to_date_eur, "eur"),
        (_("Forecast by %(year)s") % {"year": forecast.year}, forecast.forecast_eur, "eur"),
        (_("Gap to the target (forecast)"), figures.gap_eur, "eur"),
        (_("Reports received"), figures.reports_received, ""),
        (_("Reports expected"), figures.reports_expected, ""),
    ]
    if figures.target_eur is None:
        rows = [r for r in rows if r[2] != "pct" and r[1] is not None]
    return rows


def forecast_basis(figures, language: str) -> str:
    """How the forecast was made, in one sentence."""
    forecast = figures.forecast
    version = figures.version.label if figures.version else "–"
    text = _("Forecast: the planned yearly ramp of version %(version)s to %(year)s") % {
        "version": version, "year": forecast.year}
    if forecast.revised_count:
        text += ", " + _("adjusted by %(count)s revised forecasts of measure owners (%(change)s)") % {
            "count": forecast.revised_count, "change": format_meur(forecast.adjustment_eur, language)}
    return text + "."
