"""Re-wrap every document's data key under the newest master key (the first one of
HOKWE_MASTER_KEYS (or KYC_MASTER_KEYS)). Files are not re-encrypted. Steps in docs/kyc.md ("Key rotation")."""

from django.core.management.base import BaseCommand

from apps.core import crypto
from apps.kyc.models import Document
from apps.kyc.services.documents import documents_rewrap


class Command(BaseCommand):
    help = "Re-wrap KYC data keys under the first master key of HOKWE_MASTER_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--new-key", metavar="ID", help="Print a new 'ID:base64key' entry and exit.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        if options["new_key"]:
            self.stdout.write(crypto.generate_key_line(options["new_key"]))
            return
        current = crypto.current_key().id
        done = documents_rewrap(batch_size=options["batch_size"])
        left = Document.objects.filter(purged_at=None).exclude(key_id=current).exclude(key_id="").count()
        self.stdout.write(
            self.style.SUCCESS(f"{done} data key(s) re-wrapped under {current!r}; {left} left.")
        )
