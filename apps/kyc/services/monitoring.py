"""Transaction monitoring (AML): intake, alerts, the compliance queue's decisions and the
suspicious-transaction report (déclaration de soupçon to the CENTIF).

- `observe(observed)`: record a transaction once per source key, run the rules
  (services/monitoring_rules.py) and open an alert per hit -- or attach the transactions to
  the undecided alert of the same rule and subject.
- `alert_assign`, `alert_note`, `alert_decide` (dismiss / escalate / report): compliance
  staff only, each an audit entry (who, when, why); a dismissed or reported alert is final.
- `alert_export(fmt="csv"|"xml")`: the report of a reported alert, its download audited.

No audit entry or event here names the organization: nothing about an alert may reach the
subject or the organization (tipping-off is an offence under the UEMOA AML law).
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditCategory, audit_record
from apps.core.errors import DomainError, NotFound
from apps.core.statemachine import StateMachine
from apps.identity import api as identity

from ..contracts import Observation, ObservedKind, ObservedTransaction
from ..errors import (
    AlertConflict,
    AlertDecided,
    AlertFourEyes,
    AlertNarrativeRequired,
    AlertNotReported,
    AlertReasonRequired,
)
from ..models import (
    ALERT_OPEN_STATUSES,
    Alert,
    AlertEntry,
    AlertStatus,
    AlertTransaction,
    KycProfile,
    MonitoredTransaction,
    Submission,
)
from . import monitoring_rules

ALERT_STATES = StateMachine(
    {
        AlertStatus.OPEN: {AlertStatus.ESCALATED, AlertStatus.DISMISSED, AlertStatus.REPORTED},
        AlertStatus.ESCALATED: {AlertStatus.DISMISSED, AlertStatus.REPORTED},
        AlertStatus.DISMISSED: set(),
        AlertStatus.REPORTED: set(),
    },
    error=AlertDecided,
)
DECISIONS = {
    "dismiss": AlertStatus.DISMISSED,
    "escalate": AlertStatus.ESCALATED,
    "report": AlertStatus.REPORTED,
}


# --- intake ---------------------------------------------------------------------------------------


def _user_id(public_id) -> int | None:
    if not public_id:
        return None
    try:
        return identity.get_user(public_id).id
    except (NotFound, ValueError):
        return None


def _phone(value: str) -> str:
    value = str(value or "").strip()
    if not value:
        return ""
    try:
        return identity.normalize_phone(value)
    except identity.InvalidPhone:
        return value[:32]


def observe(observed: ObservedTransaction) -> Observation:
    """Record `observed` once (its source key) and run the rules on it. A source key seen
    before records nothing and opens nothing (a replayed event)."""
    from django.conf import settings

    if not settings.KYC_MONITORING_ENABLED:
        return Observation(recorded=False)
    kind = ObservedKind(observed.kind)
    if isinstance(observed.amount, bool) or not isinstance(observed.amount, int) or observed.amount <= 0:
        raise ValueError("amount is an int > 0 in minor units")
    if not observed.source_key:
        raise ValueError("source_key is required")
    if MonitoredTransaction.objects.filter(source_key=observed.source_key).exists():
        return Observation(recorded=False)
    organization = identity.get_organization(observed.organization_public_id)
    occurred_at = observed.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = occurred_at.replace(tzinfo=UTC)
    with transaction.atomic():
        try:
            with transaction.atomic():
                tx = MonitoredTransaction.objects.create(
                    source_key=observed.source_key[:200],
                    kind=kind,
                    amount=observed.amount,
                    currency=observed.currency.upper(),
                    occurred_at=occurred_at,
                    organization_id=organization.id,
                    account=(observed.account or "")[:64],
                    payer_phone=_phone(observed.payer_phone),
                    payer_user_id=_user_id(observed.payer_public_id),
                    provider=(observed.provider or "")[:30],
                    provider_reference=(observed.provider_reference or "")[:100],
                )
        except IntegrityError:  # the same key observed concurrently
            return Observation(recorded=False)
        tx = MonitoredTransaction.objects.select_related("organization", "payer_user").get(pk=tx.pk)
        alerts = [_open_or_attach(hit, tx) for hit in monitoring_rules.evaluate(tx)]
    return Observation(recorded=True, alert_ids=tuple(str(alert.public_id) for alert in alerts))


def _open_or_attach(hit: monitoring_rules.Hit, tx: MonitoredTransaction) -> Alert:
    """The undecided alert of the hit's rule and subject gets the transactions (deduplicated
    by a partial unique constraint), else a new alert opens."""
    lookup = {"rule": hit.rule, "subject_key": hit.subject_key, "status__in": ALERT_OPEN_STATUSES}
    alert = Alert.objects.select_for_update().filter(**lookup).first()
    created = False
    if alert is None:
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    rule=hit.rule,
                    severity=hit.severity,
                    score=hit.score,
                    subject_kind=hit.subject_kind,
                    subject_key=hit.subject_key,
                    subject_phone=hit.subject_phone,
                    subject_user_id=hit.subject_user_id,
                    organization_id=hit.organization_id,
                    account=hit.account,
                    summary=hit.summary[:300],
                    last_hit_at=tx.occurred_at,
                )
                created = True
        except IntegrityError:  # opened by a concurrent intake: attach to it
            alert = Alert.objects.select_for_update().get(**lookup)
    if not created:
        alert.severity = max(alert.severity, hit.severity)
        alert.score = max(alert.score, hit.score)
        alert.summary = hit.summary[:300]
        alert.last_hit_at = max(filter(None, [alert.last_hit_at, tx.occurred_at]))
        alert.save(update_fields=["severity", "score", "summary", "last_hit_at", "updated_at"])
    AlertTransaction.objects.bulk_create(
        [AlertTransaction(alert=alert, transaction_id=pk) for pk in hit.transaction_ids],
        ignore_conflicts=True,
    )
    AlertEntry.objects.create(alert=alert, kind=AlertEntry.Kind.HIT, text=hit.summary)
    if created:
        audit_record(
            action="kyc.monitoring.alert_opened",
            category=AuditCategory.KYC,
            actor=None,
            target=alert,
            target_label=f"{alert.rule} {alert.public_id}",
            reason=hit.summary,
        )
    return alert


# --- the compliance queue -------------------------------------------------------------------------


def _workable(actor, alert: Alert, permission: str = "kyc.monitoring.work") -> Alert:
    """The alert, locked; NotFound for anyone but compliance staff (nothing shows)."""
    identity.require(actor, permission, alert, hide=True)
    return Alert.objects.select_for_update().get(pk=alert.pk)


def _conflicted(user, alert: Alert) -> bool:
    """Staff never work an alert about themselves or an organization they belong to."""
    if alert.subject_user_id is not None and alert.subject_user_id == user.pk:
        return True
    return bool(
        alert.organization_id and identity.role_in(user_id=user.pk, organization_id=alert.organization_id)
    )


def _audit(actor, alert: Alert, action: str, *, before=None, after=None, reason: str = "") -> None:
    audit_record(
        action=f"kyc.monitoring.{action}",
        category=AuditCategory.KYC,
        actor=actor,
        target=alert,
        target_label=f"{alert.rule} {alert.public_id}",
        before=before,
        after=after,
        reason=reason,
    )


def alert_assign(*, actor, alert: Alert, assignee=None) -> Alert:
    """Give the alert to `assignee` (compliance staff; default: the actor)."""
    assignee = assignee or actor
    with transaction.atomic():
        alert = _workable(actor, alert)
        if alert.is_decided:
            raise AlertDecided()
        if not identity.can(assignee, "kyc.monitoring.work", alert):
            raise DomainError(_("Assign the alert to a compliance officer."), field="assignee")
        if _conflicted(assignee, alert):
            raise AlertConflict(field="assignee")
        before = {"assigned_to": str(alert.assigned_to.public_id) if alert.assigned_to_id else None}
        alert.assigned_to = assignee
        alert.save(update_fields=["assigned_to", "updated_at"])
        AlertEntry.objects.create(
            alert=alert, kind=AlertEntry.Kind.ASSIGNED, author=actor, text=str(assignee)[:200]
        )
        _audit(actor, alert, "alert_assigned", before=before, after={"assigned_to": str(assignee.public_id)})
    return alert


def alert_note(*, actor, alert: Alert, text: str) -> AlertEntry:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the note."), field="text")
    with transaction.atomic():
        alert = _workable(actor, alert)
        if alert.is_decided:
            raise AlertDecided()
        entry = AlertEntry.objects.create(alert=alert, kind=AlertEntry.Kind.NOTE, author=actor, text=text)
        _audit(actor, alert, "alert_noted", reason=text)
    return entry


def alert_decide(*, actor, alert: Alert, decision: str, reason: str, narrative: str = "") -> Alert:
    """dismiss (false positive), escalate, or report (suspicious; needs the analyst's
    narrative for the report). A dismissed or reported alert is final; an escalated one is
    decided by another compliance officer."""
    if decision not in DECISIONS:
        raise DomainError(_("Choose dismiss, escalate or report."), field="decision")
    reason = (reason or "").strip()
    narrative = (narrative or "").strip()
    if not reason:
        raise AlertReasonRequired(field="reason")
    target = DECISIONS[decision]
    with transaction.atomic():
        alert = _workable(actor, alert)
        ALERT_STATES.check(alert.status, target)
        if _conflicted(actor, alert):
            raise AlertConflict()
        if alert.status == AlertStatus.ESCALATED and alert.escalated_by_id == actor.pk:
            raise AlertFourEyes()
        narrative = narrative or alert.narrative
        if target == AlertStatus.REPORTED and not narrative:
            raise AlertNarrativeRequired(field="narrative")
        before = {"status": alert.status}
        now = timezone.now()
        alert.status = target
        alert.narrative = narrative
        fields = ["status", "narrative", "updated_at"]
        if target == AlertStatus.ESCALATED:
            alert.escalated_by, alert.escalated_at = actor, now
            fields += ["escalated_by", "escalated_at"]
        else:
            alert.decided_by, alert.decided_at, alert.decision_reason = actor, now, reason[:500]
            fields += ["decided_by", "decided_at", "decision_reason"]
        alert.save(update_fields=fields)
        AlertEntry.objects.create(alert=alert, kind=target, author=actor, text=reason)
        _audit(actor, alert, f"alert_{target}", before=before, after={"status": target}, reason=reason)
    return alert


# --- the suspicious-transaction report ------------------------------------------------------------


@dataclass(frozen=True)
class ReportFile:
    filename: str
    content_type: str
    content: bytes


_FORMULA = re.compile(r"^[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?[\d .]+$")


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (phone numbers stay as they are)."""
    text = "" if value is None else str(value)
    if _FORMULA.match(text) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _identity_of_user(user_id: int | None) -> dict:
    """What kyc holds on a person: the latest approved (else latest decided or submitted)
    verification's data, their tier. Blank when never verified or purged."""
    if user_id is None:
        return {}
    submissions = Submission.objects.filter(user_id=user_id, subject="individual").exclude(status="draft")
    held = (
        submissions.filter(status="approved").order_by("-decided_at").first()
        or submissions.order_by("-created_at").first()
    )
    profile = KycProfile.objects.filter(user_id=user_id).first()
    user = identity.get_user(id=user_id)
    data = {
        "user_public_id": str(user.public_id),
        "account_name": getattr(user, "full_name", "") or "",
        "account_phone": user.phone or "",
        "kyc_tier": str(profile.tier if profile else 0),
    }
    if held is not None:
        document = held.documents.filter(kind__in=["id_card", "passport", "driving_licence"]).first()
        data.update(
            {
                "verification_status": held.status,
                "last_name": held.last_name,
                "first_name": held.first_name,
                "date_of_birth": _iso(held.date_of_birth),
                "nationality": held.nationality,
                "id_document_kind": document.kind if document else "",
                "id_number": held.id_number,
                "id_expiry_date": _iso(held.id_expiry_date),
                "address": held.address,
                "city": held.city,
            }
        )
    return data


def _identity_of_organization(organization_id: int | None) -> dict:
    if organization_id is None:
        return {}
    organization = identity.get_organization(id=organization_id)
    data = {"organization_public_id": str(organization.public_id), "organization_name": organization.name}
    kyb = (
        Submission.objects.filter(organization_id=organization_id, subject="business")
        .exclude(status="draft")
        .order_by("-created_at")
        .first()
    )
    if kyb is not None:
        data.update(
            {
                "kyb_status": kyb.status,
                "legal_name": kyb.legal_name,
                "rccm_number": kyb.rccm_number,
                "ifu_number": kyb.ifu_number,
                "registered_address": kyb.registered_address,
                "directors": "; ".join(
                    f"{d.full_name} ({d.role})" if d.role else d.full_name for d in kyb.directors.all()
                ),
            }
        )
    return data


SUBJECT_FIELDS = (
    "user_public_id",
    "account_name",
    "account_phone",
    "kyc_tier",
    "verification_status",
    "last_name",
    "first_name",
    "date_of_birth",
    "nationality",
    "id_document_kind",
    "id_number",
    "id_expiry_date",
    "address",
    "city",
)
ORGANIZATION_FIELDS = (
    "organization_public_id",
    "organization_name",
    "kyb_status",
    "legal_name",
    "rccm_number",
    "ifu_number",
    "registered_address",
    "directors",
)
TRANSACTION_FIELDS = (
    "transaction_id",
    "kind",
    "occurred_at",
    "amount",
    "currency",
    "payer_phone",
    "account",
    "provider",
    "provider_reference",
    "source",
)


def report_data(alert: Alert) -> dict:
    """Everything the report carries (the CSV and XML are two renderings of it)."""
    transactions = list(MonitoredTransaction.objects.filter(alerts=alert).order_by("occurred_at", "id"))
    return {
        "alert": {
            "report_reference": f"HKW-STR-{alert.public_id.hex[:12].upper()}",
            "alert_id": str(alert.public_id),
            "rule": alert.rule,
            "rule_label": str(alert.get_rule_display()),
            "severity": alert.get_severity_display(),
            "score": str(alert.score),
            "summary": alert.summary,
            "subject_kind": alert.subject_kind,
            "subject_phone": alert.subject_phone,
            "opened_at": _iso(alert.created_at),
            "escalated_at": _iso(alert.escalated_at),
            "reported_at": _iso(alert.decided_at),
            "analyst": str(alert.decided_by or ""),
            "decision_reason": alert.decision_reason,
            "narrative": alert.narrative,
        },
        "subject": _identity_of_user(alert.subject_user_id),
        "organization": _identity_of_organization(alert.organization_id),
        "transactions": [
            {
                "transaction_id": str(tx.public_id),
                "kind": tx.kind,
                "occurred_at": _iso(tx.occurred_at),
                "amount": str(tx.amount),
                "currency": tx.currency,
                "payer_phone": tx.payer_phone,
                "account": tx.account,
                "provider": tx.provider,
                "provider_reference": tx.provider_reference,
                "source": tx.source_key,
            }
            for tx in transactions
        ],
    }


ALERT_FIELDS = (
    "report_reference",
    "alert_id",
    "rule",
    "rule_label",
    "severity",
    "score",
    "summary",
    "subject_kind",
    "subject_phone",
    "opened_at",
    "escalated_at",
    "reported_at",
    "analyst",
    "decision_reason",
    "narrative",
)


def _csv(data: dict) -> bytes:
    """One row per transaction; the alert, the subject's identity and the organization's on
    every row (a flat file any spreadsheet or the CENTIF's intake opens)."""
    header = [
        *ALERT_FIELDS,
        *(f"subject_{f}" for f in SUBJECT_FIELDS),
        *ORGANIZATION_FIELDS,
        *(f"tx_{f}" if not f.startswith("transaction") else f for f in TRANSACTION_FIELDS),
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    fixed = [
        *(data["alert"].get(f, "") for f in ALERT_FIELDS),
        *(data["subject"].get(f, "") for f in SUBJECT_FIELDS),
        *(data["organization"].get(f, "") for f in ORGANIZATION_FIELDS),
    ]
    for tx in data["transactions"] or [{}]:
        writer.writerow([_cell(v) for v in [*fixed, *(tx.get(f, "") for f in TRANSACTION_FIELDS)]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: spreadsheets read UTF-8


def _xml(data: dict) -> bytes:
    root = ET.Element("declarationDeSoupcon", {"version": "1", "declarant": "Hokwe"})
    alert = ET.SubElement(root, "alerte")
    for name in ALERT_FIELDS:
        ET.SubElement(alert, name).text = data["alert"].get(name, "")
    subject = ET.SubElement(root, "sujet")
    for name in SUBJECT_FIELDS:
        if name in data["subject"]:
            ET.SubElement(subject, name).text = data["subject"][name]
    organization = ET.SubElement(root, "organisation")
    for name in ORGANIZATION_FIELDS:
        if name in data["organization"]:
            ET.SubElement(organization, name).text = data["organization"][name]
    operations = ET.SubElement(root, "operations", {"nombre": str(len(data["transactions"]))})
    for tx in data["transactions"]:
        operation = ET.SubElement(operations, "operation")
        for name in TRANSACTION_FIELDS:
            ET.SubElement(operation, name).text = tx[name]
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def alert_export(*, actor, alert: Alert, fmt: str = "csv") -> ReportFile:
    """The suspicious-transaction report of a reported alert (CSV or XML). Each download is
    an audit entry and a line in the alert's history."""
    if fmt not in ("csv", "xml"):
        raise DomainError(_("Choose CSV or XML."), field="format")
    with transaction.atomic():
        alert = _workable(actor, alert, "kyc.monitoring.export")
        if alert.status != AlertStatus.REPORTED:
            raise AlertNotReported()
        data = report_data(alert)
        content = _csv(data) if fmt == "csv" else _xml(data)
        AlertEntry.objects.create(alert=alert, kind=AlertEntry.Kind.EXPORTED, author=actor, text=fmt.upper())
        _audit(
            actor, alert, "report_exported", after={"format": fmt, "transactions": len(data["transactions"])}
        )
    name = f"{data['alert']['report_reference']}.{fmt}"
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/xml; charset=utf-8"
    return ReportFile(filename=name, content_type=content_type, content=content)
