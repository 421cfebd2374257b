"""Lists codes stored before Kärki compared codes regardless of case and surrounding spaces: rows of one list
whose codes are the same code to a reader (2.1.B beside 2.1.b). New and changed rows can no longer clash; these
are left for the programme office to rename, in the draft or by a new version."""

from django.core.management.base import BaseCommand, CommandError

from karki.lib.codes import clashes
from karki.organisations.models import OrgUnit
from karki.programmes.models import Funding, Goal, Indicator, Measure, Project, Risk, Target, Theme

VERSION_LISTS = (Theme, Target, Measure, Risk, Funding, Project, Indicator, Goal)


def find_clashes() -> list[str]:
    """One line per clash: where it is, what list, and the codes that are one code."""
    lines = []
    for model in VERSION_LISTS:
        by_version: dict[tuple, list[str]] = {}
        rows = model.objects.values_list("version__programme__slug", "version__number", "code")
        for slug, number, code in rows.order_by("version__programme__slug", "version__number", "pk"):
            by_version.setdefault((slug, number), []).append(code)
        for (slug, number), codes in by_version.items():
            for group in clashes(codes):
                lines.append(f"{slug} v{number} {model._meta.verbose_name_plural}: {', '.join(group)}")
    by_organisation: dict[str, list[str]] = {}
    for slug, code in OrgUnit.objects.values_list("organisation__slug", "code").order_by("organisation__slug", "pk"):
        by_organisation.setdefault(slug, []).append(code)
    for slug, codes in by_organisation.items():
        for group in clashes(codes):
            lines.append(f"{slug} {OrgUnit._meta.verbose_name_plural}: {', '.join(group)}")
    return lines


class Command(BaseCommand):
    help = ("List codes that differ only by case or surrounding spaces within one list (a version's themes, "
            "targets, measures, risks… or an organisation's org units). Exits with status 1 when there are any.")

    def handle(self, *args, **options):
        lines = find_clashes()
        for line in lines:
            self.stdout.write(line)
        if lines:
            raise CommandError(f"{len(lines)} list(s) have codes that are the same code to a reader; rename one "
                               "of each in a draft version (org units: on the organisation's page).")
        self.stdout.write(self.style.SUCCESS("No codes clash."))
