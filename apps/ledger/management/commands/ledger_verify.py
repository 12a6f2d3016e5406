import json

from django.core.management.base import BaseCommand, CommandError

from apps.ledger import verify


class Command(BaseCommand):
    help = (
        "Recompute every ledger account's stored totals from its postings and check that every "
        "transfer balances. Exits non-zero and logs an error for each difference."
    )

    def handle(self, *args, **options):
        report = verify.run()
        if report.ok:
            self.stdout.write(self.style.SUCCESS("Ledger consistent: every total matches its postings."))
            return
        for title, items in (
            ("account totals", report.accounts),
            ("unbalanced transfers", report.transfers),
            ("currencies not summing to zero", report.currencies),
            ("orphan postings", report.orphans),
        ):
            for item in items:
                self.stderr.write(f"{title}: {json.dumps(item, default=str)}")
        raise CommandError(
            f"Ledger differences: {len(report.accounts)} account(s), {len(report.transfers)} transfer(s), "
            f"{len(report.currencies)} currenc(ies), {len(report.orphans)} orphan posting(s)."
        )
