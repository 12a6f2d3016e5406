"""Amounts are JSON integers (docs/api.md, "Strict input"): `1000.0`, `"1000"` and `true`
are refused with the field code `invalid_amount` by the shared AmountField on every money
input, and a valid integer still goes through. Other integers (due_day, rooms…) refuse the
same loose values with `invalid`. Form and multipart bodies, where every value is text,
still take digits."""

from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse
from rest_framework import serializers

from apps.core.rest import AmountField, StrictIntegerField, StrictSerializer
from tests.helpers import bearer_client

pytestmark = pytest.mark.django_db

LOOSE = [1000.0, "1000", True, 1000.5, "1000.0", [1000], {"amount": 1000}]


def url(name, **kwargs):
    return reverse(name, kwargs={"version": "v1", **kwargs})


def assert_invalid_amount(response, field="amount", code="invalid_amount"):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    errors = {e["field"]: e for e in body["errors"]}
    assert errors[field]["code"] == code, body
    return errors[field]


class _Probe(StrictSerializer):
    amount = AmountField(min_value=1)
    days = StrictIntegerField(required=False)


@pytest.mark.parametrize("value", [1000.0, "1000", True, False, "1e3", 1000.5])
def test_amount_field_takes_json_integers_only(value):
    probe = _Probe(data={"amount": value})
    assert not probe.is_valid()
    assert probe.errors["amount"][0].code == "invalid_amount"


def test_amount_field_keeps_its_bounds_and_takes_integers():
    assert _Probe(data={"amount": 10**12}).is_valid()
    too_big = _Probe(data={"amount": 10**12 + 1})
    assert not too_big.is_valid() and too_big.errors["amount"][0].code == "max_value"
    zero = _Probe(data={"amount": 0})
    assert not zero.is_valid() and zero.errors["amount"][0].code == "min_value"


@pytest.mark.parametrize("value", [5.0, "5", True])
def test_strict_integer_field_refuses_floats_strings_and_booleans(value):
    probe = _Probe(data={"amount": 1, "days": value})
    assert not probe.is_valid()
    assert probe.errors["days"][0].code == "invalid"


def test_form_and_multipart_bodies_take_digits():
    form = QueryDict(mutable=True)
    form.update({"amount": "1000", "days": "5"})
    probe = _Probe(data=form)
    assert probe.is_valid(), probe.errors
    assert probe.validated_data == {"amount": 1000, "days": 5}
    loose = QueryDict(mutable=True)
    loose.update({"amount": "1000.0"})
    refused = _Probe(data=loose)
    assert not refused.is_valid() and refused.errors["amount"][0].code == "invalid_amount"


def test_nested_amounts_are_strict_too():
    class Deduction(StrictSerializer):
        amount = AmountField()

    class Settlement(StrictSerializer):
        deductions = Deduction(many=True)

    probe = Settlement(data={"deductions": [{"amount": 10}, {"amount": "10"}]})
    assert not probe.is_valid()
    assert probe.errors["deductions"][1]["amount"][0].code == "invalid_amount"


def test_the_message_is_translated(estate_overdue_lease):
    world = estate_overdue_lease
    client = bearer_client(world.manager)
    body = {"amount": 1000.0, "method": "cash"}
    target = url("estate-lease-payments", lease_id=world.lease.public_id)
    french = assert_invalid_amount(client.post(target, body, format="json"))
    assert french["message"].startswith("Un montant est un nombre entier")
    english = assert_invalid_amount(client.post(target, body, format="json", HTTP_ACCEPT_LANGUAGE="en"))
    assert english["message"].startswith("An amount is a whole number")


# --- every money input named by issue 17, through its REST route -------------------------


@pytest.mark.parametrize("value", LOOSE[:3])
def test_lease_create_refuses_loose_rent_and_charges(estate_overdue_lease, value):
    world = estate_overdue_lease
    body = {
        "unit": str(world.lease.unit.public_id),
        "tenants": [{"phone": "+2290161009999", "full_name": "Yannick Gbaguidi"}],
        "start_date": "2030-01-01",
        "rent": value,
        "charges": value,
        "due_day": value,
    }
    response = bearer_client(world.manager).post(url("estate-leases"), body, format="json")
    assert_invalid_amount(response, "rent")
    assert_invalid_amount(response, "charges")
    assert_invalid_amount(response, "due_day", code="invalid")


@pytest.mark.parametrize("value", LOOSE)
def test_payment_record_refuses_loose_amounts_and_takes_integers(estate_overdue_lease, value):
    from apps.estate.models import RentPayment

    world = estate_overdue_lease
    client = bearer_client(world.manager)
    target = url("estate-lease-payments", lease_id=world.lease.public_id)
    assert_invalid_amount(client.post(target, {"amount": value, "method": "cash"}, format="json"))
    assert not RentPayment.objects.exists()
    ok = client.post(target, {"amount": 1000, "method": "cash"}, format="json")
    assert ok.status_code == 201, ok.content


@pytest.mark.parametrize("value", LOOSE[:3])
def test_due_adjustment_refuses_loose_amounts(estate_overdue_lease, value):
    from apps.estate.models import RentDue

    world = estate_overdue_lease
    due = RentDue.objects.filter(lease=world.lease).order_by("period").first()
    response = bearer_client(world.manager).post(
        url("estate-due-adjustments", due_id=due.public_id),
        {"kind": "discount", "amount": value, "label": "Geste"},
        format="json",
    )
    assert_invalid_amount(response)


@pytest.mark.parametrize("value", LOOSE[:3])
def test_intent_create_refuses_loose_amounts(estate_overdue_lease, value):
    world = estate_overdue_lease
    client = bearer_client(world.manager)
    body = {"organization": str(world.agency.public_id), "description": "Loyer", "amount": value}
    assert_invalid_amount(client.post("/api/v1/payments/intents", body, format="json"))


@pytest.fixture
def recovery_case(estate_overdue_lease):
    from apps.recovery.models import Case
    from apps.recovery.services import cases_sync, ladder_default

    world = estate_overdue_lease
    ladder_default(organization_id=world.agency.pk)
    cases_sync(today=date.today())
    return Case.objects.get(lease=world.lease.public_id)


@pytest.mark.parametrize("value", LOOSE[:3])
def test_recovery_cash_and_promise_refuse_loose_amounts(estate_overdue_lease, recovery_case, value):
    client = bearer_client(estate_overdue_lease.manager)
    cash = client.post(
        url("recovery-case-cash", case_id=recovery_case.public_id),
        {"amount": value},
        format="json",
        HTTP_IDEMPOTENCY_KEY=f"cash-{value!r}",
    )
    assert_invalid_amount(cash)
    promise = client.post(
        url("recovery-case-promises", case_id=recovery_case.public_id),
        {"amount": value, "promised_on": date.today().isoformat()},
        format="json",
    )
    assert_invalid_amount(promise)


def test_refusals_do_not_come_from_a_loose_serializer_elsewhere():
    """Every input serializer's integer field is strict: the module's REST input
    serializers (the ones views parse bodies with) carry no plain IntegerField."""
    import inspect

    from apps.estate.rest import serializers as estate
    from apps.identity.rest import serializers as identity
    from apps.payments.rest import serializers as payments
    from apps.recovery.rest import serializers as recovery

    loose = []
    for module in (estate, identity, payments, recovery):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, StrictSerializer) or cls.__module__ != module.__name__:
                continue
            if name.endswith("Query"):  # query strings: text by nature
                continue
            for field_name, field in cls().fields.items():
                if type(field) is serializers.IntegerField:
                    loose.append(f"{name}.{field_name}")
    assert loose == []
