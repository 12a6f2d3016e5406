"""Irreversible actions of the estate manager pages ask first: the statement close (a
confirmation with the amount and the landlord, a box to tick for a month in progress, a code
sent by SMS) and the lease end (a confirmation with the date, the deposit and the balance)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.estate import services
from apps.estate.models import Lease, OwnerStatement
from apps.identity import api as identity
from apps.ledger.models import Transfer
from tests.identity.conftest import SmsInbox

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"


def _text(response) -> str:
    return response.content.decode().replace("\xa0", NNBSP)


@pytest.fixture
def sms():
    cache.clear()
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


@pytest.fixture
def as_manager(client, manager, clock):
    client.force_login(manager)
    return client


@pytest.fixture
def statement(lease, manager, prop):
    """February 2026 (a month over, on 10 March): the tenant paid 80 000, the agency keeps 10 %."""
    services.payment_record(
        actor=manager, lease=lease, amount=80_000, method="cash", received_on=date(2026, 2, 8)
    )
    return services.statement_get_or_refresh(
        actor=manager, organization_id=prop.organization_id, owner_id=prop.owner_id, period=date(2026, 2, 1)
    )


def _close_url(statement):
    return reverse("manager:estate-statement-close", args=[statement.public_id])


def _state(statement):
    statement.refresh_from_db()
    return statement.status, statement.ledger_transfer, Transfer.objects.count()


def test_close_asks_first_with_the_amount_and_the_landlord(as_manager, statement, sms):
    before = _state(statement)
    response = as_manager.post(_close_url(statement))
    body = _text(response)
    assert response.status_code == 200 and 'data-testid="confirm"' in body
    statement.refresh_from_db()
    net = f"{statement.net:,}".replace(",", NNBSP)
    assert statement.net > 0
    assert f"Verser {net}{NNBSP}FCFA à {statement.owner.name}" in body
    assert "février 2026" in body and "Je clôture un mois en cours" not in body
    assert _state(statement) == before and sms.messages == []


def test_the_old_close_url_only_asks_too(as_manager, statement, sms):
    before = _state(statement)
    response = as_manager.post(reverse("manager:estate-statement", args=[statement.public_id]))
    assert response.status_code == 200 and 'data-testid="confirm"' in _text(response)
    assert _state(statement) == before
    # its GET is still the PDF
    assert as_manager.get(reverse("manager:estate-statement", args=[statement.public_id])).content.startswith(
        b"%PDF"
    )


def test_a_missing_or_wrong_code_refuses_and_moves_nothing(as_manager, statement, sms, manager):
    before = _state(statement)
    sent = as_manager.post(_close_url(statement), {"confirm_step": "confirm"})
    assert sent.status_code == 200 and "Code reçu par SMS" in _text(sent)
    assert len(sms.messages) == 1 and sms.messages[0].phone == str(manager.phone)
    missing = as_manager.post(_close_url(statement), {"confirm_step": "code", "code": ""})
    assert "Saisissez le code reçu par SMS." in _text(missing)
    code = sms.last_code(manager.phone)
    wrong = "000000" if code != "000000" else "111111"
    refused = as_manager.post(_close_url(statement), {"confirm_step": "code", "code": wrong})
    assert refused.status_code == 200 and 'class="field-error"' in _text(refused)
    assert _state(statement) == before


def test_confirmed_with_the_code_closes_once_and_lands_on_the_statement_page(
    as_manager, statement, sms, manager
):
    as_manager.post(_close_url(statement), {"confirm_step": "confirm"})
    code = sms.last_code(manager.phone)
    transfers = Transfer.objects.count()
    done = as_manager.post(_close_url(statement), {"confirm_step": "code", "code": code})
    page = reverse("manager:estate-statement-page", args=[statement.public_id])
    assert done.status_code == 302 and done["Location"] == page
    status, transfer, count = _state(statement)
    assert status == OwnerStatement.Status.CLOSED and transfer is not None and count == transfers + 1
    landed = as_manager.get(page)
    body = _text(landed)
    assert landed.status_code == 200 and "Relevé clôturé" in body and statement.owner.name in body
    assert reverse("manager:estate-statement", args=[statement.public_id]) in body  # the PDF link
    # the same POST again pays nothing twice
    again = as_manager.post(_close_url(statement), {"confirm_step": "code", "code": code})
    assert again.status_code == 302 and _state(statement) == (status, transfer, count)


def test_a_month_in_progress_needs_the_box(as_manager, lease, manager, prop, sms):
    current = services.statement_get_or_refresh(
        actor=manager, organization_id=prop.organization_id, owner_id=prop.owner_id, period=date(2026, 3, 1)
    )
    before = _state(current)
    asked = _text(as_manager.post(_close_url(current)))
    assert "Je clôture un mois en cours" in asked
    refused = as_manager.post(_close_url(current), {"confirm_step": "confirm"})
    assert "Cochez cette case pour confirmer" in _text(refused) and sms.messages == []
    assert _state(current) == before
    sent = as_manager.post(_close_url(current), {"confirm_step": "confirm", "acknowledge": "on"})
    assert "Code reçu par SMS" in _text(sent)
    done = as_manager.post(
        _close_url(current), {"confirm_step": "code", "code": sms.last_code(manager.phone)}
    )
    assert done.status_code == 302 and _state(current)[0] == OwnerStatement.Status.CLOSED


def test_a_viewer_cannot_close(client, statement, agency, sms):
    from tests.identity.factories import MembershipFactory

    viewer = MembershipFactory(organization=agency, role="viewer").user
    client.force_login(viewer)
    before = _state(statement)
    page = client.get(reverse("manager:estate-statement-page", args=[statement.public_id]))
    assert page.status_code == 200 and 'data-testid="statement-close"' not in _text(page)
    listed = client.get(reverse("manager:estate-statements"), {"period": "2026-02"})
    assert 'data-testid="statement-open"' in _text(listed) and 'data-testid="statement-close"' not in _text(
        listed
    )
    client.post(_close_url(statement), {"confirm_step": "confirm"})
    assert _state(statement) == before and sms.messages == []


def test_another_agency_gets_404(client, statement, other_manager):
    client.force_login(other_manager)
    assert client.post(_close_url(statement)).status_code == 404
    assert client.get(reverse("manager:estate-statement-page", args=[statement.public_id])).status_code == 404


# --- the end of a lease ---------------------------------------------------------------------


def _end_url(lease):
    return reverse("manager:estate-lease-action", args=[lease.public_id, "end"])


def _lease_state(lease):
    lease.refresh_from_db()
    return lease.status, lease.end_date, sorted(lease.dues.values_list("status", flat=True))


def test_the_end_form_is_not_prefilled(as_manager, lease):
    body = _text(as_manager.get(reverse("manager:estate-lease", args=[lease.public_id])))
    start = body.index(_end_url(lease))
    end_form = body[start : body.index("</form>", start)]
    assert (
        'name="end_date"' in end_form and "value=" not in end_form.split('name="end_date"')[1].split(">")[0]
    )


def test_ending_a_lease_asks_first_then_ends_once(as_manager, lease, manager):
    services.payment_record(
        actor=manager, lease=lease, amount=lease.deposit_amount, method="cash", received_on=date(2026, 1, 2)
    )
    lease.refresh_from_db()
    before = _lease_state(lease)
    asked = as_manager.post(_end_url(lease), {"end_date": "2026-03-31"})
    body = _text(asked)
    assert asked.status_code == 200 and 'data-testid="confirm"' in body
    assert "Mettre fin au bail de Brice Zinsou le 31 mars 2026 ?" in body
    assert "Dépôt de garantie à restituer" in body and "Reste dû par le locataire" in body
    assert _lease_state(lease) == before
    done = as_manager.post(_end_url(lease), {"end_date": "2026-03-31", "confirm_step": "confirm"})
    assert done.status_code == 302
    ended = _lease_state(lease)
    assert ended[0] == "ended" and ended[1] == date(2026, 3, 31)
    again = as_manager.post(_end_url(lease), {"end_date": "2026-03-31", "confirm_step": "confirm"})
    assert again.status_code == 200 and "errors" in _text(again)  # « Ce bail n'est pas actif. », nothing more
    assert _lease_state(lease) == ended and Lease.objects.filter(pk=lease.pk, status="ended").exists()


def test_ending_without_a_date_ends_nothing(as_manager, lease):
    before = _lease_state(lease)
    response = as_manager.post(_end_url(lease), {"end_date": ""}, follow=True)
    assert response.status_code == 200 and _lease_state(lease) == before
