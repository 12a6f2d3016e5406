"""send(): recipients, channels, dedup, preferences, opt-outs, quiet hours, secrets."""

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.models import OutboxEvent
from apps.notifications import api, quiet_hours, services
from apps.notifications.contracts import Channel, Outcome, SendRequest, TemplateKey
from apps.notifications.models import AddressOptOut, Message, Preference
from tests.identity.factories import UserFactory
from tests.notifications.conftest import TEST_NEWS

from .conftest import RECEIPT, RENT, receipt_context, rent_context

pytestmark = pytest.mark.django_db

NEWS = {"title": "Moov Money", "summary": "Payez par Moov Money.", "url": "https://hokwe.com/news/1"}


def test_user_gets_sms_and_inapp_in_their_language(tenant, send_now):
    tenant.preferred_language = "en"
    tenant.save()
    result = send_now(api.send, tenant.public_id, RENT, rent_context(), channels=["sms", "inapp"])
    assert [o.outcome for o in result.outcomes] == [Outcome.QUEUED, Outcome.DELIVERED]
    sms = Message.objects.get(channel="sms")
    assert sms.status == "sent" and sms.provider == "console" and sms.address == "+2290197112233"
    assert sms.body.startswith("Hokwe: rent notice mars 2026. Rent 75,000 FCFA due by March 5, 2026.")
    assert (sms.segments, sms.encoding) == (1, "gsm7")
    inbox = Message.objects.get(channel="inapp")
    assert (
        inbox.status == "delivered"
        and inbox.user == tenant
        and inbox.action_url == "https://hokwe.com/pay/K7Q2M"
    )


def test_unreachable_channels_are_reported_not_invented(db):
    user = UserFactory(email="")
    result = api.send(user.public_id, RENT, rent_context())
    assert result.outcome(Channel.EMAIL).outcome == Outcome.UNAVAILABLE
    assert result.outcome(Channel.PUSH).outcome == Outcome.UNAVAILABLE
    raw = api.send("+2250707123456", RENT, rent_context())
    assert [o.channel for o in raw.outcomes if o.outcome == Outcome.QUEUED] == [Channel.SMS]


@pytest.mark.parametrize("recipient", ["+22912", "0000", "not-a-number", "", "a@b", "+229 97 00 00 01"])
def test_an_invalid_phone_or_address_is_refused(recipient):
    with pytest.raises(api.InvalidRecipient):
        api.send(recipient, RECEIPT, receipt_context())
    assert not Message.objects.exists()


def test_unknown_user_id_is_refused():
    with pytest.raises(api.InvalidRecipient):
        api.send("5b7c1a3e-0000-4000-8000-000000000000", RECEIPT, receipt_context())


def test_local_numbers_use_the_default_region_and_raw_email_works(send_now):
    result = send_now(api.send, "0197112244", RECEIPT, receipt_context())
    assert result.recipient == "+2290197112244"
    result = send_now(api.send, "Someone@Example.com", RECEIPT, receipt_context())
    assert Message.objects.get(channel="email").address == "someone@example.com"
    assert result.outcome(Channel.EMAIL).outcome == Outcome.QUEUED


def test_same_idempotency_key_never_sends_twice(tenant, send_now):
    first = send_now(api.send, tenant.public_id, RENT, rent_context(), idempotency_key="rent:2026-03:42")
    second = send_now(api.send, tenant.public_id, RENT, rent_context(), idempotency_key="rent:2026-03:42")
    assert first.outcome(Channel.SMS).outcome == Outcome.QUEUED
    assert {o.outcome for o in second.outcomes if o.channel in ("sms", "inapp")} == {Outcome.DUPLICATE}
    assert Message.objects.filter(channel="sms").count() == 1
    # Another event for the same tenant is another message.
    send_now(api.send, tenant.public_id, RENT, rent_context(), idempotency_key="rent:2026-04:42")
    assert Message.objects.filter(channel="sms").count() == 2


def test_the_database_refuses_a_duplicate_even_without_the_check(tenant):
    api.send(tenant.public_id, RENT, rent_context(), channels=["sms"], idempotency_key="k1")
    clone = Message.objects.get()
    clone.pk, clone.public_id = None, None
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            recipient_key=clone.recipient_key,
            channel="sms",
            idempotency_key="k1",
            template_key=RENT,
            category="rent",
            priority="bulk",
            body="x",
        )


def test_duplicates_inside_one_bulk_call_are_dropped(tenant):
    request = SendRequest(
        recipient=str(tenant.public_id),
        template_key=RENT,
        context=rent_context(),
        channels=("sms",),
        idempotency_key="dup",
    )
    results = api.send_many([request, request])
    assert [r.outcomes[0].outcome for r in results] == [Outcome.QUEUED, Outcome.DUPLICATE]
    assert Message.objects.count() == 1


def test_a_rolled_back_send_leaves_nothing(tenant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            api.send(tenant.public_id, RENT, rent_context())
            raise RuntimeError("the caller's business rule failed")
    assert callbacks == [] and not Message.objects.exists()


def test_channel_turned_off_by_category_is_suppressed_and_logged(tenant, send_now):
    services.preference_update(user=tenant, disabled={"rent": ["sms"]})
    result = send_now(api.send, tenant.public_id, RENT, rent_context(), channels=["sms", "inapp"])
    assert result.outcome(Channel.SMS).outcome == Outcome.SUPPRESSED
    assert Message.objects.get(channel="sms").failure_reason == "sms turned off for rent"
    assert result.outcome(Channel.INAPP).outcome == Outcome.DELIVERED
    # Receipts are another category: still sent.
    result = send_now(api.send, tenant.public_id, RECEIPT, receipt_context(), channels=["sms"])
    assert result.outcome(Channel.SMS).outcome == Outcome.QUEUED


def test_security_codes_cannot_be_turned_off(tenant):
    with pytest.raises(api.InvalidInput):
        services.preference_update(user=tenant, disabled={"security": ["sms"]})
    with pytest.raises(api.InvalidInput):
        services.preference_update(user=tenant, disabled={"nonsense": ["sms"]})


def test_marketing_opt_out_for_users_and_raw_addresses(tenant, send_now):
    services.preference_update(user=tenant, marketing_opt_out=True)
    result = send_now(api.send, tenant.public_id, TEST_NEWS, NEWS, channels=["email", "inapp"])
    assert {o.outcome for o in result.outcomes} == {Outcome.SUPPRESSED}
    AddressOptOut.objects.create(address="stop@example.com", reason="unsubscribe link")
    result = send_now(api.send, "stop@example.com", TEST_NEWS, NEWS)
    assert result.outcome(Channel.EMAIL).outcome == Outcome.SUPPRESSED
    # Opting out of marketing does not stop a receipt.
    result = send_now(api.send, tenant.public_id, RECEIPT, receipt_context(), channels=["email"])
    assert result.outcome(Channel.EMAIL).outcome == Outcome.QUEUED


def test_quiet_window_arithmetic_in_the_recipients_zone():
    window = (time(21), time(7))
    porto_novo = "Africa/Porto-Novo"  # UTC+1
    # 21:30 in Cotonou = 20:30 UTC: held until 07:00 Cotonou = 06:00 UTC next day.
    assert quiet_hours.release_time(datetime(2026, 3, 2, 20, 30, tzinfo=UTC), porto_novo, window) == datetime(
        2026, 3, 3, 6, 0, tzinfo=UTC
    )
    # 02:00 Cotonou: held until 07:00 the same day.
    assert quiet_hours.release_time(datetime(2026, 3, 3, 1, 0, tzinfo=UTC), porto_novo, window) == datetime(
        2026, 3, 3, 6, 0, tzinfo=UTC
    )
    # 20:30 UTC is 20:30 in Abidjan (UTC+0): not quiet there yet.
    assert (
        quiet_hours.release_time(datetime(2026, 3, 2, 20, 30, tzinfo=UTC), "Africa/Abidjan", window) is None
    )
    assert quiet_hours.release_time(datetime(2026, 3, 2, 12, 0, tzinfo=UTC), porto_novo, window) is None
    assert quiet_hours.release_time(datetime(2026, 3, 2, 12, 0, tzinfo=UTC), porto_novo, None) is None
    assert quiet_hours.zone_for_phone("+2250707123456") == "Africa/Abidjan"


def _quiet_now(tenant, zone="Africa/Porto-Novo"):
    """Make the tenant's quiet hours cover the current moment (no clock mocking needed)."""
    local = timezone.now().astimezone(ZoneInfo(zone))
    start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    services.preference_update(user=tenant, quiet_hours_start=start, quiet_hours_end=end, zone=zone)


def test_quiet_hours_defer_non_urgent_sms_without_dropping_it(tenant, send_now):
    _quiet_now(tenant)
    result = send_now(api.send, tenant.public_id, RENT, rent_context(), channels=["sms", "inapp"])
    sms = Message.objects.get(channel="sms")
    assert result.outcome(Channel.SMS).deferred_until is not None
    assert sms.status == "queued" and sms.not_before > timezone.now() + timedelta(minutes=50)
    assert result.outcome(Channel.INAPP).outcome == Outcome.DELIVERED  # the inbox is silent
    assert services.messages_release_due() == 0  # still night
    Message.objects.filter(pk=sms.pk).update(not_before=timezone.now() - timedelta(seconds=1))  # morning
    assert services.messages_release_due() == 1
    assert Message.objects.get(pk=sms.pk).status == "sent"


def test_urgent_messages_and_codes_ignore_quiet_hours(tenant, send_now):
    _quiet_now(tenant)
    send_now(api.send, tenant.public_id, RECEIPT, receipt_context(), channels=["sms"])
    assert Message.objects.get(template_key=RECEIPT).status == "sent"
    send_now(
        api.send, str(tenant.phone), TemplateKey.OTP, {"code": "123456", "purpose": "login", "minutes": 5}
    )
    assert Message.objects.get(template_key=TemplateKey.OTP).status == "sent"


def test_default_quiet_hours_apply_to_raw_numbers(settings, send_now):
    local = timezone.now().astimezone(ZoneInfo("Africa/Abidjan"))
    settings.NOTIFICATIONS_QUIET_HOURS = (
        f"{(local - timedelta(hours=1)):%H:%M}-{(local + timedelta(hours=1)):%H:%M}"
    )
    send_now(api.send, "+2250707123456", RENT, rent_context())
    assert Message.objects.get().status == "queued"


def test_otp_code_is_never_stored_in_clear(settings, tmp_path, send_now):
    outbox_file = tmp_path / "sms.jsonl"
    settings.SMS_CONSOLE_FILE = str(outbox_file)
    send_now(
        api.send, "+2290197112233", TemplateKey.OTP, {"code": "739154", "purpose": "login", "minutes": 5}
    )
    message = Message.objects.get()
    assert "739154" not in message.body and "******" in message.body
    assert message.status == "sent" and message.sealed_body == "" and message.priority == "otp"
    assert not any("739154" in json.dumps(row, default=str) for row in Message.objects.values())
    assert not any("739154" in json.dumps(row["payload"]) for row in OutboxEvent.objects.values("payload"))
    delivered = json.loads(outbox_file.read_text().strip())
    assert "739154" in delivered["body"]  # the provider (here the dev file) got the real code


def test_an_otp_that_could_not_go_out_in_time_fails_instead_of_arriving_late(settings):
    api.send("+2290197112233", TemplateKey.OTP, {"code": "739154", "purpose": "login", "minutes": 5})
    message = Message.objects.get()
    assert message.sealed_body and "739154" not in message.sealed_body
    settings.NOTIFICATIONS_OTP_TTL_SECONDS = -1  # as if the broker had been down too long
    services.messages_deliver(message_ids=[message.id])
    message.refresh_from_db()
    assert message.status == "failed" and "expired" in message.failure_reason and message.sealed_body == ""


def test_identity_uses_our_otp_and_invitation_senders(send_now):
    from apps.identity.services.delivery import invitation_sender, otp_sender
    from apps.notifications.otp import (
        NotificationsInvitationSender,
        NotificationsOtpSender,
        register_with_identity,
    )

    # NotificationsConfig.ready() did this at start-up; other test modules may have swapped
    # identity's senders for their own since, so register again (the same call).
    assert register_with_identity()

    assert isinstance(otp_sender(), NotificationsOtpSender)
    assert isinstance(invitation_sender(), NotificationsInvitationSender)
    send_now(otp_sender().send_otp, phone="+2290197112233", code="918273", purpose="step_up", language="en")
    otp = Message.objects.get(template_key=TemplateKey.OTP)
    assert otp.body == "Hokwe: your code ****** to confirm this operation. Valid 5 min. Never share it."
    assert otp.priority == "otp" and otp.status == "sent"
    send_now(
        invitation_sender().send_invitation,
        phone="+2290197112299",
        link="https://hokwe.com/invite/SECRETTOKEN/",
        organization_name="Agence A",
        inviter_name="Rosine",
        role="manager",
        language="fr",
    )
    invitation = Message.objects.get(template_key=TemplateKey.INVITATION)
    assert "SECRETTOKEN" not in invitation.body and "gestionnaire" in invitation.body
    assert invitation.status == "sent" and invitation.sealed_body == ""


def test_closed_accounts_are_reached_on_no_channel_and_erased(tenant, send_now):
    send_now(api.send, tenant.public_id, RENT, rent_context())
    assert api.erase_user_data(user_public_id=str(tenant.public_id)) == 3  # sms, e-mail, in-app
    assert set(Message.objects.values_list("address", flat=True)) == {""}
    assert set(Message.objects.values_list("body", flat=True)) == {""}
    tenant.status = "closed"
    tenant.phone = None
    tenant.save()
    result = api.send(tenant.public_id, RENT, rent_context())
    assert {o.outcome for o in result.outcomes} == {Outcome.UNAVAILABLE}


def test_bulk_send_uses_a_constant_number_of_queries(django_assert_max_num_queries):
    users = [UserFactory() for _ in range(120)]  # 240 messages: the COPY path
    requests = [
        SendRequest(
            recipient=str(u.public_id),
            template_key=RENT,
            context=rent_context(),
            channels=("sms", "inapp"),
            idempotency_key=f"bulk:{u.pk}",
        )
        for u in users
    ]
    with django_assert_max_num_queries(12):
        results = api.send_many(requests)
    assert len(results) == 120 and Message.objects.count() == 240
    assert Message.objects.filter(channel="inapp", status="delivered").count() == 120
    assert Preference.objects.count() == 0


def test_identity_security_notices_reach_the_old_number_and_the_e_mail(send_now):
    """SIM-swap protection: identity hands the notice to our sender; the SMS goes to the
    number it names (the OLD one after a phone change), the e-mail apart, both urgent."""
    from datetime import UTC, datetime

    from apps.identity.services.delivery import security_notice_sender
    from apps.notifications.otp import NotificationsSecurityNoticeSender, register_with_identity

    assert register_with_identity()
    assert isinstance(security_notice_sender(), NotificationsSecurityNoticeSender)
    until = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    send_now(
        security_notice_sender().send_security_notice,
        kind="phone_changed",
        phone="+2290197112233",
        email="old@example.com",
        until=until,
        language="fr",
    )
    sms = Message.objects.get(template_key=TemplateKey.SECURITY_NOTICE, channel="sms")
    assert sms.address == "+2290197112233" and sms.status == "sent"
    assert sms.body.startswith("Hokwe: le numéro de téléphone de votre compte a été changé.")
    assert "5 déc. 2026" in sms.body
    mail = Message.objects.get(template_key=TemplateKey.SECURITY_NOTICE, channel="email")
    assert mail.address == "old@example.com" and "bloqués jusqu'au" in mail.body
    # the same notice again (a retried task) is not sent twice
    send_now(
        security_notice_sender().send_security_notice,
        kind="phone_changed",
        phone="+2290197112233",
        email=None,
        until=until,
        language="fr",
    )
    assert Message.objects.filter(template_key=TemplateKey.SECURITY_NOTICE).count() == 2
