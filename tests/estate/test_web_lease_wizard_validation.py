"""The new-lease wizard checks each step as it is filled: an occupied unit is refused at step 1,
a phone at the step where it is typed (the local ways of writing a number accepted), and every
error of a step shows at once, next to its field, in French."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.estate.models import Lease
from tests.estate.factories import UnitFactory

pytestmark = pytest.mark.django_db

WIZARD = "manager:estate-lease-new"


@pytest.fixture
def browser(client, manager, clock):
    client.force_login(manager)
    return client


def _errors(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field, text in re.findall(r'<span class="field-error" data-field="([a-z_]+)">([^<]*)</span>', html):
        found.setdefault(field, []).append(text)
    return found


def test_an_occupied_unit_is_refused_at_step_one(browser, lease):
    response = browser.post(reverse(WIZARD), {"step": "unit", "unit": str(lease.unit.public_id)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce logement est occupé" in _errors(html)["unit"][0]
    assert lease.reference in html
    assert browser.get(reverse(WIZARD) + "?step=tenants").status_code == 302  # nothing was kept


def test_an_occupied_unit_from_its_page_is_refused_too(browser, lease):
    html = browser.get(reverse(WIZARD) + f"?unit={lease.unit.public_id}").content.decode()
    assert "Ce logement est occupé" in _errors(html)["unit"][0]


def test_a_vacant_unit_goes_on_to_the_tenants(browser, lease, prop):
    vacant = UnitFactory(property=prop, label="C3", market_rent=60_000)
    response = browser.post(reverse(WIZARD), {"step": "unit", "unit": str(vacant.public_id)})
    assert response.status_code == 302 and response["Location"].endswith("?step=tenants")


@pytest.fixture
def at_tenants(browser, unit):
    browser.post(reverse(WIZARD), {"step": "unit", "unit": str(unit.public_id)})
    return browser


def test_a_wrong_phone_is_refused_where_it_is_typed_with_every_error_at_once(at_tenants):
    response = at_tenants.post(
        reverse(WIZARD),
        {"step": "tenants", "tenant_name": "", "tenant_phone": "12345", "cotenant_phone": "999"},
    )
    html = response.content.decode()
    errors = _errors(html)
    assert response.status_code == 200
    assert set(errors) == {"tenant_name", "tenant_phone", "cotenant_phone"}, errors
    assert "numéro de téléphone valide" in errors["tenant_phone"][0]
    assert "numéro de téléphone valide" in errors["cotenant_phone"][0]
    assert 'value="12345"' in html, "what was typed stays, to be corrected"
    assert "Please" not in html and "Enter a valid" not in html


@pytest.mark.parametrize("written", ["97 00 00 01", "+229 01 97 00 00 01", "0197000001", "01 97 00 00 01"])
def test_the_local_ways_of_writing_a_number_are_accepted(at_tenants, written):
    response = at_tenants.post(
        reverse(WIZARD), {"step": "tenants", "tenant_name": "Estelle Kpadonou", "tenant_phone": written}
    )
    assert response.status_code == 302 and response["Location"].endswith("?step=terms")
    terms = at_tenants.get(reverse(WIZARD) + "?step=terms").content.decode()
    assert "+229 01 97 00 00 01" in terms


def test_the_cotenant_is_another_person(at_tenants):
    html = at_tenants.post(
        reverse(WIZARD),
        {
            "step": "tenants",
            "tenant_name": "Estelle Kpadonou",
            "tenant_phone": "0197000001",
            "cotenant_name": "Jules Kpadonou",
            "cotenant_phone": "+229 97 00 00 01",
        },
    ).content.decode()
    assert list(_errors(html)) == ["cotenant_phone"]


def test_the_terms_show_every_error_at_once(at_tenants, unit):
    at_tenants.post(
        reverse(WIZARD), {"step": "tenants", "tenant_name": "Estelle Kpadonou", "tenant_phone": "0197000001"}
    )
    response = at_tenants.post(
        reverse(WIZARD),
        {
            "step": "terms",
            "start_date": "2026-03-01",
            "end_date": "2026-02-01",
            "rent": 0,
            "charges": 0,
            "deposit_months": 2,
            "advance_months": 0,
            "agency_fee": 0,
            "due_day": 31,
            "grace_days": 90,
            "late_fee_policy": "none",
            "late_fee_value": 0,
            "late_fee_cap": 0,
        },
    )
    errors = _errors(response.content.decode())
    assert {"end_date", "rent", "due_day", "grace_days"} <= set(errors), errors
    assert not Lease.objects.filter(unit=unit).exists()


def test_phone_and_amount_fields_bring_the_right_keyboard(at_tenants):
    html = at_tenants.get(reverse(WIZARD) + "?step=tenants").content.decode()
    phone = re.search(r'<input[^>]*name="tenant_phone"[^>]*>', html).group(0)
    assert 'type="tel"' in phone and 'inputmode="tel"' in phone and 'autocomplete="off"' in phone
    at_tenants.post(
        reverse(WIZARD), {"step": "tenants", "tenant_name": "Estelle Kpadonou", "tenant_phone": "0197000001"}
    )
    terms = at_tenants.get(reverse(WIZARD) + "?step=terms").content.decode()
    rent = re.search(r'<input[^>]*name="rent"[^>]*>', terms).group(0)
    assert 'inputmode="numeric"' in rent and 'autocomplete="off"' in rent


def test_a_folded_form_with_errors_opens_its_section(browser, prop):
    closed = browser.get(reverse("manager:estate-tickets")).content.decode()
    assert re.search(r'<details class="card" data-testid="ticket-new">', closed)
    refused = browser.post(reverse("manager:estate-tickets"), {"property": str(prop.public_id), "title": ""})
    html = refused.content.decode()
    assert re.search(r'<details class="card" open data-testid="ticket-new">', html)
    assert "title" in _errors(html)


def test_a_unit_whose_lease_ends_is_offered_from_the_day_after(browser, lease, clock):
    from datetime import date

    # notice given: the lease ends on 31 December
    lease.end_date = date(2026, 12, 31)
    lease.save(update_fields=["end_date"])
    step1 = browser.get(reverse(WIZARD)).content.decode()
    assert "libre à partir du 1 janvier 2027" in step1
    response = browser.post(reverse(WIZARD), {"step": "unit", "unit": str(lease.unit.public_id)})
    assert response.status_code == 302
    browser.post(
        reverse(WIZARD), {"step": "tenants", "tenant_name": "Estelle Kpadonou", "tenant_phone": "0197000001"}
    )
    terms = browser.get(reverse(WIZARD) + "?step=terms").content.decode()
    assert 'name="start_date" value="2027-01-01"' in terms


def _form_classes():
    from django import forms

    from apps.estate.web import forms as estate_forms
    from apps.payments.web import forms as payments_forms

    for module in (estate_forms, payments_forms):
        for name in dir(module):
            cls = getattr(module, name)
            if (
                isinstance(cls, type)
                and issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
            ):
                yield cls


AMOUNT_FIELDS = re.compile(r"(amount|rent|charges|fee|cost|late_fee_cap|min_part_payment)$")


def test_every_phone_and_amount_field_brings_the_keypad_and_says_what_to_fill():
    checked = 0
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            attrs = field.widget.attrs
            if "phone" in name:
                assert attrs.get("inputmode") == "tel", f"{cls.__name__}.{name}"
                assert attrs.get("autocomplete") in ("tel", "off"), f"{cls.__name__}.{name}"
                checked += 1
            elif AMOUNT_FIELDS.search(name) and not isinstance(field.widget, forms_select_types()):
                assert attrs.get("inputmode") == "numeric", f"{cls.__name__}.{name}"
                assert attrs.get("autocomplete") == "off", f"{cls.__name__}.{name}"
                checked += 1
    assert checked >= 10


def forms_select_types():
    from django import forms

    return (forms.Select, forms.RadioSelect, forms.HiddenInput)
