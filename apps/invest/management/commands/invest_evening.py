"""Run a market day's evening by hand (the embedded default has no beat): the day's NAVs and
prices from the market data source, the partners asked about the open orders, what is due
settled, the positions valued.

    python manage.py invest_evening                 # today
    python manage.py invest_evening --date 2026-12-07
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.invest.services import market, orders


class Command(BaseCommand):
    help = "A market day's evening: NAVs and prices, the open orders asked, settlement, valuation."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD") from None
        quotes = market.load_quotes(day)
        polled = orders.poll_open()
        settled = orders.settle_due(today=day)
        valued = market.value_positions(day)
        self.stdout.write(
            f"{day}: {quotes} new prices, {polled} open orders asked, {settled} settled, {valued} positions valued"
        )
