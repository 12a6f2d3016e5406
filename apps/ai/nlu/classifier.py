"""The offline assistant's intent classifier: which of `data.INTENTS` a message asks for.

A scikit-learn pipeline: the accent-folded, lowercased text goes through two TF-IDF
vectorizers side by side (words, 1-2-grams; characters inside word boundaries, 2-5-grams,
which absorb typos and WhatsApp spellings), then a linear SVM calibrated into probabilities
(sigmoid, cross-validated), whose best probability decides. Under `THRESHOLD` the answer is `UNKNOWN` and the assistant asks again.

`THRESHOLD` comes from 5-fold cross-validation on the shipped phrases (`ai_train` prints it
again, `choose_threshold`): the confidence that maximises « right answers kept − wrong answers
kept » (a wrong answer costs as much as a right one is worth). On the shipped phrases that is
0.30: 98 % of the correct cross-validated answers stay above it and 30 % of the wrong ones
fall under it (accuracy of the top intent, rules included: 0.86; French 0.87, English 0.84,
with the 22 intents of 2026-12-05).

Two rules run after the model, both towards a refusal, never towards an action:
- a message that looks like a prompt injection (« ignore tes instructions », « system
  prompt », « mode développeur ») is `injection` whatever the model says;
- a question that reads account data (balance, dues, score…) about someone else
  (« mon voisin », « ma sœur », a phone number that is not introduced as the user's own)
  is `other_user`.

Training on the shipped phrases takes well under a second; `get_model()` trains once per
process, or loads the file `ai_train` wrote when the environment variable AI_INTENT_MODEL
names one (a joblib pickle: only ever a file the operator wrote, never an upload).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from . import data
from .data import ACTION_INTENTS, REFUSAL_INTENTS

__all__ = [
    "ACTION_INTENTS",
    "REFUSAL_INTENTS",
    "THRESHOLD",
    "UNKNOWN",
    "IntentModel",
    "build_pipeline",
    "choose_threshold",
    "fold",
    "get_model",
    "normalize",
    "reset_model",
    "train",
]

logger = logging.getLogger(__name__)

UNKNOWN = "unknown"
# Chosen from 5-fold cross-validation on the shipped phrases (the module docstring, `ai_train`).
THRESHOLD = 0.30
_CANDIDATE_THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(1, 19))
MODEL_ENV_VAR = "AI_INTENT_MODEL"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, accents removed, typographic apostrophes straightened, spaces collapsed."""
    text = unicodedata.normalize("NFKD", str(text or "").translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _SPACES.sub(" ", text).strip()


def normalize(text: str) -> str:
    """What the vectorizers see: `fold(text)` with every run of digits made one « 9 » (an
    amount, a phone number or a day says the same thing whatever its value)."""
    return _DIGITS.sub("9", fold(text))


def build_pipeline(*, seed: int = 0, folds: int = 5):
    """The untrained pipeline. `folds`: the calibration's internal cross-validation (at most
    the smallest intent's number of phrases)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    preprocessor=normalize,
                    analyzer="word",
                    token_pattern=r"(?u)\b\w+\b",
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=normalize,
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                ),
            ),
        ]
    )
    # A linear SVM, calibrated into probabilities (Platt scaling, cross-validated): as accurate
    # as a logistic regression here and ten times faster to train.
    classifier = CalibratedClassifierCV(
        LinearSVC(C=1.0, random_state=seed),
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        method="sigmoid",
    )
    return Pipeline([("features", features), ("classifier", classifier)])


# --- the rules after the model -------------------------------------------------------------------
_INJECTION = re.compile(
    r"(?<!j')(?<!je )(?<!ai )(?<!i )\b(?:ignore|oublie|forget|disregard|ignorez|oubliez)\b.{0,40}"
    r"\b(?:instructions?|consignes?|regles?|rules?|prompt|restrictions?|previous|precedentes?)\b"
    r"|\b(?:system|systeme)\s*prompt\b|\bprompt\s*(?:systeme|system)\b"
    r"|\b(?:ton|tes|votre|vos|your)\s+(?:prompt|instructions?\s+(?:cachees?|hidden|internes?|initiales?))\b"
    r"|\b(?:mode|mod)\s+(?:developpeur|developer|dev|debug|admin|jailbreak|dan)\b"
    r"|\bdeveloper\s+mode\b|\bjailbreak\b"
    r"|\b(?:tu es|you are)\s+(?:maintenant|desormais|now)\b"
    r"|\b(?:api|secret)\s*key\b|\bcle\s+(?:api|secrete)\b",
    re.IGNORECASE,
)
# Reads of account data that only the account's owner may ask for.
_PERSONAL_READS = frozenset(
    {"balance", "dues", "receipts", "score", "score_why", "recovery_case", "tontine_turn"}
)
_THIRD_PARTY = re.compile(
    r"\b(?:mon|ma|mes|notre|my|our)\s+(?:voisins?|voisine|freres?|soeurs?|cousins?|cousine|"
    r"colocataires?|coloc|copine|copain|ami|amie|mari|femme|epouse|collegue|patron|oncle|tante|"
    r"neighbou?rs?|brothers?|sisters?|roommates?|flatmates?|friends?|husband|wife|colleague)\b"
    r"|\b(?:monsieur|madame|mademoiselle|mr|mme|mrs|ms)\s+\w+"
    r"|\b(?:le|la|du|de la|the)\s+locataires?\b|\b(?:other|another|autres?)\s+(?:tenants?|locataires?)\b"
    r"|\b\w+'s\s+(?:balance|score|receipts?|debt|rent)\b"
    # a first name and where they live: « koffi du rez de chaussee », « awa de la chambre 2 »
    r"|\b(?!(?:loyers?|mois|solde|paiements?|score|dossiers?|comptes?|dettes?|rent|balance)\b)[a-z]{3,}"
    r"\s+(?:du|de la|de l|d|from)\s*(?:the\s+)?(?:rez|premier|deuxieme|\d+\s*(?:e|eme|er)|"
    r"etage|appart\w*|chambre|porte|bloc|maison|cour|flat|floor|room|apartment)\b",
    re.IGNORECASE,
)
_PHONE_LIKE = re.compile(r"(?:\+|00)?\d[\d .\-]{6,16}\d")
_OWN_NUMBER = re.compile(r"\b(?:mon|my)\s+(?:numero|number|telephone|phone)\b", re.IGNORECASE)


@dataclass
class IntentModel:
    """A trained pipeline, the labels it knows and the confidence under which it says
    `UNKNOWN`. Picklable (joblib) as a whole."""

    pipeline: object
    threshold: float = THRESHOLD
    labels: tuple[str, ...] = ()
    sklearn_version: str = ""
    meta: dict = field(default_factory=dict)

    def ranked(self, text: str, *, k: int = 3) -> list[tuple[str, float]]:
        """The `k` likeliest intents with their probabilities, best first (no threshold, no
        rules): for suggestions when the answer is `UNKNOWN`."""
        if not normalize(text):
            return []
        probabilities = self.pipeline.predict_proba([text])[0]
        classes = self.pipeline.classes_
        order = probabilities.argsort()[::-1][:k]
        return [(str(classes[i]), float(probabilities[i])) for i in order]

    def predict(self, text: str, *, threshold: float | None = None) -> tuple[str, float]:
        """(intent, probability); `UNKNOWN` under the threshold (the model's own unless given)
        or for an empty text."""
        return self.predict_many([text], threshold=threshold)[0]

    def predict_many(self, texts: list[str], *, threshold: float | None = None) -> list[tuple[str, float]]:
        """`predict` for many texts at once (one pass through the pipeline)."""
        limit = self.threshold if threshold is None else threshold
        answers: list[tuple[str, float] | None] = [None] * len(texts)
        pending = []
        for index, text in enumerate(texts):
            folded = fold(text)
            if not folded:
                answers[index] = (UNKNOWN, 0.0)
            elif _INJECTION.search(folded):
                answers[index] = ("injection", 1.0)
            else:
                pending.append((index, text, folded))
        if pending:
            probabilities = self.pipeline.predict_proba([text for _index, text, _folded in pending])
            classes = self.pipeline.classes_
            for (index, _text, folded), row in zip(pending, probabilities, strict=True):
                best = int(row.argmax())
                intent, probability = str(classes[best]), float(row[best])
                if intent in _PERSONAL_READS and _about_someone_else(folded):
                    intent = "other_user"
                elif probability < limit:
                    intent = UNKNOWN
                answers[index] = (intent, probability)
        return answers


def choose_threshold(confidences, correct) -> float:
    """The candidate threshold that maximises (correct answers at or above it) − (wrong answers
    at or above it), given each cross-validated answer's best probability and whether it was
    right; the lowest such threshold on a tie."""
    pairs = list(zip(confidences, correct, strict=True))
    best, best_gain = _CANDIDATE_THRESHOLDS[0], None
    for candidate in _CANDIDATE_THRESHOLDS:
        gain = sum((1 if ok else -1) for confidence, ok in pairs if confidence >= candidate)
        if best_gain is None or gain > best_gain:
            best, best_gain = candidate, gain
    return best


def _about_someone_else(folded: str) -> bool:
    if _THIRD_PARTY.search(folded):
        return True
    return bool(_PHONE_LIKE.search(folded)) and not _OWN_NUMBER.search(folded)


def train(
    examples: list[tuple[str, str]] | None = None, *, seed: int = 0, threshold: float = THRESHOLD
) -> IntentModel:
    """An `IntentModel` fitted on `examples` ((text, intent) pairs; the shipped phrases
    when None)."""
    import sklearn

    if examples is None:
        examples = [(text, intent) for text, intent, _language in data.examples()]
    texts = [text for text, _intent in examples]
    intents = [intent for _text, intent in examples]
    smallest = min(Counter(intents).values())
    pipeline = build_pipeline(seed=seed, folds=max(2, min(5, smallest)))
    pipeline.fit(texts, intents)
    return IntentModel(
        pipeline=pipeline,
        threshold=threshold,
        labels=tuple(str(label) for label in pipeline.classes_),
        sklearn_version=sklearn.__version__,
        meta={"examples": len(texts), "seed": seed},
    )


_lock = threading.Lock()
_model: IntentModel | None = None


def _load(path: str) -> IntentModel | None:
    import joblib
    import sklearn

    try:
        model = joblib.load(path)
    except Exception:  # a corrupt or foreign file: train instead
        logger.warning("ai.nlu: could not load %s, training the intent model instead", path, exc_info=True)
        return None
    if not isinstance(model, IntentModel) or model.sklearn_version != sklearn.__version__:
        logger.warning("ai.nlu: %s was written by another version, training instead", path)
        return None
    return model


def get_model() -> IntentModel:
    """The process's model: loaded from $AI_INTENT_MODEL when that file exists, else trained
    on the shipped phrases (once, then cached)."""
    global _model
    if _model is not None:
        return _model
    with _lock:
        if _model is None:
            path = os.environ.get(MODEL_ENV_VAR, "")
            model = _load(path) if path and os.path.isfile(path) else None
            _model = model or train()
    return _model


def reset_model() -> None:
    """Forget the cached model (tests; after `ai_train` wrote a new file)."""
    global _model
    with _lock:
        _model = None
