"""Credit bureau reporting (docs/scoring.md « Credit bureau reporting »): positive rent data
of consenting tenants, once a month, to each configured provider.

- consent: `give_consent` / `withdraw_consent` (the tenant's page, REST, GraphQL), audited;
  nothing is reported without it, and a withdrawal stops the next report;
- records: for the month reported, each consenting tenant's rent lines paid in full
  (on time or late: `REPORTED_CODES`) — positive data only: an unpaid or partial month is
  never sent (the bureau would treat it as negative data, which the consent does not cover);
  a line under an open or upheld dispute is left out;
- providers (`BureauProvider`): `file` (bureau_file.py: a documented CSV, Ed25519-signed,
  stored encrypted with the KYC document encryption) and `http` (bureau_http.py: a batch
  POSTed to the bureau's API). `report_month(period, provider)` runs one; one export per
  (provider, month): a second run of a reported month is refused, a failed one retried;
- the monthly beat (`scoring.bureau_monthly`, the 5th at 03:10) reports the month before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.audit import AuditCategory, audit_record, snapshot

from ..contracts import RentLine, RentLineCode
from ..errors import BureauAlreadyReported, BureauProviderUnknown
from ..models import BureauConsent, BureauExport, RentLineDispute

REPORTED_CODES = frozenset(
    {RentLineCode.ON_TIME, RentLineCode.LATE_1_29, RentLineCode.LATE_30_59, RentLineCode.LATE_60_PLUS}
)
CONSENT_FIELDS = ["given", "given_at", "withdrawn_at", "text_version"]


# --- consent ------------------------------------------------------------------------------------


def consent_of(user) -> BureauConsent | None:
    return BureauConsent.objects.filter(user=user).first()


def give_consent(*, actor) -> BureauConsent:
    with transaction.atomic():
        consent, _created = BureauConsent.objects.select_for_update().get_or_create(user=actor)
        if consent.given:
            return consent
        before = snapshot(consent, fields=CONSENT_FIELDS)
        consent.given = True
        consent.given_at = timezone.now()
        consent.withdrawn_at = None
        consent.text_version = settings.SCORING_BUREAU_CONSENT_VERSION
        consent.save()
        audit_record(
            action="scoring.bureau_consent.given",
            category=AuditCategory.SETTINGS,
            actor=actor,
            target=consent,
            before=before,
            after=snapshot(consent, fields=CONSENT_FIELDS),
        )
    return consent


def withdraw_consent(*, actor) -> BureauConsent:
    with transaction.atomic():
        consent, _created = BureauConsent.objects.select_for_update().get_or_create(user=actor)
        if not consent.given:
            return consent
        before = snapshot(consent, fields=CONSENT_FIELDS)
        consent.given = False
        consent.withdrawn_at = timezone.now()
        consent.save()
        audit_record(
            action="scoring.bureau_consent.withdrawn",
            category=AuditCategory.SETTINGS,
            actor=actor,
            target=consent,
            before=before,
            after=snapshot(consent, fields=CONSENT_FIELDS),
        )
    return consent


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BureauRecord:
    """One tenant's one month, as every provider reports it."""

    subject: UUID  # the tenant's Hokwe id (stable; the bureau's subject reference)
    full_name: str  # the verified name when KYC has one, else the account's name
    phone: str  # E.164
    identity_verified: bool  # KYC tier >= 1 (an ID document checked)
    lease: UUID  # the contract reference
    landlord: UUID  # the organization the rent is owed to (creditor reference)
    period: str  # "2026-11"
    due_date: date
    amount_due: int  # minor units
    amount_paid: int
    currency: str
    days_late: int
    status: str  # RentLineCode


@dataclass(frozen=True)
class BureauResult:
    status: str  # BureauExport.Status
    remote_reference: str = ""
    rejected: tuple = ()
    error: str = ""


class BureauProvider(Protocol):
    name: str

    def submit(self, export: BureauExport, records: list[BureauRecord]) -> BureauResult:
        """Deliver the month's records; called outside any transaction. Fills the export's
        file fields itself when it makes a file."""
        ...


def previous_month(today: date) -> str:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def _blocked_lines(user_ids) -> set[tuple[int, UUID, str]]:
    rows = RentLineDispute.objects.filter(user_id__in=user_ids, status__in=["open", "upheld"]).values_list(
        "user_id", "lease", "month"
    )
    return set(rows)


def records_for(period: str) -> list[BureauRecord]:
    """Every consenting tenant's reportable lines of `period` (positive data only)."""
    from apps.kyc import api as kyc

    from .features import rent_lines

    consenting = list(BureauConsent.objects.filter(given=True).select_related("user").order_by("user_id"))
    blocked = _blocked_lines([c.user_id for c in consenting])
    records: list[BureauRecord] = []
    for consent in consenting:
        user = consent.user
        lines: list[RentLine] = [
            line
            for line in rent_lines(user.public_id, months=24)
            if line.month == period
            and line.code in REPORTED_CODES
            and (user.pk, line.lease, line.month) not in blocked
        ]
        if not lines:
            continue
        verified = kyc.verified_name(user)
        for line in lines:
            records.append(
                BureauRecord(
                    subject=user.public_id,
                    full_name=verified or user.full_name or "",
                    phone=str(user.phone or ""),
                    identity_verified=verified is not None,
                    lease=line.lease,
                    landlord=line.organization,
                    period=line.month,
                    due_date=line.due_date,
                    amount_due=line.amount,
                    amount_paid=line.paid,
                    currency=line.currency,
                    days_late=max(0, line.days_late),
                    status=str(line.code),
                )
            )
    return records


# --- providers and the monthly run --------------------------------------------------------------


def provider(name: str) -> BureauProvider:
    from .bureau_file import FileBureau
    from .bureau_http import HttpBureau

    known = {"file": FileBureau, "http": HttpBureau}
    if name not in known:
        raise BureauProviderUnknown(field="provider")
    return known[name]()


def report_month(period: str, provider_name: str) -> BureauExport:
    """Report `period` ("YYYY-MM") to one provider: refused when already reported, retried when
    the last attempt failed. The provider is called outside any transaction."""
    bureau = provider(provider_name)
    try:
        with transaction.atomic():
            export, created = BureauExport.objects.select_for_update().get_or_create(
                provider=provider_name, period=period
            )
            if not created and export.status != BureauExport.Status.FAILED:
                raise BureauAlreadyReported()
            export.status = BureauExport.Status.BUILT
            export.error = ""
            export.save(update_fields=["status", "error", "updated_at"])
    except IntegrityError:
        raise BureauAlreadyReported() from None
    records = records_for(period)
    try:
        result = bureau.submit(export, records)
    except Exception as exc:  # noqa: BLE001 — a provider failure is recorded, retried next run
        result = BureauResult(status=BureauExport.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
    export.status = result.status
    export.subjects = len({r.subject for r in records})
    export.records = len(records)
    export.remote_reference = result.remote_reference[:100]
    export.rejected = list(result.rejected)
    export.error = result.error
    if result.status in (BureauExport.Status.SENT, BureauExport.Status.ACCEPTED):
        export.sent_at = timezone.now()
    export.save()
    return export


def report_previous_month(today: date | None = None) -> list[BureauExport]:
    """The monthly beat: the month before `today`, to every configured provider (each alone:
    one failing does not stop the others; an already reported month is skipped)."""
    period = previous_month(today or timezone.localdate())
    done = []
    for name in settings.SCORING_BUREAU_PROVIDERS:
        try:
            done.append(report_month(period, name))
        except BureauAlreadyReported:
            continue
    return done
