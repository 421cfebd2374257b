from django.core.management.base import BaseCommand, CommandError

from karki.monitoring.models import Period
from karki.monitoring.reminders import send_reminders


class Command(BaseCommand):
    help = ("E-mail the owners of measures whose status report of an open period is missing, and the owners of "
            "projects whose monthly follow-up is missing, in their own language. At most one e-mail per person, "
            "period and day: safe to run from cron. Exits with an "
            "error when the mail server did not take some of them; the next run tries those again.")

    def add_arguments(self, parser):
        parser.add_argument("--programme", help="Only this programme (its identifier).")

    def handle(self, *args, programme=None, **options):
        periods = Period.objects.open().select_related("programme")
        if programme:
            periods = periods.filter(programme__slug=programme)
        result = send_reminders(periods=list(periods), stdout=self.stdout if options["verbosity"] > 1 else None)
        failed = len(result.failed)
        self.stdout.write(f"{result.sent} reminders sent; {failed} could not be sent; "
                          f"{result.already_today} already reminded today; "
                          f"{result.unreachable} missing reports or follow-ups without an owner to e-mail.")
        if failed:
            raise CommandError(
                f"{failed} reminder{'s' if failed != 1 else ''} could not be sent (the mail server refused them or "
                f"did not answer; see the log): {', '.join(result.failed)}. The next run tries them again.")
