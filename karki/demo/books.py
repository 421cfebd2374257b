"""A year of the books for the Kymenlaakso demo: INVENTED SAMPLE DATA.

Nothing here comes from the county's documents or its financial system. The cost centres, accounts,
amounts and the baseline ("TA 2024, esimerkki") are made up so that the pages of savings in the books have
something real-looking to show: a baseline of about 960 M€ by org unit and cost category, monthly actual
costs by cost centre and account that run a little below it in purchased services and a little above it
in personnel costs, and a mapping of cost centres to org units and account ranges to cost categories.
Two things stay unmapped on purpose (a new cost centre and a grants account), as in real books.

Everything goes through the services finance uses (mapping, then importing a CSV file of each kind), so
the demo also exercises the import. Deterministic (a random generator with a fixed seed) and idempotent:
an organisation that already has imports of the books is left as it is.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from karki.accounts.enums import Role
from karki.books import services
from karki.books.enums import BatchKind
from karki.books.models import ImportBatch
from karki.organisations.models import OrgUnit

YEAR = 2024
ORGANISATION = "kymenlaakso"
MILLION = Decimal("1000000")
CENT = Decimal("0.01")

# Org unit → (its yearly baseline in M€, its cost centres and their shares).
UNITS = {
    "TESPA": (520, [("210100", 45), ("210200", 30), ("210300", 8), ("210400", 17)]),
    "SOSPA": (330, [("310100", 30), ("310200", 35), ("310300", 15), ("310400", 20)]),
    "PELA": (35, [("410100", 80), ("410200", 20)]),
    "STRIN": (15, [("510100", 100)]),
    "KOPA": (45, [("610100", 55), ("610200", 45)]),
    "MUUT": (20, [("710100", 100)]),
}
# Shares of each unit's costs by cost category (per cent).
SHARES = {
    "TESPA": {"personnel": 45, "purchased_client_services": 20, "purchased_agency_staff": 6, "purchased_other": 9,
              "materials": 12, "rents": 5, "other": 3},
    "SOSPA": {"personnel": 40, "purchased_client_services": 40, "purchased_agency_staff": 3, "purchased_other": 5,
              "materials": 3, "rents": 7, "other": 2},
    "PELA": {"personnel": 70, "purchased_other": 8, "materials": 10, "rents": 8, "other": 4},
    "STRIN": {"personnel": 50, "purchased_other": 40, "materials": 5, "rents": 3, "other": 2},
    "KOPA": {"personnel": 45, "purchased_other": 25, "materials": 5, "rents": 20, "other": 5},
    "MUUT": {"personnel": 30, "purchased_other": 40, "other": 30},
}
# How the year's actual costs differ from the baseline (per cent), by unit and category; 0 when not listed.
DEVIATION = {
    ("TESPA", "purchased_agency_staff"): Decimal("-18"), ("SOSPA", "purchased_agency_staff"): Decimal("-10"),
    ("TESPA", "purchased_client_services"): Decimal("-2"), ("SOSPA", "purchased_client_services"): Decimal("-3"),
    ("TESPA", "personnel"): Decimal("0.8"), ("SOSPA", "personnel"): Decimal("0.6"),
    ("KOPA", "rents"): Decimal("-4"), ("TESPA", "materials"): Decimal("1.5"), ("PELA", "personnel"): Decimal("1"),
}
# Accounts of each category and their shares (an invented chart of accounts in the municipal style).
ACCOUNTS = {
    "personnel": [("4000", 74), ("4100", 20), ("4200", 6)],
    "purchased_client_services": [("4300", 100)],
    "purchased_agency_staff": [("4410", 100)],
    "purchased_other": [("4400", 70), ("4450", 30)],
    "materials": [("4500", 100)],
    "rents": [("4700", 100)],
    "other": [("4800", 100)],
}
ACCOUNT_RANGES = [("4000", "4299", "personnel"), ("4300", "4399", "purchased_client_services"),
                  ("4400", "4499", "purchased_other"), ("4410", "4410", "purchased_agency_staff"),
                  ("4500", "4599", "materials"), ("4700", "4799", "rents"), ("4800", "4899", "other")]
# Holiday pay in June and July, a quieter summer for purchases (weights of the months, per category kind).
PERSONNEL_MONTHS = [8, 8, 8, 8, 8, 11, 10, 8, 8, 8, 8, 9]
OTHER_MONTHS = [9, 8, 9, 8, 8, 8, 6, 7, 8, 9, 9, 11]


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP)}".replace(".", ",")


def ledger_csv(rng: random.Random) -> bytes:
    lines = ["Vuosi;Kuukausi;Kustannuspaikka;Tili;Summa"]
    for unit, (millions, centres) in UNITS.items():
        for category, share in SHARES[unit].items():
            deviation = DEVIATION.get((unit, category), Decimal(0))
            year_total = Decimal(millions) * MILLION * share / 100 * (1 + deviation / 100)
            weights = PERSONNEL_MONTHS if category == "personnel" else OTHER_MONTHS
            for month, weight in enumerate(weights, start=1):
                month_total = year_total * weight / sum(weights)
                for centre, centre_share in centres:
                    for account, account_share in ACCOUNTS[category]:
                        noise = Decimal(rng.randint(-25, 25)) / 1000
                        amount = month_total * centre_share / 100 * account_share / 100 * (1 + noise)
                        lines.append(f"{YEAR};{month};{centre};{account};{_money(amount)}")
    for month in range(1, 13):  # left unmapped on purpose: grants paid by two cost centres, a new cost centre
        lines.append(f"{YEAR};{month};310200;4900;{_money(Decimal(rng.randint(180_000, 260_000)))}")
        lines.append(f"{YEAR};{month};610100;4900;{_money(Decimal(rng.randint(40_000, 70_000)))}")
        if month >= 9:
            lines.append(f"{YEAR};{month};799900;4000;{_money(Decimal(rng.randint(90_000, 120_000)))}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def baseline_csv() -> bytes:
    lines = ["Vuosi;Kuukausi;Organisaatioyksikkö;Kustannuslaji;Summa"]
    for unit, (millions, _centres) in UNITS.items():
        for category, share in SHARES[unit].items():
            lines.append(f"{YEAR};;{unit};{category};{_money(Decimal(millions) * MILLION * share / 100)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


@transaction.atomic
def load_demo_books(organisation, *, users: dict) -> bool:
    """Map, then import the invented ledger and baseline of Kymenlaakso; False when already there."""
    if organisation.slug != ORGANISATION or ImportBatch.objects.filter(organisation=organisation).exists():
        return False
    finance = users[Role.FINANCE]
    units = {u.code: u for u in OrgUnit.objects.filter(organisation=organisation)}
    for code, (_millions, centres) in UNITS.items():
        for centre, _share in centres:
            services.map_cost_centre(organisation=organisation, cost_centre=centre, org_unit=units[code], by=finance)
    for first, last, category in ACCOUNT_RANGES:
        services.map_accounts(organisation=organisation, first_account=first, last_account=last, category=category,
                              by=finance)
    rng = random.Random(f"{ORGANISATION}-books")
    services.import_file(organisation=organisation, kind=BatchKind.BASELINE, data=baseline_csv(),
                         file_name="esimerkki-talousarvio-2024.csv", label="TA 2024 (esimerkki)", by=finance)
    services.import_file(organisation=organisation, kind=BatchKind.ACTUALS, data=ledger_csv(rng),
                         file_name="esimerkki-kirjanpito-2024.csv", by=finance)
    return True
