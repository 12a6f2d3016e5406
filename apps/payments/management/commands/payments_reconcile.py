"""Run the reconciliation of one provider (or all) for a day: `manage.py payments_reconcile
--provider kkiapay --day 2026-11-23`. The daily beat task does the same for yesterday."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.payments import services


class Command(BaseCommand):
    help = "Reconcile a payment provider's transactions with ours for one day."

    def add_arguments(self, parser):
        parser.add_argument("--provider", help="one provider (default: every online provider)")
        parser.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD (default: yesterday)")

    def handle(self, *args, **options):
        day = options["day"] or timezone.localdate() - timedelta(days=1)
        if options["provider"]:
            reports = [services.reconcile(provider=options["provider"], day=day)]
        else:
            reports = services.reconcile_all(day=day)
        for report in reports:
            self.stdout.write(
                f"{report.provider} {report.day}: checked {report.checked}, matched {report.matched}, "
                f"flagged {report.flagged}, pending settled {report.settled}"
            )
