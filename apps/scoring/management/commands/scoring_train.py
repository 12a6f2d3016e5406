"""Train the rent scorecard and store it as a new version (docs/scoring.md « The model »).

    manage.py scoring_train --simulated 200000 [--seed 20]   # on the simulated population
    manage.py scoring_train --platform [--horizon 12]        # on the platform's own history
    ... [--no-activate]                                      # store without making it active

The new version is checked as at load (a refused spec is not stored; the active one stays)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.scoring.errors import ModelRejected
from apps.scoring.services import model as scorecard
from apps.scoring.services import simulate, training


class Command(BaseCommand):
    help = "Train the rent scorecard (simulated population or platform history) and store a version."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--simulated", type=int, metavar="N", help="train on N simulated tenants")
        source.add_argument(
            "--platform", action="store_true", help="train on the platform's own rent history"
        )
        parser.add_argument("--seed", type=int, default=20)
        parser.add_argument(
            "--horizon", type=int, default=12, help="months of outcome after the features' date"
        )
        parser.add_argument(
            "--no-activate", action="store_true", help="store the version without activating it"
        )

    def handle(self, *args, **options):
        now = timezone.now()
        if options["simulated"] is not None:
            n = options["simulated"]
            if n < 1000:
                raise CommandError("--simulated needs at least 1000 tenants")
            population = simulate.simulate(n, seed=options["seed"])
            X, y = population.X, population.y
            source, trained_on = "sim", f"simulated population: {n} tenants, seed {options['seed']}"
        else:
            X, y = training.platform_dataset(today=timezone.localdate(), horizon_months=options["horizon"])
            source = "platform"
            trained_on = f"platform history: {len(y)} tenants, {int(y.sum())} serious delinquencies"
        try:
            result = training.train(X, y, seed=options["seed"], source=trained_on)
            version = training.version_name(source, now)
            row = scorecard.save_model(
                result.spec,
                version=version,
                trained_on=trained_on,
                metrics=result.metrics,
                make_active=not options["no_activate"],
            )
        except ModelRejected as refused:
            raise CommandError(
                f"refused: {refused.message} {refused.params.get('problems', '')}"
            ) from refused
        held = result.metrics["held_out"]
        self.stdout.write(
            f"{row.version} ({'active' if row.active else 'stored, not active'}): {trained_on}; held-out "
            f"{held['rows']} rows, bad rate {held['bad_rate']:.1%}, AUC {held['auc']:.3f}, "
            f"KS {held['ks']:.3f}, Gini {held['gini']:.3f}, Brier {held['brier']:.4f}; "
            f"{len(result.spec['variables'])} variables, left out: {', '.join(result.spec['dropped']) or 'none'}"
        )
