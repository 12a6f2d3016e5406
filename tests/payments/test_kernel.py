"""Payments on the shared kernel (issue 14): receipt numbers from core's gap-free numbering
(migrated from payments' own ReceiptSequence), the intent state machine on core's
StateMachine, money with the row's own currency on REST and the pages."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.core.models import NumberSequence
from apps.core.statemachine import InvalidTransition as CoreInvalidTransition
from apps.core.statemachine import StateMachine
from apps.payments import services
from apps.payments.contracts import TRANSITIONS, IntentStatus
from apps.payments.errors import InvalidTransition
from apps.payments.services.intents import INTENT_STATES, RECEIPT_SERIES

from .conftest import make_intent

pytestmark = pytest.mark.django_db


# --- numbering ----------------------------------------------------------------------------------


def test_receipt_numbers_continue_after_the_values_migrated_from_payments_own_sequence(
    org, other_org, collector, providers
):
    """Migration 0003 copies every ReceiptSequence row into core.NumberSequence (series
    payments.receipt, scope the organization id); the next receipts follow on, same format."""
    year = timezone.localdate().year
    before = [("payments", "0002_provider_calls")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    ReceiptSequence = old.get_model("payments", "ReceiptSequence")
    ReceiptSequence.objects.create(organization_id=org.pk, year=year, last=123)
    ReceiptSequence.objects.create(organization_id=org.pk, year=year - 1, last=900)
    ReceiptSequence.objects.create(organization_id=other_org.pk, year=year, last=7)
    with connection.cursor() as cursor:  # the rows' deferred FK checks, before the table is dropped
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("payments", "0004_delete_receiptsequence")])

    assert set(NumberSequence.objects.filter(series=RECEIPT_SERIES).values_list("scope", "year", "last")) == {
        (str(org.pk), year, 123),
        (str(org.pk), year - 1, 900),
        (str(other_org.pk), year, 7),
    }
    intent = services.cash_record(actor=collector, intent=make_intent(org))
    second = services.cash_record(actor=collector, intent=make_intent(org, purpose_id="second"))
    assert (intent.receipt_number, second.receipt_number) == (f"R{year}-000124", f"R{year}-000125")


def test_receipt_numbers_are_per_organization(org, other_org, collector, providers):
    from .conftest import member

    year = timezone.localdate().year
    first = services.cash_record(actor=collector, intent=make_intent(org))
    elsewhere = services.cash_record(actor=member(other_org, "collector"), intent=make_intent(other_org))
    assert first.receipt_number == elsewhere.receipt_number == f"R{year}-000001"


# --- the state machine --------------------------------------------------------------------------


def test_the_intent_table_is_wrapped_by_cores_state_machine():
    assert isinstance(INTENT_STATES, StateMachine)
    assert INTENT_STATES.states == set(IntentStatus)  # every state has an entry
    for state, targets in TRANSITIONS.items():
        assert INTENT_STATES.targets(state) == targets
    assert {s for s in IntentStatus if INTENT_STATES.terminal(s)} == {
        IntentStatus.EXPIRED,
        IntentStatus.CANCELED,
        IntentStatus.REFUNDED,
    }
    assert issubclass(InvalidTransition, CoreInvalidTransition) and InvalidTransition.status == 409


def test_a_move_the_table_refuses_is_a_translated_409(org, manager, collector, client_for, providers):
    intent = make_intent(org)
    services.cash_record(actor=collector, intent=intent)
    with pytest.raises(InvalidTransition):
        services.intent_cancel(actor=manager, intent=intent)
    response = client_for(manager).post(
        f"/api/v1/payments/intents/{intent.public_id}/cancel", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    intent.refresh_from_db()
    assert intent.status == "succeeded"


# --- money with the row's own currency ----------------------------------------------------------


def test_rest_amounts_carry_the_rows_currency(org, manager, client_for, providers):
    org.currencies = ["XOF", "EUR"]  # staff enabled euros for this organization
    org.save()
    intent = make_intent(org, amount=1250, currency="EUR")
    body = client_for(manager).get(f"/api/v1/payments/intents/{intent.public_id}").json()
    assert body["amount"]["amount"] == 1250 and body["amount"]["currency"] == "EUR"
    assert "€" in body["amount"]["formatted"] and body["fee"]["currency"] == "EUR"
    assert body["amount_refunded"] == {
        "amount": 0,
        "currency": "EUR",
        "formatted": body["amount_refunded"]["formatted"],
    }


def test_rest_creates_in_the_organizations_own_currency_when_none_is_given(client_for, providers):
    from tests.identity.factories import OrganizationFactory

    from .conftest import member

    douala = OrganizationFactory(country="CM")
    response = client_for(member(douala)).post(
        "/api/v1/payments/intents",
        {"organization": str(douala.public_id), "amount": 5000, "description": "Loyer"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount"]["currency"] == "XAF"


def test_pages_format_with_the_rows_currency(org, collector, client, providers):
    org.currencies = ["XOF", "EUR"]  # staff enabled euros for this organization
    org.save()
    intent = make_intent(org, amount=1250, currency="EUR")
    page = client.get(f"/pay/{intent.pay_token}", HTTP_ACCEPT_LANGUAGE="fr")
    assert "12,50\u00a0€".encode() in page.content and b"FCFA" not in page.content
    services.cash_record(actor=collector, intent=intent)
    intent.refresh_from_db()
    receipt = client.get(f"/r/{intent.receipt_code}", HTTP_ACCEPT_LANGUAGE="fr")
    assert "12,50\u00a0€".encode() in receipt.content
