"""The suitability questionnaire (apps/invest/questionnaire.py): validation, scoring, the
two hard caps and the payload the transports serve. Pure, no database."""

import itertools

import pytest
from django.utils import translation

from apps.invest.contracts import Suitability
from apps.invest.questionnaire import (
    EMERGENCY_SAVINGS,
    HORIZON,
    MAX_SCORE,
    QUESTIONS,
    InvalidAnswers,
    questions_payload,
    score,
)

BEST = {q.id: max(q.choices, key=lambda c: c.points).id for q in QUESTIONS}
WORST = {q.id: min(q.choices, key=lambda c: c.points).id for q in QUESTIONS}
REQUIRED = {"horizon", "objective", "fall_reaction", "knowledge", "share_of_savings", "emergency_savings"}


def test_the_questions_cover_what_suitability_needs():
    assert {q.id for q in QUESTIONS} >= REQUIRED
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    for q in QUESTIONS:
        assert len(q.choices) >= 2
        assert len({c.id for c in q.choices}) == len(q.choices)
        assert min(c.points for c in q.choices) == 0
    assert [c.id for c in QUESTIONS[0].choices] == ["under_1_year", "1_3_years", "3_5_years", "over_5_years"]


def test_the_boldest_answers_are_dynamic():
    assert score(BEST) == Suitability(score=MAX_SCORE, profile="dynamic", max_risk=7, reasons=())


def test_the_most_careful_answers_are_prudent_and_capped():
    with translation.override("en"):
        result = score(WORST)
    assert (result.score, result.profile, result.max_risk) == (0, "prudent", 2)
    assert result.reasons == ("Your horizon is under one year: risk is limited to level 2 of 7.",)


def test_a_balanced_investor():
    answers = {
        "horizon": "3_5_years",
        "objective": "earn_more",
        "fall_reaction": "wait",
        "knowledge": "funds",
        "share_of_savings": "10_30",
        "emergency_savings": "3_months_or_more",
    }
    assert score(answers) == Suitability(score=13, profile="balanced", max_risk=5, reasons=())


def test_a_short_horizon_caps_a_bold_investor_at_two():
    with translation.override("en"):
        result = score({**BEST, HORIZON: "under_1_year"})
    assert result.score == MAX_SCORE - 6
    assert (result.profile, result.max_risk) == ("prudent", 2)
    assert result.reasons == ("Your horizon is under one year: risk is limited to level 2 of 7.",)


def test_no_emergency_savings_caps_a_bold_investor_at_three():
    with translation.override("en"):
        result = score({**BEST, EMERGENCY_SAVINGS: "none"})
    assert result.score == MAX_SCORE - 2
    assert (result.profile, result.max_risk) == ("prudent", 3)
    assert result.reasons == ("You have no emergency savings: risk is limited to level 3 of 7.",)


def test_both_caps_are_named():
    with translation.override("en"):
        result = score({**BEST, HORIZON: "under_1_year", EMERGENCY_SAVINGS: "none"})
    assert result.max_risk == 2
    assert result.reasons == (
        "Your horizon is under one year: risk is limited to level 2 of 7.",
        "You have no emergency savings: risk is limited to level 3 of 7.",
    )


def test_invalid_answers_name_every_problem():
    answers = {**BEST, "horizon": "forever", "colour": "blue"}
    del answers["knowledge"]
    answers["objective"] = ""
    with pytest.raises(InvalidAnswers) as caught:
        score(answers)
    with translation.override("en"):  # the messages are lazy: read in English
        errors = {k: str(v) for k, v in caught.value.errors.items()}
    assert errors == {
        "horizon": "Choose one of the proposed answers.",
        "knowledge": "Answer this question.",
        "objective": "Answer this question.",
        "colour": "Unknown question.",
    }
    assert isinstance(caught.value, ValueError)
    with pytest.raises(InvalidAnswers) as caught:
        score({})
    assert set(caught.value.errors) == {q.id for q in QUESTIONS}
    with pytest.raises(InvalidAnswers):
        score({**BEST, "horizon": 3})


def _all_answer_sets():
    for combo in itertools.product(*(q.choices for q in QUESTIONS)):
        yield {q.id: c.id for q, c in zip(QUESTIONS, combo, strict=True)}, combo


def test_every_answer_set_scores_consistently():
    """Exhaustive (a few thousand sets): the score is the sum of the points, the profile
    follows the risk, the caps hold, and a bolder answer never lowers the risk."""
    risk_of = {}
    for answers, combo in _all_answer_sets():
        result = score(answers)
        assert result.score == sum(c.points for c in combo)
        assert 0 <= result.score <= MAX_SCORE
        assert result.max_risk in (2, 3, 5, 7)
        assert result.profile == {2: "prudent", 3: "prudent", 5: "balanced", 7: "dynamic"}[result.max_risk]
        if answers[HORIZON] == "under_1_year":
            assert result.max_risk <= 2
        if answers[EMERGENCY_SAVINGS] == "none":
            assert result.max_risk <= 3
        if not result.reasons:
            assert result.max_risk == (7 if result.score >= 17 else 5 if result.score >= 9 else 3)
        risk_of[tuple(c.id for c in combo)] = result.max_risk
    for _answers, combo in _all_answer_sets():
        for i, question in enumerate(QUESTIONS):
            for bolder in question.choices:
                if bolder.points > combo[i].points:
                    other = (
                        tuple(c.id for c in combo[:i]) + (bolder.id,) + tuple(c.id for c in combo[i + 1 :])
                    )
                    assert risk_of[other] >= risk_of[tuple(c.id for c in combo)]


def test_the_payload_is_plain_and_has_no_points():
    payload = questions_payload("en")
    assert [q["id"] for q in payload] == [q.id for q in QUESTIONS]
    first = payload[0]
    assert first["text"] == "How long can you leave this money invested without needing it?"
    assert first["choices"][0] == {"id": "under_1_year", "text": "Less than 1 year"}
    for q in payload:
        assert set(q) == {"id", "text", "choices"}
        assert isinstance(q["text"], str)
        for c in q["choices"]:
            assert set(c) == {"id", "text"}
            assert isinstance(c["text"], str)
    with translation.override("en"):
        assert questions_payload() == payload
        questions_payload("fr")
        assert translation.get_language() == "en"  # the language is restored
