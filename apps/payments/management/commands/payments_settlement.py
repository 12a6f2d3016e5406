"""Import a provider's settlements to Hokwe's bank account (clearing → bank, its fees):

    manage.py payments_settlement --provider fedapay --since 2026-11-20 [--until 2026-11-23]
    manage.py payments_settlement --provider kkiapay --file reversements-novembre.csv
    manage.py payments_settlement --provider kkiapay --gross 1250000 --fees 23750 --reference S-2026-11-23

The first reads FedaPay's API (transactions transferred to us), the second a provider's
statement file (CSV), the third records one settlement typed in (a provider with neither).
Each settlement is recorded once per (provider, reference), each transaction once: run it
again and nothing is recorded twice."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import DomainError
from apps.payments import services


class Command(BaseCommand):
    help = "Import a payment provider's settlements to the bank (API, statement file, or typed in)."

    def add_arguments(self, parser):
        parser.add_argument("--provider", required=True)
        parser.add_argument("--since", type=date.fromisoformat, help="API import: first day (YYYY-MM-DD)")
        parser.add_argument(
            "--until", type=date.fromisoformat, help="API import: day after the last (default today)"
        )
        parser.add_argument("--file", help="a statement file (CSV) of the provider")
        parser.add_argument("--gross", type=int, help="typed in: minor units")
        parser.add_argument("--fees", type=int, default=0, help="typed in: minor units kept by the provider")
        parser.add_argument("--currency", default="XOF", help="typed in: the settlement's currency (XOF)")
        parser.add_argument("--reference", help="typed in: the provider's settlement reference")

    def handle(self, *args, **options):
        provider = options["provider"]
        try:
            if options["file"]:
                path = Path(options["file"])
                result = services.file_import(
                    provider=provider, content=path.read_bytes(), filename=path.name
                )
            elif options["since"]:
                if provider != "fedapay":
                    raise CommandError(f"{provider}: no settlement API; import its statement file (--file)")
                result = services.fedapay_import(since=options["since"], until=options["until"])
            elif options["gross"] is not None and options["reference"]:
                settlement, created = services.manual_record(
                    provider=provider,
                    currency=options["currency"],
                    gross=options["gross"],
                    fees=options["fees"],
                    reference=options["reference"],
                )
                self.stdout.write(
                    f"settlement {settlement.reference}: transfer {settlement.transfer}"
                    f"{'' if created else ' (already recorded)'}"
                )
                return
            else:
                raise CommandError("give --since (FedaPay's API), --file, or --gross with --reference")
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        for settlement in result.settlements:
            self.stdout.write(
                f"settlement {settlement.reference} {settlement.currency}: {settlement.lines_count} transactions, "
                f"gross {settlement.gross}, fees {settlement.fees}, mismatches {settlement.mismatches}"
            )
        for balance in result.balances:
            self.stdout.write(f"balance at {provider} ({balance.mode}): {balance.amount}")
        for problem in result.errors:
            self.stderr.write(str(problem))
        self.stdout.write(
            f"{provider}: {result.lines_read} lines read, {result.lines_new} recorded, "
            f"{result.lines_already} already recorded, {result.mismatches} mismatches"
        )
