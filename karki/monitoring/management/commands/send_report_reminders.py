from django.core.management.base import BaseCommand

from karki.monitoring.models import Period
from karki.monitoring.reminders import send_reminders


class Command(BaseCommand):
    help = ("E-mail the owners of measures whose status report of an open period is missing, in their own "
            "language. At most one e-mail per person, period and day: safe to run from cron.")

    def add_arguments(self, parser):
        parser.add_argument("--programme", help="Only this programme (its identifier).")

    def handle(self, *args, programme=None, **options):
        periods = Period.objects.open().select_related("programme")
        if programme:
            periods = periods.filter(programme__slug=programme)
        result = send_reminders(periods=list(periods), stdout=self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write(f"{result.sent} reminders sent; {result.already_today} already reminded today; "
                          f"{result.unreachable} missing reports without an owner to e-mail.")
