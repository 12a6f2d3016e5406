"""People read labels, never codes: payment methods on the quittance (« espèces », not
"cash"), roles on the identity pages (not "owner"), commissions as percentages (« 10 % »,
never "1000 bp"), and the notice's addressee line in French."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from apps.core.templatetags.percent import format_percent_bp

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("bp", "fr", "en"),
    [
        (1000, f"10{NBSP}%", "10%"),
        (1250, f"12,5{NBSP}%", "12.5%"),
        (1234, f"12,34{NBSP}%", "12.34%"),
        (5, f"0,05{NBSP}%", "0.05%"),
        (0, f"0{NBSP}%", "0%"),
        (10000, f"100{NBSP}%", "100%"),
    ],
)
def test_percent_bp_writes_a_percentage_in_each_language(bp, fr, en):
    assert format_percent_bp(bp, "fr") == fr
    assert format_percent_bp(bp, "en") == en
    template = Template("{% load percent %}{{ rate|percent_bp }}")
    with translation.override("fr"):
        assert template.render(Context({"rate": bp})) == fr
    with translation.override("en"):
        assert template.render(Context({"rate": bp})) == en


def test_percent_bp_of_nothing_is_empty():
    assert Template("{% load percent %}[{{ rate|percent_bp }}]").render(Context({"rate": None})) == "[]"


def _pdf_text(pdf: bytes) -> str:
    import io

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.django_db
def test_the_quittance_names_the_payment_method_in_french(
    estate_overdue_lease, django_capture_on_commit_callbacks
):
    from apps.estate import api, documents, services
    from apps.estate.models import RentDue

    world = estate_overdue_lease
    oldest = min(api.open_dues(world.lease.public_id), key=lambda d: d.due_date)
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record(
            actor=world.manager, lease=world.lease, amount=oldest.outstanding, method="cash"
        )
    due = RentDue.objects.get(public_id=oldest.public_id)
    text = _pdf_text(documents.quittance_pdf(due.quittance))
    assert "espèces" in text
    assert not re.search(r"\bcash\b", text)
    assert not re.search(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?!\d)", text), "dates are written 01/06/2026, not ISO"


@pytest.mark.django_db
def test_the_notice_is_addressed_in_french(estate_overdue_lease):
    from apps.estate import api, documents
    from apps.estate.models import RentDue

    world = estate_overdue_lease
    due = RentDue.objects.get(public_id=api.open_dues(world.lease.public_id)[0].public_id)
    text = _pdf_text(documents.notice_pdf(due))
    assert "Vers " not in text
    assert "l'attention de" in text or "l’attention de" in text


@pytest.mark.django_db
def test_identity_pages_show_the_role_label_and_read_right(client, estate_overdue_lease):
    world = estate_overdue_lease
    client.force_login(world.manager)
    listing = client.get(
        reverse("manager:identity_organizations"), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "<td>owner</td>" not in listing
    assert re.search(r"<td[^>]*>propriétaire</td>", listing)
    team = client.get(
        reverse("manager:identity_organization_members", args=[world.agency.public_id]),
        HTTP_ACCEPT_LANGUAGE="fr",
    ).content.decode()
    assert "Équipe de Agence" not in team
    assert "L'équipe — Agence Estate Fixture" in team or "L&#x27;équipe — Agence Estate Fixture" in team


@pytest.mark.django_db
def test_mandates_and_property_show_percentages_not_basis_points(client, estate_overdue_lease):
    world = estate_overdue_lease
    client.force_login(world.manager)
    mandates = client.get(reverse("manager:estate-mandates"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"10{NBSP}%" in mandates
    page = client.get(
        reverse("manager:estate-property", args=[world.property.public_id]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert f"10{NBSP}%" in page
    assert " bp" not in page and "points de base" not in page


@pytest.mark.parametrize(
    ("code", "fr"),
    [("cash", "espèces"), ("mobile_money", "Mobile Money"), ("bank_transfer", "virement bancaire")],
)
def test_payments_api_names_a_method(code, fr):
    from apps.payments import api as payments

    with translation.override("fr"):
        assert payments.method_label(code) == fr


def test_the_payment_receipt_names_the_method_in_french(rf):
    from django.template.loader import render_to_string

    from apps.payments.models import PaymentIntent

    intent = PaymentIntent(method="cash", amount=60_000, currency="XOF", receipt_number="R2026-000001")
    with translation.override("fr"):
        html = render_to_string(
            "payments/receipt.html", {"intent": intent, "payee": "Agence"}, request=rf.get("/")
        )
    assert "<dd>espèces</dd>" in html
    assert ">cash<" not in html


def test_a_due_status_agrees_with_the_due_not_with_a_payment():
    """« une échéance payée », even though payments' "paid" (« payé ») is merged first."""
    from apps.estate.models import RentDue

    with translation.override("fr"):
        assert RentDue(status="paid").get_status_display() == "payée"
        assert RentDue(status="written_off").get_status_display() == "abandonnée"
        assert translation.gettext("paid") == "payé"  # a payment, elsewhere


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("+2290197000001", "+229 01 97 00 00 01"), ("12345", "12345"), ("", ""), (None, "")],
)
def test_a_phone_is_written_as_people_read_it(stored, shown):
    assert Template("{% load phones %}{{ p|phone }}").render(Context({"p": stored})) == shown


@pytest.mark.django_db
def test_the_quittance_number_line_reads_right_for_any_kind(estate_paid_due):
    from apps.estate import documents
    from apps.estate.models import RentDue

    due = RentDue.objects.get(public_id=estate_paid_due.paid_due.public_id)
    text = _pdf_text(documents.quittance_pdf(due.quittance))
    assert f"N° {due.quittance.number} du " in text
    assert "Reçu n°" not in text


# --- pages: no code where a person reads a word --------------------------------------------

RAW_CODES = (
    # payment methods, due/lease/unit/ticket statuses, roles, frequencies: the codes, never shown
    "mobile_money bank_transfer cash partially_paid written_off overdue upcoming paid occupied vacant "
    "under_works owner manager collector viewer accountant monthly quarterly in_progress resolved "
    "canceled pending succeeded failed bp"
).split()
ENGLISH = ("Please ", " points de base", "Team of", "Vers ")


def _visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)  # tags and their attributes (classes, data-*, URLs)
    return re.sub(r"\s+", " ", html)


def _raw_codes(text: str) -> list[str]:
    return [code for code in RAW_CODES if re.search(rf"(?<![\w/-]){re.escape(code)}(?![\w/-])", text)]


@pytest.mark.django_db
def test_french_pages_show_labels_not_codes(client, estate_paid_due):
    world = estate_paid_due
    lease = world.lease
    client.force_login(world.manager)
    pages = [
        reverse("manager:estate-leases"),
        reverse("manager:estate-lease", args=[lease.public_id]),
        reverse("manager:estate-dues"),
        reverse("manager:estate-mandates"),
        reverse("manager:estate-property", args=[world.property.public_id]),
        reverse("manager:estate-lease-new"),
        reverse("manager:identity_organizations"),
        reverse("manager:identity_organization_members", args=[world.agency.public_id]),
    ]
    client.force_login(world.tenant)
    tenant_pages = [
        reverse("estate:tenant-home"),
        reverse("estate:tenant-dues"),
        reverse("estate:tenant-receipts"),
    ]
    found = {}
    for user, urls in ((world.manager, pages), (world.tenant, tenant_pages)):
        client.force_login(user)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
            assert response.status_code == 200, url
            text = _visible_text(response.content.decode())
            bad = _raw_codes(text) + [w for w in ENGLISH if w in text]
            if bad:
                found[url] = bad
    assert not found, f"codes or English on French pages: {found}"


def test_the_page_check_sees_a_code_in_the_text_but_not_in_markup():
    html = '<span class="pill paid" data-status="overdue">payée</span><a href="/manager/x">Moyen : cash</a>'
    assert _raw_codes(_visible_text(html)) == ["cash"]
