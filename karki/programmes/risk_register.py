"""The risk register of one version: a likelihood × impact matrix and the same risks as a table, filtered by
category and sorted by the address (score, highest first, unless asked otherwise).

A score is likelihood × impact (1–25). Its level word is what the matrix shows beside the colour, so the
colour is never the only cue: 1–4 low, 5–9 moderate, 10–16 high, 20–25 very high."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from karki.accounts import permissions as perms

from .enums import RiskCategory
from .models import Measure, Risk

SCALE = (1, 2, 3, 4, 5)
LIKELIHOOD_WORDS = {
    1: pgettext_lazy("likelihood", "Very unlikely"), 2: pgettext_lazy("likelihood", "Unlikely"),
    3: pgettext_lazy("likelihood", "Possible"), 4: pgettext_lazy("likelihood", "Likely"),
    5: pgettext_lazy("likelihood", "Very likely"),
}
IMPACT_WORDS = {
    1: pgettext_lazy("impact", "Very small"), 2: pgettext_lazy("impact", "Small"),
    3: pgettext_lazy("impact", "Moderate"), 4: pgettext_lazy("impact", "Large"),
    5: pgettext_lazy("impact", "Very large"),
}
# (lowest score of the level, key, word): the key names the CSS class of the cell's colour.
LEVELS = (
    (20, "very-high", pgettext_lazy("risk level", "Very high")), (10, "high", pgettext_lazy("risk level", "High")),
    (5, "moderate", pgettext_lazy("risk level", "Moderate")), (1, "low", pgettext_lazy("risk level", "Low")),
)

COLUMNS = (
    ("code", _("Code")), ("title", _("Risk")), ("category", _("Category")), ("theme", _("Theme")),
    ("likelihood", _("Likelihood")), ("impact", _("Impact")), ("score", _("Score")), ("owner", _("Owner")),
)
DEFAULT_SORT = "-score"


def level(score: int | None) -> tuple[str, str] | None:
    """(key, word) of a score's level, or None for a risk not yet assessed."""
    if not score:
        return None
    for lowest, key, word in LEVELS:
        if score >= lowest:
            return key, str(word)
    return None


@dataclass
class Row:
    risk: Risk
    people: bool  # the owner's user account may be named (members of the organisation only)
    can_edit: bool = False
    measure_count: int = 0

    @property
    def score(self) -> int | None:
        return self.risk.score

    @property
    def level(self) -> tuple[str, str] | None:
        return level(self.score)

    @property
    def owner_label(self) -> str:
        owner = self.risk.owner
        if owner is not None and self.people:
            name = owner.get_full_name() or owner.get_username()
            return f"{name} ({self.risk.owner_name})" if self.risk.owner_name else name
        return self.risk.owner_name or ""


@dataclass
class Cell:
    likelihood: int
    impact: int
    rows: list[Row] = field(default_factory=list)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> tuple[str, str]:
        return level(self.score)


@dataclass
class Register:
    rows: list[Row]
    total: int
    category: str
    sort: str
    matrix: list[tuple[int, str, list[Cell]]]  # (impact, its word, cells for likelihood 1…5), impact 5 first
    unassessed: list[Row]
    categories: list[tuple[str, str]]

    @property
    def likelihoods(self) -> list[tuple[int, str]]:
        return [(n, str(LIKELIHOOD_WORDS[n])) for n in SCALE]

    @property
    def assessed(self) -> bool:
        """Whether any risk shown has both a likelihood and an impact (else the matrix would be empty)."""
        return len(self.unassessed) < len(self.rows)

    @property
    def level_counts(self) -> list[tuple[str, str, int]]:
        """(key, word, how many) of each level among the risks shown, the most severe first; empty levels left out."""
        found = [(key, str(word), sum(1 for r in self.rows if r.level and r.level[0] == key))
                 for _lowest, key, word in LEVELS]
        return [item for item in found if item[2]]


def _primary(key: str):
    """The value a column sorts by; rows equal in it keep the order of their codes."""
    return {
        "code": lambda r: r.risk.code.casefold(),
        "title": lambda r: str(r.risk.title or "").casefold(),
        "category": lambda r: r.risk.get_category_display().casefold(),
        "theme": lambda r: r.risk.theme.code if r.risk.theme else "",
        "likelihood": lambda r: r.risk.likelihood or 0,
        "impact": lambda r: r.risk.impact or 0,
        "score": lambda r: r.score or 0,
        "owner": lambda r: r.owner_label.casefold() or "\uffff",
    }[key]


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    by_code = sorted(rows, key=_primary("code"))
    # Python's sort is stable also in reverse: equals stay in code order, highest score first.
    return sorted(by_code, key=_primary(sort.lstrip("-")), reverse=sort.startswith("-"))


def build(version, params, *, user) -> Register:
    """The register of `version` as `user` may read it; `params` is the address's query (category, sort)."""
    people = perms.is_member(user, version.programme.organisation_id)
    risks = list(Risk.objects.filter(version=version).select_related("theme", "owner", "version__programme"))
    measures = dict(Measure.objects.filter(version=version, target__theme__isnull=False)
                    .values_list("target__theme_id").annotate(n=Count("pk")).values_list("target__theme_id", "n"))
    rows = [Row(risk=r, people=people, can_edit=perms.can_edit_risk(user, r),
                measure_count=measures.get(r.theme_id, 0) if r.theme_id else 0) for r in risks]
    total = len(rows)
    category = params.get("category", "")
    if category not in RiskCategory.values:
        category = ""  # an unknown category (an old bookmark) shows every risk
    if category:
        rows = [r for r in rows if r.risk.category == category]
    sort = params.get("sort", DEFAULT_SORT)
    if sort.lstrip("-") not in dict(COLUMNS):
        sort = DEFAULT_SORT
    rows = _sorted(rows, sort)
    cells = {(lh, im): Cell(lh, im) for lh in SCALE for im in SCALE}
    unassessed = []
    for row in sorted(rows, key=lambda r: (-(r.score or 0), r.risk.code.casefold())):
        if row.score:
            cells[(row.risk.likelihood, row.risk.impact)].rows.append(row)
        else:
            unassessed.append(row)
    matrix = [(im, str(IMPACT_WORDS[im]), [cells[(lh, im)] for lh in SCALE]) for im in reversed(SCALE)]
    present = {r.category for r in risks}
    categories = [(value, label) for value, label in RiskCategory.choices if value in present or value == category]
    return Register(rows=rows, total=total, category=category, sort=sort, matrix=matrix, unassessed=unassessed,
                    categories=categories)
