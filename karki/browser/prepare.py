"""Prepare the database that the browser tests' server uses, in a process of its own.

Run as `python -m karki.browser.prepare PASSWORD` with DATABASE_URL (or KARKI_VAR_DIR) pointing at a
database made for the purpose: migrates it, loads the demo data, starts a draft version of the
Itä-Uusimaa programme (approved versions are frozen, so the edit forms need one) and gives its
organisation an org unit. Prints, as JSON, the values that addresses of `karki.browser.pages` need.

The suite's own database cannot be shared: pytest-django rolls back or flushes it around tests, and
the server runs in another process that would never see rolled-back data.
"""

import json
import os
import sys
from datetime import timedelta


def prepare(password: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from karki.demo.loader import load_demo
    from karki.jobs.models import Job
    from karki.lib import dates
    from karki.monitoring.models import Period, RealisedSaving, StatusReport
    from karki.okr.models import KeyResult
    from karki.organisations.models import Organisation, OrgUnit
    from karki.organisations.services import create_org_unit
    from karki.programmes import services
    from karki.programmes.models import Programme
    from karki.reports.jobs import DECK
    from karki.reports.models import CouncilReport
    from karki.reports.services import issue_council_report

    from .pages import ORGANISATION, PROGRAMME

    call_command("migrate", verbosity=0, interactive=False)
    load_demo(password=password)
    users = get_user_model().objects
    programme = Programme.objects.get(slug=PROGRAMME)
    draft = programme.versions.filter(status="draft").order_by("-number").first()
    if draft is None:
        draft = services.start_new_version(programme=programme, by=users.get(username="pmo.ita-uusimaa"))
    organisation = Organisation.objects.get(slug=ORGANISATION)
    unit = OrgUnit.objects.filter(organisation=organisation).order_by("pk").first()
    if unit is None:
        unit = create_org_unit(organisation=organisation, code="SOS", name={"fi": "Sosiaalipalvelut",
                               "sv": "Socialtjänster", "en": "Social services"}, parent=None,
                               by=users.get(username="admin.ita-uusimaa"))
    period = Period.objects.filter(programme=programme, status="open").order_by("-year", "-month").first()
    report = StatusReport.objects.filter(period=period, state="submitted").order_by("measure_code").first()
    key_result = KeyResult.objects.filter(objective__organisation=organisation).order_by("pk").first()
    pmo = users.get(username="pmo.ita-uusimaa")
    if not CouncilReport.objects.filter(programme=programme).exists():
        issue_council_report(programme=programme, period=period, languages=["fi", "sv"], by=pmo)
    # Background work as its pages show it: one finished with a file, one still waiting for a worker.
    moment = dates.now()
    finished = Job.objects.create(kind=DECK, organisation=organisation, programme=programme, created_by=pmo,
                                  created_at=moment, language="fi", state="succeeded", finished_at=moment,
                                  progress=100, result_name="kalvot.pptx", result_data=b"-",
                                  result_content_type="application/octet-stream")
    waiting = Job.objects.create(kind=DECK, organisation=organisation, programme=programme, created_by=pmo,
                                 created_at=moment - timedelta(minutes=5), language="fi")
    checked_ok, checked_broken = _workbook_checks(draft, pmo)
    project, project_indicator = _project(organisation, programme, pmo)
    funder_report = _funder_report(users.get(username="pmo.kymenlaakso"))
    return {
        "draft": draft.number,
        "approved": programme.versions.filter(status="approved").order_by("-number").first().number,
        "org_unit": unit.pk,
        "person": users.get(username="viewer.ita-uusimaa").pk,
        "period": period.key,
        "reported_measure": report.measure_code,
        "claim": RealisedSaving.objects.for_programme(programme).waiting().order_by("pk").first().pk,
        "key_result": key_result.pk,
        "objective": key_result.objective_id,
        "job_finished": str(finished.pk),
        "job_waiting": str(waiting.pk),
        "workbook_checked": str(checked_ok.pk),
        "workbook_problems": str(checked_broken.pk),
        "project": project.code,
        "project_indicator": project_indicator.code,
        "funder_report": funder_report.pk,
    }


def _project(organisation, programme, pmo):
    """The demo's sample project (a small one is made if the demo has none), with an indicator."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from karki.projects import services as projects
    from karki.projects.models import Project

    project = Project.objects.filter(organisation=organisation).order_by("code").first()
    if project is None:
        project = projects.create_project(
            organisation=organisation, programme=programme, code="H-DEMO", by=pmo, status="running",
            name={"fi": "Digitaaliset palvelut", "sv": "Digitala tjänster", "en": "Digital services"},
            start_date=date(2024, 1, 1), end_date=date(2025, 12, 31),
            owner=get_user_model().objects.get(username="measure-owner.ita-uusimaa"))
    indicator = project.indicators.order_by("code").first()
    if indicator is None:
        indicator = projects.save_indicator(project=project, by=pmo, code="I1", unit="%",
                                            name={"fi": "Etäkäyntien osuus", "sv": "Andelen distansbesök",
                                                  "en": "Share of remote visits"})
    return project, indicator


def _funder_report(pmo):
    """A report of the demo's sample project (Kymenlaakso) to its funder, in Finnish."""
    from karki.projects.models import Project
    from karki.reports.funder import default_window
    from karki.reports.models import FunderReport
    from karki.reports.services import issue_funder_report

    project = Project.objects.get(organisation__slug="kymenlaakso", code="DIGI-1")
    found = FunderReport.objects.filter(project=project).first()
    if found is not None:
        return found
    first, last = default_window(project)
    return issue_funder_report(project=project, first=first, last=last, language="fi", by=pmo)


def _workbook_checks(draft, pmo):
    """Two checked workbook uploads, their previews as the confirm step shows them: the draft's own
    export (nothing to change) and the same file with a measure's horizon that is not one of the choices."""
    from io import BytesIO

    from openpyxl import load_workbook

    from karki.jobs import services as jobs
    from karki.workbooks import export, format
    from karki.workbooks.jobs import CHECK
    from karki.workbooks.snapshot import read_version

    programme = draft.programme
    data = export.write_workbook(read_version(draft), organisation=programme.organisation, language="fi")
    book = load_workbook(BytesIO(data))
    sheet = book[format.MEASURES.title("fi")]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index(format.MEASURES.by_key["horizon"].headers["fi"]) + 1, value="huomenna")
    broken = BytesIO()
    book.save(broken)
    checks = []
    for name, upload in (("ohjelma.xlsx", data), ("ohjelma-virhe.xlsx", broken.getvalue())):
        job = jobs.start_job(kind=CHECK, by=pmo, organisation=programme.organisation, programme=programme,
                             upload=(name, upload), language="fi")
        jobs.run_job(str(job.pk))  # the server has no worker: do the check here
        checks.append(job)
    return checks


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(json.dumps(prepare(sys.argv[1])))


if __name__ == "__main__":
    main()
