"""Load the demo data: a Cotonou agency, landlords, tenants and users of every role.

Each module adds its part in apps/<module>/demo.py (a `seed(ctx)` function, run in layer
order). Idempotent: running it twice changes nothing the second time.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from apps.core.discovery import import_parts


class DemoContext(dict):
    """Shared between the modules' seed steps (e.g. the agency created by identity)."""

    def __init__(self):
        super().__init__()
        self.logins: list[tuple[str, str, str]] = []  # (role, phone, password)


class Command(BaseCommand):
    help = "Create or refresh the demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, **options):
        steps = import_parts("demo")
        ctx = DemoContext()
        bar = tqdm(steps, desc="seed_demo", unit="module", disable=options["no_progress"], file=self.stderr)
        for label, demo in bar:
            bar.set_postfix_str(label)
            with transaction.atomic():
                demo.seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        if not options["quiet_logins"] and ctx.logins:
            self.stdout.write("\nDemo logins (phone / password):")
            for role, phone, password in ctx.logins:
                self.stdout.write(f"  {role:<28} {phone:<16} {password}")
