from django.core.management.base import BaseCommand

from karki.workbooks.reference import DOCUMENT, document_with_reference, reference


class Command(BaseCommand):
    help = "Print the column reference of the programme workbook, or write it into docs/workbook.md (--write)."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Update docs/workbook.md in place.")

    def handle(self, *args, write=False, **options):
        if write:
            DOCUMENT.write_text(document_with_reference(DOCUMENT.read_text(encoding="utf-8")), encoding="utf-8")
            self.stdout.write(f"Updated {DOCUMENT}")
        else:
            self.stdout.write(reference())
