"""Demo key results: a few objectives per demo organisation with a year of monthly check-ins.

Everything here is INVENTED sample data (the county documents have no OKR table): objectives are
marked `is_sample_data` and every check-in says so in its comment. Idempotent: an organisation
that already has sample objectives is left as it is. The check-ins cover the same year as the demo's
monthly status reports (the programme's second year, up to the current month), so that the status
picture of those months shows the key results at risk.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from karki.accounts.enums import Role
from karki.lib import dates
from karki.okr import services
from karki.okr.enums import Direction
from karki.okr.models import Objective
from karki.organisations.models import OrgUnit
from karki.programmes.models import Programme

from .reports import DEMO_YEAR_OFFSET

SAMPLE_COMMENT = "Keksitty esimerkkitieto – invented sample data."

# (service area code, name, result area code, name, objective, [key results])
# key result: text, unit, baseline, target, direction, pace (1 = on the path), confidence first → last, measure
DEMO_OKR = {
    "ita-uusimaa": [
        ("IKA", "Ikäihmisten palvelut", "IKA-KOTI", "Kotihoito", "Yhä useampi ikäihminen asuu kotona", [
            ("Kotihoidon kattavuus 75 vuotta täyttäneistä nousee 6 %:iin", "%", "5.2", "6.0", Direction.UP,
             Decimal("1.05"), 70, 75, "3.1.a"),
            ("Ympärivuorokautisen palveluasumisen hinta alle 190 €/vrk", "€/vrk", "205", "190", Direction.DOWN,
             Decimal("0.6"), 60, 40, None),
        ]),
        ("IKA", "Ikäihmisten palvelut", None, None, "Henkilöstö voi hyvin", [
            ("Sairauspoissaolot laskevat alle 5 %:n", "%", "6.5", "5.0", Direction.DOWN, Decimal("1.1"), 65, 80, None),
        ]),
    ],
    "kymenlaakso": [
        ("SOSPA", None, None, None, "Ostopalvelujen osuus pienenee", [
            ("Ostopalvelujen kustannukset laskevat 5 M€", "M€", "0", "5", Direction.UP, Decimal("0.8"), 55, 45,
             "3.1.a"),
            ("Vuokratyövoiman käyttö puolittuu", "htv", "120", "60", Direction.DOWN, Decimal("1.0"), 70, 72, None),
        ]),
    ],
}


def _months(last: date, count: int = 12) -> list[date]:
    """The first days of `count` months ending with the month of `last` (never after today)."""
    last = min(last, dates.today())
    year, month = last.year, last.month
    found = []
    for _i in range(count):
        found.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(found))


def _unit(organisation, code, name, parent, by) -> OrgUnit:
    from karki.organisations.services import create_org_unit

    unit = OrgUnit.objects.filter(organisation=organisation, code=code).first()
    return unit or create_org_unit(organisation=organisation, code=code, name={"fi": name}, parent=parent, by=by)


@transaction.atomic
def load_demo_okr(organisation, *, users: dict) -> bool:
    """Returns whether anything was created."""
    rows = DEMO_OKR.get(organisation.slug)
    if not rows or Objective.objects.filter(organisation=organisation, is_sample_data=True).exists():
        return False
    by = users[Role.PMO]
    programme = Programme.objects.filter(organisation=organisation).order_by("pk").first()
    last = date(programme.period_start + DEMO_YEAR_OFFSET, 12, 1) if programme else dates.today()
    months = _months(last)
    start, deadline = months[0], months[-1] + timedelta(days=90)
    for area_code, area_name, result_code, result_name, title, key_results in rows:
        unit = _unit(organisation, area_code, area_name, None, by)
        if result_code:
            unit = _unit(organisation, result_code, result_name, unit, by)
        objective = services.create_objective(organisation=organisation, org_unit=unit, title=title, by=by,
                                              start_date=start, is_sample_data=True)
        for text, unit_label, baseline, target, direction, pace, conf_first, conf_last, measure in key_results:
            baseline, target = Decimal(baseline), Decimal(target)
            kr = services.create_key_result(
                objective=objective, text=text, unit=unit_label, baseline=baseline, target=target,
                direction=direction, deadline=deadline, by=by,
                measures=[(programme, measure)] if measure and programme else [])
            span = Decimal((deadline - start).days)
            for index, day in enumerate(months):
                share = Decimal((day - start).days) / span
                value = (baseline + (target - baseline) * share * pace).quantize(Decimal("0.01"))
                confidence = round(conf_first + (conf_last - conf_first) * index / (len(months) - 1))
                services.check_in(key_result=kr, on=day, value=value, confidence=confidence, comment=SAMPLE_COMMENT,
                                  by=by)
    return True
