from datetime import timedelta

from django.core.management.base import BaseCommand

from karki.jobs.services import prune_jobs


class Command(BaseCommand):
    help = "Remove finished background jobs and their files older than --days (default 30). Safe to run from cron."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days: int, **options):
        removed = prune_jobs(older_than=timedelta(days=max(days, 1)))
        self.stdout.write(f"{removed} finished job(s) removed.")
