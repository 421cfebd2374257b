"""Small helpers the outputs share: titles, times, file names, and the words of the summary and the forecast."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from karki.lib.formatting import (
    format_meur,
    format_meur_range,
    format_number,
    format_percent,
    format_probability,
)
from karki.monitoring.enums import ReviewState
from karki.monitoring.status import realised_against_target


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


def summary_rows(figures, *, split: bool = False, recurrence: bool = True) -> list[tuple[str, object, str]]:
    """The summary figures, labelled: the deck's summary slide, the council PDF's summary and (with `split`,
    every figure a number of its own) the Excel summary sheet show these.

    The target is a yearly level, so it is set against the savings of a year (realised in the period's
    year, the plan of that year, the forecast of the target year); the running sum is labelled as one.
    Kinds: "eur", "pct", "probability" (0…1), "range" (a pair of euros), "text" and "" (a count). Without
    `recurrence` the one-offs, the run-rate and the deficit are left out (the deck gives them a slide)."""
    year, target_year, forecast = figures.period.year, figures.target_year, figures.get("forecast")
    target = figures.target_eur
    month = figures.period.month
    rows: list[tuple[str, object, str]] = []
    if target is not None:
        rows.append((_("Target: yearly savings to reach in %(year)s") % {"year": target_year}, target, "eur"))
    claimed = figures.get("verified_year_eur") is not None  # reports issued before verification say less
    if month < 12:
        realised = (_("Realised in %(year)s by the end of %(month)s/%(year)s, claimed") if claimed
                    else _("Realised in %(year)s by the end of %(month)s/%(year)s")) % {"year": year, "month": month}
    else:
        realised = (_("Realised in %(year)s, claimed") if claimed else _("Realised in %(year)s")) % {"year": year}
    rows.append((realised, figures.realised_year_eur, "eur"))
    if figures.get("verified_year_eur") is not None:
        rows.append((_("Of which verified by finance"), figures.verified_year_eur, "eur"))
    if recurrence and figures.get("one_off_year_eur"):
        rows.append((_("Of which one-off"), figures.one_off_year_eur, "eur"))
    if recurrence and figures.get("run_rate_eur") is not None:
        rows.append((_("Recurring savings in effect at the end of %(month)s/%(year)s, a year") % {
            "month": month, "year": year}, figures.run_rate_eur, "eur"))
    if target is not None:
        share = (_("Realised recurring in %(year)s, share of the yearly target level")
                 if figures.get("one_off_year_eur") else _("Realised in %(year)s, share of the yearly target level"))
        rows.append((share % {"year": year}, figures.realised_year_pct, "pct"))
    rows.append((_("Planned for %(year)s") % {"year": year}, figures.planned_year_eur, "eur"))
    if split and target is not None:
        rows.append((_("Planned for %(year)s, share of the yearly target level") % {"year": year},
                     figures.planned_year_pct, "pct"))
    span = {"first": figures.first_year, "last": year}
    rows.append((_("Realised %(first)s–%(last)s, running sum") % span, figures.realised_total_eur, "eur"))
    if recurrence and figures.get("deficit_eur") is not None:
        rows.append((_("Accumulated deficit to cover by %(year)s") % {"year": figures.deficit_year},
                     figures.deficit_eur, "eur"))
    if split:
        rows.append((_("Planned %(first)s–%(last)s, running sum") % span, figures.planned_to_date_eur, "eur"))
    if forecast:
        ty = {"year": forecast.target_year}
        rows.append((_("Forecast of the savings in %(year)s, P50 (median)") % ty, forecast.p50_eur, "eur"))
        if split:
            rows.append((_("Forecast of the savings in %(year)s, P10") % ty, forecast.p10_eur, "eur"))
            rows.append((_("Forecast of the savings in %(year)s, P90") % ty, forecast.p90_eur, "eur"))
        else:
            rows.append((_("Forecast of the savings in %(year)s, P10–P90") % ty,
                         (forecast.p10_eur, forecast.p90_eur), "range"))
        if recurrence and forecast.get("deficit_probability") is not None:
            rows.append((_("Probability of covering the deficit by %(year)s") % {"year": forecast.deficit_year},
                         forecast.deficit_probability, "probability"))
        if forecast.probability is not None:
            rows.append((_("Probability of reaching the target in %(year)s") % ty, forecast.probability,
                         "probability"))
            for certainty in (80, 50):
                rows.append((_("Gap to the target in %(year)s with %(c)s %% certainty") % {**ty, "c": certainty},
                             forecast[f"gap_{certainty}_eur"], "eur"))
            if split:
                rows.append((_("First year that reaches the target level with even odds"),
                             forecast.first_year_reached or "–", ""))
    if split:
        rows.append((_("Reports received"), figures.reports_received, ""))
        rows.append((_("Reports expected"), figures.reports_expected, ""))
    else:
        rows.append((_("Reports received"), f"{figures.reports_received} / {figures.reports_expected}", "text"))
    return rows


def value_text(value, kind: str, language: str) -> str:
    """A summary figure as text in `language` (the deck and the PDF; the Excel sheet keeps numbers)."""
    if value is None:
        return "–"
    if kind == "eur":
        return format_meur(value, language)
    if kind == "pct":
        return format_percent(value, language, 1)
    if kind == "probability":
        return format_probability(value, language)
    if kind == "range":
        return meur_range(*value, language)
    if kind == "text":
        return str(value)
    return format_number(value, language) if isinstance(value, (int, Decimal)) else str(value)


def meur_range(low, high, language: str) -> str:
    """18,3–22,5 M€; one figure when both ends are the same (as the `meur_range` template tag)."""
    return format_meur(low, language) if low == high else format_meur_range(low, high, language)


def realised_sentence(figures, language: str) -> str:
    """"Realised in 2024: 7,7 M€ – 28 % of the yearly level 27,6 M€ to reach in 2026." (the status picture's
    own wording)."""
    return realised_against_target(year=figures.period.year, month=figures.period.month,
                                   realised=figures.realised_year_eur, target=figures.target_eur,
                                   target_year=figures.target_year, language=language,
                                   one_off=figures.get("one_off_year_eur") or 0) + "."


def verification_sentence(figures, language: str) -> str:
    """Which realised savings the report uses: "The realised savings of this report are those the measure
    owners claimed: in 2024 claimed 8,5 M€, of which verified by finance 3,9 M€; 4,0 M€ still waits for
    verification." Empty for a report issued before finance verified savings in Kärki."""
    if figures.get("verified_year_eur") is None:
        return ""
    year = figures.period.year
    text = _("The realised savings of this report are those the measure owners claimed: in %(year)s claimed "
             "%(claimed)s, of which verified by finance %(verified)s.") % {
        "year": year, "claimed": format_meur(figures.realised_year_eur, language),
        "verified": format_meur(figures.verified_year_eur, language)}
    if figures.get("waiting_year_eur"):
        text += " " + _("%(amount)s of the claims still waits for verification.") % {
            "amount": format_meur(figures.waiting_year_eur, language)}
    return text


def recurrence_sentence(figures, language: str) -> str:
    """"Recurring savings in effect at the end of 12/2024: 13,8 M€ a year, of which verified by finance 2,0 M€;
    they carry on in the years after without new savings. One-off savings of 2024: 0,2 M€, in that year's
    result only." Empty for a report issued before savings were recurring or one-off."""
    if figures.get("run_rate_eur") is None:
        return ""
    period = figures.period
    text = _("Recurring savings in effect at the end of %(month)s/%(year)s: %(amount)s a year, of which verified "
             "by finance %(verified)s; they carry on in the years after without new savings.") % {
        "month": period.month, "year": period.year, "amount": format_meur(figures.run_rate_eur, language),
        "verified": format_meur(figures.run_rate_verified_eur, language)}
    if figures.get("one_off_year_eur"):
        text += " " + _("One-off savings of %(year)s: %(amount)s, in that year's result only.") % {
            "year": period.year, "amount": format_meur(figures.one_off_year_eur, language)}
    return text


def deficit_sentence(figures, language: str) -> str:
    """"The accumulated deficit of 78,0 M€ is to be covered by 2025: savings realised by the end of 12/2024,
    recurring and one-off, cover 8,5 M€ (11 %); with the recurring savings carried on, 22,3 M€ (29 %) by 2025.
    The forecast: 19,0 M€ by 2025 (P50), probability of covering it all < 0,1 %." Empty without a deficit."""
    deficit = figures.get("deficit_eur")
    if deficit is None:
        return ""
    coverage = figures.get("deficit_coverage") or []
    carried = coverage[-1].running_eur if coverage else figures.realised_total_eur
    period = figures.period
    text = _("The accumulated deficit of %(deficit)s is to be covered by %(year)s: savings realised by the end of "
             "%(month)s/%(period_year)s, recurring and one-off, cover %(covered)s (%(covered_pct)s); with the "
             "recurring savings carried on, %(carried)s (%(carried_pct)s) by %(year)s.") % {
        "deficit": format_meur(deficit, language), "year": figures.deficit_year, "month": period.month,
        "period_year": period.year, "covered": format_meur(figures.realised_total_eur, language),
        "covered_pct": format_percent(figures.realised_total_eur / deficit * 100 if deficit else None, language),
        "carried": format_meur(carried, language),
        "carried_pct": format_percent(carried / deficit * 100 if deficit else None, language)}
    forecast = figures.get("forecast")
    if forecast and forecast.get("deficit_probability") is not None:
        text += " " + _("The forecast: %(p50)s by %(year)s (P50); probability of covering it all %(p)s.") % {
            "p50": format_meur(forecast.deficit_p50_eur, language), "year": forecast.deficit_year,
            "p": format_probability(forecast.deficit_probability, language)}
    return text


def forecast_answer(forecast, language: str) -> str:
    """Will we reach the target, and how likely: the forecast page's answer in sentences."""
    if forecast is None:
        return _("The programme has no approved version, so there is no forecast.")
    ty = forecast.target_year
    parts = []
    if forecast.probability is None:
        parts.append(_("The programme has no financial target, so the forecast shows the savings only."))
    else:
        parts.append(_("On what was known at the end of the period, the probability that the savings of %(year)s "
                       "reach the target level %(target)s is %(probability)s.") % {
            "year": ty, "target": format_meur(forecast.target_eur, language),
            "probability": format_probability(forecast.probability, language)})
        parts.append(verdict(forecast.probability))
    parts.append(_("The median forecast of the savings in %(year)s is %(p50)s (P10–P90 %(range)s).") % {
        "year": ty, "p50": format_meur(forecast.p50_eur, language),
        "range": meur_range(forecast.p10_eur, forecast.p90_eur, language)})
    if forecast.probability is not None:
        if forecast.first_year_reached:
            parts.append(_("The yearly savings reach the target's level with at least even odds in %(year)s.") % {
                "year": forecast.first_year_reached})
        else:
            parts.append(_("In no year of the programme do the yearly savings reach the target's level with even "
                           "odds."))
    if not forecast.get("items"):
        parts.append(_("No target or measure of this version has a savings estimate, so the forecast holds only "
                       "the savings already realised and the recurring ones carried on."))
    return " ".join(parts)


def verdict(probability: float) -> str:
    """The forecast page's one-line answer for a probability."""
    if probability >= 0.8:
        return _("Yes, very likely on what is known now.")
    if probability >= 0.5:
        return _("Likely, but not certain.")
    if probability >= 0.2:
        return _("Unlikely without further measures.")
    return _("No: very unlikely without further measures.")


def forecast_basis(figures, language: str) -> str:
    """How the forecast was made, in one sentence."""
    forecast = figures.get("forecast")
    if forecast is None:
        return ""
    version = figures.version.label if figures.version else "–"
    text = _("Forecast: %(draws)s simulated rounds (seed %(seed)s) of version %(version)s with what was known at "
             "the end of %(period)s, as on Kärki's forecast page; the owners' revised forecasts are included.") % {
        "draws": format_number(forecast.draws, language), "seed": forecast.seed, "version": version,
        "period": figures.period.label}
    text += " " + _("Another set of draws could move the figures of %(year)s by about %(error)s.") % {
        "year": forecast.target_year, "error": format_meur(forecast.mc_error_eur, language)}
    if forecast.get("verification_rate_pct") is not None:
        text += " " + _("The forecast counts realised savings as finance verified them, and claims still waiting "
                        "for verification at %(rate)s; the recurring savings in effect, counted so %(run_rate)s a "
                        "year (claimed %(claimed)s), carry on as a floor.") % {
            "rate": format_percent(forecast.verification_rate_pct, language),
            "run_rate": format_meur(forecast.run_rate_eur, language),
            "claimed": format_meur(forecast.get("run_rate_claimed_eur") or forecast.run_rate_eur, language)}
    return text


def decision_forecast_text(decision, language: str) -> str:
    """What the forecast said when a basket decision was recorded: "gap 8,5 M€ with 80 % certainty; probability
    12 %" (the baskets page's words)."""
    parts = []
    if decision.gap_eur is not None:
        parts.append(_("gap %(gap)s with %(c)s %% certainty") % {"gap": format_meur(decision.gap_eur, language),
                                                                 "c": decision.certainty})
    if decision.probability_pct is not None:
        parts.append(_("probability %(p)s") % {"p": format_percent(decision.probability_pct, language)})
    return "; ".join(parts) or "–"


def basket_sentences(forecast, language: str) -> list[str]:
    """What the prepared basket B and C measures could close, at each certainty (the baskets page's plan)."""
    if forecast is None or forecast.probability is None:
        return []
    baskets = forecast.baskets
    sentences = []
    for plan in baskets.plans:
        c = plan.certainty
        if not plan.gap_eur:
            sentences.append(_("There is no gap with %(c)s %% certainty: the primary measures are enough.") % {"c": c})
        elif not baskets.options:
            sentences.append(_("With %(c)s %% certainty the gap in %(year)s is %(gap)s, and the version has no "
                               "prepared basket B or C measures to close it.") % {
                "c": c, "year": forecast.target_year, "gap": format_meur(plan.gap_eur, language)})
        elif plan.closes:
            sentences.append(ngettext(
                "With %(c)s %% certainty the gap in %(year)s is %(gap)s; activating the first prepared measure in "
                "management's order of preference would close it.",
                "With %(c)s %% certainty the gap in %(year)s is %(gap)s; activating the first %(count)s prepared "
                "measures in management's order of preference would close it.", plan.needed) % {
                "c": c, "year": forecast.target_year, "gap": format_meur(plan.gap_eur, language),
                "count": plan.needed})
        else:
            sentences.append(_("With %(c)s %% certainty the gap in %(year)s is %(gap)s; even every prepared "
                               "measure would leave %(left)s.") % {
                "c": c, "year": forecast.target_year, "gap": format_meur(plan.gap_eur, language),
                "left": format_meur(plan.remaining_gap_eur, language)})
    return sentences


def _lowered(label: str) -> str:
    """A cost category's name inside a sentence: "in purchased services" (the names are common nouns)."""
    return label[:1].lower() + label[1:]


def books_sentences(books, language: str) -> list[str]:
    """Savings in the books, answer first: the costs against the baseline by the end of the period with what
    the measures claim and finance verified in the same months, the cost category where the claims and the
    books differ most, and the costs that are not mapped. Empty without books."""
    if not books:
        return []
    total, through = books.total, books.through
    if not books.has_baseline:
        return [_("The books hold %(actual)s of costs in %(period)s, but there is no baseline to compare them "
                  "with.") % {"actual": format_meur(total.actual_eur, language), "period": books.period_text}]
    values = {"amount": format_meur(abs(total.in_books_eur), language), "through": through,
              "claimed": format_meur(total.claimed_eur, language),
              "verified": format_meur(total.verified_eur, language)}
    if total.in_books_eur >= 0:
        sentences = [_("In the books, costs were %(amount)s below the baseline by the end of %(through)s; the "
                       "measures claim %(claimed)s of savings in the same months, finance has verified "
                       "%(verified)s.") % values]
    else:
        sentences = [_("In the books, costs were %(amount)s above the baseline by the end of %(through)s; the "
                       "measures claim %(claimed)s of savings in the same months, finance has verified "
                       "%(verified)s.") % values]
    row = books.get("largest_gap")
    if row:
        values = {"category": _lowered(row.label), "amount": format_meur(abs(row.in_books_eur), language),
                  "claimed": format_meur(row.claimed_eur, language),
                  "verified": format_meur(row.verified_eur, language)}
        if row.in_books_eur >= 0:
            sentences.append(_("The largest difference between the claims and the books is in %(category)s: costs "
                               "were %(amount)s below the baseline; the measures claim %(claimed)s there, finance "
                               "has verified %(verified)s.") % values)
        else:
            sentences.append(_("The largest difference between the claims and the books is in %(category)s: costs "
                               "were %(amount)s above the baseline; the measures claim %(claimed)s there, finance "
                               "has verified %(verified)s.") % values)
    unmapped = books.unmapped
    if unmapped.actual_eur:
        sentences.append(ngettext(
            "%(amount)s of the costs are on %(count)s pair of a cost centre and an account that finance has not "
            "mapped to an org unit or a cost category: they are in the total, on a row of their own.",
            "%(amount)s of the costs are on %(count)s pairs of a cost centre and an account that finance has not "
            "mapped to an org unit or a cost category: they are in the total, on a row of their own.",
            unmapped.pairs) % {"amount": format_meur(unmapped.actual_eur, language), "count": unmapped.pairs})
    return sentences
