from django.conf import settings
from django.core.management.base import BaseCommand

from karki.jobs.services import fail_stuck_jobs


class Command(BaseCommand):
    help = ("Mark as failed the background work still waiting or running JOB_TIMEOUT_MINUTES after it was "
            "started (its worker died, or none runs), so people see it stopped. Idempotent; run it from cron.")

    def handle(self, *args, **options):
        failed = fail_stuck_jobs()
        self.stdout.write(f"{failed} job(s) unfinished after {settings.JOB_TIMEOUT_MINUTES} minutes marked failed.")
