"""The contact form's tickets (apps/cms/services/help.py): contact -> ticket -> acknowledged
-> staff reply by SMS (GSM-7) or e-mail through notifications; the state machine (hypothesis);
the due time by priority; a user sees only their own tickets; the admin queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.cms.contracts import TICKET_TRANSITIONS, TicketStatus
from apps.cms.errors import HelpContactMissing, HelpReplyChannelMissing
from apps.cms.messages import CMS_HELP_TICKET_RECEIVED, CMS_HELP_TICKET_REPLY
from apps.cms.models import SupportTicket, TicketMessage
from apps.cms.services import help as help_service
from apps.core.errors import Forbidden
from apps.core.statemachine import InvalidTransition
from apps.notifications.models import Message
from apps.notifications.sms_encoding import measure as sms_length
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def support(db):
    return UserFactory(is_staff=True, staff_role="support")


def open_ticket(**kwargs):
    values = {
        "name": "Afi Mensah",
        "phone": "97 12 34 56",
        "subject": "Mon paiement MoMo n'apparait pas",
        "message": "J'ai payé hier 55 000 FCFA, le lien dit toujours impayé.",
    }
    values.update(kwargs)
    return help_service.ticket_open(**values)


def test_contact_opens_a_ticket_with_a_reference_a_due_time_and_an_acknowledgement(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket()
    assert ticket.reference.startswith("SUP") and ticket.status == "new" and ticket.priority == "normal"
    assert ticket.phone == "+2290197123456"
    assert timedelta(hours=23) < ticket.due_at - ticket.created_at <= timedelta(hours=24, seconds=1)
    sms = Message.objects.get(template_key=CMS_HELP_TICKET_RECEIVED, channel="sms")
    assert ticket.reference in sms.body and sms.address == "+2290197123456"


def test_contact_needs_an_email_or_a_phone():
    with pytest.raises(HelpContactMissing):
        open_ticket(phone="")


def test_a_signed_in_users_contact_comes_from_the_account(user):
    ticket = open_ticket(user=user, name="", phone="")
    assert ticket.user == user and ticket.phone == str(user.phone)


def test_reply_by_sms_is_gsm7_and_puts_the_ticket_waiting_on_the_user(
    support, django_capture_on_commit_callbacks
):
    ticket = open_ticket()
    reply = help_service.ticket_reply(
        actor=support, ticket=ticket, body="Bonjour, votre paiement est bien arrivé.", channel="sms"
    )
    ticket.refresh_from_db()
    assert ticket.status == "waiting" and ticket.assignee == support
    assert reply.outcome in ("queued", "delivered")
    sms = Message.objects.get(template_key=CMS_HELP_TICKET_REPLY, channel="sms")
    assert "votre paiement est bien arrivé" in sms.body and ticket.reference in sms.body
    assert sms_length(sms.body).encoding == "gsm7"


def test_reply_by_email_in_english(support):
    ticket = open_ticket(phone="", email="afi@example.com", language="en")
    help_service.ticket_reply(
        actor=support, ticket=ticket, body="Hello, your payment arrived.", channel="email"
    )
    mail = Message.objects.get(template_key=CMS_HELP_TICKET_REPLY, channel="email")
    assert mail.address == "afi@example.com" and mail.language == "en"
    assert ticket.reference in mail.subject and "your payment arrived" in mail.body


def test_reply_on_a_channel_without_address_is_refused(support):
    with pytest.raises(HelpReplyChannelMissing):
        help_service.ticket_reply(actor=support, ticket=open_ticket(), body="Bonjour", channel="email")


def test_the_sms_templates_are_gsm7():
    from apps.notifications import catalog

    for key in (CMS_HELP_TICKET_RECEIVED, CMS_HELP_TICKET_REPLY):
        for language, text in catalog.CATALOG[key].defaults["sms"].items():
            assert sms_length(text.body).encoding == "gsm7", (key, language)


def test_only_support_staff_work_the_queue(user):
    ticket = open_ticket()
    with pytest.raises(Forbidden):
        help_service.ticket_reply(actor=user, ticket=ticket, body="x", channel="sms")
    with pytest.raises(Forbidden):
        help_service.ticket_note(
            actor=UserFactory(is_staff=True, staff_role="finance"), ticket=ticket, body="x"
        )


def test_notes_stay_internal(support):
    ticket = open_ticket()
    help_service.ticket_note(actor=support, ticket=ticket, body="Vérifier chez MTN")
    assert not Message.objects.filter(template_key=CMS_HELP_TICKET_REPLY).exists()
    assert ticket.messages.get().kind == TicketMessage.Kind.NOTE


@override_settings(CMS_HELP_SLA_HOURS={"urgent": 4, "high": 8, "normal": 24, "low": 72})
def test_priority_moves_the_due_time(support):
    ticket = open_ticket()
    ticket = help_service.ticket_prioritize(actor=support, ticket=ticket, priority="urgent")
    assert ticket.due_at - ticket.created_at == timedelta(hours=4)


def test_assigning_opens_a_new_ticket(support):
    ticket = help_service.ticket_assign(actor=support, ticket=open_ticket(), assignee=support)
    assert ticket.status == "open" and ticket.assignee == support


def test_a_user_sees_only_their_own_tickets(user):
    mine = open_ticket(user=user)
    open_ticket(user=UserFactory())
    open_ticket()
    assert list(help_service.tickets_of(user)) == [mine]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([s.value for s in TicketStatus]), max_size=8))
def test_status_changes_follow_the_state_machine(moves):
    support = UserFactory(is_staff=True, staff_role="support")
    ticket = open_ticket(phone="", email="a@example.com")
    current = TicketStatus.NEW
    for target in moves:
        target = TicketStatus(target)
        if target == current or target in TICKET_TRANSITIONS[current]:
            ticket = help_service.ticket_set_status(actor=support, ticket=ticket, status=target)
            current = target
        else:
            with pytest.raises(InvalidTransition):
                help_service.ticket_set_status(actor=support, ticket=ticket, status=target)
        ticket.refresh_from_db()
        assert ticket.status == current
        assert (ticket.solved_at is not None) or current not in (TicketStatus.SOLVED,)
    assert SupportTicket.objects.filter(pk=ticket.pk, status=current).exists()


def admin_client(user):
    """A back-office session (password and TOTP, as the admin login asks)."""
    from django.test import Client
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": str(user.phone),
            "password": "secret-pass-123",
            "otp_device": device.persistent_id,
            "otp_token": f"{totp.token():06d}",
        },
    )
    assert response.status_code == 302, response.content[:500]
    return client


def test_the_admin_queue_assigns_and_replies_by_sms(support):
    ticket = open_ticket()
    client = admin_client(support)
    queue = client.get("/admin/cms/supportticket/")
    assert queue.status_code == 200 and ticket.reference in queue.content.decode()
    url = f"/admin/cms/supportticket/{ticket.pk}/change/"
    assert client.get(url).status_code == 200
    prefix = "messages"
    response = client.post(
        url,
        {
            "status": "new",
            "priority": "high",
            "assignee": support.pk,
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-kind": "reply",
            f"{prefix}-0-channel": "sms",
            f"{prefix}-0-body": "Bonjour, nous regardons votre paiement.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ticket.refresh_from_db()
    assert ticket.priority == "high" and ticket.assignee == support and ticket.status == "waiting"
    assert Message.objects.filter(
        template_key=CMS_HELP_TICKET_REPLY, channel="sms", address=ticket.phone
    ).exists()


def test_a_non_support_staff_does_not_see_the_queue():
    client = admin_client(UserFactory(is_staff=True, staff_role="finance"))
    assert client.get("/admin/cms/supportticket/").status_code == 403
