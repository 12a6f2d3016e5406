"""The suitability questionnaire (AMF-UMOA / MiFID style): what the investor can afford to
risk, scored into a profile and the highest product risk level (1-7) it fits.

Pure: no database. `score(answers)` validates and scores a {question id: choice id}
mapping into a `contracts.Suitability`; `questions_payload()` gives the questions as plain
dicts for REST and GraphQL. The points stay server-side."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .contracts import Suitability


@dataclass(frozen=True)
class Choice:
    id: str
    text: Promise | str
    points: int


@dataclass(frozen=True)
class Question:
    id: str
    text: Promise | str
    choices: tuple[Choice, ...]

    def choice(self, choice_id: object) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


HORIZON = "horizon"
OBJECTIVE = "objective"
FALL_REACTION = "fall_reaction"
KNOWLEDGE = "knowledge"
SHARE_OF_SAVINGS = "share_of_savings"
EMERGENCY_SAVINGS = "emergency_savings"

QUESTIONS: tuple[Question, ...] = (
    Question(
        HORIZON,
        _("How long can you leave this money invested without needing it?"),
        (
            Choice("under_1_year", _("Less than 1 year"), 0),
            Choice("1_3_years", _("1 to 3 years"), 2),
            Choice("3_5_years", _("3 to 5 years"), 4),
            Choice("over_5_years", _("More than 5 years"), 6),
        ),
    ),
    Question(
        OBJECTIVE,
        _("What is your main objective?"),
        (
            Choice("keep_safe", _("Keep my savings safe"), 0),
            Choice("earn_more", _("Earn a little more than a savings account"), 2),
            Choice("grow", _("Grow my capital, accepting that its value can fall"), 4),
        ),
    ),
    Question(
        FALL_REACTION,
        _("In a few weeks, your investment falls by 10 %. What do you do?"),
        (
            Choice("sell", _("I sell everything"), 0),
            Choice("wait", _("I wait for it to recover"), 2),
            Choice("buy_more", _("I invest more while prices are low"), 4),
        ),
    ),
    Question(
        KNOWLEDGE,
        _("What have you already invested in?"),
        (
            Choice("none", _("I have never invested"), 0),
            Choice("savings", _("Savings accounts or tontines"), 1),
            Choice("funds", _("Investment funds or treasury bills"), 2),
            Choice("shares", _("Shares"), 3),
        ),
    ),
    Question(
        SHARE_OF_SAVINGS,
        _("What share of your savings would you invest?"),
        (
            Choice("under_10", _("Less than 10 %"), 2),
            Choice("10_30", _("10 to 30 %"), 1),
            Choice("over_30", _("More than 30 %"), 0),
        ),
    ),
    Question(
        EMERGENCY_SAVINGS,
        _("Do you have emergency savings set aside, outside this investment?"),
        (
            Choice("none", _("No"), 0),
            Choice("under_3_months", _("Yes, less than 3 months of expenses"), 1),
            Choice("3_months_or_more", _("Yes, 3 months of expenses or more"), 2),
        ),
    ),
)
_BY_ID = {q.id: q for q in QUESTIONS}

MAX_SCORE = sum(max(c.points for c in q.choices) for q in QUESTIONS)  # 21
# (lowest score, profile, max_risk), highest first
PROFILES: tuple[tuple[int, str, int], ...] = (
    (17, "dynamic", 7),
    (9, "balanced", 5),
    (0, "prudent", 3),
)
SHORT_HORIZON_MAX_RISK = 2
NO_EMERGENCY_SAVINGS_MAX_RISK = 3


class InvalidAnswers(ValueError):
    """Some answers are missing or unknown: `errors` maps a question id to a translated
    message (lazy)."""

    def __init__(self, errors: dict[str, Promise | str]):
        self.errors = errors
        super().__init__(f"invalid answers: {', '.join(sorted(errors))}")


def _profile_for(max_risk: int) -> str:
    if max_risk <= 3:
        return "prudent"
    if max_risk <= 5:
        return "balanced"
    return "dynamic"


def score(answers: Mapping[str, str]) -> Suitability:
    """Validate and score `answers` ({question id: choice id}, every question answered).

    The points add up to a score (0..MAX_SCORE) mapped to prudent (max risk 3), balanced
    (5) or dynamic (7); then two hard caps: a horizon under one year caps the risk at 2, no
    emergency savings at 3. The profile follows the capped risk; `reasons` names every cap
    below the score's own risk (both when both hold), translated in the active language.
    Raises `InvalidAnswers`."""
    errors: dict[str, Promise | str] = {}
    for key in answers:
        if key not in _BY_ID:
            errors[str(key)] = _("Unknown question.")
    chosen: dict[str, Choice] = {}
    for question in QUESTIONS:
        if question.id not in answers or answers[question.id] in (None, ""):
            errors[question.id] = _("Answer this question.")
            continue
        choice = question.choice(answers[question.id])
        if choice is None:
            errors[question.id] = _("Choose one of the proposed answers.")
        else:
            chosen[question.id] = choice
    if errors:
        raise InvalidAnswers(errors)

    total = sum(c.points for c in chosen.values())
    base_risk = next(risk for lowest, _profile, risk in PROFILES if total >= lowest)
    caps = (
        (
            chosen[HORIZON].id == "under_1_year",
            SHORT_HORIZON_MAX_RISK,
            _("Your horizon is under one year: risk is limited to level 2 of 7."),
        ),
        (
            chosen[EMERGENCY_SAVINGS].id == "none",
            NO_EMERGENCY_SAVINGS_MAX_RISK,
            _("You have no emergency savings: risk is limited to level 3 of 7."),
        ),
    )
    applied = [(limit, reason) for applies, limit, reason in caps if applies and limit < base_risk]
    max_risk = min([base_risk, *(limit for limit, _reason in applied)])
    reasons = tuple(str(reason) for _limit, reason in applied)
    return Suitability(score=total, profile=_profile_for(max_risk), max_risk=max_risk, reasons=reasons)


def questions_payload(language: str | None = None) -> list[dict]:
    """The questions as plain dicts, texts in `language` (the active one by default):
    [{"id", "text", "choices": [{"id", "text"}]}]. No points."""
    with translation.override(language or translation.get_language()):
        return [
            {
                "id": q.id,
                "text": str(q.text),
                "choices": [{"id": c.id, "text": str(c.text)} for c in q.choices],
            }
            for q in QUESTIONS
        ]
