"""Import a file of the books from the command line, as finance does in the browser:

    manage.py import_books kymenlaakso kirjanpito-2024-03.csv --user finance.kymenlaakso
    manage.py import_books kymenlaakso ta-2024.xlsx --baseline "TA 2024" --user finance.kymenlaakso

Every row is checked first; any problem is listed by row and column and nothing is written (exit code 1).
The same file a second time writes nothing. The person named by --user is recorded as the importer and
must hold the finance role in the organisation.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from karki.accounts import permissions as perms
from karki.audit.recording import change_reason
from karki.books import services
from karki.books.enums import BatchKind
from karki.organisations.models import Organisation


class Command(BaseCommand):
    help = "Import actual costs (or, with --baseline NAME, a baseline) of an organisation from a CSV or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="the organisation's identifier, e.g. kymenlaakso")
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument("--user", required=True, help="the username recorded as the importer (finance)")
        parser.add_argument("--baseline", metavar="NAME", default="", help="import a baseline with this name")

    def handle(self, *args, organisation, file, user, baseline, **options):
        found = Organisation.objects.filter(slug=organisation).first()
        if found is None:
            raise CommandError(f"No organisation {organisation!r}.")
        person = get_user_model().objects.filter(username=user).first()
        if person is None or not perms.can_edit_books(person, found):
            raise CommandError(f"{user!r} does not hold the finance role in {organisation!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file!r}.")
        kind = BatchKind.BASELINE if baseline else BatchKind.ACTUALS
        try:
            with change_reason("import_books"):
                result = services.import_file(organisation=found, kind=kind, data=path.read_bytes(),
                                              file_name=path.name, by=person, label=baseline)
        except services.BooksImportError as error:
            for problem in error.errors:
                self.stderr.write(f"row {problem.row}, {problem.column or '-'}: {problem.message}")
            raise CommandError(error.message) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        batch = result.batch
        if result.already:
            self.stdout.write(f"Already imported on {batch.imported_at:%Y-%m-%d %H:%M} by {batch.imported_by}: "
                              "nothing changed.")
            return
        self.stdout.write(f"Imported {batch.row_count} rows ({batch.total_eur} €) covering "
                          f"{', '.join(batch.slices)}; replaced {len(result.replaced)} earlier import(s); "
                          f"{result.unmapped_keys} cost centre × account pairs not mapped.")
