"""Writes to programmes. Views, the API, importers and commands all call these functions.

Each runs in a transaction, records its author in the history (django-simple-history's
`_history_user`), and raises `ValidationError` with a message for the user when the input
breaks a rule of the domain.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from karki.audit.recording import combine, current_reason, delete_with_history
from karki.core import conflicts
from karki.core.content import set_translations
from karki.lib import dates, money
from karki.lib.codes import clashing_code, clean_code
from karki.projects.rules import stated_total_errors

from .enums import Basket, EstimateKind, Recurrence, VersionStatus
from .models import (
    VERSION_CONTENT_MODELS,
    CostCategoryEffect,
    Funding,
    FundingAllocation,
    Goal,
    ImpactAssessment,
    Indicator,
    Measure,
    MeasureDependency,
    Programme,
    ProgrammeVersion,
    Project,
    ProjectMeasure,
    Publication,
    Risk,
    StatedTotal,
    Target,
    Theme,
    TopDownTarget,
    VersionContent,
    VersionFrozen,
    YearlyRampStep,
)

# A keyword argument left at UNCHANGED keeps the stored value (where None would clear it).
UNCHANGED = object()

# modeltranslation keeps the base column next to name_fi/name_sv/name_en; the per-language ones say more.
_UNTRANSLATED_BASE_FIELDS = ("name", "description", "estimate_note", "title", "mitigation", "note", "label",
                             "service_level_effect")

# update_measure keeps the contingency fields when a caller does not mention them, so that callers
# written before they existed (scripts, older API clients) cannot clear them by accident.
_KEEP = object()


def _save(obj, by, reason: str = "") -> None:
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()


def _check_draft(version: ProgrammeVersion) -> None:
    """Refuse writes to an approved version. The version row is locked (on PostgreSQL) until the
    transaction ends, so an approval cannot slip in between this check and the write."""
    status = ProgrammeVersion.objects.select_for_update().filter(pk=version.pk).values_list("status", flat=True).first()
    if status != VersionStatus.DRAFT:
        raise VersionFrozen(version)


def _check_revision(obj, expected_revision: int | None) -> None:
    conflicts.check_revision(obj, expected_revision, hidden_fields=_UNTRANSLATED_BASE_FIELDS)


def _bump(obj) -> None:
    obj.revision = (obj.revision or 0) + 1


# -- Programmes and versions ---------------------------------------------------------------


@transaction.atomic
def create_programme(*, organisation, slug: str, name: dict, period_start: int, period_end: int, by,
                     target_eur: Decimal | None = None, target_year: int | None = None,
                     is_sample_data: bool = False, **extra) -> Programme:
    programme = Programme(
        organisation=organisation, slug=slug, period_start=period_start, period_end=period_end,
        target_eur=target_eur, target_year=target_year, is_sample_data=is_sample_data,
    )
    set_translations(programme, "name", name)
    for field in ("description", "target_description", "baseline_label", "decision_body"):
        if field in extra:
            set_translations(programme, field, extra.pop(field))
    for field, value in extra.items():
        setattr(programme, field, value)
    # The last year not before the first, the target and deficit years among the programme's years.
    programme.clean()
    _save(programme, by)
    return programme


_PROGRAMME_TRANSLATED = ("name", "description", "target_description", "baseline_label", "decision_body")
_PROGRAMME_PLAIN = ("period_start", "period_end", "target_eur", "target_year", "deficit_eur", "deficit_year",
                    "baseline_year", "baseline_operating_costs_eur", "decision_date", "decision_reference")


@transaction.atomic
def update_programme(*, programme: Programme, by, **facts) -> Programme:
    """Change the facts of a programme (name, period, financial target, accumulated deficit, baseline,
    decision).

    Translated facts are given as {"fi": …, "sv": …, "en": …}; a fact not given keeps its value.
    The identifier (slug) is not a fact: addresses and exports name the programme by it."""
    unknown = set(facts) - set(_PROGRAMME_TRANSLATED) - set(_PROGRAMME_PLAIN)
    if unknown:
        raise TypeError(f"update_programme() got unexpected facts {sorted(unknown)}")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    for field in _PROGRAMME_TRANSLATED:
        if field in facts:
            set_translations(programme, field, facts[field] or {})
    for field in _PROGRAMME_PLAIN:
        if field in facts:
            value = facts[field]
            setattr(programme, field, "" if value is None and field == "decision_reference" else value)
    programme.clean()  # the last year not before the first, the target year one of the programme's years
    _save(programme, by)
    return programme


@transaction.atomic
def create_version(*, programme: Programme, by, label: dict | None = None, date=None, source: str = "",
                   stated_total_eur: Decimal | None = None, effects_start_year: int | None = None) -> ProgrammeVersion:
    """A new, empty draft version (the first one of a programme, or one to be filled by an import)."""
    number = (programme.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ProgrammeVersion(
        programme=programme, number=number, date=date, source=source, stated_total_eur=stated_total_eur,
        effects_start_year=effects_start_year,
    )
    set_translations(version, "label", label or {})
    _save(version, by)
    return version


@transaction.atomic
def start_new_version(*, programme: Programme, by, label: dict | None = None) -> ProgrammeVersion:
    """A new draft that starts as a copy of the latest version."""
    latest = programme.versions.order_by("-number").first()
    if latest is None:
        return create_version(programme=programme, by=by, label=label)
    if latest.is_draft:
        raise ValidationError(
            _("Version %(label)s is still a draft. Approve it before starting a new version.")
            % {"label": latest.display_label}
        )
    version = ProgrammeVersion(
        programme=programme, number=latest.number + 1, based_on=latest, date=dates.today(),
        stated_total_eur=latest.stated_total_eur, effects_start_year=latest.effects_start_year,
        source=latest.source,
    )
    set_translations(version, "label", label or {
        "fi": f"Versio {latest.number + 1}", "sv": f"Version {latest.number + 1}", "en": f"Version {latest.number + 1}",
    })
    _save(version, by, reason=f"copy of version {latest.number}")
    copy_version_content(source=latest, target=version, by=by)
    return version


def copy_version_content(*, source: ProgrammeVersion, target: ProgrammeVersion, by) -> None:
    """Copy every content row of `source` into `target`, remapping foreign keys between copies.

    One bulk insert per kind of row with its history ("created", by `by`, with the reason of the
    surrounding `change_reason` block if any), as saving each copy would write it: a version of a
    1 000-measure programme is about 1 500 rows."""
    mapping: dict[type, dict[int, int]] = {}
    reason = combine(current_reason(), None)  # what the audit's hook gives a history row saved in the block
    for model in VERSION_CONTENT_MODELS:
        fk_fields = [
            f for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in mapping and f.name != "version"
        ]
        originals = list(model.objects.filter(version=source).order_by("pk"))
        old_pks = [obj.pk for obj in originals]
        for obj in originals:
            obj.pk = None
            obj.id = None
            obj._state.adding = True
            obj.version = target
            for field in fk_fields:
                old_ref = getattr(obj, field.attname)
                if old_ref is not None:
                    setattr(obj, field.attname, mapping[field.related_model][old_ref])
            obj._history_user = by
            obj._change_reason = reason
        copies = bulk_create_with_history(originals, model, default_user=by) if originals else []
        mapping[model] = {old: copy.pk for old, copy in zip(old_pks, copies, strict=True)}


@transaction.atomic
def approve_version(*, version: ProgrammeVersion, by, date=None) -> ProgrammeVersion:
    version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    _check_draft(version)
    if not Theme.objects.filter(version=version).exists():
        raise ValidationError(_("An empty version cannot be approved: add at least one theme first."))
    version.status = VersionStatus.APPROVED
    version.approved_at = dates.now()
    version.approved_by = by
    if date is not None:
        version.date = date  # the date of the decision; `approved_at` records when it was entered
    _save(version, by, reason="approved")
    return version


@transaction.atomic
def publish_version(*, version: ProgrammeVersion, by) -> Publication:
    """Make an approved version readable to signed-in users of other organisations."""
    version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_draft:
        raise ValidationError(_("Only an approved version can be published."))
    if Publication.objects.filter(version=version, withdrawn_at__isnull=True).exists():
        raise ValidationError(_("Version %(number)s is already published.") % {"number": version.number})
    publication = Publication(version=version, published_at=dates.now(), published_by=by)
    _save(publication, by, reason="published")
    return publication


@transaction.atomic
def withdraw_publication(*, version: ProgrammeVersion, by) -> Publication:
    publication = Publication.objects.select_for_update().filter(version=version, withdrawn_at__isnull=True).first()
    if publication is None:
        raise ValidationError(_("Version %(number)s is not published.") % {"number": version.number})
    publication.withdrawn_at = dates.now()
    publication.withdrawn_by = by
    _save(publication, by, reason="withdrawn")
    return publication


@transaction.atomic
def update_version(*, version: ProgrammeVersion, by, label: dict | None = None,
                   stated_total_eur: Decimal | None = None, date=UNCHANGED, source=UNCHANGED,
                   effects_start_year=UNCHANGED) -> ProgrammeVersion:
    _check_draft(version)
    if label is not None:
        set_translations(version, "label", label)
    version.stated_total_eur = stated_total_eur
    if date is not UNCHANGED:
        version.date = date
    if source is not UNCHANGED:
        version.source = source or ""
    if effects_start_year is not UNCHANGED:
        version.effects_start_year = effects_start_year
    _save(version, by)
    return version


# -- Themes, targets, measures -------------------------------------------------------------


def _next_order(model, **filters) -> int:
    last = model.objects.filter(**filters).order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _check_owner(version: ProgrammeVersion, owner, field: str = "owner") -> None:
    """An owner is a person of the programme's own organisation."""
    if owner is None:
        return
    from karki.accounts.models import Membership

    organisation_id = version.programme.organisation_id
    if not Membership.objects.filter(user=owner, organisation_id=organisation_id).exists():
        raise ValidationError({field: _("The owner must be a Kärki user of %(organisation)s.")
                               % {"organisation": version.programme.organisation}})


def _check_code_free(model, version, code: str, exclude_pk=None) -> None:
    """Refuse a code another row of the list already has, whatever its case (2.1.B beside 2.1.b)."""
    qs = model.objects.filter(version=version)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    stored = clashing_code(code, qs.values_list("code", flat=True))
    if stored == clean_code(code):
        raise ValidationError({"code": _("The code %(code)s is already used in this version.") % {"code": stored}})
    if stored is not None:
        raise ValidationError({"code": _("The code %(code)s is already used in this version as %(stored)s: codes "
                                         "that differ only by upper and lower case are the same code.")
                               % {"code": clean_code(code), "stored": stored}})


@transaction.atomic
def create_theme(*, version: ProgrammeVersion, code: str, name: dict, by, description: dict | None = None,
                 owner=None, owner_name: str = "") -> Theme:
    _check_draft(version)
    code = clean_code(code)
    _check_code_free(Theme, version, code)
    _check_owner(version, owner)
    theme = Theme(version=version, code=code, owner=owner, owner_name=owner_name,
                  order=_next_order(Theme, version=version))
    set_translations(theme, "name", name)
    set_translations(theme, "description", description or {})
    _save(theme, by)
    return theme


@transaction.atomic
def update_theme(*, theme: Theme, by, code: str, name: dict, description: dict | None = None, owner=None,
                 owner_name: str = "", expected_revision: int | None = None) -> Theme:
    _check_draft(theme.version)
    _check_revision(theme, expected_revision)
    code = clean_code(code)
    _check_code_free(Theme, theme.version, code, exclude_pk=theme.pk)
    _check_owner(theme.version, owner)
    theme.code = code
    theme.owner = owner
    theme.owner_name = owner_name
    set_translations(theme, "name", name)
    set_translations(theme, "description", description or {})
    _bump(theme)
    _save(theme, by)
    return theme


def validate_estimate(kind: str, amount: Decimal | None, low: Decimal | None, high: Decimal | None) -> dict:
    """Check an estimate's figures against its kind; return the fields to store."""
    errors: dict[str, str] = {}
    if kind in (EstimateKind.POINT, EstimateKind.UPPER_BOUND):
        if amount is None:
            errors["estimate_amount_eur"] = _("Give the amount in euros.")
        elif amount < 0:
            errors["estimate_amount_eur"] = _(
                "A savings estimate cannot be negative. Record an investment as a cost-category effect."
            )
        low = high = None
    elif kind == EstimateKind.RANGE:
        if low is None:
            errors["estimate_min_eur"] = _("Give the lower end of the range.")
        if high is None:
            errors["estimate_max_eur"] = _("Give the upper end of the range.")
        if low is not None and high is not None and low > high:
            errors["estimate_max_eur"] = _("The upper end of the range must not be below the lower end.")
        amount = None
    else:
        amount = low = high = None
    if errors:
        raise ValidationError(errors)
    return {"estimate_kind": kind or "", "estimate_amount_eur": amount, "estimate_min_eur": low,
            "estimate_max_eur": high}


def _apply_estimate(obj, estimate: dict | None) -> None:
    estimate = estimate or {}
    fields = validate_estimate(
        estimate.get("kind") or "",
        money.to_decimal(estimate.get("amount_eur")),
        money.to_decimal(estimate.get("min_eur")),
        money.to_decimal(estimate.get("max_eur")),
    )
    for key, value in fields.items():
        setattr(obj, key, value)
    # Left out (an older client or workbook): recurring, the default of an estimate.
    recurrence = estimate.get("recurrence") or Recurrence.RECURRING
    if recurrence not in Recurrence.values:
        raise ValidationError({"estimate_recurrence": _("Choose recurring or one-off.")}, code="invalid_recurrence")
    obj.estimate_recurrence = recurrence
    set_translations(obj, "estimate_note", estimate.get("note") or {})


@transaction.atomic
def create_target(*, theme: Theme, code: str, name: dict, by, description: dict | None = None,
                  estimate: dict | None = None, org_unit=None, potential_class_stated: str = "",
                  difficulty: str = "") -> Target:
    _check_draft(theme.version)
    code = clean_code(code)
    _check_code_free(Target, theme.version, code)
    target = Target(version=theme.version, theme=theme, code=code, org_unit=org_unit,
                    potential_class_stated=potential_class_stated or "", difficulty=difficulty or "",
                    order=_next_order(Target, theme=theme))
    set_translations(target, "name", name)
    set_translations(target, "description", description or {})
    _apply_estimate(target, estimate)
    _save(target, by)
    return target


@transaction.atomic
def update_target(*, target: Target, by, code: str, name: dict, description: dict | None = None,
                  estimate: dict | None = None, org_unit=None, potential_class_stated: str = "",
                  difficulty: str = "", theme: Theme | None = None, expected_revision: int | None = None) -> Target:
    """`theme` moves the target (with its measures) to another theme of the version; None keeps it."""
    _check_draft(target.version)
    _check_revision(target, expected_revision)
    code = clean_code(code)
    _check_code_free(Target, target.version, code, exclude_pk=target.pk)
    if theme is not None:
        if theme.version_id != target.version_id:
            raise ValidationError({"theme": _("The theme belongs to another version.")})
        target.theme = theme
    target.code = code
    target.org_unit = org_unit
    target.potential_class_stated = potential_class_stated or ""
    target.difficulty = difficulty or ""
    set_translations(target, "name", name)
    set_translations(target, "description", description or {})
    _apply_estimate(target, estimate)
    _bump(target)
    _save(target, by)
    return target


def _apply_contingency(measure: Measure, *, contingency_rank, service_level_impact, service_level_effect) -> None:
    """Management's order of preference (basket B and C only) and the cost in service level."""
    if contingency_rank is not _KEEP:
        if contingency_rank is not None and measure.basket == Basket.A:
            raise ValidationError({"contingency_rank": _(
                "Only basket B and C measures have an order of preference; basket A measures are all run.")})
        if contingency_rank is not None and contingency_rank < 1:
            raise ValidationError({"contingency_rank": _("The order of preference starts from 1.")})
        measure.contingency_rank = contingency_rank
    if service_level_impact is not _KEEP:
        measure.service_level_impact = service_level_impact or ""
    if service_level_effect is not _KEEP:
        set_translations(measure, "service_level_effect", service_level_effect or {})


@transaction.atomic
def create_measure(*, version: ProgrammeVersion, code: str, name: dict, by, target: Target | None = None,
                   basket: str = Basket.A, description: dict | None = None, horizon: str = "",
                   difficulty: str = "", estimate: dict | None = None, org_unit=None, owner=None,
                   owner_name: str = "", contingency_rank: int | None = None, service_level_impact: str = "",
                   service_level_effect: dict | None = None) -> Measure:
    _check_draft(version)
    if basket == Basket.A and target is None:
        raise ValidationError({"target": _("A basket A measure belongs to a productivity target.")})
    if target is not None and target.version_id != version.pk:
        raise ValidationError({"target": _("The target belongs to another version.")})
    code = clean_code(code)
    _check_code_free(Measure, version, code)
    _check_owner(version, owner)
    measure = Measure(version=version, target=target, code=code, basket=basket, horizon=horizon or "",
                      difficulty=difficulty or "", org_unit=org_unit, owner=owner, owner_name=owner_name,
                      order=_next_order(Measure, version=version))
    set_translations(measure, "name", name)
    set_translations(measure, "description", description or {})
    _apply_estimate(measure, estimate)
    _apply_contingency(measure, contingency_rank=contingency_rank, service_level_impact=service_level_impact,
                       service_level_effect=service_level_effect)
    _save(measure, by)
    return measure


@transaction.atomic
def update_measure(*, measure: Measure, by, code: str, name: dict, description: dict | None = None,
                   horizon: str = "", difficulty: str = "", estimate: dict | None = None, org_unit=None,
                   owner=None, owner_name: str = "", target: Target | None = None, basket: str | None = None,
                   expected_revision: int | None = None, contingency_rank=_KEEP, service_level_impact=_KEEP,
                   service_level_effect=_KEEP) -> Measure:
    """`target` None keeps the measure's target. `basket` moves the measure to basket A, B or C and
    then `target` is its whole placement: a B or C measure given no target has none afterwards.
    The contingency fields (B and C measures) are left as they are unless given."""
    _check_draft(measure.version)
    _check_revision(measure, expected_revision)
    code = clean_code(code)
    _check_code_free(Measure, measure.version, code, exclude_pk=measure.pk)
    _check_owner(measure.version, owner)
    if target is not None and target.version_id != measure.version_id:
        raise ValidationError({"target": _("The target belongs to another version.")})
    if basket is not None:
        if basket == Basket.A and target is None and measure.target_id is None:
            raise ValidationError({"target": _("A basket A measure belongs to a productivity target.")})
        measure.basket = basket
        if target is None and basket != Basket.A:
            measure.target = None
    if target is not None:
        measure.target = target
    measure.code = code
    measure.horizon = horizon or ""
    measure.difficulty = difficulty or ""
    measure.org_unit = org_unit
    measure.owner = owner
    measure.owner_name = owner_name
    set_translations(measure, "name", name)
    set_translations(measure, "description", description or {})
    _apply_estimate(measure, estimate)
    _apply_contingency(measure, contingency_rank=contingency_rank, service_level_impact=service_level_impact,
                       service_level_effect=service_level_effect)
    _bump(measure)
    _save(measure, by)
    return measure


@transaction.atomic
def set_estimate(*, item: Target | Measure, by, estimate: dict | None,
                 expected_revision: int | None = None) -> Target | Measure:
    """Change only the money figure of a target or a measure."""
    _check_draft(item.version)
    _check_revision(item, expected_revision)
    _apply_estimate(item, estimate)
    _bump(item)
    _save(item, by, reason="estimate")
    return item


@transaction.atomic
def delete_content(*, obj: VersionContent, by, expected_revision: int | None = None) -> None:
    """Remove a row from a draft; its last values stay in the history with the person who removed it."""
    _check_draft(obj.version)
    if hasattr(obj, "revision"):
        _check_revision(obj, expected_revision)
    # Rows removed with it (its dependencies, impact assessments, …) are recorded with the same author.
    delete_with_history(obj, by)


# -- Risks ---------------------------------------------------------------------------------


def _risk_fields(risk: Risk, *, version, code, title, theme, category, description, likelihood, impact,
                 mitigation, owner_name, owner=UNCHANGED) -> None:
    if theme is not None and theme.version_id != version.pk:
        raise ValidationError({"theme": _("The theme belongs to another version.")})
    if owner is not UNCHANGED:
        _check_owner(version, owner)
        risk.owner = owner
    risk.code = code
    risk.theme = theme
    risk.category = category
    risk.likelihood = likelihood
    risk.impact = impact
    risk.owner_name = owner_name
    set_translations(risk, "title", title)
    set_translations(risk, "description", description or {})
    set_translations(risk, "mitigation", mitigation or {})


@transaction.atomic
def create_risk(*, version: ProgrammeVersion, code: str, title: dict, category: str, by, theme: Theme | None = None,
                description: dict | None = None, likelihood: int | None = None, impact: int | None = None,
                mitigation: dict | None = None, owner=None, owner_name: str = "") -> Risk:
    _check_draft(version)
    code = clean_code(code)
    _check_code_free(Risk, version, code)
    risk = Risk(version=version, order=_next_order(Risk, version=version))
    _risk_fields(risk, version=version, code=code, title=title, theme=theme, category=category,
                 description=description, likelihood=likelihood, impact=impact, mitigation=mitigation,
                 owner=owner, owner_name=owner_name)
    _save(risk, by)
    return risk


@transaction.atomic
def update_risk(*, risk: Risk, by, code: str, title: dict, category: str, theme: Theme | None = None,
                description: dict | None = None, likelihood: int | None = None, impact: int | None = None,
                mitigation: dict | None = None, owner=UNCHANGED, owner_name: str = "",
                expected_revision: int | None = None) -> Risk:
    """`owner` (a Kärki user) is kept unless given: the forms name the owner only as written."""
    _check_draft(risk.version)
    _check_revision(risk, expected_revision)
    code = clean_code(code)
    _check_code_free(Risk, risk.version, code, exclude_pk=risk.pk)
    _risk_fields(risk, version=risk.version, code=code, title=title, theme=theme, category=category,
                 description=description, likelihood=likelihood, impact=impact, mitigation=mitigation,
                 owner=owner, owner_name=owner_name)
    _bump(risk)
    _save(risk, by)
    return risk


# -- Dependencies --------------------------------------------------------------------------


def find_dependency_path(version: ProgrammeVersion, start: Measure, goal: Measure) -> list[int] | None:
    """A chain start → … → goal along "depends on" edges, or None."""
    edges: dict[int, set[int]] = {}
    for src, dst in MeasureDependency.objects.filter(version=version).values_list("measure_id", "depends_on_id"):
        edges.setdefault(src, set()).add(dst)
    stack: list[tuple[int, list[int]]] = [(start.pk, [start.pk])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node == goal.pk:
            return path
        if node in seen:
            continue
        seen.add(node)
        for nxt in sorted(edges.get(node, ())):
            stack.append((nxt, [*path, nxt]))
    return None


@transaction.atomic
def add_dependency(*, measure: Measure, depends_on: Measure, by, note: dict | None = None) -> MeasureDependency:
    _check_draft(measure.version)
    if depends_on.version_id != measure.version_id:
        raise ValidationError(_("Both measures must be in the same version."))
    if depends_on.pk == measure.pk:
        raise ValidationError(_("A measure cannot depend on itself."))
    if MeasureDependency.objects.filter(measure=measure, depends_on=depends_on).exists():
        raise ValidationError(
            _("%(measure)s already depends on %(other)s.") % {"measure": measure.code, "other": depends_on.code}
        )
    path = find_dependency_path(measure.version, depends_on, measure)
    if path is not None:
        codes = dict(Measure.objects.filter(pk__in=path).values_list("pk", "code"))
        chain = " → ".join([measure.code, *[codes[pk] for pk in path]])
        raise ValidationError(
            _("This dependency would create a cycle: %(chain)s. A measure cannot wait for itself.")
            % {"chain": chain},
            code="dependency_cycle",
        )
    dependency = MeasureDependency(version=measure.version, measure=measure, depends_on=depends_on)
    set_translations(dependency, "note", note or {})
    _save(dependency, by)
    return dependency


@transaction.atomic
def update_dependency(*, dependency: MeasureDependency, by, note: dict | None = None) -> MeasureDependency:
    """Change the note of a dependency; which measures it joins is the dependency itself."""
    _check_draft(dependency.version)
    set_translations(dependency, "note", note or {})
    _save(dependency, by)
    return dependency


# -- Details of a version ------------------------------------------------------------------
# Stated totals, the yearly ramp, cost-category effects, top-down targets, funding, projects,
# indicators, impact assessments and goals carry no rule beyond their fields and constraints, so
# one pair of services writes them all (the rows with rules of their own have theirs above).

DETAIL_MODELS = (StatedTotal, YearlyRampStep, CostCategoryEffect, TopDownTarget, Funding, FundingAllocation, Project,
                 ProjectMeasure, Indicator, ImpactAssessment, Goal)
# Where a new row goes in its list: after the rows of the same group.
_ORDER_GROUP = {TopDownTarget: ("dimension",), FundingAllocation: ("funding",)}


# A project or a funding decision states a total with its grant and own shares: they must add up.
_STATED_TOTALS = {Project: ("total_cost_eur", "grant_share_eur", "own_share_eur"),
                  Funding: ("total_eur", "grant_share_eur", "own_share_eur")}


def _detail_fields(obj, version: ProgrammeVersion, values: dict, translations: dict) -> None:
    model = type(obj)
    if model not in DETAIL_MODELS:
        raise TypeError(f"{model.__name__} has services of its own")
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.is_relation and value is not None and issubclass(field.related_model, VersionContent) \
                and value.version_id != version.pk:
            raise ValidationError({name: _("%(item)s belongs to another version.") % {"item": value}})
        setattr(obj, name, value)
    for name, value in translations.items():
        set_translations(obj, name, value or {})
    if hasattr(obj, "code"):
        obj.code = clean_code(obj.code)
        _check_code_free(model, version, obj.code, exclude_pk=obj.pk)
    if model in _STATED_TOTALS:
        total, grant, own = _STATED_TOTALS[model]
        errors = stated_total_errors(total=getattr(obj, total), grant=getattr(obj, grant), own=getattr(obj, own))
        if errors:
            names = {"total": total, "grant": grant, "own": own}
            raise ValidationError({names[key]: message for key, message in errors.items()})


def _save_detail(obj, by) -> None:
    obj._history_user = by
    obj.full_clean(validate_unique=False)  # constraints included: these rows have no other checks
    obj.save()


@transaction.atomic
def create_content(*, version: ProgrammeVersion, model: type[VersionContent], by, values: dict | None = None,
                   translations: dict | None = None) -> VersionContent:
    """A new detail row of a draft: `values` by field name (related rows as objects), translated texts as
    {"note": {"fi": …}}. A row with an order goes after the others of its list."""
    _check_draft(version)
    obj = model(version=version)
    _detail_fields(obj, version, values or {}, translations or {})
    if hasattr(obj, "order") and not (values or {}).get("order"):
        group = {name: getattr(obj, name) for name in _ORDER_GROUP.get(model, ())}
        obj.order = _next_order(model, version=version, **group)
    _save_detail(obj, by)
    return obj


@transaction.atomic
def update_content(*, obj: VersionContent, by, values: dict | None = None,
                   translations: dict | None = None) -> VersionContent:
    """Change a detail row of a draft; fields not given keep their values."""
    _check_draft(obj.version)
    _detail_fields(obj, obj.version, values or {}, translations or {})
    _save_detail(obj, by)
    return obj
