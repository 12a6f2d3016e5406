"""Train the offline assistant's intent classifier, report its cross-validated accuracy per
intent and language, and write it for `AI_INTENT_MODEL` (docs/ai.md)."""

from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ai.nlu import classifier, data

MINIMUM_ACCURACY = 0.85


class Command(BaseCommand):
    help = "Train HokweAI's intent classifier, print its 5-fold accuracy, write it with joblib."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="var/ai/intents.joblib", help="where to write the model")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, output, folds, seed, **options):
        import joblib
        from sklearn.model_selection import StratifiedKFold

        rows = data.examples()
        intents = [intent for _text, intent, _language in rows]
        languages = [language for _text, intent, language in rows]
        # Each fold trains the whole model (pipeline and rules) on the other folds and answers
        # the held-out phrases without a threshold: their intent and best probability.
        predicted: list[str] = [""] * len(rows)
        confidences: list[float] = [0.0] * len(rows)
        splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
        for train_index, test_index in splitter.split(rows, intents):
            model = classifier.train([(rows[i][0], intents[i]) for i in train_index], seed=seed)
            answers = model.predict_many([rows[i][0] for i in test_index], threshold=0.0)
            for i, (intent, confidence) in zip(test_index, answers, strict=True):
                predicted[i], confidences[i] = intent, confidence
        correct = [guess == intent for guess, intent in zip(predicted, intents, strict=True)]
        labels = sorted(set(intents))

        counts = defaultdict(lambda: [0, 0])
        for intent, language, ok in zip(intents, languages, correct, strict=True):
            for key in ((intent, language), (intent, "all"), ("all", language), ("all", "all")):
                counts[key][0] += int(ok)
                counts[key][1] += 1

        def cell(key):
            right, total = counts.get(key, (0, 0))
            return f"{right / total:.2f} ({right}/{total})" if total else "-"

        self.stdout.write(f"{'intent':<20} {'fr':>14} {'en':>14} {'all':>14}")
        for intent in [*labels, "all"]:
            row = [cell((intent, language)) for language in ("fr", "en", "all")]
            self.stdout.write(f"{intent:<20} {row[0]:>14} {row[1]:>14} {row[2]:>14}")

        threshold = classifier.choose_threshold(confidences, correct)
        kept = [confidence >= threshold for confidence in confidences]
        right_kept = sum(k and ok for k, ok in zip(kept, correct, strict=True))
        wrong_kept = sum(k and not ok for k, ok in zip(kept, correct, strict=True))
        self.stdout.write(
            f"threshold {threshold:.2f} (shipped {classifier.THRESHOLD:.2f}): "
            f"{right_kept}/{sum(correct)} right answers kept, "
            f"{wrong_kept}/{len(correct) - sum(correct)} wrong ones kept"
        )

        accuracy = sum(correct) / len(correct)
        model = classifier.train(seed=seed, threshold=threshold)
        model.meta["cv_accuracy"] = accuracy
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(model, path)
        self.stdout.write(f"wrote {path} (cross-validated accuracy {accuracy:.3f})")

        if accuracy < MINIMUM_ACCURACY:
            raise CommandError(f"cross-validated accuracy {accuracy:.2f} is under {MINIMUM_ACCURACY:.2f}")
