"""Scheduled reports (docs/analytics.md, « Scheduled reports »): an organization subscribes its
members to a report, weekly or monthly; the beat (`analytics.scheduled_reports`, each morning)
e-mails each one the last complete period as a PDF with a link to the page, in the
recipient's language.

Sent once per period: the delivery row (unique per subscription and period start) is written
and committed before the e-mail goes, so a retried or doubled beat finds it and sends nothing;
the PDF is drawn and the SMTP server called with no transaction open (docs/architecture.md,
« No network call under a lock »), and the outcome is written in a new transaction. A failed
delivery is tried again by the next run; one left « pending » (a crash between the sending and
its record) is never sent twice."""

from __future__ import annotations

import logging
from datetime import date
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.identity import api as identity

from ..errors import SubscriptionRefused
from ..models import ReportDelivery, ReportSubscription
from ..rules import REPORT_ROLES
from .exports import filename, pdf_bytes
from .reports import REPORT_KEYS, Filters, build, period_for, report_titles

logger = logging.getLogger(__name__)

FREQUENCIES = tuple(ReportSubscription.Frequency.values)


def _org_public_id(organization_id: int) -> UUID:
    return identity.get_organization(id=organization_id).public_id


def subscriptions_of(*, actor, organization_id: int):
    """The organization's subscriptions (active ones), by member and report (the manager page)."""
    identity.require(actor, "analytics.subscription.manage", organization_id, hide=True)
    return (
        ReportSubscription.objects.filter(organization=_org_public_id(organization_id), is_active=True)
        .select_related("user")
        .order_by("user__full_name", "report", "frequency", "id")
    )


def subscription_create(
    *,
    actor,
    organization_id: int,
    user: UUID,
    report: str,
    frequency: str,
    filters: dict | None = None,
) -> ReportSubscription:
    """Subscribe a member of the organization (one who may read its reports) to `report`,
    `weekly` or `monthly`; subscribing again reactivates the same subscription."""
    identity.require(actor, "analytics.subscription.manage", organization_id, hide=True)
    if report not in REPORT_KEYS:
        raise SubscriptionRefused(_("Unknown report."), field="report")
    if frequency not in FREQUENCIES:
        raise SubscriptionRefused(_("Choose weekly or monthly."), field="frequency")
    try:
        member = identity.get_user(user if isinstance(user, UUID) else UUID(str(user)))
    except (NotFound, ValueError):
        raise SubscriptionRefused(field="user") from None
    if identity.role_in(user_id=member.id, organization_id=organization_id) not in {
        str(r) for r in REPORT_ROLES
    }:
        raise SubscriptionRefused(field="user")
    clean = {k: str(v) for k, v in (filters or {}).items() if k in ("property", "owner") and v}
    with transaction.atomic():
        subscription, _created = ReportSubscription.objects.update_or_create(
            organization=_org_public_id(organization_id),
            user_id=member.id,
            report=report,
            frequency=frequency,
            defaults={"is_active": True, "filters": clean, "created_by": actor},
        )
    return subscription


def subscription_cancel(*, actor, organization_id: int, subscription: UUID) -> None:
    """Unsubscribe (the deliveries already made stay). NotFound for another organization's."""
    identity.require(actor, "analytics.subscription.manage", organization_id, hide=True)
    found = ReportSubscription.objects.filter(
        public_id=subscription, organization=_org_public_id(organization_id)
    ).update(is_active=False)
    if not found:
        raise NotFound()


def report_link(key: str, filters: Filters) -> str:
    base = (settings.ANALYTICS_MANAGER_BASE_URL or "").rstrip("/")
    return f"{base}{reverse('manager:analytics-report', args=[key])}?{urlencode(filters.query())}"


def _claim(subscription: ReportSubscription, start: date, end: date) -> ReportDelivery | None:
    """The delivery of this period, if this run is the one to send it (committed first)."""
    with transaction.atomic():
        delivery, created = ReportDelivery.objects.get_or_create(
            subscription=subscription, period_start=start, defaults={"period_end": end}
        )
        if created:
            return delivery
        retried = ReportDelivery.objects.filter(pk=delivery.pk, status=ReportDelivery.Status.FAILED).update(
            status=ReportDelivery.Status.PENDING, error=""
        )
        return delivery if retried else None


def _finish(delivery: ReportDelivery, *, error: str = "") -> None:
    with transaction.atomic():
        if error:
            ReportDelivery.objects.filter(pk=delivery.pk).update(
                status=ReportDelivery.Status.FAILED, error=error[:300], updated_at=timezone.now()
            )
            return
        now = timezone.now()
        ReportDelivery.objects.filter(pk=delivery.pk).update(
            status=ReportDelivery.Status.SENT, sent_at=now, error="", updated_at=now
        )
        ReportSubscription.objects.filter(pk=delivery.subscription_id).update(
            last_period=delivery.period_start, updated_at=now
        )


def _send(subscription: ReportSubscription, delivery: ReportDelivery) -> str:
    """Draw the PDF and e-mail it; '' when sent, else why not (no transaction open)."""
    user = subscription.user
    org_id = identity.organization_ids([subscription.organization]).get(subscription.organization)
    if org_id is None or identity.role_in(user_id=user.pk, organization_id=org_id) not in {
        str(r) for r in REPORT_ROLES
    }:
        return "the recipient may no longer read this organization's reports"
    if not user.email:
        return "the recipient has no e-mail address"
    language = user.preferred_language or "fr"
    organization = identity.get_organization(id=org_id)
    saved = subscription.filters or {}
    filters = Filters(
        organization=subscription.organization,
        start=delivery.period_start,
        end=delivery.period_end,
        property=UUID(saved["property"]) if saved.get("property") else None,
        owner=UUID(saved["owner"]) if saved.get("owner") else None,
    )
    with translation.override(language):
        report = build(subscription.report, filters, language=language)
        link = report_link(subscription.report, filters)
        pdf = pdf_bytes(report, filters, organization_name=organization.name, language=language, link=link)
        title = report_titles()[subscription.report]
        context = {
            "title": title,
            "organization": organization.name,
            "start": delivery.period_start,
            "end": delivery.period_end,
            "link": link,
            "name": user.full_name,
            "weekly": subscription.frequency == ReportSubscription.Frequency.WEEKLY,
        }
        subject = _("%(title)s — %(organization)s, %(start)s to %(end)s") % {
            **context,
            "start": delivery.period_start.isoformat(),
            "end": delivery.period_end.isoformat(),
        }
        body = render_to_string("analytics/subscriptions_email.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"X-Hokwe-Message-Id": f"analytics-report:{delivery.public_id}"},
        connection=get_connection(),
    )
    message.attach(filename(report, filters, "pdf"), pdf, "application/pdf")
    message.send()
    return ""


def scheduled_reports_send(*, today: date | None = None) -> dict:
    """Send every active subscription its last complete period not sent yet (the beat)."""
    today = today or timezone.localdate()
    sent = failed = skipped = 0
    for subscription in (
        ReportSubscription.objects.filter(is_active=True).select_related("user").order_by("id")
    ):
        start, end = period_for(subscription.frequency, today)
        if subscription.last_period and subscription.last_period >= start:
            continue
        delivery = _claim(subscription, start, end)
        if delivery is None:
            skipped += 1
            continue
        try:
            error = _send(subscription, delivery)
        except Exception as exc:  # an SMTP refusal, a PDF that failed: recorded, tried again tomorrow
            logger.warning("analytics.scheduled_report_failed", exc_info=True)
            error = f"{type(exc).__name__}: {exc}"
        _finish(delivery, error=error)
        if error:
            failed += 1
        else:
            sent += 1
    return {"sent": sent, "failed": failed, "skipped": skipped}
