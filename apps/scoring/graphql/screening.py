"""GraphQL of tenant screening (fields named scoring<Thing>): the same services as REST
(services/screening.py). Managers: their organizations' requests, a request, its report (a
refusal — no consent, withdrawn, expired — is a typed error in `errors`), request a screening,
issue the report, decide, the thresholds. Applicants: the requests sent to their phone,
consent with a code, withdraw."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError, NotFound
from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import Amount, FieldError, MoneyField, UTCDateTime, errors_from
from apps.identity import api as identity
from apps.identity.api import authenticated

from .. import selectors
from ..services import screening as svc

ScoringScreeningDecision = graphene.Enum(
    "ScoringScreeningDecision",
    [("ACCEPTED", "accepted"), ("CONDITIONS", "conditions"), ("DECLINED", "declined")],
)


class ScoringScreeningRequestType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    number = graphene.String(required=True)
    organization = graphene.UUID(required=True)
    unit = graphene.UUID(required=True)
    unit_label = graphene.String(required=True)
    rent = MoneyField()
    applicant_phone = graphene.String(required=True)
    applicant_name = graphene.String(required=True)
    state = graphene.String(required=True, description="pending, consented, issued, withdrawn, expired")
    consented_at = UTCDateTime()
    consent_expires_at = UTCDateTime()
    withdrawn_at = UTCDateTime()
    decision = graphene.String(required=True, description="'' until decided; accepted, conditions, declined")
    report = graphene.UUID(description="The report's id once issued")
    created_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_id(row, info):
        return row["public_id"]

    @staticmethod
    def resolve_organization(row, info):
        return row["organization"].public_id


class ScoringScreeningMyRequestType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    organization_name = graphene.String(required=True)
    unit_label = graphene.String(required=True)
    rent = MoneyField()
    state = graphene.String(required=True)
    shared = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="What would be shared"
    )
    consented_at = UTCDateTime()
    withdrawn_at = UTCDateTime()
    created_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_id(row, info):
        return row["public_id"]

    @staticmethod
    def resolve_organization_name(row, info):
        return row["organization"].name


class ScoringScreeningReasonType(graphene.ObjectType):
    code = graphene.String(required=True)
    text = graphene.String(required=True)


class ScoringScreeningLineType(graphene.ObjectType):
    month = graphene.String(required=True)
    due_date = graphene.Date(required=True)
    amount = MoneyField()
    paid = MoneyField()
    days_late = graphene.Int(required=True)
    code = graphene.String(required=True)


class ScoringScreeningCaseType(graphene.ObjectType):
    opened_on = graphene.Date(required=True)
    status = graphene.String(required=True)
    outcome = graphene.String(required=True)
    amount_owed = MoneyField()
    recovered = MoneyField()
    broken_promises = graphene.Int(required=True)


class ScoringScreeningReportType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    number = graphene.String(required=True)
    request = graphene.UUID(required=True)
    issued_at = UTCDateTime(required=True)
    expires_at = UTCDateTime(required=True)
    recommendation = graphene.String(required=True, description="accept, conditions, decline")
    conditions = graphene.List(graphene.NonNull(graphene.String), required=True)
    deposit_months = graphene.Int(required=True)
    reasons = graphene.List(graphene.NonNull(ScoringScreeningReasonType), required=True)
    applicant_name = graphene.String(required=True)
    applicant_verified_name = graphene.String(required=True)
    applicant_phone = graphene.String(required=True)
    kyc_tier = graphene.Int(required=True)
    score = graphene.Int()
    band = graphene.String(required=True)
    score_reasons = graphene.List(graphene.NonNull(ScoringScreeningReasonType), required=True)
    declared_income = MoneyField(required=False)
    rent = MoneyField()
    income_ratio_bps = graphene.Int(description="Rent over the declared monthly income, in basis points")
    rent_lines = graphene.List(graphene.NonNull(ScoringScreeningLineType), required=True)
    recovery_cases = graphene.List(graphene.NonNull(ScoringScreeningCaseType), required=True)
    pdf_url = graphene.String(required=True)

    @staticmethod
    def resolve_id(row, info):
        return row["public_id"]


class ScoringScreeningReportAnswer(graphene.ObjectType):
    """The report, or why it may not be read (scoring_screening_consent_missing, …_withdrawn,
    …_consent_expired, …_report_expired)."""

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    report = graphene.Field(ScoringScreeningReportType)


class ScoringScreeningPolicyType(graphene.ObjectType):
    organization = graphene.UUID(required=True)
    accept_min_score = graphene.Int(required=True)
    decline_below_score = graphene.Int(required=True)
    accept_max_ratio_bps = graphene.Int(required=True)
    decline_above_ratio_bps = graphene.Int(required=True)
    decline_missed_months = graphene.Int(
        required=True, description="Decline from this many months not paid in full (24 months)"
    )
    decline_written_off = graphene.Boolean(required=True)
    conditions_caution_months = graphene.Int(
        required=True, description="The deposit (caution) asked with conditions, in months of rent"
    )

    @staticmethod
    def resolve_organization(policy, info):
        return policy.organization.public_id

    @staticmethod
    def resolve_decline_missed_months(policy, info):
        return policy.decline_unpaid_months

    @staticmethod
    def resolve_conditions_caution_months(policy, info):
        return policy.conditions_deposit_months


def _organization_id(actor, organization_id) -> int:
    found = identity.organization_ids([organization_id]).get(organization_id)
    if found is None or found not in identity.organization_ids_of(actor, roles=identity.MANAGE_ROLES):
        raise NotFound(field="organizationId")
    return found


class ScreeningQueries(graphene.ObjectType):
    scoring_screening_requests = graphene.List(
        graphene.NonNull(ScoringScreeningRequestType),
        required=True,
        first=graphene.Int(default_value=50),
        state=graphene.String(default_value=""),
        description=_("Your organizations' screening requests, newest first (owners and managers)."),
    )
    scoring_screening_request = graphene.Field(
        ScoringScreeningRequestType,
        request_id=graphene.UUID(required=True),
        description=_("One of your organizations' screening requests (null otherwise)."),
    )
    scoring_screening_report = graphene.Field(
        ScoringScreeningReportAnswer,
        request_id=graphene.UUID(required=True),
        description=_("A request's report, or the reason it may not be read."),
    )
    scoring_screening_policy = graphene.Field(
        ScoringScreeningPolicyType,
        organization_id=graphene.UUID(required=True),
        description=_("Your organization's screening thresholds (null if not yours)."),
    )
    scoring_my_screening_requests = graphene.List(
        graphene.NonNull(ScoringScreeningMyRequestType),
        required=True,
        description=_("The screening requests sent to your phone number, with what each would share."),
    )

    @staticmethod
    def resolve_scoring_screening_requests(root, info, first=50, state=""):
        actor = authenticated(current_user(info))
        rows = selectors.screening_requests_for(actor, state=state)[: clamp_first(first)]
        return [svc.request_view(r) for r in rows]

    @staticmethod
    @or_none
    def resolve_scoring_screening_request(root, info, request_id):
        actor = authenticated(current_user(info))
        return svc.request_view(selectors.screening_request_get(actor, request_id))

    @staticmethod
    @or_none
    def resolve_scoring_screening_report(root, info, request_id):
        actor = authenticated(current_user(info))
        req = selectors.screening_request_get(actor, request_id)
        try:
            report = svc.report_get(actor=actor, req=req)
        except NotFound:
            raise
        except DomainError as exc:
            return {"ok": False, "errors": errors_from(exc), "report": None}
        return {"ok": True, "errors": [], "report": svc.report_view(report)}

    @staticmethod
    @or_none
    def resolve_scoring_screening_policy(root, info, organization_id):
        actor = authenticated(current_user(info))
        return svc.policy_of(_organization_id(actor, organization_id))

    @staticmethod
    def resolve_scoring_my_screening_requests(root, info):
        actor = authenticated(current_user(info))
        return [svc.my_request_view(r) for r in svc.requests_of_applicant(actor)[:50]]


class ScoringRequestScreening(HokweMutation):
    """Ask to screen an applicant (their phone number) for one of your units: an SMS with the
    consent link goes to them."""

    class Arguments:
        unit_id = graphene.UUID(required=True)
        phone = graphene.String(required=True)
        applicant_name = graphene.String(default_value="")
        rent = graphene.Argument(
            Amount, description="Monthly rent asked (minor units); the unit's when absent"
        )
        note = graphene.String(default_value="")

    request = graphene.Field(ScoringScreeningRequestType)

    @classmethod
    def perform(cls, info, user, *, unit_id, phone, applicant_name="", rent=None, note=""):
        req = svc.request_create(
            actor=user, unit=unit_id, phone=phone, applicant_name=applicant_name, rent=rent, note=note
        )
        return {"request": svc.request_view(req)}


class ScoringIssueScreeningReport(HokweMutation):
    """Issue the report of a consented request (billed once)."""

    class Arguments:
        request_id = graphene.UUID(required=True)

    report = graphene.Field(ScoringScreeningReportType)

    @classmethod
    def perform(cls, info, user, *, request_id):
        req = selectors.screening_request_get(user, request_id)
        return {"report": svc.report_view(svc.report_issue(actor=user, req=req))}


class ScoringDecideScreening(HokweMutation):
    """Record your decision; a decline sends the applicant the main reasons by SMS."""

    class Arguments:
        request_id = graphene.UUID(required=True)
        decision = ScoringScreeningDecision(required=True)

    request = graphene.Field(ScoringScreeningRequestType)

    @classmethod
    def perform(cls, info, user, *, request_id, decision):
        req = selectors.screening_request_get(user, request_id)
        req = svc.decide(actor=user, req=req, decision=getattr(decision, "value", decision))
        return {"request": svc.request_view(req)}


class ScoringUpdateScreeningPolicy(HokweMutation):
    """Change your organization's thresholds (the deposit asked never exceeds the legal cap)."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        accept_min_score = graphene.Int()
        decline_below_score = graphene.Int()
        accept_max_ratio_bps = graphene.Int()
        decline_above_ratio_bps = graphene.Int()
        decline_missed_months = graphene.Int(description="Months not paid in full (24 months) that decline")
        decline_written_off = graphene.Boolean()
        conditions_caution_months = graphene.Int(
            description="The deposit (caution) asked with conditions, in months"
        )

    policy = graphene.Field(ScoringScreeningPolicyType)

    @classmethod
    def perform(cls, info, user, *, organization_id, **values):
        org = _organization_id(user, organization_id)
        if "decline_missed_months" in values:
            values["decline_unpaid_months"] = values.pop("decline_missed_months")
        if "conditions_caution_months" in values:
            values["conditions_deposit_months"] = values.pop("conditions_caution_months")
        return {"policy": svc.policy_update(actor=user, organization_id=org, **values)}


class ScoringStartScreeningConsent(HokweMutation):
    """Send the code that confirms your consent to your phone."""

    class Arguments:
        request_id = graphene.UUID(required=True)

    challenge_id = graphene.String()
    expires_at = UTCDateTime()
    phone_hint = graphene.String()

    @classmethod
    def perform(cls, info, user, *, request_id):
        challenge = svc.consent_start(actor=user, req=svc.applicant_request(user, request_id))
        return {
            "challenge_id": challenge.challenge_id,
            "expires_at": challenge.expires_at,
            "phone_hint": challenge.phone_hint,
        }


class ScoringConfirmScreeningConsent(HokweMutation):
    """Consent with the code and your declared monthly income (minor units)."""

    class Arguments:
        request_id = graphene.UUID(required=True)
        challenge_id = graphene.String(required=True)
        code = graphene.String(required=True)
        declared_income = Amount(required=True)

    request = graphene.Field(ScoringScreeningMyRequestType)

    @classmethod
    def perform(cls, info, user, *, request_id, challenge_id, code, declared_income):
        req = svc.consent_confirm(
            actor=user,
            req=svc.applicant_request(user, request_id),
            challenge_id=challenge_id,
            code=code,
            declared_income=declared_income,
        )
        return {"request": svc.my_request_view(req)}


class ScoringWithdrawScreeningConsent(HokweMutation):
    """Withdraw your consent: the agency can no longer read the report."""

    class Arguments:
        request_id = graphene.UUID(required=True)

    request = graphene.Field(ScoringScreeningMyRequestType)

    @classmethod
    def perform(cls, info, user, *, request_id):
        req = svc.consent_withdraw(actor=user, req=svc.applicant_request(user, request_id))
        return {"request": svc.my_request_view(req)}


class ScreeningMutations(graphene.ObjectType):
    scoring_request_screening = ScoringRequestScreening.Field()
    scoring_issue_screening_report = ScoringIssueScreeningReport.Field()
    scoring_decide_screening = ScoringDecideScreening.Field()
    scoring_update_screening_policy = ScoringUpdateScreeningPolicy.Field()
    scoring_start_screening_consent = ScoringStartScreeningConsent.Field()
    scoring_confirm_screening_consent = ScoringConfirmScreeningConsent.Field()
    scoring_withdraw_screening_consent = ScoringWithdrawScreeningConsent.Field()
