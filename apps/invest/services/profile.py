"""The suitability questionnaire (docs/invest.md « Eligibility »): answers scored to a
profile (questionnaire.py), kept with the answers; answered again at any time."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .. import questionnaire
from ..errors import InvalidAnswers
from ..models import InvestorProfile


@transaction.atomic
def submit_questionnaire(*, actor, answers: dict) -> InvestorProfile:
    """Score `answers` ({question id: choice id}) and keep the profile. InvalidAnswers (with
    the questions at fault) when one is missing or unknown."""
    if not isinstance(answers, dict):
        raise InvalidAnswers(field="answers")
    try:
        result = questionnaire.score(answers)
    except questionnaire.InvalidAnswers as exc:
        first = next(iter(exc.errors), "answers")
        raise InvalidAnswers(
            field=f"answers.{first}", errors={k: str(v) for k, v in exc.errors.items()}
        ) from None
    profile, _ = InvestorProfile.objects.update_or_create(
        user_id=actor.pk,
        defaults={
            "answers": {k: str(v) for k, v in answers.items()},
            "score": result.score,
            "profile": result.profile,
            "max_risk": result.max_risk,
            "completed_at": timezone.now(),
        },
    )
    profile.reasons = result.reasons
    return profile
