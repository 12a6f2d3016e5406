"""Re-deliver outbox events: the undispatched ones (default), given event ids, or by name.

Handlers that already completed an event are not run again (HandledEvent), so replaying
is always safe.
"""

from django.core.management.base import BaseCommand

from apps.core import outbox


class Command(BaseCommand):
    help = "Re-enqueue outbox events for delivery (safe: handlers run once per event)."

    def add_arguments(self, parser):
        parser.add_argument("event_ids", nargs="*", help="Event ids (UUID) to replay.")
        parser.add_argument("--name", help="Only events with this name, e.g. payments.PaymentSucceeded.")
        parser.add_argument(
            "--include-failed", action="store_true", help="Also replay events that exhausted their attempts."
        )

    def handle(self, *args, event_ids, name, include_failed, **options):
        count = outbox.replay(event_ids=event_ids or None, name=name, include_failed=include_failed)
        self.stdout.write(self.style.SUCCESS(f"{count} event(s) re-enqueued."))
