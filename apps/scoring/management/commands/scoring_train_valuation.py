"""Train a HokweValuation version (the hedonic rent model) and activate it if it passes its
checks; a refused version is kept with the reason and the previous active version stays.

    manage.py scoring_train_valuation --simulated 10000 [--seed 7] [--sigma 0.12]
    manage.py scoring_train_valuation --platform
    manage.py scoring_train_valuation --activate VERSION   # an earlier version, after its load checks
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from apps.scoring.errors import ModelRejected
from apps.scoring.services import valuation_model, valuation_training


class Command(BaseCommand):
    help = "Train (or activate) a HokweValuation model version."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--simulated", type=int, metavar="N", help="N generated agreed rents")
        source.add_argument("--platform", action="store_true", help="the platform's leases")
        source.add_argument("--activate", metavar="VERSION", help="activate a stored version")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--sigma", type=float, default=0.12, help="the generator's log-noise")
        parser.add_argument("--max-iter", type=int, default=300, help="boosting iterations")
        parser.add_argument("--no-activate", action="store_true", help="store without activating")

    def handle(self, *args, **options):
        try:
            if options["activate"]:
                row = valuation_model.activate_version(options["activate"])
                self.stdout.write(f"active: {row.version}")
                return
            if options["simulated"]:
                row = valuation_training.train_simulated(
                    options["simulated"],
                    seed=options["seed"],
                    sigma=options["sigma"],
                    max_iter=options["max_iter"],
                    activate=not options["no_activate"],
                )
            else:
                row = valuation_training.train_platform(
                    seed=options["seed"], max_iter=options["max_iter"], activate=not options["no_activate"]
                )
        except ModelRejected as error:
            raise CommandError(f"refused: {error}") from error
        self.stdout.write(
            json.dumps({"version": row.version, "active": row.active, "metrics": row.metrics}, indent=2)
        )
