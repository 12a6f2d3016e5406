"""Scheduled reports: a manager subscribes a member (the page), the beat e-mails the last
complete period as a PDF with a link, to a real SMTP server on loopback (aiosmtpd), in the
recipient's language, once per period however often it runs."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from apps.analytics.models import ReportDelivery, ReportSubscription
from apps.analytics.services.subscriptions import scheduled_reports_send
from tests.analytics.test_reports import world  # noqa: F401 -- the fixture
from tests.identity.factories import MembershipFactory
from tests.notifications.test_email import smtp  # noqa: F401 -- the local SMTP server fixture

TODAY = date(2026, 12, 3)  # the monthly report of November goes out


def _subscribe(world, user, report="rent-roll", frequency="monthly"):  # noqa: F811
    from apps.analytics.services.subscriptions import subscription_create

    return subscription_create(
        actor=world.manager,
        organization_id=world.agency.pk,
        user=user.public_id,
        report=report,
        frequency=frequency,
    )


def test_the_monthly_report_arrives_once_with_its_pdf_and_link(smtp, world):  # noqa: F811
    subscription = _subscribe(world, world.manager)
    assert scheduled_reports_send(today=TODAY) == {"sent": 1, "failed": 0, "skipped": 0}
    [message] = smtp.messages
    assert message["To"] == "gerant@alpha.test"
    assert (
        str(message["Subject"])
        .strip()
        .startswith("État locatif — Agence Rapports Alpha, du 2026-11-01 au 2026-11-30")
    )
    parts = list(message.walk())
    body = next(p for p in parts if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "/manager/analytics/reports/rent-roll/?start=2026-11-01&end=2026-11-30" in body
    [pdf] = [p for p in parts if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "etat-locatif-2026-11-01-2026-11-30.pdf"
    assert pdf.get_payload(decode=True).startswith(b"%PDF")
    delivery = ReportDelivery.objects.get(subscription=subscription)
    assert delivery.status == "sent" and delivery.period_start == date(2026, 11, 1)
    # the beat again, the same day or the next: nothing more
    assert scheduled_reports_send(today=TODAY)["sent"] == 0
    assert scheduled_reports_send(today=date(2026, 12, 4))["sent"] == 0
    assert len(smtp.messages) == 1


def test_a_retried_beat_with_the_delivery_already_claimed_sends_nothing(smtp, world):  # noqa: F811
    subscription = _subscribe(world, world.manager)
    ReportDelivery.objects.create(  # another worker's run wrote it and is sending
        subscription=subscription, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30)
    )
    assert scheduled_reports_send(today=TODAY) == {"sent": 0, "failed": 0, "skipped": 1}
    assert smtp.messages == []


def test_each_recipient_reads_it_in_their_language(smtp, world):  # noqa: F811
    english = MembershipFactory(
        organization=world.agency,
        role="accountant",
        user__email="accounts@alpha.test",
        user__preferred_language="en",
    ).user
    _subscribe(world, english, report="cash-flow", frequency="weekly")
    scheduled_reports_send(today=TODAY)  # Thursday: last week is 23 to 29 November
    [message] = smtp.messages
    assert str(message["Subject"]).strip() == "Cash flow — Agence Rapports Alpha, 2026-11-23 to 2026-11-29"


def test_a_refused_mailbox_is_recorded_and_tried_again(smtp, world):  # noqa: F811
    subscription = _subscribe(world, world.manager)
    smtp.refuse.add("gerant@alpha.test")
    assert scheduled_reports_send(today=TODAY)["failed"] == 1
    delivery = ReportDelivery.objects.get(subscription=subscription)
    assert delivery.status == "failed" and delivery.error
    smtp.refuse.clear()
    assert scheduled_reports_send(today=TODAY)["sent"] == 1
    assert len(smtp.messages) == 1


def test_a_member_who_left_gets_nothing(smtp, world):  # noqa: F811
    accountant = MembershipFactory(
        organization=world.agency, role="accountant", user__email="parti@alpha.test"
    )
    _subscribe(world, accountant.user)
    accountant.is_active = False
    accountant.save()
    assert scheduled_reports_send(today=TODAY)["failed"] == 1
    assert smtp.messages == []


def test_the_page_subscribes_and_unsubscribes_a_member(client, world, django_assert_max_num_queries):  # noqa: F811
    member = MembershipFactory(organization=world.agency, role="viewer").user
    client.force_login(world.manager)
    url = reverse("manager:analytics-subscriptions")
    response = client.post(
        url, {"user": str(member.public_id), "report": "delinquency", "frequency": "weekly"}
    )
    assert response.status_code == 302
    subscription = ReportSubscription.objects.get(user=member, report="delinquency", frequency="weekly")
    assert subscription.organization == world.agency.public_id and subscription.is_active
    with django_assert_max_num_queries(25):
        page = client.get(url)
    assert member.full_name in page.content.decode()
    client.post(reverse("manager:analytics-subscription-cancel", args=[subscription.public_id]))
    subscription.refresh_from_db()
    assert not subscription.is_active


def test_another_organization_cannot_see_or_cancel_a_subscription(client, world):  # noqa: F811
    subscription = _subscribe(world, world.manager)
    client.force_login(world.other)
    cancel = reverse("manager:analytics-subscription-cancel", args=[subscription.public_id])
    assert client.post(cancel).status_code == 404
    assert client.post(cancel, {"org": str(world.agency.public_id)}).status_code == 404
    subscription.refresh_from_db()
    assert subscription.is_active
    page = client.get(reverse("manager:analytics-subscriptions"), {"org": str(world.agency.public_id)})
    assert page.status_code == 404
    outsider = MembershipFactory(organization=world.other_agency, role="viewer").user
    from apps.analytics.errors import SubscriptionRefused

    with pytest.raises(SubscriptionRefused):
        _subscribe(world, outsider)  # not a member of Alpha


def test_the_beat_entry_exists():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["analytics.scheduled_reports"]
    assert entry["task"] == "analytics.scheduled_reports"
