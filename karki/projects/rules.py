"""The money rules of a project plan, as pure functions over figures, so that every path checks them the
same way before it writes anything: the forms and the API through `services`, the workbook in its
preview (which checks a whole plan before any row is written), the programme's own project list.

- a budget line's funders' shares add up to its total, none negative;
- a funder never pays more than its allowed share of the project's total cost;
- a budget year lies within the project's years;
- a grant-funded total (total, grant share, own share) adds up, and the grant is never above the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from karki.lib.formatting import format_eur, format_percent

ZERO = Decimal("0")


def _eur(value: Decimal) -> str:
    return format_eur(value, get_language())


def line_errors(*, total: Decimal | None, shares: Mapping[str, Decimal | None], year: int | None,
                years: Iterable[int]) -> list[str]:
    """What is wrong with one budget line: `shares` by funder name, `years` the project's years."""
    errors: list[str] = []
    years = list(years)
    if year is not None and years and year not in years:
        errors.append(_("The year %(year)s is outside the project's years %(first)s–%(last)s.")
                      % {"year": year, "first": years[0], "last": years[-1]})
    if total is None:
        errors.append(_("Give the line's total cost."))
        return errors
    if total < 0:
        errors.append(_("A cost cannot be negative."))
        return errors
    given = {name: amount for name, amount in shares.items() if amount is not None}
    for name, amount in given.items():
        if amount < 0:
            errors.append(_("%(funder)s's share cannot be negative.") % {"funder": name})
        elif amount > total:
            errors.append(_("%(funder)s's share %(share)s is larger than the line's total %(total)s.")
                          % {"funder": name, "share": _eur(amount), "total": _eur(total)})
    added = sum(given.values(), ZERO)
    if added != total:
        errors.append(_("The funders' shares add up to %(shares)s, not to the total %(total)s: "
                        "give each funder's share so that they add up to the total.")
                      % {"shares": _eur(added), "total": _eur(total)})
    return errors


@dataclass(frozen=True)
class FunderLimit:
    name: str
    max_share_pct: Decimal | None


def limit_errors(*, project_total: Decimal, paid: Mapping[str, Decimal],
                 funders: Iterable[FunderLimit]) -> list[str]:
    """A funder's shares over the whole plan against its allowed share of the project's total cost."""
    errors: list[str] = []
    for funder in funders:
        if funder.max_share_pct is None:
            continue
        amount = paid.get(funder.name, ZERO)
        allowed = project_total * funder.max_share_pct / 100
        if amount > allowed:
            errors.append(_("%(funder)s would pay %(amount)s, more than its allowed %(pct)s of the project's "
                            "total cost %(total)s (at most %(allowed)s).")
                          % {"funder": funder.name, "amount": _eur(amount),
                             "pct": format_percent(funder.max_share_pct, get_language(), places=0),
                             "total": _eur(project_total), "allowed": _eur(allowed)})
    return errors


def stated_total_errors(*, total: Decimal | None, grant: Decimal | None, own: Decimal | None) -> dict[str, str]:
    """A total with its grant and own shares, as a programme or a funding decision states them."""
    errors: dict[str, str] = {}
    for field, value in (("total", total), ("grant", grant), ("own", own)):
        if value is not None and value < 0:
            errors[field] = _("An amount cannot be negative.")
    if errors:
        return errors
    if total is not None and grant is not None and grant > total:
        errors["grant"] = (_("The grant share %(grant)s is larger than the total %(total)s.")
                           % {"grant": _eur(grant), "total": _eur(total)})
    elif total is not None and grant is not None and own is not None and grant + own != total:
        errors["total"] = (_("The grant share %(grant)s and the own share %(own)s add up to %(sum)s, "
                             "not to the total %(total)s.")
                           % {"grant": _eur(grant), "own": _eur(own), "sum": _eur(grant + own),
                              "total": _eur(total)})
    elif total is not None and own is not None and own > total:
        errors["own"] = (_("The own share %(own)s is larger than the total %(total)s.")
                         % {"own": _eur(own), "total": _eur(total)})
    return errors
