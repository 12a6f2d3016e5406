"""Credit bureau reporting by hand (docs/scoring.md « Credit bureau reporting »):

manage.py scoring_bureau --public-key                  # the Ed25519 key the bureau verifies with
manage.py scoring_bureau --report 2026-11 --provider file   # one month to one provider
manage.py scoring_bureau --report previous              # the beat's run: the month before, every provider
"""

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import DomainError

from ...services import bureau
from ...services.bureau_file import public_key_b64


class Command(BaseCommand):
    help = "Print the bureau signing public key, or report a month to the credit bureau."

    def add_arguments(self, parser):
        parser.add_argument("--public-key", action="store_true", help="print the Ed25519 public key (base64)")
        parser.add_argument("--report", metavar="YYYY-MM|previous", help="the month to report")
        parser.add_argument("--provider", default="file", help="file or http (with a YYYY-MM month)")

    def handle(self, *args, public_key=False, report=None, provider="file", **options):
        if public_key:
            self.stdout.write(public_key_b64())
            return
        if not report:
            raise CommandError("give --public-key or --report YYYY-MM|previous")
        try:
            exports = (
                bureau.report_previous_month()
                if report == "previous"
                else [bureau.report_month(report, provider)]
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        for export in exports:
            line = f"{export.provider} {export.period}: {export.status}, {export.subjects} tenants, {export.records} lines"
            self.stdout.write(line + (f" — {export.error}" if export.error else ""))
