"""A year of monthly status reports for the demo programmes: INVENTED SAMPLE DATA.

Nothing here comes from the county documents. The reports are generated deterministically (a random
generator seeded with the programme's slug) for the basket A measures of the latest approved version,
through the same services the application uses, so that the status picture has something to show.
Idempotent: a programme that already has reporting periods is left as it is.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from karki.accounts.enums import Role
from karki.monitoring import services
from karki.monitoring.enums import Phase, TrafficLight, Verification
from karki.monitoring.models import Period, RealisedSaving
from karki.programmes.enums import Recurrence
from karki.programmes.models import Measure

DEMO_YEAR_OFFSET = 1  # the reports cover the programme's second year
PHASES = [Phase.PLANNED, Phase.STARTED, Phase.IN_PROGRESS, Phase.IMPLEMENTED, Phase.BENEFITS_REALISED]
# Share of the yearly effect realised in a month, by phase.
PHASE_SHARE = {Phase.PLANNED: Decimal("0"), Phase.STARTED: Decimal("0.2"), Phase.IN_PROGRESS: Decimal("0.5"),
               Phase.IMPLEMENTED: Decimal("0.8"), Phase.BENEFITS_REALISED: Decimal("1")}
NARRATIVES = {
    TrafficLight.GREEN: "Esimerkkiaineisto: eteni suunnitellusti.",
    TrafficLight.AMBER: "Esimerkkiaineisto: aikataulu venyy hieman.",
    TrafficLight.RED: "Esimerkkiaineisto: toimeenpano on pysähtynyt.",
}
# Owners who have an account in Kärki also state their confidence (0–100); the others leave it empty.
OWNER_CONFIDENCE = {TrafficLight.GREEN: 85, TrafficLight.AMBER: 60, TrafficLight.RED: 30}
CATEGORIES = ["personnel", "purchased_agency_staff", "purchased_client_services", "materials"]
# A few claims of the year are one-off (kertaluonteinen): in these months the first measure that saves
# anything reports its month's amount as a one-off saving in rents or other costs, with a reason.
ONE_OFFS = {
    3: ("rents", "Esimerkkiaineisto: tyhjäksi jäänyt toimitila myytiin; kertaluonteinen säästö."),
    5: ("other", "Esimerkkiaineisto: laitehankinta siirrettiin seuraavalle vuodelle; kertaluonteinen säästö."),
    8: ("rents", "Esimerkkiaineisto: vuokrasopimus purettiin ennen aikojaan ja loppukauden vuokra jäi "
                 "maksamatta; kertaluonteinen säästö."),
    10: ("other", "Esimerkkiaineisto: kalustehankinta siirrettiin seuraavalle vuodelle; kertaluonteinen säästö."),
}


def _yearly_effect(measure: Measure, per_target: dict[int, int], fallback: Decimal) -> Decimal:
    for item, share in ((measure, 1), (measure.target, per_target.get(measure.target_id, 1))):
        estimate = item.estimate if item is not None else None
        if estimate is not None and estimate.expected:
            return Decimal(estimate.expected) / share
    return fallback


def _fallback_effect(programme, measures: list[Measure]) -> Decimal:
    """For a measure without any estimate of its own or its target's (Kymenlaakso sets its targets by
    cost category and service area instead): an even share of the programme's yearly target."""
    if not programme.target_eur or not measures:
        return Decimal("50000")
    years = max(len(programme.years), 1)
    return (programme.target_eur / years / len(measures)).quantize(Decimal("1"))


@transaction.atomic
def load_demo_reports(programme, *, users: dict, each_month=None) -> int:
    """`each_month(period, users=…)` writes other monthly follow-up (the sample project's) before a month closes."""
    version = services.running_version(programme)
    if version is None or Period.objects.filter(programme=programme).exists():
        return 0
    pmo = users[Role.PMO]
    rng = random.Random(programme.slug)
    measures = list(services.reporting_measures(version))
    per_target: dict[int, int] = {}
    for m in measures:
        per_target[m.target_id] = per_target.get(m.target_id, 0) + 1
    year = programme.period_start + DEMO_YEAR_OFFSET
    fallback = _fallback_effect(programme, measures)
    state = {m.code: {"phase": 0, "yearly": _yearly_effect(m, per_target, fallback), "category": rng.choice(CATEGORIES),
                      "cancelled": False} for m in measures}
    count = 0
    for month in range(1, 13):
        period = services.open_period(programme=programme, year=year, month=month, by=pmo)
        last = month == 12
        one_off = ONE_OFFS.get(month)
        for measure in measures:
            s = state[measure.code]
            if s["cancelled"] or (last and rng.random() < 0.3):
                continue  # the latest month still has missing reports, as in real life
            if rng.random() < 0.25 and s["phase"] < len(PHASES) - 1:
                s["phase"] += 1
            status = rng.choices(list(TrafficLight), weights=[6, 3, 1])[0]
            phase = PHASES[s["phase"]]
            if status == TrafficLight.RED and rng.random() < 0.05:
                phase, s["cancelled"] = Phase.CANCELLED, True
            share = PHASE_SHARE.get(phase, Decimal("0"))
            amount = (s["yearly"] / 12 * share * Decimal(rng.randint(50, 110)) / 100).quantize(Decimal("1"))
            by = measure.owner or pmo
            savings, narrative = ({s["category"]: amount} if amount > 0 else {}), NARRATIVES[status]
            if one_off and amount > 0:
                category, narrative = one_off
                savings, one_off = {(category, Recurrence.ONE_OFF): amount}, None
            report = services.record_status_report(
                measure, period=period, by=by, phase=phase, status=status, narrative=narrative,
                obstacles="Esimerkkiaineisto: henkilöstöresurssit." if status == TrafficLight.RED else "",
                escalation=status == TrafficLight.RED and rng.random() < 0.5,
                savings=savings, submit=True,
                confidence=OWNER_CONFIDENCE[status] if measure.owner else None,
            )
            if not last:
                services.review_report(report, by=pmo, accept=True)
            count += 1
        if each_month is not None:
            each_month(period, users=users)
        if not last:
            services.close_period(period=period, by=pmo)
    return count


# Finance's reasons when the books do not bear a claim out as reported (invented, in the county's Finnish).
ADJUST_REASONS = [
    "Esimerkkiaineisto: kirjanpidon mukaan vuokratyövoiman kulut laskivat ilmoitettua vähemmän; osa laskuista "
    "kirjautui seuraavalle kuukaudelle.",
    "Esimerkkiaineisto: säästöstä on vähennetty korvaavan ostopalvelun kustannus.",
    "Esimerkkiaineisto: henkilöstökulujen säästö oikaistu toteutuneiden palkkojen mukaan (sijaiskulut huomioitu).",
]
REJECT_REASONS = [
    "Esimerkkiaineisto: kustannus ei ole laskenut kirjanpidossa; kulu siirtyi toiselle kustannuspaikalle.",
    "Esimerkkiaineisto: kyse on hankinnan siirrosta seuraavalle vuodelle, ei toimenpiteen vaikutuksesta.",
]


@transaction.atomic
def load_demo_verifications(programme, *, users: dict) -> int:
    """Finance's verification of the demo year's claims: INVENTED. Finance works a few months behind, as in
    real life: most claims of the first months are decided (verified, some adjusted, a few rejected), the
    later months mostly wait. Idempotent: a programme where finance has decided anything is left as it is."""
    savings = list(RealisedSaving.objects.for_programme(programme).received()
                   .select_related("report__period", "report__measure").order_by("report__period__year",
                                                                                  "report__period__month",
                                                                                  "report__measure_code", "category"))
    if not savings or any(s.verification != Verification.CLAIMED for s in savings):
        return 0
    finance = users[Role.FINANCE]
    rng = random.Random(f"{programme.slug}:verification")
    count = 0
    for saving in savings:
        month = saving.report.period.month
        if rng.random() > (0.95 if month <= 6 else 0.7 if month <= 9 else 0.15):
            continue  # still waits for finance
        draw = rng.random()
        if draw < 0.08:
            services.verify_saving(saving, by=finance, decision=Verification.REJECTED,
                                   reason=rng.choice(REJECT_REASONS))
        elif draw < 0.25:
            share = Decimal(rng.randint(55, 90)) / 100
            services.verify_saving(saving, by=finance, decision=Verification.ADJUSTED,
                                   amount=(saving.amount_eur * share).quantize(Decimal("1")),
                                   reason=rng.choice(ADJUST_REASONS))
        else:
            services.verify_saving(saving, by=finance, decision=Verification.VERIFIED)
        count += 1
    return count
