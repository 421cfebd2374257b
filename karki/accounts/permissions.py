"""The one permission resolver. Views, the API and templates all ask these functions.

Roles are scoped to an organisation (see `Role`). What a role may do:
- administrator: manage the organisation's users, roles and org units; read its programmes
- programme office: edit the whole programme of their organisation, approve and publish versions
- theme owner: edit the targets, measures, risks and dependencies of the themes they own
- measure owner: edit their own measures (and their dependencies)
- finance: edit money figures (estimates) across the programme
- viewer: read everything of the organisation, approved versions included
- anyone else (another organisation's user): only versions that have been published
Anonymous users see nothing; approved versions are frozen for everybody.
A platform superuser (the operator's `admin`) may do everything; their edits are audited like anyone's.
"""

from __future__ import annotations

from .enums import Role

EDIT_ALL = {Role.PMO}
READ_ALL = {Role.ADMIN, Role.PMO, Role.THEME_OWNER, Role.MEASURE_OWNER, Role.FINANCE, Role.VIEWER}


def _roles(user, organisation_id: int) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = getattr(user, "_karki_roles", None)
    if cache is None:
        cache = {}
        for org_id, role in user.memberships.values_list("organisation_id", "role"):
            cache.setdefault(org_id, set()).add(role)
        user._karki_roles = cache
    return cache.get(organisation_id, set())


def organisation_ids_visible_to(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(user.memberships.values_list("organisation_id", flat=True).distinct())


def is_member(user, organisation_id: int) -> bool:
    """Holds any role in the organisation (or is a platform superuser)."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, organisation_id))


def can_manage_people(user, organisation) -> bool:
    """Administrators manage the users, roles and details of their own organisation."""
    if getattr(user, "is_superuser", False):
        return True
    return Role.ADMIN in _roles(user, organisation.pk)


def is_platform_staff(person) -> bool:
    """The operator's accounts (superusers and Django admin staff) are managed by the operator only."""
    return bool(getattr(person, "is_superuser", False) or getattr(person, "is_staff", False))


def can_manage_person(user, organisation, person) -> bool:
    """Administrators change the people of their organisation, but never platform staff or a
    superuser; only a superuser may change those."""
    if not can_manage_people(user, organisation):
        return False
    return not is_platform_staff(person) or getattr(user, "is_superuser", False)


def can_view_history(user, programme) -> bool:
    """The audit trail names people: only members of the organisation read it, never outsiders."""
    return is_member(user, programme.organisation_id)


def can_view_job(user, job) -> bool:
    """Background work (an import, a report) is seen by the person who started it, while they still
    belong to its organisation: its files hold the organisation's figures."""
    if not getattr(user, "is_authenticated", False) or job.created_by_id != user.pk:
        return False
    return is_member(user, job.organisation_id)


def is_published(version) -> bool:
    cached = getattr(version, "_karki_published", None)
    if cached is None:
        from karki.programmes.models import Publication

        cached = Publication.objects.filter(version_id=version.pk, withdrawn_at__isnull=True).exists()
        version._karki_published = cached
    return cached


def can_view_programme(user, programme) -> bool:
    """Members read everything; other signed-in users reach a programme only through a published version."""
    if is_member(user, programme.organisation_id):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    from karki.programmes.models import Publication

    return Publication.objects.filter(version__programme_id=programme.pk, withdrawn_at__isnull=True).exists()


def can_view_version(user, version) -> bool:
    if is_member(user, version.programme.organisation_id):
        return True
    return getattr(user, "is_authenticated", False) and is_published(version)


def can_edit_programme(user, programme) -> bool:
    """Structure of the whole programme: themes, targets, measures, risks, versions."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, programme.organisation_id) & EDIT_ALL)


def can_import_programme(user, organisation) -> bool:
    """A new programme from a workbook is the programme office's, like the structure of any programme."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, organisation.pk) & EDIT_ALL)


def can_publish_version(user, version) -> bool:
    """Only approved versions are published; the programme office decides."""
    return not version.is_draft and can_edit_programme(user, version.programme)


def can_approve_version(user, version) -> bool:
    return version.is_draft and can_edit_programme(user, version.programme)


def can_edit_version(user, version) -> bool:
    return version.is_draft and can_edit_programme(user, version.programme)


def can_edit_theme(user, theme) -> bool:
    version = theme.version
    if not version.is_draft:
        return False
    if can_edit_programme(user, version.programme):
        return True
    return owns_theme(user, theme)


def can_edit_target(user, target) -> bool:
    return can_edit_theme(user, target.theme)


def can_edit_measure(user, measure) -> bool:
    version = measure.version
    if not version.is_draft:
        return False
    if can_edit_programme(user, version.programme):
        return True
    roles = _roles(user, version.programme.organisation_id)
    if Role.MEASURE_OWNER in roles and measure.owner_id == user.pk:
        return True
    return measure.target_id is not None and owns_theme(user, measure.target.theme)


def owns_theme(user, theme) -> bool:
    return (
        theme.owner_id is not None and theme.owner_id == getattr(user, "pk", None)
        and Role.THEME_OWNER in _roles(user, theme.version.programme.organisation_id)
    )


def can_add_measure(user, version, target=None) -> bool:
    """The programme office anywhere; a theme owner under the targets of their own themes."""
    if not version.is_draft:
        return False
    if can_edit_programme(user, version.programme):
        return True
    return target is not None and owns_theme(user, target.theme)


def can_edit_risk(user, risk) -> bool:
    """Programme-wide risks belong to the programme office; a theme's risks also to its owner."""
    version = risk.version
    if not version.is_draft:
        return False
    if can_edit_programme(user, version.programme):
        return True
    return risk.theme_id is not None and owns_theme(user, risk.theme)


def can_add_risk(user, version, theme=None) -> bool:
    if not version.is_draft:
        return False
    return can_edit_programme(user, version.programme) or (theme is not None and owns_theme(user, theme))


def can_edit_estimate(user, item) -> bool:
    """Money figures of a target or a measure: finance may change them across the programme."""
    version = item.version
    if not version.is_draft:
        return False
    if Role.FINANCE in _roles(user, version.programme.organisation_id):
        return True
    if hasattr(item, "basket"):
        return can_edit_measure(user, item)
    return can_edit_target(user, item)


# -- Key results (OKR) ----------------------------------------------------------------------


def can_view_okr(user, organisation) -> bool:
    """Objectives, key results and check-ins are internal: members of the organisation read them."""
    return is_member(user, organisation.pk)


def can_manage_okr(user, organisation) -> bool:
    """Objectives, key results and the import of an OKR table belong to the programme office."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, organisation.pk) & EDIT_ALL)


def can_edit_objective(user, objective) -> bool:
    """Creating, changing and removing objectives is the programme office's (see can_manage_okr)."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, objective.organisation_id) & EDIT_ALL)


def can_edit_key_result(user, key_result) -> bool:
    """Key results are set with their objective: the programme office changes and removes them. Their
    owners and the owners of linked measures check in (can_check_in) but do not move the goalposts."""
    return can_edit_objective(user, key_result.objective)


def linked_measures(key_result) -> list:
    """The measures a key result is linked to, each as it stands in the latest version of its programme."""
    from karki.programmes.models import Measure

    cached = getattr(key_result, "_karki_measures", None)
    if cached is None:
        cached = []
        for link in key_result.measure_links.all():
            measure = (Measure.objects.filter(version__programme_id=link.programme_id, code=link.measure_code)
                       .select_related("target__theme__version__programme", "version__programme")
                       .order_by("-version__number").first())
            if measure is not None:
                cached.append(measure)
        key_result._karki_measures = cached
    return cached


def can_check_in(user, key_result) -> bool:
    """The programme office; the key result's named owner; the owner of a linked measure and the
    owner of that measure's theme (in the latest version of the programme)."""
    organisation_id = key_result.objective.organisation_id
    if getattr(user, "is_superuser", False):
        return True
    roles = _roles(user, organisation_id)
    if not roles:
        return False
    if roles & EDIT_ALL or key_result.owner_id == user.pk:
        return True
    for measure in linked_measures(key_result):
        if Role.MEASURE_OWNER in roles and measure.owner_id == user.pk:
            return True
        if measure.target_id is not None and owns_theme(user, measure.target.theme):
            return True
    return False


# -- monitoring: reporting periods and status reports ------------------------------------------------
# Reading the monitoring (status picture, reports, who has not reported) is for members of the
# organisation only, like the audit trail: reports name people and hold unreviewed, internal text,
# and a published version is a decision made public, not the running commentary on it.


def can_view_monitoring(user, programme) -> bool:
    return is_member(user, programme.organisation_id)


def can_manage_periods(user, programme) -> bool:
    """The programme office opens and closes reporting periods."""
    return can_edit_programme(user, programme)


def can_review_reports(user, programme) -> bool:
    """The programme office accepts reports or returns them with a comment."""
    return can_edit_programme(user, programme)


def can_send_reminders(user, programme) -> bool:
    """The programme office chases missing reports (the same e-mails the scheduled command sends)."""
    return can_edit_programme(user, programme)


def can_report_measure(user, measure) -> bool:
    """The measure's owner, the owner of its theme, and the programme office report on a measure.
    Unlike editing, this works on the approved version that is being run."""
    programme = measure.version.programme
    if can_edit_programme(user, programme):
        return True
    roles = _roles(user, programme.organisation_id)
    if Role.MEASURE_OWNER in roles and measure.owner_id is not None and measure.owner_id == user.pk:
        return True
    return measure.target_id is not None and owns_theme(user, measure.target.theme)


# -- reports: slide decks, Excel exports, council interim reports ----------------------------------------
# Members read the monitoring, so they may also take it away as a deck or a workbook; an interim report
# to the council speaks for the programme, so only the programme office issues one.


def can_produce_reports(user, programme) -> bool:
    return can_view_monitoring(user, programme)


def can_issue_council_report(user, programme) -> bool:
    return can_edit_programme(user, programme)


# -- forecasts, what-if scenarios and contingency baskets --------------------------------------------
# The forecast reads the monitoring (latest status, owners' confidence, realised savings), so it is
# for members of the organisation only, like the status picture.

SCENARIO_ROLES = {Role.PMO, Role.FINANCE, Role.THEME_OWNER, Role.MEASURE_OWNER}


def can_view_forecast(user, programme) -> bool:
    return can_view_monitoring(user, programme)


def can_save_scenario(user, programme) -> bool:
    """People who work on the programme save what-if scenarios; viewers and administrators read them."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, programme.organisation_id) & SCENARIO_ROLES)


def can_record_basket_decision(user, programme) -> bool:
    """The programme office records the management team's decisions on baskets B and C."""
    return can_edit_programme(user, programme)


# -- verification of realised savings -----------------------------------------------------------------
# Owners claim realised savings; finance verifies, adjusts or rejects them. Nobody verifies a claim of
# their own: the owner of the measure and the person who handed the report in are left out, even when
# they also hold the finance role (segregation of duties, as an auditor expects).


def can_verify_savings(user, programme) -> bool:
    """Finance (and a platform superuser) verifies the claimed realised savings of a programme."""
    if getattr(user, "is_superuser", False):
        return True
    return Role.FINANCE in _roles(user, programme.organisation_id)


def can_view_verification(user, programme) -> bool:
    """The verification page: finance, who decides, and the programme office, who follows what waits."""
    return can_verify_savings(user, programme) or can_edit_programme(user, programme)


def owns_claim(user, saving) -> bool:
    """The claim is the user's own: they own the measure or handed the report in."""
    report = saving.report
    pk = getattr(user, "pk", None)
    return pk is not None and (report.submitted_by_id == pk or report.measure.owner_id == pk)


def can_verify_saving(user, saving) -> bool:
    return can_verify_savings(user, saving.report.period.programme) and not owns_claim(user, saving)


# -- the books: actual costs against the baseline, and finance's mapping of them -------------------------
# The county's cost ledger is finance's: finance imports it and maps its cost centres and accounts; the
# programme office reads it next to what the measures claim. Other members do not see the books.

BOOKS_READERS = {Role.PMO, Role.FINANCE}


def can_view_books(user, organisation) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, organisation.pk) & BOOKS_READERS)


def can_edit_books(user, organisation) -> bool:
    """Importing the books and a baseline, and mapping cost centres and accounts: finance only."""
    if getattr(user, "is_superuser", False):
        return True
    return Role.FINANCE in _roles(user, organisation.pk)


# -- projects: plans, budgets, schedules and their monthly follow-up -------------------------------------
# Members of the organisation read projects (like the monitoring: they name people and hold unreviewed
# follow-up). The programme office keeps every project; a project's owner keeps their own plan and
# reports on it; the funder's report speaks for the county, so only the programme office issues it.


def can_view_project(user, project) -> bool:
    return is_member(user, project.organisation_id)


def can_add_project(user, organisation) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, organisation.pk) & EDIT_ALL)


def owns_project(user, project) -> bool:
    return (getattr(user, "is_authenticated", False) and project.owner_id is not None
            and project.owner_id == user.pk and is_member(user, project.organisation_id))


def can_edit_project(user, project) -> bool:
    """The plan: structure, budget and funders, schedule, risks, indicators."""
    return can_add_project(user, project.organisation) or owns_project(user, project)


def can_report_project(user, project) -> bool:
    """The monthly follow-up of milestones and spending."""
    return can_edit_project(user, project)


def can_review_project_reports(user, project) -> bool:
    return can_add_project(user, project.organisation)


def can_record_programme_indicators(user, programme) -> bool:
    """The programme office and finance record the measured values of a programme's indicators."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, programme.organisation_id) & {Role.PMO, Role.FINANCE})


def can_issue_funder_report(user, project) -> bool:
    return can_add_project(user, project.organisation)


# -- the public site: the programme office decides what residents see ------------------------------------


def can_manage_public_site(user, programme) -> bool:
    """Publishing a programme to residents, and what of it they see, speaks for the county like a
    version's publication: the programme office's decision."""
    return can_edit_programme(user, programme)
