"""The manager's payment page asks before an irreversible action: cancelling a pay link (a
confirmation), refunding a payment (a confirmation with the amount and the payer, then the
step-up code sent by SMS, checked by services.intent_refund as on REST and GraphQL)."""

from __future__ import annotations

import html

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.payments import services
from apps.payments.models import Refund
from tests.helpers import enrol_totp, totp_code

from .conftest import make_intent, on_commit

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def as_manager(client, manager, sms):
    cache.clear()
    client.force_login(manager)
    client.device = enrol_totp(manager)  # a refund needs the strong factor (identity, issue 16)
    return client


@pytest.fixture
def paid(org, collector, providers):
    intent = make_intent(org, amount=25_000, payer_name="Brice Zinsou")
    with on_commit():
        services.cash_record(actor=collector, intent=intent)
    intent.refresh_from_db()
    return intent


def refund_url(intent):
    return reverse("manager:payments-refund", kwargs={"intent_id": intent.public_id})


def cancel_url(intent):
    return reverse("manager:payments-cancel", kwargs={"intent_id": intent.public_id})


def state(intent):
    intent.refresh_from_db()
    return intent.status, intent.amount_refunded, Refund.objects.filter(intent=intent).count()


def test_the_page_offers_refund_on_a_paid_intent_and_cancel_on_an_open_one(as_manager, paid, org):
    body = text(as_manager.get(reverse("manager:payments-detail", kwargs={"intent_id": paid.public_id})))
    assert 'data-testid="intent-refund"' in body and 'data-testid="intent-cancel"' not in body
    open_one = make_intent(org, purpose_id="due-2")
    body = text(as_manager.get(reverse("manager:payments-detail", kwargs={"intent_id": open_one.public_id})))
    assert 'data-testid="intent-cancel"' in body and 'data-testid="intent-refund"' not in body


def test_refund_asks_first_with_the_amount_and_the_payer(as_manager, paid, sms):
    before = state(paid)
    response = as_manager.post(refund_url(paid), {"amount": "10 000", "reason": "Trop-perçu"})
    assert response.status_code == 200
    assert "Rembourser 10 000 FCFA à Brice Zinsou ?" in text(response)
    assert state(paid) == before and sms.messages == []


def test_a_missing_or_wrong_code_refunds_nothing(as_manager, paid, sms, manager):
    before = state(paid)
    body = {"amount": "10000", "reason": ""}
    sent = as_manager.post(refund_url(paid), {**body, "confirm_step": "confirm"})
    assert "Code de votre application d'authentification" in text(sent) and sms.messages == []  # never SMS
    missing = as_manager.post(refund_url(paid), {**body, "confirm_step": "code", "code": ""})
    assert "Saisissez le code de votre application d'authentification." in text(missing)
    code = totp_code(as_manager.device)
    wrong = as_manager.post(
        refund_url(paid), {**body, "confirm_step": "code", "code": "000000" if code != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and 'class="field-error"' in wrong.content.decode()
    assert state(paid) == before


def test_a_different_amount_than_the_code_was_sent_for_refunds_nothing(as_manager, paid, sms, manager):
    before = state(paid)
    as_manager.post(refund_url(paid), {"amount": "10000", "confirm_step": "confirm"})
    code = totp_code(as_manager.device)
    changed = as_manager.post(refund_url(paid), {"amount": "25000", "confirm_step": "code", "code": code})
    assert changed.status_code == 200 and 'role="alert"' in changed.content.decode()
    assert state(paid) == before


def test_the_confirmed_code_refunds_once(as_manager, paid, sms, manager):
    body = {"amount": "10000", "reason": "Trop-perçu"}
    as_manager.post(refund_url(paid), {**body, "confirm_step": "confirm"})
    code = totp_code(as_manager.device)
    with on_commit():
        done = as_manager.post(refund_url(paid), {**body, "confirm_step": "code", "code": code})
    assert done.status_code == 302
    after = state(paid)
    assert after[1:] == (10_000, 1)
    again = as_manager.post(refund_url(paid), {**body, "confirm_step": "code", "code": code})
    assert again.status_code == 200 and state(paid) == after


def test_cancel_asks_first_then_cancels(as_manager, org):
    intent = make_intent(org, amount=30_000, purpose_id="due-3", payer_name="Awa Dossou")
    asked = as_manager.post(cancel_url(intent))
    assert "Annuler le lien de paiement de 30 000 FCFA pour Awa Dossou ?" in text(asked)
    assert state(intent)[0] == "created"
    done = as_manager.post(cancel_url(intent), {"confirm_step": "confirm"})
    assert done.status_code == 302 and state(intent)[0] == "canceled"


def test_another_organization_gets_404(client, outsider, paid):
    client.force_login(outsider)
    assert client.post(refund_url(paid), {"amount": "10000"}).status_code == 404
    assert client.post(cancel_url(paid)).status_code == 404
