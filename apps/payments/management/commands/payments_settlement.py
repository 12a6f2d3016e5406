"""Record a provider's settlement to Hokwe's bank account (clearing → bank, its fees):
`manage.py payments_settlement --provider kkiapay --gross 1250000 --fees 23750 --reference S-2026-11-23`.
Idempotent on (provider, reference)."""

from django.core.management.base import BaseCommand

from apps.payments import services


class Command(BaseCommand):
    help = "Record a payment provider's settlement to the bank (ledger postings)."

    def add_arguments(self, parser):
        parser.add_argument("--provider", required=True)
        parser.add_argument("--gross", type=int, required=True, help="minor units")
        parser.add_argument("--fees", type=int, default=0, help="minor units kept by the provider")
        parser.add_argument("--currency", default="XOF")
        parser.add_argument("--reference", required=True, help="the provider's settlement reference")

    def handle(self, *args, **options):
        result = services.settlement_record(
            provider=options["provider"],
            currency=options["currency"],
            gross=options["gross"],
            fees=options["fees"],
            reference=options["reference"],
        )
        self.stdout.write(f"transfer {result.public_id}{' (already recorded)' if result.replayed else ''}")
