"""HokweTenantScreening (docs/scoring.md « Tenant screening »).

    req = request_create(actor=manager, unit=unit_id, phone="+22997…")   # SMS with the link
    # the applicant opens /screening/consent/<token>/, sees what will be shared, declares
    # their income and confirms with a code sent to their phone:
    consent_give(req, applicant=user, declared_income=250_000)
    report = report_issue(actor=manager, request=req)       # ScreeningReportIssued (billed)
    decide(actor=manager, request=req, decision="declined")   # the adverse-action SMS

Refusals: no consent (ScreeningConsentMissing), consent withdrawn or expired, a report older
than 30 days (ScreeningReportExpired); another organization's request is a 404 (selectors).
The report is a frozen snapshot: what the applicant agreed to share, as it was that day."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from apps.core.audit import AuditCategory, audit_record
from apps.core.errors import NotFound
from apps.core.numbering import next_number
from apps.core.outbox import publish
from apps.estate import api as estate
from apps.identity import api as identity
from apps.kyc import api as kyc
from apps.notifications import api as notifications
from apps.recovery import api as recovery

from ..contracts import RentLineCode, ScoreBand, ScoreInfo
from ..errors import (
    ScreeningAlreadyAnswered,
    ScreeningConsentExpired,
    ScreeningConsentMissing,
    ScreeningConsentWithdrawn,
    ScreeningNotTheApplicant,
    ScreeningPolicyInvalid,
    ScreeningReportExpired,
)
from ..events import ScreeningReportIssued
from ..messages import SCREENING_ADVERSE_ACTION, SCREENING_CONSENT_REQUEST
from ..models import ScreeningPolicy, ScreeningReport, ScreeningRequest

MANAGE = "scoring.screening.manage"
CONSENT_ACTION = "scoring.screening.consent"
Status = ScreeningRequest.Status
Recommendation = ScreeningReport.Recommendation
Decision = ScreeningRequest.Decision

# What the applicant agrees to share (the consent page and the report show the same list).
SHARED_ITEMS = ("identity", "score", "rent_lines", "recovery", "income", "ratio")


def shared_items() -> list[str]:
    return [
        _("Your name, your phone number and your identity verification level (KYC)"),
        _("Your Hokwe rent score, its band and the reasons behind it"),
        _("Your monthly rent payments of the last 24 months (on time, late, unpaid)"),
        _("Your past rent recovery cases (opened, paid, written off)"),
        _("The monthly income you declare below"),
        _("The share of that income the rent of this unit represents"),
    ]


# --- the organization's thresholds ---------------------------------------------------------------

POLICY_FIELDS = (
    "accept_min_score",
    "decline_below_score",
    "accept_max_ratio_bps",
    "decline_above_ratio_bps",
    "decline_unpaid_months",
    "decline_written_off",
    "conditions_deposit_months",
)


def policy_of(organization_id: int) -> ScreeningPolicy:
    """The organization's thresholds (the defaults, unsaved, until its managers set theirs)."""
    found = ScreeningPolicy.objects.filter(organization_id=organization_id).first()
    return found or ScreeningPolicy(organization_id=organization_id)


def policy_update(
    *, actor, organization_id: int, deposit_cap_months: int | None = None, **values
) -> ScreeningPolicy:
    """Owners and managers set their organization's thresholds. The deposit asked with
    conditions never exceeds the legal cap (estate's, per country; the strictest when the
    organization's units are in several)."""
    identity.require(actor, MANAGE, organization_id, hide=True)
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ScreeningPolicyInvalid(field=sorted(unknown)[0])
    with transaction.atomic():
        policy = ScreeningPolicy.objects.select_for_update().filter(organization_id=organization_id).first()
        policy = policy or ScreeningPolicy(organization_id=organization_id)
        for name, value in values.items():
            if value is not None:
                setattr(policy, name, value)
        if policy.decline_below_score > policy.accept_min_score:
            raise ScreeningPolicyInvalid(
                _("The decline threshold must not be above the accept threshold."),
                field="decline_below_score",
            )
        if not 300 <= policy.decline_below_score <= 850 or not 300 <= policy.accept_min_score <= 850:
            raise ScreeningPolicyInvalid(_("Scores run from 300 to 850."), field="accept_min_score")
        if policy.accept_max_ratio_bps > policy.decline_above_ratio_bps:
            raise ScreeningPolicyInvalid(
                _("The accepted rent-to-income ratio must not be above the declined one."),
                field="accept_max_ratio_bps",
            )
        if policy.decline_above_ratio_bps > 10_000 or policy.accept_max_ratio_bps < 100:
            raise ScreeningPolicyInvalid(_("Ratios run from 1 % to 100 %."), field="decline_above_ratio_bps")
        cap = (
            deposit_cap_months
            if deposit_cap_months is not None
            else _organization_deposit_cap(organization_id)
        )
        if policy.conditions_deposit_months > cap:
            raise ScreeningPolicyInvalid(
                _("The deposit may not exceed %(cap)s months of rent (legal cap).") % {"cap": cap},
                field="conditions_deposit_months",
            )
        policy.updated_by = actor
        policy.save()
        audit_record(
            actor=actor,
            action="scoring.screening.policy_update",
            category=AuditCategory.SETTINGS,
            target=policy,
            organization=identity.get_organization(id=organization_id).public_id,
            after={name: getattr(policy, name) for name in POLICY_FIELDS},
        )
    return policy


def _organization_deposit_cap(organization_id: int) -> int:
    units = estate.screening_units_of([organization_id], limit=500)
    return min((u.deposit_cap_months for u in units), default=3)


# --- the manager's request -----------------------------------------------------------------------


def public_url(path: str) -> str:
    base = (
        getattr(settings, "ESTATE_PUBLIC_BASE_URL", "")
        or getattr(settings, "PAYMENT_PUBLIC_BASE_URL", "")
        or "https://hokwe.com"
    )
    return f"{base.rstrip('/')}{path}"


def consent_url(req: ScreeningRequest) -> str:
    return public_url(reverse("scoring:screening-consent", args=[req.consent_token]))


def request_create(
    *, actor, unit, phone: str, applicant_name: str = "", rent: int | None = None, note: str = ""
) -> ScreeningRequest:
    """A manager of the unit's organization asks to screen the holder of `phone`. The
    applicant gets an SMS with the consent link. `rent`: the monthly rent asked (the unit's
    market rent when not given)."""
    try:
        summary = estate.screening_unit(unit)
    except NotFound:
        raise NotFound(field="unit") from None
    identity.require(actor, MANAGE, summary.organization_id, hide=True)
    e164 = identity.normalize_phone(phone)
    amount = rent if rent else summary.market_rent
    if not amount or amount <= 0:
        raise ScreeningPolicyInvalid(_("Give the monthly rent asked for this unit."), field="rent")
    organization = identity.get_organization(id=summary.organization_id)
    with transaction.atomic():
        req = ScreeningRequest.objects.create(
            number=next_number(
                series="scoring.screening",
                scope="all",
                year=timezone.now().year,
                template="SCR{year}-{n:06d}",
            ),
            organization_id=summary.organization_id,
            requested_by=actor,
            unit=summary.public_id,
            unit_label=summary.label[:220],
            country=summary.country,
            rent=amount,
            currency=summary.currency,
            deposit_cap_months=summary.deposit_cap_months,
            applicant_phone=e164,
            applicant_name=(applicant_name or "").strip()[:150],
            consent_token=secrets.token_urlsafe(18),
            note=(note or "").strip()[:300],
        )
        notifications.send(
            e164,
            SCREENING_CONSENT_REQUEST,
            {
                "organization": organization.name,
                "unit": sms_text(req.unit_label),
                "consent_url": consent_url(req),
            },
            idempotency_key=f"scoring:screening:consent:{req.public_id}",
            language="fr",
        )
    return req


# --- the applicant's consent ---------------------------------------------------------------------


def request_by_token(token: str) -> ScreeningRequest:
    found = (
        ScreeningRequest.objects.select_related("organization", "applicant")
        .filter(consent_token=token)
        .first()
        if token
        else None
    )
    if found is None:
        raise NotFound()
    return found


def answer_deadline(req: ScreeningRequest):
    return req.created_at + timedelta(days=settings.SCORING_SCREENING_ANSWER_DAYS)


def state(req: ScreeningRequest, *, now=None) -> str:
    """pending, consented, issued, withdrawn, expired (the consent or the unanswered request
    ran out)."""
    now = now or timezone.now()
    if req.status == Status.WITHDRAWN:
        return "withdrawn"
    if req.status == Status.PENDING:
        return "expired" if now >= answer_deadline(req) else "pending"
    if req.consent_expires_at and now >= req.consent_expires_at:
        return "expired"
    return req.status


def _check_applicant(req: ScreeningRequest, user) -> None:
    if not getattr(user, "is_authenticated", False) or str(user.phone or "") != req.applicant_phone:
        raise ScreeningNotTheApplicant()


def requests_of_applicant(user):
    """The requests sent to this user's phone number (the applicant's own list)."""
    if not getattr(user, "is_authenticated", False) or not user.phone:
        return ScreeningRequest.objects.none()
    return (
        ScreeningRequest.objects.select_related("organization")
        .filter(applicant_phone=str(user.phone))
        .order_by("-created_at", "-id")
    )


def applicant_request(user, request_id) -> ScreeningRequest:
    """One request sent to this user's phone (NotFound otherwise)."""
    found = requests_of_applicant(user).filter(public_id=request_id).first()
    if found is None:
        raise NotFound(field="requestId")
    return found


def consent_start(*, actor, req: ScreeningRequest):
    """The code that confirms the consent, sent to the applicant's phone (identity's step-up,
    bound to this request)."""
    _check_applicant(req, actor)
    _check_answerable(req)
    return identity.step_up_start(actor=actor, action=CONSENT_ACTION, target=str(req.public_id))


def consent_confirm(*, actor, req: ScreeningRequest, challenge_id: str, code: str, declared_income: int):
    """The applicant confirms with the code (the app and the API: a signed-in applicant)."""
    _check_applicant(req, actor)
    _check_answerable(req)
    _check_income(declared_income)
    proof = identity.step_up_verify(actor=actor, challenge_id=challenge_id, code=code)
    with transaction.atomic():
        identity.require_step_up(
            actor=actor, action=CONSENT_ACTION, target=str(req.public_id), token=proof.token
        )
        return consent_give(req, applicant=actor, declared_income=declared_income)


def _check_answerable(req: ScreeningRequest) -> None:
    current = state(req)
    if current == "withdrawn":
        raise ScreeningConsentWithdrawn()
    if current == "expired":
        raise ScreeningConsentExpired()
    if current != "pending":
        raise ScreeningAlreadyAnswered()


def _check_income(declared_income) -> None:
    if isinstance(declared_income, bool) or not isinstance(declared_income, int) or declared_income <= 0:
        raise ScreeningPolicyInvalid(
            _("Enter your monthly income (a whole amount above zero)."), field="declared_income"
        )
    if declared_income > 10**12:
        raise ScreeningPolicyInvalid(_("This amount is too large."), field="declared_income")


def consent_give(req: ScreeningRequest, *, applicant, declared_income: int) -> ScreeningRequest:
    """Record the consent of the applicant whose phone answered the code (the caller checked
    the code: the page with identity's login code, the API with identity's step-up)."""
    _check_applicant(req, applicant)
    _check_income(declared_income)
    with transaction.atomic():
        req = ScreeningRequest.objects.select_for_update().get(pk=req.pk)
        _check_answerable(req)
        now = timezone.now()
        req.applicant = applicant
        req.declared_income = declared_income
        req.consented_at = now
        req.consent_expires_at = now + timedelta(days=settings.SCORING_SCREENING_VALID_DAYS)
        req.status = Status.CONSENTED
        if not req.applicant_name:
            req.applicant_name = (applicant.full_name or "")[:150]
        req.save()
    return req


def consent_withdraw(*, actor, req: ScreeningRequest) -> ScreeningRequest:
    """The applicant withdraws (before or after the report): the report can no longer be read,
    and a pending request can no longer be answered. Withdrawing twice is a no-op."""
    _check_applicant(req, actor)
    with transaction.atomic():
        req = ScreeningRequest.objects.select_for_update().get(pk=req.pk)
        if req.status == Status.WITHDRAWN:
            return req
        req.status = Status.WITHDRAWN
        req.withdrawn_at = timezone.now()
        req.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return req


# --- the report ----------------------------------------------------------------------------------


def _score_of(user, viewer) -> ScoreInfo:
    """get_score (the access logged: viewer, why="screening")."""
    from . import scores

    return scores.get_score(user.public_id, viewer=viewer, why="screening")


def _rent_lines_of(user) -> list:
    from .features import rent_lines

    return rent_lines(user.public_id, months=24)


def _score_json(info: ScoreInfo) -> dict:
    return {
        "score": info.score,
        "band": str(info.band),
        "reasons": [
            {
                "code": r.code,
                "direction": r.direction,
                "text": str(r.text),
                "weight": round(float(r.weight), 1),
            }
            for r in info.reasons
        ],
        "model_version": info.model_version,
        "loyalty_tier": info.loyalty_tier,
        "computed_at": info.computed_at,
    }


def _snapshot(req: ScreeningRequest, *, viewer) -> dict:
    applicant = req.applicant
    info = _score_of(applicant, viewer)
    lines = _rent_lines_of(applicant)
    cases = recovery.cases_of_tenant(applicant.public_id)
    ratio = ratio_bps(req.rent, req.declared_income)
    return {
        "applicant": {
            "id": str(applicant.public_id),
            "name": applicant.full_name or req.applicant_name,
            "verified_name": kyc.verified_name(applicant) or "",
            "phone": req.applicant_phone,
            "kyc_tier": kyc.tier_of(applicant),
        },
        "organization": req.organization.name,
        "unit": {"id": str(req.unit), "label": req.unit_label},
        "rent": {"amount": req.rent, "currency": req.currency},
        "income": {"amount": req.declared_income, "currency": req.currency},
        "ratio_bps": ratio,
        "score": _score_json(info),
        "rent_lines": [
            {
                "month": line.month,
                "due_date": line.due_date.isoformat(),
                "amount": line.amount,
                "paid": line.paid,
                "currency": line.currency,
                "days_late": line.days_late,
                "code": str(line.code),
            }
            for line in lines
        ],
        "recovery_cases": [
            {
                "opened_on": c.opened_on.isoformat(),
                "status": str(c.status),
                "outcome": str(c.outcome),
                "amount_owed": c.amount_owed,
                "recovered": c.recovered,
                "currency": c.currency,
                "broken_promises": c.broken_promises,
            }
            for c in cases
        ],
    }


def ratio_bps(rent: int, income: int | None) -> int | None:
    """Rent over declared monthly income, in basis points (rounded half up)."""
    if not income:
        return None
    return (rent * 10_000 + income // 2) // income


@dataclass(frozen=True)
class Outcome:
    recommendation: str
    conditions: tuple[str, ...]
    deposit_months: int
    reasons: tuple[dict, ...]  # {"code", "params"}, the main ones first


def recommend(snapshot: dict, policy: ScreeningPolicy, *, deposit_cap_months: int) -> Outcome:
    """The recommendation by the organization's thresholds. A thin file (no score) is never
    declined for that alone: a guarantor is asked instead."""
    score = snapshot["score"]["score"]
    thin = snapshot["score"]["band"] == ScoreBand.THIN_FILE or score is None
    ratio = snapshot["ratio_bps"]
    lines = snapshot["rent_lines"]
    unpaid = sum(1 for line in lines if line["code"] in (RentLineCode.UNPAID, RentLineCode.PARTIAL))
    cases = snapshot["recovery_cases"]
    written_off = sum(1 for c in cases if c["outcome"] == "written_off")
    open_cases = sum(1 for c in cases if c["status"] != "closed")

    decline: list[dict] = []
    if not thin and score < policy.decline_below_score:
        decline.append(
            {"code": "score_low", "params": {"score": score, "threshold": policy.decline_below_score}}
        )
    if ratio is not None and ratio > policy.decline_above_ratio_bps:
        decline.append(
            {
                "code": "ratio_high",
                "params": {"ratio_bps": ratio, "limit_bps": policy.decline_above_ratio_bps},
            }
        )
    if unpaid >= policy.decline_unpaid_months:
        decline.append({"code": "unpaid_months", "params": {"count": unpaid}})
    if policy.decline_written_off and written_off:
        decline.append({"code": "written_off", "params": {"count": written_off}})
    if decline:
        return Outcome(Recommendation.DECLINE, (), 0, tuple(decline))

    conditions: list[str] = []
    reasons: list[dict] = []
    if thin:
        conditions.append("guarantor")
        reasons.append({"code": "thin_file", "params": {}})
    elif score < policy.accept_min_score:
        conditions.append("deposit")
        reasons.append(
            {"code": "score_fair", "params": {"score": score, "threshold": policy.accept_min_score}}
        )
    if ratio is not None and ratio > policy.accept_max_ratio_bps:
        if "guarantor" not in conditions:
            conditions.append("guarantor")
        reasons.append(
            {"code": "ratio_above", "params": {"ratio_bps": ratio, "limit_bps": policy.accept_max_ratio_bps}}
        )
    if open_cases:
        if "deposit" not in conditions:
            conditions.append("deposit")
        reasons.append({"code": "open_case", "params": {"count": open_cases}})
    if unpaid:
        reasons.append({"code": "unpaid_months", "params": {"count": unpaid}})
        if "deposit" not in conditions:
            conditions.append("deposit")
    if not conditions:
        return Outcome(Recommendation.ACCEPT, (), 0, ({"code": "meets_thresholds", "params": {}},))
    deposit = min(policy.conditions_deposit_months, deposit_cap_months) if "deposit" in conditions else 0
    return Outcome(Recommendation.CONDITIONS, tuple(conditions), deposit, tuple(reasons))


def reason_text(reason: dict) -> str:
    """A reason in the active language (texts kept GSM-7: they go into the adverse-action SMS)."""
    p = reason.get("params") or {}
    code = reason.get("code")
    if code == "score_low":
        return _("rent score of %(score)s, under the threshold of %(threshold)s") % p
    if code == "score_fair":
        return _("rent score of %(score)s, under the acceptance threshold of %(threshold)s") % p
    if code in ("ratio_high", "ratio_above"):
        return _("rent of %(ratio)s%% of the declared income (limit %(limit)s%%)") % {
            "ratio": _percent(p.get("ratio_bps", 0)),
            "limit": _percent(p.get("limit_bps", 0)),
        }
    if code == "unpaid_months":
        count = int(p.get("count", 0))
        return ngettext(
            "%(count)s rent not paid in full in the last 24 months",
            "%(count)s rents not paid in full in the last 24 months",
            count,
        ) % {"count": count}
    if code == "written_off":
        return _("a rent debt written off")
    if code == "open_case":
        return _("a rent recovery case still open")
    if code == "thin_file":
        return _("rent history too short for a score")
    if code == "meets_thresholds":
        return _("meets the agency's thresholds")
    return str(code or "")


def _percent(bps: int) -> str:
    whole, rest = divmod(int(bps), 100)
    return f"{whole}" if rest == 0 else f"{whole},{rest:02d}".rstrip("0")


def report_issue(*, actor, req: ScreeningRequest) -> ScreeningReport:
    """Issue the report of a consented request (once: a second call returns the same report).
    Refused without consent, after a withdrawal or once the consent has expired."""
    identity.require(actor, MANAGE, req, hide=True)
    with transaction.atomic():
        req = (
            ScreeningRequest.objects.select_for_update(of=("self",))
            .select_related("organization", "applicant")
            .get(pk=req.pk)
        )
        existing = ScreeningReport.objects.filter(request=req).first()
        if existing is not None:
            check_readable(req, existing)
            return existing
        current = state(req)
        if current == "withdrawn":
            raise ScreeningConsentWithdrawn()
        if current == "expired":
            raise ScreeningConsentExpired() if req.consented_at else ScreeningConsentMissing()
        if current != "consented" or req.applicant_id is None:
            raise ScreeningConsentMissing()
        snapshot = _snapshot(req, viewer=actor)
        policy = policy_of(req.organization_id)
        outcome = recommend(snapshot, policy, deposit_cap_months=req.deposit_cap_months)
        snapshot["policy"] = {name: getattr(policy, name) for name in POLICY_FIELDS}
        now = timezone.now()
        report = ScreeningReport.objects.create(
            request=req,
            number=req.number.replace("SCR", "RPT", 1),
            issued_at=now,
            expires_at=now + timedelta(days=settings.SCORING_SCREENING_VALID_DAYS),
            recommendation=outcome.recommendation,
            conditions=list(outcome.conditions),
            deposit_months=outcome.deposit_months,
            reasons=list(outcome.reasons),
            snapshot=snapshot,
        )
        req.status = Status.ISSUED
        req.save(update_fields=["status", "updated_at"])
        from ..vault import file_report

        file_report(report, req)
        publish(
            ScreeningReportIssued(
                report_id=str(report.public_id),
                request_id=str(req.public_id),
                organization_id=str(req.organization.public_id),
                requested_by=str(actor.public_id),
                unit_id=str(req.unit),
                recommendation=str(report.recommendation),
                issued_at=now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            )
        )
    return report


def check_readable(req: ScreeningRequest, report: ScreeningReport | None, *, now=None) -> None:
    """A report is read only while the consent stands and for 30 days."""
    now = now or timezone.now()
    if req.status == Status.WITHDRAWN:
        raise ScreeningConsentWithdrawn()
    if report is None:
        raise ScreeningConsentMissing() if req.consented_at is None else NotFound()
    if now >= report.expires_at:
        raise ScreeningReportExpired()


def report_get(*, actor, req: ScreeningRequest) -> ScreeningReport:
    identity.require(actor, MANAGE, req, hide=True)
    report = ScreeningReport.objects.filter(request=req).first()
    check_readable(req, report)
    return report


def decide(*, actor, req: ScreeningRequest, decision: str) -> ScreeningRequest:
    """The manager's decision on the application (the report must be readable). A decline
    sends the applicant the adverse-action SMS with the report's main reasons."""
    if decision not in (Decision.ACCEPTED, Decision.CONDITIONS, Decision.DECLINED):
        raise ScreeningPolicyInvalid(field="decision")
    report = report_get(actor=actor, req=req)
    with transaction.atomic():
        req = (
            ScreeningRequest.objects.select_for_update(of=("self",))
            .select_related("organization", "applicant")
            .get(pk=req.pk)
        )
        if req.decision:
            raise ScreeningAlreadyAnswered(_("A decision was already recorded for this application."))
        req.decision = decision
        req.decided_at = timezone.now()
        req.decided_by = actor
        req.save(update_fields=["decision", "decided_at", "decided_by", "updated_at"])
        if decision == Decision.DECLINED and report.adverse_notice_sent_at is None:
            _send_adverse_notice(req, report)
    return req


def main_reasons(report: ScreeningReport, *, limit: int = 3) -> list[dict]:
    """The reasons of a decline: the report's own (by the thresholds) first, else what lowers
    the score most."""
    own = [r for r in report.reasons if r.get("code") != "meets_thresholds"]
    return own[:limit]


def sms_text(text: str) -> str:
    """Keep an SMS in GSM-7 (one price per segment): the unit's « · » becomes « - »."""
    return str(text).replace(" · ", " - ").replace("·", "-")


def _send_adverse_notice(req: ScreeningRequest, report: ScreeningReport) -> None:
    applicant = req.applicant
    language = (applicant.preferred_language if applicant else "") or "fr"
    with translation.override(language):
        reasons = "; ".join(reason_text(r) for r in main_reasons(report)) or _("the agency's criteria")
    notifications.send(
        applicant.public_id if applicant else req.applicant_phone,
        SCREENING_ADVERSE_ACTION,
        {
            "organization": req.organization.name,
            "unit": sms_text(req.unit_label),
            "reasons": sms_text(reasons),
        },
        idempotency_key=f"scoring:screening:adverse:{report.public_id}",
    )
    report.adverse_notice_sent_at = timezone.now()
    report.save(update_fields=["adverse_notice_sent_at", "updated_at"])


# --- the French PDF ------------------------------------------------------------------------------


def report_pdf(report: ScreeningReport, *, language: str = "fr") -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "scoring/screening_pdf.html", {**report_context(report), "LANGUAGE": language}
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def report_context(report: ScreeningReport) -> dict:
    """What the page and the PDF show (texts in the active language)."""
    from datetime import date

    from apps.core.money import format_amount

    s = report.snapshot
    lang = translation.get_language() or "fr"
    cur = s["rent"]["currency"]
    lines = []
    for line in s.get("rent_lines", []):
        lines.append(
            {
                **line,
                "due_date": date.fromisoformat(line["due_date"]),
                "amount_text": format_amount(line["amount"], line["currency"], lang),
                "paid_text": format_amount(line["paid"], line["currency"], lang),
                "label": rent_line_label(line["code"]),
            }
        )
    cases = [
        {
            **c,
            "opened_on": date.fromisoformat(c["opened_on"]),
            "owed_text": format_amount(c["amount_owed"], c["currency"], lang),
            "recovered_text": format_amount(c["recovered"], c["currency"], lang),
            "label": case_label(c["status"], c["outcome"]),
        }
        for c in s.get("recovery_cases", [])
    ]
    counts = {}
    for line in s.get("rent_lines", []):
        counts[line["code"]] = counts.get(line["code"], 0) + 1
    return {
        "report": report,
        "req": report.request,
        "s": s,
        "rent_text": format_amount(s["rent"]["amount"], cur, lang),
        "income_text": format_amount(s["income"]["amount"], cur, lang) if s["income"]["amount"] else "",
        "ratio_text": f"{_percent(s['ratio_bps'])} %" if s.get("ratio_bps") is not None else "",
        "lines": lines,
        "line_counts": [(rent_line_label(code), n) for code, n in sorted(counts.items())],
        "cases": cases,
        "reasons": [reason_text(r) for r in report.reasons],
        "recommendation_label": recommendation_label(report.recommendation),
        "conditions": condition_labels(report),
        "band_label": band_label(s["score"]["band"]),
        "score_reasons": s["score"]["reasons"][:4],
    }


def recommendation_label(value: str) -> str:
    return {
        Recommendation.ACCEPT: _("Accept"),
        Recommendation.CONDITIONS: _("Accept with conditions"),
        Recommendation.DECLINE: _("Decline"),
    }.get(value, value)


def condition_labels(report: ScreeningReport) -> list[str]:
    labels = []
    for c in report.conditions:
        if c == "guarantor":
            labels.append(_("a guarantor"))
        elif c == "deposit":
            labels.append(
                ngettext(
                    "a deposit of %(n)s month of rent (within the legal cap)",
                    "a deposit of %(n)s months of rent (within the legal cap)",
                    report.deposit_months,
                )
                % {"n": report.deposit_months}
            )
    return labels


def band_label(band: str) -> str:
    return {
        ScoreBand.EXCELLENT: pgettext("score band", "excellent"),
        ScoreBand.GOOD: pgettext("score band", "good"),
        ScoreBand.FAIR: pgettext("score band", "fair"),
        ScoreBand.WEAK: pgettext("score band", "weak"),
        ScoreBand.POOR: pgettext("score band", "poor"),
        ScoreBand.THIN_FILE: pgettext("score band", "not enough history"),
    }.get(band, band)


def rent_line_label(code: str) -> str:
    return {
        RentLineCode.ON_TIME: _("paid on time"),
        RentLineCode.LATE_1_29: _("paid 1-29 days late"),
        RentLineCode.LATE_30_59: _("paid 30-59 days late"),
        RentLineCode.LATE_60_PLUS: _("paid 60 days late or more"),
        RentLineCode.PARTIAL: _("partly paid"),
        RentLineCode.UNPAID: _("unpaid"),
    }.get(code, code)


def case_label(status: str, outcome: str) -> str:
    if status != "closed":
        return _("open")
    return {
        "paid": _("closed, paid"),
        "settled": _("closed, settled"),
        "written_off": _("closed, written off"),
    }.get(outcome, _("closed"))


def state_label(value: str) -> str:
    return {
        "pending": _("waiting for consent"),
        "consented": _("consent given"),
        "issued": _("report issued"),
        "withdrawn": _("consent withdrawn"),
        "expired": _("expired"),
    }.get(value, value)


# --- what REST and GraphQL answer (one shape for both transports) --------------------------------


def request_view(req: ScreeningRequest) -> dict:
    report = ScreeningReport.objects.filter(request=req).values_list("public_id", flat=True).first()
    return {
        "public_id": req.public_id,
        "number": req.number,
        "organization": req.organization,
        "unit": req.unit,
        "unit_label": req.unit_label,
        "rent": req.rent,
        "currency": req.currency,
        "applicant_phone": req.applicant_phone,
        "applicant_name": req.applicant_name,
        "state": state(req),
        "consented_at": req.consented_at,
        "consent_expires_at": req.consent_expires_at,
        "withdrawn_at": req.withdrawn_at,
        "decision": req.decision,
        "report": report,
        "created_at": req.created_at,
    }


def my_request_view(req: ScreeningRequest) -> dict:
    return {
        "public_id": req.public_id,
        "organization": req.organization,
        "unit_label": req.unit_label,
        "rent": req.rent,
        "currency": req.currency,
        "state": state(req),
        "shared": [str(item) for item in shared_items()],
        "consented_at": req.consented_at,
        "withdrawn_at": req.withdrawn_at,
        "created_at": req.created_at,
    }


def report_view(report: ScreeningReport) -> dict:
    s = report.snapshot
    cur = s["rent"]["currency"]
    return {
        "public_id": report.public_id,
        "number": report.number,
        "request": report.request.public_id,
        "issued_at": report.issued_at,
        "expires_at": report.expires_at,
        "recommendation": report.recommendation,
        "conditions": list(report.conditions),
        "deposit_months": report.deposit_months,
        "reasons": [{"code": r["code"], "text": reason_text(r)} for r in report.reasons],
        "applicant_name": s["applicant"]["name"],
        "applicant_verified_name": s["applicant"]["verified_name"],
        "applicant_phone": s["applicant"]["phone"],
        "kyc_tier": s["applicant"]["kyc_tier"],
        "score": s["score"]["score"],
        "band": s["score"]["band"],
        "score_reasons": [{"code": r["code"], "text": r["text"]} for r in s["score"]["reasons"]],
        "declared_income": s["income"]["amount"],
        "rent": s["rent"]["amount"],
        "currency": cur,
        "income_ratio_bps": s["ratio_bps"],
        "rent_lines": [{**line, "due_date": _date(line["due_date"])} for line in s["rent_lines"]],
        "recovery_cases": [{**c, "opened_on": _date(c["opened_on"])} for c in s["recovery_cases"]],
        "pdf_url": reverse("manager:scoring-screening-pdf", args=[report.request.public_id]),
    }


def _date(value: str):
    from datetime import date

    return date.fromisoformat(value)


# --- data minimisation: an expired or withdrawn report keeps no personal data ---------------------


def purge_unreadable(*, now=None) -> int:
    """Empty the snapshot of every report that can no longer be read (expired, or its consent
    withdrawn): only the band stays (the fairness report's approval rates by band), with the
    recommendation and the reason codes. Returns how many were purged. Daily (beat)."""
    now = now or timezone.now()
    rows = (
        ScreeningReport.objects.filter(Q(expires_at__lte=now) | Q(request__status=Status.WITHDRAWN))
        .exclude(snapshot__has_key="purged")
        .only("id", "snapshot")
    )
    purged = 0
    for report in rows.iterator(chunk_size=500):
        band = ((report.snapshot or {}).get("score") or {}).get("band", "")
        ScreeningReport.objects.filter(pk=report.pk).update(
            snapshot={"purged": True, "purged_at": now.isoformat(), "score": {"band": band}}, updated_at=now
        )
        purged += 1
    return purged
