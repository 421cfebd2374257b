import os

from django.core.management.base import BaseCommand

from karki.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo programmes (sample data from public county documents) and the demo users."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password of every demo user (default: $DEMO_PASSWORD or random).")

    def handle(self, *args, **options):
        password = options.get("password") or os.environ.get("DEMO_PASSWORD") or None
        result = load_demo(password=password)
        for slug in result.created:
            self.stdout.write(self.style.SUCCESS(f"Loaded demo programme {slug}"))
        for slug in result.skipped:
            self.stdout.write(f"Demo programme {slug} already present; left as it is")
        self.stdout.write("")
        self.stdout.write(self.style.WARNING("Demo users (sample data only; never use these in production):"))
        for username in result.users:
            self.stdout.write(f"  {username}")
        self.stdout.write(f"  password for all of them: {result.password}")
