"""GraphQL of scoring's score part (fields named scoring<Thing>): the tenant's own score —
scoringMyScore, scoringMyScoreHistory, scoringMyRentLines, scoringMyDisputes,
scoringMyDispute, and scoringOpenDispute (« contester une ligne »). The same services as
REST /api/v1/scoring/me…"""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, current_user, or_none
from apps.core.graphql.types import MoneyField, UTCDateTime
from apps.identity.api import authenticated

from ..models import RentLineDispute
from ..services import disputes, tenant_view

ScoringDisputeReason = graphene.Enum(
    "ScoringDisputeReason", [(c.name, c.value) for c in RentLineDispute.Reason]
)


class ScoringReasonType(graphene.ObjectType):
    code = graphene.String(required=True)
    direction = graphene.String(required=True, description="lowers | raises")
    text = graphene.String(required=True, description="In the caller's language")
    weight = graphene.Float(required=True)


class ScoringMyScoreType(graphene.ObjectType):
    score = graphene.Int(description="300-850; null for a thin file (not enough history)")
    band = graphene.String(required=True)
    band_label = graphene.String(required=True)
    reasons = graphene.List(graphene.NonNull(ScoringReasonType), required=True)
    loyalty_tier = graphene.String(required=True)
    model_version = graphene.String(required=True)
    computed_at = graphene.String(required=True, description="ISO timestamp (UTC)")


class ScoringHistoryPointType(graphene.ObjectType):
    score = graphene.Int()
    band = graphene.String(required=True)
    computed_at = UTCDateTime(required=True)


class ScoringRentLineType(graphene.ObjectType):
    month = graphene.String(required=True)
    lease = graphene.UUID(required=True)
    organization = graphene.UUID(required=True)
    due_date = graphene.Date(required=True)
    amount = MoneyField()
    paid = MoneyField()
    days_late = graphene.Int(required=True)
    code = graphene.String(
        required=True, description="on_time, late_1_29, late_30_59, late_60_plus, partial, unpaid"
    )
    dispute = graphene.UUID()
    dispute_status = graphene.String()
    can_dispute = graphene.Boolean(required=True)


class ScoringDisputeType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    lease = graphene.UUID(required=True)
    month = graphene.String(required=True)
    reason = graphene.String(required=True)
    details = graphene.String(required=True)
    status = graphene.String(required=True, description="open, upheld, rejected")
    respond_by = graphene.Date(required=True)
    decided_at = UTCDateTime()
    decision_note = graphene.String(required=True)
    created_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_id(row, info):
        return row.public_id


class ScoreQueries(graphene.ObjectType):
    scoring_my_score = graphene.Field(
        ScoringMyScoreType, required=True, description=_("Your rent score, its band and the reasons.")
    )
    scoring_my_score_history = graphene.List(
        graphene.NonNull(ScoringHistoryPointType), required=True, description=_("Your score over time.")
    )
    scoring_my_rent_lines = graphene.List(
        graphene.NonNull(ScoringRentLineType),
        required=True,
        description=_("The data behind your score: your rent lines of the last 24 months."),
    )
    scoring_my_disputes = graphene.List(
        graphene.NonNull(ScoringDisputeType), required=True, description=_("Your disputes, newest first.")
    )
    scoring_my_dispute = graphene.Field(
        ScoringDisputeType,
        dispute_id=graphene.UUID(required=True),
        description=_("One of your disputes (null if it is not yours)."),
    )

    @staticmethod
    def resolve_scoring_my_score(root, info):
        return tenant_view.score_json(tenant_view.my_score(authenticated(current_user(info))))

    @staticmethod
    def resolve_scoring_my_score_history(root, info):
        return tenant_view.my_history(authenticated(current_user(info)))

    @staticmethod
    def resolve_scoring_my_rent_lines(root, info):
        user = authenticated(current_user(info))
        return [tenant_view.line_json(i) for i in tenant_view.my_lines(user)]

    @staticmethod
    def resolve_scoring_my_disputes(root, info):
        return list(disputes.disputes_of(authenticated(current_user(info)))[:100])

    @staticmethod
    @or_none
    def resolve_scoring_my_dispute(root, info, dispute_id):
        return disputes.dispute_of(authenticated(current_user(info)), dispute_id)


class ScoringOpenDispute(HokweMutation):
    """Contest one of your rent lines: the team decides within SCORING_DISPUTE_DAYS."""

    class Arguments:
        lease = graphene.UUID(required=True)
        month = graphene.String(required=True, description="YYYY-MM")
        reason = ScoringDisputeReason(required=True)
        details = graphene.String(default_value="")

    dispute = graphene.Field(ScoringDisputeType)

    @classmethod
    def perform(cls, info, user, *, lease, month, reason, details=""):
        dispute = disputes.open_dispute(
            actor=user, lease=lease, month=month, reason=getattr(reason, "value", reason), details=details
        )
        return {"dispute": dispute}


class ScoreMutations(graphene.ObjectType):
    scoring_open_dispute = ScoringOpenDispute.Field()
