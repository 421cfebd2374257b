"""Benchmark: the project workbook of a plan the size of a county's grant project (4 sub-areas, 11 development
areas, 40 work packages, 100 budget lines with a state grant's and own funding's shares).

Prints wall time and queries of: building the plan through the services, the export, the check of the
exported workbook against the same project (nothing to change), and the import of the same workbook as a
new project. Runs on a throwaway SQLite database. From the repository root:

    .venv/bin/python benchmarks/project_workbook.py [--language fi] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _throwaway import throwaway_database  # noqa: E402  (benchmarks/ is on the path)


def _timed(label: str, work):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the query log keeps 9 000 entries: a full one would make the count of a later step wrong
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:7.2f} s  {len(queries):6d} queries")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--language", default="fi")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with throwaway_database():
        import io

        from django.contrib.auth import get_user_model
        from django.utils import translation
        from openpyxl import load_workbook

        from karki.accounts.enums import Role
        from karki.accounts.models import Membership
        from karki.core.content import set_translations
        from karki.organisations.models import Organisation
        from karki.projects.workbook import export, importing
        from karki.projects.workbook import format as fmt
        from karki.projects.workbook.sample import make_plan
        from karki.projects.workbook.snapshot import read_project

        pmo = get_user_model().objects.create_user("pmo.bench", password="x")
        organisation = Organisation(slug="bench", is_sample_data=True)
        set_translations(organisation, "name", {"fi": "Vertailualue", "sv": "Jämförelseområdet"})
        organisation.save()
        Membership.objects.create(user=pmo, organisation=organisation, role=Role.PMO)
        with translation.override(args.language):
            project = _timed("build the plan through the services (4/11/40)",
                             lambda: make_plan(organisation=organisation, by=pmo))
            print(f"  {project.items.count()} items, {project.budget_lines.count()} budget lines, "
                  f"{project.funders.count()} funders\n")
            for n in range(1, args.repeat + 1):
                data = _timed(f"[{n}] export", lambda: export.write_workbook(
                    read_project(project), organisation=organisation, language=args.language))
                target = importing.Target(organisation=organisation, project=project, file_name="bench.xlsx")
                check = _timed(f"[{n}] check against the same project",
                               lambda data=data, target=target: importing.check_workbook(data, target))
                assert check.ok and importing.summary(check, target)["changes"] == 0
                code = f"H-COPY{n}"
                workbook = load_workbook(io.BytesIO(data))
                workbook[fmt.PROJECT.title(args.language)].cell(row=2, column=1).value = code
                stream = io.BytesIO()
                workbook.save(stream)
                copy = stream.getvalue()
                new = importing.Target(organisation=organisation, file_name="bench.xlsx")
                fresh = importing.check_workbook(copy, new)
                _timed(f"[{n}] import as a new project (check + write)",
                       lambda copy=copy, new=new, fresh=fresh: importing.apply_workbook(
                           copy, new, by=pmo, expected_fingerprint=fresh.fingerprint))
                print(f"  {len(data) // 1024} kB workbook\n")


if __name__ == "__main__":
    main()
