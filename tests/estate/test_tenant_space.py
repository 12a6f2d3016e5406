"""The tenant space (/pay/, issue 15 item 3): login by SMS code, the home with each lease's
terms, balance, next due and « Payer » button, the dues with their status and the payment
history, the receipts (quittance PDFs with their QR), tickets with photos, inspections to
sign, the lease documents, announcements — each scoped to the tenant's own leases."""

import html
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.estate import services
from apps.estate.models import Announcement, RentDue, Ticket
from tests.identity.conftest import SmsInbox
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .conftest import make_lease
from .factories import UnitFactory

pytestmark = pytest.mark.django_db

HOME = "/pay/"


@pytest.fixture
def sms():
    from apps.identity import api as identity

    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


def text(response) -> str:
    return html.unescape(response.content.decode())


def login_by_sms(client, sms, phone, next_url=HOME):
    asked = client.post(reverse("estate:tenant-login") + f"?next={next_url}", {"phone": str(phone)})
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("estate:tenant-login-code"))
    page = client.get(asked["Location"])
    assert page.status_code == 200 and "Saisissez votre code" in text(page)
    return client.post(asked["Location"], {"code": sms.last_code(phone)})


def photo(name="fuite.png", color=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def lease(clock, manager, unit, tenant):
    """75 000 + 5 000 a month from 1 January 2026, no deposit (no move-in due): January,
    February (overdue) and March (due) are owed on 10 March."""
    return make_lease(manager, unit, tenant, deposit_months=0)


@pytest.fixture
def paid_january(lease, manager):
    """January (80 000) paid and part of February: 120 000 received."""
    services.payment_record(actor=manager, lease=lease, amount=120_000, method="bank_transfer")
    return RentDue.objects.get(lease=lease, period=date(2026, 1, 1))


@pytest.fixture
def stranger_lease(clock, manager, prop):
    """Another tenant's lease of the same agency, with a receipt, a ticket, an inspection."""
    other_tenant = UserFactory(full_name="Autre Locataire Secret")
    unit = UnitFactory(property=prop, label="SECRET-9", market_rent=99_000)
    lease = make_lease(manager, unit, other_tenant, rent=99_000, charges=0, deposit_months=0)
    services.payment_record(actor=manager, lease=lease, amount=99_000, method="bank_transfer")
    ticket = services.ticket_open(actor=other_tenant, lease=lease, title="Fuite secrète du voisin")
    inspection = services.inspection_create(
        actor=manager,
        lease=lease,
        kind="move_in",
        inspected_on=lease.start_date,
        items=[{"room": "Salon secret", "element": "Mur", "condition": "good"}],
    )
    due = RentDue.objects.get(lease=lease, period=date(2026, 1, 1))
    return {"lease": lease, "ticket": ticket, "inspection": inspection, "quittance": due.quittance}


# --- login --------------------------------------------------------------------------------------


def test_every_page_needs_a_login_and_comes_back_after_it(client, sms, lease, tenant):
    response = client.get(reverse("estate:tenant-dues"))
    assert response.status_code == 302
    assert response["Location"] == "/pay/me/login?next=%2Fpay%2Fme%2Fdues%2F"
    login = client.get(response["Location"])
    assert "Votre espace locataire" in text(login) and "Recevoir mon code" in text(login)
    done = login_by_sms(client, sms, tenant.phone, next_url="/pay/me/dues/")
    assert done.status_code == 302 and done["Location"] == "/pay/me/dues/"
    assert client.get("/pay/me/dues/").status_code == 200


def test_login_by_code_lands_on_the_home_with_the_lease(client, sms, lease, tenant):
    done = login_by_sms(client, sms, tenant.phone)
    assert done.status_code == 302 and done["Location"] == HOME
    home = client.get(HOME)
    body = text(home)
    assert home.status_code == 200
    assert "Résidence Fidjrossè" in body and "B2" in body and lease.organization.name in body
    assert "75\u202f000\u00a0FCFA" in body and "5\u202f000\u00a0FCFA" in body  # rent and charges
    oldest = RentDue.objects.filter(lease=lease).order_by("due_date").first()
    assert f'href="/pay/rent/{oldest.pay_token}"' in body and 'data-testid="pay-button"' in body
    assert "240\u202f000\u00a0FCFA" in body  # January to March, 80 000 each, nothing paid


def test_a_wrong_code_is_a_french_form_error_and_identitys_lockout_applies(client, sms, lease, tenant):
    client.post(reverse("estate:tenant-login"), {"phone": str(tenant.phone)})
    wrong = "000000" if sms.last_code(tenant.phone) != "000000" else "111111"
    answer = client.post(reverse("estate:tenant-login-code"), {"code": wrong})
    assert answer.status_code == 400 and "Ce code n’est pas valide" in text(answer).replace("'", "’")
    for _ in range(6):
        answer = client.post(reverse("estate:tenant-login-code"), {"code": wrong})
    assert answer.status_code == 400 and "bloqué" in text(answer)
    assert "_auth_user_id" not in client.session


def test_an_invalid_phone_is_a_field_error(client, db):
    answer = client.post(reverse("estate:tenant-login"), {"phone": "12"})
    assert answer.status_code == 400 and 'data-testid="field-error"' in text(answer)


def test_a_user_with_no_lease_gets_a_kind_page(client, db):
    client.force_login(UserFactory())
    page = client.get(HOME)
    assert page.status_code == 200 and 'data-testid="no-lease"' in text(page)
    assert "Aucun bail n’est lié au numéro" in text(page).replace("'", "’")


def test_a_manager_who_is_also_a_tenant_sees_their_tenant_space(client, clock, manager, prop):
    unit = UnitFactory(property=prop, label="M1", market_rent=50_000)
    make_lease(manager, unit, manager, rent=50_000, charges=0, deposit_months=0)
    client.force_login(manager)
    page = client.get(HOME)
    assert page.status_code == 200 and "M1" in text(page)
    assert 'data-testid="manager-link"' in text(page)


def test_logout(client, lease, tenant):
    client.force_login(tenant)
    assert client.post(reverse("estate:tenant-logout")).status_code == 302
    assert client.get(HOME).status_code == 302


# --- home, dues, history ------------------------------------------------------------------------


def test_the_home_shows_balance_credit_next_due_and_last_payments(client, clock, manager, unit, tenant):
    lease = make_lease(
        manager, unit, tenant, rent=40_000, charges=0, deposit_months=0, start_date=date(2026, 3, 1)
    )
    services.payment_record(actor=manager, lease=lease, amount=55_000, method="bank_transfer")
    client.force_login(tenant)
    body = text(client.get(HOME))
    assert 'data-testid="credit">15\u202f000\u00a0FCFA' in body
    assert "Vous êtes à jour." in body
    assert "55\u202f000\u00a0FCFA" in body and "virement" in body  # last payment
    assert "Payer le mois prochain d’avance".replace("’", "'") in body.replace("’", "'")


def test_dues_show_paid_partly_paid_and_overdue_and_the_history(client, lease, tenant, paid_january):
    client.force_login(tenant)
    page = client.get(reverse("estate:tenant-dues"))
    body = text(page)
    statuses = {d.period.month: (d.status, d.paid) for d in RentDue.objects.filter(lease=lease)}
    assert statuses == {1: ("paid", 80_000), 2: ("overdue", 40_000), 3: ("due", 0)}
    assert 'data-status="paid"' in body and "payé" in body
    assert "40\u202f000\u00a0FCFA payés, 40\u202f000\u00a0FCFA restants" in body
    assert f"/pay/me/receipts/{paid_january.quittance.public_id}.pdf" in body
    assert 'data-testid="payment-row"' in body and "120\u202f000\u00a0FCFA" in body


def test_a_due_of_another_kind_is_labelled_with_its_display(client, clock, manager, unit, tenant):
    """Move-in dues (deposit, fee…) and imported arrears say what they are."""
    lease = make_lease(manager, unit, tenant, deposit_months=2)
    RentDue.objects.filter(lease=lease, period=date(2026, 3, 1), kind="rent").update(kind="opening")
    client.force_login(tenant)
    body = text(client.get(reverse("estate:tenant-dues")))
    for due in RentDue.objects.filter(lease=lease).exclude(kind="rent"):
        assert str(due.get_kind_display()).capitalize() in body


def test_english_with_the_language_switch(client, lease, tenant):
    client.force_login(tenant)
    client.post("/i18n/setlang/", {"language": "en", "next": HOME})
    body = text(client.get(HOME))
    assert '<html lang="en">' in body and "To pay now" in body and ">Pay<" in body


# --- receipts -----------------------------------------------------------------------------------


def test_receipts_list_and_the_pdf_with_its_qr(client, lease, tenant, paid_january):
    client.force_login(tenant)
    page = client.get(reverse("estate:tenant-receipts"))
    quittance = paid_january.quittance
    assert quittance.number in text(page) and f"/r/q/{quittance.code}" in text(page)
    pdf = client.get(reverse("estate:tenant-receipt-pdf", args=[quittance.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


# --- scoping ------------------------------------------------------------------------------------


def test_another_tenants_objects_are_a_tenant_404_never_their_data(client, lease, tenant, stranger_lease):
    client.force_login(tenant)
    s = stranger_lease
    urls = [
        reverse("estate:tenant-lease", args=[s["lease"].public_id]),
        reverse("estate:tenant-lease-pdf", args=[s["lease"].public_id]),
        reverse("estate:tenant-lease-signed", args=[s["lease"].public_id]),
        reverse("estate:tenant-receipt-pdf", args=[s["quittance"].public_id]),
        reverse("estate:tenant-ticket", args=[s["ticket"].public_id]),
        reverse("estate:tenant-inspection", args=[s["inspection"].public_id]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert 'data-testid="tenant-not-found"' in text(response)
        assert "SECRET-9" not in text(response) and "Salon secret" not in text(response)
    signed = client.post(urls[-1], {"name": "Brice Zinsou"})
    assert signed.status_code == 404
    s["inspection"].refresh_from_db()
    assert s["inspection"].tenant_signed_at is None
    for page in (HOME, "/pay/me/dues/", "/pay/me/receipts/", "/pay/me/tickets/"):
        body = text(client.get(page))
        assert "SECRET-9" not in body and "Fuite secrète du voisin" not in body and "99\u202f000" not in body


def test_an_agency_manager_is_not_a_tenant_of_its_leases(client, manager, lease):
    client.force_login(manager)
    assert client.get(reverse("estate:tenant-lease", args=[lease.public_id])).status_code == 404


# --- lease, documents, inspections ------------------------------------------------------------


def test_the_lease_page_terms_documents_and_the_signed_pdf(client, lease, tenant):
    from django.core.files.base import ContentFile

    client.force_login(tenant)
    page = client.get(reverse("estate:tenant-lease", args=[lease.public_id]))
    body = text(page)
    assert page.status_code == 200 and lease.reference in body and "le 5 de chaque mois" in body
    assert 'data-testid="signed-pdf"' not in body
    assert client.get(reverse("estate:tenant-lease-signed", args=[lease.public_id])).status_code == 404
    generated = client.get(reverse("estate:tenant-lease-pdf", args=[lease.public_id]))
    assert generated.status_code == 200 and generated.content.startswith(b"%PDF")
    lease.signed_document.save("bail.pdf", ContentFile(b"%PDF-1.4 signed by both"))
    body = text(client.get(reverse("estate:tenant-lease", args=[lease.public_id])))
    assert 'data-testid="signed-pdf"' in body
    signed = client.get(reverse("estate:tenant-lease-signed", args=[lease.public_id]))
    assert signed.content == b"%PDF-1.4 signed by both"


def test_the_tenant_reads_and_signs_the_inspection(client, lease, tenant, manager, sms):
    inspection = services.inspection_create(
        actor=manager,
        lease=lease,
        kind="move_in",
        inspected_on=lease.start_date,
        items=[{"room": "Chambre", "element": "Fenêtre", "condition": "fair", "comment": "vitre rayée"}],
    )
    client.force_login(tenant)
    assert 'data-testid="sign-link"' in text(client.get(HOME))
    url = reverse("estate:tenant-inspection", args=[inspection.public_id])
    page = client.get(url)
    assert "Fenêtre" in text(page) and "vitre rayée" in text(page)
    # signed with a code by SMS (tests/estate/test_inspections.py covers the flow)
    assert client.post(url, {"action": "sign", "confirm_step": "confirm"}).status_code == 200
    done = client.post(url, {"action": "sign", "confirm_step": "code", "code": sms.last_code(tenant.phone)})
    assert done.status_code == 302
    inspection.refresh_from_db()
    assert inspection.tenant_signed_name == "Brice Zinsou" and inspection.manager_signed_at is None
    assert 'data-testid="sign-form"' not in text(client.get(url))
    pdf = client.get(url + "?pdf=1")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_announcements_of_the_tenants_property(client, lease, tenant, manager, prop):
    services.announcement_send(actor=manager, property=prop, title="Coupure d'eau", message="Mardi 9h-12h.")
    Announcement.objects.create(
        organization=prop.organization,
        property=UnitFactory(label="X").property,
        title="Ailleurs",
        message="Pas pour vous",
    )
    client.force_login(tenant)
    body = text(client.get(HOME))
    assert "Coupure d" in body and "Mardi 9h-12h." in body and "Ailleurs" not in body


# --- tickets ------------------------------------------------------------------------------------


def test_open_a_ticket_with_photos_and_follow_the_agencys_answer(client, lease, tenant, manager):
    client.force_login(tenant)
    form = client.get(reverse("estate:tenant-ticket-new"))
    assert form.status_code == 200 and 'type="file"' in text(form)
    answer = client.post(
        reverse("estate:tenant-ticket-new"),
        {
            "lease": str(lease.public_id),
            "title": "Fuite sous l'évier",
            "description": "Depuis hier soir",
            "urgent": "on",
            "photos": [photo("a.png"), photo("b.png", (0, 0, 200))],
        },
    )
    assert answer.status_code == 302
    ticket = Ticket.objects.get(lease=lease)
    assert ticket.photos.count() == 2 and ticket.priority == "urgent" and ticket.reported_by == tenant
    services.ticket_update(
        actor=manager, ticket=ticket, vendor_name="Plomberie Dossou", vendor_phone="0197000011"
    )
    page = text(client.get(answer["Location"]))
    assert "Plomberie Dossou" in page and "assigné" in page
    assert text(client.get(reverse("estate:tenant-tickets"))).count('data-testid="ticket-row"') == 1


def test_more_than_three_photos_or_no_title_is_refused(client, lease, tenant):
    client.force_login(tenant)
    answer = client.post(
        reverse("estate:tenant-ticket-new"),
        {"lease": str(lease.public_id), "title": "Trop", "photos": [photo(f"{i}.png") for i in range(4)]},
    )
    assert answer.status_code == 400 and "Au plus 3 photos" in text(answer)
    answer = client.post(reverse("estate:tenant-ticket-new"), {"lease": str(lease.public_id), "title": ""})
    assert answer.status_code == 400
    assert not Ticket.objects.exists()


def test_a_ticket_cannot_be_opened_on_someone_elses_lease(client, lease, tenant, stranger_lease):
    client.force_login(tenant)
    answer = client.post(
        reverse("estate:tenant-ticket-new"),
        {"lease": str(stranger_lease["lease"].public_id), "title": "Intrus"},
    )
    assert answer.status_code in (400, 404)
    assert not Ticket.objects.filter(title="Intrus").exists()


# --- query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [date(2026, 1, 1), date(2024, 1, 1)])
def test_home_dues_and_receipts_query_counts_do_not_grow_with_the_dues(
    client, clock, manager, unit, tenant, start, django_assert_max_num_queries
):
    lease = make_lease(manager, unit, tenant, start_date=start, deposit_months=0)
    owed = sum(d.outstanding for d in RentDue.objects.filter(lease=lease))
    services.payment_record(actor=manager, lease=lease, amount=owed - 40_000, method="bank_transfer")
    client.force_login(tenant)
    for url in (HOME, "/pay/me/dues/", "/pay/me/receipts/"):
        client.get(url)  # warm the session
        # a fixed count, whatever the number of dues: the page's own reads, plus the panels
        # other modules show on the home (wallet, score, loans, emergency fund)
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200


# --- the manager home ---------------------------------------------------------------------------


def test_the_manager_welcome_page_offers_the_tenant_space(client, db):
    org = OrganizationFactory(kind="agency", is_active=False)
    user = MembershipFactory(organization=org, role="owner").user
    client.force_login(user)
    body = text(client.get("/manager/", follow=True))
    assert 'href="/pay/"' in body and "Mon espace locataire" in body
